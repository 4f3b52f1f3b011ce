"""What a run prints at the end: the verdict against PRODUCT §10, the figures as a markdown
table, and runs saved with ``--save`` side by side (``--table``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from bench.measure import PDF_GOAL_S, Result


def verdict(results: list[Result], pdf: dict[str, Any] | None, *, pdf_wanted: bool) -> None:
    print("\nagainst PRODUCT §10 (at the 95th percentile):")
    for result in results:
        if result.error is not None:
            print(f"  {result.name:<34} not measured: {result.error}  MISS")
            continue
        if result.goal is None:
            continue
        verdict = "pass" if result.p95 < result.goal else "MISS"
        print(f"  {result.name:<34} p95 {result.p95:>7.1f} ms  goal < {result.goal:.0f} ms  {verdict}")
    dashboards = [result for result in results if result.name.startswith("dashboard") and result.error is None]
    if len(dashboards) == 2:
        large, small = dashboards
        verdict = "pass" if large.queries == small.queries else "MISS"
        print(
            f"  {'dashboard query count':<34} {large.queries} (largest) vs {small.queries} (smallest municipality)"
            f"  goal: does not grow with the data  {verdict}"
        )
    if pdf is None and pdf_wanted:
        print(f"  {'yearly PDF':<34} not measured: the render failed (above)  MISS")
    if pdf is not None:
        verdict = "pass" if pdf["cold_s"] < PDF_GOAL_S else "MISS"
        print(f"  {'yearly PDF, first render':<34} {pdf['cold_s']:>11.2f} s   goal < {PDF_GOAL_S:.0f} s    {verdict}")
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


def table(results: list[Result], *, sizes: Any, vendor: str) -> None:
    """The figures as a markdown table, for the README."""
    print(f"\n{sizes.talks:,} talks, {vendor}:\n")
    print("| page | median ms | p95 ms | queries | goal (p95) | verdict |")
    print("|---|---:|---:|---:|---|---|")
    for result in results:
        goal = f"< {result.goal:.0f} ms" if result.goal is not None else "none"
        print(
            f"| {result.name} | {result.median:.1f} | {result.p95:.1f} | {result.queries} | {goal} | "
            f"{verdict_of(result)} |"
        )


def save(path: str, results: list[Result], pdf: dict[str, Any] | None, *, sizes: Any, vendor: str, repeat: int) -> None:
    from dataclasses import asdict

    figures = {
        "talks": sizes.talks,
        "sizes": asdict(sizes),
        "vendor": vendor,
        "repeat": repeat,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pages": [asdict(result) for result in results],
        "pdf": pdf,
    }
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(figures, indent=2) + "\n")
    print(f"figures saved to {path}")


def table_of_saved(paths: list[str]) -> None:
    """Saved runs side by side (e.g. 100,000 and 1,000,000 talks): median / p95 and queries of each."""
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
            cells.append(f"{page['median']:.1f} / {page['p95']:.1f}{verdict}, {page['queries']}")
        goal = goals[name]
        print(f"| {name} | " + " | ".join(cells) + f" | {f'< {goal:.0f} ms' if goal is not None else 'none'} |")
