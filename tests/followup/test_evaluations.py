"""The carers' evaluations as the follow-up releases them (PRODUCT §5, issue 16 point 4):
groups keeps raw counts; ``followup.disclosure`` decides what is shown and with which mark,
on the staff page of an activity and in the PDF report of a unit and of its parent.

Marks: "<5" a count under 5, "x" a count hidden so that a small one cannot be worked
out, ".." a mean or share that would give a hidden answer away. Pages are read in
English (the language switch's cookie) so the assertions do not depend on the catalogue.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

import pytest

from django.conf import settings
from django.utils import timezone

from anhorigstod.accounts.models import Unit, User
from followup.disclosure import (
    EVALUATION_KEYS,
    EVALUATION_RULES,
    Key,
    Relation,
    evaluation_cells,
    exposed,
    protect_evaluation,
    protect_evaluations,
    small,
    union_start,
)
from followup.disclosure.protection import protect
from followup.evaluations.release import EvaluationRelease, QuestionResult
from followup.evaluations.selectors import activity_evaluation, units_evaluation
from followup.measures import Hidden, Mark
from groups.evaluations import QUESTIONS
from groups.models import Activity, EvaluationResponse
from groups.selectors import EvaluationCounts, evaluation_counts
from tests.conftest import Casework, Org
from tests.followup.marks import PROTECTS, SMALL, UNAVAILABLE

Answer = tuple[int, int, int, bool]  # useful, welcomed, understand better, would recommend


@pytest.fixture
def activity(org: Org, casework: Casework, consultant_a: User) -> Activity:
    """A lecture of Norra (unit A), Karin's, as groups' tests have it."""
    return Activity.objects.create(
        unit=org.unit_a,
        title="Föreläsning om demens",
        description="Välkommen!",
        kind="lecture",
        support_kind=casework.kinds["lecture"],
        purpose="knowledge",
        prevention_level="universal",
        place="Träffpunkten, Storgatan 1",
        registration_mode="booking",
        capacity=5,
        created_by=consultant_a,
    )


def answers(activity: Activity, *rows: Answer) -> None:
    month = timezone.localdate().replace(day=1)
    EvaluationResponse.objects.bulk_create(
        EvaluationResponse(activity=activity, month=month, useful=u, welcomed=w, understand_better=b, would_recommend=r)
        for u, w, b, r in rows
    )


def results_url(activity: Activity) -> str:
    return f"/aktiviteter/{activity.code}/utvardering/"


def html(response: Any) -> str:
    return response.content.decode()


def useful(release: EvaluationRelease) -> QuestionResult:
    return release.questions[0]


# --------------------------------------------------------------------------
# Raw counts in groups, the rule in disclosure
# --------------------------------------------------------------------------


def test_groups_gives_the_raw_counts_small_ones_too(activity: Activity) -> None:
    answers(activity, *[(4, 4, 4, True)] * 5, *[(5, 5, 2, False)] * 2)

    (counts,) = evaluation_counts(activity_ids=[activity.pk])

    assert (counts.activity_id, counts.unit_id, counts.answers) == (activity.pk, activity.unit_id, 7)
    assert counts.scale == {
        "useful": (0, 0, 0, 5, 2),
        "welcomed": (0, 0, 0, 5, 2),
        "understand_better": (0, 2, 0, 5, 0),
    }
    assert (counts.recommend_yes, counts.recommend_no) == (5, 2)


# The rule is followup.disclosure's now (``small``), no longer groups' own ``suppress``:
# the same counts are shown.
@pytest.mark.parametrize(("count", "shown"), [(0, False), (1, False), (4, False), (5, True), (12, True)])
def test_a_count_under_five_is_not_shown(count: int, shown: bool) -> None:
    assert small(count) is not shown


def test_fewer_than_five_answers_show_nothing(activity: Activity) -> None:
    answers(activity, *[(5, 5, 5, True)] * 4)

    release = activity_evaluation(activity=activity)

    # Was {"shown": False, "n": None, ...}: the count of answers now carries its mark.
    assert release == EvaluationRelease(n=SMALL)
    assert not release.shown
    assert release.too_few


def test_cells_under_five_are_hidden_and_the_mean_with_them(activity: Activity) -> None:
    # 7 answers: 5 chose 4 and 2 chose 5 on every question; all recommend it.
    answers(activity, *[(4, 4, 4, True)] * 5, *[(5, 5, 5, True)] * 2)

    release = activity_evaluation(activity=activity)

    assert release.shown
    assert release.n == 7
    assert useful(release).field == "useful"
    assert useful(release).distribution == ((1, SMALL), (2, SMALL), (3, SMALL), (4, 5), (5, SMALL))
    # Was 4.3 (issue 16): 7 × 4.3 = 30, less the five 4s shown, is 10 for the two hidden
    # answers, so both were 5. The mean is shown only when every answer is in a shown cell.
    assert useful(release).mean == UNAVAILABLE
    # All seven recommend it: "no" is a hidden zero, and the share tells nothing hidden.
    assert (release.recommend.yes, release.recommend.no, release.recommend.share) == (7, SMALL, 100)  # type: ignore[union-attr]


def test_a_lone_hidden_count_is_not_given_away_by_the_total(activity: Activity) -> None:
    # 8 answers: 6 recommend, 2 do not. "No" is under 5; showing "yes: 6" of 8 would tell it.
    answers(activity, *[(4, 4, 4, True)] * 6, *[(4, 4, 4, False)] * 2)

    recommend = activity_evaluation(activity=activity).recommend

    # Was {"yes": None, "no": None, "share": None}: now each says why it is hidden.
    assert recommend is not None
    assert (recommend.yes, recommend.no, recommend.share) == (PROTECTS, SMALL, UNAVAILABLE)


# --------------------------------------------------------------------------
# The mean cannot give a hidden answer away (the example)
# --------------------------------------------------------------------------


def test_six_answers_five_of_them_5_the_mean_does_not_tell_the_sixth(activity: Activity) -> None:
    releases = {}
    for sixth in (1, 2, 3, 4):
        EvaluationResponse.objects.all().delete()
        answers(activity, *[(5, 5, 5, True)] * 5, (sixth, sixth, sixth, True))
        releases[sixth] = activity_evaluation(activity=activity)

    release = releases[1]
    assert release.n == 6
    assert useful(release).distribution == ((1, SMALL), (2, SMALL), (3, SMALL), (4, SMALL), (5, 5))
    assert [question.mean for question in release.questions] == [UNAVAILABLE] * 3
    # Whatever the sixth answer, everything shown is the same: no combination of the shown
    # cells and the mean tells it.
    assert all(other == release for other in releases.values())
    # Negative control: the mean printed as before would tell each sixth answer apart.
    assert len({round((5 * 5 + sixth) / 6, 1) for sixth in releases}) == 4


def test_the_share_is_not_shown_when_it_would_give_a_no_away(activity: Activity) -> None:
    answers(activity, *[(5, 5, 5, True)] * 5, (5, 5, 5, False))

    recommend = activity_evaluation(activity=activity).recommend

    assert recommend is not None
    assert (recommend.yes, recommend.no, recommend.share) == (PROTECTS, SMALL, UNAVAILABLE)


# --------------------------------------------------------------------------
# A unit and its parent side by side
# --------------------------------------------------------------------------


def activity_in(unit: Unit, like: Activity, title: str) -> Activity:
    return Activity.objects.create(
        unit=unit,
        title=title,
        description="Välkommen!",
        kind=like.kind,
        support_kind=like.support_kind,
        purpose=like.purpose,
        prevention_level=like.prevention_level,
        place=like.place,
        registration_mode=like.registration_mode,
        capacity=like.capacity,
        created_by=like.created_by,
    )


def seen(release: EvaluationRelease) -> dict[Key, Mark]:
    """What a release hides, with marks; when nothing but the count of answers is given,
    the rest is not printed at all: unknown, with no bounds ("..")."""
    if not release.shown:
        return dict.fromkeys(EVALUATION_KEYS, Mark.UNAVAILABLE) | {("answers", ""): release.n.mark}  # type: ignore[union-attr]
    shown: dict[Key, Any] = {("answers", ""): release.n}
    for (field, _question), question in zip(QUESTIONS, release.questions, strict=True):
        shown.update(((field, str(value)), count) for value, count in question.distribution)
    assert release.recommend is not None
    shown[("recommend", "yes")], shown[("recommend", "no")] = release.recommend.yes, release.recommend.no
    return {key: value.mark for key, value in shown.items() if isinstance(value, Hidden)}


def leaks(truth: dict[str, dict[Key, int]], marks: dict[str, dict[Key, Mark]], sums: dict[str, list[str]]) -> list[str]:
    """The attack: every release's relations (a question's counts and the yes/no each add
    up to the answers), and each union against what it sums (``sums``: node -> its parts),
    with what the marks say, to closure (``followup.disclosure.exposed``). Returns the
    hidden counts of 1-4 it pins to one value."""

    def at(node: str, key: Key) -> Key:
        return (f"{node}/{key[0]}", key[1])

    cells = {at(node, key): value for node, values in truth.items() for key, value in values.items()}
    hidden = {at(node, key): mark for node, values in marks.items() for key, mark in values.items()}
    rules = [
        Relation(at(node, rule.total), tuple(at(node, part) for part in rule.parts))
        for node in truth
        for rule in EVALUATION_RULES
    ]
    rules += [
        Relation(at(node, key), tuple(at(part, key) for part in parts))
        for node, parts in sums.items()
        for key in truth[node]
    ]
    pinned, bounds = exposed(cells, hidden, rules)
    found = [f"{key[0]} {key[1]} = {cells[key]}" for key in pinned if key in hidden and 0 < cells[key] < 5]
    # A sum over activities or units, known, whose unknown parts hold 1-4 answers together.
    for rule in rules[-sum(len(truth[node]) for node in sums) :]:
        unknown = [part for part in rule.parts if bounds[part][0] != bounds[part][1]]
        together = sum(cells[part] for part in unknown)
        if bounds[rule.total][0] == bounds[rule.total][1] and len(unknown) > 1 and 0 < together < 5:
            found.append(f"{' + '.join(part[0] for part in unknown)} {rule.total[1]} = {together}")
    return sorted(found)


def test_a_unit_and_its_parent_side_by_side_give_no_hidden_answer_away(org: Org, activity: Activity) -> None:
    """Two units under one förvaltning, an activity in each. Norra: 12 answers, one of
    them "3" on "understand better"; Södra: 20, with one "2", four "3" and two "4". Each
    union protected alone (as a union of its activities) shows the förvaltning's "3" as
    "x" (at least 5): Norra's "3" is at most 1 and Södra's at most 4, so they are 1 and 4.
    Released together, the reports of the förvaltning, of Norra and of Södra, and the
    activities' own pages, give nothing away."""
    parent = org.unit_a.parent
    assert parent is not None
    norra, sodra = activity, activity_in(org.unit_a2, activity, "Samtalsgrupp")
    answers(norra, *[(5, 5, 5, True)] * 11, (5, 5, 3, True))
    answers(sodra, *[(5, 5, 5, True)] * 13, (5, 5, 2, True), *[(5, 5, 3, True)] * 4, *[(5, 5, 4, True)] * 2)
    today = timezone.localdate()
    start, end = today.replace(day=1), today
    units = {"parent": [parent.pk, org.unit_a.pk, org.unit_a2.pk], "norra": [org.unit_a.pk], "sodra": [org.unit_a2.pk]}
    counts = {row.activity_id: evaluation_cells(row) for row in evaluation_counts(unit_ids=units["parent"])}
    truth = {
        "parent": {key: counts[norra.pk][key] + counts[sodra.pk][key] for key in EVALUATION_KEYS},
        "norra": counts[norra.pk],
        "sodra": counts[sodra.pk],
        "activity_norra": counts[norra.pk],
        "activity_sodra": counts[sodra.pk],
    }
    sums = {"parent": ["norra", "sodra"], "norra": ["activity_norra"], "sodra": ["activity_sodra"]}
    marks = {node: seen(units_evaluation(unit_ids=ids, start=start, end=end)) for node, ids in units.items()}
    marks["activity_norra"] = seen(activity_evaluation(activity=norra))
    marks["activity_sodra"] = seen(activity_evaluation(activity=sodra))
    # The parent's PDF shows how many answered; the units' counts are theirs.
    assert truth["parent"][("answers", "")] == 32

    assert leaks(truth, marks, sums) == []

    # Negative control: each union protected alone, as its activities' union.
    own_must = {node: protect_evaluation(truth[f"activity_{node}"])[1] for node in ("norra", "sodra")}
    alone = dict(marks)
    for node, parts in (("parent", ["norra", "sodra"]), ("norra", ["norra"]), ("sodra", ["sodra"])):
        values = truth[node]
        hidden, must, _rests = union_start(values, [own_must[part] for part in parts], lambda key: True)
        smallest_first = [(values[key], key) for key in values]
        rank = {key: (value, key) for value, key in smallest_first}
        alone[node] = protect(values, hidden, must, rules=EVALUATION_RULES, cost=rank.__getitem__)[0]
    assert leaks(truth, alone, sums) == [
        "activity_norra/understand_better 3 = 1",
        "activity_sodra/understand_better 3 = 4",
        "norra/understand_better 3 = 1",
        "sodra/understand_better 3 = 4",
    ]


