"""The follow-up figures' disclosure: their cells and relations, derived from the measures'
declarations (:func:`relations`), what hiding each costs the reader (:func:`_cost`), a
unit tree's release (:func:`release_tree`), the released figures every suppressed output
shows (:func:`released_figures`), and the national format's own rule. The protection
itself is :mod:`followup.disclosure.protection`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.cache import cache

from anhorigstod.rollups.services import unit_versions
from followup.disclosure import protection
from followup.disclosure.protection import (
    NODE,
    REST,
    UNION,
    Key,
    Relation,
    small,
    union_start,
    unit_tree,
    units_below,
)
from followup.figures import FollowUpFigures, MeasureValue, figures_of_groups, followup_figures
from followup.measures import BY_CODE, MEASURES, Cell, CountUnit, Mark, Measure, Section

logger = logging.getLogger(__name__)


def cells_of(figures: FollowUpFigures) -> dict[Key, int]:
    """Every count of the figures that is subject to suppression, by key."""
    cells: dict[Key, int] = {}
    for measure in MEASURES:
        if not measure.counted:
            continue
        item = figures.value(measure.code)
        if measure.is_distribution:
            for cell in item.cells:
                cells[(measure.code, cell.code)] = int(cell.value or 0)
        else:
            cells[(measure.code, "")] = int(item.value or 0)
    return cells


def relations(cells: dict[Key, int]) -> list[Relation]:
    """The node's relations, each derived from a declaration (``followup.measures``)."""
    found: list[Relation] = []
    by_measure: dict[str, list[Key]] = {}
    for key in cells:
        by_measure.setdefault(key[0], []).append(key)

    def counted(code: str) -> bool:
        return BY_CODE[code].counted

    for measure in MEASURES:
        if not measure.counted:
            continue
        own = tuple(by_measure.get(measure.code, []))
        if measure.total and counted(measure.total) and own:
            found.append(Relation((measure.total, ""), own))
        if measure.part_of and counted(measure.part_of):
            parts = own if measure.is_distribution else ((measure.code, ""),)
            if parts:
                found.append(Relation((measure.part_of, ""), (*parts, (REST, measure.code))))
        other, category = measure.same_as
        if other and counted(other):
            found.append(Relation((measure.code, ""), ((other, category),)))
        if measure.group_total and counted(measure.group_total):
            groups: dict[str, list[Key]] = {}
            for key in own:
                groups.setdefault(key[1].split("|", 1)[0], []).append(key)
            found.extend(Relation((measure.group_total, group), tuple(keys)) for group, keys in groups.items())
    return found


def _cost(key: Key, cells: dict[Key, int]) -> tuple[int, int, int, Key]:
    """How much the reader loses when ``key`` is hidden to protect another: a table's
    cell (a month, a week) least, then a category of a distribution, then a single
    figure, a headline figure most; a unit's own cell before the same of a union of units
    (the förvaltning's report is read most); the smaller value first."""
    measure: Measure = BY_CODE[key[-2]]
    if measure.headline:
        rank = 3
    elif measure.section == Section.TABLES:
        rank = 0
    elif measure.is_distribution:
        rank = 1
    else:
        rank = 2
    union = 1 if len(key) == 3 and key[0].startswith(UNION) else 0
    return rank, union, cells.get(key, 0), key


def protect(
    cells: dict[Key, int],
    hidden: dict[Key, Mark],
    must: set[Key],
    protected_rests: Iterable[Key] = (),
    rules: Sequence[Relation] | None = None,
) -> tuple[dict[Key, Mark], set[Key]]:
    """:func:`protection.protect <followup.disclosure.protection.protect>` with the
    figures' relations (by default those of one unit's figures) and costs (:func:`_cost`)."""
    rules = relations(cells) if rules is None else rules
    return protection.protect(cells, hidden, must, protected_rests, rules=rules, cost=lambda key: _cost(key, cells))


def protect_own(cells: dict[Key, int]) -> tuple[dict[Key, Mark], set[Key]]:
    """A unit's own figures: primary suppression, then complementary. Returns (hidden
    with marks, the cells that must stay unknown); a hidden zero is no one to protect."""
    return protection.protect_own(cells, rules=relations(cells), cost=lambda key: _cost(key, cells))


