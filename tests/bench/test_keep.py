"""The benchmark keeps a dataset and measures it again (bench/run.py --keep / --reuse, bench/keep.py):
the records it measures come back from the scratch database, and a dataset of other sizes
is never taken for the one asked for."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from django.utils import timezone

from bench import keep, verdict
from bench.dataset import Sizes, build
from bench.measure import Result

SIZES = Sizes(municipalities=3, units=2, staff=1, talks=300, years=2, seed=7)


@pytest.fixture
def kept(db: None) -> Any:
    data = build(SIZES, today=timezone.localdate(), progress=lambda *_: None)
    keep.keep_record(SIZES, data, timings={"build_s": data.seconds, "rollups_s": 1.0, "analyze_s": 0.1})
    return data


def test_reuse_finds_the_kept_dataset_and_its_records(kept: Any) -> None:
    again = keep.reuse(SIZES, rebuild_rollups=False)

    assert again is not None
    for field in dataclasses.fields(again):
        if field.name != "counts":
            assert getattr(again, field.name) == getattr(kept, field.name), field.name
    assert again.counts == kept.counts


@pytest.mark.parametrize("change", [{"talks": 301}, {"seed": 8}, {"municipalities": 4}])
def test_reuse_refuses_a_dataset_of_other_sizes(kept: Any, change: dict[str, int]) -> None:
    assert keep.reuse(dataclasses.replace(SIZES, **change), rebuild_rollups=False) is None


def test_reuse_of_a_database_without_a_kept_dataset_builds_one(db: None) -> None:
    assert keep.reuse(SIZES, rebuild_rollups=False) is None


def test_saved_runs_print_side_by_side(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def saved(talks: int, p95: float) -> str:
        path = tmp_path / f"{talks}.json"
        page = {"name": "talk list", "median": p95 / 2, "p95": p95, "queries": 20, "goal": 100.0}
        path.write_text(json.dumps({"talks": talks, "vendor": "postgresql", "pages": [page]}))
        return str(path)

    verdict.table_of_saved([saved(100_000, 50.0), saved(1_000_000, 120.0)])

    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("| page | 100,000 talks (postgresql)")
    assert table[2] == "| talk list | 25.0 / 50.0 ✓, 20 | 60.0 / 120.0 **miss**, 20 | < 100 ms |"


def test_reuse_fills_the_rollups_again_after_a_migration(kept: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    rebuilt: list[bool] = []
    monkeypatch.setattr(keep, "rollups_rebuild", lambda: rebuilt.append(True) or 2.0)
    monkeypatch.setattr(keep, "analyze", lambda: 0.2)  # VACUUM cannot run in a test's transaction

    keep.reuse(SIZES, rebuild_rollups=False)
    assert rebuilt == []  # nothing has changed since the dataset was kept

    record = keep.kept_record()
    assert record is not None
    record["migrations"] = record["migrations"][:-1]  # as if the last one came after
    keep.keep_record_raw(record)
    keep.reuse(SIZES, rebuild_rollups=False)
    assert rebuilt == [True]
    keep.reuse(SIZES, rebuild_rollups=False)
    assert rebuilt == [True]  # recorded: not again
    record = keep.kept_record()
    assert record is not None
    assert keep.kept_timings(record) == {"build_s": kept.seconds, "rollups_s": 2.0, "analyze_s": 0.2}


def test_a_page_that_failed_is_a_miss_without_figures(capsys: pytest.CaptureFixture[str]) -> None:
    failed = Result("dashboard, municipality-year", float("nan"), float("nan"), 0, 150.0, error="answered 500")
    passed = Result("talk list", 40.0, 60.0, 20, 100.0)

    verdict.verdict([failed, passed], [], pdf_wanted=False)
    verdict.table([failed, passed], [], sizes=SIZES, vendor="postgresql", timings={"build_s": 1.0}, loads=[])

    out = capsys.readouterr().out
    assert "dashboard, municipality-year               not measured: answered 500  MISS" in out
    assert "| dashboard, municipality-year | nan | nan | 0 | < 150 ms | **failed** (answered 500) |" in out
    assert "| talk list | 40.0 | 60.0 | 20 | < 100 ms | pass |" in out


def test_the_dataset_stores_each_measurements_total_as_the_service_would(kept: Any) -> None:
    from contacts.measurements import measurement_scores
    from contacts.models import Measurement

    measurements = list(Measurement.objects.select_related("instrument"))

    assert measurements, "the dataset measures some carers"
    assert all(m.total == measurement_scores(measurement=m).total for m in measurements)


def test_a_query_count_other_than_bench_query_counts_prints_a_warning_row(capsys: pytest.CaptureFixture[str]) -> None:
    same = Result("Idag (admin)", 10.0, 12.0, 9, 100.0, expected_queries=9)
    more = Result("Idag (consultant)", 10.0, 12.0, 21, 100.0, expected_queries=19)

    verdict.verdict([same, more], [], pdf_wanted=False)

    out = capsys.readouterr().out
    assert "1 of 2 pages as expected" in out
    warnings = [line for line in out.splitlines() if "WARNING" in line]
    assert len(warnings) == 1
    assert "Idag (consultant)" in warnings[0] and "21 queries, expected 19" in warnings[0]
