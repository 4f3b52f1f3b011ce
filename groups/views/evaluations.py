"""Anonymous evaluations and "Bli kontaktad" (PRODUCT §5, §6): the public forms and
the staff pages behind them. Thin: parse, call one service or selector, render.

The evaluation is limited per browser, not per person: the session remembers which
activities it has answered for, and the answer itself keeps nothing of the session. The
public forms are also limited per client address (and "Bli kontaktad" per e-mail address)
by anhorigstod.lib.ratelimit.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anhorigstod.accounts.decorators import role_required
from anhorigstod.accounts.models import Role, Unit
from anhorigstod.lib.ratelimit import limit_message, over_limit
from contacts.forms import raise_into_form
from groups import evaluations
from groups.forms.contact import ContactRequestForm, EvaluationForm
from groups.models import Activity
from groups.selectors.staff import (
    activity_get_for_user,
    contact_request_get_for_user,
    contact_request_list,
    contact_requests_log_shown,
)
from groups.services import inbox

casework = role_required(Role.CONSULTANT, Role.MANAGER)

PAGE_SIZE = 50
# The activities this browser has answered the evaluation of (their codes).
EVALUATED = "groups_evaluated_activities"


# --------------------------------------------------------------------------
# Anonymous evaluation (public)
# --------------------------------------------------------------------------


def _evaluated(request: HttpRequest, activity: Activity) -> bool:
    return str(activity.code) in request.session.get(EVALUATED, [])


def _remember_evaluated(request: HttpRequest, activity: Activity) -> None:
    codes = [code for code in request.session.get(EVALUATED, []) if code != str(activity.code)]
    request.session[EVALUATED] = [*codes, str(activity.code)][-50:]


def _invalid_evaluation_link(request: HttpRequest) -> HttpResponse:
    return render(request, "groups/extra/evaluation_link_invalid.html", status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation_form(request: HttpRequest, token: UUID) -> HttpResponse:
    activity = evaluations.evaluation_activity_by_token(token=token)
    if activity is None:
        return _invalid_evaluation_link(request)
    if _evaluated(request, activity):
        return render(request, "groups/extra/evaluation_answered.html", {"activity": activity})
    form = EvaluationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if over_limit(request, form="evaluation"):
            form.add_error(None, limit_message())
            status = 429
        else:
            try:
                evaluations.evaluation_submit(activity=activity, **form.cleaned_data)
            except ValidationError as error:
                raise_into_form(form, error)
            else:
                _remember_evaluated(request, activity)
                return redirect("groups:evaluation_thanks", token=token)
    return render(request, "groups/extra/evaluation_form.html", {"activity": activity, "form": form}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD"])
def evaluation_thanks(request: HttpRequest, token: UUID) -> HttpResponse:
    activity = evaluations.evaluation_activity_by_token(token=token)
    if activity is None:
        return _invalid_evaluation_link(request)
    if not _evaluated(request, activity):
        return redirect("groups:evaluation_form", token=token)
    return render(request, "groups/extra/evaluation_thanks.html", {"activity": activity})


# --------------------------------------------------------------------------
# Evaluation results (staff)
# --------------------------------------------------------------------------


@casework
def evaluation_results(request: HttpRequest, code: UUID) -> HttpResponse:
    activity = activity_get_for_user(user=request.user, code=code)
    path = reverse("groups:evaluation_form", kwargs={"token": activity.evaluation_token})
    context = {
        "activity": activity,
        "evaluation_url": f"{settings.SITE_URL}{path}",
        "summary": evaluations.evaluation_summary(activity=activity),
        "limit": evaluations.SUPPRESSION_LIMIT,
        "scale": evaluations.SCALE,
    }
    return render(request, "groups/extra/evaluation_results.html", context)


# --------------------------------------------------------------------------
# "Bli kontaktad" (public)
# --------------------------------------------------------------------------


def _public_unit(unit_code: str) -> Unit:
    return get_object_or_404(Unit.objects.select_related("municipality"), code=unit_code)


def _contact(unit: Unit) -> dict[str, str]:
    return {
        "contact_phone": unit.public_phone or unit.municipality.public_phone,
        "contact_email": inbox.contact_address(unit=unit),
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def contact_request_form(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = _public_unit(unit_code)
    form = ContactRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if over_limit(request, form="contact_request", email=form.cleaned_data.get("email") or ""):
            # Nothing is saved and no notice goes out; the form keeps what was typed.
            form.add_error(None, limit_message())
            status = 429
        else:
            try:
                inbox.contact_request_create(unit=unit, data=form.cleaned_data)
            except ValidationError as error:
                raise_into_form(form, error)
            else:
                # Nothing of what was typed goes into the URL or the session.
                return redirect("groups:contact_request_thanks", unit_code=unit.code)
    context = {"unit": unit, "form": form, **_contact(unit)}
    return render(request, "groups/extra/contact_request_form.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def contact_request_thanks(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = _public_unit(unit_code)
    return render(request, "groups/extra/contact_request_thanks.html", {"unit": unit, **_contact(unit)})


# --------------------------------------------------------------------------
# Inbox (staff)
# --------------------------------------------------------------------------


@casework
@never_cache
def inbox_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(contact_request_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("sida"))
    contact_requests_log_shown(user=request.user, contact_requests=list(page), request=request)
    return render(request, "groups/extra/inbox_list.html", {"page": page, "query": ""})


@casework
@never_cache
def inbox_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    contact_request = contact_request_get_for_user(user=request.user, code=code, request=request)
    return render(request, "groups/extra/inbox_detail.html", {"contact_request": contact_request})


@casework
@require_POST
def inbox_mark_handled(request: HttpRequest, code: UUID) -> HttpResponse:
    try:
        inbox.contact_request_mark_handled(code=code, handled_by=request.user, request=request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is marked as handled."))
    return redirect("groups:inbox_list")
