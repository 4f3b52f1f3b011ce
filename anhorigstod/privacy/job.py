"""The one retention job: walks the register for each municipality, then once for the
platform-wide rules, and writes what it removed as counts (:class:`CullRun`).

Per municipality all or nothing: one transaction, so a failure leaves every record of
that municipality as it was, and the others are still culled (each has its own legal
duty). Running it again straight after removes nothing (all counts zero).

``cull_records`` (``--dry-run``), the carers' gallring and the booking-data shredder
are views of this job: the same walk restricted to some rules.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import DatabaseError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone

from anhorigstod.accounts.models import Municipality
from anhorigstod.privacy.models import CullRun
from anhorigstod.privacy.registry import Register, Rule, register, retention_cutoff

logger = logging.getLogger(__name__)


class CullError(Exception):
    """One or more municipalities could not be culled; the others were."""


def cull_municipality(
    *,
    municipality: Municipality,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    rules: Iterable[str] | None = None,
    within: Register = register,
) -> CullRun:
    """Run the register's per-municipality rules (or only ``rules``) for one municipality."""
    now = now or timezone.now()
    return _run(
        within.selected(keys=rules, per_municipality=True),
        municipality=municipality,
        now=now,
        dry_run=dry_run,
    )


def cull_platform(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    rules: Iterable[str] | None = None,
    within: Register = register,
) -> CullRun | None:
    """Run the platform-wide rules (the access log, the outbox, drafts); None if none apply."""
    selected = within.selected(keys=rules, per_municipality=False)
    if not selected:
        return None
    return _run(selected, municipality=None, now=now or timezone.now(), dry_run=dry_run)


def cull_everything(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    rules: Iterable[str] | None = None,
    within: Register = register,
) -> list[CullRun]:
    """The nightly job: every municipality, then the platform-wide rules.

    One municipality that fails (its transaction rolled back) does not stop the others;
    the failure is raised once all have run.
    """
    now = now or timezone.now()
    wanted = list(rules) if rules is not None else None
    runs: list[CullRun] = []
    failed: list[str] = []
    if within.selected(keys=wanted, per_municipality=True):
        for municipality in Municipality.objects.order_by("kommunkod"):
            try:
                runs.append(
                    cull_municipality(municipality=municipality, now=now, dry_run=dry_run, rules=wanted, within=within)
                )
            except (DatabaseError, ProtectedError, RestrictedError):
                logger.exception("Retention cull failed for municipality %s", municipality.kommunkod)
                failed.append(municipality.kommunkod)
    try:
        platform = cull_platform(now=now, dry_run=dry_run, rules=wanted, within=within)
    except (DatabaseError, ProtectedError, RestrictedError):
        logger.exception("Retention cull failed for the platform-wide rules")
        failed.append("platform")
    else:
        if platform is not None:
            runs.append(platform)
    if failed:
        raise CullError(f"Retention cull failed for municipalities {', '.join(failed)}")
    return runs


def _run(selected: list[Rule], *, municipality: Municipality | None, now: dt.datetime, dry_run: bool) -> CullRun:
    counts: dict[str, int] = {}
    cutoffs: dict[str, str] = {}
    with transaction.atomic():
        for rule in selected:
            cutoff = rule.period.cutoff(now=now, municipality=municipality)
            cutoffs[rule.key] = cutoff.isoformat()
            result = rule.cull(municipality=municipality, cutoff=cutoff, now=now, dry_run=dry_run)
            if list(result) != list(rule.count_keys):
                raise ValueError(f"Rule {rule.key} returned {sorted(result)}, not its count keys")
            counts.update(result)
        run = CullRun.objects.create(
            municipality=municipality,
            dry_run=dry_run,
            cutoff=retention_cutoff(now=now, years=municipality.retention_years) if municipality else None,
            cutoffs=cutoffs,
            counts=counts,
        )
    logger.info(
        "Retention job for %s (dry run: %s): %s",
        municipality.kommunkod if municipality else "the platform",
        dry_run,
        ", ".join(f"{key}={number}" for key, number in counts.items()),
    )
    return run
