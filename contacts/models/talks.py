"""Individual talks (PRODUCT §4): the talk with its focus, and the talk form's draft."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel
from contacts.models.carers import Carer
from contacts.models.categories import (
    AgeBand,
    Answer,
    Gender,
    Initiator,
    TalkFocus,
    TalkMode,
    TalkType,
    TargetGroup,
    TimeOfDay,
)
from contacts.models.documentation import ExemptionDecision, SupportKind
from contacts.models.partners import Partner


class Talk(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="talks")
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talks")
    support_kind = models.ForeignKey(SupportKind, on_delete=models.PROTECT, related_name="talks")
    # Null for an anonymous talk; the documentation policy decides which it may be.
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, null=True, blank=True, related_name="talks")
    exemption = models.ForeignKey(
        ExemptionDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="talks"
    )
    started_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    mode = models.CharField(_("mode"), max_length=10, choices=TalkMode.choices)
    talk_type = models.CharField(_("talk type"), max_length=20, choices=TalkType.choices)
    initiator = models.CharField(_("initiated by"), max_length=20, choices=Initiator.choices)
    structured_material = models.CharField(_("structured material"), max_length=100, blank=True)
    time_of_day = models.CharField(_("time of day"), max_length=10, choices=TimeOfDay.choices, editable=False)
    # SoL 11 kap. 6 §: support given without needs assessment obliges us to tell the
    # carer they may apply for support for their own part.
    informed_right_to_apply = models.CharField(
        _("informed about the right to apply for support (SoL 11 kap. 6 §)"), max_length=15, choices=Answer.choices
    )
    asked_about_children = models.CharField(
        _("asked about children in the carer's network"), max_length=15, choices=Answer.choices
    )
    referral_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="talk_referrals"
    )
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    # The follow-up was done: by whom and when ("Idag" and the workload list the others).
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    follow_up_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Free text: only where the policy allows notes, never on an anonymous talk.
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    bring_up_next_time = models.CharField(_("to bring up next time"), max_length=500, blank=True)
    # Statistical attributes, copied from the carer or given for an anonymous talk, so
    # the follow-up counts every talk the same way.
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, default=Gender.UNDISCLOSED)
    target_group = models.CharField(
        _("the närstående's target group"), max_length=20, choices=TargetGroup.choices, blank=True
    )

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["-started_at", "-id"]
        constraints = [
            # An anonymous talk holds no carer and no free text, made under an exemption or not.
            models.CheckConstraint(
                condition=Q(carer__isnull=False) | (Q(next_step="") & Q(bring_up_next_time="")),
                name="contacts_talk_anonymous_holds_no_notes",
            ),
            models.CheckConstraint(
                condition=Q(exemption__isnull=True) | Q(carer__isnull=True),
                name="contacts_talk_exempted_is_anonymous",
            ),
            models.CheckConstraint(condition=Q(time_of_day__in=TimeOfDay.values), name="contacts_talk_time_of_day_set"),
            models.CheckConstraint(
                condition=Q(follow_up_done_at__isnull=True, follow_up_done_by__isnull=True)
                | Q(follow_up_on__isnull=False, follow_up_done_at__isnull=False),
                name="contacts_talk_follow_up_done_has_date",
            ),
        ]
        indexes = [
            # The talk list and the dashboard: a unit's talks over a period.
            models.Index(fields=["unit", "-started_at"], name="contacts_talk_unit_started_idx"),
            # A consultant's own talks (workload).
            models.Index(fields=["consultant", "-started_at"], name="contacts_talk_consultant_idx"),
            # The talk list of a manager's several units, newest first: read from the newest
            # end until a page of the user's units is found, instead of sorting all of a
            # municipality's talks (72 -> 3 ms for 160,000 talks at a million nationally).
            models.Index(fields=["-started_at", "-id"], name="contacts_talk_recent_idx"),
            # The talk list filtered by talk type, initiator or target group: a rare value
            # (mediation, a target group of 1 %) is found among the unit's talks directly,
            # where reading newest first would pass most of the municipality (164 -> 15 ms).
            models.Index(fields=["unit", "talk_type", "-started_at"], name="contacts_talk_unit_type_idx"),
            models.Index(fields=["unit", "initiator", "-started_at"], name="contacts_talk_unit_init_idx"),
            models.Index(fields=["unit", "target_group", "-started_at"], name="contacts_talk_unit_target_idx"),
            # The talk list's "anonymous" filter, newest first: a quarter of the talks, read
            # without passing the identified ones (a manager's page 5 at 1M talks 68 -> 8 ms).
            models.Index(
                fields=["-started_at", "-id"], condition=Q(carer__isnull=True), name="contacts_talk_anonymous_idx"
            ),
            # "Idag" and the workload: a consultant's follow-ups not yet done, by date. Few
            # talks have one, so the index is small and the overdue ones are found directly.
            models.Index(
                fields=["consultant", "follow_up_on"],
                condition=Q(follow_up_on__isnull=False, follow_up_done_at__isnull=True),
                name="contacts_talk_followup_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_talk_type_display()}"

    @property
    def is_anonymous(self) -> bool:
        return self.carer_id is None


class TalkFocusEntry(models.Model):
    """One focus of a talk; several may apply."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="focus_entries")
    focus = models.CharField(max_length=20, choices=TalkFocus.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["talk", "focus"], name="contacts_talkfocus_unique")]
        indexes = [
            # The talk list filtered by a focus: the talks with that focus, found directly
            # rather than by walking the talks until a page is full (a rare focus).
            models.Index(fields=["focus", "talk"], name="contacts_talkfocus_focus_idx"),
        ]


class TalkDraft(models.Model):
    """What a consultant has typed into the talk form, saved as they type, so a session
    timeout loses nothing. One draft per consultant and form; deleted when the talk is saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)  # "new" or the carer's code
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="contacts_talkdraft_one_per_form")]
