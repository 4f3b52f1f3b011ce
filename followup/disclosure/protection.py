"""The protection itself, whatever the table: the relations a reader can subtract along,
the attack (:func:`exposed`), primary and complementary suppression (:func:`protect`),
the start of a union of parts (:func:`union_start`), and the unit trees whose outputs are
protected together. ``followup.disclosure.figures`` gives it the figures' relations and
costs, ``followup.disclosure.evaluations`` the evaluations'.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from anhorigstod.accounts.models import Unit
from followup.measures import Mark

# The smallest count shown; smaller ones (0 included) are hidden and marked "<5".
SUPPRESSION_LIMIT = 5

# (measure code, category; "" for a single figure), or with the owner first where the
# figures of several units are protected together: (owner, measure code, category).
Key = tuple[str, ...]
# What hiding a cell costs the reader, as a sort key: the cheapest is hidden first.
Cost = Callable[[Key], tuple[int | Key, ...]]
REST = "_rest"
INFINITY = math.inf
# The owner of a cell where several units' figures are protected together.
NODE, UNION = "n", "t"


@dataclass(frozen=True)
class Relation:
    """``total`` = the sum of ``parts``; a part ``(REST, name)`` is the unpublished rest."""

    total: Key
    parts: tuple[Key, ...]
    # A sum over units (a subtree is its own count plus its children's): the hidden units
    # of it must not add up to a known 1-4 either, a small group of people in its own right.
    over_units: bool = False

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def small(count: int) -> bool:
    """The one small-cell rule: a count under 5 is not shown."""
    return count < SUPPRESSION_LIMIT


def _sensitive(value: int) -> bool:
    """A count that must not be worked out: 1-4 people (zero is no one)."""
    return 0 < value < SUPPRESSION_LIMIT


def _rest_value(key: Key, cells: dict[Key, int], relation: Relation) -> int:
    return cells.get(relation.total, 0) - sum(cells.get(part, 0) for part in relation.parts if part[-2] != REST)


def _bounds(hidden: dict[Key, Mark], key: Key) -> tuple[float, float]:
    """What a reader knows of a value from its mark: "<5" is 0-4, "x" at least 5."""
    if key[-2] == REST:
        return 0, INFINITY
    mark = hidden.get(key)
    if mark is Mark.SMALL:
        return 0, SUPPRESSION_LIMIT - 1
    if mark is Mark.PROTECTS:
        return SUPPRESSION_LIMIT, INFINITY
    return 0, INFINITY


def exposed(
    cells: dict[Key, int], hidden: dict[Key, Mark], rules: Sequence[Relation]
) -> tuple[dict[Key, Relation], Mapping[Key, tuple[float, float]]]:
    """The attack: what a reader can work out of the hidden values (and the unpublished
    rests) from the shown ones, the marks' bounds and the relations, to closure.

    Returns the values pinned to one number, each with the relation that pinned it, and
    every unknown value's bounds. Shown values are known exactly."""
    return Attack(rules).run(cells, hidden)


