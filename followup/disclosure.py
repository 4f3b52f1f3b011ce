"""Disclosure control: the one module that decides what of a follow-up figure may be shown,
and with which mark. Every suppressed output goes through it: the dashboard with "hide
counts under 5", the PDF report and its sentences, the CSV/XLSX export, the national
export, the self-assessment's evidence and the evaluations.

The goal: no released combination lets anyone work out a hidden small count, by
subtraction or by the bounds the marks give, within one output or across the outputs of
the same period.

How. Every output is the aggregate of a set of units; each unit's *own* figures are a
node. A node is protected on its own and always the same way, whatever output asks:

1. Primary suppression: a count of people or talks (a measure declared ``suppressed``)
   under 5 is hidden and marked :attr:`Mark.SMALL` ("<5"); a hidden zero is no one, and
   need not stay unknown.
2. Complementary suppression: the node's linear relations are derived from the
   declarations (:func:`relations`): a distribution and its total, a part and its total
   with the unpublished rest (the talks "ej relevant" for SoL 11:6 are talks − yes − no),
   the same count under two names, a consultant's weeks and their total. An attacker's
   closure is run (:func:`exposed`) with what the marks say: a "<5" is 0-4, an "x" is at
   least 5 (only shown counts, all 5 or more, are ever hidden to protect). A hidden count
   that holds someone, or an unpublished rest of 1-4, whose bounds close on one value is
   exposed; then one more cell of that relation is hidden (:attr:`Mark.PROTECTS`, "x"),
   chosen so that the reader loses least (:func:`_cost`: a table's cell before a
   distribution's, a distribution's before a single figure, a headline figure last, and
   the smallest first), and the closure runs again.

An output of several units (a förvaltning with its units, or several chosen units) is a
*union* node: its count is shown only when the same count is not kept unknown in any
unit it sums (for measures that add up over units), so it reveals nothing the units do
not; then its own relations are protected the same way, hiding only union cells. Hence a
parent's PDF and its units' national records, or two overlapping selections, never give a
hidden count away by subtraction.

A share, mean or sum built on a hidden count is not shown (:attr:`Mark.UNAVAILABLE`, "..").

The national export's format withholds a little more than the other outputs
(:func:`released_for_national_format`); it too is decided here, on released figures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from anhorigstod.accounts.models import Unit
from followup.figures import FollowUpFigures, MeasureValue, figures_by_unit, followup_figures
from followup.measures import BY_CODE, MEASURES, CountUnit, Mark, Measure, Section

# The smallest count shown; smaller ones (0 included) are hidden and marked "<5".
SUPPRESSION_LIMIT = 5

# (measure code, category; "" for a single figure), or with the owner first where the
# figures of several units are protected together: (owner, measure code, category).
Key = tuple[str, ...]
REST = "_rest"
INFINITY = math.inf
# The owner of a cell where several units' figures are protected together.
NODE, UNION = "n", "t"


@dataclass(frozen=True)
class Relation:
    """``total`` = the sum of ``parts``; a part ``(REST, name)`` is the unpublished rest."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def small(count: int) -> bool:
    """The one small-cell rule: a count under 5 is not shown."""
    return count < SUPPRESSION_LIMIT


def _sensitive(value: int) -> bool:
    """A count that must not be worked out: 1-4 people (zero is no one)."""
    return 0 < value < SUPPRESSION_LIMIT


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


def _rest_value(key: Key, cells: dict[Key, int], relation: Relation) -> int:
    return cells.get(relation.total, 0) - sum(cells.get(part, 0) for part in relation.parts if part[-2] != REST)


def _bounds(hidden: dict[Key, Mark], key: Key) -> tuple[float, float]:
    """What a reader knows of a value from its mark: "<5" is 0-4, "x" at least 5."""
    if key[-2] == REST:
        return 0, INFINITY
    mark = hidden.get(key)
    if mark == Mark.SMALL:
        return 0, SUPPRESSION_LIMIT - 1
    if mark == Mark.PROTECTS:
        return SUPPRESSION_LIMIT, INFINITY
    return 0, INFINITY


