"""Carers (PRODUCT §3): the carer's record, identified as far as the documentation
policy allows."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel
from contacts.models.categories import (
    CareHours,
    ContactChannel,
    Gender,
    Occupation,
    Relation,
    TargetGroup,
    YesNoUnknown,
)

# The record's fields: who the carer is (identity) and what the follow-up counts
# (statistics). The carer form edits them, with the stödkontakt; the register extract
# shows them.
CARER_IDENTITY_FIELDS = ("first_name", "last_name", "email", "phone", "personnummer")
CARER_STATISTICS_FIELDS = (
    "birth_year",
    "gender",
    "language",
    "interpreter_needed",
    "relation",
    "target_group",
    "close_person_has_municipal_contact",
    "care_hours",
    "occupation",
    "under_18",
    "first_contact_channel",
)
CARER_FIELDS = (*CARER_IDENTITY_FIELDS, *CARER_STATISTICS_FIELDS, "support_contact")


class Carer(TimeStampedModel):
    """A carer known by the unit. Identity fields are filled only where the policy allows."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        NO_LONGER_NEEDED = "no_longer_needed", _("Support no longer needed")
        CARER_DECLINED = "carer_declined", _("The carer declined further support")
        MOVED = "moved", _("Moved away")
        REFERRED = "referred", _("Referred elsewhere")
        DECEASED = "deceased", _("The carer has died")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="carers")
    # A readable label for lists and talk logs that never shows a name ("A-2026-0042").
    number = models.PositiveIntegerField(_("number"))
    # Identity
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    personnummer = models.CharField(
        _("personnummer or samordningsnummer"), max_length=12, blank=True, help_text=_("12 digits, YYYYMMDDNNNN.")
    )
    # Statistics
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    # Empty until the carer is asked: "prefers not to say" is an answer, not a default.
    # The follow-up counts an empty gender with "prefers not to say" (rollups.carer_key).
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True, default="")
    language = models.CharField(_("language"), max_length=50, blank=True, default="svenska")
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    relation = models.CharField(_("relation to the närstående"), max_length=20, choices=Relation.choices, blank=True)
    target_group = models.CharField(
        _("the närstående's target group"), max_length=20, choices=TargetGroup.choices, blank=True
    )
    close_person_has_municipal_contact = models.CharField(
        _("the närstående has contact with municipal care or health care"),
        max_length=10,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    care_hours = models.CharField(
        _("care hours a week"), max_length=10, choices=CareHours.choices, default=CareHours.UNKNOWN
    )
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices, blank=True)
    under_18 = models.BooleanField(
        _("carer under 18"), default=False, help_text=_("Barn som anhöriga are handled and reported separately.")
    )
    first_contact_channel = models.CharField(
        _("first contact through"), max_length=20, choices=ContactChannel.choices, blank=True
    )
    support_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("support contact (stödkontakt)"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True)
    # Gallring: the record is culled a number of years after its last entry.
    last_entry_at = models.DateTimeField(_("last entry"), db_index=True)

    class Meta:
        verbose_name = _("carer")
        verbose_name_plural = _("carers")
        ordering = ["-last_entry_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="contacts_carer_unique_number_per_unit"),
            models.CheckConstraint(
                condition=Q(personnummer="") | Q(personnummer__regex=r"^[0-9]{12}$"),
                name="contacts_carer_personnummer_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True, close_reason="")
                | Q(status="closed", closed_on__isnull=False) & ~Q(close_reason=""),
                name="contacts_carer_closed_has_date_and_reason",
            ),
        ]
        indexes = [
            # The carer list: a unit's carers, newest activity first.
            models.Index(fields=["unit", "-last_entry_at"], name="contacts_carer_unit_recent_idx"),
            # The carer list filtered by status: closed records are the oldest, so reading all
            # carers newest first passes every open one before the first closed (a manager's
            # closed carers at a million talks 102 -> 1.4 ms); read within the status instead.
            models.Index(fields=["status", "-last_entry_at", "-id"], name="contacts_carer_status_idx"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"A-{self.number:05d}"

    @property
    def has_identity(self) -> bool:
        return bool(self.first_name or self.last_name or self.email or self.phone or self.personnummer)

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.label
