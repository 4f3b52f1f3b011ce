""" "Idag", the consultant's day (issue 12): today's sessions, follow-ups overdue, due today
and coming (talks and stödplan items), open contact requests and interest, unsigned notes
and open talk drafts, each a link, scoped to the user's units; follow-ups marked done
leave it; a stödplan item is edited and marked done.

The day is built by hand (``karins_day``): for each thing shown, a twin that must not be
(done, too far ahead, tomorrow, handled, another unit's, someone else's).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anhorigstod.accounts.models import User
from anhorigstod.audit.models import AccessLog
from contacts.models import Carer, JournalNote, SupportPlanItem, Talk, TalkDraft
from groups.models import Activity, Application, ContactRequest, Session
from tests.conftest import Casework, Org

TODAY = "/idag/"
WORKLOAD = "/uppfoljning/min-arbetsbelastning/"


def _talk(
    unit: Any, consultant: User, kind: Any, carer: Carer | None, follow_up_on: dt.date | None, **extra: Any
) -> Talk:
    return Talk.objects.create(
        unit=unit,
        consultant=consultant,
        support_kind=kind,
        carer=carer,
        started_at=timezone.now() - dt.timedelta(days=30),
        duration_minutes=45,
        mode="office",
        talk_type="advice",
        initiator="carer",
        time_of_day="daytime",
        informed_right_to_apply="yes",
        asked_about_children="yes",
        follow_up_on=follow_up_on,
        **extra,
    )


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _activity(unit: Any, user: User, kind: Any, title: str, mode: str = "booking") -> Activity:
    return Activity.objects.create(
        unit=unit,
        title=title,
        description="Välkommen!",
        kind="cafe" if mode == "drop_in" else "support_group" if mode == "application" else "lecture",
        support_kind=kind,
        purpose="social",
        prevention_level="universal",
        place="Träffpunkten",
        registration_mode=mode,
        capacity=None if mode == "drop_in" else 8,
        created_by=user,
    )


@dataclass
class Day:
    today: dt.date
    shown: dict[str, str]  # what the page must link to: name -> URL
    hidden: dict[str, str]  # what it must not
    talk_overdue: Talk
    talk_today: Talk
    talk_coming: Talk
    item_overdue: SupportPlanItem
    item_coming: SupportPlanItem


def build_day(org: Org, casework: Casework, consultant_a: User, consultant_b: User) -> Day:
    """Karin's day in unit A, and what lies around it in unit A2 and unit B."""
    today = timezone.localdate()
    kind = casework.kinds["talk_series"]
    carer_a = casework.carer_a
    # Karin is stödkontakt for a carer in unit A2, where she no longer works.
    carer_a2 = Carer.objects.create(
        unit=org.unit_a2, number=1, support_contact=consultant_a, last_entry_at=timezone.now()
    )
    closed = Carer.objects.create(
        unit=org.unit_a,
        number=2,
        support_contact=consultant_a,
        last_entry_at=timezone.now(),
        status="closed",
        closed_on=today,
        close_reason="moved",
    )
    talk_overdue = _talk(org.unit_a, consultant_a, kind, carer_a, today - dt.timedelta(days=5))
    talk_today = _talk(org.unit_a, consultant_a, kind, carer_a, today)
    talk_coming = _talk(org.unit_a, consultant_a, kind, None, today + dt.timedelta(days=3))
    talk_far = _talk(org.unit_a, consultant_a, kind, carer_a, today + dt.timedelta(days=30))
    talk_done = _talk(
        org.unit_a,
        consultant_a,
        kind,
        carer_a,
        today - dt.timedelta(days=2),
        follow_up_done_at=timezone.now(),
        follow_up_done_by=consultant_a,
    )
    talk_a2 = _talk(org.unit_a2, consultant_a, kind, carer_a2, today - dt.timedelta(days=1))
    talk_closed = _talk(org.unit_a, consultant_a, kind, closed, today - dt.timedelta(days=1))
    kind_b = type(kind).objects.get(municipality=org.unit_b.municipality, code="talk_series")
    talk_b = _talk(org.unit_b, consultant_b, kind_b, casework.carer_b, today - dt.timedelta(days=1))

    item_overdue = SupportPlanItem.objects.create(
        carer=carer_a, area="own_life", goal="Egen tid varje vecka", follow_up_on=today - dt.timedelta(days=10)
    )
    item_coming = SupportPlanItem.objects.create(
        carer=carer_a, area="care_tasks", goal="Avlösning i hemmet", follow_up_on=today + dt.timedelta(days=7)
    )
    item_done = SupportPlanItem.objects.create(
        carer=carer_a, area="good_help", goal="Kontakt med vårdcentralen", follow_up_on=today, done=True
    )
    item_a2 = SupportPlanItem.objects.create(
        carer=carer_a2, area="own_life", goal="Promenader", follow_up_on=today - dt.timedelta(days=1)
    )
    item_b = SupportPlanItem.objects.create(
        carer=casework.carer_b, area="own_life", goal="Bo's mål", follow_up_on=today - dt.timedelta(days=1)
    )

    lecture = _activity(org.unit_a, consultant_a, casework.kinds["lecture"], "Föreläsning om demens")
    group = _activity(org.unit_a, consultant_a, casework.kinds["support_group"], "Stödgrupp", mode="application")
    kinds_b = {k.code: k for k in type(kind).objects.filter(municipality=org.unit_b.municipality)}
    lecture_b = _activity(org.unit_b, consultant_b, kinds_b["lecture"], "Sjöhagas föreläsning")
    session_today = Session.objects.create(activity=lecture, starts_at=_at(today, 0, 5), ends_at=_at(today, 2))
    session_cancelled = Session.objects.create(
        activity=lecture, starts_at=_at(today, 0, 10), ends_at=_at(today, 1), status="cancelled", cancel_reason="Sjuk"
    )
    session_tomorrow = Session.objects.create(
        activity=lecture,
        starts_at=_at(today + dt.timedelta(days=1), 0, 5),
        ends_at=_at(today + dt.timedelta(days=1), 2),
    )
    session_b = Session.objects.create(activity=lecture_b, starts_at=_at(today, 0, 5), ends_at=_at(today, 2))
    Application.objects.create(activity=group, name="Ingrid Intresserad", email="ingrid@example.se", person_key="i")

    request_open = ContactRequest.objects.create(
        unit=org.unit_a, name="Olle Ringmig", phone="070-111 22 33", preferred_channel="phone"
    )
    request_handled = ContactRequest.objects.create(
        unit=org.unit_a,
        name="Hanna Klar",
        email="hanna@example.se",
        preferred_channel="email",
        handled_at=timezone.now(),
        handled_by=consultant_a,
    )
    request_b = ContactRequest.objects.create(
        unit=org.unit_b, name="Sjöhaga Person", phone="070-999", preferred_channel="phone"
    )

    note_unsigned = JournalNote.objects.create(carer=carer_a, author=consultant_a, text="Utkast till anteckning")
    note_b = JournalNote.objects.create(carer=casework.carer_b, author=consultant_b, text="Bo's anteckning")
    TalkDraft.objects.create(user=consultant_a, key="new", data={"duration_minutes": "30"})
    TalkDraft.objects.create(user=consultant_a, key=str(carer_a.code), data={"duration_minutes": "30"})
    TalkDraft.objects.create(user=consultant_a, key=str(casework.carer_b.code), data={})

    carer_url = f"/anhoriga/{carer_a.code}/"
    return Day(
        today=today,
        shown={
            "overdue talk": f"/samtal/{talk_overdue.code}/",
            "today's talk": f"/samtal/{talk_today.code}/",
            "coming talk": f"/samtal/{talk_coming.code}/",
            "overdue plan item": f"{carer_url}#plan-{item_overdue.code}",
            "coming plan item": f"{carer_url}#plan-{item_coming.code}",
            "today's session": f"/tillfallen/{session_today.code}/",
            "cancelled session": f"/tillfallen/{session_cancelled.code}/",
            "open request": f"/inkorg/{request_open.code}/",
            "interest": f"/aktiviteter/{group.code}/ansokningar/",
            "unsigned note": f"{carer_url}#note-{note_unsigned.code}",
            "anonymous draft": "/samtal/nytt/",
            "carer's draft": f"{carer_url}samtal/",
        },
        hidden={
            "far talk": f"/samtal/{talk_far.code}/",
            "done talk": f"/samtal/{talk_done.code}/",
            "A2 talk": f"/samtal/{talk_a2.code}/",
            "closed record's talk": f"/samtal/{talk_closed.code}/",
            "B talk": f"/samtal/{talk_b.code}/",
            "done plan item": f"#plan-{item_done.code}",
            "A2 plan item": f"#plan-{item_a2.code}",
            "B plan item": f"#plan-{item_b.code}",
            "tomorrow's session": f"/tillfallen/{session_tomorrow.code}/",
            "B session": f"/tillfallen/{session_b.code}/",
            "handled request": f"/inkorg/{request_handled.code}/",
            "B request": f"/inkorg/{request_b.code}/",
            "B note": f"#note-{note_b.code}",
            "B draft": f"/anhoriga/{casework.carer_b.code}/samtal/",
        },
        talk_overdue=talk_overdue,
        talk_today=talk_today,
        talk_coming=talk_coming,
        item_overdue=item_overdue,
        item_coming=item_coming,
    )


