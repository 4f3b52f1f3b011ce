"""Activities, sessions, bookings, waitlists and attendance (PRODUCT §6).

The booking rules (capacity, waitlist order, promotion) live in groups/services/booking.py.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel
from contacts.models import Answer, TargetGroup


class ActivityKind(models.TextChoices):
    """Kinds of group activity (seed-004-notes §2)."""

    SUPPORT_GROUP = "support_group", _("Support group (closed talk group)")
    COURSE = "course", _("Education group / course")
    PSYCHOEDUCATION = "psychoeducation", _("Psychoeducational group")
    TREATMENT = "treatment", _("Group treatment / training programme")
    CAFE = "cafe", _("Carers' café / open meeting")
    LECTURE = "lecture", _("Lecture / theme or diagnosis meeting")
    STUDY_CIRCLE = "study_circle", _("Study circle / book circle")
    HEALTH = "health", _("Health-promoting activity")
    INFO_MEETING = "info_meeting", _("Information meeting")
    STAFF_TRAINING = "staff_training", _("Training for staff (carer perspective)")


class Purpose(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Exchange of knowledge")
    MASTERY = "mastery", _("Mastering the situation")
    EMOTIONAL = "emotional", _("Emotional support")
    RECOVERY = "recovery", _("Wellness and recovery")
    SOCIAL = "social", _("Social company")


class KasamDimension(models.TextChoices):
    COMPREHENSIBILITY = "comprehensibility", _("Comprehensibility")
    MANAGEABILITY = "manageability", _("Manageability")
    MEANINGFULNESS = "meaningfulness", _("Meaningfulness")


class PreventionLevel(models.TextChoices):
    UNIVERSAL = "universal", _("Universal")
    SELECTIVE = "selective", _("Selective")
    INDICATED = "indicated", _("Indicated")


class RegistrationMode(models.TextChoices):
    DROP_IN = "drop_in", _("Drop-in (no registration)")
    BOOKING = "booking", _("Booking (first come, first served, then a waitlist)")
    APPLICATION = "application", _("Application (the consultant composes the group)")


class Activity(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"))
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    # The kind of support gives the documentation tier and the follow-up area (contacts.policy).
    support_kind = models.ForeignKey(
        "contacts.SupportKind", on_delete=models.PROTECT, related_name="activities", verbose_name=_("kind of support")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    kasam_dimension = models.CharField(
        _("KASAM dimension it aims at"), max_length=20, choices=KasamDimension.choices, blank=True
    )
    prevention_level = models.CharField(_("prevention level"), max_length=20, choices=PreventionLevel.choices)
    language = models.CharField(_("language"), max_length=50, default="svenska")
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    sign_language = models.BooleanField(_("sign language interpreter"), default=False)
    easy_read = models.BooleanField(_("easy-to-read material"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    digital_link = models.URLField(_("digital link"), blank=True)
    co_organisers = models.ManyToManyField(
        "contacts.Partner", blank=True, related_name="activities", verbose_name=_("co-organisers")
    )
    registration_mode = models.CharField(_("registration"), max_length=20, choices=RegistrationMode.choices)
    capacity = models.PositiveSmallIntegerField(
        _("places"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    published = models.BooleanField(_("shown on the public calendar"), default=True)
    # The anonymous evaluation link handed out after the activity (/utvardering/<token>/).
    evaluation_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["title"]
        constraints = [
            # A bookable activity has a capacity; a drop-in has none to hold.
            models.CheckConstraint(
                condition=~Q(registration_mode="booking") | Q(capacity__isnull=False),
                name="groups_activity_booking_has_capacity",
            ),
            models.CheckConstraint(condition=~Q(place="", digital_link=""), name="groups_activity_has_place_or_link"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_digital(self) -> bool:
        return bool(self.digital_link)


class ActivityTargetGroup(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="target_groups")
    target_group = models.CharField(max_length=20, choices=TargetGroup.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "target_group"], name="groups_activity_target_unique")
        ]


class Session(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place, if not the activity's"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(_("why it is cancelled"), max_length=300, blank=True)
    # Drop-in sessions: how many came; booked sessions count attendance per booking.
    head_count = models.PositiveSmallIntegerField(_("head count"), null=True, blank=True)
    # Respite the consultant arranged for people taking part (avlösning during the session).
    respite_arranged = models.PositiveSmallIntegerField(_("respite arranged for"), default=0)
    # SoL 11 kap. 6 § for support given in groups without needs assessment (seed 004
    # L2116-2118): were the participants told they may apply for support for their own
    # part? Blank until someone answers; never pre-answered.
    informed_right_to_apply = models.CharField(
        _("participants informed about the right to apply for support (SoL 11 kap. 6 §)"),
        max_length=15,
        choices=Answer.choices,
        blank=True,
    )
    # Set when the data shredder has removed the personal data of its bookings.
    shredded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="groups_session_ends_after_start"),
        ]
        indexes = [
            # The public calendar (groups.selectors.calendar): scheduled sessions in the
            # calendar's order, read from the first upcoming one up to a page's worth, so a
            # page costs the same whatever the number of sessions. Also the follow-up's held
            # sessions of a period (status scheduled, a range of starts).
            models.Index(
                fields=["starts_at", "id"],
                condition=Q(status="scheduled"),
                name="groups_session_calendar_idx",
            ),
            # "Idag": a day's sessions of the user's units, held or cancelled.
            models.Index(fields=["starts_at"], name="groups_session_starts_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"


# The person key of a shredded booking or application (groups.services.shredder): unique
# per row, so the "one active booking per person and session" constraint keeps holding,
# and it says nothing about who it was. Here, below the shredder and the rollups, because
# both read it (groups.rollups.person_hash keeps a shredded key as it is).
SHREDDED_PREFIX = "shredded:"


class Booking(TimeStampedModel):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Waiting for e-mail confirmation")
        CONFIRMED = "confirmed", _("Booked")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.UNVERIFIED, Status.CONFIRMED, Status.WAITLISTED)

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    # Who: a name and an e-mail address or a phone number; the carer record or account if known.
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The key that makes "already booked" hold: the e-mail in lower case, or the phone digits.
    person_key = models.CharField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    # SET_NULL: when the carer's record is culled (gallring) the booking stays as a count.
    carer = models.ForeignKey(
        "contacts.Carer", on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings"
    )
    needs_respite = models.BooleanField(_("needs respite for the närstående during the session"), default=False)
    booked_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=10, default="sv")
    # Secret for the e-mailed confirm and cancel links.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # When the person took their place in the queue (a seat or the waitlist): the
    # waitlist is ordered by it, so a promotion does not change it.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["created_at", "id"]
        constraints = [
            # One active booking per person and session, whatever the race.
            models.UniqueConstraint(
                fields=["session", "person_key"],
                condition=Q(status__in=["unverified", "confirmed", "waitlisted"]),
                name="groups_booking_one_active_per_person",
            ),
            models.CheckConstraint(condition=~Q(person_key=""), name="groups_booking_identifies_the_person"),
        ]
        indexes = [
            # Capacity and waitlist: a session's bookings by status in arrival order.
            models.Index(fields=["session", "status", "created_at"], name="groups_booking_session_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.get_status_display()}"

    @property
    def reference(self) -> str:
        """The booking's reference for the person and staff ("3F9A-1C2E"): the start of
        its code, short enough to read out on the phone. Not a secret (the token is)."""
        return reference_of(self.code)


def reference_of(code: uuid.UUID) -> str:
    head = code.hex[:8].upper()
    return f"{head[:4]}-{head[4:]}"


def describe_bookings(codes: list[str]) -> dict[str, str]:
    """Loggkontroll's label of a booking (anhorigstod.extensions.add_record_describer)."""
    from django.utils.translation import gettext

    labels = {}
    for code in codes:
        try:
            labels[code] = gettext("Booking %(reference)s") % {"reference": reference_of(uuid.UUID(code))}
        except ValueError:
            continue
    return labels


