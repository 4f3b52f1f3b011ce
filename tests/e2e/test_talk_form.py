"""Browser tests of the talk form's day-to-day (issue 12), by keyboard where a person would:

- the carer picker: the keystrokes from the anonymous talk form to a carer's talk form,
  counted on the old way (through the carer list and the record) and on the picker;
- a refused save moves the focus to the error summary, whose links lead to the fields;
- an old draft is offered, not filled in, and discarding asks first;
- "Registrera anhörig" refuses an empty form.

Every page visited is checked with axe-core (WCAG 2.1 A/AA).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from django.utils import timezone

from tests.conftest import Casework
from tests.e2e.test_contacts import _axe, _path_is, _sign_in, sv

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Keyboard:
    """Presses keys and counts them: a typed character is one keystroke, so is Tab or Enter."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count += len(text)

    def skip_to_main(self) -> None:
        """The skip link, as a keyboard user starts on a new page: Tab, Enter. A page
        reached from a page's "#main" (a search form without an action) opens there: the
        first Tab is already in the main content."""
        self.press("Tab")
        if self.page.evaluate("() => document.activeElement.classList.contains('skip-link')"):
            self.press("Enter")
        else:
            assert self.page.evaluate("() => document.querySelector('main').contains(document.activeElement)")

    def tab_to(self, locator: Any, *, limit: int = 150) -> None:
        for _ in range(limit):
            if locator.evaluate("element => element === document.activeElement"):
                return
            self.press("Tab")
        raise AssertionError(f"{locator} not reached with {limit} Tab presses")

    def follow(self, locator: Any) -> None:
        self.tab_to(locator)
        with self.page.expect_navigation():
            self.press("Enter")


def test_the_carer_picker_reaches_a_carers_talk_form_in_fewer_than_half_the_keystrokes(
    live_server: Any, page: Any, consultant_a: Any, casework: Casework
) -> None:
    carer = casework.carer_a
    problems: list[str] = []
    _sign_in(page, live_server.url, consultant_a.email)
    target = _path_is(f"/anhoriga/{carer.code}/samtal/")

    # --- Before: from the anonymous form through the carer list and the record ---------
    page.goto(live_server.url + "/samtal/nytt/")
    old = Keyboard(page)
    old.follow(page.get_by_role("navigation", name=sv("Main menu")).get_by_role("link", name=sv("Carers"), exact=True))
    old.skip_to_main()
    old.tab_to(page.get_by_role("search").get_by_label(sv("Search by number, name or e-mail")))
    old.type("Gunnel")
    with page.expect_navigation():
        old.press("Enter")
    old.skip_to_main()
    old.follow(page.get_by_role("link", name=carer.label, exact=True))
    old.skip_to_main()
    old.follow(page.get_by_role("main").get_by_role("link", name=sv("Log a talk"), exact=True))
    page.wait_for_url(target)

    # --- After: the picker on the anonymous form, by search --------------------------------
    page.goto(live_server.url + "/samtal/nytt/")
    _axe(page, "talk-form-anonymous-with-picker", problems)
    new = Keyboard(page)
    new.skip_to_main()
    new.tab_to(page.get_by_label(sv("Search by name or number (A-00042)")))
    new.type("Gunnel")
    with page.expect_navigation():
        new.press("Enter")
    assert "Gunnel" not in page.url  # the search is a POST
    results = page.get_by_role("heading", name="1 anhörig hittades")
    assert results.evaluate("element => element === document.activeElement")
    _axe(page, "talk-carer-picker-results", problems)
    new.follow(page.locator("#picker-results-title + ul").get_by_role("link").first)
    page.wait_for_url(target)
    _axe(page, "talk-form-for-chosen-carer", problems)

    # --- After: one of the consultant's recent carers ---------------------------------------
    page.goto(live_server.url + "/samtal/nytt/")
    recent = Keyboard(page)
    recent.skip_to_main()
    recent.follow(page.locator(".recent-carers").get_by_role("link").first)
    page.wait_for_url(target)

    print(f"\nKeystrokes to a carer's talk form: before {old.count}, picker search {new.count}, recent {recent.count}")
    assert new.count <= 12, new.count
    assert recent.count <= 6, recent.count
    assert new.count * 2 < old.count, (old.count, new.count)
    assert not problems, "\n\n".join(problems)