@pytest.fixture
def karins_day(org: Org, casework: Casework, consultant_a: User, consultant_b: User) -> Day:
    return build_day(org, casework, consultant_a, consultant_b)


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_idag_links_to_each_thing_of_karins_day_and_to_nothing_else(login_as, karins_day: Day) -> None:  # type: ignore[no-untyped-def]
    page = _main(login_as("consultant_a").get(TODAY).content.decode())
    missing = [name for name, url in karins_day.shown.items() if f'href="{url}"' not in page]
    assert not missing, f"Idag does not link to: {missing}"
    leaked = [name for name, url in karins_day.hidden.items() if url in page]
    assert not leaked, f"Idag shows what it must not: {leaked}"


def test_overdue_follow_ups_come_first_and_say_so_in_words(login_as, karins_day: Day) -> None:  # type: ignore[no-untyped-def]
    page = _main(login_as("consultant_a").get(TODAY).content.decode())
    section = page[page.index('id="follow-ups"') :]
    order = [
        section.index(karins_day.shown[name])
        for name in ("overdue plan item", "overdue talk", "today's talk", "coming talk", "coming plan item")
    ]
    assert order == sorted(order), "oldest overdue first, then today's, then the coming ones by date"
    assert "Försenad med 10 dagar" in section and "Försenad med 5 dagar" in section
    headings = re.findall(r"<h3>\s*([^<]+?)\s*</h3>", section)
    assert headings[:3] == ["Försenade", "Att göra idag", "Kommande, inom 14 dagar"]
    overview = page[page.index('class="today-overview"') : page.index("</nav>")]
    assert "2 försenade, 1 idag, 2 kommande" in overview


