"""The booking rules, in one place: capacity, the waitlist and its promotion.

Capacity holds because every change to a session's bookings first locks the session
row (``select_for_update`` inside ``atomic``), then counts, then writes — the pattern of
pretix's ``base/services/locking.py``. The partial unique constraint on Booking backs up
"one active booking per person and session" whatever happens.

E-mails go through the outbox, written in the same transaction as the booking, so a
booking is never lost when the broker or the mail server is down.

Every function here that changes a booking's or a session's status calls
``calendar_changed``: the public calendar shows the seats left and is cached.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import User
from anhorigstod.lib.phone import SWEDEN, phone_normalise, phone_written
from anhorigstod.outbox.services import outbox_enqueue
from contacts.models import Carer
from groups.models import Booking, RegistrationMode, Session
from groups.rollups import sessions_counted
from groups.services.calendar import calendar_changed


class AlreadyBooked(ValidationError):
    """The person already has an active booking of the session: ``booking`` (None when
    the database constraint caught a simultaneous request)."""

    def __init__(self, message: str, *, booking: Booking | None = None) -> None:
        super().__init__(message)
        self.booking = booking


def person_key(*, email: str = "", phone: str = "") -> str:
    """Who the booking is for, for "already booked": the e-mail in lower case, else the
    phone number normalised by anhorigstod.lib.phone, so "070-123 45 67",
    "+46 70 123 45 67" and "0046701234567" are the same person. A Swedish number keeps
    its national form ("tel:0701234567", as keys have always been written), any other
    its E.164 form. Raises ValidationError for a phone value that is not a number."""
    if email.strip():
        return email.strip().lower()
    return phone_key(phone_normalise(phone))


def phone_key(number: str) -> str:
    """The person key of an E.164 ``number`` ("" for none)."""
    if not number:
        return ""
    if number.startswith("+" + SWEDEN):
        return f"tel:0{number[1 + len(SWEDEN) :]}"
    return f"tel:{number}"


def _lock(session: Session) -> Session:
    # The test switch GROUPS_BOOKING_LOCK=False exists only so the concurrency test can
    # show that it catches the race (its negative control). Never switch it off otherwise.
    queryset = Session.objects.select_related("activity__unit__municipality")
    if getattr(settings, "GROUPS_BOOKING_LOCK", True):
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(pk=session.pk)


def seats_taken(session: Session) -> int:
    return session.bookings.filter(status=Booking.Status.CONFIRMED).count()


def seats_left(session: Session, *, taken: int | None = None) -> int | None:
    """Free seats, None when there is no limit. ``taken``: a confirmed count already
    annotated on a list of sessions, to spare a query per session."""
    capacity = session.activity.capacity
    if capacity is None:
        return None
    return max(capacity - (seats_taken(session) if taken is None else taken), 0)


def waitlist(session: Session) -> list[Booking]:
    return list(session.bookings.filter(status=Booking.Status.WAITLISTED).order_by("confirmed_at", "id"))


def check_bookable(session: Session, *, by_staff: bool = False) -> None:
    """Raise a ValidationError (in Swedish) when the session cannot be booked now.

    ``by_staff``: a closed group (application mode) is booked only by staff, when the
    consultant admits a person (groups.services.applications.application_admit).
    """
    mode = session.activity.registration_mode
    if mode != RegistrationMode.BOOKING and not (by_staff and mode == RegistrationMode.APPLICATION):
        raise ValidationError(_("This activity is not booked online."))
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session is cancelled and cannot be booked."))
    if session.starts_at <= timezone.now():
        raise ValidationError(_("This session has already started and cannot be booked."))


def has_free_seat(session: Session) -> bool:
    """Whether a booking made now gets a seat (else a place last on the waitlist)."""
    return session.activity.capacity is None or seats_taken(session) < session.activity.capacity


def _seat_or_waitlist(session: Session, booking: Booking) -> None:
    """Give the booking a seat if one is free, else a place last on the waitlist."""
    booking.status = Booking.Status.CONFIRMED if has_free_seat(session) else Booking.Status.WAITLISTED
    # The waitlist is ordered by the moment the person joined the queue.
    booking.confirmed_at = timezone.now()


def booking_create(
    *,
    session: Session,
    name: str,
    email: str = "",
    phone: str = "",
    user: User | None = None,
    carer: Carer | None = None,
    needs_respite: bool = False,
    booked_by_staff: User | None = None,
    verified: bool = False,
) -> Booking:
    """Book a seat, or a place on the waitlist.

    ``verified``: the person is known (signed in, or booked by staff on the phone) or
    has no e-mail to confirm (booking_create_by_phone), so the booking takes its place
    at once; otherwise it waits for the e-mailed link.
    """
    key = person_key(email=email, phone=phone)
    if not name.strip() or not key:
        raise ValidationError(_("Give your name and an e-mail address or a phone number."))
    if not verified and not email.strip():
        raise ValidationError(_("Give an e-mail address, or call us to book by phone."))
    try:
        with transaction.atomic():
            session = _lock(session)
            check_bookable(session, by_staff=booked_by_staff is not None)
            existing = session.bookings.filter(person_key=key, status__in=Booking.ACTIVE).first()
            if existing is not None:
                raise AlreadyBooked(_("You are already booked on this session."), booking=existing)
            booking = Booking(
                session=session,
                name=name.strip(),
                email=email.strip(),
                phone=phone_written(phone),
                person_key=key,
                user=user,
                carer=carer,
                needs_respite=needs_respite,
                booked_by_staff=booked_by_staff,
                status=Booking.Status.UNVERIFIED,
                # E-mails about this booking, also those sent later, use the booker's language.
                language=(get_language() or "sv")[:2],
            )
            if verified:
                _seat_or_waitlist(session, booking)
            booking.save()
            calendar_changed()
            _notify(booking, "booking_verify" if not verified else _status_template(booking))
    except IntegrityError as exc:
        # Two requests for the same person at the same moment: the constraint caught the second.
        raise AlreadyBooked(_("You are already booked on this session.")) from exc
    return booking


def booking_create_by_phone(*, session: Session, name: str, phone: str, needs_respite: bool = False) -> Booking:
    """A visitor who books with a phone number and no e-mail (PRODUCT §6).

    There is no address to send a confirmation link to, and the portal has no SMS
    channel, so the booking takes its seat or waitlist place at once; the result page
    shows its reference (``Booking.reference``), and staff reach the person on the number.
    """
    if not phone.strip():
        raise ValidationError(_("Give an e-mail address or a phone number."))
    return booking_create(session=session, name=name, phone=phone, needs_respite=needs_respite, verified=True)


def booking_tell_already_booked(*, booking: Booking) -> None:
    """Someone asked to book ``booking``'s session again with its address: tell the
    address, not the page (which looks as for a new booking), so nobody learns from the
    form who is booked. The e-mail says what the booking is and how to cancel it."""
    with transaction.atomic():
        _notify(booking, "booking_already")


def booking_resend_verification(*, booking: Booking) -> bool:
    """Send the confirmation link of an unconfirmed booking again; False when there is
    nothing to confirm (confirmed, waitlisted or cancelled meanwhile)."""
    with transaction.atomic():
        booking = Booking.objects.select_related("session__activity__unit").get(pk=booking.pk)
        if booking.status != Booking.Status.UNVERIFIED:
            return False
        _notify(booking, "booking_verify")
    return True


def booking_verify(*, token: Any) -> Booking:
    """The e-mailed link: the booking takes its seat or waitlist place now."""
    with transaction.atomic():
        booking = Booking.objects.select_related("session").filter(token=token).first()
        if booking is None:
            raise ValidationError(_("The link is not valid. Book again from the calendar."))
        session = _lock(booking.session)
        booking.refresh_from_db()
        if booking.status != Booking.Status.UNVERIFIED:
            return booking  # a second click changes nothing
        check_bookable(session)
        _seat_or_waitlist(session, booking)
        booking.save(update_fields=["status", "confirmed_at", "updated_at"])
        calendar_changed()
        _notify(booking, _status_template(booking))
    return booking


def booking_cancel(*, booking: Booking, by_staff: User | None = None, tell_the_person: bool = False) -> Booking:
    """Cancel a booking; a freed seat goes to the first on the waitlist, who is told.

    ``by_staff``: who cancelled on the person's behalf; the caller's access-log row records it.
    ``tell_the_person``: e-mail the person that the booking is cancelled (when it has an
    address). Staff cancelling on someone's behalf do; the person's own cancel link does
    not (the page they are on says it).
    """
    with transaction.atomic():
        session = _lock(booking.session)
        booking.refresh_from_db()
        if booking.status == Booking.Status.CANCELLED:
            return booking
        freed_a_seat = booking.status == Booking.Status.CONFIRMED
        held_a_place = booking.status != Booking.Status.UNVERIFIED
        booking.status, booking.cancelled_at = Booking.Status.CANCELLED, timezone.now()
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
        calendar_changed()
        if held_a_place and tell_the_person:
            # The person is told, also when staff cancelled for them; an unconfirmed
            # booking held nothing and its address was never proven, so it gets no mail.
            _notify(booking, "booking_cancelled")
        # A seat freed after the start is not offered: nobody can come by then.
        if freed_a_seat and session.status == Session.Status.SCHEDULED and session.starts_at > timezone.now():
            promote_from_waitlist(session=session)
    return booking


def promote_from_waitlist(*, session: Session) -> list[Booking]:
    """Fill free seats from the waitlist in order. Call with the session locked."""
    promoted = []
    capacity = session.activity.capacity
    while capacity is not None and seats_taken(session) < capacity:
        candidates = waitlist(session)
        if not candidates:
            break
        first = candidates[0]
        first.status = Booking.Status.CONFIRMED
        first.save(update_fields=["status", "updated_at"])
        calendar_changed()
        _notify(first, "booking_promoted")
        promoted.append(first)
    return promoted


def capacity_raised(*, session: Session) -> list[Booking]:
    """After an activity's capacity went up: fill the new seats of one session from its waitlist."""
    with transaction.atomic():
        return promote_from_waitlist(session=_lock(session))


