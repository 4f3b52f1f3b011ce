"""A carer's name and personnummer live in the carer's own row and nowhere else: not in
the access log, talks, drafts, sessions, log output, task payloads or URLs (PRODUCT §3, §9).

The test carer is "Gunnel Testsson" with Skatteverket's test personnummer 198501012390
(194107089258 fails the check digit, so it cannot be typed into the form). Nothing here
uses the ``casework`` fixture, so she is the only carer of that name. A consultant
registers her through the form, logs an anonymous talk and an identified one for her, saves
drafts, opens her record, the lists and her talk; then every text column of every table is
searched.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any
from unittest import mock

import pytest
from celery.app.task import Task

from django.apps import apps
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import models
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from anhorigstod.accounts.models import User
from anhorigstod.celery import app as celery_app
from contacts.models import Carer, SupportKind, Talk
from contacts.personnummer import normalise
from contacts.policy import DEFAULT_SUPPORT_KINDS
from tests.conftest import Org

FIRST, LAST = "Gunnel", "Testsson"
NAME = f"{FIRST} {LAST}"
PERSONNUMMER = "198501012390"
# Every shape the number could take on its way through the system.
NEEDLES = (FIRST, LAST, PERSONNUMMER, "19850101-2390", "850101-2390", "8501012390")


def test_the_test_personnummer_is_valid() -> None:
    assert normalise(PERSONNUMMER) == PERSONNUMMER
    assert normalise("19850101-2390") == PERSONNUMMER


def _leaks(text: Any) -> list[str]:
    haystack = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False, default=str)
    return [needle for needle in NEEDLES if needle.lower() in haystack.lower()]


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
    ]


def _rows_with_identity() -> dict[str, list[tuple[Any, str, list[str]]]]:
    """Every (table, pk, column) whose value holds the name or the number."""
    found: dict[str, list[tuple[Any, str, list[str]]]] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        names = _text_fields(model)
        if not names:
            continue
        for row in model._base_manager.values_list("pk", *names):
            pk, values = row[0], row[1:]
            for name, value in zip(names, values, strict=True):
                if value in (None, "", {}, []):
                    continue
                hits = _leaks(value)
                if hits:
                    found.setdefault(model._meta.db_table, []).append((pk, name, hits))
    return found


@pytest.fixture
def kinds(org: Org) -> dict[str, SupportKind]:
    created = {}
    for code, name, tier, area, for_talks in DEFAULT_SUPPORT_KINDS:
        created[code] = SupportKind.objects.create(
            municipality=org.unit_a.municipality, code=code, name=name, tier=tier, area=area, for_talks=for_talks
        )
    return created


class Recorder:
    """Everything the session sent out: URLs asked for and redirected to, cookies set
    (the messages cookie decoded), task payloads, and what the tables held midway."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.cookies: list[Any] = []
        self.tasks: list[Any] = []
        self.midway: list[dict[str, Any]] = []

    def visit(self, client: Client, method: str, url: str, data: Any = None) -> Any:
        self.urls.append(url)
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        if response.has_header("Location"):
            self.urls.append(response["Location"])
        for name, morsel in response.cookies.items():
            self.cookies.append((name, morsel.value))
            if name == CookieStorage.cookie_name and morsel.value:
                decoded = CookieStorage(HttpRequest())._decode(morsel.value) or []
                self.cookies.append((name, [str(message) for message in decoded]))
        return response


def _talk_data(kind: SupportKind, day: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "support_kind": str(kind.pk),
        "date": day.isoformat(),
        "time": "10:00",
        "duration_minutes": "30",
        "mode": "office",
        "talk_type": "advice",
        "focus": ["supporting"],
        "initiator": "carer",
        "informed_right_to_apply": "yes",
        "asked_about_children": "no",
        "age_band": "30-44",
        "gender": "woman",
        "target_group": "mental",
    }
    data.update(extra)
    return data


def _work_as_a_consultant(
    client: Client, recorder: Recorder, kinds: dict[str, SupportKind], *, typed: str = PERSONNUMMER
) -> Carer:
    day = timezone.localdate() - dt.timedelta(days=1)
    created = recorder.visit(
        client,
        "post",
        "/anhoriga/ny/",
        {
            "first_name": FIRST,
            "last_name": LAST,
            "personnummer": typed,
            "gender": "woman",
            "language": "svenska",
            "relation": "partner",
            "target_group": "dementia",
            "close_person_has_municipal_contact": "yes",
            "care_hours": "11-20",
        },
    )
    assert created.status_code == 302, created.context["form"].errors
    carer = Carer.objects.get(last_name=LAST)
    code = str(carer.code)

    # Drafts, as the browser saves them while the consultant types.
    recorder.visit(client, "post", "/samtal/utkast/", {"draft_key": "new", "data": json.dumps({"mode": "phone"})})
    recorder.visit(client, "post", "/samtal/utkast/", {"draft_key": code, "data": json.dumps({"mode": "office"})})
    # Saving the talk deletes the drafts: look at the tables while they are there.
    recorder.midway.append(_rows_with_identity())
    # An anonymous talk, and an identified talk with notes for the carer.
    anonymous = recorder.visit(client, "post", "/samtal/nytt/", _talk_data(kinds["individual_talk"], day))
    assert anonymous.status_code == 302
    identified = recorder.visit(
        client,
        "post",
        f"/anhoriga/{code}/samtal/",
        _talk_data(kinds["talk_series"], day, next_step="Ring om en vecka.", bring_up_next_time="Sömnen."),
    )
    assert identified.status_code == 302
    recorder.visit(client, "post", f"/anhoriga/{code}/anteckning/", {"text": "Samtal om oro för natten."})
    # Reading: the record, the lists, the talk, the next talk form.
    talk = Talk.objects.get(carer=carer)
    for url in ("/anhoriga/", "/samtal/", f"/anhoriga/{code}/", f"/samtal/{talk.code}/", f"/anhoriga/{code}/samtal/"):
        assert recorder.visit(client, "get", url).status_code == 200, url
    return carer