def test_a_chosen_carer_keeps_what_was_typed_and_the_talk_is_identified(
    live_server: Any, page: Any, consultant_a: Any, casework: Casework
) -> None:
    from contacts.models import Talk, TalkDraft

    carer = casework.carer_a
    _sign_in(page, live_server.url, consultant_a.email)
    page.goto(live_server.url + "/samtal/nytt/")
    material = page.get_by_label(sv("Structured material used"), exact=True)
    material.focus()
    page.keyboard.type("COAT")
    # Straight to the picker, before the draft's timer has run: the draft is saved on the way.
    search = page.get_by_label(sv("Search by name or number (A-00042)"))
    search.focus()
    page.keyboard.type("A-00001")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with page.expect_navigation():
        page.locator("#picker-results-title + ul").get_by_role("link").first.click()
    page.wait_for_url(_path_is(f"/anhoriga/{carer.code}/samtal/"))
    assert page.get_by_label(sv("Structured material used"), exact=True).input_value() == "COAT"
    assert not TalkDraft.objects.filter(user=consultant_a, key="new").exists()

    main = page.get_by_role("main")
    main.get_by_role("group", name=sv("Mode"), exact=True).get_by_role("radio").first.check()
    page.get_by_label(sv("Talk type"), exact=True).select_option("advice")
    page.get_by_label(sv("Initiated by"), exact=True).select_option("carer")
    informed = sv("Told the carer they may apply for support for their own part (SoL 11 kap. 6 §)")
    main.get_by_role("group", name=informed, exact=True).get_by_role("radio", name=sv("Yes"), exact=True).check()
    children = sv("Asked about children in the carer's network")
    main.get_by_role("group", name=children, exact=True).get_by_role("radio", name=sv("No"), exact=True).check()
    before = set(Talk.objects.values_list("pk", flat=True))
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save the talk")).click()
    page.wait_for_url(_path_is(f"/anhoriga/{carer.code}/"))
    [talk] = Talk.objects.exclude(pk__in=before)
    assert talk.carer_id == carer.pk
    assert talk.structured_material == "COAT"


def test_a_refused_save_moves_the_focus_to_the_error_summary(
    live_server: Any, page: Any, consultant_a: Any, casework: Casework
) -> None:
    from contacts.models import Talk

    problems: list[str] = []
    _sign_in(page, live_server.url, consultant_a.email)
    page.goto(live_server.url + "/samtal/nytt/")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page.get_by_label(sv("Date"), exact=True).fill(tomorrow)
    before = Talk.objects.count()
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save the talk")).click()

    assert Talk.objects.count() == before
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    # The summary is above the form's fields, and the date keeps what was typed.
    assert page.get_by_label(sv("Date"), exact=True).input_value() == tomorrow
    _axe(page, "talk-form-error-summary", problems)

    # Each link leads to its field: the talk type's, then a radio group's first choice.
    summary.locator('a[href="#id_talk_type"]').click()
    assert page.evaluate("() => document.activeElement.id") == "id_talk_type"
    summary.locator('a[href="#id_mode_0"]').click()
    assert page.evaluate("() => document.activeElement.id") == "id_mode_0"
    assert not problems, "\n\n".join(problems)