def test_idag_shows_labels_not_names(login_as, karins_day: Day, casework: Casework) -> None:  # type: ignore[no-untyped-def]
    page = _main(login_as("consultant_a").get(TODAY).content.decode())
    assert casework.carer_a.label in page
    for name in ("Gunnel", "Testsson", "Olle", "Ringmig", "Ingrid", "Egen tid varje vecka", "Utkast till anteckning"):
        assert name not in page, f"{name!r} on Idag"


def test_every_link_on_idag_opens(login_as, karins_day: Day) -> None:  # type: ignore[no-untyped-def]
    client = login_as("consultant_a")
    page = _main(client.get(TODAY).content.decode())
    hrefs = sorted({href.split("#")[0] for href in re.findall(r'href="([^"]+)"', page)} - {""})
    assert len(hrefs) >= 10
    broken = [(href, status) for href in hrefs if (status := client.get(href).status_code) != 200]
    assert not broken, broken


def test_what_idag_lists_is_in_the_access_log(login_as, karins_day: Day, casework: Casework) -> None:  # type: ignore[no-untyped-def]
    login_as("consultant_a").get(TODAY)
    logged = set(AccessLog.objects.filter(via="today", action="view").values_list("record_type", "record_code"))
    assert ("contacts.talk", str(karins_day.talk_overdue.code)) in logged
    assert ("contacts.supportplanitem", str(karins_day.item_overdue.code)) in logged
    assert ("contacts.carer", str(casework.carer_a.code)) in logged  # the carer's draft
    assert ("contacts.talk", str(karins_day.talk_coming.code)) not in logged, "an anonymous talk names nobody"
    assert not AccessLog.objects.filter(via="today", subject_code=str(casework.carer_b.code)).exists()


