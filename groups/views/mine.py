"""Pages of application mode and "Mina sidor" (PRODUCT §6).

- Public: registering interest in a closed group, and the thank-you page. A name never
  goes into a URL; the thank-you page names only the activity.
- Staff: an activity's applications, where the consultant orders the list (every
  change with a reason), admits people and tells the rest "not this time".
- Signed in: "Mina sidor", the user's own bookings and applications, and cancelling
  a booking. Nothing about anyone else.

The rules live in groups.services.applications and groups.services.booking; these
views parse, call one of them and render or redirect.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from allauth.account.models import EmailAddress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Role, Unit, User
from anhorigstod.accounts.scoping import get_for_user_or_404
from contacts.forms import raise_into_form
from groups.forms.mine import DecisionForm, InterestForm, PriorityForm
from groups.models import Activity, Application, Booking, RegistrationMode, Session
from groups.selectors.staff import application_list, priority_history
from groups.services import applications as services
from groups.services.booking import booking_cancel as cancel_booking
from groups.services.booking import with_waitlist_position

casework = role_required(Role.CONSULTANT, Role.MANAGER)


def _contact(unit: Unit) -> dict[str, str]:
    """How to reach the unit: its own phone and e-mail, else the municipality's (as the public pages)."""
    return {
        "contact_phone": unit.public_phone or unit.municipality.public_phone,
        "contact_email": unit.public_email or unit.municipality.public_email,
    }


# --------------------------------------------------------------------------
# Registering interest (public)
# --------------------------------------------------------------------------


def _open_for_interest(code: UUID) -> Activity:
    return get_object_or_404(
        Activity.objects.filter(published=True, registration_mode=RegistrationMode.APPLICATION).select_related(
            "unit__municipality"
        ),
        code=code,
    )


