"""Anonymous evaluations (PRODUCT §5): the public form. Thin: parse, call one service or
selector, render. The staff page of the results is the follow-up's
(``followup.evaluations.views``): what of the answers may be shown is decided there.

The evaluation is limited per browser, not per person: the session remembers which
activities it has answered for, and the answer itself keeps nothing of the session. The
public form is also limited per client address by anhorigstod.lib.ratelimit.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from anhorigstod.lib.ratelimit import limit_message, over_limit
from contacts.forms import raise_into_form
from groups import evaluations
from groups.forms.evaluations import EvaluationForm
from groups.models import Activity

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