def test_consultant_b_sees_nothing_of_unit_a(login_as, karins_day: Day) -> None:  # type: ignore[no-untyped-def]
    page = _main(login_as("consultant_b").get(TODAY).content.decode())
    leaked = [name for name, url in karins_day.shown.items() if url.split("#")[-1] in page and url != "/samtal/nytt/"]
    assert not leaked


def test_an_empty_day_says_what_to_do_in_each_section(login_as, org: Org, consultant_a: User) -> None:  # type: ignore[no-untyped-def]
    page = _main(login_as("consultant_a").get(TODAY).content.decode())
    for key in ("sessions", "follow-ups", "requests", "unsigned-notes", "drafts"):
        assert f'id="{key}"' in page, key
    assert "Dina enheter har inga gruppträffar idag." in page
    assert "Inga uppföljningar är försenade eller ska göras inom 14 dagar." in page
    assert "Inga öppna kontaktförfrågningar." in page
    assert "Du har inga osignerade journalanteckningar." in page
    assert "Du har inga påbörjade samtal." in page


def test_an_administrator_gets_no_casework_sections(login_as, karins_day: Day) -> None:  # type: ignore[no-untyped-def]
    page = _main(login_as("admin_a").get(TODAY).content.decode())
    assert 'id="follow-ups"' not in page and 'id="sessions"' not in page
    assert "Dina enheter" in page


def test_the_number_of_queries_does_not_grow_with_the_day(  # type: ignore[no-untyped-def]
    login_as, karins_day: Day, org: Org, casework: Casework, consultant_a: User, django_assert_max_num_queries
) -> None:
    client = login_as("consultant_a")
    client.get(TODAY)  # warm: the session, the user, the menus
    with CaptureQueriesContext(connection) as small:
        assert client.get(TODAY).status_code == 200
    # Three times as much of everything.
    for _ in range(2):
        build_day_more(org, casework, consultant_a)
    with CaptureQueriesContext(connection) as large:
        assert client.get(TODAY).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]
    with django_assert_max_num_queries(30):
        client.get(TODAY)


def build_day_more(org: Org, casework: Casework, consultant_a: User) -> None:
    """More of each kind of row Idag shows, in Karin's unit."""
    today = timezone.localdate()
    kind = casework.kinds["talk_series"]
    number = Carer.objects.filter(unit=org.unit_a).count() + 1
    carer = Carer.objects.create(
        unit=org.unit_a, number=number, support_contact=consultant_a, last_entry_at=timezone.now()
    )
    for days in (-3, 0, 4):
        _talk(org.unit_a, consultant_a, kind, carer, today + dt.timedelta(days=days))
        SupportPlanItem.objects.create(
            carer=carer, area="own_life", goal="Mål", follow_up_on=today + dt.timedelta(days=days)
        )
    JournalNote.objects.create(carer=carer, author=consultant_a, text="Ännu en")
    TalkDraft.objects.create(user=consultant_a, key=str(carer.code), data={})
    lecture = Activity.objects.filter(unit=org.unit_a, registration_mode="booking").first()
    assert lecture is not None
    Session.objects.create(activity=lecture, starts_at=_at(today, 0, 15), ends_at=_at(today, 1))
    ContactRequest.objects.create(unit=org.unit_a, name="Fler", phone="070-1", preferred_channel="phone")


# --- Marking done ---------------------------------------------------------------------------


