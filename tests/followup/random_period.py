"""A seeded pseudo-random month of carer support in an administration and its units, for
the property tests of the disclosure control (issue 16).

Each unit has a few consultants (one works in every unit), carers, talks (some anonymous,
some under the administration's exemption decision), focus entries, respite grants,
referrals and KASAM measurements. Counts are kept small, so that most of a unit's cells
that hold anyone are 1-4 and some 5-30: the ground where complementary suppression has
work to do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from anhorigstod.accounts.models import Membership, Municipality, Role, Unit, User
from anhorigstod.rollups.services import rollups_rebuild
from contacts.models import (
    AgeBand,
    Answer,
    Carer,
    ExemptionDecision,
    Gender,
    Initiator,
    Partner,
    Referral,
    RespiteGrant,
    SupportKind,
    TalkFocus,
    TalkMode,
    TalkType,
    TargetGroup,
    YesNoUnknown,
)
from contacts.policy import DEFAULT_SUPPORT_KINDS, time_of_day
from contacts.services import age_band
from tests.followup.test_figures import at, carer, measure, talk

START, END = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
UNIT_NAMES = ("Anhörigstöd Norr", "Anhörigstöd Syd", "Anhörigstöd Väst")
T = TypeVar("T")


@dataclass
class Organisation:
    parent: Unit
    units: list[Unit]


class Skewed:
    """Choices where, per dataset, a random few categories are common and the rest rare."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.orders: dict[str, list[Any]] = {}

    def pick(self, name: str, values: Sequence[T]) -> T:
        if name not in self.orders:
            order = list(values)
            self.rng.shuffle(order)
            self.orders[name] = order
        order = self.orders[name]
        return self.rng.choices(order, weights=[1 / (rank + 1) ** 1.3 for rank in range(len(order))])[0]


def random_period(units: int, seed: int) -> Organisation:
    """An administration with ``units`` units and March 2025 of random work in them."""
    rng = random.Random(f"issue-16/{units}/{seed}")
    skew = Skewed(rng)
    municipality = Municipality.objects.create(
        name=f"Slumpvalda kommun {units}-{seed}", kommunkod=f"8{units}{seed:02d}"
    )
    parent = Unit.objects.create(
        municipality=municipality, name="Socialförvaltningen", code=f"sof-{units}-{seed}", kind=Unit.Kind.ADMINISTRATION
    )
    children = [
        Unit.objects.create(municipality=municipality, parent=parent, name=name, code=f"enhet-{units}-{seed}-{index}")
        for index, name in enumerate(UNIT_NAMES[:units])
    ]
    kinds = {
        code: SupportKind.objects.create(
            municipality=municipality, code=code, name=name, tier=tier, area=area, for_talks=for_talks
        )
        for code, name, tier, area, for_talks in DEFAULT_SUPPORT_KINDS
    }

    def staff(name: str, unit: Unit) -> User:
        email = f"{name.lower().replace(' ', '.')}.{units}.{seed}@slump.example"
        user = User.objects.create_user(email, full_name=name)
        Membership.objects.create(user=user, unit=unit, role=Role.CONSULTANT)
        return user

    everywhere = staff("Konsulent Alla", parent)
    exemptions = [
        ExemptionDecision.objects.create(
            municipality=municipality,
            board="Socialnämnden",
            decided_on=dt.date(2025, 1, 10),
            reference=f"SN 2025/{114 + number} § 52",
            valid_from=dt.date(2025, 1, 10),
            reason=ExemptionDecision.Reason.ANONYMITY,
            reason_text="Anonymitet",
            recorded_by=everywhere,
        )
        for number in range(rng.randint(1, 2))
    ]
    for index, unit in enumerate(children):
        consultants = [everywhere, *(staff(f"Konsulent {index}{n}", unit) for n in range(rng.randint(1, 2)))]
        _unit_month(rng, skew, unit, consultants, kinds, exemptions)
    # Written past the services: count the follow-up afresh, as the nightly check does.
    rollups_rebuild(unit_ids=[parent.pk, *(unit.pk for unit in children)], expected=True)
    return Organisation(parent=parent, units=children)


