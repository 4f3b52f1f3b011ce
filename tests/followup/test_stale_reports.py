"""Issue 12: a report whose worker was killed outright stays "running" until Redis's
visibility timeout. Such a row is stale once it is older than the build task's time limit
and its task is on no worker: the list shows it failed with a retry button, beat requeues
it, and however the builds overlap the row ends with exactly one PDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from django.utils import timezone

from anhorigstod.outbox.models import OutboxMessage
from followup.models import FollowUpReport
from followup.reports import build, services
from followup.tasks import requeue_stale_reports
from tests.followup.test_reports import END, START, dataset, private_files  # noqa: F401  (fixtures)
from tests.groups.conftest import activity_booking, activity_drop_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.postgres

RUNNING, DONE = FollowUpReport.Status.RUNNING, FollowUpReport.Status.DONE


def left_running(
    org: Any, *, started_ago: dt.timedelta, task_id: str = "", month: int = 3, requested_by: Any = None
) -> FollowUpReport:
    start = START.replace(month=month)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return FollowUpReport.objects.create(
        unit=org.unit_a,
        start=start,
        end=end,
        status=RUNNING,
        task_id=task_id,
        started_at=timezone.now() - started_ago,
        requested_by=requested_by,
    )


def pdf_files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.pdf"))


def test_a_stale_report_is_shown_failed_and_the_retry_ends_with_one_pdf(
    dataset: Any,  # noqa: F811
    private_files: Path,  # noqa: F811
    login_as: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stale = left_running(dataset, started_ago=dt.timedelta(hours=2), task_id="killed-with-its-worker")
    client = login_as("manager_a")

    page = client.get("/uppfoljning/rapporter/").content.decode()
    assert "Misslyckades: avbröts medan den gjordes" in page
    assert re.search(rf'name="retry"\s+value="{stale.code}"', page)
    assert 'http-equiv="refresh"' not in page  # nothing is being made: no endless reloading
    assert client.get(f"/uppfoljning/rapporter/{stale.code}/").json()["stale"] is True

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/uppfoljning/rapporter/", {"retry": str(stale.code)})

    assert response.status_code == 302
    stale.refresh_from_db()
    assert stale.status == DONE and stale.file.read().startswith(b"%PDF")
    assert len(pdf_files(private_files)) == 1
    assert FollowUpReport.objects.count() == 1


def test_beat_requeues_the_stale_report_and_leaves_a_fresh_or_live_one_alone(
    dataset: Any,  # noqa: F811
    private_files: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stale = left_running(dataset, started_ago=dt.timedelta(hours=2), task_id="gone", month=3)
    fresh = left_running(dataset, started_ago=dt.timedelta(minutes=1), task_id="just-started", month=4)
    # Old, but a worker says it still holds the task: not stale.
    live = left_running(dataset, started_ago=dt.timedelta(hours=2), task_id="still-on-a-worker", month=5)
    monkeypatch.setattr(services, "_active_task_ids", lambda: {"still-on-a-worker"})

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_reports() == 1

    for report in (stale, fresh, live):
        report.refresh_from_db()
    assert stale.status == DONE and stale.file
    assert (fresh.status, fresh.file.name, live.status, live.file.name) == (RUNNING, "", RUNNING, "")
    assert len(pdf_files(private_files)) == 1

    # The next beat finds nothing more to do.
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_reports() == 0


def test_when_the_workers_cannot_be_asked_nothing_is_called_stale(
    dataset: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    left_running(dataset, started_ago=dt.timedelta(hours=2), task_id="unknown")
    monkeypatch.setattr(services, "_active_task_ids", lambda: None)

    assert services.reports_stale(FollowUpReport.objects.all()) == []
    assert requeue_stale_reports() == 0


def test_two_overlapping_builds_of_one_row_store_exactly_one_pdf(
    dataset: Any,  # noqa: F811
    private_files: Path,  # noqa: F811
    manager_a: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The requeued build and the killed worker's message, redelivered by Redis later,
    # both render; the second to finish finds the row done under its lock.
    report = left_running(dataset, started_ago=dt.timedelta(hours=2), requested_by=manager_a)
    real_render = build.report_render
    calls = []

    def render_while_the_other_build_finishes(**kwargs: Any) -> tuple[str, bytes]:
        calls.append(1)
        if len(calls) == 1:
            inner = build.report_build(report_id=report.pk, task_id="redelivered")
            assert inner is not None and inner.status == DONE
        return real_render(**kwargs)

    monkeypatch.setattr(build, "report_render", render_while_the_other_build_finishes)

    outer = build.report_build(report_id=report.pk, task_id="requeued")

    assert len(calls) == 2
    assert outer is not None and outer.status == DONE
    report.refresh_from_db()
    assert report.task_id == "redelivered"  # the build whose PDF was kept
    assert [path.name for path in pdf_files(private_files)] == [Path(report.file.name).name]
    # One build finished the row: the manager is told once.
    assert OutboxMessage.objects.filter(template="report_ready").count() == 1
