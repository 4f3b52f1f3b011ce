"""Staff pages for carers and talks. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from anhorigstod.accounts.decorators import role_required
from anhorigstod.accounts.models import CASEWORK_ROLES, Role, Unit
from anhorigstod.accounts.scoping import casework_units, unit_ids_for, units_for
from anhorigstod.accounts.services import administered_municipalities
from anhorigstod.audit.services import access_log_many
from anhorigstod.lib.http import chosen_unit, next_or
from anhorigstod.lib.pagination import BoundedPaginator
from contacts import selectors, services
from contacts.filters import CarerFilter, TalkFilter
from contacts.forms import (
    CarerForm,
    CloseCarerForm,
    ConsentForm,
    ExemptionForm,
    MarkErroneousForm,
    MeasurementForm,
    NoteForm,
    PartnerForm,
    PlanItemEditForm,
    PlanItemForm,
    RespiteForm,
    TalkForm,
    TierChangeForm,
    raise_into_form,
)
from contacts.measurements import kasam_change, measurement_record, measurement_scores
from contacts.models import Carer, Consent, Instrument, Partner, SupportKind
from contacts.policy import Requirement
from contacts.selectors.extract import carer_extract_json, carer_extract_pdf

casework = role_required(Role.CONSULTANT, Role.MANAGER)
management = role_required(Role.MANAGER, Role.ADMIN)

PAGE_SIZE = 50
# The lists count their rows up to here and say "more than 1,000" beyond: counting every
# talk of a large municipality on each page view cost more than the page itself.
LIST_COUNT_BOUND = 1000


# --- Carers -----------------------------------------------------------------


@casework
def carer_list(request: HttpRequest) -> HttpResponse:
    # A name is searched by POST and answered directly: it never reaches a URL, and
    # nothing keeps it (not even the session), so no table ever holds a searched name.
    data = request.GET.copy()
    data["q"] = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    carers = CarerFilter(data, queryset=selectors.carer_list(user=request.user))
    page = BoundedPaginator(carers.qs, PAGE_SIZE, bound=LIST_COUNT_BOUND).get_page(
        request.GET.get("sida") if not data["q"] else 1
    )
    rows = selectors.carer_rows(carers=list(page))
    access_log_many(actor=request.user, action="view", records=[row.carer for row in rows], request=request)
    query = request.GET.copy()
    query.pop("sida", None)
    context = {"filter": carers, "page": page, "rows": rows, "search": data["q"], "query": query.urlencode()}
    return render(request, "contacts/carer_list.html", context)


@casework
def carer_create(request: HttpRequest) -> HttpResponse:
    units = casework_units(request.user)
    unit = chosen_unit(request, units)
    form = CarerForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            carer = services.carer_create(created_by=request.user, unit=unit, data=form.cleaned_data, request=request)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The carer %(label)s is registered.") % {"label": carer.label})
            return redirect("contacts:carer_detail", code=carer.code)
    return render(request, "contacts/carer_form.html", {"form": form, "unit": unit, "units": units})


@casework
@never_cache
def carer_detail(request: HttpRequest, code: Any) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request)
    context = {
        "carer": carer,
        "timeline": selectors.carer_timeline(carer=carer),
        "consents": carer.consents.all(),
        "plan_items": carer.plan_items.select_related("done_by"),
        "today": timezone.localdate(),
        # Each measurement's total as stored when it was recorded (two queries a measurement
        # fewer); a row written in bulk past the service has none and is scored from its answers.
        "measurements": [
            (
                measurement,
                measurement.total
                if measurement.total is not None
                else measurement_scores(measurement=measurement).total,
            )
            for measurement in carer.measurements.select_related("instrument").order_by("measured_on")
        ],
        "kasam_change": _kasam_change(carer),
        "note_form": NoteForm(),
    }
    return render(request, "contacts/carer_detail.html", context)


def _kasam_change(carer: Carer) -> Any:
    instrument = Instrument.objects.filter(code="soc13").first()
    return kasam_change(carer=carer, instrument=instrument) if instrument else None


@casework
def carer_edit(request: HttpRequest, code: Any) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request)
    form = CarerForm(request.POST or None, instance=carer, unit=carer.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.carer_update(updated_by=request.user, carer=carer, data=form.cleaned_data, request=request)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("contacts:carer_detail", code=carer.code)
    return render(request, "contacts/carer_form.html", {"form": form, "carer": carer, "unit": carer.unit})


@casework
def carer_close(request: HttpRequest, code: Any) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request)
    form = CloseCarerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.carer_close(
                closed_by=request.user,
                carer=carer,
                reason=form.cleaned_data["reason"],
                closed_on=form.cleaned_data["closed_on"],
                request=request,
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The record is closed."))
            return redirect("contacts:carer_detail", code=carer.code)
    return render(request, "contacts/simple_form.html", _simple(form, carer, _("Close the record")))


def _simple(form: Any, carer: Carer | None, title: str, **extra: Any) -> dict[str, Any]:
    return {"form": form, "carer": carer, "title": title, **extra}


def _carer_subform(
    request: HttpRequest, code: Any, form_class: Any, title: str, save: Any, **form_kwargs: Any
) -> HttpResponse:
    """The small forms on a carer's record (consent, plan item, respite): one shape."""
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request, log=request.method != "POST")
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(carer, form.cleaned_data)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("contacts:carer_detail", code=carer.code)
    return render(request, "contacts/simple_form.html", _simple(form, carer, title))


