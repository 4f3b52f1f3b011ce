"""Reads for the staff pages, always scoped to the user's units (accounts.scoping):
activities and their sessions, the people booked, an activity's applications, and the
inbox of contact requests.

A booking, an application and a contact request name a person, so every one shown is
logged: a participant list or a list of applications in one query, one row per record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from anhorigstod.accounts.models import Unit, User
from anhorigstod.accounts.scoping import get_for_user_or_404, scope_to_user
from anhorigstod.audit.services import Action, access_log, access_log_many
from contacts.models import SupportKind
from groups.models import Activity, Application, Booking, ContactRequest, PriorityChange, Session
from groups.services import booking as booking_rules


def bookings_with_unit(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    """Bookings ready for ``access_log_many``: the unit they belong to, and their carer."""
    return queryset.select_related("carer").annotate(unit_id=F("session__activity__unit_id"))


def activity_list(*, user: User) -> QuerySet[Activity]:
    """The user's units' activities, each with its next session and that session's numbers."""
    now = timezone.now()
    upcoming = Session.objects.filter(
        activity=OuterRef("pk"), status=Session.Status.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at", "pk")
    next_session = upcoming.values("pk")[:1]

    def bookings_of_next(status: str) -> Coalesce:
        return Coalesce(
            Subquery(
                Booking.objects.filter(session_id=OuterRef("next_session_id"), status=status)
                .order_by()
                .values("session_id")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        )

    return (
        scope_to_user(Activity.objects.all(), user)
        .select_related("unit", "support_kind")
        .annotate(
            next_session_id=Subquery(next_session),
            next_session_at=Subquery(upcoming.values("starts_at")[:1]),
            next_session_code=Subquery(upcoming.values("code")[:1]),
            upcoming_count=Coalesce(
                Subquery(
                    upcoming.order_by().values("activity_id").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .annotate(
            next_booked=bookings_of_next(Booking.Status.CONFIRMED),
            next_waitlisted=bookings_of_next(Booking.Status.WAITLISTED),
        )
        # Activities with a coming session first, soonest first; then the rest by title.
        .order_by(F("next_session_at").asc(nulls_last=True), "title", "pk")
    )


def activity_get_for_user(*, user: User, code: UUID) -> Activity:
    return get_for_user_or_404(
        Activity.objects.select_related("unit__municipality", "support_kind", "created_by").prefetch_related(
            "target_groups", "co_organisers"
        ),
        user,
        code=code,
    )


def activity_sessions(*, activity: Activity) -> QuerySet[Session]:
    """An activity's sessions with their numbers, in one query."""
    return activity.sessions.annotate(
        booked=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED)),
        waitlisted=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
        attended=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED, bookings__attended=True)),
        no_shows=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED, bookings__attended=False)),
        needs_respite=Count("bookings", filter=Q(bookings__status__in=Booking.ACTIVE, bookings__needs_respite=True)),
    ).order_by("starts_at", "pk")


def activity_kinds_for_unit(*, unit: Unit, current: SupportKind | None = None) -> QuerySet[SupportKind]:
    """The kinds of support an activity of ``unit`` may count under (not the talk kinds)."""
    offered = Q(municipality_id=unit.municipality_id, active=True, for_talks=False)
    if current is not None:
        # An activity keeps its own kind selectable even if the kind has since been retired.
        offered |= Q(pk=current.pk)
    return SupportKind.objects.filter(offered).order_by("name")


def session_get_for_user(*, user: User, code: UUID) -> Session:
    return get_for_user_or_404(
        Session.objects.select_related("activity__unit__municipality", "activity__support_kind"),
        user,
        unit_field="activity__unit",
        code=code,
    )


def booking_get_for_user(*, user: User, code: UUID) -> Booking:
    return get_for_user_or_404(
        Booking.objects.select_related("session__activity__unit", "carer"),
        user,
        unit_field="session__activity__unit",
        code=code,
    )


def session_people_to_tell(*, session: Session) -> int:
    """How many are booked or waiting, and so told if the session is cancelled."""
    return session.bookings.filter(status__in=(Booking.Status.CONFIRMED, Booking.Status.WAITLISTED)).count()


