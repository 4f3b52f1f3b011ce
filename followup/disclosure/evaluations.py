"""The evaluations' disclosure: the carers' anonymous answers, protected as the figures are.

An activity's answers are a node: how many answered (:data:`ANSWERS`), each 1-5 question's
distribution and the yes/no of "would you recommend it", each adding up to how many
answered (:data:`EVALUATION_RULES`). A node is protected on its own and always alike
(:func:`protect_evaluation`), whoever asks: the activity's staff page shows it.

A set of activities (a unit and the units below it, as the PDF report reads them) is a
union: a count is shown only where none of its activities keeps it unknown
(:func:`~followup.disclosure.protection.union_start`). Then the unions of a unit tree are
protected *together* (:func:`protect_evaluations`), with the activities' releases fixed
and the sums between them as relations: a union is the sum of its activities, and of the
unions below it with its own activities. Protected one by one, a parent may hide a count
that its units show, which a reader adds up again, or show a sum that tells an activity's
hidden zero, and with it a hidden answer. A row that the marks' bounds alone still pin
("x" is at least 5: an "x" made of two parts of at most 4 and at most 1 is 4 and 1),
which no more hiding undoes, is withheld ("..", no bound) in every union that holds the
activity. So a unit's and its parent's evaluations can be read side by side.

A mean or a share is computed from the answers, so it is shown only where every answer
it is computed from is in a shown count (:func:`computed_mark`), else "..": of six
answers, five of them "5", the mean 4.3 would give the hidden sixth away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from followup.disclosure.protection import (
    UNION,
    Cost,
    Key,
    Relation,
    exposed,
    protect,
    protect_own,
    union_start,
    unit_tree,
    units_below,
)
from followup.measures import Mark
from groups.evaluations import QUESTIONS, SCALE
from groups.selectors import EvaluationCounts, evaluation_counts

ANSWERS: Key = ("answers", "")
RECOMMEND_KEYS: tuple[Key, Key] = (("recommend", "yes"), ("recommend", "no"))
Activities = frozenset[int]  # a union, by the ids of its activities
ACTIVITY = "a"  # the owner of an activity's cells where the unions are protected together


def question_keys(field: str) -> tuple[Key, ...]:
    """The cells of one 1-5 question, in the order of the scale."""
    return tuple((field, str(value)) for value in SCALE)


EVALUATION_KEYS: tuple[Key, ...] = (
    ANSWERS,
    *(key for field, _question in QUESTIONS for key in question_keys(field)),
    *RECOMMEND_KEYS,
)
EVALUATION_RULES: tuple[Relation, ...] = (
    *(Relation(ANSWERS, question_keys(field)) for field, _question in QUESTIONS),
    Relation(ANSWERS, RECOMMEND_KEYS),
)


def evaluation_cells(counts: EvaluationCounts | None) -> dict[Key, int]:
    """One activity's counts by key (no answers: all zero)."""
    if counts is None:
        return dict.fromkeys(EVALUATION_KEYS, 0)
    cells = {ANSWERS: counts.answers, RECOMMEND_KEYS[0]: counts.recommend_yes, RECOMMEND_KEYS[1]: counts.recommend_no}
    for field, _question in QUESTIONS:
        cells.update(zip(question_keys(field), counts.scale[field], strict=True))
    return cells


def _evaluation_cost(cells: dict[Key, int]) -> Cost:
    """An answer's count before how many answered, the smaller first."""
    return lambda key: (3 if key[-2] == ANSWERS[0] else 1, cells.get(key, 0), key)


def protect_evaluation(cells: dict[Key, int]) -> tuple[dict[Key, Mark], set[Key]]:
    """One activity's answers, on their own: (hidden with marks, what must stay unknown)."""
    return protect_own(cells, rules=EVALUATION_RULES, cost=_evaluation_cost(cells))


def _owned(owner: str, rule: Relation) -> Relation:
    return Relation((owner, *rule.total), tuple((owner, *part) for part in rule.parts))