@casework
def consent_create(request: HttpRequest, code: Any) -> HttpResponse:
    return _carer_subform(
        request,
        code,
        ConsentForm,
        _("Record a consent"),
        lambda carer, data: services.consent_record(recorded_by=request.user, carer=carer, request=request, **data),
    )


@casework
@require_POST
def consent_revoke(request: HttpRequest, code: Any, consent_id: int) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request, log=False)
    consent = get_object_or_404(Consent, pk=consent_id, carer=carer)
    try:
        services.consent_revoke(
            revoked_by=request.user, consent=consent, revoked_on=timezone.localdate(), request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent is revoked."))
    return redirect("contacts:carer_detail", code=carer.code)


@casework
def plan_item_create(request: HttpRequest, code: Any) -> HttpResponse:
    return _carer_subform(
        request,
        code,
        PlanItemForm,
        _("Add to the support plan"),
        lambda carer, data: services.plan_item_add(added_by=request.user, carer=carer, request=request, **data),
    )


@casework
def plan_item_edit(request: HttpRequest, code: Any, item_code: Any) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request, log=request.method != "POST")
    item = selectors.plan_item_get(carer=carer, code=item_code)
    form = PlanItemEditForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(updated_by=request.user, item=item, data=form.cleaned_data, request=request)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The support plan is saved."))
            return redirect(f"{carer_url(carer)}#plan-{item.code}")
    return render(request, "contacts/simple_form.html", _simple(form, carer, _("Change the support plan"), item=item))


@casework
@require_POST
def plan_item_done(request: HttpRequest, code: Any, item_code: Any) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, log=False)
    item = selectors.plan_item_get(carer=carer, code=item_code)
    try:
        services.plan_item_mark_done(item=item, by=request.user, request=request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The support plan item of %(label)s is marked done.") % {"label": carer.label},
        )
    return redirect(next_or(request, f"{carer_url(carer)}#plan-{item.code}"))


def carer_url(carer: Carer) -> str:
    return reverse("contacts:carer_detail", args=[carer.code])


@casework
def respite_create(request: HttpRequest, code: Any) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, log=False)
    return _carer_subform(
        request,
        code,
        RespiteForm,
        _("Record respite"),
        lambda carer, data: services.respite_record(recorded_by=request.user, carer=carer, request=request, **data),
        partners=selectors.partners_for_unit(unit=carer.unit),
    )


