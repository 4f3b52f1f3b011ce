"""The staff page of an activity's evaluation: the link to hand out, and the results as
released (``followup.disclosure``). Thin: parse, call one selector, render."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest, role_required
from anhorigstod.accounts.models import Role
from followup.disclosure import SUPPRESSION_LIMIT
from followup.evaluations.selectors import activity_evaluation
from groups.evaluations import SCALE
from groups.selectors.staff import activity_get_for_user

casework = role_required(Role.CONSULTANT, Role.MANAGER)


@casework
def evaluation_results(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    # The user's own units only: another unit's activity is a 404.
    activity = activity_get_for_user(user=request.user, code=code)
    path = reverse("groups:evaluation_form", kwargs={"token": activity.evaluation_token})
    context = {
        "activity": activity,
        "evaluation_url": f"{settings.SITE_URL}{path}",
        "summary": activity_evaluation(activity=activity),
        "limit": SUPPRESSION_LIMIT,
        "scale": SCALE,
    }
    return render(request, "followup/evaluation_results.html", context)
