"""Disclosure control: the one package that decides what of a follow-up figure, or of the
carers' evaluations, may be shown, and with which mark. Every suppressed output goes
through it: the dashboard with "hide counts under 5", the PDF report and its sentences,
the CSV/XLSX export, the national export, the self-assessment's evidence and the
evaluations.

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

The evaluations are a table of their own, protected by the same functions: each
activity's answers a node, a unit's a union of its activities (:mod:`.evaluations`).

Modules: :mod:`.protection` the attack and the suppression, whatever the table;
:mod:`.figures` the figures' relations, costs and releases; :mod:`.evaluations` the
evaluations'. Import from the package.
"""

from followup.disclosure.evaluations import (
    ANSWERS,
    EVALUATION_KEYS,
    EVALUATION_RULES,
    RECOMMEND_KEYS,
    Activities,
    computed_mark,
    evaluation_cells,
    protect_evaluation,
    protect_evaluations,
    question_keys,
    released_activity_evaluation,
    released_evaluations,
)
from followup.disclosure.figures import (
    NATIONAL_SHOWN_WITH,
    Loss,
    apply,
    cells_of,
    hidden_of_units,
    loss,
    protect,
    protect_own,
    protect_union,
    relations,
    release_tree,
    released_by_unit,
    released_figures,
    released_for_national_format,
    reusing_releases,
)
from followup.disclosure.protection import SUPPRESSION_LIMIT, Key, Relation, exposed, small, union_start

__all__ = [
    "ANSWERS",
    "EVALUATION_KEYS",
    "EVALUATION_RULES",
    "NATIONAL_SHOWN_WITH",
    "RECOMMEND_KEYS",
    "SUPPRESSION_LIMIT",
    "Activities",
    "Key",
    "Loss",
    "Relation",
    "apply",
    "cells_of",
    "computed_mark",
    "evaluation_cells",
    "exposed",
    "hidden_of_units",
    "loss",
    "protect",
    "protect_evaluation",
    "protect_evaluations",
    "protect_own",
    "protect_union",
    "question_keys",
    "relations",
    "release_tree",
    "released_activity_evaluation",
    "released_by_unit",
    "released_evaluations",
    "released_figures",
    "released_for_national_format",
    "reusing_releases",
    "small",
    "union_start",
]
