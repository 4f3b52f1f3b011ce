"""Journal notes: write, sign, mark erroneous. Thin: parse, call one service, redirect."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest
from contacts.forms import MarkErroneousForm, NoteForm, raise_into_form
from contacts.selectors import carers as selectors
from contacts.services import notes as services
from contacts.views.common import casework, simple_form_context


@casework
@require_POST
def note_create(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, log=False)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_create(author=request.user, carer=carer, text=form.cleaned_data["text"], request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The note is saved. Sign it when it is final."))
    else:
        messages.error(request, _("Write the note before saving it."))
    return redirect("contacts:carer_detail", code=carer.code)


@casework
@require_POST
def note_sign(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    note = selectors.note_get_for_user(user=request.user, code=code)
    try:
        services.note_sign(note=note, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The note is signed and locked."))
    return redirect("contacts:carer_detail", code=note.carer.code)


@casework
def note_mark_erroneous(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    note = selectors.note_get_for_user(user=request.user, code=code)
    form = MarkErroneousForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_mark_erroneous(
                note=note, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The note is marked erroneous. It stays in the record."))
            return redirect("contacts:carer_detail", code=note.carer.code)
    return render(
        request,
        "contacts/simple_form.html",
        simple_form_context(form, note.carer, _("Mark a note erroneous"), note=note),
    )