def test_the_future_date_is_refused_at_the_date_field(
    live_server: Any, page: Any, consultant_a: Any, casework: Casework
) -> None:
    _sign_in(page, live_server.url, consultant_a.email)
    page.goto(f"{live_server.url}/anhoriga/{casework.carer_a.code}/samtal/")
    main = page.get_by_role("main")
    page.get_by_label(sv("Date"), exact=True).fill((timezone.localdate() + dt.timedelta(days=3)).isoformat())
    main.get_by_role("group", name=sv("Mode"), exact=True).get_by_role("radio").first.check()
    page.get_by_label(sv("Talk type"), exact=True).select_option("advice")
    page.get_by_label(sv("Initiated by"), exact=True).select_option("carer")
    informed = sv("Told the carer they may apply for support for their own part (SoL 11 kap. 6 §)")
    main.get_by_role("group", name=informed, exact=True).get_by_role("radio", name=sv("Yes"), exact=True).check()
    children = sv("Asked about children in the carer's network")
    main.get_by_role("group", name=children, exact=True).get_by_role("radio", name=sv("No"), exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save the talk")).click()

    date_field = page.locator(".field--date")
    assert date_field.locator(".error").inner_text().strip() == sv("A talk cannot be logged before it has started.")
    assert page.locator(".form-errors").count() == 0
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")


def test_an_old_draft_is_offered_and_discarding_asks_first(
    live_server: Any, page: Any, consultant_a: Any, casework: Casework
) -> None:
    from contacts.models import TalkDraft

    problems: list[str] = []
    draft = TalkDraft.objects.create(
        user=consultant_a, key="new", data={"mode": "home", "structured_material": "Förra veckans samtal"}
    )
    TalkDraft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - dt.timedelta(days=2))
    _sign_in(page, live_server.url, consultant_a.email)

    page.goto(live_server.url + "/samtal/nytt/")
    assert page.get_by_role("heading", name=sv("You have a talk that was never saved")).is_visible()
    assert page.get_by_role("button", name=sv("Save the talk")).count() == 0
    _axe(page, "talk-form-old-draft-prompt", problems)

    with page.expect_navigation():
        page.get_by_role("link", name=sv("Continue with the draft")).click()
    assert page.get_by_label(sv("Structured material used"), exact=True).input_value() == "Förra veckans samtal"
    _axe(page, "talk-form-draft-restored", problems)

    with page.expect_navigation():
        page.get_by_role("link", name=sv("Discard the draft")).click()
    assert page.get_by_role("heading", level=1).inner_text().strip() == sv("Discard the draft?")
    assert TalkDraft.objects.filter(pk=draft.pk).exists()
    _axe(page, "talk-draft-discard-confirmation", problems)
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Discard the draft")).click()
    assert page.get_by_role("status").get_by_text(sv("The draft is discarded."), exact=True).is_visible()
    assert not TalkDraft.objects.filter(pk=draft.pk).exists()
    assert page.get_by_label(sv("Structured material used"), exact=True).input_value() == ""
    assert not problems, "\n\n".join(problems)


def test_an_empty_carer_form_is_refused_with_the_focus_on_the_summary(
    live_server: Any, page: Any, consultant_a: Any, casework: Casework
) -> None:
    from contacts.models import Carer

    problems: list[str] = []
    _sign_in(page, live_server.url, consultant_a.email)
    page.goto(live_server.url + "/anhoriga/ny/")
    gender = page.get_by_label(sv("gender").capitalize(), exact=True)
    assert gender.input_value() == ""  # nothing pre-answered
    _axe(page, "carer-form", problems)
    before = Carer.objects.count()
    language = page.get_by_label(sv("language").capitalize(), exact=True)
    language.fill("arabiska")

    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save")).click()

    assert Carer.objects.count() == before
    assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')")
    assert page.locator("[data-error-summary]").get_by_text("Formuläret är tomt.", exact=False).is_visible()
    assert page.get_by_label(sv("language").capitalize(), exact=True).input_value() == "arabiska"
    _axe(page, "carer-form-empty-refused", problems)

    page.locator("[data-error-summary]").get_by_role("link").first.click()
    assert page.evaluate("() => document.activeElement.id") == "id_first_name"
    page.keyboard.type("Ulla")
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Save")).click()
    assert Carer.objects.filter(first_name="Ulla", language="arabiska", gender="").exists()
    assert not problems, "\n\n".join(problems)


def test_sanity_no_draft_json_in_the_page(live_server: Any, page: Any, consultant_a: Any, casework: Casework) -> None:
    """The old draft's prompt shows the draft's answers as text, never its raw data."""
    from contacts.models import TalkDraft

    draft = TalkDraft.objects.create(user=consultant_a, key="new", data={"mode": "home"})
    TalkDraft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - dt.timedelta(days=1))
    _sign_in(page, live_server.url, consultant_a.email)
    page.goto(live_server.url + "/samtal/nytt/")
    assert json.dumps({"mode": "home"}) not in page.content()
    assert page.get_by_text(sv("Home visit"), exact=True).is_visible()
