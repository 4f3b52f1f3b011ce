"""Anonymous evaluations (PRODUCT §5): the public form and the staff page of the results.
Thin: parse, call one service or selector, render.

The evaluation is limited per browser, not per person: the session remembers which
activities it has answered for, and the answer itself keeps nothing of the session. The
public form is also limited per client address by anhorigstod.lib.ratelimit.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Role
from anhorigstod.lib.ratelimit import limit_message, over_limit
from contacts.forms import raise_into_form
from groups import evaluations
from groups.forms.evaluations import EvaluationForm
from groups.models import Activity
from groups.selectors.staff import activity_get_for_user

casework = role_required(Role.CONSULTANT, Role.MANAGER)

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
def evaluation_results(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
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