def _day(rng: random.Random) -> dt.date:
    return START + dt.timedelta(days=rng.randrange((END - START).days + 1))


def _unit_month(
    rng: random.Random,
    skew: Skewed,
    unit: Unit,
    consultants: list[User],
    kinds: dict[str, SupportKind],
    exemptions: list[ExemptionDecision],
) -> None:
    talks = rng.randint(3, 30)
    carers = [_carer(rng, skew, unit, number) for number in range(1, 2 + rng.randint(1, min(10, max(1, talks // 2))))]
    for _talk in range(talks):
        started_at = at(_day(rng).isoformat(), rng.choice((8, 9, 10, 11, 13, 14, 15, 17, 18)))
        fields: dict[str, Any] = {
            "mode": skew.pick("mode", TalkMode.values),
            "talk_type": rng.choice(TalkType.values),
            "initiator": skew.pick("initiator", Initiator.values),
            "time_of_day": time_of_day(started_at),
            "informed_right_to_apply": skew.pick("informed", Answer.values),
            "asked_about_children": skew.pick("children", Answer.values),
            "structured_material": skew.pick("material", ("", "COAT", "")),
        }
        if rng.random() < 0.3:  # anonymous, under an exemption or by choice
            kind = kinds["individual_talk"]
            exemption = rng.choice(exemptions) if rng.random() < 0.5 else None
            fields.update(
                exemption=exemption,
                age_band=skew.pick("age_band", AgeBand.values),
                gender=skew.pick("gender", Gender.values),
                target_group=skew.pick("target_group", ["", *TargetGroup.values]),
            )
        else:  # the statistical attributes copied from the carer, as logging a talk does
            kind = kinds["talk_series"]
            who = rng.choice(carers)
            fields.update(
                carer=who,
                age_band=age_band(who.birth_year, on=started_at.date()),
                gender=who.gender or Gender.UNDISCLOSED,
                target_group=who.target_group,
            )
        made = talk(unit, rng.choice(consultants), kind, started_at, **fields)
        for focus in rng.sample(TalkFocus.values, rng.choice((0, 1, 1, 2))):
            made.focus_entries.create(focus=focus)
    recorder = consultants[0]
    for who in carers:
        for _grant in range(rng.choice((0, 0, 0, 1, 1, 2))):
            RespiteGrant.objects.create(
                carer=who, given_on=_day(rng), hours=Decimal(rng.randint(2, 16)) / 2, recorded_by=recorder
            )
        if rng.random() < 0.3:  # KASAM before (January) and after (in the period)
            measure(who, "before", dt.date(2025, 1, 15), up=rng.random() < 0.3, recorded_by=recorder)
            measure(who, "after", _day(rng), up=rng.random() < 0.6, recorded_by=recorder)
    partners = [
        Partner.objects.create(
            unit=unit,
            name=f"Partner {n}",
            organisation_type=skew.pick("partner", Partner.OrganisationType.values),
            offers_respite=rng.random() < 0.5,
        )
        for n in range(rng.randint(1, 3))
    ]
    for _referral in range(rng.randint(0, 8)):
        Referral.objects.create(
            unit=unit,
            carer=rng.choice([None, *carers]),
            partner=rng.choice(partners),
            referred_on=_day(rng),
            respite=rng.random() < 0.5,
            recorded_by=recorder,
        )


def _carer(rng: random.Random, skew: Skewed, unit: Unit, number: int) -> Carer:
    birth_year = skew.pick("birth_year", (None, 2009, 1996, 1983, 1970, 1958, 1950, 1940))
    return carer(
        unit,
        number,
        birth_year=birth_year,
        under_18=birth_year is not None and START.year - birth_year < 18,
        gender=skew.pick("carer_gender", ["", *Gender.values]),
        target_group=skew.pick("carer_target_group", ["", *TargetGroup.values]),
        language=skew.pick("language", ("svenska", "arabiska", "finska", "somaliska", "")),
        close_person_has_municipal_contact=skew.pick("contact", YesNoUnknown.values),
    )
