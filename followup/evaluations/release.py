"""The released evaluations: typed, every hidden value a :class:`~followup.measures.Hidden`
that prints as its mark. What is hidden is decided in ``followup.disclosure``; this only
puts the counts, the means and the share next to the marks."""

from __future__ import annotations

from dataclasses import dataclass

from followup.disclosure import ANSWERS, RECOMMEND_KEYS, Key, computed_mark, question_keys
from followup.measures import Hidden, Label, Mark
from groups.evaluations import QUESTIONS, SCALE

Count = int | Hidden


@dataclass(frozen=True)
class QuestionResult:
    """One 1–5 question: how many chose each value, and the mean of the answers."""

    field: str
    question: Label
    distribution: tuple[tuple[int, Count], ...]  # (value on the scale, its count)
    mean: float | Hidden


@dataclass(frozen=True)
class RecommendResult:
    """Would they recommend it: yes, no, and the share saying yes (0–100)."""

    yes: Count
    no: Count
    share: int | Hidden

    @property
    def share_text(self) -> str:
        """The share as a page prints it: "87 %", or its mark."""
        return str(self.share) if isinstance(self.share, Hidden) else f"{self.share} %"


@dataclass(frozen=True)
class EvaluationRelease:
    """Some evaluations as released: ``n`` how many answered. When ``n`` is hidden nothing
    else is given (fewer than 5 answered, or it is hidden to protect a small count)."""

    n: Count
    questions: tuple[QuestionResult, ...] = ()
    recommend: RecommendResult | None = None

    @property
    def shown(self) -> bool:
        return not isinstance(self.n, Hidden)

    @property
    def too_few(self) -> bool:
        """Fewer than 5 answered (``n`` is hidden as small, not to protect another count)."""
        return isinstance(self.n, Hidden) and self.n.mark == Mark.SMALL


def _shown(cells: dict[Key, int], hidden: dict[Key, Mark], key: Key) -> Count:
    return Hidden(hidden[key]) if key in hidden else cells[key]


def _number(value: Count) -> int | None:
    return None if isinstance(value, Hidden) else value


def evaluation_release(cells: dict[Key, int], hidden: dict[Key, Mark]) -> EvaluationRelease:
    """The release of one node's counts (``followup.disclosure.evaluation_cells``) with
    what of them is hidden."""
    n = _shown(cells, hidden, ANSWERS)
    if isinstance(n, Hidden):
        return EvaluationRelease(n=n)
    answers = cells[ANSWERS]
    questions = []
    for field, question in QUESTIONS:
        keys = question_keys(field)
        counts = tuple(_shown(cells, hidden, key) for key in keys)
        mark = computed_mark(n, (_number(count) for count in counts))
        mean = sum(value * cells[key] for value, key in zip(SCALE, keys, strict=True)) / answers
        questions.append(
            QuestionResult(
                field=field,
                question=question,
                distribution=tuple(zip(SCALE, counts, strict=True)),
                mean=Hidden(mark) if mark else round(mean, 1),
            )
        )
    yes, no = (_shown(cells, hidden, key) for key in RECOMMEND_KEYS)
    mark = computed_mark(n, (_number(yes), _number(no)))
    share = Hidden(mark) if mark else round(100 * cells[RECOMMEND_KEYS[0]] / answers)
    return EvaluationRelease(n=n, questions=tuple(questions), recommend=RecommendResult(yes=yes, no=no, share=share))