class Attack:
    """:func:`exposed` on relations numbered once, for attacks on one table with more and
    more cells hidden (:func:`protect`): the cells are numbered and their bounds kept in
    two lists, as the attack visits every relation of a large table several times."""

    def __init__(self, rules: Sequence[Relation]) -> None:
        self.rules = list(rules)
        self.number: dict[Key, int] = {}
        self.keys: list[Key] = []
        for relation in self.rules:
            for key in relation.members:
                if key not in self.number:
                    self.number[key] = len(self.keys)
                    self.keys.append(key)
        self.totals = [self.number[relation.total] for relation in self.rules]
        self.parts_of = [[self.number[part] for part in relation.parts] for relation in self.rules]
        self.containing: list[list[int]] = [[] for _ in self.keys]
        for index, relation in enumerate(self.rules):
            for key in relation.members:
                self.containing[self.number[key]].append(index)

    def run(
        self, cells: dict[Key, int], hidden: dict[Key, Mark]
    ) -> tuple[dict[Key, Relation], Mapping[Key, tuple[float, float]]]:
        lows: list[float] = []
        highs: list[float] = []
        for key in self.keys:
            if key[-2] != REST and key not in hidden:
                value = cells.get(key, 0)
                lows.append(value)
                highs.append(value)
            else:
                low, high = _bounds(hidden, key)
                lows.append(low)
                highs.append(high)
        totals, parts_of, containing = self.totals, self.parts_of, self.containing
        # Only a relation with an unknown member can tell anything.
        active = [
            index
            for index in range(len(self.rules))
            if lows[totals[index]] != highs[totals[index]] or any(lows[part] != highs[part] for part in parts_of[index])
        ]
        pinned: dict[int, int] = {}  # cell -> the relation that pinned it
        # A relation is visited again only once a member's bounds changed since its last
        # visit (its own narrowing included): a visit with the same bounds changes nothing.
        # The visits that do happen are those of visiting every relation every round, in
        # the same order, so the closure and the relation that pins each value are the same.
        dirty = [True] * len(self.rules)

        def narrow(cell: int, low: float, high: float, index: int) -> None:
            old_low, old_high = lows[cell], highs[cell]
            new_low = low if low > old_low else old_low
            new_high = high if high < old_high else old_high
            if new_low == old_low and new_high == old_high:
                return
            lows[cell], highs[cell] = new_low, new_high
            if new_low == new_high:
                pinned[cell] = index
            for other in containing[cell]:
                dirty[other] = True

        for _round in range(100):  # bounds only narrow; a few rounds reach the closure
            if not any(dirty[index] for index in active):
                break
            for index in active:
                if not dirty[index]:
                    continue
                dirty[index] = False
                total, parts = totals[index], parts_of[index]
                if lows[total] == highs[total] and all(lows[part] == highs[part] for part in parts):
                    continue
                # total = sum(parts): the total lies within the parts' sums, and each part
                # within the total less the other parts.
                parts_low = 0.0
                finite_high = 0.0
                infinite = 0
                for part in parts:
                    parts_low += lows[part]
                    if highs[part] == INFINITY:
                        infinite += 1
                    else:
                        finite_high += highs[part]
                narrow(total, parts_low, finite_high if not infinite else INFINITY, index)
                total_low, total_high = lows[total], highs[total]
                for part in parts:
                    low, high = lows[part], highs[part]
                    if low == high:
                        continue
                    others_infinite = infinite - (high == INFINITY)
                    others_high = INFINITY if others_infinite else finite_high - (0 if high == INFINITY else high)
                    others_low = parts_low - low
                    narrow(part, total_low - others_high, total_high - others_low, index)
        found = {self.keys[cell]: self.rules[index] for cell, index in pinned.items()}
        return found, _Bounds(self.number, lows, highs)


class _Bounds(Mapping[Key, tuple[float, float]]):
    """Each cell's bounds, read from the attack's lists (no copy)."""

    def __init__(self, number: dict[Key, int], lows: list[float], highs: list[float]) -> None:
        self._number, self._lows, self._highs = number, lows, highs

    def __getitem__(self, key: Key) -> tuple[float, float]:
        cell = self._number[key]
        return self._lows[cell], self._highs[cell]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._number)

    def __len__(self) -> int:
        return len(self._number)


def protect(
    cells: dict[Key, int],
    hidden: dict[Key, Mark],
    must: set[Key],
    protected_rests: Iterable[Key] = (),
    *,
    rules: Sequence[Relation],
    cost: Cost,
    fixed: Collection[Key] = (),
) -> tuple[dict[Key, Mark], set[Key]]:
    """Hide more cells (marked "x") until no cell of ``must`` (hidden counts that hold
    someone, cells hidden to protect one, ``protected_rests``) and no unpublished rest of
    1-4 people can be worked out. ``rules``: the table's relations; ``cost``: what hiding
    a cell costs the reader; ``fixed``: cells shown elsewhere as they are, never chosen to
    hide. Returns (hidden with marks, must), both grown.

    Each round hides, for every relation through which a protected value was worked
    out, its cheapest shown cell, then runs the attack again."""
    hidden, must = dict(hidden), set(must) | set(protected_rests)
    for relation in rules:
        for part in relation.parts:
            if part[-2] == REST and _sensitive(_rest_value(part, cells, relation)):
                must.add(part)
    # Relations that share no cell cannot tell anything of each other: each connected
    # group of them is attacked and protected on its own (the same rounds and picks as
    # all at once), so a large table that needs many rounds does not make every other
    # one be attacked again with it.
    for component in _components(rules):
        _protect_component(cells, hidden, must, component, cost=cost, fixed=fixed)
    return hidden, must