def protect_union(cells: dict[Key, int], parts: Sequence[set[Key]]) -> dict[Key, Mark]:
    """The figures of several units (``parts``: the cells each unit must keep unknown): a
    count that adds up over units is shown only where it reveals none of those."""
    hidden, must, rests = union_start(cells, parts, lambda key: BY_CODE[key[-2]].additive)
    return protect(cells, hidden, must, rests)[0]


def apply(figures: FollowUpFigures, hidden: dict[Key, Mark]) -> FollowUpFigures:
    """The figures as released: every hidden cell ``None`` with its mark; a share, mean
    or sum only where the counts it is built on are shown."""
    values: dict[str, MeasureValue] = {}
    for measure in MEASURES:
        item = figures.value(measure.code)
        if measure.is_distribution:
            values[measure.code] = dataclasses.replace(
                item,
                cells=tuple(
                    Cell(cell.code, cell.label, None, hidden[(measure.code, cell.code)])
                    if (measure.code, cell.code) in hidden
                    else cell
                    for cell in item.cells
                ),
            )
        elif (measure.code, "") in hidden:
            values[measure.code] = dataclasses.replace(item, value=None, mark=hidden[(measure.code, "")])
        else:
            values[measure.code] = item
    _withhold_derived(values)
    return dataclasses.replace(figures, suppressed=True, values=values)


def _withhold_derived(values: dict[str, MeasureValue]) -> None:
    """Mark a share, mean or sum unavailable where a count it is built on is hidden."""
    for measure in MEASURES:
        bases = measure.share_of if measure.is_share else (measure.shown_with,) if measure.shown_with else ()
        if any(values[code].value is None for code in bases):
            values[measure.code] = dataclasses.replace(values[measure.code], value=None, mark=Mark.UNAVAILABLE)


# --------------------------------------------------------------------------
# A unit tree: every unit's own figures and every unit's with the units below it
# --------------------------------------------------------------------------


@dataclass
class TreeRelease:
    """What every output of one unit tree shows for a period: each unit's own figures
    (:meth:`own`) and, for each unit with units below it, the figures of the unit and all
    below it (:meth:`subtree`, the PDF report), each with what of it is hidden.

    The figures are read when asked for, unless they were read to compute the protection:
    with the protection kept in the cache, an output reads only its own owner's figures."""

    units: set[int]
    below: dict[int, list[int]]
    hidden: dict[str, dict[Key, Mark]]  # owner -> hidden cell -> mark
    start: dt.date
    end: dt.date
    figures: dict[str, FollowUpFigures] = dataclasses.field(default_factory=dict)  # by owner, read so far

    def own(self, pk: int) -> tuple[FollowUpFigures, dict[Key, Mark]]:
        return self._figures(_owner(NODE, pk), [pk]), self.own_hidden(pk)

    def own_hidden(self, pk: int) -> dict[Key, Mark]:
        return self.hidden.get(_owner(NODE, pk), {})

    def subtree(self, pk: int) -> tuple[FollowUpFigures, dict[Key, Mark]]:
        name = _owner(UNION, pk)
        return self._figures(name, self.below[pk]), self.hidden.get(name, {})

    def read_own(self, units: Sequence[int]) -> None:
        """Read these units' own figures at once (one set of queries for them all)."""
        wanted: dict[Hashable, list[int]] = {(NODE, pk): [pk] for pk in units if _owner(NODE, pk) not in self.figures}
        found = figures_of_groups(groups=wanted, start=self.start, end=self.end)
        for pk in units:
            if (NODE, pk) in found:
                self.figures[_owner(NODE, pk)] = found[(NODE, pk)]

    def _figures(self, name: str, ids: list[int]) -> FollowUpFigures:
        if name not in self.figures:
            self.figures[name] = followup_figures(unit_ids=ids, start=self.start, end=self.end)
        return self.figures[name]


# Releases kept while one output is built (:func:`reusing_releases`): a report reads the
# same tree's release for its figures and for each unit's self-assessment.
_REUSED: ContextVar[dict[tuple[tuple[int, ...], dt.date, dt.date], TreeRelease] | None] = ContextVar(
    "reused_releases", default=None
)


@contextmanager
def reusing_releases() -> Iterator[None]:
    """Within the block, a unit tree's release for a period is computed once (the data
    cannot change meanwhile as far as one output is concerned)."""
    token = _REUSED.set({})
    try:
        yield
    finally:
        _REUSED.reset(token)


