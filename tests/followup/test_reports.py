"""The PDF follow-up report (PRODUCT §8): requested, built by Celery, stored privately,
downloaded through a permission check, rendered the same from the command line.

Dataset: March 2025, unit A ("Anhörigstöd Norra"), counted by hand below; every count
that the tests look for is 5 or more, so small-cell suppression leaves it visible.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from django.conf import settings
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.test import Client

from anhorigstod.accounts.models import Role
from anhorigstod.celery import app as celery_app
from anhorigstod.outbox.models import OutboxMessage
from anhorigstod.rollups.services import rollups_rebuild
from contacts.models import ExemptionDecision, RespiteGrant
from followup.disclosure import released_figures
from followup.models import FollowUpReport
from followup.reports import build, services
from followup.reports.context import report_context, unit_and_below
from followup.reports.services import report_request
from groups.models import Session
from tests.conftest import TOTP_SECRET
from tests.factories import MembershipFactory
from tests.followup.marks import SMALL, hidden
from tests.followup.test_figures import at, carer, talk
from tests.groups.conftest import activity_booking, activity_drop_in  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent.parent
START, END = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
AREAS = ("Avlösning", "Stödsamtal", "Utbildning och information", "Hälsofrämjande aktiviteter")


@pytest.fixture(autouse=True)
def private_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's report files in a directory of its own."""
    location = tmp_path / "private"
    field: Any = FollowUpReport._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=location, base_url=None))
    return location


@pytest.fixture
def dataset(org, casework, consultant_a, manager_a, activity_drop_in, activity_booking):  # type: ignore[no-untyped-def]  # noqa: F811
    unit, kind = org.unit_a, casework.kinds["talk_series"]
    carers = [carer(unit, 100 + n, birth_year=1950, gender="woman") for n in range(6)]
    # Six talks in March, one per carer, each informed of the right to apply:
    # talks 6, carers reached 6, informed yes 6 of 6 answered.
    for n, who in enumerate(carers):
        talk(unit, consultant_a, kind, at(f"2025-03-{3 + n:02d}"), carer=who)
    # Outside the period: April.
    talk(unit, consultant_a, kind, at("2025-04-02"), carer=carers[0])
    # Respite: 2.5 hours to each of five carers in March = 12.5 hours, 5 carers
    # (the sixth carer's grant is in February, outside).
    for n, who in enumerate(carers):
        given = dt.date(2025, 2, 20) if n == 5 else dt.date(2025, 3, 10 + n)
        RespiteGrant.objects.create(carer=who, given_on=given, hours=Decimal("2.5"), recorded_by=consultant_a)
    # The café (group talks): one session, 7 people. The lecture (education): one session, 12 people.
    Session.objects.create(activity=activity_drop_in, starts_at=at("2025-03-11", 14), ends_at=at("2025-03-11", 16),
                           head_count=7)  # fmt: skip
    Session.objects.create(activity=activity_booking, starts_at=at("2025-03-12", 18), ends_at=at("2025-03-12", 20),
                           head_count=12)  # fmt: skip
    # In force during March (open-ended from January), and one that ended in 2024.
    ExemptionDecision.objects.create(
        municipality=unit.municipality, board="Socialnämnden", decided_on=dt.date(2025, 1, 10),
        reference="SN 2025/114 § 52", valid_from=dt.date(2025, 1, 10), reason="anonymity",
        reason_text="Anonymitet", recorded_by=manager_a,
    )  # fmt: skip
    ExemptionDecision.objects.create(
        municipality=unit.municipality, board="Socialnämnden", decided_on=dt.date(2023, 1, 10),
        reference="SN 2023/9 § 3", valid_from=dt.date(2023, 1, 10), valid_to=dt.date(2024, 12, 31),
        reason="anonymity", reason_text="Anonymitet", recorded_by=manager_a,
    )  # fmt: skip
    # Written past the services: count the follow-up afresh, as the nightly check does.
    rollups_rebuild()
    return org


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"[ \t]+", " ", result.stdout.decode())


def line_with(text: str, label: str) -> str:
    lines = [line.strip() for line in text.splitlines() if label in line]
    assert lines, f"{label!r} is not in the PDF"
    return lines[0]


def request_march(client: Any, org: Any) -> Any:
    return client.post("/uppfoljning/rapporter/", {"unit": org.unit_a.pk, "start": "2025-03-01", "end": "2025-03-31"})


