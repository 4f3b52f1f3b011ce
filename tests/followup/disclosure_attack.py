"""An attacker on the released follow-up figures, written apart from ``followup.disclosure``.

The attacker holds every output of one period (each an aggregate of a set of units, a
*node*) and knows what the declarations in :mod:`followup.measures` say about them:

- within a node, a distribution adds up to its ``total``, a ``part_of`` count and its
  unpublished rest add up to their total, a ``same_as`` count equals the other, and a
  ``group_total`` category is the sum of its ``"a|b"`` cells;
- across nodes, for a measure declared ``additive``, a node's count is the sum of the
  counts of any nodes that split its units between them (a parent and its units, two
  overlapping selections of units);
- every shown count exactly, and what each mark says of a hidden one: "<5"
  (:attr:`Mark.SMALL`) lies in 0-4, "x" (:attr:`Mark.PROTECTS`) is at least 5; an
  unpublished rest is at least 0; every count is a whole number.

From these the attack runs to closure: exact subtraction over any combination of the
relations (Gauss-Jordan elimination in whole numbers), and interval propagation over
every relation and every combination the elimination finds, until nothing narrows. The
truth is never used to deduce; it is used only afterwards, to check that the attack is
sound (every bound holds the true value) and to tell which pinned values are small.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from followup.figures import FollowUpFigures
from followup.measures import BY_CODE, MEASURES, CountUnit, Mark

LIMIT = 5  # the smallest count an output shows
REST = "rest"  # (REST, code): the unpublished rest of a ``part_of`` measure ``code``

Node = frozenset[int]
Key = tuple[str, str]  # (measure code, category; "" for a single figure)
Var = tuple[Node, Key]
Bound = tuple[int, int | None]  # (low, high); high None: no upper bound
Equation = dict[Var, int]  # the sum of coefficient * value is 0


@dataclass(frozen=True)
class Seen:
    """What one output shows of one count: the number, or ``None`` and the mark."""

    value: int | None
    mark: Mark | None = None


def is_count(code: str) -> bool:
    """A count of people, talks, sessions …: not a share, a mean or hours."""
    return BY_CODE[code].unit not in (CountUnit.PERCENT, CountUnit.MEAN, CountUnit.HOURS)


def seen_counts(figures: FollowUpFigures) -> dict[Key, Seen]:
    """Every count an output shows or hides, by key."""
    seen: dict[Key, Seen] = {}
    for measure in MEASURES:
        if not is_count(measure.code):
            continue
        item = figures.value(measure.code)
        if measure.is_distribution:
            for cell in item.cells:
                seen[(measure.code, cell.code)] = Seen(None if cell.value is None else int(cell.value), cell.mark)
        else:
            seen[(measure.code, "")] = Seen(None if item.value is None else int(item.value), item.mark)
    return seen


def true_counts(figures: FollowUpFigures) -> dict[Key, int]:
    """The raw figures' counts by key (the truth)."""
    return {key: int(seen.value or 0) for key, seen in seen_counts(figures).items()}


# --------------------------------------------------------------------------
# The relations, from the declarations
# --------------------------------------------------------------------------


def relations(keys: Iterable[Key]) -> list[dict[Key, int]]:
    """The relations within one node whose counts have these keys, each as coefficients
    whose weighted sum is 0 (the total +1, each part -1)."""
    by_measure: dict[str, list[Key]] = {}
    for key in keys:
        by_measure.setdefault(key[0], []).append(key)
    found: list[dict[Key, int]] = []

    def add(total: Key, parts: Sequence[Key]) -> None:
        if parts:
            equation = {total: 1}
            for part in parts:
                equation[part] = equation.get(part, 0) - 1
            found.append(equation)

    for measure in MEASURES:
        own = sorted(by_measure.get(measure.code, []))
        if not is_count(measure.code):
            continue
        if measure.total:
            add((measure.total, ""), own)
        if measure.part_of:
            parts = own if measure.is_distribution else [(measure.code, "")]
            add((measure.part_of, ""), [*parts, (REST, measure.code)])
        other, category = measure.same_as
        if other:
            add((measure.code, ""), [(other, category)])
        if measure.group_total:
            groups: dict[str, list[Key]] = {}
            for key in own:
                groups.setdefault(key[1].split("|", 1)[0], []).append(key)
            for group, cells in groups.items():
                add((measure.group_total, group), cells)
    return found