def release_tree(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> TreeRelease:
    """Protect together every output of the unit trees these units belong to (once per
    tree and period inside :func:`reusing_releases`)."""
    tree, children = unit_tree(unit_ids)
    reused = _REUSED.get()
    key = (tuple(tree), start, end)
    if reused is not None and key in reused:
        return reused[key]
    release = _release_tree(tree, children, start, end)
    if reused is not None:
        reused[key] = release
    return release


def _release_tree(tree: list[int], children: dict[int, list[int]], start: dt.date, end: dt.date) -> TreeRelease:
    """Protect together every output of a unit tree.

    Each unit's own figures and each unit's figures with the units below it are owners
    of cells; their relations are each owner's own, and, for every count that adds up
    over units, that a unit's subtree is its own count plus its children's subtrees.
    The attack and the choice of complementary cells (:func:`protect`) run over all of it
    at once, so a small count of one unit is protected by hiding the cheapest cell that
    does it: often a sibling unit's own count, rather than the förvaltning's figure that
    sums them (which the reader of the report would lose)."""
    below = {pk: units_below(pk, children) for pk in tree if children.get(pk)}
    release = TreeRelease(units=set(tree), below=below, hidden={}, start=start, end=end)
    key = _protection_key(tree, children, start, end)
    kept = _cached(key)
    if kept is not None:
        release.hidden = kept
        return release
    # Every owner's figures from one read: each unit alone and each unit with those below.
    groups: dict[Hashable, list[int]] = {(NODE, pk): [pk] for pk in tree}
    groups.update({(UNION, pk): ids for pk, ids in below.items()})
    found = figures_of_groups(groups=groups, start=start, end=end)
    own = {pk: found[(NODE, pk)] for pk in tree}
    subtree = {pk: found[(UNION, pk)] for pk in below}
    release.figures = {_owner(NODE, pk): figures for pk, figures in own.items()}
    release.figures.update({_owner(UNION, pk): figures for pk, figures in subtree.items()})
    for cell, mark in _protection(own, subtree, below, children).items():
        release.hidden.setdefault(cell[0], {})[cell[1:]] = mark
    _keep(key, release.hidden)
    return release


def _owner(kind: str, pk: int) -> str:
    return f"{kind}{pk}"


def _protection(
    own: dict[int, FollowUpFigures],
    subtree: dict[int, FollowUpFigures],
    below: dict[int, list[int]],
    children: dict[int, list[int]],
) -> dict[Key, Mark]:
    """What of a unit tree's figures is hidden, keyed (owner, measure code, category)."""

    owner = _owner

    def ref(pk: int) -> str:
        return owner(UNION, pk) if pk in subtree else owner(NODE, pk)

    cells: dict[Key, int] = {}
    rules: list[Relation] = []
    owners = [(owner(NODE, pk), figures) for pk, figures in own.items()]
    owners += [(owner(UNION, pk), figures) for pk, figures in subtree.items()]
    for name, figures in owners:
        own_cells = cells_of(figures)
        cells.update({(name, *key): value for key, value in own_cells.items()})
        rules.extend(
            Relation((name, *rule.total), tuple((name, *part) for part in rule.parts)) for rule in relations(own_cells)
        )
    # A unit that records nothing of its own (often the förvaltning itself) is taken as
    # known to be empty: its hidden zeros protect nobody in a sum.
    empty = {owner(NODE, pk) for pk, figures in own.items() if not any(cells_of(figures).values())}
    for pk in subtree:
        parts = [name for name in (owner(NODE, pk), *(ref(child) for child in children[pk])) if name not in empty]
        for key in cells_of(subtree[pk]):
            if BY_CODE[key[0]].additive:
                members = tuple((part, *key) for part in parts if (part, *key) in cells)
                rules.append(Relation((owner(UNION, pk), *key), members, over_units=True))
    # Each unit on its own, and each subtree as a union that hides what any of its units
    # keeps unknown; then, where that hides report cells that are not small, all at once.
    # Both are safe; the reader gets the one that hides less (:func:`_tree_loss`).
    apart: dict[Key, Mark] = {}
    musts: dict[int, set[Key]] = {}
    for pk, figures in own.items():
        hidden_own, musts[pk] = protect_own(cells_of(figures))
        apart.update({(owner(NODE, pk), *key): mark for key, mark in hidden_own.items()})
    for pk, figures in subtree.items():
        hidden_union = protect_union(cells_of(figures), [musts[unit] for unit in below[pk]])
        apart.update({(owner(UNION, pk), *key): mark for key, mark in hidden_union.items()})
    # A union's "x" is at least 5: with its units' bounds that can still pin a small count,
    # so the whole tree is attacked once more and protected where it does.
    apart, _must = protect(cells, apart, {key for key, mark in apart.items() if cells[key] > 0}, rules=rules)
    hidden = apart
    if any(key[0].startswith(UNION) and mark == Mark.PROTECTS for key, mark in apart.items()):
        primary = {key: Mark.SMALL for key, value in cells.items() if small(value)}
        joint, _must = protect(cells, primary, {key for key in primary if cells[key] > 0}, rules=rules)
        hidden = min((joint, apart), key=lambda found: _tree_loss(found, cells))
    return hidden


# How long a tree's protection is kept in the cache; a write of any of its units' counts
# gives the unit a new version (anhorigstod.rollups), so a kept one is never stale.
PROTECTION_SECONDS = 24 * 3600
# Part of the key: change it when the protection's rules change, so none kept is reused.
PROTECTION_RULES = "2026-12-07"


def _protection_key(tree: list[int], children: dict[int, list[int]], start: dt.date, end: dt.date) -> str | None:
    try:
        versions = unit_versions(tree)
    except Exception:  # noqa: BLE001 - without the cache the protection is computed each time
        logger.warning("Disclosure: the cache is unavailable; a unit tree's protection is computed afresh")
        return None
    shape = sorted((pk, sorted(children.get(pk, []))) for pk in tree)
    text = repr((PROTECTION_RULES, start.isoformat(), end.isoformat(), shape, sorted(versions.items())))
    return "disclosure:tree:" + hashlib.sha256(text.encode()).hexdigest()


def _cached(key: str | None) -> dict[str, dict[Key, Mark]] | None:
    """A kept protection: owner -> hidden cell -> mark."""
    if key is None:
        return None
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("Disclosure: the cache is unavailable; a unit tree's protection is computed afresh")
        return None
    if found is None:
        return None
    by_owner: dict[str, dict[Key, Mark]] = {}
    for owner, marks in found.items():
        hidden = by_owner[owner] = {}
        for mark, cells in marks.items():
            hidden.update(dict.fromkeys(cells, Mark(mark)))
    return by_owner


def _keep(key: str | None, by_owner: dict[str, dict[Key, Mark]]) -> None:
    """Keep a protection as owner -> mark -> cells (plain strings and tuples)."""
    if key is None:
        return
    kept: dict[str, dict[str, list[Key]]] = {}
    for owner, hidden in by_owner.items():
        for cell, mark in hidden.items():
            kept.setdefault(owner, {}).setdefault(str(mark), []).append(cell)
    try:
        cache.set(key, kept, PROTECTION_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("Disclosure: the cache is unavailable; a unit tree's protection was not kept")


def _tree_loss(hidden: dict[Key, Mark], cells: dict[Key, int]) -> tuple[int, int, int, int]:
    """What the reader loses: the headline figures of the reports hidden though not small,
    then any headline figure so hidden, then the sum of every count hidden though not
    small, then the cells hidden."""
    protecting = [key for key, mark in hidden.items() if mark == Mark.PROTECTS]
    headlines = [key for key in protecting if BY_CODE[key[-2]].headline]
    of_reports = sum(1 for key in headlines if key[0].startswith(UNION))
    return of_reports, len(headlines), sum(cells.get(key, 0) for key in protecting), len(hidden)


def hidden_of_units(
    *, unit_ids: Sequence[int], start: dt.date, end: dt.date, tree: TreeRelease | None = None
) -> tuple[FollowUpFigures, dict[Key, Mark]]:
    """The raw figures of these units together and what of them is hidden (with marks).

    One unit, or a unit with all the units below it (the report), is released as its
    unit tree is (:func:`release_tree`). Any other set of units shows a count only where
    every unit of it shows its own, so it reveals nothing the units do not."""
    ids = sorted(set(unit_ids))
    tree = tree or release_tree(unit_ids=ids, start=start, end=end)
    if len(ids) == 1 and ids[0] in tree.units:
        return tree.own(ids[0])
    for pk, below in tree.below.items():
        if below == ids:
            return tree.subtree(pk)
    return _selection(ids, tree, start, end)


def _selection(
    ids: list[int], tree: TreeRelease, start: dt.date, end: dt.date
) -> tuple[FollowUpFigures, dict[Key, Mark]]:
    """Units chosen together that are not a unit with all the units below it: a count that
    adds up over units is shown only where every unit shows its own (so it is the sum of
    shown numbers and tells nothing new), else it is not available (".."): it is built on
    a hidden count, and no bound of 5 is given away with an "x". A count that does not add
    up (distinct people over units) is released as one unit's would be."""
    whole = followup_figures(unit_ids=ids, start=start, end=end)
    cells = cells_of(whole)
    own = [tree.own_hidden(pk) if pk in tree.units else {} for pk in ids]
    hidden: dict[Key, Mark] = {}
    for key, value in cells.items():
        if BY_CODE[key[0]].additive:
            if any(key in part for part in own):
                hidden[key] = Mark.UNAVAILABLE
        elif small(value):
            hidden[key] = Mark.SMALL
    return whole, hidden


def released_figures(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> FollowUpFigures:
    """The figures of these units for [start, end] as any suppressed output releases them."""
    whole, hidden = hidden_of_units(unit_ids=list(unit_ids), start=start, end=end)
    return apply(whole, hidden)


def released_by_unit(*, unit_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, FollowUpFigures]:
    """Each unit's own figures as released (the national export), protecting each tree once."""
    ids = sorted(set(unit_ids))
    if not ids:
        return {}
    tree = release_tree(unit_ids=ids, start=start, end=end)
    tree.read_own([pk for pk in ids if pk in tree.units])
    return {pk: apply(*hidden_of_units(unit_ids=[pk], start=start, end=end, tree=tree)) for pk in ids}


# The national export's format (docs/national-export.md, format 1.x) shows these sums
# only with the count they were given to: the respite hours with the carers.
NATIONAL_SHOWN_WITH: dict[str, str] = {"respite_hours": "respite_carers"}


def released_for_national_format(figures: FollowUpFigures) -> FollowUpFigures:
    """Released figures (:func:`released_figures`) as the national export carries them.

    Since format 1.0 (docs/national-export.md, "Suppression") the export has withheld
    two things the other outputs show:

    - a number of sessions held under 5, zero included, marked :attr:`Mark.SMALL` ("<5"):
      the other outputs show it, since sessions are not people;
    - a sum shown only with a count (:data:`NATIONAL_SHOWN_WITH`: the respite hours with
      the carers who got them), marked :attr:`Mark.UNAVAILABLE` when that count is hidden.

    It only hides more, and nothing it hides is a count that :func:`relations` defends
    (sessions held and hours are not suppressed counts), so the released figures'
    guarantee holds: no hidden small count can be worked out.
    """
    if not figures.suppressed:
        raise ValueError("the national format is made from released figures only")
    values = dict(figures.values)
    for measure in MEASURES:
        item = values[measure.code]
        if measure.unit != CountUnit.SESSIONS:
            continue
        if measure.is_distribution:
            cells = tuple(
                dataclasses.replace(cell, value=None, mark=Mark.SMALL)
                if cell.value is not None and small(int(cell.value))
                else cell
                for cell in item.cells
            )
            values[measure.code] = dataclasses.replace(item, cells=cells)
        elif item.value is not None and small(int(item.value)):
            values[measure.code] = dataclasses.replace(item, value=None, mark=Mark.SMALL)
    for code, count in NATIONAL_SHOWN_WITH.items():
        if values[count].value is None and values[code].value is not None:
            values[code] = dataclasses.replace(values[code], value=None, mark=Mark.UNAVAILABLE)
    _withhold_derived(values)
    return dataclasses.replace(figures, values=values)


@dataclass(frozen=True)
class Loss:
    """What the reader loses: the counts hidden, those hidden only to protect another (all
    5 or more) and how many of those are headline figures, and the sums of their values."""

    hidden: int
    hidden_sum: int
    protecting: int
    protecting_sum: int
    headline_protecting: int


def loss(figures: FollowUpFigures, hidden: dict[Key, Mark]) -> Loss:
    cells = cells_of(figures)
    protecting = [key for key, mark in hidden.items() if mark == Mark.PROTECTS]
    return Loss(
        hidden=len(hidden),
        hidden_sum=sum(cells.get(key, 0) for key in hidden),
        protecting=len(protecting),
        protecting_sum=sum(cells.get(key, 0) for key in protecting),
        headline_protecting=sum(1 for key in protecting if BY_CODE[key[-2]].headline),
    )