@casework
def carer_extract(request: HttpRequest, code: Any, fmt: str) -> HttpResponse:
    if fmt not in ("json", "pdf"):
        raise Http404
    carer = selectors.carer_get_for_user(user=request.user, code=code, log=False)
    if fmt == "json":
        body = carer_extract_json(carer=carer, requested_by=request.user, request=request)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        body = carer_extract_pdf(carer=carer, requested_by=request.user, request=request)
        response = HttpResponse(body, content_type="application/pdf")
    # The file name carries the record's label, never the carer's name.
    response["Content-Disposition"] = f'attachment; filename="registerutdrag-{carer.label}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Journal notes ------------------------------------------------------------


@casework
@require_POST
def note_create(request: HttpRequest, code: Any) -> HttpResponse:
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
def note_sign(request: HttpRequest, code: Any) -> HttpResponse:
    note = selectors.note_get_for_user(user=request.user, code=code)
    try:
        services.note_sign(note=note, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The note is signed and locked."))
    return redirect("contacts:carer_detail", code=note.carer.code)


@casework
def note_mark_erroneous(request: HttpRequest, code: Any) -> HttpResponse:
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
        request, "contacts/simple_form.html", _simple(form, note.carer, _("Mark a note erroneous"), note=note)
    )


# --- Talks --------------------------------------------------------------------


@casework
def talk_list(request: HttpRequest) -> HttpResponse:
    talks = TalkFilter(
        request.GET or None,
        queryset=selectors.talk_list(user=request.user),
        # The ids scope_to_user already holds for the request: no query for the units.
        unit_ids=unit_ids_for(request.user, roles=CASEWORK_ROLES),
    )
    page = BoundedPaginator(talks.qs, PAGE_SIZE, bound=LIST_COUNT_BOUND).get_page(request.GET.get("sida"))
    rows = selectors.talk_rows(talks=list(page))
    identified = [row.talk for row in rows if row.talk.carer_id]
    access_log_many(actor=request.user, action="view", records=identified, request=request)
    query = request.GET.copy()
    query.pop("sida", None)
    context = {"filter": talks, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "contacts/talk_list.html", context)


@casework
def talk_detail(request: HttpRequest, code: Any) -> HttpResponse:
    talk = selectors.talk_get_for_user(user=request.user, code=code, request=request)
    return render(request, "contacts/talk_detail.html", {"talk": talk, "today": timezone.localdate()})


@casework
@require_POST
def talk_follow_up_done(request: HttpRequest, code: Any) -> HttpResponse:
    # Not logged as a view: the service logs the change.
    talk = selectors.talk_get_for_user(user=request.user, code=code, log=False)
    try:
        services.talk_follow_up_mark_done(talk=talk, by=request.user, request=request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up of the talk of %(date)s is marked done.") % {"date": _day(talk)})
    return redirect(next_or(request, reverse("contacts:talk_detail", args=[talk.code])))


def _day(talk: Any) -> str:
    return timezone.localtime(talk.started_at).strftime("%Y-%m-%d")


@casework
def talk_create(request: HttpRequest) -> HttpResponse:
    """An anonymous talk; the carer picker at its top leads to an identified one."""
    units = casework_units(request.user)
    unit = chosen_unit(request, units)
    return _talk_form(request, unit=unit, carer=None, units=units)


@casework
def talk_create_for_carer(request: HttpRequest, code: Any) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request, log=request.method != "POST")
    if request.method == "GET" and request.GET.get(FROM_PICKER) == FROM_PICKER_VALUE:
        # Chosen in the picker after typing into the anonymous form: what was typed comes along.
        services.talk_draft_take_over(user=request.user, carer=carer)
    return _talk_form(request, unit=carer.unit, carer=carer, units=None)


# ``?fran=anonymt``: the carer was chosen in the anonymous form's picker.
FROM_PICKER, FROM_PICKER_VALUE = "fran", "anonymt"
# ``?utkast=fortsatt``: the consultant chose to continue an old draft.
CONTINUE_DRAFT, CONTINUE_DRAFT_VALUE = "utkast", "fortsatt"


