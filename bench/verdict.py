"""What a run prints at the end: the verdict against PRODUCT §10, the figures as a markdown
table, and runs saved with ``--save`` side by side (``--table``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bench.dashboards import MUNICIPALITY_YEAR, SMALLEST
from bench.measure import PDF_GOAL_S, Load, Result, load_text
from bench.writes import upkeep_text


def verdict(results: list[Result], pdfs: list[dict[str, Any]], *, pdf_wanted: bool) -> None:
    print("\nagainst PRODUCT §10 (at the 95th percentile):")
    for result in results:
        if result.error is not None:
            print(f"  {result.name:<42} not measured: {result.error}  MISS")
            continue
        if result.goal is None:
            continue
        verdict = "pass" if result.p95 < result.goal else "MISS"
        print(f"  {result.name:<42} p95 {result.p95:>7.1f} ms  goal < {result.goal:.0f} ms  {verdict}")
    measured = {result.name: result for result in results if result.error is None}
    if MUNICIPALITY_YEAR in measured and SMALLEST in measured:
        large, small = measured[MUNICIPALITY_YEAR], measured[SMALLEST]
        verdict = "pass" if large.queries == small.queries else "MISS"
        print(
            f"  {'dashboard query count':<42} {large.queries} (largest) vs {small.queries} (smallest municipality)"
            f"  goal: does not grow with the data  {verdict}"
        )
    if pdf_wanted:
        from bench.pdf import PERIODS

        rendered = {pdf["period"] for pdf in pdfs}
        for period in PERIODS:
            if period not in rendered:
                print(f"  {f'PDF, förvaltning, {period}':<42} not measured: the render failed (above)  MISS")
    for pdf in pdfs:
        verdict = "pass" if pdf["cold_s"] < PDF_GOAL_S else "MISS"
        print(
            f"  {pdf['name'] + ', first render':<42} {pdf['cold_s']:>11.2f} s   goal < {PDF_GOAL_S:.0f} s    {verdict}"
        )
    checked = [result for result in results if result.expected_queries is not None and result.error is None]
    if checked:
        differ = [result for result in checked if result.queries != result.expected_queries]
        print(
            f"\nquery counts against bench/query_counts.py (asserted by tests/bench/test_query_counts.py): "
            f"{len(checked) - len(differ)} of {len(checked)} pages as expected"
        )
        for result in differ:
            print(
                f"  WARNING {result.name:<34} {result.queries} queries, expected {result.expected_queries}: "
                "update bench/query_counts.py (and the README) if the change is meant"
            )
    print(
        "\nThe goals are for a national dataset (290 municipalities, 1 million carers, 10 million talks); "
        "this run's size is above. Scale it with --talks."
    )


def verdict_of(result: Result) -> str:
    if result.error is not None:
        return f"**failed** ({result.error})"
    if result.goal is None:
        return "none set"
    return "pass" if result.p95 < result.goal else "**miss**"


def pdf_cell(pdf: dict[str, Any]) -> str:
    if pdf.get("ru_maxrss"):
        # Saved before the child read its own VmHWM: may be the benchmark's peak (bench/pdf.py).
        return f"{pdf['cold_s']:.2f} s, {pdf['peak_rss_mb']:.0f} MB ru_maxrss of the child process"
    return f"{pdf['cold_s']:.2f} s, {pdf['peak_rss_mb']:.0f} MB peak of the child process"


def table(
    results: list[Result],
    pdfs: list[dict[str, Any]],
    *,
    sizes: Any,
    vendor: str,
    timings: dict[str, Any],
    loads: list[Load],
) -> None:
    """The figures as a markdown table, for the README, with the dataset's build time and the load."""
    print(f"\n{sizes.talks:,} talks, {vendor}:\n")
    print("| page | median ms | p95 ms | queries | goal (p95) | verdict |")
    print("|---|---:|---:|---:|---|---|")
    for result in results:
        goal = f"< {result.goal:.0f} ms" if result.goal is not None else "none"
        print(
            f"| {result.name} | {result.median:.1f} | {result.p95:.1f} | {result.queries} | {goal} | "
            f"{verdict_of(result)} |"
        )
    for pdf in pdfs:
        verdict = "pass" if pdf["cold_s"] < PDF_GOAL_S else "**miss**"
        print(
            f"| {pdf['name']}, first render | {pdf_cell(pdf)} | | {pdf['queries']} | < {PDF_GOAL_S:.0f} s | {verdict} |"
        )
    for result in results:
        if result.parts is not None and "upkeep_mean_ms" in result.parts:
            print(f"\n{result.name}: {upkeep_text(result.parts)}")
    print(f"\ndataset: {timings_text(timings)}")
    for load in loads:
        print(
            f"load average (1, 5, 15 min) around the {load.group}: {load_text(load.before)} before, "
            f"{load_text(load.after)} after"
        )