def additive(key: Key) -> bool:
    """Whether the count of several units is the sum of theirs."""
    if key[0] == REST:
        measure = BY_CODE[key[1]]
        return measure.additive and BY_CODE[measure.part_of].additive
    return BY_CODE[key[0]].additive


def rest_values(counts: Mapping[Key, int]) -> dict[Key, int]:
    """The true unpublished rests of a node's counts."""
    rests: dict[Key, int] = {}
    for equation in relations(counts):
        for key, coefficient in equation.items():
            if key[0] == REST:
                rests[key] = -sum(c * counts.get(k, 0) for k, c in equation.items() if k != key) // coefficient
    return rests


def splits(node: Node, nodes: Iterable[Node]) -> list[list[Node]]:
    """Every way to split ``node``'s units into two or more of ``nodes``."""
    blocks = sorted((other for other in set(nodes) if other < node), key=sorted)
    found: list[list[Node]] = []

    def extend(rest: Node, chosen: list[Node]) -> None:
        if not rest:
            found.append(list(chosen))
            return
        first = min(rest)
        for block in blocks:
            if first in block and block <= rest:
                extend(rest - block, [*chosen, block])

    extend(node, [])
    return found


# --------------------------------------------------------------------------
# The closure
# --------------------------------------------------------------------------


@dataclass
class Attack:
    """What the attacker knows in the end: every value's bounds, and how each value that
    was not shown came to be pinned."""

    bounds: dict[Var, Bound]
    hidden: set[Var]
    pinned: dict[Var, str] = field(default_factory=dict)

    def exact(self, var: Var) -> int | None:
        low, high = self.bounds[var]
        return low if low == high else None


def attack(releases: Sequence[tuple[Node, Mapping[Key, Seen]]], *, facts: Mapping[Var, int] | None = None) -> Attack:
    """Run the attack on these outputs; ``facts`` are values the attacker knows besides
    (an administration that records nothing of its own has only zeros)."""
    nodes = sorted({node for node, _seen in releases}, key=lambda node: (len(node), sorted(node)))
    keys: dict[Node, set[Key]] = {node: set() for node in nodes}
    bounds: dict[Var, Bound] = {}
    hidden: set[Var] = set()
    for node, seen in releases:
        for key, item in seen.items():
            keys[node].add(key)
            var = (node, key)
            if item.value is None:
                hidden.add(var)
            bounds[var] = _meet(bounds.get(var, (0, None)), _what_it_says(item))
    for var, value in (facts or {}).items():
        bounds[var] = (value, value)

    # Within each node; an unpublished rest is a value of its own, at least 0.
    within: list[Equation] = []
    for node in nodes:
        for equation in relations(keys[node]):
            for key in equation:
                bounds.setdefault((node, key), (0, None))
                if key[0] == REST or key not in keys[node]:  # never shown: unknown, not zero
                    hidden.add((node, key))
            within.append({(node, key): c for key, c in equation.items()})
    # Across nodes: a node is the sum of the nodes that split it (a count an output of a
    # node does not list, a category found in the data, is zero there).
    rests = {key for _node, key in bounds if key[0] == REST}
    across: list[Equation] = []
    basic: list[Equation] = []
    for node in nodes:
        if len(node) < 2:
            continue
        for split in splits(node, nodes):
            every = keys[node].union(*(keys[block] for block in split)) | rests
            for key in sorted(every):
                if not additive(key):
                    continue
                summed: Equation = {}
                for owner, sign in ((node, 1), *((block, -1) for block in split)):
                    if (owner, key) in bounds:
                        summed[(owner, key)] = sign
                if len(summed) > 1:
                    across.append(summed)
                    if all(len(block) == 1 for block in split):
                        basic.append(summed)

    found = Attack(bounds=bounds, hidden=hidden)
    rules = [Rule(equation, 0, "a declared relation") for equation in within]
    rules += [Rule(equation, 0, "a sum of units") for equation in across]
    derived: list[Rule] = []
    while True:
        changed = _propagate([*rules, *derived], found)
        derived = []
        for rule in _eliminate([*within, *basic], found):
            if len(rule.row) == 1:
                ((var, coefficient),) = rule.row.items()
                value, remainder = divmod(-rule.constant, coefficient)
                assert not remainder, f"{name(var)} comes out as a fraction: the relations are wrong"
                changed |= _narrow(found, var, (value, value), rule)
            else:
                derived.append(rule)
        if not changed:
            return found


