"""The talk and carer lists count their rows only up to a bound (1,000 in production): a
manager of a large municipality reaches hundreds of thousands of talks, and counting them
all on every page view cost more than the page (PRODUCT §10). Below the bound the lists
say exactly how many there are; above it they say "more than", and every page is still
reachable page by page."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from anhorigstod.accounts.models import User
from anhorigstod.lib.pagination import BoundedPaginator
from contacts.models import Carer, Talk
from tests.conftest import Casework, Org

BOUND = 100
_numbers = itertools.count(5000)


@pytest.fixture
def small_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("contacts.views.common.LIST_COUNT_BOUND", BOUND)


def add_talks(casework: Casework, org: Org, consultant: User, n: int) -> list[Talk]:
    now = timezone.now()
    return Talk.objects.bulk_create(
        Talk(
            unit=org.unit_a,
            consultant=consultant,
            support_kind=casework.kinds["individual_talk"],
            started_at=now - dt.timedelta(hours=i + 1),
            duration_minutes=30,
            mode="phone",
            talk_type="advice",
            initiator="carer",
            time_of_day="daytime",
            informed_right_to_apply="yes",
            asked_about_children="no",
        )
        for i in range(n)
    )


def add_carers(org: Org, n: int) -> None:
    Carer.objects.bulk_create(
        Carer(unit=org.unit_a, number=next(_numbers), last_entry_at=timezone.now() - dt.timedelta(minutes=i + 1))
        for i in range(n)
    )


def _text(response: Any) -> str:
    return " ".join(response.content.decode().split())


def test_the_talk_list_says_more_than_the_bound_and_every_page_stays_reachable(
    small_bound: None, casework: Casework, org: Org, consultant_a: User, login_as: Any
) -> None:
    add_talks(casework, org, consultant_a, BOUND + 20)  # and casework's talk_a: 121 in all
    karin = login_as("consultant_a")

    first = karin.get("/samtal/")
    assert "Fler än 100 samtal" in _text(first)
    assert "Sida 1 av fler än 2" in _text(first)
    assert "sida=2" in first.content.decode()

    # Page 3 lies beyond the bound: the count reaches it, and it shows the last rows.
    third = karin.get("/samtal/", {"sida": "3"})
    shown = {str(talk.code) for talk in third.context["page"].object_list}
    newest_first = Talk.objects.filter(unit=org.unit_a).order_by("-started_at", "-id")
    assert shown == {str(talk.code) for talk in newest_first[100:]}
    assert len(shown) == 21
    assert "Sida 3 av 3" in _text(third)
    assert "sida=4" not in third.content.decode()


def test_below_the_bound_the_count_is_exact(
    small_bound: None, casework: Casework, org: Org, consultant_a: User, login_as: Any
) -> None:
    add_talks(casework, org, consultant_a, BOUND - 1)  # with talk_a: exactly the bound
    add_carers(org, 30)
    karin = login_as("consultant_a")

    talks = karin.get("/samtal/")
    carers = karin.get("/anhoriga/")

    assert "100 samtal" in _text(talks) and "Fler än" not in _text(talks)
    assert "Sida 1 av 2" in _text(talks)
    assert "31 anhöriga" in _text(carers)


def test_the_carer_list_says_more_than_the_bound(
    small_bound: None, casework: Casework, org: Org, login_as: Any
) -> None:
    add_carers(org, BOUND + 60)
    karin = login_as("consultant_a")

    first = karin.get("/anhoriga/")
    fourth = karin.get("/anhoriga/", {"sida": "4"})

    assert "Fler än 100 anhöriga" in _text(first)
    assert len(fourth.context["page"].object_list) == 11
    assert "Sida 4 av 4" in _text(fourth)


@pytest.mark.parametrize("url", ["/samtal/", "/anhoriga/"])
def test_the_lists_never_count_more_rows_than_the_bound(
    casework: Casework, org: Org, consultant_a: User, login_as: Any, url: str
) -> None:
    karin = login_as("consultant_a")
    karin.get(url)

    with CaptureQueriesContext(connection) as queries:
        karin.get(url)

    counts = [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT COUNT(*)")]
    assert counts, "the list counts its rows"
    assert all("LIMIT 1001" in sql for sql in counts), counts


def test_the_bounded_paginator_counts_a_list_too() -> None:
    paginator = BoundedPaginator(list(range(130)), 10, bound=100)

    page = paginator.get_page(2)

    assert (paginator.count, paginator.is_exact, paginator.pages_more_than) == (101, False, 10)
    assert list(page) == list(range(10, 20))
    assert page.has_next()
    deep = BoundedPaginator(list(range(130)), 10, bound=100).get_page(13)
    assert list(deep) == list(range(120, 130))
    assert deep.paginator.is_exact and not deep.has_next()


# --- The filter forms' selects, written out in Python -------------------------------------------


@pytest.mark.parametrize("query", [{}, {"talk_type": "acute", "anonymous": "true", "focus": "mapping"}])
def test_the_filter_selects_are_the_markup_djangos_templates_give(
    casework: Casework, manager_a: User, consultant_a: User, query: dict[str, str]
) -> None:
    from django import forms
    from django.test.html import parse_html

    from anhorigstod.accounts.scoping import unit_ids_for
    from contacts.filters import CarerFilter, TalkFilter

    query = {**query, "consultant": str(consultant_a.pk), "status": "open"}
    talk_filter = TalkFilter(query, queryset=Talk.objects.all(), unit_ids=unit_ids_for(manager_a))
    carer_filter = CarerFilter(query, queryset=Carer.objects.all())
    compared = 0
    for form in (talk_filter.form, carer_filter.form):
        for field in form:
            widget = field.field.widget
            if not isinstance(widget, forms.Select) or type(widget).__module__ != "contacts.filters":
                continue  # a stock widget (the dates, the carer list's under 18)
            value = field.value()
            if widget.__class__.__name__ == "BooleanSelect":
                value = {True: "true", False: "false"}.get(value, "")
            context = widget.get_context(field.html_name, value, {"id": field.auto_id})
            ours = widget._render(widget.template_name, context)
            djangos = forms.Widget._render(widget, widget.template_name, context)
            assert parse_html(ours) == parse_html(djangos), field.name
            compared += 1
    assert compared == 9  # consultant, kind, type, focus, initiator, target group, anonymous; status, target group
    assert "selected" in str(talk_filter.form["consultant"])