def _talk_form(request: HttpRequest, *, unit: Unit, carer: Carer | None, units: Any) -> HttpResponse:
    kinds = selectors.talk_kinds_for_unit(unit=unit)
    partners = selectors.partners_for_unit(unit=unit)
    draft_key = str(carer.code) if carer else services.ANONYMOUS_DRAFT
    now = timezone.localtime()
    initial = {
        "date": now.date(),
        "time": now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0).time(),
        "duration_minutes": 45,
        "support_kind": kinds.filter(tier="advice").first() or kinds.first(),
        # Nothing is pre-answered for SoL 11 kap. 6 §: a default would be counted as told.
    }
    draft = services.talk_draft_find(user=request.user, key=draft_key) if request.method == "GET" else None
    stale_draft = None
    continuing = request.GET.get(CONTINUE_DRAFT) == CONTINUE_DRAFT_VALUE
    if draft is not None and not continuing and services.talk_draft_is_stale(draft=draft):
        # Not carried into this talk silently: the page asks to continue it or discard it.
        stale_draft, draft = draft, None
    form = TalkForm(
        request.POST or None,
        initial=draft.data if draft else initial,
        kinds=kinds,
        partners=partners,
        anonymous=carer is None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        day = data.pop("date")
        data.pop("time")
        try:
            services.talk_log(
                consultant=request.user,
                unit=unit,
                data=services.TalkData(carer=carer, **data),
                request=request,
            )
        except ValidationError as error:
            # "Not started yet" (if the clock passed a minute since the form checked) is
            # fixed in the date, or in the time of a talk today.
            raise_into_form(form, error, fields={"started_at": TalkForm.started_at_field(day)})
        else:
            if carer is not None:
                messages.success(request, _("The talk is logged."))
                return redirect("contacts:carer_detail", code=carer.code)
            messages.success(request, _("The talk is logged. You can log the next one."))
            return redirect(f"{request.path}?enhet={unit.code}")
    rules = [(kind, services.talk_rule(support_kind=kind, started_at=timezone.now())) for kind in kinds]
    recent = selectors.carer_recent(user=request.user) if carer is None and stale_draft is None else []
    if recent:
        # The picker's recent carers are a list of names: logged as every carer list is.
        access_log_many(actor=request.user, action="view", records=recent, request=request)
    context = {
        "form": form,
        "carer": carer,
        "unit": unit,
        "units": units,
        "draft_key": draft_key,
        "restored": bool(draft),
        "draft": draft,
        "stale_draft": stale_draft,
        "stale_summary": _draft_summary(stale_draft, kinds) if stale_draft else [],
        "continue_query": f"{CONTINUE_DRAFT}={CONTINUE_DRAFT_VALUE}" + (f"&enhet={unit.code}" if units else ""),
        "recent_carers": recent,
        "from_picker": f"{FROM_PICKER}={FROM_PICKER_VALUE}",
        "anonymous_kinds": [(kind, rule) for kind, rule in rules if rule.identity is Requirement.FORBIDDEN],
        "identity_kinds": [(kind, rule) for kind, rule in rules if rule.identity is Requirement.REQUIRED],
        "last_talk": carer.talks.exclude(bring_up_next_time="").order_by("-started_at").first() if carer else None,
    }
    return render(request, "contacts/talk_form.html", context)


def _draft_summary(draft: Any, kinds: Any) -> list[tuple[str, str]]:
    """What an old draft says, in the form's words, so the consultant can tell which talk it was."""
    form = TalkForm(kinds=kinds, partners=Partner.objects.none(), anonymous=True)
    summary = []
    for name in ("support_kind", "date", "time", "mode", "talk_type", "initiator"):
        value = draft.data.get(name)
        if not value or not isinstance(value, str):
            continue
        field = form.fields[name]
        choices = {str(key): str(label) for key, label in getattr(field, "choices", ())}
        summary.append((str(field.label), choices.get(value, value)))
    return summary


@casework
def talk_carer_picker(request: HttpRequest) -> HttpResponse:
    """Choose the carer of a talk, from the anonymous talk form: the user's recent carers,
    and a search by name or number. The search is a POST, answered directly: a name never
    reaches a URL and nothing keeps it."""
    query = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    error = ""
    carers: list[Carer] = []
    more = False
    recent = selectors.carer_recent(user=request.user)
    if request.method == "POST":
        if query:
            carers, more = selectors.carer_pick(user=request.user, query=query, recent=recent)
        else:
            error = _("Write a name or a number (A-00042) to search for.")
    shown = {carer.pk: carer for carer in [*carers, *recent]}
    access_log_many(actor=request.user, action="view", records=list(shown.values()), request=request)
    context = {
        "query": query,
        "searched": request.method == "POST" and bool(query),
        "error": error,
        "carers": carers,
        "more": more,
        "recent_carers": recent,
        "several_units": len(unit_ids_for(request.user, roles=CASEWORK_ROLES)) > 1,
        "from_picker": f"{FROM_PICKER}={FROM_PICKER_VALUE}",
    }
    return render(request, "contacts/talk_carer_picker.html", context)


@casework
def talk_draft_discard(request: HttpRequest, code: Any = None) -> HttpResponse:
    """Discard the draft of the anonymous talk form, or of a carer's (``code``): a page that
    asks first, then a POST that deletes it and writes the access log."""
    carer = selectors.carer_get_for_user(user=request.user, code=code, log=False) if code else None
    key = str(carer.code) if carer else services.ANONYMOUS_DRAFT
    back = (
        reverse("contacts:talk_create_for_carer", kwargs={"code": carer.code})
        if carer
        else reverse("contacts:talk_create")
    )
    if request.method == "POST":
        if services.talk_draft_discard(user=request.user, key=key, carer=carer, request=request):
            messages.success(request, _("The draft is discarded."))
        else:
            messages.info(request, _("There was no draft to discard."))
        return redirect(back)
    draft = services.talk_draft_find(user=request.user, key=key)
    return render(request, "contacts/talk_draft_discard.html", {"carer": carer, "draft": draft, "back": back})


@casework
@require_POST
def talk_draft_save(request: HttpRequest) -> JsonResponse:
    key = request.POST.get("draft_key", "new")
    if key != "new":
        try:
            uuid.UUID(key)
        except ValueError:
            return JsonResponse({"saved": False}, status=400)
        # A carer's draft: the key must be a carer the user reaches.
        selectors.carer_get_for_user(user=request.user, code=key, log=False)
    try:
        data = json.loads(request.POST.get("data", "{}"))
    except ValueError:
        return JsonResponse({"saved": False}, status=400)
    if not isinstance(data, dict) or len(request.POST.get("data", "")) > 20_000:
        return JsonResponse({"saved": False}, status=400)
    services.talk_draft_save(user=request.user, key=key, data=data)
    return JsonResponse({"saved": True, "at": timezone.localtime().strftime("%H:%M:%S")})


# --- Partners (vägvisare) -------------------------------------------------------


@role_required(Role.CONSULTANT, Role.MANAGER, Role.ADMIN)
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = selectors.partner_list(user=request.user)
    # Administrators edit and retire the partners of their units (contacts.admin_views).
    admin_unit_ids = unit_ids_for(request.user, roles={Role.ADMIN})
    can_add = bool(unit_ids_for(request.user, roles=CASEWORK_ROLES))  # adding is casework (partner_create)
    return render(
        request,
        "contacts/partner_list.html",
        {"partners": partners, "admin_unit_ids": admin_unit_ids, "can_add": can_add},
    )


@casework
def partner_create(request: HttpRequest) -> HttpResponse:
    units = casework_units(request.user)
    unit = chosen_unit(request, units)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_create(created_by=request.user, unit=unit, data=form.cleaned_data)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The partner is added."))
            return redirect("contacts:partner_list")
    return render(request, "contacts/simple_form.html", _simple(form, None, _("Add a partner"), units=units, unit=unit))


# --- Documentation policy and exemptions ----------------------------------------


@management
def policy_overview(request: HttpRequest) -> HttpResponse:
    municipality_ids = units_for(request.user, roles=None).values("municipality_id")
    kinds = (
        SupportKind.objects.filter(municipality_id__in=municipality_ids)
        .select_related("municipality")
        .prefetch_related("tier_changes__changed_by")
        .order_by("municipality__name", "name")
    )
    exemptions = selectors.exemption_list(user=request.user)
    today = timezone.localdate()
    # Administrators add, rename and retire kinds of their municipalities (contacts.admin_views).
    admin_municipality_ids = set(administered_municipalities(request.user).values_list("pk", flat=True))
    manager_municipality_ids = set(
        units_for(request.user, roles={Role.MANAGER, Role.ADMIN}).values_list("municipality_id", flat=True)
    )
    return render(
        request,
        "contacts/policy.html",
        {
            "kinds": kinds,
            "exemptions": exemptions,
            "today": today,
            "admin_municipality_ids": admin_municipality_ids,
            "manager_municipality_ids": manager_municipality_ids,
        },
    )


@management
def support_kind_tier(request: HttpRequest, pk: int) -> HttpResponse:
    municipality_ids = units_for(request.user, roles={Role.MANAGER, Role.ADMIN}).values("municipality_id")
    kind = get_object_or_404(SupportKind, pk=pk, municipality_id__in=municipality_ids)
    form = TierChangeForm(request.POST or None, initial={"tier": kind.tier})
    if request.method == "POST" and form.is_valid():
        try:
            services.support_kind_set_tier(changed_by=request.user, kind=kind, request=request, **form.cleaned_data)
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The documentation tier is changed."))
            return redirect("contacts:policy")
    return render(
        request, "contacts/simple_form.html", _simple(form, None, _("Change the documentation tier"), kind=kind)
    )


@management
def exemption_create(request: HttpRequest) -> HttpResponse:
    units = units_for(request.user, roles={Role.MANAGER, Role.ADMIN})
    unit = chosen_unit(request, units)
    municipality = unit.municipality
    kinds = SupportKind.objects.filter(municipality=municipality, active=True).order_by("name")
    form = ExemptionForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key not in ("kinds", "minutes_file")}
        try:
            services.exemption_record(
                recorded_by=request.user,
                municipality=municipality,
                data=data,
                kinds=list(form.cleaned_data["kinds"]),
                minutes=form.cleaned_data.get("minutes_file"),
                request=request,
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The exemption decision is recorded."))
            return redirect("contacts:policy")
    return render(
        request,
        "contacts/admin_form.html",
        {"form": form, "title": _("Record an exemption decision"), "municipality": municipality, "files": True},
    )


@casework
def measurement_create(request: HttpRequest, code: Any) -> HttpResponse:
    carer = selectors.carer_get_for_user(user=request.user, code=code, request=request, log=request.method != "POST")
    instrument = get_object_or_404(
        Instrument.objects.prefetch_related("items"), code=request.GET.get("instrument", "soc13")
    )
    form = MeasurementForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            measurement_record(
                recorded_by=request.user,
                carer=carer,
                instrument=instrument,
                occasion=form.cleaned_data["occasion"],
                measured_on=form.cleaned_data["measured_on"],
                answers=form.answers(),
                request=request,
            )
        except ValidationError as error:
            raise_into_form(form, error)
        else:
            messages.success(request, _("The measurement is saved."))
            return redirect("contacts:carer_detail", code=carer.code)
    title = _("Record %(instrument)s") % {"instrument": instrument.name}
    return render(request, "contacts/simple_form.html", _simple(form, carer, title))
