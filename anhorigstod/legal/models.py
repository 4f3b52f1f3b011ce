"""The municipality's privacy notice (GDPR art. 13), as its administrators write it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel


class PrivacyNotice(TimeStampedModel):
    """What a municipality tells carers about the personal data it processes.

    A municipality without a row, or with an empty ``text``, shows the default notice
    (``templates/legal/_privacy_default.html``), filled in from the fields below, the
    municipality's ``retention_years`` and the register of personal data. ``text`` is
    plain paragraphs, separated by an empty line; it is escaped when shown.
    """

    municipality = models.OneToOneField(
        "accounts.Municipality", on_delete=models.CASCADE, related_name="privacy_notice"
    )
    # GDPR art. 13.1 a: the controller is the nämnd responsible for social services.
    controller = models.CharField(
        _("controller (personuppgiftsansvarig)"),
        max_length=200,
        blank=True,
        help_text=_("The nämnd responsible for the carer support, for example “Socialnämnden i Ängsviks kommun”."),
    )
    controller_contact = models.CharField(
        _("how to reach the controller"),
        max_length=300,
        blank=True,
        help_text=_("Postal address, e-mail or phone of the nämnd or the municipality's registry (registrator)."),
    )
    # GDPR art. 13.1 b: the data protection officer's contact details.
    dpo_email = models.EmailField(_("e-mail of the data protection officer"), blank=True)
    dpo_phone = models.CharField(_("phone of the data protection officer"), max_length=40, blank=True)
    text = models.TextField(
        _("the municipality's own text"),
        blank=True,
        help_text=_(
            "Leave empty to publish the default text below. Plain text: separate paragraphs with an empty line."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}: {self.municipality}"

    @property
    def has_own_text(self) -> bool:
        return bool(self.text.strip())