def test_a_requested_report_is_built_and_holds_the_hand_count(
    dataset, manager_a, login_as, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from followup.assessment.services import assessment_save

    assessment_save(
        unit=dataset.unit_a,
        year=2025,
        answers={"kunskap.2": ("yes", "Personalen på tre boenden utbildad")},
        user=manager_a,
    )
    client = login_as("manager_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = request_march(client, dataset)
    assert response.status_code == 302
    report = FollowUpReport.objects.get()
    assert (report.status, report.error, report.kind) == (FollowUpReport.Status.DONE, "", "on_request")
    assert report.started_at and report.finished_at
    pdf = report.file.read()
    assert pdf.startswith(b"%PDF")

    text = pdf_text(pdf)
    for heading in AREAS:
        assert heading in text
    assert "Ängsviks kommun" in text and "Anhörigstöd Norra" in text and "2025-03-01 – 2025-03-31" in text
    assert line_with(text, "Enskilda samtal").endswith(" 6")
    assert line_with(text, "Anhöriga som fått avlösning").endswith(" 5")
    assert re.search(r" 12[.,]5$", line_with(text, "Timmar avlösning"))
    # The café's 7 are not group talks (issue 11): they are shown apart, as another meeting.
    assert line_with(text, "Närvarotillfällen vid andra träffar i området").endswith(" 7")
    # Education: the lecture's 12 participants (health-promoting: none, shown as <5).
    assert "Deltagare 12" in [line.strip() for line in text.splitlines()]
    # The strategic self-assessment of 2025 follows the four areas, with the unit's own answers.
    assert "Strategiska områden: självskattningen" in text
    assert "Kunskap om anhörigperspektivet" in text
    own = line_with(text, "kunskap.2")
    assert "Process Ja (egen Personalen på tre" in own, own  # its LOKE aspect, answer and evidence
    # The exemption decision in force in March is listed; the one that ended in 2024 is not.
    assert "SN 2025/114 § 52" in text
    assert "SN 2023/9 § 3" not in text

    # The status and the download answer the manager.
    status = client.get(f"/uppfoljning/rapporter/{report.code}/").json()
    assert status["status"] == "done"
    assert status["download"] == f"/uppfoljning/rapporter/{report.code}/pdf"
    download = client.get(status["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # The list shows it, and does not refresh itself once nothing is being made.
    page = client.get("/uppfoljning/rapporter/").content.decode()
    assert f"/uppfoljning/rapporter/{report.code}/pdf" in page
    assert 'http-equiv="refresh"' not in page


def test_the_requester_gets_a_notice_without_personal_data(
    dataset, manager_a, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        report_request(user=manager_a, unit=dataset.unit_a, start=START, end=END)
    assert OutboxMessage.objects.filter(template="report_ready").count() == 1
    (message,) = mail.outbox
    assert message.to == ["maria@angsvik.example"]
    assert "Maria" not in message.subject and "Norra" not in message.subject
    assert "Anhörigstöd Norra" in message.body and "2025-03-01" in message.body
    assert "/uppfoljning/rapporter/" in message.body
    assert "Maria" not in message.body


def test_asking_again_for_the_same_period_reuses_the_row(
    dataset, manager_a, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        first = report_request(user=manager_a, unit=dataset.unit_a, start=START, end=END)
    first.refresh_from_db()
    built_at = first.finished_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = report_request(user=manager_a, unit=dataset.unit_a, start=START, end=END)
    assert second.pk == first.pk
    assert callbacks == []  # nothing enqueued: the done report is the answer
    second.refresh_from_db()
    assert second.finished_at == built_at
    assert FollowUpReport.objects.count() == 1
    # Building a done report again changes nothing either.
    assert build.report_build(report_id=first.pk).finished_at == built_at  # type: ignore[union-attr]


def test_a_failed_render_is_shown_and_can_be_retried(
    dataset, login_as, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    def broken(**kwargs: Any) -> tuple[str, bytes]:
        raise RuntimeError("Pango exploded for Cecilia")

    monkeypatch.setattr(build, "report_render", broken)
    client = login_as("manager_a")
    with django_capture_on_commit_callbacks(execute=True):
        request_march(client, dataset)
    report = FollowUpReport.objects.get()
    assert (report.status, report.error) == (FollowUpReport.Status.FAILED, "RuntimeError")
    assert not report.file
    page = client.get("/uppfoljning/rapporter/").content.decode()
    assert re.search(rf'name="retry"\s+value="{report.code}"', page)
    assert "Cecilia" not in page
    assert client.get(f"/uppfoljning/rapporter/{report.code}/pdf").status_code == 404

    monkeypatch.undo()
    field: Any = FollowUpReport._meta.get_field("file")
    assert isinstance(field.storage, FileSystemStorage)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/uppfoljning/rapporter/", {"retry": str(report.code)})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.error) == (FollowUpReport.Status.DONE, "")
    assert FollowUpReport.objects.count() == 1


def test_a_report_left_running_by_a_killed_worker_is_redone(dataset, manager_a) -> None:  # type: ignore[no-untyped-def]
    report = FollowUpReport.objects.create(
        unit=dataset.unit_a, start=START, end=END, requested_by=manager_a, status=FollowUpReport.Status.RUNNING
    )
    built = build.report_build(report_id=report.pk)
    assert built is not None and built.status == FollowUpReport.Status.DONE
    assert built.file.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("anonymous", (302,)), ("carer", (403,)), ("consultant_a", (403, 404)), ("consultant_b", (403, 404)),
     ("admin_a", (403, 404)), ("manager_a", (200,))],
)  # fmt: skip
def test_the_download_is_scoped(
    persona, allowed, dataset, manager_a, login_as, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(user=manager_a, unit=dataset.unit_a, start=START, end=END)
    client = login_as(persona)
    for url in (f"/uppfoljning/rapporter/{report.code}/pdf", f"/uppfoljning/rapporter/{report.code}/"):
        assert client.get(url).status_code in allowed


def test_a_manager_elsewhere_gets_404(dataset, manager_a, login_as, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(user=manager_a, unit=dataset.unit_a, start=START, end=END)
    other = MembershipFactory(unit=dataset.unit_b, role=Role.MANAGER).user
    TOTP.activate(other, TOTP_SECRET)
    client = Client()
    client.force_login(other, backend=settings.AUTHENTICATION_BACKENDS[0])
    assert client.get(f"/uppfoljning/rapporter/{report.code}/pdf").status_code == 404
    assert client.get(f"/uppfoljning/rapporter/{report.code}/").status_code == 404
    assert client.post("/uppfoljning/rapporter/", {"retry": str(report.code)}).status_code == 404
    # Nor can they ask for unit A's report.
    response = client.post(
        "/uppfoljning/rapporter/", {"unit": dataset.unit_a.pk, "start": "2025-03-01", "end": "2025-03-31"}
    )
    assert response.status_code == 200
    assert FollowUpReport.objects.count() == 1


def test_the_command_renders_the_same_pdf(dataset, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "rapport.pdf"
    call_command("followup_report", "--unit", "norra", "--start", "2025-03-01", "--end", "2025-03-31",
                 "--output", str(output))  # fmt: skip
    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for heading in AREAS:
        assert heading in text
    assert line_with(text, "Enskilda samtal").endswith(" 6")

    capsys.readouterr()
    call_command("followup_report", "--list-units")
    listed = capsys.readouterr().out
    assert "norra\tAnhörigstöd Norra" in listed
    assert "sjohaga\tAnhörigstöd Sjöhaga" in listed


def test_the_charts_are_vector_graphics(dataset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "rapport.pdf"
    call_command("followup_report", "--unit", "norra", "--start", "2025-03-01", "--end", "2025-03-31",
                 "--output", str(output))  # fmt: skip
    # No raster image at all: the charts are drawn, not pasted in as pictures.
    images = subprocess.run(["pdfimages", "-list", str(output)], capture_output=True, check=True, text=True)
    assert len(images.stdout.strip().splitlines()) == 2, images.stdout  # the header lines only
    # The bars are filled vector paths in the chart colour (#1f5f8b), one per count shown.
    figures = released_figures(unit_ids=unit_and_below(dataset.unit_a), start=START, end=END)
    charted = [rows for _title, _key, rows in figures["support_talks"]["distributions"]]
    charted += [figures["reach"][key] for key in ("age_band", "gender", "target_group", "language")]
    charted.append([(item["month"], item["talks"]) for item in figures.trend])
    # A hidden count is its mark (issue 16), not a number: it has no bar.
    bars = sum(1 for rows in charted for _label, value in rows if value and not hidden(value))
    assert bars >= 5
    svg_dir = tmp_path / "svg"
    svg_dir.mkdir()
    subprocess.run(["pdftocairo", "-svg", str(output), str(svg_dir / "report.svg")], check=True)
    drawing = (svg_dir / "report.svg").read_text()
    paths = re.findall(r"fill:rgb\(12\.15\d*%,37\.25\d*%,54\.5\d*%\)", drawing)
    assert len(paths) == bars
    # The trend chart's month is Swedish.
    assert "mars 2025" in pdf_text(output.read_bytes())


def test_the_schedule_makes_one_report_per_unit_and_period(dataset, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        made = services.report_schedule(kind=FollowUpReport.Kind.MONTHLY, today=dt.date(2025, 4, 1))
    assert made and {(r.start, r.end) for r in made} == {(START, END)}
    with django_capture_on_commit_callbacks(execute=True):
        again = services.report_schedule(kind=FollowUpReport.Kind.MONTHLY, today=dt.date(2025, 4, 1))
    assert {r.pk for r in again} == {r.pk for r in made}
    assert FollowUpReport.objects.filter(status=FollowUpReport.Status.DONE).count() == len(made)


# --- A real worker (Redis, and PostgreSQL so that it reads the test database) -----


@pytest.fixture
def report_worker(tmp_path: Path, private_files: Path, transactional_db: None) -> Iterator[str]:
    import redis

    from tests.groups.test_outbox import worker_database_url

    queue = f"report-test-{uuid.uuid4().hex[:8]}"
    hostname = f"{queue}@localhost"
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "anhorigstod.settings",
        "DJANGO_SECRET_KEY": "worker-test-secret-key-long-enough-for-the-deploy-check-1234567",
        "REDIS_URL": os.environ["REDIS_URL"],
        "DATABASE_URL": worker_database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "PRIVATE_STORAGE_ROOT": str(private_files),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "anhorigstod", "worker", "--pool=solo", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-Q", queue, "--hostname", hostname, "--loglevel=INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not celery_app.control.ping(destination=[hostname], timeout=1.0):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the worker did not start: {log_path.read_text()}")
            yield queue
        finally:
            process.terminate()
            process.wait(timeout=30)
            redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
                queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
            )


@pytest.fixture
def reports_on_the_worker(report_worker: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Report requests go to the real worker of :func:`report_worker`, not run in-process."""
    import followup.reports.tasks

    real_task = followup.reports.tasks.build_followup_report

    class OnTheTestQueue:
        @staticmethod
        def delay(report_id: int) -> Any:
            return real_task.apply_async((report_id,), queue=report_worker)

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(followup.reports.tasks, "build_followup_report", OnTheTestQueue)
    return report_worker


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_turns_a_request_into_a_pdf(dataset, reports_on_the_worker, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    assert request_march(client, dataset).status_code == 302
    report = FollowUpReport.objects.get()

    deadline = time.monotonic() + 60
    status = client.get(f"/uppfoljning/rapporter/{report.code}/").json()
    while status["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        status = client.get(f"/uppfoljning/rapporter/{report.code}/").json()
    assert status["status"] == "done", status
    report.refresh_from_db()
    assert report.task_id
    download = client.get(status["download"])
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF")
    assert line_with(pdf_text(pdf), "Enskilda samtal").endswith(" 6")


def test_the_first_page_says_the_key_figures_and_the_report_compares_periods(dataset) -> None:  # type: ignore[no-untyped-def]
    from followup.reports.context import a_year_before, previous_period

    # March 2025 (31 days): the 31 days before it, and March 2024.
    assert previous_period(START, END) == (dt.date(2025, 1, 29), dt.date(2025, 2, 28))
    assert a_year_before(START, END) == (dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert a_year_before(dt.date(2024, 2, 29), dt.date(2024, 3, 31)) == (dt.date(2023, 2, 28), dt.date(2023, 3, 31))
    context = report_context(unit=dataset.unit_a, start=START, end=END)
    # Six talks with six carers; a fifth sentence says the SoL share (6 of 6 answered yes).
    assert context["key_figures"][0] == "Anhörigstöd Norra hade 6 enskilda stödsamtal med 6 anhöriga under perioden."
    assert context["key_figures"][-1].startswith("I 100,0 % av samtalen")
    rows = {str(row["label"]): (row["now"], row["earlier"], row["last_year"]) for row in context["comparison"]}
    # The sixth carer's respite in February is the only record of the earlier periods: shown as <5.
    # (Issue 16: each value as released, with its mark, where it was ``None`` printed as "<5".)
    assert rows["Enskilda samtal"] == (6, SMALL, SMALL)
    assert rows["Anhöriga som fått avlösning"] == (5, SMALL, SMALL)


def test_the_report_holds_the_carers_evaluations_and_the_co_organised_activities(  # type: ignore[no-untyped-def]
    dataset,
    activity_drop_in,  # noqa: F811
) -> None:
    from contacts.models import Partner
    from groups.models import EvaluationResponse

    partner = Partner.objects.create(unit=dataset.unit_a, name="Röda Korset", organisation_type="aid_organisation")
    activity_drop_in.co_organisers.add(partner)
    # Five answers in March: useful 5, 5, 4, 4, 2 (mean 4,0); four of five would recommend it.
    for useful, recommend in ((5, True), (5, True), (4, True), (4, True), (2, False)):
        EvaluationResponse.objects.create(
            activity=activity_drop_in, month=dt.date(2025, 3, 1), useful=useful, welcomed=5,
            understand_better=3, would_recommend=recommend,
        )  # fmt: skip
    context = report_context(unit=dataset.unit_a, start=START, end=END)
    evaluations = context["evaluations"]
    assert evaluations["n"] == 5
    assert [question["mean"] for question in evaluations["questions"]] == [4.0, 5.0, 3.0]
    assert evaluations["recommend"]["share"] is None  # the one "no" is a small cell, so "yes" is hidden too
    # The café, with its one session in March.
    assert context["co_organised"] == [
        {"title": activity_drop_in.title, "co_organisers": ["Röda Korset"], "sessions": 1}
    ]


def test_a_report_from_the_command_line_is_kept_and_counted_as_a_report_made(dataset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from followup.assessment.facts import assessment_facts

    args = ["--unit", "norra", "--start", "2025-03-01", "--end", "2025-03-31", "--output", str(tmp_path / "r.pdf")]
    call_command("followup_report", *args)
    call_command("followup_report", *args)  # again: still one row
    report = FollowUpReport.objects.get()
    assert (report.kind, report.status, report.unit_id) == ("command_line", "done", dataset.unit_a.pk)
    # The file kept is the one written.
    assert report.file.read() == (tmp_path / "r.pdf").read_bytes()
    # The self-assessment's "follow-up reports made" counts it, as a scheduled report.
    assert assessment_facts(units=[dataset.unit_a], year=2025)[dataset.unit_a.pk].reports_done == 1


def pdfinfo(path: Path, *options: str) -> str:
    return subprocess.run(["pdfinfo", *options, str(path)], capture_output=True, check=True, text=True).stdout


def test_the_report_is_a_tagged_pdf_ua_document(dataset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Nämnd documents are published, so the PDF must be readable with a screen reader
    (DOS-lagen): tagged (PDF/UA-1), with its title and its structure (headings, tables)."""
    output = tmp_path / "rapport.pdf"
    call_command("followup_report", "--unit", "norra", "--start", "2025-03-01", "--end", "2025-03-31",
                 "--output", str(output))  # fmt: skip
    info = pdfinfo(output)
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info
    assert re.search(r"^Title:\s+Uppföljningsrapport – Anhörigstöd Norra$", info, re.MULTILINE), info
    assert 'pdfuaid:part="1"' in pdfinfo(output, "-meta")
    structure = [line.strip() for line in pdfinfo(output, "-struct").splitlines()]
    assert structure.count("H1 (block)") == 1
    assert "H2 (block)" in structure
    assert "Table (block)" in structure
    assert line_with(pdf_text(output.read_bytes()), "Enskilda samtal").endswith(" 6")  # the content is unchanged


@pytest.mark.parametrize(("language", "title"), [("sv", "Uppföljningsrapport"), ("en", "Follow-up report")])
def test_the_report_says_the_language_it_is_written_in(dataset, language: str, title: str) -> None:  # type: ignore[no-untyped-def]
    """The document's language (WeasyPrint writes ``<html lang>`` as the PDF's /Lang),
    so a screen reader reads an English report in English."""
    from django.utils import translation

    with translation.override(language):
        html, pdf = build.report_render(unit=dataset.unit_a, start=START, end=END)
    assert f'<html lang="{language}">' in html
    assert f"<title>{title} – Anhörigstöd Norra</title>" in html
    assert pdf.startswith(b"%PDF")