def test_marking_a_talks_follow_up_done_removes_it_and_is_logged(login_as, karins_day: Day, consultant_a: User) -> None:  # type: ignore[no-untyped-def]
    client = login_as("consultant_a")
    talk = karins_day.talk_overdue
    response = client.post(f"/samtal/{talk.code}/uppfoljning-klar/", {"next": TODAY})
    assert response.status_code == 302 and response["Location"] == TODAY
    talk.refresh_from_db()
    assert talk.follow_up_done_by == consultant_a
    assert talk.follow_up_done_at is not None and timezone.now() - talk.follow_up_done_at < dt.timedelta(minutes=1)
    assert AccessLog.objects.filter(
        action="update", record_code=str(talk.code), via="contacts:talk_follow_up_done", actor=consultant_a
    ).exists()
    page = client.get(TODAY).content.decode()
    assert f"/samtal/{talk.code}/" not in _main(page)
    assert "markerad som klar" in page  # the message
    workload = client.get(WORKLOAD)
    assert talk.pk not in [row.record.pk for row in workload.context["due"] if row.kind == "talk"]
    # Twice is refused in words, and changes nothing.
    done_at = talk.follow_up_done_at
    client.post(f"/samtal/{talk.code}/uppfoljning-klar/")
    talk.refresh_from_db()
    assert talk.follow_up_done_at == done_at


