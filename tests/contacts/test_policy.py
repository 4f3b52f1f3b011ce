"""The documentation policy, table by table (PRODUCT §2): what each tier allows, with and
without a nämnd's exemption decision, and Socialstyrelsen's time-of-day measure.

Every case asks :func:`contacts.policy.documentation_rule` for a kind of support on a date
and feeds a record (with or without identity, with or without notes) to
:func:`contacts.policy.enforce`; the table says whether it passes or which keys the
ValidationError names.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from django.core.exceptions import ValidationError

from anhorigstod.accounts.models import User
from contacts import policy
from contacts.models import DocumentationTier, ExemptionDecision, SupportKind, TimeOfDay
from tests.conftest import Org

ON = dt.date(2025, 6, 10)
DAY = dt.timedelta(days=1)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC

TIERS = ("information", "open_activity", "advice", "insats")
# none: no decision at all; active: in force on ON, covering the kind; last_day: in force
# with valid_to == ON (inclusive); open_ended: valid_to empty; expired: ended the day
# before; other_kind: in force but covering another kind; not_yet: starts the day after.
EXEMPTIONS = ("none", "active", "last_day", "open_ended", "expired", "other_kind", "not_yet")
COVERING = {"active", "last_day", "open_ended"}

# What the rule is for a tier under an exemption state: "anonymous" (identity and notes
# forbidden), "optional" (identity optional, notes only with identity) or "required"
# (identity required). Written out rather than computed, so the table is the spec.
MODE = {
    **{("information", state): "anonymous" for state in EXEMPTIONS},
    **{("open_activity", state): "anonymous" for state in EXEMPTIONS},
    ("advice", "none"): "optional",
    ("advice", "active"): "anonymous",
    ("advice", "last_day"): "anonymous",
    ("advice", "open_ended"): "anonymous",
    ("advice", "expired"): "optional",
    ("advice", "other_kind"): "optional",
    ("advice", "not_yet"): "optional",
    ("insats", "none"): "required",
    ("insats", "active"): "anonymous",
    ("insats", "last_day"): "anonymous",
    ("insats", "open_ended"): "anonymous",
    ("insats", "expired"): "required",
    ("insats", "other_kind"): "required",
    ("insats", "not_yet"): "required",
}

# (has_identity, has_notes) -> the keys the ValidationError must name (empty: it passes).
OUTCOME = {
    "anonymous": {
        (False, False): set(),
        (False, True): {"bring_up_next_time"},
        (True, False): {"carer"},
        (True, True): {"carer", "bring_up_next_time"},
    },
    "optional": {
        (False, False): set(),
        (False, True): {"bring_up_next_time"},
        (True, False): set(),
        (True, True): set(),
    },
    "required": {
        (False, False): {"carer"},
        (False, True): {"carer", "bring_up_next_time"},
        (True, False): set(),
        (True, True): set(),
    },
}

REQUIREMENTS = {
    "anonymous": (policy.Requirement.FORBIDDEN, policy.Requirement.FORBIDDEN),
    "optional": (policy.Requirement.OPTIONAL, policy.Requirement.OPTIONAL),
    "required": (policy.Requirement.REQUIRED, policy.Requirement.OPTIONAL),
}

CASES = [
    pytest.param(
        tier,
        state,
        identity,
        notes,
        id=f"{tier}-{state}-{'identity' if identity else 'anon'}-{'notes' if notes else 'no_notes'}",
    )
    for tier, state, identity, notes in itertools.product(TIERS, EXEMPTIONS, (False, True), (False, True))
]


def _kind(org: Org, code: str, tier: str) -> SupportKind:
    return SupportKind.objects.create(
        municipality=org.unit_a.municipality, code=code, name=code, tier=tier, area="support_talks", for_talks=True
    )


def _decision(
    org: Org, by: User, kinds: list[SupportKind], *, valid_from: dt.date, valid_to: dt.date | None, reference: str
) -> ExemptionDecision:
    decision = ExemptionDecision.objects.create(
        municipality=org.unit_a.municipality,
        board="Socialnämnden",
        decided_on=valid_from - 10 * DAY,
        reference=reference,
        valid_from=valid_from,
        valid_to=valid_to,
        reason=ExemptionDecision.Reason.LOW_THRESHOLD,
        reason_text="Låg tröskel.",
        recorded_by=by,
    )
    decision.kinds.set(kinds)
    return decision


def _set_up_exemption(org: Org, by: User, kind: SupportKind, state: str) -> ExemptionDecision | None:
    other = _kind(org, "other_kind", DocumentationTier.INSATS)
    windows = {
        "active": (ON - 30 * DAY, ON + 30 * DAY),
        "last_day": (ON - 30 * DAY, ON),
        "open_ended": (ON - 30 * DAY, None),
        "expired": (ON - 30 * DAY, ON - DAY),
        "other_kind": (ON - 30 * DAY, ON + 30 * DAY),
        "not_yet": (ON + DAY, ON + 30 * DAY),
    }
    if state == "none":
        return None
    valid_from, valid_to = windows[state]
    covered = [other] if state == "other_kind" else [kind, other]
    return _decision(org, by, covered, valid_from=valid_from, valid_to=valid_to, reference="SN 2025/114 § 52")


@pytest.mark.parametrize(("tier", "state", "has_identity", "has_notes"), CASES)
def test_documentation_rule_and_enforce(
    org: Org, manager_a: User, tier: str, state: str, has_identity: bool, has_notes: bool
) -> None:
    kind = _kind(org, "the_kind", tier)
    decision = _set_up_exemption(org, manager_a, kind, state)
    mode = MODE[(tier, state)]

    rule = policy.documentation_rule(kind=kind, on=ON)

    assert rule.tier == tier
    assert (rule.identity, rule.notes) == REQUIREMENTS[mode]
    if tier in ("advice", "insats") and state in COVERING:
        assert decision is not None
        assert rule.exemption == decision
    else:
        assert rule.exemption is None
    expected = OUTCOME[mode][(has_identity, has_notes)]
    if expected:
        with pytest.raises(ValidationError) as caught:
            policy.enforce(rule, has_identity=has_identity, has_notes=has_notes)
        assert set(caught.value.message_dict) == expected
    else:
        policy.enforce(rule, has_identity=has_identity, has_notes=has_notes)


def test_the_most_recent_of_several_decisions_in_force_is_the_one_named(org: Org, manager_a: User) -> None:
    kind = _kind(org, "talk_series", DocumentationTier.INSATS)
    _decision(org, manager_a, [kind], valid_from=ON - 300 * DAY, valid_to=None, reference="SN 2024/1 § 1")
    newer = _decision(org, manager_a, [kind], valid_from=ON - 10 * DAY, valid_to=None, reference="SN 2025/9 § 9")

    assert policy.documentation_rule(kind=kind, on=ON).exemption == newer


def test_a_decision_of_another_kind_in_another_municipality_does_not_apply(org: Org, manager_a: User) -> None:
    kind = _kind(org, "talk_series", DocumentationTier.INSATS)
    elsewhere = SupportKind.objects.create(
        municipality=org.unit_b.municipality,
        code="talk_series",
        name="Samtalsserie",
        tier="insats",
        area="support_talks",
    )
    decision = ExemptionDecision.objects.create(
        municipality=org.unit_b.municipality,
        board="Socialnämnden",
        decided_on=ON - 60 * DAY,
        reference="SN B",
        valid_from=ON - 30 * DAY,
        valid_to=None,
        reason="other",
        reason_text="…",
        recorded_by=manager_a,
    )
    decision.kinds.set([elsewhere])

    rule = policy.documentation_rule(kind=kind, on=ON)
    assert rule.exemption is None
    assert rule.identity is policy.Requirement.REQUIRED


def test_the_exemption_message_names_the_decision(org: Org, manager_a: User) -> None:
    kind = _kind(org, "talk_series", DocumentationTier.INSATS)
    _decision(org, manager_a, [kind], valid_from=ON - DAY, valid_to=None, reference="SN 2025/114 § 52")
    rule = policy.documentation_rule(kind=kind, on=ON)
    with pytest.raises(ValidationError) as caught:
        policy.enforce(rule, has_identity=True, has_notes=False)
    assert "SN 2025/114 § 52" in caught.value.message_dict["carer"][0]


@pytest.mark.parametrize(
    ("started_at", "expected"),
    [
        # Monday 13 January 2025 (CET, UTC+1).
        pytest.param(dt.datetime(2025, 1, 13, 16, 59, tzinfo=STOCKHOLM), TimeOfDay.DAYTIME, id="weekday-16:59"),
        pytest.param(dt.datetime(2025, 1, 13, 17, 0, tzinfo=STOCKHOLM), TimeOfDay.EVENING, id="weekday-17:00"),
        pytest.param(dt.datetime(2025, 1, 13, 23, 59, tzinfo=STOCKHOLM), TimeOfDay.EVENING, id="weekday-23:59"),
        pytest.param(dt.datetime(2025, 1, 13, 6, 0, tzinfo=STOCKHOLM), TimeOfDay.EVENING, id="early-morning-06:00"),
        pytest.param(dt.datetime(2025, 1, 13, 9, 0, tzinfo=STOCKHOLM), TimeOfDay.DAYTIME, id="weekday-09:00"),
        # The edges of office hours, and of the weekend.
        pytest.param(dt.datetime(2025, 1, 13, 6, 59, tzinfo=STOCKHOLM), TimeOfDay.EVENING, id="weekday-06:59"),
        pytest.param(dt.datetime(2025, 1, 13, 7, 0, tzinfo=STOCKHOLM), TimeOfDay.DAYTIME, id="weekday-07:00"),
        pytest.param(dt.datetime(2025, 1, 13, 16, 59, tzinfo=STOCKHOLM), TimeOfDay.DAYTIME, id="weekday-16:59"),
        pytest.param(dt.datetime(2025, 1, 13, 0, 0, tzinfo=STOCKHOLM), TimeOfDay.EVENING, id="monday-00:00"),
        pytest.param(dt.datetime(2025, 1, 17, 23, 59, tzinfo=STOCKHOLM), TimeOfDay.EVENING, id="friday-23:59"),
        pytest.param(dt.datetime(2025, 1, 18, 0, 0, tzinfo=STOCKHOLM), TimeOfDay.WEEKEND, id="saturday-00:00"),
        pytest.param(dt.datetime(2025, 1, 19, 23, 59, tzinfo=STOCKHOLM), TimeOfDay.WEEKEND, id="sunday-23:59"),
        # Saturday and Sunday, any hour.
        pytest.param(dt.datetime(2025, 1, 18, 11, 0, tzinfo=STOCKHOLM), TimeOfDay.WEEKEND, id="saturday-11:00"),
        pytest.param(dt.datetime(2025, 1, 19, 20, 0, tzinfo=STOCKHOLM), TimeOfDay.WEEKEND, id="sunday-20:00"),
        # Given in UTC: the measure is taken on Stockholm's clock. 15:59Z is 16:59 in winter …
        pytest.param(dt.datetime(2025, 1, 13, 15, 59, tzinfo=UTC), TimeOfDay.DAYTIME, id="utc-winter-16:59-local"),
        pytest.param(dt.datetime(2025, 1, 13, 16, 0, tzinfo=UTC), TimeOfDay.EVENING, id="utc-winter-17:00-local"),
        # … and 17:00 in summer (CEST, UTC+2) is 15:00Z.
        pytest.param(dt.datetime(2025, 7, 14, 14, 59, tzinfo=UTC), TimeOfDay.DAYTIME, id="utc-summer-16:59-local"),
        pytest.param(dt.datetime(2025, 7, 14, 15, 0, tzinfo=UTC), TimeOfDay.EVENING, id="utc-summer-17:00-local"),
        # Friday 23:30Z is already Saturday 00:30 in Stockholm; Sunday 23:30Z is Monday.
        pytest.param(dt.datetime(2025, 1, 17, 23, 30, tzinfo=UTC), TimeOfDay.WEEKEND, id="utc-friday-is-saturday"),
        pytest.param(dt.datetime(2025, 1, 19, 23, 30, tzinfo=UTC), TimeOfDay.EVENING, id="utc-sunday-is-monday"),
    ],
)
def test_time_of_day(started_at: dt.datetime, expected: str) -> None:
    assert policy.time_of_day(started_at) == expected
