"""What a carer's record holds besides talks and notes (PRODUCT §3, §7, §8): consents,
the support plan (stödplan), respite given and referrals to partners."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel
from contacts.models.carers import Carer
from contacts.models.partners import Partner
from contacts.models.talks import Talk


class Consent(TimeStampedModel):
    """Samtycke: to whom information about the carer may be given, and how far."""

    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="consents")
    to_whom = models.CharField(_("to whom"), max_length=200)
    scope = models.TextField(_("scope"))
    given_on = models.DateField(_("given on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("given_on")),
                name="contacts_consent_revoked_after_given",
            )
        ]


class SupportPlanItem(TimeStampedModel):
    """One row of the stödplan, under one of COAT's four areas; texts are the municipality's."""

    class Area(models.TextChoices):
        CARE_TASKS = "care_tasks", _("Helping you to care")
        OWN_LIFE = "own_life", _("Making life better for you")
        CLOSE_PERSON = "close_person", _("Making life better for the person you care for")
        GOOD_HELP = "good_help", _("Getting good quality help and support")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="plan_items")
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    goal = models.TextField(_("goal"))
    actions = models.TextField(_("agreed actions"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    # Who marked the item done, and when (null for items done before this was kept).
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["area", "follow_up_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done=True) | Q(done_at__isnull=True, done_by__isnull=True),
                name="contacts_planitem_done_when_marked",
            ),
        ]


class RespiteGrant(TimeStampedModel):
    """Respite hours given to a carer (avlösning)."""

    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="respite_grants")
    given_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(240)]
    )
    provider = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="contacts_respite_positive_hours")]


class Referral(TimeStampedModel):
    """A referral of a carer to a partner; ``respite`` marks referrals to respite."""

    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, null=True, blank=True, related_name="referrals")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    referred_on = models.DateField(_("date"))
    respite = models.BooleanField(_("referral to respite"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-referred_on"]
