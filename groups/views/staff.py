"""Staff pages for activities, sessions and their participants. Thin: parse, call one
service or selector, render or redirect."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Role, Unit
from anhorigstod.accounts.scoping import casework_units
from anhorigstod.extensions import extensions
from anhorigstod.lib.http import chosen_unit
from contacts import policy
from contacts.forms import raise_into_form
from contacts.selectors import partners_for_unit
from groups.forms.staff import (
    ActivityForm,
    AttendanceForm,
    SessionCancelForm,
    SessionCountsForm,
    SessionForm,
    StaffBookingForm,
)
from groups.models import Activity, Booking, RegistrationMode, Session
from groups.selectors import staff as selectors
from groups.services import activities as services

casework = role_required(Role.CONSULTANT, Role.MANAGER)


def _asks_informed(session: Session, day_has_come: bool) -> bool:
    """SoL 11 kap. 6 § is asked of a held group insats given without needs assessment (the
    documentation rule of its kind of support on the session's day says what is an insats)."""
    if not day_has_come:
        return False
    on = timezone.localtime(session.starts_at).date()
    return policy.documentation_rule(kind=session.activity.support_kind, on=on).is_insats


PAGE_SIZE = 50


# --- Activities -------------------------------------------------------------------------------


@casework
def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.activity_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "groups/staff/activity_list.html", {"page": page, "query": ""})


def _activity_form(request: HttpRequest, *, unit: Unit, activity: Activity | None) -> ActivityForm:
    return ActivityForm(
        request.POST or None,
        instance=activity,
        kinds=selectors.activity_kinds_for_unit(unit=unit, current=activity.support_kind if activity else None),
        partners=partners_for_unit(unit=unit, current=activity.co_organisers.all() if activity else ()),
    )


@casework
def activity_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    units = casework_units(request.user)
    unit = chosen_unit(request, units)
    form = _activity_form(request, unit=unit, activity=None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(created_by=request.user, unit=unit, data=form.cleaned_data)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The activity is created. Add its sessions."))
            return redirect("groups:session_create", code=activity.code)
    return render(request, "groups/staff/activity_form.html", {"form": form, "unit": unit, "units": units})


@casework
def activity_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, code=code)
    context = {
        "activity": activity,
        # Pages of the apps above about this activity (the follow-up's evaluation results).
        "activity_links": [
            {"url": reverse(link.url_name, args=[activity.code]), "label": link.label}
            for link in extensions.activity_links.values()
        ],
        "sessions": selectors.activity_sessions(activity=activity),
        "target_groups": [row.get_target_group_display() for row in activity.target_groups.all()],
        "now": timezone.now(),
    }
    return render(request, "groups/staff/activity_detail.html", context)