def _coming_sessions(activity: Activity) -> QuerySet[Session]:
    return activity.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()).order_by(
        "starts_at", "pk"
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def interest(request: HttpRequest, code: UUID) -> HttpResponse:
    activity = _open_for_interest(code)
    user = request.user
    initial = {"name": user.full_name, "email": user.email} if user.is_authenticated else {}
    form = InterestForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_create(activity=activity, **form.cleaned_data)
        except services.AlreadyApplied as error:
            form.add_error(None, error.messages[0])
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            return redirect("groups:interest_thanks", code=activity.code)
    context = {
        "activity": activity,
        "form": form,
        "sessions": _coming_sessions(activity),
        "signed_in": user.is_authenticated,
        **_contact(activity.unit),
    }
    return render(request, "groups/mine/interest.html", context)


@require_http_methods(["GET", "HEAD"])
def interest_thanks(request: HttpRequest, code: UUID) -> HttpResponse:
    activity = _open_for_interest(code)
    context = {"activity": activity, "signed_in": request.user.is_authenticated, **_contact(activity.unit)}
    return render(request, "groups/mine/interest_thanks.html", context)


# --------------------------------------------------------------------------
# Composing the group (staff)
# --------------------------------------------------------------------------


def _applications_page(
    request: AuthenticatedHttpRequest, activity: Activity, *, priority_form: PriorityForm | None = None
) -> HttpResponse:
    applications = application_list(activity=activity, user=request.user, request=request)
    if priority_form is None:
        priority_form = PriorityForm(applications=applications)
    coming = list(_coming_sessions(activity))
    by_status = dict.fromkeys(Application.Status.values, 0)
    for application in applications:
        by_status[application.status] += 1
    context = {
        "activity": activity,
        "applications": applications,
        "admitted": by_status[Application.Status.ADMITTED],
        "interested": by_status[Application.Status.INTERESTED],
        "coming_sessions": len(coming),
        "next_session": coming[0] if coming else None,
        "open": activity.registration_mode == RegistrationMode.APPLICATION,
        "priority_form": priority_form,
        "history": priority_history(activity=activity),
    }
    return render(request, "groups/mine/applications.html", context)


def _application_of(activity: Activity, code: str) -> Application:
    return get_object_or_404(activity.applications.select_related("activity__unit", "carer"), code=code)


def _admitted_message(admission: services.Admission) -> str:
    booked = len(admission.bookings)
    if not booked and not admission.already_booked:
        return _("The person is admitted. The group has no coming sessions yet: book them when sessions are added.")
    message = ngettext(
        "The person is admitted and booked on %(count)d coming session.",
        "The person is admitted and booked on %(count)d coming sessions.",
        booked,
    ) % {"count": booked}
    if admission.waitlisted:
        message += " " + ngettext(
            "%(count)d of them is full: the person is on its waitlist.",
            "%(count)d of them are full: the person is on their waitlists.",
            admission.waitlisted,
        ) % {"count": admission.waitlisted}
    if admission.already_booked:
        message += " " + ngettext(
            "They were already booked on %(count)d session.",
            "They were already booked on %(count)d sessions.",
            admission.already_booked,
        ) % {"count": admission.already_booked}
    return message


def _decide(request: AuthenticatedHttpRequest, activity: Activity, applications: Sequence[Application]) -> None:
    form = DecisionForm(request.POST, applications=applications)
    if not form.is_valid():
        messages.error(request, _("The list has changed. Try again."))
        return
    application = _application_of(activity, form.cleaned_data["application"])
    try:
        if form.cleaned_data["decision"] == DecisionForm.ADMIT:
            admission = services.application_admit(application=application, by=request.user, request=request)
            messages.success(request, _admitted_message(admission))
        else:
            services.application_decline(application=application, by=request.user, request=request)
            messages.success(request, _("The application is marked as not admitted this time."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


@casework
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def applications(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    activity = get_for_user_or_404(Activity.objects.select_related("unit__municipality"), request.user, code=code)
    if request.method != "POST":
        return _applications_page(request, activity)
    # The choices of the forms: the activity's applications, read without logging a view.
    current = list(activity.applications.order_by("priority", "created_at", "pk"))
    if request.POST.get("action") == "priority":
        form = PriorityForm(request.POST, applications=current)
        if form.is_valid():
            application = _application_of(activity, form.cleaned_data["application"])
            try:
                services.application_set_priority(
                    application=application,
                    priority=form.cleaned_data["priority"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                    request=request,
                )
            except ValidationError as error:
                raise_into_form(form, error)
            else:
                messages.success(request, _("The priority is changed and the reason is saved."))
                return redirect("groups:applications", code=activity.code)
        return _applications_page(request, activity, priority_form=form)
    _decide(request, activity, current)
    return redirect("groups:applications", code=activity.code)


# --------------------------------------------------------------------------
# Mina sidor (signed in)
# --------------------------------------------------------------------------


def _verified_keys(user: User) -> list[str]:
    """The user's verified e-mail addresses as booking keys (groups.services.booking.person_key)."""
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return [key for key in {email.strip().lower() for email in emails} if key]


def _own_bookings(user: User, keys: list[str]) -> QuerySet[Booking]:
    """Bookings made while signed in, or for one of the user's verified addresses."""
    return Booking.objects.filter(Q(user=user) | Q(person_key__in=keys))


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def my_pages(request: AuthenticatedHttpRequest) -> HttpResponse:
    keys = _verified_keys(request.user)
    bookings = list(
        with_waitlist_position(_own_bookings(request.user, keys))
        .select_related("session__activity__unit__municipality")
        .order_by("session__starts_at", "pk")
    )
    now = timezone.now()
    applications = (
        Application.objects.filter(person_key__in=keys)
        .exclude(status=Application.Status.WITHDRAWN)
        .select_related("activity__unit")
        .order_by("-created_at", "-pk")
    )
    context = {
        "upcoming": [booking for booking in bookings if booking.session.starts_at > now],
        "past": [booking for booking in reversed(bookings) if booking.session.starts_at <= now],
        "applications": list(applications),
    }
    return render(request, "groups/mine/my_pages.html", context)


@login_required
@require_POST
def booking_cancel(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    booking = get_object_or_404(
        _own_bookings(request.user, _verified_keys(request.user)).select_related("session"), code=code
    )
    if booking.status == Booking.Status.CANCELLED:
        messages.info(request, _("The booking is already cancelled."))
    elif booking.session.starts_at <= timezone.now():
        # As the e-mailed link: after the start a cancelled seat can go to nobody.
        messages.error(request, _("The session has already started, so the booking can no longer be cancelled."))
    else:
        was_waiting = booking.status == Booking.Status.WAITLISTED
        cancel_booking(booking=booking)
        messages.success(request, _("You have left the waitlist.") if was_waiting else _("The booking is cancelled."))
    return redirect("groups:my_pages")
