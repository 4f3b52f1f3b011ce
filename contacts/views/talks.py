"""Individual talks: the talk list, a talk's page, the talk form (anonymous or a carer's,
with its carer picker and drafts) and a talk's follow-up. Thin: parse, call one service or
selector, render."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest
from anhorigstod.accounts.models import CASEWORK_ROLES, Unit
from anhorigstod.accounts.scoping import casework_units, unit_ids_for
from anhorigstod.audit.services import Action, access_log_many
from anhorigstod.lib.http import chosen_unit, next_or
from contacts.filters import TalkFilter
from contacts.forms import TalkForm, raise_into_form
from contacts.models import Carer, Partner, SupportKind, Talk, TalkDraft
from contacts.policy import Requirement
from contacts.selectors import talks as selectors
from contacts.selectors.carers import carer_get_for_user, carer_pick, carer_recent
from contacts.selectors.partners import partners_for_unit
from contacts.services import talks as services
from contacts.views.common import casework, list_page


@casework
def talk_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    talks = TalkFilter(
        request.GET or None,
        queryset=selectors.talk_list(user=request.user),
        # The ids scope_to_user already holds for the request: no query for the units.
        unit_ids=unit_ids_for(request.user, roles=CASEWORK_ROLES),
    )
    page = list_page(talks.qs, request.GET.get("sida"))
    rows = selectors.talk_rows(talks=list(page))
    identified = [row.talk for row in rows if row.talk.carer_id]
    access_log_many(actor=request.user, action=Action.VIEW, records=identified, request=request)
    query = request.GET.copy()
    query.pop("sida", None)
    context = {"filter": talks, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "contacts/talk_list.html", context)


@casework
def talk_detail(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    talk = selectors.talk_get_for_user(user=request.user, code=code, request=request)
    return render(request, "contacts/talk_detail.html", {"talk": talk, "today": timezone.localdate()})


@casework
@require_POST
def talk_follow_up_done(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    # Not logged as a view: the service logs the change.
    talk = selectors.talk_get_for_user(user=request.user, code=code, log=False)
    try:
        services.talk_follow_up_mark_done(talk=talk, by=request.user, request=request)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up of the talk of %(date)s is marked done.") % {"date": _day(talk)})
    return redirect(next_or(request, reverse("contacts:talk_detail", args=[talk.code])))


def _day(talk: Talk) -> str:
    return timezone.localtime(talk.started_at).strftime("%Y-%m-%d")


@casework
def talk_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An anonymous talk; the carer picker at its top leads to an identified one."""
    units = casework_units(request.user)
    unit = chosen_unit(request, units)
    return _talk_form(request, unit=unit, carer=None, units=units)


@casework
def talk_create_for_carer(request: AuthenticatedHttpRequest, code: uuid.UUID) -> HttpResponse:
    carer = carer_get_for_user(user=request.user, code=code, request=request, log=request.method != "POST")
    if request.method == "GET" and request.GET.get(FROM_PICKER) == FROM_PICKER_VALUE:
        # Chosen in the picker after typing into the anonymous form: what was typed comes along.
        services.talk_draft_take_over(user=request.user, carer=carer)
    return _talk_form(request, unit=carer.unit, carer=carer, units=None)


# ``?fran=anonymt``: the carer was chosen in the anonymous form's picker.
FROM_PICKER, FROM_PICKER_VALUE = "fran", "anonymt"
# ``?utkast=fortsatt``: the consultant chose to continue an old draft.
CONTINUE_DRAFT, CONTINUE_DRAFT_VALUE = "utkast", "fortsatt"


def _talk_form(
    request: AuthenticatedHttpRequest, *, unit: Unit, carer: Carer | None, units: QuerySet[Unit] | None
) -> HttpResponse:
    kinds = selectors.talk_kinds_for_unit(unit=unit)
    partners = partners_for_unit(unit=unit)
    draft_key = str(carer.code) if carer else services.ANONYMOUS_DRAFT
    now = timezone.localtime()
    initial = {
        "date": now.date(),
        "time": now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0).time(),
        "duration_minutes": 45,
        "support_kind": kinds.filter(tier="advice").first() or kinds.first(),
        # Nothing is pre-answered for SoL 11 kap. 6 §: a default would be counted as told.
    }
    draft = selectors.talk_draft_find(user=request.user, key=draft_key) if request.method == "GET" else None
    stale_draft = None
    continuing = request.GET.get(CONTINUE_DRAFT) == CONTINUE_DRAFT_VALUE
    if draft is not None and not continuing and selectors.talk_draft_is_stale(draft=draft):
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
    recent = carer_recent(user=request.user) if carer is None and stale_draft is None else []
    if recent:
        # The picker's recent carers are a list of names: logged as every carer list is.
        access_log_many(actor=request.user, action=Action.VIEW, records=recent, request=request)
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


def _draft_summary(draft: TalkDraft, kinds: QuerySet[SupportKind]) -> list[tuple[str, str]]:
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
def talk_carer_picker(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose the carer of a talk, from the anonymous talk form: the user's recent carers,
    and a search by name or number. The search is a POST, answered directly: a name never
    reaches a URL and nothing keeps it."""
    query = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    error = ""
    carers: list[Carer] = []
    more = False
    recent = carer_recent(user=request.user)
    if request.method == "POST":
        if query:
            carers, more = carer_pick(user=request.user, query=query, recent=recent)
        else:
            error = _("Write a name or a number (A-00042) to search for.")
    shown = {carer.pk: carer for carer in [*carers, *recent]}
    access_log_many(actor=request.user, action=Action.VIEW, records=list(shown.values()), request=request)
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
def talk_draft_discard(request: AuthenticatedHttpRequest, code: uuid.UUID | None = None) -> HttpResponse:
    """Discard the draft of the anonymous talk form, or of a carer's (``code``): a page that
    asks first, then a POST that deletes it and writes the access log."""
    carer = carer_get_for_user(user=request.user, code=code, log=False) if code else None
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
    draft = selectors.talk_draft_find(user=request.user, key=key)
    return render(request, "contacts/talk_draft_discard.html", {"carer": carer, "draft": draft, "back": back})


@casework
@require_POST
def talk_draft_save(request: AuthenticatedHttpRequest) -> JsonResponse:
    key = request.POST.get("draft_key", "new")
    if key != "new":
        try:
            code = uuid.UUID(key)
        except ValueError:
            return JsonResponse({"saved": False}, status=400)
        # A carer's draft: the key must be a carer the user reaches.
        carer_get_for_user(user=request.user, code=code, log=False)
    try:
        data = json.loads(request.POST.get("data", "{}"))
    except ValueError:
        return JsonResponse({"saved": False}, status=400)
    if not isinstance(data, dict) or len(request.POST.get("data", "")) > 20_000:
        return JsonResponse({"saved": False}, status=400)
    services.talk_draft_save(user=request.user, key=key, data=data)
    return JsonResponse({"saved": True, "at": timezone.localtime().strftime("%H:%M:%S")})