class Application(TimeStampedModel):
    """Interest in an application-mode activity; the consultant admits people."""

    class Status(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        ADMITTED = "admitted", _("Admitted")
        NOT_ADMITTED = "not_admitted", _("Not admitted this time")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INTERESTED)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    person_key = models.CharField(max_length=254)
    carer = models.ForeignKey("contacts.Carer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["priority", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person_key"],
                condition=Q(status__in=["interested", "admitted"]),
                name="groups_application_one_active_per_person",
            )
        ]


class PriorityChange(models.Model):
    """Every manual change of an application's priority, with who, when and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="priority_changes")
    old_priority = models.PositiveSmallIntegerField()
    new_priority = models.PositiveSmallIntegerField()
    reason = models.TextField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at"]


class ContactRequest(TimeStampedModel):
    """ "Bli kontaktad": a carer asks the unit to get in touch (PRODUCT §6)."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="contact_requests")
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_channel = models.CharField(_("contact me by"), max_length=10, choices=Channel.choices)
    message = models.TextField(_("what would you like to talk about? (optional)"), blank=True, max_length=2000)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["handled_at", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(phone="", email=""), name="groups_contactrequest_reachable"),
        ]


class EvaluationResponse(models.Model):
    """An anonymous evaluation of an activity: no identity, only the answers and the month.

    Shown only in aggregate, with cells under 5 suppressed (PRODUCT §5).
    """

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="evaluations")
    # The month, not the moment: a timestamp could be matched against who attended when.
    month = models.DateField()
    useful = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    welcomed = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    understand_better = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    would_recommend = models.BooleanField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(useful__gte=1, useful__lte=5, welcomed__gte=1, welcomed__lte=5)
                & Q(understand_better__gte=1, understand_better__lte=5),
                name="groups_evaluation_scale_1_to_5",
            )
        ]