def random_activity(rng: random.Random) -> dict[Key, int]:
    """One activity's answers: 1-20 of them, most of them 4 or 5 (or spread)."""
    answered = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 20])
    keen = rng.random()
    scale: dict[str, tuple[int, ...]] = {}
    for field, _question in QUESTIONS:
        chosen = [5 if rng.random() < keen else rng.randint(1, 5) for _ in range(answered)]
        scale[field] = tuple(chosen.count(value) for value in (1, 2, 3, 4, 5))
    yes = sum(rng.random() < 0.8 for _ in range(answered))
    return evaluation_cells(EvaluationCounts(0, 0, answered, scale, yes, answered - yes))


UNITS = {"parent": (0, 2), "norra": (1, 3), "sodra": (1, 3)}  # how many activities each has


def test_random_trees_give_no_hidden_answer_away() -> None:
    """200 seeded random förvaltningar: 0-2 activities of its own, two units with 1-3 each.
    The reports of the förvaltning and of each unit, and every activity's page, are
    attacked together. Negative control: each union protected alone gives something away
    in some of them."""
    rng = random.Random(16)
    alone_leaks = 0
    for tree in range(200):
        number = iter(range(1, 100))
        own = {unit: [next(number) for _ in range(rng.randint(*sizes))] for unit, sizes in UNITS.items()}
        activities = {pk: random_activity(rng) for pks in own.values() for pk in pks}
        norra, sodra = frozenset(own["norra"]), frozenset(own["sodra"])
        parent = norra | sodra | frozenset(own["parent"])
        marks_by_union = protect_evaluations(activities, {parent: [norra, sodra], norra: [], sodra: []})
        truth = {f"activity_{pk}": cells for pk, cells in activities.items()}
        marks = {f"activity_{pk}": protect_evaluation(cells)[0] for pk, cells in activities.items()}
        sums: dict[str, list[str]] = {}
        for name, union in (("parent", parent), ("norra", norra), ("sodra", sodra)):
            truth[name] = {key: sum(activities[pk][key] for pk in union) for key in EVALUATION_KEYS}
            marks[name] = marks_by_union[union]
            sums[name] = [f"activity_{pk}" for pk in sorted(union)]
        sums["parent"] = ["norra", "sodra", *(f"activity_{pk}" for pk in own["parent"])]

        assert leaks(truth, marks, sums) == [], f"tree {tree}"

        own_must = {pk: protect_evaluation(cells)[1] for pk, cells in activities.items()}
        alone = dict(marks)
        for name, union in (("parent", parent), ("norra", norra), ("sodra", sodra)):
            values = truth[name]
            hidden, must, _rests = union_start(values, [own_must[pk] for pk in union], lambda key: True)
            rank = {key: (value, key) for key, value in values.items()}
            alone[name] = protect(values, hidden, must, rules=EVALUATION_RULES, cost=rank.__getitem__)[0]
        alone_leaks += bool(leaks(truth, alone, sums))
    assert alone_leaks > 0, "protected one union at a time, some random tree should give an answer away"