def exposed(
    cells: dict[Key, int], hidden: dict[Key, Mark], rules: Sequence[Relation]
) -> tuple[dict[Key, Relation], dict[Key, tuple[float, float]]]:
    """The attack: what a reader can work out of the hidden values (and the unpublished
    rests) from the shown ones, the marks' bounds and the relations, to closure.

    Returns the values pinned to one number, each with the relation that pinned it, and
    every unknown value's bounds. Shown values are known exactly."""
    bounds: dict[Key, tuple[float, float]] = {}
    for relation in rules:
        for key in relation.members:
            if key in bounds:
                continue
            if key[-2] != REST and key not in hidden:
                value = cells.get(key, 0)
                bounds[key] = (value, value)
            else:
                bounds[key] = _bounds(hidden, key)
    pinned: dict[Key, Relation] = {}

    def narrow(key: Key, low: float, high: float, relation: Relation) -> bool:
        old_low, old_high = bounds[key]
        new_low, new_high = max(old_low, low), min(old_high, high)
        if (new_low, new_high) == (old_low, old_high):
            return False
        bounds[key] = (new_low, new_high)
        if new_low == new_high:
            pinned[key] = relation
        return True

    # Only a relation with an unknown member can tell anything.
    active = [relation for relation in rules if any(bounds[key][0] != bounds[key][1] for key in relation.members)]
    for _round in range(100):  # bounds only narrow; a few rounds reach the closure
        changed = False
        for relation in active:
            if all(bounds[key][0] == bounds[key][1] for key in relation.members):
                continue
            # total = sum(parts): the total lies within the parts' sums, and each part
            # within the total less the other parts.
            parts_low = sum(bounds[part][0] for part in relation.parts)
            finite_high = sum(bounds[part][1] for part in relation.parts if bounds[part][1] != INFINITY)
            infinite = sum(1 for part in relation.parts if bounds[part][1] == INFINITY)
            changed |= narrow(relation.total, parts_low, finite_high if not infinite else INFINITY, relation)
            total_low, total_high = bounds[relation.total]
            for part in relation.parts:
                low, high = bounds[part]
                if low == high:
                    continue
                others_infinite = infinite - (high == INFINITY)
                others_high = INFINITY if others_infinite else finite_high - (0 if high == INFINITY else high)
                others_low = parts_low - low
                changed |= narrow(part, total_low - others_high, total_high - others_low, relation)
        if not changed:
            break
    return pinned, bounds


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
    """Hide more cells (marked "x") until no cell of ``must`` (hidden counts that hold
    someone, cells hidden to protect one, ``protected_rests``) and no unpublished rest of
    1-4 people can be worked out. ``rules``: the relations (by default those of one
    unit's figures). Returns (hidden with marks, must), both grown.

    Each round hides, for every relation through which a protected value was worked
    out, its cheapest shown cell (:func:`_cost`), then runs the attack again."""
    rules = relations(cells) if rules is None else rules
    hidden, must = dict(hidden), set(must) | set(protected_rests)
    for relation in rules:
        for part in relation.parts:
            if part[-2] == REST and _sensitive(_rest_value(part, cells, relation)):
                must.add(part)
    containing: dict[Key, list[Relation]] = {}
    for relation in rules:
        for key in relation.members:
            containing.setdefault(key, []).append(relation)
    while True:
        pinned, _bounds_found = exposed(cells, hidden, rules)
        breached = {relation for key, relation in pinned.items() if key in must}
        if not breached:
            return hidden, must
        picks: set[Key] = set()
        for relation in sorted(breached, key=lambda rule: rule.members):
            candidates = [m for m in relation.members if m[-2] != REST and m not in hidden]
            if not candidates:
                # Pinned through another relation's bounds: hide a shown cell next to it.
                near = {m for other in relation.members for rule in containing.get(other, []) for m in rule.members}
                candidates = [m for m in near if m[-2] != REST and m not in hidden]
            if candidates and not picks.intersection(candidates):
                picks.add(min(candidates, key=lambda member: _cost(member, cells)))
        if not picks:
            return hidden, must  # everything around it is hidden already
        for pick in picks:
            hidden[pick] = Mark.PROTECTS
            must.add(pick)


def protect_own(cells: dict[Key, int]) -> tuple[dict[Key, Mark], set[Key]]:
    """A unit's own figures: primary suppression, then complementary. Returns (hidden
    with marks, the cells that must stay unknown); a hidden zero is no one to protect."""
    hidden = {key: Mark.SMALL for key, value in cells.items() if small(value)}
    return protect(cells, hidden, {key for key in hidden if cells[key] > 0})