def session_cancel(*, session: Session, reason: str) -> Session:
    """Cancel a session and tell everyone booked or waiting."""
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Say why the session is cancelled; the participants are told.")})
    with transaction.atomic():
        session = _lock(session)
        if session.status == Session.Status.CANCELLED:
            return session
        session.status, session.cancel_reason = Session.Status.CANCELLED, reason.strip()
        with sessions_counted([session.pk]):
            session.save(update_fields=["status", "cancel_reason", "updated_at"])
        calendar_changed()
        for booking in session.bookings.filter(status__in=Booking.ACTIVE):
            was_active = booking.status != Booking.Status.UNVERIFIED
            booking.status, booking.cancelled_at = Booking.Status.CANCELLED, timezone.now()
            booking.save(update_fields=["status", "cancelled_at", "updated_at"])
            if was_active:
                _notify(booking, "session_cancelled")
    return session


def _status_template(booking: Booking) -> str:
    return "booking_confirmed" if booking.status == Booking.Status.CONFIRMED else "booking_waitlisted"


def _notify(booking: Booking, template: str) -> None:
    """Queue the e-mail for this booking (none without an address)."""
    if not booking.email:
        return
    from groups.ics import session_ics  # the calendar file, attached to confirmations

    session = booking.session
    activity = session.activity
    context = {
        "name": booking.name,
        "activity_title": activity.title,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%H:%M"),
        "place": session.place or activity.place,
        "digital_link": activity.digital_link,
        "unit_name": activity.unit.name,
        "cancel_reason": session.cancel_reason,
        "status": booking.status,
        "verify_path": reverse("groups:booking_confirm", kwargs={"token": booking.token}),
        "cancel_path": reverse("groups:public_booking_cancel", kwargs={"token": booking.token}),
        "waitlist_position": waitlist_position(booking),
    }
    attachments = []
    if template in ("booking_confirmed", "booking_promoted"):
        attachments.append({"filename": "aktivitet.ics", "content": session_ics(session), "mimetype": "text/calendar"})
    outbox_enqueue(
        template=template, to=[booking.email], context=context, language=booking.language, attachments=attachments
    )


def with_waitlist_position(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    """``bookings`` annotated with ``waitlist_position`` (1 for the first in line, None when
    not waitlisted), in one query whatever the number of rows.

    The one rule for a place in the queue: the order of :func:`waitlist` (the moment the
    person joined the queue, ties broken by id); the e-mails, the result pages and "Mina
    sidor" all read it from here.
    """
    ahead = (
        Booking.objects.filter(session=OuterRef("session"), status=Booking.Status.WAITLISTED)
        .filter(
            Q(confirmed_at__lt=OuterRef("confirmed_at"))
            | Q(confirmed_at=OuterRef("confirmed_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return bookings.annotate(
        waitlist_position=Case(
            When(
                status=Booking.Status.WAITLISTED,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + Value(1),
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def waitlist_position(booking: Booking) -> int | None:
    """Where ``booking`` stands on its session's waitlist (1 = next), None if not on it."""
    if booking.status != Booking.Status.WAITLISTED or booking.pk is None:
        return None
    row = with_waitlist_position(Booking.objects.filter(pk=booking.pk)).first()
    return getattr(row, "waitlist_position", None)
