"""What the follow-up commands share: a unit (or units) and a period on the command line,
and ``--list-units``. Operations commands, not scoped to a user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError, CommandParser, OutputWrapper

from anhorigstod.accounts.models import Unit


def add_unit_and_period(parser: CommandParser, *, many: bool = False) -> None:
    if many:
        parser.add_argument("--unit", action="append", default=[], help="a unit's code; repeat for more units")
    else:
        parser.add_argument("--unit", help="the unit's code (see --list-units)")
    parser.add_argument("--start", help="first day, YYYY-MM-DD")
    parser.add_argument("--end", help="last day, YYYY-MM-DD")
    parser.add_argument("--output", help="where to write the file")
    parser.add_argument("--list-units", action="store_true", help="print the unit codes and names")


def list_units(stdout: OutputWrapper) -> None:
    for code, name, municipality in Unit.objects.order_by("municipality__name", "name").values_list(
        "code", "name", "municipality__name"
    ):
        stdout.write(f"{code}\t{name}\t{municipality}")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


def units_and_period(options: dict[str, Any]) -> tuple[list[Unit], dt.date, dt.date]:
    """The units named by ``--unit`` (in the order given) and the period, or a CommandError."""
    missing = [f"--{name}" for name in ("unit", "start", "end", "output") if not options[name]]
    if missing:
        raise CommandError(f"missing {', '.join(missing)}")
    given = options["unit"]
    codes = list(dict.fromkeys(given if isinstance(given, list) else [given]))
    found = {unit.code: unit for unit in Unit.objects.select_related("municipality").filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise CommandError(f"no unit with the code {', '.join(map(repr, unknown))} (see --list-units)")
    start, end = _date(options["start"]), _date(options["end"])
    if end < start:
        raise CommandError("--end is before --start")
    return [found[code] for code in codes], start, end