def protect_union(cells: dict[Key, int], parts: Sequence[set[Key]]) -> dict[Key, Mark]:
    """The figures of several units (``parts``: the cells each unit must keep unknown): a
    count that adds up over units is shown only where it reveals none of those."""
    hidden = {key: Mark.SMALL for key, value in cells.items() if small(value)}
    must = {key for key in hidden if cells[key] > 0}
    rests: set[Key] = set()
    for part_must in parts:
        for key in part_must:
            if key[-2] == REST:
                rests.add(key)
            elif key in cells and BY_CODE[key[-2]].additive:
                hidden.setdefault(key, Mark.PROTECTS)
                must.add(key)
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
                    dataclasses.replace(cell, value=None, mark=hidden[(measure.code, cell.code)])
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
    (``own``) and, for each unit with units below it, the figures of the unit and all below
    it (``subtree``, the PDF report), each with what of it is hidden."""

    own: dict[int, tuple[FollowUpFigures, dict[Key, Mark]]]
    subtree: dict[int, tuple[FollowUpFigures, dict[Key, Mark]]]
    below: dict[int, list[int]]


def _tree(unit_ids: Iterable[int]) -> tuple[list[int], dict[int, list[int]]]:
    """Every unit of the trees these units belong to, and each unit's children (one query)."""
    ids = set(unit_ids)
    rows = list(Unit.objects.filter(municipality__units__in=ids).distinct().values_list("pk", "parent_id"))
    parent = dict(rows)
    children: dict[int, list[int]] = {}
    for pk, parent_id in rows:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)

    def root(pk: int) -> int:
        while parent.get(pk) is not None:
            pk = parent[pk]
        return pk

    roots = {root(pk) for pk in ids if pk in parent}
    tree = [pk for pk in parent if root(pk) in roots]
    return sorted(tree), children


def _below(pk: int, children: dict[int, list[int]]) -> list[int]:
    found, stack = [], [pk]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return sorted(found)


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
    tree, children = _tree(unit_ids)
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
    own = figures_by_unit(unit_ids=tree, start=start, end=end)
    below = {pk: _below(pk, children) for pk in tree if children.get(pk)}
    subtree = {pk: followup_figures(unit_ids=ids, start=start, end=end) for pk, ids in below.items()}

    def owner(kind: str, pk: int) -> str:
        return f"{kind}{pk}"

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
                rules.append(Relation((owner(UNION, pk), *key), members))
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

    def of(name: str) -> dict[Key, Mark]:
        return {key[1:]: mark for key, mark in hidden.items() if key[0] == name}

    return TreeRelease(
        own={pk: (figures, of(owner(NODE, pk))) for pk, figures in own.items()},
        subtree={pk: (figures, of(owner(UNION, pk))) for pk, figures in subtree.items()},
        below=below,
    )


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
    if len(ids) == 1 and ids[0] in tree.own:
        return tree.own[ids[0]]
    for pk, below in tree.below.items():
        if below == ids:
            return tree.subtree[pk]
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
    own = [tree.own[pk][1] if pk in tree.own else {} for pk in ids]
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
    tree = release_tree(unit_ids=ids, start=start, end=end) if ids else None
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
    """What the reader loses: the counts hidden (those of 5 or more are hidden only to
    protect another), and the sum of their values."""

    hidden: int
    hidden_sum: int
    protecting: int
    protecting_sum: int


def loss(figures: FollowUpFigures, hidden: dict[Key, Mark]) -> Loss:
    cells = cells_of(figures)
    protecting = [key for key, mark in hidden.items() if mark == Mark.PROTECTS]
    return Loss(
        hidden=len(hidden),
        hidden_sum=sum(cells.get(key, 0) for key in hidden),
        protecting=len(protecting),
        protecting_sum=sum(cells.get(key, 0) for key in protecting),
    )


__all__ = [
    "NATIONAL_SHOWN_WITH",
    "SUPPRESSION_LIMIT",
    "Loss",
    "Relation",
    "apply",
    "cells_of",
    "exposed",
    "hidden_of_units",
    "loss",
    "protect",
    "protect_own",
    "protect_union",
    "relations",
    "release_tree",
    "released_by_unit",
    "released_figures",
    "released_for_national_format",
    "reusing_releases",
    "small",
]