def test_marking_done_goes_back_only_within_the_site(login_as, karins_day: Day) -> None:  # type: ignore[no-untyped-def]
    talk = karins_day.talk_today
    response = login_as("consultant_a").post(
        f"/samtal/{talk.code}/uppfoljning-klar/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/samtal/{talk.code}/"


def test_another_units_consultant_cannot_mark_done(login_as, karins_day: Day) -> None:  # type: ignore[no-untyped-def]
    client = login_as("consultant_b")
    assert client.post(f"/samtal/{karins_day.talk_overdue.code}/uppfoljning-klar/").status_code == 404
    item = karins_day.item_overdue
    assert client.post(f"/anhoriga/{item.carer.code}/stodplan/{item.code}/klar/").status_code == 404
    karins_day.talk_overdue.refresh_from_db()
    item.refresh_from_db()
    assert karins_day.talk_overdue.follow_up_done_at is None and not item.done


def test_the_talk_page_marks_its_follow_up_done(login_as, karins_day: Day, consultant_a: User) -> None:  # type: ignore[no-untyped-def]
    client = login_as("consultant_a")
    url = f"/samtal/{karins_day.talk_overdue.code}/"
    page = client.get(url).content.decode()
    assert f'action="{url}uppfoljning-klar/"' in page and "Försenad" in page
    client.post(f"{url}uppfoljning-klar/")
    page = client.get(url).content.decode()
    assert f'action="{url}uppfoljning-klar/"' not in page
    assert f"klar {timezone.localdate():%Y-%m-%d} av Karin Konsulent" in page


def test_marking_a_plan_item_done_removes_it_and_is_logged(login_as, karins_day: Day, consultant_a: User) -> None:  # type: ignore[no-untyped-def]
    client = login_as("consultant_a")
    item = karins_day.item_overdue
    response = client.post(f"/anhoriga/{item.carer.code}/stodplan/{item.code}/klar/", {"next": TODAY})
    assert response["Location"] == TODAY
    item.refresh_from_db()
    assert item.done and item.done_by == consultant_a and item.done_at is not None
    assert AccessLog.objects.filter(
        action="update", record_type="contacts.supportplanitem", record_code=str(item.code), actor=consultant_a
    ).exists()
    assert f"#plan-{item.code}" not in _main(client.get(TODAY).content.decode())
    record = client.get(f"/anhoriga/{item.carer.code}/").content.decode()
    assert f"Markerad som klar {timezone.localdate():%Y-%m-%d} av Karin Konsulent." in record


# --- Editing a stödplan item -----------------------------------------------------------------


def test_a_plan_item_is_edited_and_reopened(login_as, karins_day: Day, consultant_a: User) -> None:  # type: ignore[no-untyped-def]
    client = login_as("consultant_a")
    item = karins_day.item_coming
    url = f"/anhoriga/{item.carer.code}/stodplan/{item.code}/"
    form = client.get(url)
    assert form.status_code == 200 and "Avlösning i hemmet" in form.content.decode()
    later = karins_day.today + dt.timedelta(days=20)
    data = {
        "area": "care_tasks",
        "goal": "Avlösning två dagar i veckan",
        "actions": "Ringa Hemtjänsten",
        "follow_up_on": later.isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/anhoriga/{item.carer.code}/#plan-{item.code}"
    item.refresh_from_db()
    assert (item.goal, item.actions, item.follow_up_on, item.done) == (
        "Avlösning två dagar i veckan",
        "Ringa Hemtjänsten",
        later,
        False,
    )
    assert AccessLog.objects.filter(action="update", record_code=str(item.code), via="contacts:plan_item_edit").exists()
    # Done through the form, then open again.
    client.post(url, {**data, "done": "on"})
    item.refresh_from_db()
    assert item.done and item.done_by == consultant_a
    client.post(url, data)
    item.refresh_from_db()
    assert not item.done and item.done_at is None and item.done_by is None


def test_a_refused_plan_item_edit_keeps_what_was_typed(login_as, karins_day: Day) -> None:  # type: ignore[no-untyped-def]
    item = karins_day.item_coming
    url = f"/anhoriga/{item.carer.code}/stodplan/{item.code}/"
    response = login_as("consultant_a").post(
        url, {"area": "care_tasks", "goal": "", "actions": "Skrivet men inte sparat"}
    )
    assert response.status_code == 200
    assert "Skrivet men inte sparat" in response.content.decode()
    assert response.context["form"].errors["goal"]
    item.refresh_from_db()
    assert item.goal == "Avlösning i hemmet"


def test_a_plan_item_is_reached_only_through_its_own_carer(login_as, karins_day: Day, casework: Casework) -> None:  # type: ignore[no-untyped-def]
    item = karins_day.item_coming
    client = login_as("consultant_a")
    # Another carer's address with this item's code.
    other = Carer.objects.create(unit=item.carer.unit, number=99, last_entry_at=timezone.now())
    assert client.get(f"/anhoriga/{other.code}/stodplan/{item.code}/").status_code == 404
    assert login_as("consultant_b").get(f"/anhoriga/{item.carer.code}/stodplan/{item.code}/").status_code == 404


def test_the_workload_lists_overdue_follow_ups_first(login_as, karins_day: Day) -> None:  # type: ignore[no-untyped-def]
    due = login_as("consultant_a").get(WORKLOAD).context["due"]
    assert [row.state for row in due] == ["overdue", "overdue", "today", "coming", "coming"]
    assert due[0].record == karins_day.item_overdue and due[1].record == karins_day.talk_overdue


def test_marking_done_logs_the_change_and_no_view_from_nowhere(login_as, karins_day: Day) -> None:  # type: ignore[no-untyped-def]
    talk = karins_day.talk_overdue
    before = AccessLog.objects.count()
    login_as("consultant_a").post(f"/samtal/{talk.code}/uppfoljning-klar/")
    rows = list(AccessLog.objects.order_by("id")[before:].values_list("action", "record_code", "via"))
    assert rows == [("update", str(talk.code), "contacts:talk_follow_up_done")]


def test_marking_done_needs_the_forms_csrf_token(karins_day: Day, consultant_a: User) -> None:
    from django.conf import settings
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(consultant_a, backend=settings.AUTHENTICATION_BACKENDS[0])
    talk, item = karins_day.talk_overdue, karins_day.item_overdue
    assert client.post(f"/samtal/{talk.code}/uppfoljning-klar/").status_code == 403
    assert client.post(f"/anhoriga/{item.carer.code}/stodplan/{item.code}/klar/").status_code == 403
    talk.refresh_from_db()
    item.refresh_from_db()
    assert talk.follow_up_done_at is None and not item.done
    # With the token the page's form carries, it goes through.
    page = client.get(TODAY).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = client.post(f"/samtal/{talk.code}/uppfoljning-klar/", {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.follow_up_done_at is not None


def test_more_follow_ups_than_a_section_shows_are_said_to_be_more(  # type: ignore[no-untyped-def]
    login_as, org: Org, casework: Casework, consultant_a: User
) -> None:
    from contacts.today import LIMIT

    today = timezone.localdate()
    for days in range(LIMIT + 1):
        _talk(org.unit_a, consultant_a, casework.kinds["talk_series"], None, today - dt.timedelta(days=days + 1))
    page = _main(login_as("consultant_a").get(TODAY).content.decode())
    section = page[page.index('id="follow-ups"') : page.index('id="requests"')]
    assert section.count('class="badge badge--overdue"') == LIMIT
    assert f"{LIMIT} försenade och fler" in page
    assert f"De {LIMIT} närmaste uppföljningarna visas." in section