def _components(rules: Sequence[Relation]) -> list[list[Relation]]:
    """The relations grouped by the cells they share (transitively), each in the given order."""
    parent: dict[Key, Key] = {}

    def find(key: Key) -> Key:
        root = key
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    for relation in rules:
        first = find(relation.total)
        for part in relation.parts:
            other = find(part)
            if other != first:
                parent[other] = first
    grouped: dict[Key, list[Relation]] = {}
    for relation in rules:
        grouped.setdefault(find(relation.total), []).append(relation)
    return list(grouped.values())


def _protect_component(
    cells: dict[Key, int],
    hidden: dict[Key, Mark],
    must: set[Key],
    rules: Sequence[Relation],
    *,
    cost: Cost,
    fixed: Collection[Key],
) -> None:
    """:func:`protect` of one connected group of relations: grows ``hidden`` and ``must``."""
    containing: dict[Key, list[Relation]] = {}
    for relation in rules:
        for key in relation.members:
            containing.setdefault(key, []).append(relation)
    attack = Attack(rules)
    while True:
        pinned, bounds = attack.run(cells, hidden)
        breached = {relation for key, relation in pinned.items() if key in must}
        for relation in rules:
            if not relation.over_units or bounds[relation.total][0] != bounds[relation.total][1]:
                continue
            unknown = [part for part in relation.parts if bounds[part][0] != bounds[part][1]]
            if len(unknown) > 1 and _sensitive(sum(cells.get(part, 0) for part in unknown)):
                breached.add(relation)
        if not breached:
            return
        picks: set[Key] = set()
        for relation in sorted(breached, key=lambda rule: rule.members):
            candidates = [m for m in relation.members if m[-2] != REST and m not in hidden and m not in fixed]
            if not candidates:
                # Pinned through another relation's bounds: hide a shown cell next to it.
                near = {m for other in relation.members for rule in containing.get(other, []) for m in rule.members}
                candidates = [m for m in near if m[-2] != REST and m not in hidden and m not in fixed]
            if candidates and not picks.intersection(candidates):
                picks.add(min(candidates, key=cost))
        if not picks:
            return  # everything around it is hidden already
        for pick in picks:
            hidden[pick] = Mark.PROTECTS
            must.add(pick)


def protect_own(cells: dict[Key, int], *, rules: Sequence[Relation], cost: Cost) -> tuple[dict[Key, Mark], set[Key]]:
    """A node on its own: primary suppression, then complementary. Returns (hidden with
    marks, the cells that must stay unknown); a hidden zero is no one to protect."""
    hidden = {key: Mark.SMALL for key, value in cells.items() if small(value)}
    return protect(cells, hidden, {key for key in hidden if cells[key] > 0}, rules=rules, cost=cost)


def union_start(
    cells: dict[Key, int], parts: Sequence[set[Key]], additive: Callable[[Key], bool]
) -> tuple[dict[Key, Mark], set[Key], set[Key]]:
    """Before a union's own protection: its small counts, and every count that adds up
    over the parts (``additive``) where a part must keep it unknown. Returns (hidden with
    marks, must, the parts' unpublished rests to protect)."""
    hidden = {key: Mark.SMALL for key, value in cells.items() if small(value)}
    must = {key for key in hidden if cells[key] > 0}
    rests: set[Key] = set()
    for part_must in parts:
        for key in part_must:
            if key[-2] == REST:
                rests.add(key)
            elif key in cells and additive(key):
                hidden.setdefault(key, Mark.PROTECTS)
                must.add(key)
    return hidden, must, rests


# --------------------------------------------------------------------------
# The unit trees: every output of one tree is protected together
# --------------------------------------------------------------------------


def unit_tree(unit_ids: Iterable[int]) -> tuple[list[int], dict[int, list[int]]]:
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


def units_below(pk: int, children: dict[int, list[int]]) -> list[int]:
    """The unit and every unit under it."""
    found, stack = [], [pk]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return sorted(found)
