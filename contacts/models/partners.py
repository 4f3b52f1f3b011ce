"""Partners (PRODUCT §7): the organisations of the partner directory (vägvisare) that
carers are referred to and activities are arranged with."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel


class Partner(TimeStampedModel):
    class OrganisationType(models.TextChoices):
        # The 2019 national survey's organisation types (seed-001-notes §1, question 5), plus helplines and funds.
        OTHER_ADMINISTRATION = "other_administration", _("Other municipal administrations")
        SOMATIC_CARE = "somatic_care", _("Hospital care, somatic")
        PSYCHIATRY = "psychiatry", _("Hospital care, psychiatry")
        PRIMARY_CARE = "primary_care", _("Health centre / primary care")
        FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
        ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
        CARER_ASSOCIATION = "carer_association", _("Carers' associations")
        PATIENT_ASSOCIATION = "patient_association", _("Patient and user associations")
        FAITH = "faith", _("Religious communities")
        STUDY_ASSOCIATION = "study_association", _("Study associations")
        AID_ORGANISATION = "aid_organisation", _("Aid organisations")
        OTHER_ASSOCIATION = "other_association", _("Other associations")
        PRIVATE = "private", _("Private providers")
        HELPLINE = "helpline", _("Helpline")
        FUND = "fund", _("Fund")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="partners")
    name = models.CharField(_("name"), max_length=150)
    organisation_type = models.CharField(_("type of organisation"), max_length=30, choices=OrganisationType.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    offers_respite = models.BooleanField(_("arranges respite"), default=False)
    # A retired partner stays on the referrals and activities that name it, and is no
    # longer offered for new ones.
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="contacts_partner_unique_name_per_unit")]

    def __str__(self) -> str:
        return self.name
