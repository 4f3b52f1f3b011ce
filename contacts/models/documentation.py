"""The documentation policy's data (PRODUCT §2): the documentation tiers, the
municipality's kinds of support with every change of a kind's tier, and the nämnd's
exemption decisions. The rules themselves live in contacts/policy.py."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel
from anhorigstod.lib.storage import private_storage


class DocumentationTier(models.TextChoices):
    INFORMATION = "information", _("Information (counts only, not an insats)")
    OPEN_ACTIVITY = "open_activity", _("Open activity (head count, never personal data)")
    ADVICE = "advice", _("Advice (rådgivning: identity optional)")
    INSATS = "insats", _("Insats (annat stöd: identified and documented)")


class SupportKind(TimeStampedModel):
    """A kind of support a municipality offers, mapped to its documentation tier."""

    class Area(models.TextChoices):
        # Socialstyrelsen's follow-up areas for direct support (seed 004 L2993-3041).
        RESPITE = "respite", _("Respite (avlösning)")
        SUPPORT_TALKS = "support_talks", _("Support talks (stödsamtal)")
        EDUCATION = "education", _("Education and information")
        HEALTH = "health", _("Health-promoting activities")

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="support_kinds")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=120)
    tier = models.CharField(_("documentation tier"), max_length=20, choices=DocumentationTier.choices)
    area = models.CharField(_("follow-up area"), max_length=20, choices=Area.choices)
    # Whether consultants log individual talks under this kind (the talk form offers only these).
    for_talks = models.BooleanField(_("used for individual talks"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("kind of support")
        verbose_name_plural = _("kinds of support")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="contacts_supportkind_unique_code"),
            models.CheckConstraint(
                condition=Q(tier__in=DocumentationTier.values), name="contacts_supportkind_tier_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SupportKindTierChange(models.Model):
    """Every change of a kind's tier, with who, when and why (PRODUCT §2)."""

    support_kind = models.ForeignKey(SupportKind, on_delete=models.CASCADE, related_name="tier_changes")
    old_tier = models.CharField(max_length=20, choices=DocumentationTier.choices, blank=True)
    new_tier = models.CharField(max_length=20, choices=DocumentationTier.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-changed_at", "-id"]


class ExemptionDecision(TimeStampedModel):
    """The nämnd's decision that särskilda skäl exempt some kinds of support from
    documenting personal circumstances (SoL 2025:400; seed 004 L2085-2118)."""

    class Reason(models.TextChoices):
        ANONYMITY = "anonymity", _("Need for anonymity")
        LOW_THRESHOLD = "low_threshold", _("Low threshold to seek help")
        OPEN_ACTIVITY = "open_activity", _("Open activity")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="exemptions")
    board = models.CharField(_("nämnd"), max_length=150, help_text=_("For example Socialnämnden."))
    decided_on = models.DateField(_("decision date"))
    reference = models.CharField(
        _("reference"), max_length=80, help_text=_("Diarienummer and paragraph, for example SN 2025/114 § 52.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Leave empty if it has no end."))
    kinds = models.ManyToManyField(SupportKind, related_name="exemptions", verbose_name=_("kinds of support covered"))
    reason = models.CharField(_("reason (särskilda skäl)"), max_length=20, choices=Reason.choices)
    reason_text = models.TextField(_("reason in the decision's words"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The extract of the nämnd's minutes (protokollsutdrag), kept privately, downloaded
    # only by the municipality's managers and administrators.
    minutes = models.FileField(
        _("extract of the minutes"), storage=private_storage, upload_to="exemptions/", blank=True, max_length=200
    )
    # The end date the administrators were last reminded of: moving ``valid_to`` re-arms
    # the reminder, and a reminder is sent once per end date.
    expiry_reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("exemption decision")
        verbose_name_plural = _("exemption decisions")
        ordering = ["-valid_from", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="contacts_exemption_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__gte=F("decided_on")), name="contacts_exemption_valid_after_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board} {self.reference}"
