"""Browser test of a consultant's day with talks: an anonymous talk under an exemption
decision, then an identified talk and a signed journal note on a carer's record.

Controls are found by their labels and roles, and filled with the keyboard where a
person would; every page visited is checked with axe-core (WCAG 2.1 A/AA).

Texts are looked up in the Swedish catalogue at run time, so the test follows the
translators: where a string is not translated yet the page (and the test) show English.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from django.utils import timezone

from tests.conftest import Casework
from tests.e2e.conftest import assert_accessible, sv
from tests.e2e.conftest import path_is as _path_is
from tests.e2e.conftest import sign_in as _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REFERENCE = "SN 2025/114 § 52"
BRING_UP = "Fråga hur avlösningen fungerade."
NOTE_TEXT = "Gunnel berättade om sömnbrist. Vi pratade om avlösning i hemmet."


def _axe(page: Any, name: str, problems: list[str]) -> None:
    """Run axe but carry on: one run reports the violations of every page in the flow."""
    try:
        assert_accessible(page, name)
    except AssertionError as error:
        problems.append(str(error))
    if page.console_errors:
        problems.append(f"JavaScript errors on {name}: {page.console_errors}")


def _press(locator: Any, key: str) -> None:
    locator.focus()
    locator.press(key)


def _choose_radio(page: Any, group: str, option: str) -> None:
    radio = page.get_by_role("group", name=group, exact=True).get_by_role("radio", name=option, exact=True)
    _press(radio, "Space")
    assert radio.is_checked(), f"{option!r} in {group!r} is not chosen"


def _type_into_select(page: Any, label: str, option: str, value: str) -> None:
    """Choose an option of a closed select by typing its start, as a keyboard user does."""
    select = page.get_by_label(label, exact=True)
    select.focus()
    page.keyboard.type(option)
    if select.input_value() != value:  # type-ahead is the browser's business: fall back
        select.select_option(value)
    assert select.input_value() == value


def _exemption(casework: Casework, manager: Any) -> Any:
    from contacts.models import ExemptionDecision

    today = timezone.localdate()
    decision = ExemptionDecision.objects.create(
        municipality=casework.carer_a.unit.municipality,
        board="Socialnämnden",
        reference=REFERENCE,
        decided_on=today - dt.timedelta(days=60),
        valid_from=today - dt.timedelta(days=30),
        valid_to=None,
        reason=ExemptionDecision.Reason.ANONYMITY,
        reason_text="Anhöriga i samtalsserier ska kunna söka stöd utan att registreras.",
        recorded_by=manager,
    )
    decision.kinds.set([casework.kinds["talk_series"]])
    return decision


def test_consultant_logs_an_anonymous_and_an_identified_talk(
    live_server: Any, page: Any, consultant_a: Any, manager_a: Any, casework: Casework
) -> None:
    from contacts.models import (
        AgeBand,
        Answer,
        Gender,
        Initiator,
        JournalNote,
        Talk,
        TalkFocus,
        TalkMode,
        TalkType,
        TargetGroup,
    )

    exemption = _exemption(casework, manager_a)
    carer = casework.carer_a
    talks_before = set(Talk.objects.values_list("pk", flat=True))
    problems: list[str] = []

    _sign_in(page, live_server.url, consultant_a.email)
    _axe(page, "contacts-today", problems)
    nav = page.get_by_role("navigation", name=sv("Main menu"))

    # --- 1. An anonymous talk under the exemption decision --------------------------
    nav.get_by_role("link", name=sv("Log an anonymous talk"), exact=True).click()
    page.wait_for_url(_path_is("/samtal/nytt/"))
    assert page.get_by_role("heading", level=1).inner_text().strip() == sv("Log an anonymous talk")
    hint = sv("%(kind)s is recorded anonymously under the exemption decision %(reference)s.") % {
        "kind": "Samtalsserie",
        "reference": REFERENCE,
    }
    assert page.get_by_text(hint, exact=True).is_visible()
    _axe(page, "contacts-talk-anonymous", problems)

    _choose_radio(page, sv("Kind of support"), "Samtalsserie")
    _choose_radio(page, sv("Mode"), sv(TalkMode.PHONE.label))
    _type_into_select(page, sv("Talk type"), sv(TalkType.UNBURDENING.label), TalkType.UNBURDENING.value)
    focus = page.get_by_role("group", name=sv("Focus"), exact=True).get_by_role(
        "checkbox", name=sv(TalkFocus.SUPPORTING.label), exact=True
    )
    _press(focus, "Space")
    assert focus.is_checked()
    _type_into_select(page, sv("Initiated by"), sv(Initiator.CARER.label), Initiator.CARER.value)
    informed = sv("Told the carer they may apply for support for their own part (SoL 11 kap. 6 §)")
    _choose_radio(page, informed, sv(Answer.YES.label))
    children = sv("Asked about children in the carer's network")
    _choose_radio(page, children, sv(Answer.YES.label))
    # The arrow key moves the choice within the group, as it does for any radio group.
    page.keyboard.press("ArrowDown")
    assert (
        page.get_by_role("group", name=children, exact=True).get_by_role("radio", name=sv(Answer.NO.label)).is_checked()
    )
    _type_into_select(page, sv("Age band"), "65", AgeBand.AGE_65_79.value)
    _type_into_select(page, sv("Gender"), sv(Gender.WOMAN.label), Gender.WOMAN.value)
    _type_into_select(page, sv("The närstående's target group"), sv(TargetGroup.DEMENTIA.label), "dementia")

    save = page.get_by_role("button", name=sv("Save the talk"))
    save.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    logged = sv("The talk is logged. You can log the next one.")
    assert page.get_by_role("status").get_by_text(logged, exact=True).is_visible()

    anonymous = Talk.objects.exclude(pk__in=talks_before).get()
    assert anonymous.carer is None
    assert anonymous.exemption_id == exemption.pk
    assert anonymous.consultant_id == consultant_a.pk
    assert (anonymous.mode, anonymous.talk_type, anonymous.initiator) == ("phone", "unburdening", "carer")
    assert (anonymous.informed_right_to_apply, anonymous.asked_about_children) == ("yes", "no")
    assert (anonymous.age_band, anonymous.gender, anonymous.target_group) == ("65-79", "woman", "dementia")
    assert list(anonymous.focus_entries.values_list("focus", flat=True)) == ["supporting"]

    # --- 2. An identified talk and a signed note on Gunnel's record -------------------
    nav.get_by_role("link", name=sv("Carers"), exact=True).click()
    page.wait_for_url(_path_is("/anhoriga/"))
    search = page.get_by_role("search").get_by_label(sv("Search by number, name or e-mail"))
    search.fill("Gunnel")
    with page.expect_navigation():
        search.press("Enter")  # a POST: the name never lands in a URL
    assert "Gunnel" not in page.url
    assert search.input_value() == "Gunnel"
    _axe(page, "contacts-carer-list", problems)
    page.get_by_role("link", name=carer.label, exact=True).click()
    page.wait_for_url(_path_is(f"/anhoriga/{carer.code}/"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Gunnel Testsson")
    _axe(page, "contacts-carer-record", problems)

    main = page.get_by_role("main")
    main.get_by_role("link", name=sv("Log a talk"), exact=True).click()
    page.wait_for_url(_path_is(f"/anhoriga/{carer.code}/samtal/"))
    _axe(page, "contacts-talk-for-carer", problems)
    _choose_radio(page, sv("Kind of support"), "Enskilt samtal (rådgivning)")
    _choose_radio(page, sv("Mode"), sv(TalkMode.OFFICE.label))
    _type_into_select(page, sv("Talk type"), sv(TalkType.ADVICE.label), TalkType.ADVICE.value)
    _type_into_select(page, sv("Initiated by"), sv(Initiator.CARER.label), Initiator.CARER.value)
    _choose_radio(page, informed, sv(Answer.YES.label))  # an explicit choice: nothing is pre-answered
    _choose_radio(page, sv("Asked about children in the carer's network"), sv(Answer.NO.label))
    bring_up = page.get_by_label(sv("To bring up next time"), exact=True)
    bring_up.focus()
    page.keyboard.type(BRING_UP)
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save the talk")).click()
    page.wait_for_url(_path_is(f"/anhoriga/{carer.code}/"))
    assert page.get_by_role("status").get_by_text(sv("The talk is logged."), exact=True).is_visible()

    note = page.get_by_label(sv("Journal note"), exact=True)
    note.focus()
    page.keyboard.type(NOTE_TEXT)
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save the note")).click()
    entry = page.locator("li.timeline__entry", has_text=NOTE_TEXT)
    assert entry.get_by_text(sv("Not signed"), exact=True).is_visible()
    with page.expect_navigation():
        entry.get_by_role("button", name=sv("Sign the note")).click()
    assert page.get_by_role("status").get_by_text(sv("The note is signed and locked."), exact=True).is_visible()
    entry = page.locator("li.timeline__entry", has_text=NOTE_TEXT)
    assert entry.get_by_text(re.compile(rf"^{re.escape(sv('Signed'))} \d{{4}}-\d\d-\d\d \d\d:\d\d$")).is_visible()
    assert entry.get_by_role("button", name=sv("Sign the note")).count() == 0
    _axe(page, "contacts-carer-record-signed", problems)

    identified = Talk.objects.exclude(pk__in=talks_before).exclude(pk=anonymous.pk).get()
    assert identified.carer_id == carer.pk
    assert identified.support_kind == casework.kinds["individual_talk"]
    assert identified.bring_up_next_time == BRING_UP
    assert identified.exemption is None
    written = JournalNote.objects.get(carer=carer, text=NOTE_TEXT)
    assert written.signed_at is not None
    assert written.author_id == consultant_a.pk

    assert not problems, "\n\n".join(problems)