def test_the_report_reads_the_units_evaluations_in_their_months(org: Org, activity: Activity) -> None:
    answers(activity, *[(5, 5, 5, True)] * 5)
    EvaluationResponse.objects.filter(pk=EvaluationResponse.objects.first().pk).update(  # type: ignore[union-attr]
        month=dt.date(2020, 1, 1)
    )
    today = timezone.localdate()
    # Four in this month: too few; five over all months.
    assert units_evaluation(unit_ids=[org.unit_a.pk], start=today.replace(day=1), end=today).too_few
    assert units_evaluation(unit_ids=[org.unit_a.pk], start=dt.date(2020, 1, 1), end=today).n == 5
    # Another municipality's unit has none.
    assert units_evaluation(unit_ids=[org.unit_b.pk], start=dt.date(2020, 1, 1), end=today).too_few


# --------------------------------------------------------------------------
# The staff results page
# --------------------------------------------------------------------------


def test_results_page_with_four_answers_shows_no_results(login_as: Any, activity: Activity) -> None:
    answers(activity, *[(5, 5, 5, True)] * 4)
    client = login_as("consultant_a")
    client.cookies["django_language"] = "en"

    response = client.get(results_url(activity))

    assert response.status_code == 200
    page = html(response)
    assert len(re.findall(r"<h1[\s>]", page)) == 1
    assert "Fewer than 5 answers: the results are not shown" in page
    assert "<table" not in page
    assert "Mean" not in page
    # The link to hand out, in full.
    assert f"{settings.SITE_URL}/utvardering/{activity.evaluation_token}/" in page


