#!/usr/bin/env python
"""What the reader loses to disclosure control: the counts each suppressed output hides,
and the sum of their values, on the demo municipality and on seeded random datasets.

Every suppressed output is measured: each unit's own release (dashboard with "hide
counts under 5", CSV/XLSX, national export) and the PDF report of every unit with the
units below it (for the top of the tree: the förvaltning). A hidden count of 5 or more is
one hidden only to protect another: the figure the issue calls over-suppression.

    DJANGO_DEBUG=1 SQLITE_PATH=/tmp/loss.sqlite3 python bench/disclosure_loss.py --demo
    DJANGO_DEBUG=1 SQLITE_PATH=/tmp/loss.sqlite3 python bench/disclosure_loss.py --random 20

(``--random`` builds its datasets in that database: use a scratch file.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anhorigstod.settings")


@dataclass
class Tally:
    outputs: int = 0
    cells: int = 0
    hidden: int = 0
    hidden_sum: int = 0
    protecting: int = 0
    protecting_sum: int = 0
    headline_protecting: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self, name: str) -> str:
        return (
            f"{name:<34} outputs {self.outputs:>4}  counts {self.cells:>6}  hidden {self.hidden:>5} "
            f"(sum {self.hidden_sum:>6})  of them 5+ {self.protecting:>4} (sum {self.protecting_sum:>6})  "
            f"headline 5+ {self.headline_protecting:>3}"
        )


def measure_output(unit_ids: list[int], start: dt.date, end: dt.date) -> Tally:
    from followup.disclosure import cells_of, hidden_of_units, loss

    figures, hidden = hidden_of_units(unit_ids=unit_ids, start=start, end=end)
    lost = loss(figures, hidden)
    return Tally(
        outputs=1,
        cells=len(cells_of(figures)),
        hidden=lost.hidden,
        hidden_sum=lost.hidden_sum,
        protecting=lost.protecting,
        protecting_sum=lost.protecting_sum,
        headline_protecting=lost.headline_protecting,
    )


def measure_tree(root_ids: list[int], start: dt.date, end: dt.date) -> tuple[Tally, Tally]:
    """(each unit's own release, each unit's report with the units below it)."""
    from anhorigstod.accounts.models import Unit
    from followup.reports.context import unit_and_below

    own, reports = Tally(), Tally()
    for unit in Unit.objects.filter(pk__in=root_ids) | Unit.objects.filter(parent_id__in=root_ids):
        own.add(measure_output([unit.pk], start, end))
        below = unit_and_below(unit)
        if len(below) > 1:
            reports.add(measure_output(below, start, end))
    return own, reports


def random_dataset(seed: int) -> list[int]:
    """A förvaltning of 2-4 new units in the demo municipality, with a few dozen talks
    each of random attributes, so that many cells are small. Returns its root's id."""
    from django.utils import timezone

    from anhorigstod.accounts.models import Membership, Unit
    from anhorigstod.rollups.services import rollups_rebuild
    from contacts.models import AgeBand, Carer, Gender, Initiator, SupportKind, Talk, TalkMode, TargetGroup, TimeOfDay

    rng = random.Random(seed)
    roots = Unit.objects.filter(municipality__kommunkod="9901", parent__isnull=True).order_by("pk")
    home = roots.exclude(code__startswith="slump").first()
    assert home is not None, "the demo municipality"
    kind = SupportKind.objects.filter(municipality=home.municipality, area=SupportKind.Area.SUPPORT_TALKS).first()
    membership = Membership.objects.filter(unit__municipality=home.municipality, role="consultant").first()
    assert kind is not None and membership is not None, "the demo's kinds of support and staff"
    consultant = membership.user
    parent = Unit.objects.create(municipality=home.municipality, code=f"slump{seed}", name=f"Slump {seed}")
    units = [
        Unit.objects.create(municipality=home.municipality, parent=parent, code=f"slump{seed}-{i}", name=f"{seed}-{i}")
        for i in range(rng.randint(2, 4))
    ]
    start = timezone.make_aware(dt.datetime(2025, 1, 1, 10))
    number = 90000 + seed * 1000
    for unit in units:
        carers = []
        for _ in range(rng.randint(3, 25)):
            number += 1
            carers.append(
                Carer.objects.create(
                    unit=unit,
                    number=number,
                    last_entry_at=timezone.now(),
                    birth_year=rng.randint(1935, 2010),
                    gender=rng.choice(list(Gender.values)),
                    target_group=rng.choice(list(TargetGroup.values)),
                )
            )
        for _ in range(rng.randint(8, 70)):
            carer = rng.choice(carers) if rng.random() > 0.3 else None
            Talk.objects.create(
                unit=unit,
                consultant=consultant,
                support_kind=kind,
                carer=carer,
                started_at=start + dt.timedelta(days=rng.randint(0, 360), hours=rng.randint(0, 9)),
                duration_minutes=45,
                talk_type="advice",
                time_of_day=rng.choice(list(TimeOfDay.values)),
                age_band=rng.choice(list(AgeBand.values)),
                gender=rng.choice(list(Gender.values)),
                target_group=rng.choice(list(TargetGroup.values)),
                initiator=rng.choice(list(Initiator.values)),
                mode=rng.choice(list(TalkMode.values)),
                informed_right_to_apply=rng.choice(["yes", "no", "not_relevant"]),
                asked_about_children=rng.choice(["yes", "no", "not_relevant"]),
            )
    rollups_rebuild(expected=True)
    return [parent.pk]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", action="store_true", help="the demo municipality (seeded if missing)")
    parser.add_argument("--random", type=int, default=0, metavar="N", help="N seeded random förvaltningar")
    parser.add_argument("--start", default="2026-01-01")
    parser.add_argument("--end", default="2026-11-30")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from anhorigstod.accounts.models import Unit

    call_command("migrate", verbosity=0)
    if args.demo:
        if not Unit.objects.filter(municipality__kommunkod="9901").exists():
            call_command("seed_demo", verbosity=0)
        start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
        roots = list(
            Unit.objects.filter(parent__isnull=True).exclude(code__startswith="slump").values_list("pk", flat=True)
        )
        own, reports = measure_tree(roots, start, end)
        print(f"demo, {start} to {end}")
        print(own.line("each unit's own release"))
        print(reports.line("each report (unit and below)"))
    if args.random:
        if not Unit.objects.filter(municipality__kommunkod="9901").exists():
            call_command("seed_demo", verbosity=0)
        own_all, reports_all = Tally(), Tally()
        for seed in range(args.random):
            roots = random_dataset(seed)
            own, reports = measure_tree(roots, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
            own_all.add(own)
            reports_all.add(reports)
        print(f"random, {args.random} förvaltningar, 2025")
        print(own_all.line("each unit's own release"))
        print(reports_all.line("each report (unit and below)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
