"""Registerutdrag: everything stored about a carer, as JSON and as PDF, each delivery
logged as an export (PRODUCT §9)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from anhorigstod.audit.models import AccessLog
from anhorigstod.audit.services import Action, access_log
from anhorigstod.lib import pdf as pdf_module
from anhorigstod.lib.pdf import render_pdf
from contacts.models import Instrument, JournalNote, Measurement, MeasurementAnswer, TalkFocusEntry
from contacts.selectors.extract import carer_extract_data, carer_extract_json, carer_extract_pdf, extract_headings
from tests.contacts.test_retention import STOCKHOLM, fill_record, make_carer, make_talk

LAST_ENTRY = dt.datetime(2026, 2, 10, 14, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def gunnel(org, consultant_a):  # type: ignore[no-untyped-def]
    carer = make_carer(
        org.unit_a,
        last_entry_at=LAST_ENTRY,
        first_name="Gunnel",
        last_name="Öberg",
        personnummer="189001019802",
        email="gunnel@example.se",
        gender="woman",
        birth_year=1941,
        target_group="dementia",
        interpreter_needed=False,
        support_contact=consultant_a,
    )
    fill_record(carer, consultant_a)
    return carer


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def test_the_extract_holds_everything_stored_with_readable_labels(gunnel, consultant_a) -> None:  # type: ignore[no-untyped-def]
    access_log(actor=consultant_a, action=Action.VIEW, record=gunnel, unit=gunnel.unit, subject_code=str(gunnel.code))
    with translation.override("en"):
        data = carer_extract_data(carer=gunnel)

    identity = {row["field"]: row["value"] for row in data["carer"]["identity"]}
    assert identity == {
        "first_name": "Gunnel",
        "last_name": "Öberg",
        "email": "gunnel@example.se",
        "phone": "",
        "personnummer": "189001019802",
    }
    statistics = {row["field"]: row["value"] for row in data["carer"]["statistics"]}
    assert statistics["gender"] == "Woman"
    assert statistics["target_group"] == "Dementia / cognitive impairment"
    assert statistics["birth_year"] == 1941
    assert statistics["interpreter_needed"] is False
    record = {row["field"]: row for row in data["carer"]["record"]}
    assert record["support_contact"]["value"] == "Karin Konsulent"
    assert record["status"]["value"] == "Open"
    assert (data["municipality"]["name"], data["unit"]["name"]) == ("Ängsviks kommun", "Anhörigstöd Norra")

    assert len(data["talks"]) == 2
    newest = data["talks"][0]  # newest first, as in the carer's timeline
    assert newest["started_at"] == LAST_ENTRY
    assert (newest["talk_type"], newest["mode"], newest["duration_minutes"]) == ("Advice", "Phone", 45)
    assert sorted(newest["focus"]) == ["Informing", "Supporting"]
    assert newest["consultant"] == "Karin Konsulent"
    assert newest["bring_up_next_time"] == "Fråga om avlösning"
    assert data["talks"][1]["next_step"] == "Ring om en vecka"

    notes = data["journal_notes"]
    assert [(n["text"], n["signed"], n["erroneous"]) for n in notes] == [
        ("Anteckning", True, False),
        ("Rättelse", True, False),
    ]
    assert notes[1]["corrects"]["code"] == notes[0]["code"]
    assert [c["to_whom"] for c in data["consents"]] == ["Vårdcentralen"]
    assert [p["goal"] for p in data["support_plan"]] == ["Egen tid varje vecka"]
    assert [str(r["hours"]) for r in data["respite_grants"]] == ["4.5"]
    # Both referrals, also the one saved on the talk without the carer.
    assert [r["partner"] for r in data["referrals"]] == ["Demensförbundet", "Demensförbundet"]
    measurement = data["measurements"][0]
    assert (measurement["instrument"], measurement["occasion"]) == ("KASAM-13", "Before support")
    assert [(a["item"], a["value"]) for a in measurement["answers"]] == [(1, 4), (2, 4), (3, 4)]
    assert [(e["who"], e["action"], e["record"]) for e in data["access_log"]] == [
        ("Karin Konsulent", "Viewed", "carer")
    ]


def test_an_erroneous_note_says_so(gunnel, consultant_a) -> None:  # type: ignore[no-untyped-def]
    JournalNote.objects.filter(carer=gunnel, text="Anteckning").update(
        marked_erroneous_at=LAST_ENTRY, marked_erroneous_by=consultant_a, erroneous_reason="Fel person"
    )
    note = carer_extract_data(carer=gunnel)["journal_notes"][0]
    assert (note["erroneous"], note["erroneous_reason"], note["marked_erroneous_by"]) == (
        True,
        "Fel person",
        "Karin Konsulent",
    )


def test_measurements_show_answers_and_scores(gunnel, consultant_a) -> None:  # type: ignore[no-untyped-def]
    soc13 = Instrument.objects.get(code="soc13")  # shipped by migration 0002
    measurement = Measurement.objects.create(
        carer=gunnel, instrument=soc13, occasion="after", measured_on=LAST_ENTRY.date(), recorded_by=consultant_a
    )
    MeasurementAnswer.objects.bulk_create(
        MeasurementAnswer(measurement=measurement, item=item, value=item.number % 7 + 1) for item in soc13.items.all()
    )
    with translation.override("en"):
        measurements = carer_extract_data(carer=gunnel)["measurements"]
    [shown] = [m for m in measurements if m["instrument"] == "KASAM / SOC-13"]

    assert shown["occasion"] == "After support"
    assert [(a["item"], a["value"]) for a in shown["answers"]] == [(n, n % 7 + 1) for n in range(1, 14)]
    # Items 1, 2, 3, 7 and 10 reversed (8 - answer): 6+5+4+5+6+7+7+2+3+4+5+6+7.
    assert shown["scores"]["total"] == 67
    assert {s["name"]: s["score"] for s in shown["scores"]["subscales"]} == {
        "Begriplighet": 5 + 7 + 2 + 3 + 5,
        "Hanterbarhet": 4 + 6 + 4 + 7,
        "Meningsfullhet": 6 + 5 + 7 + 6,
    }


def test_json_is_utf8_with_iso_dates_and_is_logged_as_an_export(gunnel, consultant_a) -> None:  # type: ignore[no-untyped-def]
    body = carer_extract_json(carer=gunnel, requested_by=consultant_a)

    assert "Öberg".encode() in body, "UTF-8, not \\u escapes"
    data = json.loads(body)
    assert data["carer"]["code"] == str(gunnel.code)
    assert dt.datetime.fromisoformat(data["talks"][0]["started_at"]) == LAST_ENTRY
    assert dt.date.fromisoformat(data["consents"][0]["given_on"]) == LAST_ENTRY.date()
    entry = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (entry.actor, entry.unit, entry.record_type, entry.record_code, entry.subject_code) == (
        consultant_a,
        gunnel.unit,
        "contacts.carer",
        str(gunnel.code),
        str(gunnel.code),
    )


def test_pdf_shows_the_carer_and_is_logged_as_an_export(gunnel, consultant_a) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        pdf = carer_extract_pdf(carer=gunnel, requested_by=consultant_a)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in ("Register extract", "Gunnel", "Öberg", "189001019802", "Ängsviks kommun", "Fråga om avlösning"):
        assert expected in text
    assert AccessLog.objects.filter(action="export", subject_code=str(gunnel.code), actor=consultant_a).count() == 1


def test_pdf_in_swedish_by_default(gunnel, consultant_a) -> None:  # type: ignore[no-untyped-def]
    text = pdf_text(carer_extract_pdf(carer=gunnel, requested_by=consultant_a))
    # "Registerutdrag" once the catalogue has the new strings; the source string until then.
    assert "Registerutdrag" in text or "Register extract" in text
    assert "Gunnel" in text


def test_html_has_one_h1_and_escapes_free_text(gunnel, consultant_a) -> None:  # type: ignore[no-untyped-def]
    JournalNote.objects.create(carer=gunnel, author=consultant_a, text='<img src="http://evil.example/x">')
    html, _pdf = render_pdf(
        "contacts/extract.html", {"extract": carer_extract_data(carer=gunnel), "headings": extract_headings()}
    )
    assert html.count("<h1") == 1
    assert '<html lang="sv">' in html
    assert "&lt;img src=&quot;http://evil.example/x&quot;&gt;" in html
    assert "<img" not in html


def test_query_count_does_not_grow_with_the_talks(org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    def carer_with_talks(count: int):  # type: ignore[no-untyped-def]
        carer = make_carer(org.unit_a, last_entry_at=LAST_ENTRY)
        fill_record(carer, consultant_a)  # two talks
        for n in range(count - 2):
            talk = make_talk(org.unit_a, consultant_a, carer=carer, started_at=LAST_ENTRY - dt.timedelta(days=n + 1))
            TalkFocusEntry.objects.create(talk=talk, focus="mapping")
        return carer

    few, many = carer_with_talks(2), carer_with_talks(10)
    with CaptureQueriesContext(connection) as few_queries:
        carer_extract_data(carer=few)
    with CaptureQueriesContext(connection) as many_queries:
        data = carer_extract_data(carer=many)
    assert len(data["talks"]) == 10
    assert len(many_queries) == len(few_queries)
    assert len(few_queries) <= 15


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_render_pdf_fetches_nothing_from_the_network(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    html = (
        f'<html lang="sv"><head><link rel="stylesheet" href="{url}/site.css"></head>'
        f'<body><h1>Test</h1><img src="{url}/logo.png" alt=""><img src="file:///etc/hostname" alt="">'
        '<img alt="" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk'
        '+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="></body></html>'
    )
    monkeypatch.setattr(pdf_module, "render_to_string", lambda template, context: html)
    try:
        _html, pdf = render_pdf("unused.html", {})
        # Negative control: WeasyPrint's own fetcher does call the server.
        from weasyprint import HTML

        HTML(string=html).write_pdf()
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF")
    assert b"/Subtype /Image" in pdf, "the inline data: image is embedded"
    assert sorted(_Recorder.hits) == ["/logo.png", "/site.css"], "only the unrestricted render reached the server"
