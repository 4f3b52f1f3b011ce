"""The carers' public pages (PRODUCT §6): the calendar, an activity, booking, the
e-mailed confirm and cancel links, and a unit's iCal feed. No sign-in needed.

The calendar is cached (see :func:`calendar`); the pages of one activity or session are
not, as they show what the signed-in visitor has booked and a form to book.

The booking rules (capacity, waitlist, who may book what) live in
groups.services.booking; these views only ask it and say what happened. A name or an
e-mail address never goes into a URL: results are addressed by the booking's ``code``,
the e-mailed links by its ``token``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anhorigstod.accounts.models import Unit
from anhorigstod.lib.ratelimit import limit_message, over_limit
from groups.filters import SessionFilter
from groups.forms.public import BookingForm, OneClickBookingForm
from groups.ics import unit_feed_ics
from groups.models import Activity, Booking, RegistrationMode, Session
from groups.selectors.calendar import (
    FilterChoices,
    calendar_filter_choices,
    calendar_horizon,
    calendar_page,
    upcoming_sessions,
)
from groups.services.booking import (
    AlreadyBooked,
    booking_cancel,
    booking_create,
    booking_create_by_phone,
    booking_resend_verification,
    booking_tell_already_booked,
    booking_verify,
    check_bookable,
    has_free_seat,
    person_key,
    seats_left,
    waitlist,
    waitlist_position,
)
from groups.services.calendar import calendar_version

# The bookings this browser made or opened a link for: the result page shows only these.
REMEMBERED_BOOKINGS = "groups_public_bookings"
# Stand-in result codes of "already booked" attempts by someone else (see _looks_like_a_new_booking).
ALREADY_BOOKED_NOTICES = "groups_public_already_booked"


# --------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------


def _with_confirmed_count(sessions: QuerySet[Session]) -> QuerySet[Session]:
    # One query for every row's seats instead of one count per session.
    return sessions.annotate(confirmed_count=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED)))


@dataclass(frozen=True)
class Availability:
    """What a carer sees about a session's places. ``state`` picks the styling."""

    state: str  # places | full | drop_in | application | cancelled | closed
    label: str
    bookable: bool


def _seats_left(session: Session) -> int | None:
    return seats_left(session, taken=getattr(session, "confirmed_count", None))


def availability(session: Session) -> Availability:
    activity = session.activity
    if session.status == Session.Status.CANCELLED:
        return Availability("cancelled", _("Cancelled"), bookable=False)
    if activity.registration_mode == RegistrationMode.DROP_IN:
        return Availability("drop_in", _("Drop-in, no registration"), bookable=False)
    if activity.registration_mode == RegistrationMode.APPLICATION:
        return Availability("application", _("Register interest"), bookable=False)
    if session.starts_at <= timezone.now():
        return Availability("closed", _("Booking closed"), bookable=False)
    left = _seats_left(session)
    if left is None or left > 0:
        label = (
            _("Places available")
            if left is None
            else ngettext("%(count)s place left", "%(count)s places left", left) % {"count": left}
        )
        return Availability("places", label, bookable=True)
    return Availability("full", _("Full – waitlist"), bookable=True)


def _contact(unit: Unit) -> dict[str, str]:
    """How to reach the unit: its own phone and e-mail, else the municipality's."""
    municipality = unit.municipality
    return {
        "contact_phone": unit.public_phone or municipality.public_phone,
        "contact_email": unit.public_email or municipality.public_email,
    }


def _bookable_problem(session: Session) -> str:
    """Why the session cannot be booked online now, or "" (groups.services.booking decides)."""
    try:
        check_bookable(session)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _remember(request: HttpRequest, booking: Booking) -> None:
    codes = [code for code in request.session.get(REMEMBERED_BOOKINGS, []) if code != str(booking.code)]
    request.session[REMEMBERED_BOOKINGS] = [*codes, str(booking.code)][-20:]


# --------------------------------------------------------------------------
# Calendar and activity
# --------------------------------------------------------------------------


# A cached calendar page lives at most this long: the time in which a write that forgot
# to call groups.services.calendar.calendar_changed is seen.
CALENDAR_CACHE_SECONDS = 300
CALENDAR_CACHE_PREFIX = "groups:calendar"
# The calendar's filters (groups.filters.SessionFilter), in the order of its query strings.
CALENDAR_PARAMS = ("kind", "target_group", "date_from", "date_to", "format", "language", "unit")
PAGE_PARAM = "sida"