@dataclass(frozen=True)
class Rule:
    """``sum(coefficient * value) + constant = 0``."""

    row: dict[Var, int]
    constant: int
    how: str

    def explain(self, bounds: Mapping[Var, Bound]) -> str:
        """The rule with what was known of each value when it pinned one."""
        terms = " ".join(
            f"{'+' if c > 0 else '-'} {abs(c) if abs(c) != 1 else ''}{name(var)} {_shown(bounds[var])}"
            for var, c in self.row.items()
        )
        return f"{self.how}: {terms.lstrip('+ ')}{f' + {self.constant}' if self.constant else ''} = 0"


def _shown(bound: Bound) -> str:
    low, high = bound
    return f"({low})" if low == high else f"({low}..{'' if high is None else high})"


def _what_it_says(item: Seen) -> Bound:
    """A shown count is known; "<5" is 0-4, "x" at least 5."""
    if item.value is not None:
        return item.value, item.value
    if item.mark == Mark.SMALL:
        return 0, LIMIT - 1
    if item.mark == Mark.PROTECTS:
        return LIMIT, None
    return 0, None


def _meet(a: Bound, b: Bound) -> Bound:
    highs = [high for high in (a[1], b[1]) if high is not None]
    return max(a[0], b[0]), min(highs) if highs else None


def _narrow(found: Attack, var: Var, bound: Bound, rule: Rule) -> bool:
    old = found.bounds[var]
    new = _meet(old, bound)
    if new == old:
        return False
    assert new[1] is None or new[0] <= new[1], f"the attack contradicts itself on {name(var)}: {old} and {bound}"
    found.bounds[var] = new
    if new[0] == new[1] and var in found.hidden:
        found.pinned.setdefault(var, rule.explain({**{v: found.bounds[v] for v in rule.row}, var: old}))
    return True


