"""The benchmark's casework in the contacts app: carers, their talks and anonymous talks,
journal notes of talk series, referrals, respite, consents, support plans and SOC-13
measurements, for each team of a municipality.

The categories follow the demo's distributions (contacts/demo.py: who carers are, talk
types, modes, initiators, focus …), so the follow-up figures look like real ones; what the
demo does not model is labelled "assumption" here. About three talks in four are on an
identified carer, the rest anonymous.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal
from itertools import accumulate
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from anhorigstod.accounts.models import Unit, User
from bench.writer import Writer
from contacts import demo, policy
from contacts.measurements import score_items  # the one scoring rule, with the items already at hand
from contacts.models import (
    CareHours,
    Carer,
    Consent,
    ExemptionDecision,
    Initiator,
    InstrumentItem,
    JournalNote,
    Measurement,
    Partner,
    Referral,
    RespiteGrant,
    SupportKind,
    SupportPlanItem,
    Talk,
    TalkFocus,
    TalkType,
    TargetGroup,
)
from contacts.services import age_band

T = TypeVar("T")

# Assumptions of the benchmark (the demo models one municipality, not a country).
IDENTIFIED_SHARE = 0.75  # talks on an identified carer; the rest are anonymous advice talks
SERIES_CHANCE = 0.05  # an adult carer with a name gets a talk series (× 4 in SERIES_TARGETS)
MEASURED_SHARE = 0.30  # carers in longer contact who answer SOC-13 before support …
MEASURED_AFTER_SHARE = 0.60  # … and of those, who answer it again after
RESPITE_SHARE = 0.15  # carers with heavy care who get respite (avlösning)
CONSENT_SHARE = 0.20
PLAN_SHARE = 0.18


class Weighted(Generic[T]):
    """``random.choices`` over (value, weight) pairs with the cumulative weights computed once."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _weight in pairs]
        self.cumulative = list(accumulate(weight for _value, weight in pairs))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.values[bisect_right(self.cumulative, rng.random() * self.total)]


FIRST_TYPES = Weighted(demo.FIRST_TALK_TYPES)
LATER_TYPES = Weighted(demo.LATER_TALK_TYPES)
ANONYMOUS_TYPES = Weighted(demo.ANONYMOUS_TALK_TYPES)
SERIES_TYPES = Weighted(demo.SERIES_TALK_TYPES)
ADVICE_MODES = Weighted(demo.ADVICE_MODES)
SERIES_MODES = Weighted(demo.SERIES_MODES)
ANONYMOUS_MODES = Weighted(demo.ANONYMOUS_MODES)
FIRST_INITIATORS = Weighted(demo.FIRST_INITIATORS)
LATER_INITIATORS = Weighted(demo.LATER_INITIATORS)
INFORMED_FIRST = Weighted(demo.INFORMED_FIRST)
INFORMED_LATER = Weighted(demo.INFORMED_LATER)
ASKED_ABOUT_CHILDREN = Weighted(demo.ASKED_ABOUT_CHILDREN)
EXTRA_FOCUS = Weighted(demo.EXTRA_FOCUS)
FOCUS_COUNT = Weighted(demo.FOCUS_COUNT)
TALKS_PER_CARER = Weighted(demo.TALKS_PER_CARER)
DAYS_BETWEEN_TALKS = Weighted(demo.DAYS_BETWEEN_TALKS)
START_HOURS = Weighted(demo.START_HOURS)
START_MINUTES = Weighted(demo.START_MINUTES)
LANGUAGES = Weighted(demo.LANGUAGES)
CARE_HOURS = Weighted(demo.CARE_HOURS)
CHANNELS = Weighted(demo.CHANNELS)
MUNICIPAL_CONTACT = Weighted(demo.MUNICIPAL_CONTACT)
CLOSE_REASONS = Weighted(demo.CLOSE_REASONS)