def test_results_page_shows_aggregate_with_small_cells_suppressed(login_as: Any, activity: Activity) -> None:
    answers(activity, *[(4, 4, 4, True)] * 5, *[(5, 5, 5, True)] * 2)
    client = login_as("manager_a")
    client.cookies["django_language"] = "en"

    response = client.get(results_url(activity))

    assert response.status_code == 200
    page = html(response)
    assert "7 answers." in page
    row = re.search(r"<th scope=\"row\">Was the activity useful to you\?</th>(.*?)</tr>", page, re.S)
    assert row is not None
    cells = [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]
    # Mean, then the counts for 1..5: the 2 who chose 5 are shown as "<5". The mean was
    # "4.3", which told that both were 5 (issue 16): now "..".
    assert cells == ["..", "&lt;5", "&lt;5", "&lt;5", "5", "&lt;5"]
    assert "100 %" in page
    assert "<td>2</td>" not in page
    assert "Hidden values are marked:" in page


def test_the_activity_page_links_to_its_results(login_as: Any, activity: Activity) -> None:
    # The link is the follow-up's, registered in anhorigstod.extensions: groups does not name it.
    page = html(login_as("consultant_a").get(f"/aktiviteter/{activity.code}/"))
    assert f'href="{results_url(activity)}"' in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("consultant_a", 200), ("manager_a", 200), ("consultant_b", 404), ("admin_a", 403), ("carer", 403)],
)
def test_results_page_access(login_as: Any, activity: Activity, persona: str, status: int) -> None:
    assert login_as(persona).get(results_url(activity)).status_code == status


def test_results_page_needs_sign_in(client: Any, activity: Activity) -> None:
    response = client.get(results_url(activity))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