@dataclass
class Participants:
    confirmed: list[Booking] = field(default_factory=list)
    # In the order the booking rules promote them, each with ``position`` set (1 = next).
    waitlist: list[Booking] = field(default_factory=list)
    unverified: list[Booking] = field(default_factory=list)
    cancelled_count: int = 0
    seats_taken: int = 0
    seats_left: int | None = None

    @property
    def attended(self) -> int:
        return sum(1 for booking in self.confirmed if booking.attended is True)

    @property
    def no_shows(self) -> int:
        return sum(1 for booking in self.confirmed if booking.attended is False)

    @property
    def unmarked(self) -> int:
        return sum(1 for booking in self.confirmed if booking.attended is None)

    @property
    def needs_respite(self) -> int:
        return sum(1 for booking in (*self.confirmed, *self.waitlist, *self.unverified) if booking.needs_respite)


def session_participants(*, session: Session, user: User, request: HttpRequest | None = None) -> Participants:
    """Who is booked, waiting and unconfirmed, in a fixed number of queries; the view is logged."""
    bookings = list(
        bookings_with_unit(session.bookings.all()).select_related("booked_by_staff").order_by("created_at", "pk")
    )
    result = Participants()
    by_pk = {booking.pk: booking for booking in bookings}
    for booking in bookings:
        if booking.status == Booking.Status.CONFIRMED:
            result.confirmed.append(booking)
        elif booking.status == Booking.Status.UNVERIFIED:
            result.unverified.append(booking)
        elif booking.status == Booking.Status.CANCELLED:
            result.cancelled_count += 1
    # The waitlist's order is the booking rules' own, not re-derived here.
    in_order = [by_pk.get(waiting.pk) for waiting in booking_rules.waitlist(session)]
    for position, booking in enumerate(
        (booking for booking in in_order if booking is not None and booking.status == Booking.Status.WAITLISTED),
        start=1,
    ):
        booking.position = position  # type: ignore[attr-defined]
        result.waitlist.append(booking)
    result.seats_taken = booking_rules.seats_taken(session)
    result.seats_left = booking_rules.seats_left(session)
    shown = [*result.confirmed, *result.waitlist, *result.unverified]
    access_log_many(actor=user, action=Action.VIEW, records=shown, request=request)
    return result


# --- Applications (application mode) ---------------------------------------------------------


def application_list(*, activity: Activity, user: User, request: HttpRequest | None = None) -> list[Application]:
    """An activity's applications in priority order; every one shown is logged."""
    applications: list[Application] = list(
        activity.applications.select_related("carer")
        .annotate(unit_id=F("activity__unit_id"))
        .order_by("priority", "created_at", "pk")
    )
    access_log_many(actor=user, action=Action.VIEW, records=applications, request=request)
    return applications


def priority_history(*, activity: Activity) -> QuerySet[PriorityChange]:
    return (
        PriorityChange.objects.filter(application__activity=activity)
        .select_related("application", "changed_by")
        .order_by("-changed_at", "-pk")
    )


# --- Contact requests (the inbox) ------------------------------------------------------------


def contact_request_list(*, user: User) -> QuerySet[ContactRequest]:
    """The requests of the user's units: open ones first, then the latest handled."""
    return (
        scope_to_user(ContactRequest.objects.all(), user)
        .select_related("unit", "handled_by")
        # Explicit NULL placement: PostgreSQL and SQLite disagree on where NULLs sort.
        .order_by(F("handled_at").desc(nulls_first=True), "-created_at", "-pk")
    )


def contact_requests_log_shown(*, user: User, contact_requests: list[ContactRequest], request: HttpRequest) -> None:
    """Log that a page of the inbox, with its names, was shown: one row per request."""
    # access_log_many names a record's person through its carer; a request is its own subject.
    with transaction.atomic():
        for contact_request in contact_requests:
            access_log(
                actor=user,
                action=Action.VIEW,
                record=contact_request,
                subject_code=str(contact_request.code),
                request=request,
                listed=True,
            )


def contact_request_get_for_user(*, user: User, code: UUID, request: HttpRequest | None = None) -> ContactRequest:
    """One request of the user's units (404 outside them); the read is logged."""
    contact_request = get_for_user_or_404(
        ContactRequest.objects.select_related("unit__municipality", "handled_by"), user, code=code
    )
    access_log(
        actor=user, action=Action.VIEW, record=contact_request, subject_code=str(contact_request.code), request=request
    )
    return contact_request