class Planner:
    """Plans one municipality's casework into a :class:`Writer`."""

    def __init__(
        self,
        *,
        rng: random.Random,
        writer: Writer,
        first_day: dt.date,
        last_day: dt.date,
        instrument_items: list[InstrumentItem],
    ) -> None:
        self.rng = rng
        self.writer = writer
        self.first_day = first_day
        self.last_day = last_day
        self.today = last_day + dt.timedelta(days=1)
        self.tz = ZoneInfo("Europe/Stockholm")
        self.days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
        self.day_weights = list(accumulate(demo.UnitSeeder._day_weight(day) for day in self.days))
        self.items = instrument_items

    # --- Dates and times (as the demo's UnitSeeder has them) ---------------------

    def random_day(self) -> dt.date:
        index = bisect_right(self.day_weights, self.rng.random() * self.day_weights[-1])
        return self.days[min(index, len(self.days) - 1)]

    def workday(self, day: dt.date) -> dt.date:
        if day.weekday() >= 5 and self.rng.random() > 0.08:
            monday = day + dt.timedelta(days=7 - day.weekday())
            return monday if monday <= self.last_day else day - dt.timedelta(days=day.weekday() - 4)
        return day

    def moment(self, day: dt.date) -> dt.datetime:
        rng = self.rng
        if day.weekday() >= 5:
            hour, minute = rng.randint(10, 14), rng.choice((0, 30))
        elif rng.random() < 0.08:
            hour, minute = rng.randint(17, 19), rng.choice((0, 30))
        else:
            hour, minute = START_HOURS(rng), START_MINUTES(rng)
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)

    # --- One municipality ----------------------------------------------------------

    def municipality(
        self,
        *,
        teams: list[tuple[Unit, list[User], list[Partner], int]],
        kinds: dict[str, SupportKind],
        exemption: ExemptionDecision | None,
    ) -> None:
        """Plan ``n`` talks for each (team, consultants, partners, n) of a municipality."""
        for team, consultants, partners, n_talks in teams:
            self.team(team, consultants, partners, n_talks, kinds, exemption)

    def team(
        self,
        team: Unit,
        consultants: list[User],
        partners: list[Partner],
        n_talks: int,
        kinds: dict[str, SupportKind],
        exemption: ExemptionDecision | None,
    ) -> None:
        rng = self.rng
        identified_target = round(n_talks * IDENTIFIED_SHARE)
        made = 0
        number = 0
        while made < identified_target:
            number += 1
            made += self.carer(team, number, consultants, partners, kinds, exemption)
        for _ in range(max(n_talks - made, 0)):
            person = demo._draw_person(rng, self.today)
            self.talk(
                team=team,
                kind=kinds["individual_talk"],
                day=self.random_day(),
                carer=None,
                person=person,
                consultant=rng.choice(consultants),
                mode=ANONYMOUS_MODES(rng),
                talk_type=ANONYMOUS_TYPES(rng),
                initiator=FIRST_INITIATORS(rng),
                informed=INFORMED_FIRST(rng),
                partners=partners,
            )

    def carer(
        self,
        team: Unit,
        number: int,
        consultants: list[User],
        partners: list[Partner],
        kinds: dict[str, SupportKind],
        exemption: ExemptionDecision | None,
    ) -> int:
        """One carer and their talks; returns how many talks were planned."""
        rng = self.rng
        person = demo._draw_person(rng, self.today)
        consultant = rng.choice(consultants)
        carer = Carer(
            unit=team,
            number=number,
            birth_year=person.birth_year,
            gender=person.gender,
            language=LANGUAGES(rng),
            relation=person.relation,
            target_group=person.target_group,
            close_person_has_municipal_contact=MUNICIPAL_CONTACT(rng),
            care_hours=CARE_HOURS(rng),
            under_18=person.under_18,
            first_contact_channel=CHANNELS(rng),
            support_contact=consultant,
        )
        if rng.random() < 0.86:  # as in the demo, most carers give their name
            names = demo.SWEDISH_NAMES
            carer.first_name = rng.choice(names.women if person.gender == "woman" else names.men)
            carer.last_name = rng.choice(names.surnames)
            if rng.random() < 0.85:
                carer.phone = f"{demo.FICTION_MOBILE_PREFIX}{rng.randint(5, 99):02d}"
        talk_days: list[dt.date] = []
        day = self.random_day()
        for index in range(TALKS_PER_CARER(rng)):
            if index:
                day += dt.timedelta(days=DAYS_BETWEEN_TALKS(rng) + rng.randint(-3, 3))
            if day > self.last_day:
                break
            first = index == 0
            talk_day = self.workday(day)
            self.talk(
                team=team,
                kind=kinds["individual_talk"],
                day=talk_day,
                carer=carer,
                person=person,
                consultant=consultant if rng.random() < 0.9 else rng.choice(consultants),
                mode=ADVICE_MODES(rng),
                talk_type=(FIRST_TYPES if first else LATER_TYPES)(rng),
                initiator=(FIRST_INITIATORS if first else LATER_INITIATORS)(rng),
                informed=(INFORMED_FIRST if first else INFORMED_LATER)(rng),
                partners=partners,
            )
            talk_days.append(talk_day)
        planned = len(talk_days)
        series_chance = SERIES_CHANCE * (4 if person.target_group in demo.SERIES_TARGETS else 1)
        if talk_days and carer.has_identity and not person.under_18 and rng.random() < series_chance:
            start = talk_days[0] + dt.timedelta(days=rng.randint(7, 45))
            sessions, spacing = rng.randint(5, 8), 7 if rng.random() < 0.7 else 14
            for session in range(1, sessions + 1):
                series_day = self.workday(start + dt.timedelta(days=spacing * (session - 1)))
                if series_day > self.last_day:
                    break
                # Under the nämnd's decision a talk series is recorded without the carer.
                exempt = exemption is not None and series_day >= exemption.valid_from
                talk = self.talk(
                    team=team,
                    kind=kinds["talk_series"],
                    day=series_day,
                    carer=None if exempt else carer,
                    exemption=exemption if exempt else None,
                    person=person,
                    consultant=consultant,
                    mode=SERIES_MODES(rng),
                    talk_type=TalkType.ACQUAINTANCE if session == 1 else SERIES_TYPES(rng),
                    initiator=Initiator.CARER if session > 1 else FIRST_INITIATORS(rng),
                    informed=(INFORMED_FIRST if session == 1 else INFORMED_LATER)(rng),
                    partners=partners,
                )
                planned += 1
                if not exempt:
                    talk_days.append(series_day)
                    end = talk.started_at + dt.timedelta(minutes=talk.duration_minutes)
                    self.writer.notes.append(
                        JournalNote(
                            carer=carer,
                            talk=talk,
                            author=consultant,
                            text=f"Samtal {session} av {sessions} i samtalsserien. "
                            + rng.choice(demo.SERIES_NOTE_TEXTS),
                            signed_at=end + dt.timedelta(minutes=rng.randint(20, 240)),
                        )
                    )
        if not talk_days:
            # Every talk of the carer fell under the exemption or after yesterday: no record.
            return planned
        talk_days.sort()
        last = talk_days[-1]
        carer.last_entry_at = dt.datetime(last.year, last.month, last.day, 17, tzinfo=self.tz)
        if last <= self.last_day - dt.timedelta(days=45) and rng.random() < 0.12:
            carer.status = Carer.Status.CLOSED
            carer.closed_on = min(last + dt.timedelta(days=rng.randint(7, 40)), self.last_day)
            carer.close_reason = CLOSE_REASONS(rng)
        self.writer.carers.append(carer)
        self.casework(carer, person, talk_days, consultant, partners)
        return planned

    def talk(
        self,
        *,
        team: Unit,
        kind: SupportKind,
        day: dt.date,
        carer: Carer | None,
        person: Any,
        consultant: User,
        mode: str,
        talk_type: str,
        initiator: str,
        informed: str,
        partners: list[Partner],
        exemption: ExemptionDecision | None = None,
    ) -> Talk:
        rng = self.rng
        started_at = self.moment(day)
        identified = carer is not None
        partner = None
        if partners and rng.random() < (0.55 if talk_type == TalkType.REFERRAL else 0.05):
            partner = rng.choice(partners)
        if talk_type == TalkType.PLANNING and rng.random() < 0.45:
            material = "COAT"
        else:
            material = "Samtalsguide för anhörigsamtal" if rng.random() < 0.03 else ""
        talk = Talk(
            unit=team,
            consultant=consultant,
            support_kind=kind,
            carer=carer,
            exemption=exemption,
            started_at=started_at,
            duration_minutes=rng.choice(demo.DURATIONS[mode]),
            mode=mode,
            talk_type=talk_type,
            initiator=initiator,
            structured_material=material,
            time_of_day=policy.time_of_day(started_at),
            informed_right_to_apply=informed,
            asked_about_children=ASKED_ABOUT_CHILDREN(rng),
            referral_partner=partner,
            follow_up_on=day + dt.timedelta(days=rng.randint(14, 42)) if identified and rng.random() < 0.3 else None,
            next_step=rng.choice(demo.NEXT_STEPS) if identified and rng.random() < 0.35 else "",
            bring_up_next_time=rng.choice(demo.BRING_UP_NEXT_TIME) if identified and rng.random() < 0.2 else "",
            age_band=age_band(person.birth_year, on=day),
            gender=person.gender,
            target_group=person.target_group,
        )
        if talk.target_group in (TargetGroup.BEREAVED, TargetGroup.END_OF_LIFE) and rng.random() < 0.6:
            focus = [TalkFocus.BEREAVEMENT.value]
        else:
            focus = [demo.FOCUS_FOR_TYPE[talk_type]]
        for _ in range(FOCUS_COUNT(rng) - 1):
            focus.append(EXTRA_FOCUS(rng))
        self.writer.talks.append((talk, list(dict.fromkeys(focus))))
        if partner is not None:
            self.writer.referrals.append(
                Referral(
                    carer=carer,
                    talk=talk,
                    unit=team,
                    partner=partner,
                    referred_on=day,
                    respite=partner.offers_respite,
                    recorded_by=consultant,
                )
            )
        return talk

    def casework(
        self, carer: Carer, person: Any, talk_days: list[dt.date], consultant: User, partners: list[Partner]
    ) -> None:
        """Respite, consents, a support plan and SOC-13 measurements for some carers."""
        rng = self.rng
        writer = self.writer
        heavy = carer.care_hours in (CareHours.H11_20, CareHours.OVER_20) or person.target_group in (
            TargetGroup.DEMENTIA,
            TargetGroup.ELDERLY,
            TargetGroup.DISABILITY,
        )
        respite_partners = [partner for partner in partners if partner.offers_respite]
        if heavy and respite_partners and rng.random() < RESPITE_SHARE:
            day = talk_days[0] + dt.timedelta(days=rng.randint(14, 60))
            for _ in range(rng.randint(1, 6)):
                if day > self.last_day:
                    break
                writer.respite.append(
                    RespiteGrant(
                        carer=carer,
                        given_on=day,
                        hours=Decimal(rng.choice(("2", "3", "4", "6", "8", "12", "16", "3.5"))),
                        provider=rng.choice(respite_partners),
                        recorded_by=consultant,
                    )
                )
                day += dt.timedelta(days=rng.randint(21, 40))
        if carer.has_identity and rng.random() < CONSENT_SHARE:
            given_on = rng.choice(talk_days)
            writer.consents.append(
                Consent(
                    carer=carer,
                    to_whom=rng.choice(("Vårdcentralen", "Biståndshandläggare", "Hemtjänsten")),
                    scope=demo.CONSENTS[0][1],
                    given_on=given_on,
                    recorded_by=consultant,
                )
            )
        if len(talk_days) >= 2 and rng.random() < PLAN_SHARE:
            for area in rng.sample(list(demo.PLAN_ITEMS), rng.randint(1, 3)):
                goal, actions = rng.choice(demo.PLAN_ITEMS[area])
                writer.plan_items.append(
                    SupportPlanItem(
                        carer=carer,
                        area=area,
                        goal=goal,
                        actions=actions,
                        follow_up_on=talk_days[1] + dt.timedelta(days=rng.randint(30, 120)),
                    )
                )
        if len(talk_days) >= 3 and rng.random() < MEASURED_SHARE:
            base = rng.randint(3, 5)
            self.measurement(carer, consultant, Measurement.Occasion.BEFORE, talk_days[0], base)
            if talk_days[-1] - talk_days[0] >= dt.timedelta(days=42) and rng.random() < MEASURED_AFTER_SHARE:
                self.measurement(carer, consultant, Measurement.Occasion.AFTER, talk_days[-1], base + 1)

    def measurement(self, carer: Carer, consultant: User, occasion: str, day: dt.date, base: int) -> None:
        rng = self.rng
        measurement = Measurement(
            carer=carer,
            instrument_id=self.items[0].instrument_id,
            occasion=occasion,
            measured_on=day,
            recorded_by=consultant,
        )
        answers = [(item, min(7, max(1, base + rng.randint(-2, 2)))) for item in self.items]
        # The total the service stores when it records the answers (measurement_record), by
        # the same rule: bulk_create bypasses the service, and the follow-up reads the total.
        given = {item.number: value for item, value in answers}
        measurement.total = score_items(instrument=self.items[0].instrument, items=self.items, answers=given).total
        self.writer.measurements.append((measurement, answers))
