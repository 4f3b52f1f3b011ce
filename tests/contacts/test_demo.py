"""The demo year (contacts.demo): realistic numbers, the documentation policy obeyed on every
talk, and seeding twice adds nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from django.db.models import Count, Max, Model
from django.utils import timezone

from anhorigstod.accounts.demo import seed_organisation
from anhorigstod.accounts.models import Unit
from contacts import policy
from contacts.demo import DEMO_UNITS, TEST_PERSONNUMMER, seed_contacts
from contacts.models import (
    Carer,
    Consent,
    ExemptionDecision,
    Gender,
    JournalNote,
    Partner,
    Referral,
    RespiteGrant,
    SupportKind,
    SupportKindTierChange,
    SupportPlanItem,
    Talk,
    TalkFocusEntry,
)
from contacts.personnummer import check_digit

TODAY = dt.date(2026, 11, 23)
MODELS: tuple[type[Model], ...] = (
    SupportKind,
    SupportKindTierChange,
    ExemptionDecision,
    Partner,
    Carer,
    Talk,
    TalkFocusEntry,
    Referral,
    JournalNote,
    RespiteGrant,
    Consent,
    SupportPlanItem,
)


def _rows() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


@pytest.fixture
def seeded(db: None) -> dict[str, int]:
    seed_organisation(with_passwords=False)
    return seed_contacts(today=TODAY)


def test_seeding_twice_adds_nothing(seeded: dict[str, int]) -> None:
    before = _rows()
    again = seed_contacts(today=TODAY)
    assert set(again.values()) == {0}
    assert _rows() == before
    assert seeded["talks"] == before["Talk"] and seeded["carers"] == before["Carer"]


def test_every_talk_obeys_the_documentation_policy(seeded: dict[str, int]) -> None:
    talks = list(Talk.objects.select_related("support_kind", "carer"))
    assert len(talks) >= 2000
    anonymous = [talk for talk in talks if talk.carer_id is None]
    assert 0.10 <= len(anonymous) / len(talks) <= 0.50

    rules: dict[tuple[int, dt.date], policy.DocumentationRule] = {}
    seen: Counter[policy.Requirement] = Counter()
    for talk in talks:
        on = timezone.localdate(talk.started_at)
        key = (talk.support_kind_id, on)
        if key not in rules:
            rules[key] = policy.documentation_rule(kind=talk.support_kind, on=on)
        rule = rules[key]
        seen[rule.identity] += 1
        expected_exemption = rule.exemption.pk if rule.exemption else None
        assert talk.exemption_id == expected_exemption, talk.pk
        if rule.identity is policy.Requirement.FORBIDDEN:
            assert talk.carer_id is None, talk.pk
        if rule.identity is policy.Requirement.REQUIRED:
            assert talk.carer_id is not None, talk.pk
        if talk.carer is None:
            assert talk.next_step == "" and talk.bring_up_next_time == "", talk.pk
            assert talk.target_group and talk.gender, talk.pk  # statistics still counted
        else:
            assert (talk.gender, talk.target_group) == (talk.carer.gender, talk.carer.target_group), talk.pk
        assert talk.time_of_day == policy.time_of_day(talk.started_at), talk.pk
        assert TODAY - dt.timedelta(days=365) <= on < TODAY, talk.pk
        assert 15 <= talk.duration_minutes <= 90, talk.pk
    # All three cases occur: anonymous under the exemption, documented insats, optional advice.
    assert set(seen) == set(policy.Requirement)
    assert not JournalNote.objects.filter(talk__carer__isnull=True).exists()
    assert Counter(talk.time_of_day for talk in talks).most_common(1)[0][0] == "daytime"
    focus_per_talk = Counter(TalkFocusEntry.objects.values_list("talk_id", flat=True))
    assert len(focus_per_talk) == len(talks) and set(focus_per_talk.values()) <= {1, 2, 3}


def test_exemptions_in_force_and_expired(seeded: dict[str, int]) -> None:
    in_force = ExemptionDecision.objects.get(reference="SN 2025/114 § 52")
    expired = ExemptionDecision.objects.get(reference="SN 2023/88 § 31")
    assert in_force.valid_from <= TODAY and in_force.valid_to is None
    assert expired.valid_to is not None and expired.valid_to < TODAY
    assert [kind.code for kind in in_force.kinds.all()] == ["talk_series"]
    assert in_force.recorded_by.email == "chef@angsvik.example"
    assert Talk.objects.filter(exemption=in_force).count() > 50
    # Sjöhaga has no exemption: its talk series are documented, with signed notes.
    sjohaga_series = Talk.objects.filter(unit__code="sjohaga-anhorig", support_kind__code="talk_series")
    assert sjohaga_series.exists() and not sjohaga_series.filter(carer__isnull=True).exists()
    assert not JournalNote.objects.filter(signed_at__isnull=True).exists()
    erroneous = JournalNote.objects.filter(marked_erroneous_at__isnull=False)
    assert erroneous.exists()
    for note in erroneous:
        assert note.erroneous_reason and note.corrections.filter(signed_at__isnull=False).exists()


def test_kinds_tiers_and_partners(seeded: dict[str, int]) -> None:
    kinds = SupportKind.objects.filter(municipality__kommunkod__in=("9901", "9902"))
    assert kinds.count() == 2 * len(policy.DEFAULT_SUPPORT_KINDS)
    for kind in kinds:
        (change,) = kind.tier_changes.all()
        assert (change.new_tier, change.changed_by_id, change.reason) == (
            kind.tier,
            None,
            "Standardinställning vid start",
        )
    for unit in Unit.objects.filter(code__in=DEMO_UNITS):
        partners = Partner.objects.filter(unit=unit)
        assert 8 <= partners.count() <= 12
        assert partners.filter(offers_respite=True).exists()
        assert len({partner.organisation_type for partner in partners}) >= 8


def test_carers_look_like_the_people_consultants_meet(seeded: dict[str, int]) -> None:
    carers = list(Carer.objects.all())
    per_unit = Counter(carer.unit.code for carer in Carer.objects.select_related("unit"))
    assert set(per_unit) == set(DEMO_UNITS) and all(140 <= n <= 160 for n in per_unit.values())
    for code, n in per_unit.items():
        assert sorted(Carer.objects.filter(unit__code=code).values_list("number", flat=True)) == list(range(1, n + 1))
    women = sum(carer.gender == Gender.WOMAN for carer in carers) / len(carers)
    assert 0.6 <= women <= 0.8
    ages = [TODAY.year - carer.birth_year for carer in carers if carer.birth_year]
    assert 0.55 <= sum(55 <= age <= 85 for age in ages) / len(ages) <= 0.8
    young = [carer for carer in carers if carer.under_18]
    assert 0.02 <= len(young) / len(carers) <= 0.09
    assert all(carer.birth_year and TODAY.year - carer.birth_year < 18 for carer in young)
    targets = Counter(carer.target_group for carer in carers).most_common(2)
    assert {target for target, _n in targets} == {"dementia", "elderly"}
    assert 0.05 <= sum(not carer.has_identity for carer in carers) / len(carers) <= 0.25
    assert Counter(carer.language for carer in carers).most_common(1)[0][0] == "svenska"
    assert all(carer.support_contact_id for carer in carers)
    assert any(carer.status == Carer.Status.CLOSED and carer.close_reason for carer in carers)

    # Personnummer only from Skatteverket's test numbers, once each, matching the carer.
    with_number = [carer for carer in carers if carer.personnummer]
    assert with_number and len({carer.personnummer for carer in with_number}) == len(with_number)
    for carer in with_number:
        pnr = carer.personnummer
        assert pnr in TEST_PERSONNUMMER and check_digit(pnr[2:11]) == int(pnr[11])
        assert int(pnr[:4]) == carer.birth_year
        assert carer.gender == (Gender.MAN if int(pnr[10]) % 2 else Gender.WOMAN)

    # last_entry_at is the latest talk, or the carer's creation.
    latest = dict(Talk.objects.filter(carer__isnull=False).values_list("carer").annotate(last=Max("started_at")))
    for carer in carers:
        assert carer.last_entry_at == latest.get(carer.pk, carer.created_at)
        if carer.closed_on:
            assert carer.closed_on >= timezone.localdate(carer.last_entry_at)


def test_the_rest_of_the_casework(seeded: dict[str, int]) -> None:
    identified = Carer.objects.exclude(first_name="", last_name="").count()
    assert 0.05 <= RespiteGrant.objects.values("carer").distinct().count() / Carer.objects.count() <= 0.15
    assert Referral.objects.filter(respite=True, talk__isnull=True).exists()
    assert Referral.objects.filter(talk__isnull=False).count() == Talk.objects.exclude(referral_partner=None).count()
    assert 0.1 <= Consent.objects.values("carer").distinct().count() / identified <= 0.3
    assert SupportPlanItem.objects.values("carer").distinct().count() > 20
    assert (
        Talk.objects.values("informed_right_to_apply")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["informed_right_to_apply"]
        == "yes"
    )
    children = Counter(Talk.objects.values_list("asked_about_children", flat=True))
    assert 0.5 <= children["yes"] / sum(children.values()) <= 0.7