def test_name_and_personnummer_are_only_in_the_carers_row(
    org: Org, consultant_a: User, kinds: dict[str, SupportKind], caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    client = Client()
    client.force_login(consultant_a)
    caplog.set_level(logging.DEBUG)
    real_send_task, real_apply_async = celery_app.send_task, Task.apply_async

    def record_send_task(*args: Any, **kwargs: Any) -> Any:
        recorder.tasks.append((args, kwargs))
        return real_send_task(*args, **kwargs)

    def record_apply_async(self: Task, *args: Any, **kwargs: Any) -> Any:
        recorder.tasks.append((self.name, args, kwargs))
        return real_apply_async(self, *args, **kwargs)

    with (
        mock.patch.object(celery_app, "send_task", side_effect=record_send_task),
        mock.patch.object(Task, "apply_async", autospec=True, side_effect=record_apply_async),
    ):
        carer = _work_as_a_consultant(client, recorder, kinds)

    # The carer's row holds the identity, as stored (12 digits).
    assert (carer.first_name, carer.last_name, carer.personnummer) == (FIRST, LAST, PERSONNUMMER)
    assert Talk.objects.filter(carer=carer).exists()
    assert Talk.objects.filter(carer=None).exists()

    # 1. Every table: only contacts_carer, only this carer's row.
    found = _rows_with_identity()
    assert set(found) == {"contacts_carer"}, found
    assert {pk for pk, _column, _hits in found["contacts_carer"]} == {carer.pk}

    # 2. Sessions, decoded (the table holds them encoded, so step 1 cannot see inside).
    for session in Session.objects.all():
        decoded = SessionStore().decode(session.session_data)
        assert not _leaks(decoded), decoded

    # 3. Log output at DEBUG, from every logger.
    for record in caplog.records:
        assert not _leaks(record.getMessage()), record.getMessage()
        assert not _leaks(repr(record.args)), record.args

    # 4. Task payloads.
    for call in recorder.tasks:
        assert not _leaks(repr(call)), call

    # 5. URLs asked for and redirected to, and cookies set.
    for url in recorder.urls:
        assert not _leaks(url), url
    for cookie in recorder.cookies:
        assert not _leaks(repr(cookie)), cookie

    # 6. The tables midway, while the drafts existed.
    for snapshot in recorder.midway:
        assert set(snapshot) == {"contacts_carer"}, snapshot


@pytest.mark.parametrize("typed", ["19850101-2390", "850101-2390", "8501012390"])
def test_the_personnummer_typed_in_its_usual_shapes_is_stored_once(
    org: Org, consultant_a: User, kinds: dict[str, SupportKind], typed: str
) -> None:
    """People type the number with a hyphen and in ten digits (contacts.personnummer accepts
    them all); the form must too, and keep only the 12-digit form, only in the carer's row."""
    recorder = Recorder()
    client = Client()
    client.force_login(consultant_a)
    carer = _work_as_a_consultant(client, recorder, kinds, typed=typed)

    assert carer.personnummer == PERSONNUMMER
    assert set(_rows_with_identity()) == {"contacts_carer"}
    for url in recorder.urls:
        assert not _leaks(url), url
    # The browser must let the hyphenated form be typed at all.
    maxlength = client.get("/anhoriga/ny/").context["form"].fields["personnummer"].widget.attrs.get("maxlength")
    assert maxlength is None or int(maxlength) >= len("19850101-2390")


def test_a_name_search_leaves_no_name_in_the_database(
    org: Org, consultant_a: User, kinds: dict[str, SupportKind]
) -> None:
    """Finding the carer by name is part of the work too: the search term must not be kept
    where the carer's row is not (a session row outlives a culled carer)."""
    client = Client()
    client.force_login(consultant_a)
    carer = _work_as_a_consultant(client, Recorder(), kinds)

    searched = client.post("/anhoriga/", {"q": LAST})
    assert LAST not in searched.get("Location", "")
    listed = client.get(searched["Location"]) if searched.status_code == 302 else searched
    assert str(carer.code) in {str(c.code) for c in listed.context["page"].object_list}

    for session in Session.objects.all():
        decoded = SessionStore().decode(session.session_data)
        assert not _leaks(decoded), decoded
    assert set(_rows_with_identity()) == {"contacts_carer"}


def test_the_personnummer_and_name_are_never_in_a_link_or_form_target(
    org: Org, consultant_a: User, kinds: dict[str, SupportKind]
) -> None:
    client = Client()
    client.force_login(consultant_a)
    carer = _work_as_a_consultant(client, Recorder(), kinds)
    talk = Talk.objects.get(carer=carer)
    pages = [
        "/anhoriga/",
        f"/anhoriga/{carer.code}/",
        f"/anhoriga/{carer.code}/samtal/",
        f"/anhoriga/{carer.code}/andra/",
        "/samtal/",
        f"/samtal/{talk.code}/",
        f"/anhoriga/{carer.code}/samtycke/",
        f"/anhoriga/{carer.code}/stodplan/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        targets = re.findall(r'(?:href|action|src|formaction|data-[\w-]+-url)="([^"]*)"', html)
        assert targets, url
        for target in targets:
            assert not _leaks(target), (url, target)

    # The list shows the name but masks nothing it need not show: the personnummer is not on it.
    listing = client.get("/anhoriga/").content.decode()
    assert NAME in listing
    assert PERSONNUMMER not in listing
    assert "19850101-2390" not in listing