def _propagate(rules: Sequence[Rule], found: Attack) -> bool:
    """Interval propagation: each value of a rule lies within what the others leave it,
    in whole numbers; a rule is looked at again whenever one of its values narrows."""
    bounds = found.bounds
    using: dict[Var, list[int]] = {}
    for index, rule in enumerate(rules):
        for var in rule.row:
            using.setdefault(var, []).append(index)
    queue, queued = deque(range(len(rules))), set(range(len(rules)))
    changed = False
    while queue:
        index = queue.popleft()
        queued.discard(index)
        rule = rules[index]
        # Each term's interval, and their sum's (with how many terms have no upper end).
        low_sum = high_sum = rule.constant
        low_open = high_open = 0
        terms: list[tuple[Var, int, int | None, int | None]] = []
        for var, c in rule.row.items():
            low, high = bounds[var]
            t_low = c * low if c > 0 else None if high is None else c * high
            t_high = c * low if c < 0 else None if high is None else c * high
            terms.append((var, c, t_low, t_high))
            if t_low is None:
                low_open += 1
            else:
                low_sum += t_low
            if t_high is None:
                high_open += 1
            else:
                high_sum += t_high
        if not low_open and not high_open and low_sum == high_sum:
            continue  # every value known
        for var, c, t_low, t_high in terms:
            # c * x = -(the other terms and the constant)
            others_low = None if low_open - (t_low is None) else low_sum - (t_low or 0)
            others_high = None if high_open - (t_high is None) else high_sum - (t_high or 0)
            ends = (others_high, others_low) if c > 0 else (others_low, others_high)
            low = 0 if ends[0] is None else max(0, -((ends[0]) // c))  # ceil(-end / c)
            high = None if ends[1] is None else (-ends[1]) // c  # floor(-end / c)
            if _narrow(found, var, (low, high), rule):
                changed = True
                for other in using[var]:
                    if other not in queued:
                        queue.append(other)
                        queued.add(other)
    return changed


def _eliminate(equations: Sequence[Equation], found: Attack) -> list[Rule]:
    """Gauss-Jordan elimination of the unknown values, the known ones put in, in whole
    numbers: every row of the result is a combination of the relations, and a row of
    one value pins it."""
    known = {var: bound[0] for var, bound in found.bounds.items() if bound[0] == bound[1]}
    pivots: dict[Var, tuple[dict[Var, int], int]] = {}
    holding: dict[Var, set[Var]] = {}  # a free value -> the pivots whose rows hold it
    for equation in equations:
        row: dict[Var, int] = {}
        constant = 0
        for var, c in equation.items():
            if var in known:
                constant += c * known[var]
            else:
                row[var] = row.get(var, 0) + c
        for var in [var for var in row if var in pivots]:
            row, constant = _combine(row, constant, pivots[var], var)
        row = {var: c for var, c in row.items() if c}
        if not row:
            assert constant == 0, "the relations contradict the shown values"
            continue
        pivot = min(row, key=lambda var: (len(var[0]), sorted(var[0]), var[1]))
        for owner in holding.pop(pivot, set()):
            before = pivots[owner][0]
            pivots[owner] = _combine(*pivots[owner], (row, constant), pivot)
            for other in set(before) - set(pivots[owner][0]):
                holding.get(other, set()).discard(owner)
            for other in set(pivots[owner][0]) - {owner}:
                holding.setdefault(other, set()).add(owner)
        pivots[pivot] = (row, constant)
        for other in set(row) - {pivot}:
            holding.setdefault(other, set()).add(pivot)
    return [Rule(row, constant, "a combination of the relations") for row, constant in pivots.values()]


def _combine(
    row: dict[Var, int], constant: int, pivot: tuple[dict[Var, int], int], var: Var
) -> tuple[dict[Var, int], int]:
    """``row`` less a multiple of the pivot's row so that ``var`` drops out, in whole numbers."""
    pivot_row, pivot_constant = pivot
    a, p = row[var], pivot_row[var]
    combined = {other: p * c for other, c in row.items()}
    for other, c in pivot_row.items():
        combined[other] = combined.get(other, 0) - a * c
    combined = {other: c for other, c in combined.items() if c}
    constant = p * constant - a * pivot_constant
    divisor = math.gcd(constant, *combined.values())
    if divisor > 1:
        combined = {other: c // divisor for other, c in combined.items()}
        constant //= divisor
    return combined, constant


# --------------------------------------------------------------------------
# What it finds
# --------------------------------------------------------------------------


def truths(truth: Mapping[Node, Mapping[Key, int]]) -> dict[Var, int]:
    """Every true value the attack may speak of, the unpublished rests included."""
    values: dict[Var, int] = {}
    for node, counts in truth.items():
        values.update({(node, key): value for key, value in counts.items()})
        values.update({(node, key): value for key, value in rest_values(counts).items()})
    return values


def unsound(found: Attack, truth: Mapping[Node, Mapping[Key, int]]) -> list[str]:
    """Every bound that does not hold the true value (an attack that lies proves nothing)."""
    values = truths(truth)
    wrong = []
    for var, (low, high) in found.bounds.items():
        value = values.get(var, 0)
        if value < low or (high is not None and value > high):
            wrong.append(f"{name(var)} = {value}, but the attack says {low}..{'' if high is None else high}")
    return wrong


def leaks(found: Attack, truth: Mapping[Node, Mapping[Key, int]]) -> list[str]:
    """Every value not shown, of 1-4, that the attack pins to one number."""
    values = truths(truth)
    return sorted(
        f"{name(var)} = {values.get(var, 0)} ({found.pinned.get(var, 'shown by another output')})"
        for var in found.hidden
        if found.exact(var) is not None and 0 < values.get(var, 0) < LIMIT
    )


def name(var: Var) -> str:
    node, (code, category) = var
    in_brackets = code == REST or BY_CODE[code].is_distribution
    return f"units {sorted(node)} {code}{f'[{category}]' if in_brackets else ''}"


def subsets(units: Sequence[int], smallest: int = 2) -> list[Node]:
    """Every set of at least ``smallest`` of these units."""
    return [frozenset(chosen) for size in range(smallest, len(units) + 1) for chosen in combinations(units, size)]
