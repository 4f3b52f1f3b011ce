"""The query counts of the pages the benchmark checks, asserted on the pages themselves.

The dashboard (a municipality's year, with and without "Dölj antal under 5", and the
smallest municipality's), Idag (a consultant's and an administrator's) and "my workload",
each requested as the benchmark requests it (bench/measure.py), on the benchmark's own
dataset (bench/dataset.py) at two sizes, the second three times the first: the counts are
bench/query_counts.py's at both, so they do not grow with the data. The README's sentence
on query counts comes from the same module.

Outside a test transaction (``transaction=True``), as the benchmark runs: inside one, each
``BEGIN`` / ``COMMIT`` a request issues would be a ``SAVEPOINT`` / ``RELEASE`` and the
counts would differ for reasons no production request has. A transactional test ends
with a flush of every table, which takes the rows the migrations wrote (the SOC-13
instrument) with it: the dataset fixture writes the instrument again where it is missing.
(``serialized_rollback`` did that too, but on PostgreSQL it collides with the content types
the flush writes again.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from django.test import Client
from django.utils import timezone

from bench.dashboards import MUNICIPALITY_YEAR, SMALLEST, dashboard_rows
from bench.dataset import Sizes, activate_mfa, build
from bench.keep import rollups_rebuild
from bench.measure import pages_of, queries_of, warm_up
from bench.query_counts import QUERY_COUNTS, readme_sentence
from contacts.models import Talk

README = Path(__file__).resolve().parents[2] / "README.md"
SMALL = Sizes(municipalities=3, units=3, staff=2, talks=400, years=2, seed=11)


def _migrations_rows() -> None:
    """The SOC-13 instrument as migration contacts.0002 writes it, where a flush took it."""
    import importlib

    from django.apps import apps

    from contacts.models import Instrument

    if not Instrument.objects.filter(code="soc13").exists():
        importlib.import_module("contacts.migrations.0002_soc13_instrument").create_soc13(apps, None)


def measured_counts(talks: int) -> dict[str, int]:
    _migrations_rows()
    """Build the benchmark's dataset with ``talks`` talks and count the checked pages' queries."""
    data = build(Sizes(**{**SMALL.__dict__, "talks": talks}), today=timezone.localdate(), progress=lambda *_: None)
    activate_mfa(data)
    rollups_rebuild()
    assert Talk.objects.count() == talks
    rows = dashboard_rows(data, periods=["1y"], scopes=["förvaltning"], suppression=["off", "on"])
    counts = {}
    for name, url, who, _goal, _group in pages_of(data, rows):
        if name not in QUERY_COUNTS:
            continue
        client = Client()
        client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        warm_up(client, url)
        counts[name] = queries_of(client, url)
    return counts


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("talks", [SMALL.talks, 3 * SMALL.talks], ids=["N talks", "3N talks"])
def test_the_pages_make_the_query_counts_of_bench_query_counts_at_both_sizes(talks: int) -> None:
    assert measured_counts(talks) == QUERY_COUNTS


@pytest.mark.django_db(transaction=True)
def test_the_count_check_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative control: a dashboard that makes one query more is caught."""
    from anhorigstod.accounts.models import Unit
    from followup.dashboard import views

    figures = views.followup_figures

    def one_query_more(**kwargs: Any) -> Any:
        Unit.objects.filter(pk__in=kwargs["unit_ids"]).exists()
        return figures(**kwargs)

    monkeypatch.setattr(views, "followup_figures", one_query_more)
    counts = measured_counts(SMALL.talks)
    assert counts[MUNICIPALITY_YEAR] == QUERY_COUNTS[MUNICIPALITY_YEAR] + 1
    assert counts[SMALLEST] == QUERY_COUNTS[SMALLEST] + 1
    assert counts["Idag (consultant)"] == QUERY_COUNTS["Idag (consultant)"]


def test_the_readme_states_the_counts_of_bench_query_counts() -> None:
    assert readme_sentence() in " ".join(README.read_text().split())
