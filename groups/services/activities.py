"""Writes behind the staff pages: activities, sessions, attendance and head counts.

The booking rules themselves (capacity, waitlist, promotion, cancellation e-mails) live
in groups/services/booking.py; the functions here check the user's reach, call those
rules, and write an access-log row for every booking of a person they create or change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Unit, User
from anhorigstod.accounts.scoping import require_casework
from anhorigstod.audit.services import Action, access_log, access_log_many
from contacts import policy
from contacts.models import Carer, Partner, SupportKind, TargetGroup
from groups.models import Activity, ActivityTargetGroup, Booking, RegistrationMode, Session
from groups.rollups import sessions_counted, sessions_created
from groups.selectors.staff import bookings_with_unit
from groups.services import booking as booking_rules
from groups.services.calendar import calendar_changed

# The attributes of an activity a consultant sets (PRODUCT §6); the target groups and
# co-organisers are rows of their own and are passed alongside.
ACTIVITY_FIELDS = (
    "title",
    "description",
    "kind",
    "support_kind",
    "purpose",
    "kasam_dimension",
    "prevention_level",
    "language",
    "hearing_loop",
    "wheelchair_accessible",
    "sign_language",
    "easy_read",
    "place",
    "digital_link",
    "registration_mode",
    "capacity",
    "published",
)


# --- Activities -------------------------------------------------------------------------------


def _check_activity_references(
    *, unit: Unit, support_kind: SupportKind | None, co_organisers: Iterable[Partner], target_groups: Iterable[str]
) -> None:
    errors: dict[str, str] = {}
    if support_kind is not None and support_kind.municipality_id != unit.municipality_id:
        errors["support_kind"] = _("Choose a kind of support of the unit's municipality.")
    if any(partner.unit_id != unit.pk for partner in co_organisers):
        errors["co_organisers"] = _("Choose co-organisers among the unit's partners.")
    if not set(target_groups) <= set(TargetGroup.values):
        errors["target_groups"] = _("Choose target groups from the list.")
    if errors:
        raise ValidationError(errors)


def _set_target_groups(activity: Activity, target_groups: Collection[str]) -> None:
    wanted = set(target_groups)
    activity.target_groups.exclude(target_group__in=wanted).delete()
    present = set(activity.target_groups.values_list("target_group", flat=True))
    ActivityTargetGroup.objects.bulk_create(
        ActivityTargetGroup(activity=activity, target_group=group) for group in sorted(wanted - present)
    )


@transaction.atomic
def activity_create(*, created_by: User, unit: Unit, data: dict[str, Any]) -> Activity:
    """Create an activity with its target groups and co-organisers, all or nothing."""
    require_casework(created_by, unit.pk)
    co_organisers = list(data.get("co_organisers") or [])
    target_groups = list(data.get("target_groups") or [])
    activity = Activity(
        unit=unit, created_by=created_by, **{name: data[name] for name in ACTIVITY_FIELDS if name in data}
    )
    _check_activity_references(
        unit=unit, support_kind=data.get("support_kind"), co_organisers=co_organisers, target_groups=target_groups
    )
    activity.full_clean()
    activity.save()
    activity.co_organisers.set(co_organisers)
    _set_target_groups(activity, target_groups)
    # Its language and unit join the calendar's filters once it is published.
    calendar_changed()
    return activity


@transaction.atomic
def activity_update(*, updated_by: User, activity: Activity, data: dict[str, Any]) -> Activity:
    """Change an activity. More places fill at once from the waitlists of coming sessions."""
    require_casework(updated_by, activity.unit_id)
    activity = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    old_capacity, old_mode = activity.capacity, activity.registration_mode
    co_organisers = list(data.get("co_organisers") or [])
    target_groups = list(data.get("target_groups") or [])
    _check_activity_references(
        unit=activity.unit,
        support_kind=data.get("support_kind"),
        co_organisers=co_organisers,
        target_groups=target_groups,
    )
    for name in ACTIVITY_FIELDS:
        if name in data:
            setattr(activity, name, data[name])
    upcoming = activity.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=timezone.now())
    if (
        old_mode == RegistrationMode.BOOKING
        and activity.registration_mode != RegistrationMode.BOOKING
        and Booking.objects.filter(session__in=upcoming, status__in=Booking.ACTIVE).exists()
    ):
        # The people booked would be left holding seats nobody keeps.
        raise ValidationError(
            {
                "registration_mode": _(
                    "Coming sessions have bookings. Keep booking, or cancel those sessions or bookings first."
                )
            }
        )
    activity.full_clean()
    # A new kind of support may move every session to another follow-up area.
    with sessions_counted(list(activity.sessions.values_list("pk", flat=True))):
        activity.save()
    activity.co_organisers.set(co_organisers)
    _set_target_groups(activity, target_groups)
    calendar_changed()
    if activity.registration_mode == RegistrationMode.BOOKING and (activity.capacity or 0) > (old_capacity or 0):
        for session in upcoming.filter(bookings__status=Booking.Status.WAITLISTED).distinct():
            booking_rules.capacity_raised(session=session)
    return activity


# --- Sessions ---------------------------------------------------------------------------------


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    # Each date is made aware on its own, so a weekly series keeps its local time across
    # the change to and from summer time.
    return timezone.make_aware(dt.datetime.combine(day, time))


@transaction.atomic
def session_series_create(
    *,
    activity: Activity,
    created_by: User,
    date: dt.date,
    starts: dt.time,
    ends: dt.time,
    weeks: int = 1,
    place: str = "",
) -> list[Session]:
    """One session, or ``weeks`` sessions a week apart at the same local time."""
    require_casework(created_by, activity.unit_id)
    if not 1 <= weeks <= 52:
        raise ValidationError({"weeks": _("Give between 1 and 52 weeks.")})
    if _at(date, starts) <= timezone.now():
        raise ValidationError({"starts": _("The start time has passed. Give a later time.")})
    sessions = []
    for week in range(weeks):
        day = date + dt.timedelta(weeks=week)
        session = Session(activity=activity, starts_at=_at(day, starts), ends_at=_at(day, ends), place=place.strip())
        try:
            session.full_clean()
        except ValidationError as error:
            # The form's names for the model's fields, so the message lands next to the field.
            names = {"starts_at": "starts", "ends_at": "ends"}
            raise ValidationError(
                {names.get(field, field): messages for field, messages in error.message_dict.items()}
            ) from error
        sessions.append(session)
    for session in sessions:
        session.save()
    sessions_created([session.pk for session in sessions])
    calendar_changed()
    return sessions


def _require_not_cancelled(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("The session is cancelled."))


def _require_day_has_come(session: Session, message: str) -> None:
    if timezone.localtime(session.starts_at).date() > timezone.localdate():
        raise ValidationError(message)


@transaction.atomic
def session_record_attendance(
    *,
    session: Session,
    recorded_by: User,
    present: Collection[str],
    shown: Collection[str],
    request: HttpRequest | None = None,
) -> tuple[int, int]:
    """Mark the booked people on the page as attended or not; returns (came, did not come).

    ``shown`` are the bookings that were listed when the form was filled in: only they
    are marked, so someone who got a seat in the meantime is not counted as a no-show.
    """
    require_casework(recorded_by, session.activity.unit_id)
    _require_not_cancelled(session)
    _require_day_has_come(session, _("Attendance can be marked from the day of the session."))
    shown_codes = {str(code) for code in shown}
    present_codes = {str(code) for code in present} & shown_codes
    bookings = list(bookings_with_unit(session.bookings.filter(status=Booking.Status.CONFIRMED, code__in=shown_codes)))
    changed = [booking for booking in bookings if booking.attended != (str(booking.code) in present_codes)]
    now = timezone.now()
    came = [booking.pk for booking in changed if str(booking.code) in present_codes]
    missed = [booking.pk for booking in changed if str(booking.code) not in present_codes]
    with sessions_counted([session.pk]):
        if came:
            Booking.objects.filter(pk__in=came).update(attended=True, updated_at=now)
        if missed:
            Booking.objects.filter(pk__in=missed).update(attended=False, updated_at=now)
    access_log_many(actor=recorded_by, action=Action.UPDATE, records=changed, request=request)
    attended = sum(1 for booking in bookings if str(booking.code) in present_codes)
    return attended, len(bookings) - attended


@transaction.atomic
def session_record_counts(
    *,
    session: Session,
    recorded_by: User,
    respite_arranged: int,
    head_count: int | None = None,
    informed_right_to_apply: str | None = None,
) -> Session:
    """The numbers of a session: how many came to a drop-in, and for how many respite was arranged."""
    require_casework(recorded_by, session.activity.unit_id)
    _require_not_cancelled(session)
    session = Session.objects.select_for_update(of=("self",)).select_related("activity").get(pk=session.pk)
    if head_count is not None:
        if session.activity.registration_mode != RegistrationMode.DROP_IN:
            raise ValidationError({"head_count": _("A booked session counts attendance per booking instead.")})
        if timezone.localtime(session.starts_at).date() > timezone.localdate():
            raise ValidationError({"head_count": _("The head count can be recorded from the day of the session.")})
        session.head_count = head_count
    session.respite_arranged = respite_arranged
    if informed_right_to_apply is not None:
        session.informed_right_to_apply = informed_right_to_apply
    session.full_clean()
    with sessions_counted([session.pk]):
        session.save(update_fields=["head_count", "respite_arranged", "informed_right_to_apply", "updated_at"])
    return session


@transaction.atomic
def staff_session_cancel(
    *, session: Session, cancelled_by: User, reason: str, request: HttpRequest | None = None
) -> Session:
    """Cancel a session; groups.services.booking cancels its bookings and tells everyone booked."""
    require_casework(cancelled_by, session.activity.unit_id)
    if session.ends_at <= timezone.now():
        raise ValidationError({"cancel_reason": _("The session has already taken place.")})
    affected = list(bookings_with_unit(session.bookings.filter(status__in=Booking.ACTIVE)))
    session = booking_rules.session_cancel(session=session, reason=reason)
    access_log_many(actor=cancelled_by, action=Action.UPDATE, records=affected, request=request)
    return session


# --- Bookings made or cancelled by staff ------------------------------------------------------


@transaction.atomic
def staff_booking_create(
    *,
    session: Session,
    booked_by: User,
    name: str,
    email: str = "",
    phone: str = "",
    carer: Carer | None = None,
    needs_respite: bool = False,
    request: HttpRequest | None = None,
) -> Booking:
    """Book someone who called: the seat or waitlist place is theirs at once (verified)."""
    activity = session.activity
    require_casework(booked_by, activity.unit_id)
    if carer is not None:
        if carer.unit_id != activity.unit_id:
            raise ValidationError({"carer_number": _("No open record of the unit has this number.")})
        rule = policy.documentation_rule(kind=activity.support_kind, on=timezone.localdate())
        if rule.anonymous_only:
            # Open activities and information record that they took place, never who came.
            raise ValidationError({"carer_number": _("This kind of support is never linked to a carer's record.")})
    try:
        booking = booking_rules.booking_create(
            session=session,
            name=name,
            email=email,
            phone=phone,
            carer=carer,
            needs_respite=needs_respite,
            booked_by_staff=booked_by,
            verified=True,
        )
    except booking_rules.AlreadyBooked as error:
        raise ValidationError(
            _("This person is already booked on this session (the same e-mail address or phone number).")
        ) from error
    access_log(
        actor=booked_by,
        action=Action.CREATE,
        record=booking,
        unit=activity.unit,
        subject_code=str(carer.code) if carer is not None else "",
        request=request,
    )
    return booking


@transaction.atomic
def staff_booking_cancel(*, booking: Booking, cancelled_by: User, request: HttpRequest | None = None) -> Booking:
    """Cancel a booking for the person; a freed seat goes to the waitlist (groups.services.booking)."""
    session = booking.session
    require_casework(cancelled_by, session.activity.unit_id)
    if booking.status == Booking.Status.CANCELLED:
        return booking
    if session.starts_at <= timezone.now():
        # Promoting someone from the waitlist to a session under way would only confuse them.
        raise ValidationError(_("The session has started. Mark attendance instead."))
    booking = booking_rules.booking_cancel(booking=booking, by_staff=cancelled_by, tell_the_person=True)
    access_log(
        actor=cancelled_by,
        action=Action.UPDATE,
        record=booking,
        unit=session.activity.unit,
        subject_code=str(booking.carer.code) if booking.carer is not None else "",
        request=request,
    )
    return booking