@require_http_methods(["GET", "HEAD"])
def calendar(request: HttpRequest) -> HttpResponse:
    """The calendar of upcoming sessions, with its filters.

    Everything below the header is the same for every visitor, so it is cached as HTML
    per version (groups.services.calendar), language, filters and page: rendered without
    the request, nothing of a visitor's can get into it. The header (signed in or not,
    the language switch and its CSRF token) is rendered for each request. A page expires
    when its first session starts, so a cached page never offers a session that has
    begun. Only valid filters and an existing page number are stored: any other query
    string is answered, uncached.
    """
    version = calendar_version()
    choices_key = f"{CALENDAR_CACHE_PREFIX}:{version}:choices"
    choices = cache.get(choices_key)
    if choices is None:
        choices = calendar_filter_choices()
        cache.set(choices_key, choices, CALENDAR_CACHE_SECONDS)
    # Only the filters' own parameters count: others neither filter nor make another page.
    params = {name: request.GET[name] for name in CALENDAR_PARAMS if request.GET.get(name)}
    query = urlencode(params)
    page_number = request.GET.get(PAGE_PARAM, "1")
    request_key = f"{get_language()}?{query}&{PAGE_PARAM}={page_number}"
    key = f"{CALENDAR_CACHE_PREFIX}:{version}:{hashlib.sha256(request_key.encode()).hexdigest()}"
    content = cache.get(key)
    if content is None:
        content, seconds = _calendar_content(choices, params, query, page_number)
        if seconds:
            cache.set(key, content, seconds)
    return render(request, "groups/public/calendar.html", {"calendar": mark_safe(content)})  # noqa: S308


def _calendar_content(choices: FilterChoices, params: dict[str, str], query: str, page_number: str) -> tuple[str, int]:
    """The calendar below the header, and how many seconds it may be cached (0: not)."""
    data = QueryDict(mutable=True)
    data.update(params)
    filters = SessionFilter(data, choices=choices, queryset=Session.objects.none())
    valid = filters.form.is_valid()
    cleaned = filters.form.cleaned_data
    now = timezone.now()
    until = calendar_horizon(now=now, date_from=cleaned.get("date_from"), date_to=cleaned.get("date_to"))
    # Invalid filters are left out (the form says why), as django-filter does.
    listed = calendar_page(filters.filter_queryset(upcoming_sessions(now=now, until=until)), number=page_number)
    page = listed.page
    for session in page:
        session.availability = availability(session)  # type: ignore[attr-defined]
    context = {
        "filter": filters,
        "page": page,
        "query": query,
        "filtered": bool(params),
        "horizon": until is not None,
    }
    content = render_to_string("groups/public/_calendar.html", context)
    seconds = CALENDAR_CACHE_SECONDS if valid and page_number == str(page.number) else 0
    if seconds and listed.first_start is not None:
        seconds = min(seconds, max(1, math.ceil((listed.first_start - now).total_seconds())))
    return content, seconds


@require_http_methods(["GET", "HEAD"])
def activity_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    activity = get_object_or_404(
        Activity.objects.filter(published=True)
        .select_related("unit__municipality")
        .prefetch_related("co_organisers", "target_groups"),
        code=code,
    )
    sessions = list(
        _with_confirmed_count(activity.sessions.filter(starts_at__gt=timezone.now())).order_by("starts_at", "pk")
    )
    booked: set[int] = set()
    user = request.user
    if user.is_authenticated and sessions:
        key = person_key(email=getattr(user, "email", ""))
        booked = set(
            Booking.objects.filter(session__in=sessions, status__in=Booking.ACTIVE)
            .filter(Q(user=user) | Q(person_key=key))
            .values_list("session_id", flat=True)
        )
    for session in sessions:
        session.availability = availability(session)  # type: ignore[attr-defined]
        session.already_booked = session.pk in booked  # type: ignore[attr-defined]
    context = {
        "activity": activity,
        "sessions": sessions,
        "target_groups": [row.get_target_group_display() for row in activity.target_groups.all()],
        "signed_in": user.is_authenticated,
        **_contact(activity.unit),
    }
    return render(request, "groups/public/activity_detail.html", context)


# --------------------------------------------------------------------------
# Booking
# --------------------------------------------------------------------------