def timings_text(timings: dict[str, Any]) -> str:
    """The dataset's build, ``rollups_rebuild`` and ``ANALYZE`` seconds, apart."""
    rollups, analyze = timings.get("rollups_s"), timings.get("analyze_s")
    latest = "its latest " if timings.get("reused") else ""
    text = (
        f"built in {timings['build_s']:.1f} s (bench/dataset.py), "
        + (f"{latest}rollups_rebuild {rollups:.1f} s" if rollups is not None else "no rollups_rebuild")
        + (f", ANALYZE {analyze:.1f} s" if analyze is not None else "")
    )
    return f"kept by an earlier run: {text}" if timings.get("reused") else text


def save(
    path: str,
    results: list[Result],
    pdfs: list[dict[str, Any]],
    *,
    sizes: Any,
    vendor: str,
    repeat: int,
    timings: dict[str, Any],
    loads: list[Load],
) -> None:
    from dataclasses import asdict

    figures = {
        "talks": sizes.talks,
        "sizes": asdict(sizes),
        "vendor": vendor,
        "repeat": repeat,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "dataset": timings,
        "load": [asdict(load) for load in loads],
        "pages": [asdict(result) for result in results],
        "pdfs": pdfs,
        # The data year's PDF where runs saved before the two-year PDF kept it.
        "pdf": next((pdf for pdf in pdfs if pdf["period"] == "1y"), None),
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(figures, indent=2) + "\n")
    print(f"figures saved to {path}")


def table_of_saved(paths: list[str]) -> None:
    """Saved runs side by side (e.g. 100,000 and 1,000,000 talks): median / p95 and queries of
    each page, the PDFs, the dataset's build time and the load average where the run saved them."""
    runs = [json.loads(Path(path).read_text()) for path in paths]
    names: list[str] = []
    goals: dict[str, float | None] = {}
    for run in runs:
        for page in run["pages"]:
            if page["name"] not in names:
                names.append(page["name"])
            goals[page["name"]] = page["goal"]
    heads = [f"{run['talks']:,} talks ({run['vendor']})" for run in runs]
    print("| page | " + " | ".join(f"{head}: median / p95 ms, queries" for head in heads) + " | goal (p95) |")
    print("|---|" + "---:|" * len(runs) + "---|")
    for name in names:
        cells = []
        for run in runs:
            page = next((page for page in run["pages"] if page["name"] == name), None)
            if page is None or page.get("error"):
                cells.append("–" if page is None else f"failed ({page['error']})")
                continue
            verdict = "" if page["goal"] is None else (" ✓" if page["p95"] < page["goal"] else " **miss**")
            upkeep = (page.get("parts") or {}).get("upkeep_mean_ms")
            upkeep_cell = (
                f" (count upkeep {upkeep:.1f} of {page['parts']['mean_ms']:.1f})" if upkeep is not None else ""
            )
            cells.append(f"{page['median']:.1f} / {page['p95']:.1f}{verdict}, {page['queries']}{upkeep_cell}")
        goal = goals[name]
        print(f"| {name} | " + " | ".join(cells) + f" | {f'< {goal:.0f} ms' if goal is not None else 'none'} |")
    pdf_names: list[str] = []
    for run in runs:
        for pdf in _saved_pdfs(run):
            if pdf["name"] not in pdf_names:
                pdf_names.append(pdf["name"])
    for name in pdf_names:
        cells = [next((pdf_cell(pdf) for pdf in _saved_pdfs(run) if pdf["name"] == name), "–") for run in runs]
        print(f"| {name}, first render | " + " | ".join(cells) + f" | < {PDF_GOAL_S:.0f} s |")
    if any("dataset" in run for run in runs):
        cells = [timings_text(run["dataset"]) if "dataset" in run else "–" for run in runs]
        print("| dataset | " + " | ".join(cells) + " | |")
    if any("load" in run for run in runs):
        cells = [
            ", ".join(f"{load['group']} {load['before'][0]:.1f}–{load['after'][0]:.1f}" for load in run["load"])
            if "load" in run
            else "–"
            for run in runs
        ]
        print("| load average (1 min) before–after | " + " | ".join(cells) + " | |")


def _saved_pdfs(run: dict[str, Any]) -> list[dict[str, Any]]:
    """A run's PDFs; a run saved before the two-year PDF has the data year's alone, unnamed."""
    if "pdfs" in run:
        return list(run["pdfs"])
    return [{"name": "PDF, förvaltning, 1y", "ru_maxrss": True, **run["pdf"]}] if run.get("pdf") else []
