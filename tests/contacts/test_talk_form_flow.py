"""The talk form as a consultant's day meets it (issue 12): the carer picker on the
anonymous form, the error summary and where the "not started yet" error sits, discarding
a draft and an old draft that is offered rather than filled in, and nothing pre-answered.

Everything goes through the test client by literal URL; assertions are on what the page
shows and what the database holds.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from django.test import Client
from django.utils import timezone

from anhorigstod.accounts.models import User
from anhorigstod.audit.models import AccessLog
from contacts.models import Carer, Talk, TalkDraft
from tests.conftest import CARER_A, Casework, Org
from tests.contacts.test_talks import last_weekday, talk_post

NEW = "/samtal/nytt/"
PICKER = "/samtal/nytt/anhorig/"
DRAFT = "/samtal/utkast/"
DISCARD = "/samtal/nytt/utkast/kasta/"
FOR_CARER_A = f"/anhoriga/{CARER_A}/samtal/"
DISCARD_FOR_CARER_A = f"/anhoriga/{CARER_A}/samtal/utkast/kasta/"


@pytest.fixture
def karin(casework: Casework, login_as: Any) -> Client:
    return login_as("consultant_a")


def _carer(unit: Any, number: int, first: str, last: str, *, days_ago: int = 0, **extra: Any) -> Carer:
    return Carer.objects.create(
        unit=unit,
        number=number,
        first_name=first,
        last_name=last,
        last_entry_at=timezone.now() - dt.timedelta(days=days_ago),
        **extra,
    )


def _talk_with(carer: Carer, consultant: User, kind: Any, *, days_ago: int) -> Talk:
    return Talk.objects.create(
        unit=carer.unit,
        consultant=consultant,
        support_kind=kind,
        carer=carer,
        started_at=timezone.now() - dt.timedelta(days=days_ago),
        duration_minutes=30,
        mode="phone",
        talk_type="advice",
        initiator="carer",
        time_of_day="daytime",
        informed_right_to_apply="yes",
        asked_about_children="no",
    )


def _choices(html: str) -> list[str]:
    """The carers offered in the picker's results, in order, by their number."""
    section = html.split('id="picker-results-title"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"(A-\d{5})", section)


# --- The carer picker -----------------------------------------------------------------------


def test_the_picker_offers_only_carers_of_the_users_units(
    casework: Casework, karin: Client, org: Org, consultant_a: User
) -> None:
    # Three carers called Bo: Karin's unit, the sister unit she does not work in, another municipality.
    mine = _carer(org.unit_a, 2, "Bo", "Norrsson")
    _carer(org.unit_a2, 1, "Bo", "Södersson")  # casework.carer_b (unit B) is also called Bo

    response = karin.post(PICKER, {"q": "Bo"})

    assert response.status_code == 200
    assert _choices(response.content.decode()) == [mine.label]
    html = response.content.decode()
    assert "Norrsson" in html
    assert "Södersson" not in html
    assert f"/anhoriga/{casework.carer_b.code}/" not in html


def test_the_picker_of_a_manager_reaches_every_unit_below(casework: Casework, login_as: Any, org: Org) -> None:
    _carer(org.unit_a2, 1, "Bo", "Södersson")
    maria = login_as("manager_a")

    html = maria.post(PICKER, {"q": "Bo"}).content.decode()

    assert "Södersson" in html
    assert f"/anhoriga/{casework.carer_b.code}/" not in html
    assert "Anhörigstöd Södra" in html  # several units: each choice says which


def test_the_picker_puts_the_consultants_recent_carers_first(
    casework: Casework, karin: Client, org: Org, consultant_a: User, manager_a: User
) -> None:
    kind = casework.kinds["individual_talk"]
    # Anna Ek has the newest entry in the unit, but Karin's own talks were with the others.
    ek = _carer(org.unit_a, 2, "Anna", "Ek", days_ago=0)
    berg = _carer(org.unit_a, 3, "Anna", "Berg", days_ago=30)
    lind = _carer(org.unit_a, 4, "Anna", "Lind", days_ago=40)
    _talk_with(lind, consultant_a, kind, days_ago=5)
    _talk_with(berg, consultant_a, kind, days_ago=2)
    _talk_with(ek, manager_a, kind, days_ago=1)  # a colleague's talk does not make her Karin's

    response = karin.post(PICKER, {"q": "anna"})

    assert _choices(response.content.decode()) == [berg.label, lind.label, ek.label]


def test_the_picker_finds_by_number_and_by_full_name(casework: Casework, karin: Client, org: Org) -> None:
    other = _carer(org.unit_a, 42, "Gunnar", "Testberg")

    by_number = karin.post(PICKER, {"q": "a-00042"}).content.decode()
    by_full_name = karin.post(PICKER, {"q": "Gunnel Testsson"}).content.decode()

    assert _choices(by_number) == [other.label]
    assert _choices(by_full_name) == [casework.carer_a.label]


def test_the_pickers_queries_do_not_grow_with_the_carers_found(
    casework: Casework, karin: Client, org: Org, consultant_a: User, django_assert_max_num_queries: Any
) -> None:
    kind = casework.kinds["individual_talk"]
    for number in range(2, 32):
        carer = _carer(org.unit_a, number, "Eva", f"Nummer{number}")
        if number % 3 == 0:
            _talk_with(carer, consultant_a, kind, days_ago=number)

    with django_assert_max_num_queries(20):
        response = karin.post(PICKER, {"q": "Eva"})

    assert len(_choices(response.content.decode())) == 20
    assert "Bara de första 20 träffarna visas." in response.content.decode()


def test_the_picker_search_is_a_post_and_a_query_in_the_url_is_ignored(
    casework: Casework, karin: Client, org: Org
) -> None:
    _carer(org.unit_a, 2, "Sigrid", "Sökdotter")

    response = karin.get(PICKER + "?q=Sigrid")

    assert response.status_code == 200
    assert "Sökdotter" not in response.content.decode()
    form = re.search(r'<form method="post"[^>]*role="search"', response.content.decode())
    assert form is not None


def test_an_empty_search_says_what_to_write(casework: Casework, karin: Client) -> None:
    response = karin.post(PICKER, {"q": "  "})

    assert response.status_code == 200
    assert "Skriv ett namn eller ett nummer" in response.content.decode()


def test_the_picker_logs_every_carer_it_shows_as_a_listing(
    casework: Casework, karin: Client, org: Org, consultant_a: User
) -> None:
    bo = _carer(org.unit_a, 2, "Bo", "Norrsson")
    before = AccessLog.objects.count()

    karin.post(PICKER, {"q": "Bo"})

    rows = AccessLog.objects.order_by("id")[before:]
    logged = {(row.record_code, row.action, row.via) for row in rows}
    # The result, and Gunnel as a recent carer (Karin's talk in the fixture).
    assert logged == {
        (str(bo.code), "view", "contacts:talk_carer_picker"),
        (CARER_A, "view", "contacts:talk_carer_picker"),
    }
    assert all(row.actor_id == consultant_a.pk for row in rows)


def test_the_anonymous_form_offers_the_recent_carers_and_logs_them(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    before = AccessLog.objects.count()

    html = karin.get(NEW).content.decode()

    assert f'href="/anhoriga/{CARER_A}/samtal/?fran=anonymt"' in html
    assert "Gunnel" in html
    [row] = AccessLog.objects.order_by("id")[before:]
    assert (row.record_code, row.action, row.via) == (CARER_A, "view", "contacts:talk_create")


def test_the_anonymous_form_of_someone_without_talks_offers_no_carers(casework: Casework, login_as: Any) -> None:
    bertil = login_as("consultant_b")
    before = AccessLog.objects.count()

    html = bertil.get(NEW).content.decode()

    assert "recent-carers" not in html
    assert AccessLog.objects.count() == before


def test_choosing_a_carer_gives_an_identified_talk_with_what_was_typed(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    typed = {
        "support_kind": str(casework.kinds["individual_talk"].pk),
        "mode": "video",
        "structured_material": "Skrivet i det anonyma formuläret",
        "gender": "man",
        "age_band": "18-29",
    }
    karin.post(DRAFT, {"draft_key": "new", "data": json.dumps(typed)})

    page = karin.get(f"{FOR_CARER_A}?fran=anonymt")

    assert page.status_code == 200
    assert page.context["restored"] is True
    html = page.content.decode()
    assert 'value="Skrivet i det anonyma formuläret"' in html
    # The anonymous statistics stay behind (the record holds them), and no anonymous draft is left.
    carried = TalkDraft.objects.get(user=consultant_a, key=CARER_A).data
    assert "gender" not in carried and "age_band" not in carried
    assert not TalkDraft.objects.filter(user=consultant_a, key="new").exists()

    before = set(Talk.objects.values_list("pk", flat=True))
    saved = karin.post(f"{FOR_CARER_A}?fran=anonymt", talk_post(casework.kinds["individual_talk"]))
    assert saved.status_code == 302
    [talk] = Talk.objects.exclude(pk__in=before)
    assert talk.carer_id == casework.carer_a.pk
    assert talk.gender == "woman"  # from Gunnel's record, not from the anonymous draft


def test_a_carers_own_draft_is_not_replaced_by_the_anonymous_one(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    karin.post(DRAFT, {"draft_key": CARER_A, "data": json.dumps({"structured_material": "Gunnels utkast"})})
    karin.post(DRAFT, {"draft_key": "new", "data": json.dumps({"structured_material": "Anonymt utkast"})})

    html = karin.get(f"{FOR_CARER_A}?fran=anonymt").content.decode()

    assert 'value="Gunnels utkast"' in html
    assert TalkDraft.objects.get(user=consultant_a, key="new").data == {"structured_material": "Anonymt utkast"}


def test_choosing_another_units_carer_is_a_404_and_takes_no_draft(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    karin.post(DRAFT, {"draft_key": "new", "data": json.dumps({"mode": "video"})})

    assert karin.get(f"/anhoriga/{casework.carer_b.code}/samtal/?fran=anonymt").status_code == 404
    assert list(TalkDraft.objects.filter(user=consultant_a).values_list("key", flat=True)) == ["new"]


# --- Errors: the summary and the date ---------------------------------------------------------


def test_a_refused_talk_has_an_error_summary_linking_to_each_field(casework: Casework, karin: Client) -> None:
    response = karin.post(NEW, talk_post(casework.kinds["individual_talk"], talk_type="", mode=None))

    html = response.content.decode()
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary is not None
    assert "autofocus" in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    assert 'href="#id_talk_type"' in summary.group(0)
    assert 'href="#id_mode_0"' in summary.group(0)  # a radio group: its first choice
    assert "Formuläret kunde inte sparas: åtgärda 2 saker" in summary.group(0)
    # The summary comes before every field of the form.
    assert html.index("error-summary") < html.index('name="support_kind"')


def test_a_saved_form_has_no_error_summary(casework: Casework, karin: Client) -> None:
    assert 'class="error-summary"' not in karin.get(NEW).content.decode()


def test_a_talk_in_the_future_is_an_error_at_the_date(casework: Casework, karin: Client) -> None:
    before = set(Talk.objects.values_list("pk", flat=True))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = karin.post(NEW, talk_post(casework.kinds["individual_talk"], day=tomorrow))

    form = response.context["form"]
    assert list(form.errors) == ["date"]
    assert form.errors["date"] == ["Ett samtal kan inte loggas innan det har börjat."]
    assert not form.non_field_errors()
    assert 'href="#id_date"' in response.content.decode()
    assert set(Talk.objects.values_list("pk", flat=True)) == before


def test_a_future_date_is_named_with_the_forms_other_errors(casework: Casework, karin: Client) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = karin.post(NEW, talk_post(casework.kinds["individual_talk"], day=tomorrow, talk_type=""))

    assert set(response.context["form"].errors) == {"date", "talk_type"}


def test_a_talk_later_today_is_an_error_at_the_time(
    casework: Casework, karin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An hour later must still be today, and the clock must not run hours ahead of the
    # sign-in (the session would time out): the real time, or 10:00 late in the evening.
    # (Always 10:00 failed from midnight to 10:00, ahead of the sign-in.)
    real = timezone.localtime().replace(second=0, microsecond=0)
    now = real if real.hour < 22 else real.replace(hour=10, minute=0)
    monkeypatch.setattr(timezone, "now", lambda: now)
    later = now + dt.timedelta(hours=1)

    response = karin.post(NEW, talk_post(casework.kinds["individual_talk"], day=now.date(), time=f"{later:%H:%M}"))

    assert list(response.context["form"].errors) == ["time"]


# --- Drafts: discarding, and an old one offered first ----------------------------------------------


def _age(draft_key: str, user: User, **delta: float) -> None:
    TalkDraft.objects.filter(user=user, key=draft_key).update(updated_at=timezone.now() - dt.timedelta(**delta))


def test_a_draft_is_discarded_after_a_confirmation_and_the_discard_is_logged(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    karin.post(DRAFT, {"draft_key": "new", "data": json.dumps({"structured_material": "Bort med detta"})})
    restored = karin.get(NEW).content.decode()
    assert 'href="/samtal/nytt/utkast/kasta/"' in restored

    confirm = karin.get(DISCARD)
    assert confirm.status_code == 200
    assert TalkDraft.objects.filter(user=consultant_a, key="new").exists()  # asking deletes nothing
    assert not AccessLog.objects.filter(action="delete").exists()

    done = karin.post(DISCARD, follow=True)

    assert done.redirect_chain[-1][0] == NEW
    assert not TalkDraft.objects.filter(user=consultant_a).exists()
    assert done.context["restored"] is False
    assert "Bort med detta" not in done.content.decode()
    [row] = AccessLog.objects.filter(action="delete")
    assert (row.action, row.record_type, row.actor_id, row.subject_code) == (
        "delete",
        "contacts.talkdraft",
        consultant_a.pk,
        "",
    )


def test_a_carers_draft_is_discarded_under_the_carer(casework: Casework, karin: Client, consultant_a: User) -> None:
    karin.post(DRAFT, {"draft_key": CARER_A, "data": json.dumps({"mode": "home"})})
    before = AccessLog.objects.count()

    response = karin.post(DISCARD_FOR_CARER_A)

    assert response.status_code == 302
    assert response["Location"] == FOR_CARER_A
    assert not TalkDraft.objects.exists()
    [row] = AccessLog.objects.order_by("id")[before:]
    assert (row.action, row.subject_code, row.unit_id) == ("delete", CARER_A, casework.carer_a.unit_id)


def test_another_municipalitys_consultant_cannot_discard_a_carers_draft(
    casework: Casework, karin: Client, login_as: Any, consultant_b: User
) -> None:
    karin.post(DRAFT, {"draft_key": CARER_A, "data": json.dumps({"mode": "home"})})
    bertil = Client()
    bertil.force_login(consultant_b)

    assert bertil.post(DISCARD_FOR_CARER_A).status_code == 404
    assert TalkDraft.objects.count() == 1


def test_discarding_without_a_draft_says_so(casework: Casework, karin: Client) -> None:
    response = karin.post(DISCARD, follow=True)

    assert "Det fanns inget utkast att kasta." in response.content.decode()


def test_an_old_anonymous_draft_is_offered_not_filled_in(casework: Casework, karin: Client, consultant_a: User) -> None:
    karin.post(
        DRAFT,
        {"draft_key": "new", "data": json.dumps({"mode": "home", "structured_material": "Förra samtalet"})},
    )
    _age("new", consultant_a, hours=3)

    page = karin.get(NEW)

    assert page.context["restored"] is False
    html = page.content.decode()
    assert "Du har ett samtal som aldrig sparades" in html
    assert 'href="?utkast=fortsatt' in html
    assert 'action="/samtal/nytt/utkast/kasta/"' in html
    # No form to save until the consultant has chosen: nothing is carried over silently.
    assert 'name="structured_material"' not in html
    assert "Spara samtalet" not in html
    assert "Hembesök" in html  # the draft's mode, so the consultant can tell which talk it was

    continued = karin.get(NEW + "?utkast=fortsatt")
    assert continued.context["restored"] is True
    assert 'value="Förra samtalet"' in continued.content.decode()


def test_a_draft_from_before_the_consultants_last_talk_is_old(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    Talk.objects.update(created_at=timezone.now() - dt.timedelta(days=1))  # the fixture's talk
    karin.post(DRAFT, {"draft_key": "new", "data": json.dumps({"mode": "home"})})
    _age("new", consultant_a, minutes=10)
    assert karin.get(NEW).context["restored"] is True  # fresh: restored, with a way to discard it

    assert karin.post(FOR_CARER_A, talk_post(casework.kinds["individual_talk"])).status_code == 302

    page = karin.get(NEW)
    assert page.context["restored"] is False
    assert page.context["stale_draft"] is not None


def test_the_old_drafts_prompt_discards_it_in_one_step(casework: Casework, karin: Client, consultant_a: User) -> None:
    karin.post(DRAFT, {"draft_key": "new", "data": json.dumps({"mode": "home"})})
    _age("new", consultant_a, days=2)

    response = karin.post(DISCARD, follow=True)

    assert not TalkDraft.objects.exists()
    assert 'name="mode"' in response.content.decode()
    assert not re.search(r'<input[^>]*name="mode"[^>]*checked', response.content.decode())


# --- Nothing pre-answered ------------------------------------------------------------------------------


GENDERS = ("woman", "man", "other", "undisclosed")


def _preselected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select is not None, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(0))


@pytest.mark.parametrize("url", ["/anhoriga/ny/", NEW])
def test_no_gender_is_pre_selected(casework: Casework, karin: Client, url: str) -> None:
    html = karin.get(url).content.decode()

    assert not set(_preselected(html, "gender")) & set(GENDERS)
    assert not re.search(r'<input[^>]*name="gender"[^>]*checked', html)


def test_sol_11_6_is_not_pre_answered(casework: Casework, karin: Client) -> None:
    html = karin.get(FOR_CARER_A).content.decode()

    assert re.findall(r'<input[^>]*name="informed_right_to_apply"[^>]*>', html)
    assert not re.search(r'<input[^>]*name="informed_right_to_apply"[^>]*checked', html)


def test_an_existing_carers_gender_is_kept_in_the_edit_form(casework: Casework, karin: Client) -> None:
    html = karin.get(f"/anhoriga/{CARER_A}/andra/").content.decode()

    assert _preselected(html, "gender") == ["woman"]


def test_a_carer_registered_without_gender_has_none_and_talks_count_it_as_not_given(
    casework: Casework, karin: Client, consultant_a: User
) -> None:
    response = karin.post("/anhoriga/ny/", {**REQUIRED_DEFAULTS, "first_name": "Ulla"})
    assert response.status_code == 302
    ulla = Carer.objects.get(first_name="Ulla")
    assert ulla.gender == ""

    before = set(Talk.objects.values_list("pk", flat=True))
    karin.post(f"/anhoriga/{ulla.code}/samtal/", talk_post(casework.kinds["individual_talk"], day=last_weekday()))
    [talk] = Talk.objects.exclude(pk__in=before)
    assert talk.gender == "undisclosed"


# --- Registrera anhörig: an empty form ----------------------------------------------------------------

# What an untouched "Register a carer" form posts: its defaults and nothing typed.
REQUIRED_DEFAULTS = {"language": "svenska", "close_person_has_municipal_contact": "unknown", "care_hours": "unknown"}


def test_an_empty_carer_form_is_refused_and_nothing_is_created(casework: Casework, karin: Client) -> None:
    before = Carer.objects.count()
    logs_before = AccessLog.objects.count()

    response = karin.post("/anhoriga/ny/", {**REQUIRED_DEFAULTS, "language": "engelska", "interpreter_needed": "on"})

    assert response.status_code == 200
    assert Carer.objects.count() == before
    assert AccessLog.objects.count() == logs_before
    html = response.content.decode()
    assert "Formuläret är tomt." in html
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary is not None and 'href="#id_first_name"' in summary.group(0)
    # Nothing typed is lost.
    assert 'value="engelska"' in html
    assert re.search(r'<input[^>]*name="interpreter_needed"[^>]*checked', html)


@pytest.mark.parametrize(
    "typed",
    [{"first_name": "Olle"}, {"phone": "070-123 45 67"}, {"birth_year": "1950", "target_group": "dementia"}],
    ids=["name", "phone", "statistics-only"],
)
def test_a_carer_with_a_name_a_contact_or_a_fact_is_registered(
    casework: Casework, karin: Client, typed: dict[str, str]
) -> None:
    before = Carer.objects.count()

    response = karin.post("/anhoriga/ny/", {**REQUIRED_DEFAULTS, **typed})

    assert response.status_code == 302
    assert Carer.objects.count() == before + 1