def _public_session(code: UUID) -> Session:
    return get_object_or_404(
        Session.objects.filter(activity__published=True).select_related("activity__unit__municipality"), code=code
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def session_book(request: HttpRequest, code: UUID) -> HttpResponse:
    session = _public_session(code)
    contact = _contact(session.activity.unit)
    signed_in = request.user.is_authenticated
    problem = _bookable_problem(session)
    form: BookingForm | OneClickBookingForm | None = None
    if not problem:
        data = request.POST if request.method == "POST" else None
        form = OneClickBookingForm(data) if signed_in else BookingForm(data, contact_phone=contact["contact_phone"])
    status = 200
    if request.method == "POST" and form is not None and form.is_valid():
        email = str(form.cleaned_data.get("email") or getattr(request.user, "email", "") or "")
        # Per person: the e-mail address, or the phone number of a booking without one.
        if over_limit(request, form="booking", email=email or form.cleaned_data.get("phone", "")):
            # Nothing is booked and no e-mail goes out; the form keeps what was typed.
            form.add_error(None, limit_message())
            status = 429
        else:
            try:
                booking = _book(request, session, form.cleaned_data)
            except AlreadyBooked as exc:
                if signed_in or exc.booking is None or _remembered(request, exc.booking):
                    # Signed in, or this browser made the booking: saying so reveals nothing.
                    form.add_error(None, _("You are already booked on this session."))
                else:
                    return _looks_like_a_new_booking(request, exc.booking, form.cleaned_data)
            except ValidationError as exc:
                # The session may have been cancelled or started since the form was shown.
                session = _public_session(code)
                problem = _bookable_problem(session)
                if problem:
                    form = None
                else:
                    for message in exc.messages:
                        form.add_error(None, message)
            else:
                _remember(request, booking)
                return redirect("groups:booking_result", code=booking.code)
    context = {
        "session": session,
        "activity": session.activity,
        "availability": availability(session),
        "problem": problem,
        "form": form,
        "signed_in": signed_in,
        **contact,
    }
    return render(request, "groups/public/session_book.html", context, status=status)


def _remembered(request: HttpRequest, booking: Booking) -> bool:
    return str(booking.code) in request.session.get(REMEMBERED_BOOKINGS, [])


def _looks_like_a_new_booking(request: HttpRequest, existing: Booking, data: dict[str, Any]) -> HttpResponse:
    """ "Already booked", to someone who did not book from this browser, looks as a new
    booking waiting for its e-mail link: the e-mail to the address says what happened."""
    booking_tell_already_booked(booking=existing)
    stand_in = uuid4()
    notices = dict(request.session.get(ALREADY_BOOKED_NOTICES, {}))
    notices[str(stand_in)] = {
        "session": str(existing.session.code),
        "booking": str(existing.code),
        "needs_respite": bool(data["needs_respite"]),
        # Without an e-mail address a new booking takes its place at once: the stand-in
        # shows what a new one would have got now, with its own reference.
        "by_phone": not data.get("email"),
    }
    request.session[ALREADY_BOOKED_NOTICES] = dict(list(notices.items())[-20:])
    return redirect("groups:booking_result", code=stand_in)


def _book(request: HttpRequest, session: Session, data: dict[str, Any]) -> Booking:
    user = request.user
    if user.is_authenticated:
        # Signed in: the account is the verification, so the booking takes its place at once.
        email = getattr(user, "email", "")
        return booking_create(
            session=session,
            name=getattr(user, "full_name", "") or email,
            email=email,
            user=user,
            needs_respite=data["needs_respite"],
            verified=True,
        )
    if not data["email"]:
        # No address to confirm: the booking takes its place at once (PRODUCT §6).
        return booking_create_by_phone(
            session=session, name=data["name"], phone=data["phone"], needs_respite=data["needs_respite"]
        )
    return booking_create(
        session=session,
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        needs_respite=data["needs_respite"],
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def booking_result(request: HttpRequest, code: UUID) -> HttpResponse:
    # Only the browser that booked (or opened the e-mailed link) sees the result.
    notice = request.session.get(ALREADY_BOOKED_NOTICES, {}).get(str(code))
    waitlist_number = None
    if notice is not None:
        # The page of a new booking waiting for its e-mail link (see _looks_like_a_new_booking).
        session = _public_session(notice["session"])
        booking = Booking(
            code=code, session=session, status=Booking.Status.UNVERIFIED, needs_respite=notice["needs_respite"]
        )
        if notice.get("by_phone"):
            # As a new booking would be placed (groups.services.booking), so the page gives nothing away.
            booking.status = Booking.Status.CONFIRMED if has_free_seat(session) else Booking.Status.WAITLISTED
            if booking.status == Booking.Status.WAITLISTED:
                waitlist_number = len(waitlist(session)) + 1
    elif str(code) not in request.session.get(REMEMBERED_BOOKINGS, []):
        raise Http404
    else:
        booking = get_object_or_404(Booking.objects.select_related("session__activity__unit__municipality"), code=code)
        waitlist_number = waitlist_position(booking)
    context = {
        "booking": booking,
        "result_code": code,
        "session": booking.session,
        "activity": booking.session.activity,
        "waitlist_number": waitlist_number,
        **_contact(booking.session.activity.unit),
    }
    return render(request, "groups/public/booking_result.html", context)


@never_cache
@require_POST
def booking_resend(request: HttpRequest, code: UUID) -> HttpResponse:
    """ "Send the e-mail again" on the result page of a booking waiting for its link. The
    stand-in page of "already booked" has the same button: it sends that notice again."""
    notice = request.session.get(ALREADY_BOOKED_NOTICES, {}).get(str(code))
    if notice is not None:
        booking = Booking.objects.filter(code=notice["booking"], status__in=Booking.ACTIVE).first()
    elif str(code) in request.session.get(REMEMBERED_BOOKINGS, []):
        booking = get_object_or_404(Booking, code=code)
    else:
        raise Http404
    if over_limit(request, form="booking_resend", email=booking.email if booking else ""):
        messages.error(request, limit_message())
    else:
        if booking is not None and notice is not None:
            booking_tell_already_booked(booking=booking)
        elif booking is not None:
            booking_resend_verification(booking=booking)
        messages.success(request, _("We have sent the e-mail again."))
    return redirect("groups:booking_result", code=code)


def _booking_by_token(token: UUID) -> Booking | None:
    return (
        Booking.objects.select_related("session__activity__unit__municipality")
        .filter(token=token, session__activity__published=True)
        .first()
    )


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/public/booking_link_invalid.html", status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def booking_confirm(request: HttpRequest, token: UUID) -> HttpResponse:
    """The e-mailed confirmation link. GET only shows a button: mail scanners open links."""
    booking = _booking_by_token(token)
    if booking is None:
        return _invalid_link(request)
    problem = ""
    if request.method == "POST":
        try:
            booking = booking_verify(token=token)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            _remember(request, booking)
            return redirect("groups:booking_result", code=booking.code)
    elif booking.status == Booking.Status.UNVERIFIED:
        problem = _bookable_problem(booking.session)
    context = {
        "booking": booking,
        "session": booking.session,
        "activity": booking.session.activity,
        "problem": problem,
        "waitlist_number": waitlist_position(booking),
        **_contact(booking.session.activity.unit),
    }
    return render(request, "groups/public/booking_confirm.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def booking_cancel_link(request: HttpRequest, token: UUID) -> HttpResponse:
    """The e-mailed cancellation link: GET shows the booking, POST cancels it."""
    booking = _booking_by_token(token)
    if booking is None:
        return _invalid_link(request)
    # After the start a cancellation frees nothing: the seat cannot be given to anyone.
    started = booking.session.starts_at <= timezone.now()
    if request.method == "POST" and not started:
        booking = booking_cancel(booking=booking)
        _remember(request, booking)
        return redirect("groups:booking_result", code=booking.code)
    context = {
        "booking": booking,
        "session": booking.session,
        "activity": booking.session.activity,
        "started": started,
        "waitlist_number": waitlist_position(booking),
        **_contact(booking.session.activity.unit),
    }
    return render(request, "groups/public/booking_cancel.html", context)


# --------------------------------------------------------------------------
# iCal feed
# --------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def unit_feed(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("municipality"), code=unit_code)
    # Cancelled sessions stay in the feed (STATUS:CANCELLED) so subscribed calendars drop them.
    sessions = (
        Session.objects.filter(activity__unit=unit, activity__published=True, ends_at__gt=timezone.now())
        .select_related("activity")
        .order_by("starts_at", "pk")
    )
    body = unit_feed_ics(name=f"{unit.name} – {unit.municipality.name}", sessions=sessions)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{unit.code}.ics"'
    return response