def protect_evaluations(
    activities: Mapping[int, dict[Key, int]], unions: Mapping[Activities, Sequence[Activities]]
) -> dict[Activities, dict[Key, Mark]]:
    """What each union hides, with marks. ``activities``: each activity's cells, for every
    activity of the unions; ``unions``: each union, with the unions below it that it holds
    (a unit's: its child units'), so that the reader's sums between them are defended."""
    cells: dict[Key, int] = {}
    hidden: dict[Key, Mark] = {}
    must: set[Key] = set()
    rules: list[Relation] = []
    own_must: dict[int, set[Key]] = {}
    for activity_id, own in activities.items():
        name = f"{ACTIVITY}{activity_id}"
        own_hidden, own_must[activity_id] = protect_evaluation(own)
        cells.update(((name, *key), value) for key, value in own.items())
        hidden.update(((name, *key), mark) for key, mark in own_hidden.items())
        must.update((name, *key) for key in own_must[activity_id])
        rules.extend(_owned(name, rule) for rule in EVALUATION_RULES)
    fixed = set(cells)  # the activities' own pages show them as they are
    names = {union: f"{UNION}{index}" for index, union in enumerate(sorted(unions, key=sorted)) if union}
    for union, name in names.items():
        total = {key: sum(activities[activity_id][key] for activity_id in union) for key in EVALUATION_KEYS}
        start_hidden, start_must, _rests = union_start(total, [own_must[a] for a in union], lambda key: True)
        # A count every activity's page shows is known from them: hiding it protects nothing.
        fixed.update(
            (name, *key) for key in EVALUATION_KEYS if all((f"{ACTIVITY}{a}", *key) not in hidden for a in union)
        )
        cells.update(((name, *key), value) for key, value in total.items())
        hidden.update(((name, *key), mark) for key, mark in start_hidden.items())
        must.update((name, *key) for key in start_must)
        rules.extend(_owned(name, rule) for rule in EVALUATION_RULES)
        parts = sorted({names[part] for part in unions[union] if part and part != union})
        outside = sorted(union.difference(*(part for part in unions[union] if part != union)))
        for key in EVALUATION_KEYS:
            activity_keys = tuple((f"{ACTIVITY}{a}", *key) for a in sorted(union))
            rules.append(Relation((name, *key), activity_keys, over_units=True))
            if parts:
                below = (*((part, *key) for part in parts), *((f"{ACTIVITY}{a}", *key) for a in outside))
                rules.append(Relation((name, *key), below, over_units=True))
    members = {name: union for union, name in names.items()} | {f"{ACTIVITY}{a}": frozenset({a}) for a in activities}

    def withheld(state: dict[Key, Mark]) -> dict[Key, Mark]:
        """The rows to withhold ("..", no bound) in every union holding an activity whose
        count ``state`` still lets a reader pin."""
        pinned, _bounds = exposed(cells, state, rules)
        rows = {(key[0], key[-2]) for key in pinned if key in must}
        return {
            (names[union], *key): Mark.UNAVAILABLE
            for owner, code in rows
            for union in names
            if union & members[owner]
            for key in EVALUATION_KEYS
            if code in (ANSWERS[0], key[0]) and hidden.get((names[union], *key)) != Mark.UNAVAILABLE
        }

    cost = _evaluation_cost(cells)
    while True:
        # First what the marks' bounds give away even with every union count hidden.
        hopeless = withheld(hidden | {key: Mark.PROTECTS for key in cells if key not in hidden and key not in fixed})
        if not hopeless:
            hidden, must = protect(cells, hidden, must, rules=rules, cost=cost, fixed=fixed)
            hopeless = withheld(hidden)  # what hiding near the breach did not reach
        if not hopeless:
            break
        hidden.update(hopeless)
    return {union: {key[1:]: mark for key, mark in hidden.items() if key[0] == name} for union, name in names.items()}


def computed_mark(total: int | None, counts: Iterable[int | None]) -> Mark | None:
    """Whether a mean or share computed from a distribution may be shown, from what is
    shown of it (``None`` hidden): only when its total is shown and the shown counts hold
    every answer (``None``); else it is not available (".."), since with the total and
    some counts it would tell the hidden ones."""
    if total is None or sum(count for count in counts if count is not None) != total:
        return Mark.UNAVAILABLE
    return None


def released_activity_evaluation(*, activity_id: int) -> tuple[dict[Key, int], dict[Key, Mark]]:
    """All the answers to one activity's evaluation (its staff page): (cells, hidden)."""
    counts = evaluation_counts(activity_ids=[activity_id])
    cells = evaluation_cells(counts[0] if counts else None)
    return cells, protect_evaluation(cells)[0]


def released_evaluations(
    *, unit_ids: Iterable[int], start: dt.date, end: dt.date
) -> tuple[dict[Key, int], dict[Key, Mark]]:
    """The answers to the evaluations of these units' activities in the months of
    [start, end] (an answer keeps only its month), as one union: (cells, hidden).

    A unit with all the units below it (the PDF report) is released as every unit's of its
    tree is, all protected together. Any other set of units shows a count only where every
    activity's page shows it (a sum of shown numbers), else ".."."""
    ids = sorted(set(unit_ids))
    tree, children = unit_tree(ids)
    by_unit: dict[int, set[int]] = {}
    activities: dict[int, dict[Key, int]] = {}
    for counts in evaluation_counts(unit_ids=tree, start=start, end=end):
        activities[counts.activity_id] = evaluation_cells(counts)
        by_unit.setdefault(counts.unit_id, set()).add(counts.activity_id)

    def of(units: Iterable[int]) -> Activities:
        return frozenset(activity for unit in units for activity in by_unit.get(unit, ()))

    unions: dict[Activities, list[Activities]] = {}
    subtrees: set[tuple[int, ...]] = set()
    for pk in tree:
        below = units_below(pk, children)
        subtrees.add(tuple(below))
        unions.setdefault(of(below), []).extend(of(units_below(child, children)) for child in children.get(pk, []))
    mine = of(ids)
    cells = {key: sum(activities[activity][key] for activity in mine) for key in EVALUATION_KEYS}
    if not mine:
        return cells, protect_evaluation(cells)[0]  # no answers: nothing is shown
    if tuple(ids) in subtrees:
        return cells, protect_evaluations(activities, unions)[mine]
    own = [protect_evaluation(activities[activity])[0] for activity in mine]
    return cells, {key: Mark.UNAVAILABLE for key in EVALUATION_KEYS if any(key in hidden for hidden in own)}
