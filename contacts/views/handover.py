"""The administrator's pages for handing a leaving person's carers over (contacts.selectors.handover,
contacts.services.handover)."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest
from anhorigstod.accounts.models import User
from contacts.forms import HandoverForm, raise_into_form
from contacts.selectors import handover
from contacts.services.handover import carers_hand_over
from contacts.views.common import administrator


@administrator
def handover_index(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    person = handover.handover_person_get(admin=request.user, code=code)
    groups = handover.handover_groups(admin=request.user, person=person)
    return render(request, "contacts/handover_index.html", {"person": person, "groups": groups})


def _confirmation(
    request: HttpRequest, person: User, group: handover.HandoverGroup, to: User, colleagues: QuerySet[User]
) -> HttpResponse:
    """The second step: what will happen, with the number as counted now, to confirm."""
    form = HandoverForm(initial={"to": to.code, "expected": group.total}, colleagues=colleagues)
    form.fields["to"].widget = forms.HiddenInput()
    context = {"person": person, "group": group, "form": form, "to": to}
    return render(request, "contacts/handover_confirm.html", context)


@administrator
def handover_unit(request: AuthenticatedHttpRequest, code: UUID, unit: str) -> HttpResponse:
    person = handover.handover_person_get(admin=request.user, code=code)
    group = handover.handover_unit_get(admin=request.user, person=person, unit_code=unit)
    colleagues = handover.handover_colleagues(unit=group.unit, leaving=person)
    form = HandoverForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        to = form.cleaned_data["to"]
        if "confirm" not in request.POST:
            return _confirmation(request, person, group, to, colleagues)
        try:
            moved = carers_hand_over(
                handed_over_by=request.user,
                unit=group.unit,
                leaving=person,
                to=to,
                expected=form.cleaned_data["expected"],
                request=request,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "count_changed":
                messages.error(request, error.messages[0])
                group = handover.handover_unit_get(admin=request.user, person=person, unit_code=unit)
                return _confirmation(request, person, group, to, colleagues)
            raise_into_form(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s carer now has %(name)s as stödkontakt.",
                    "%(count)s carers now have %(name)s as stödkontakt.",
                    moved,
                )
                % {"count": moved, "name": to},
            )
            return redirect("contacts:handover_index", code=person.code)
    return render(request, "contacts/handover_unit.html", {"person": person, "group": group, "form": form})