@casework
def activity_edit(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, code=code)
    form = _activity_form(request, unit=activity.unit, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(updated_by=request.user, activity=activity, data=form.cleaned_data)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("groups:staff_activity_detail", code=activity.code)
    return render(
        request, "groups/staff/activity_form.html", {"form": form, "activity": activity, "unit": activity.unit}
    )


# --- Sessions ---------------------------------------------------------------------------------


@casework
def session_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, code=code)
    form = SessionForm(request.POST or None, initial={"weeks": 1})
    if request.method == "POST" and form.is_valid():
        try:
            sessions = services.session_series_create(activity=activity, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(
                request,
                _("%(count)d sessions are added.") % {"count": len(sessions)}
                if len(sessions) > 1
                else _("The session is added."),
            )
            return redirect("groups:staff_activity_detail", code=activity.code)
    return render(request, "groups/staff/session_form.html", {"form": form, "activity": activity})


def _session_page(request: AuthenticatedHttpRequest, session: Session, **forms: Any) -> HttpResponse:
    """The session page, with any bound form that came back with errors."""
    activity = session.activity
    participants = selectors.session_participants(session=session, user=request.user, request=request)
    scheduled = session.status == Session.Status.SCHEDULED
    started = session.starts_at <= timezone.now()
    day_has_come = timezone.localtime(session.starts_at).date() <= timezone.localdate()
    bookable = activity.registration_mode == RegistrationMode.BOOKING and scheduled and not started
    drop_in = activity.registration_mode == RegistrationMode.DROP_IN
    allow_carer = not policy.documentation_rule(kind=activity.support_kind, on=timezone.localdate()).anonymous_only
    if bookable and "booking_form" not in forms:
        forms["booking_form"] = StaffBookingForm(unit=activity.unit, allow_carer=allow_carer)
    if scheduled and "counts_form" not in forms:
        forms["counts_form"] = SessionCountsForm(
            drop_in=drop_in and day_has_come,
            ask_informed=_asks_informed(session, day_has_come),
            initial={
                "head_count": session.head_count,
                "respite_arranged": session.respite_arranged,
                "informed_right_to_apply": session.informed_right_to_apply,
            },
        )
    context = {
        "session": session,
        "activity": activity,
        "participants": participants,
        "scheduled": scheduled,
        "started": started,
        "bookable": bookable,
        "drop_in": drop_in,
        "can_mark_attendance": scheduled and day_has_come and bool(participants.confirmed),
        **forms,
    }
    return render(request, "groups/staff/session_detail.html", context)


@casework
@never_cache
def session_detail(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, code=code)
    return _session_page(request, session)


@casework
@require_POST
def session_attendance(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, code=code)
    codes = list(map(str, session.bookings.values_list("code", flat=True)))
    form = AttendanceForm(request.POST, codes=codes)
    if not form.is_valid():
        messages.error(request, _("The list of participants has changed. Mark attendance again."))
        return redirect("groups:session_detail", code=session.code)
    try:
        came, missed = services.session_record_attendance(
            session=session,
            recorded_by=request.user,
            present=form.cleaned_data["present"],
            shown=form.cleaned_data["shown"],
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Attendance is saved: %(came)d came, %(missed)d did not.") % {"came": came, "missed": missed}
        )
    return redirect("groups:session_detail", code=session.code)


@casework
@require_POST
def session_counts(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, code=code)
    drop_in = session.activity.registration_mode == RegistrationMode.DROP_IN
    day_has_come = timezone.localtime(session.starts_at).date() <= timezone.localdate()
    form = SessionCountsForm(
        request.POST, drop_in=drop_in and day_has_come, ask_informed=_asks_informed(session, day_has_come)
    )
    if form.is_valid():
        try:
            services.session_record_counts(session=session, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The numbers are saved."))
            return redirect("groups:session_detail", code=session.code)
    return _session_page(request, session, counts_form=form)


@casework
@require_POST
def session_book(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, code=code)
    activity = session.activity
    allow_carer = not policy.documentation_rule(kind=activity.support_kind, on=timezone.localdate()).anonymous_only
    form = StaffBookingForm(request.POST, unit=activity.unit, allow_carer=allow_carer)
    if form.is_valid():
        try:
            booking = services.staff_booking_create(
                session=session, booked_by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            # No names in messages: they travel in a cookie.
            if booking.status == Booking.Status.CONFIRMED:
                messages.success(request, _("The booking is made."))
            else:
                messages.success(request, _("The session is full: the person is on the waitlist."))
            return redirect("groups:session_detail", code=session.code)
    return _session_page(request, session, booking_form=form)


@casework
def session_cancel(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, code=code)
    if session.status == Session.Status.CANCELLED:
        messages.info(request, _("The session is already cancelled."))
        return redirect("groups:session_detail", code=session.code)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_session_cancel(
                session=session, cancelled_by=request.user, reason=form.cleaned_data["cancel_reason"], request=request
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The session is cancelled. Everyone booked is told by e-mail."))
            return redirect("groups:session_detail", code=session.code)
    context = {"form": form, "session": session, "told": selectors.session_people_to_tell(session=session)}
    return render(request, "groups/staff/session_cancel.html", context)


@casework
@require_POST
def booking_cancel(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    booking = selectors.booking_get_for_user(user=request.user, code=code)
    try:
        services.staff_booking_cancel(booking=booking, cancelled_by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("groups:session_detail", code=booking.session.code)
