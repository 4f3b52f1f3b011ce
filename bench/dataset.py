"""The benchmark's dataset: many municipalities of very different sizes and years of casework.

Each municipality is a förvaltning (the top unit, where its manager and administrator sit)
with team units under it, each team with its consultants. Talks are spread over the
municipalities as their populations are (a Zipf curve: the largest has about one talk in
six, the smallest a few dozen) and over the days of ``years`` calendar years up to
yesterday, with weekdays, holidays and office hours as the demo has them.

The categories follow the demo's distributions (contacts/demo.py: who carers are, talk
types, modes, initiators, focus …), so the follow-up figures look like real ones; what the
demo does not model is labelled "assumption" here. About three talks in four are on an
identified carer, the rest anonymous; a third of the municipalities have a nämnd decision
that makes talk series anonymous from 1 January this year.

Everything is planned in memory per municipality and written with ``bulk_create``; the
buffers are flushed every few thousand talks, so memory stays flat whatever ``talks``.
Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Count, Model

from anhorigstod.accounts.models import Membership, Municipality, Role, Unit, User
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
    MeasurementAnswer,
    Partner,
    Referral,
    RespiteGrant,
    SupportKind,
    SupportPlanItem,
    Talk,
    TalkFocus,
    TalkFocusEntry,
    TalkType,
    TargetGroup,
)
from contacts.services import age_band
from groups.models import Activity, ActivityKind, Booking, PreventionLevel, Purpose, RegistrationMode, Session

T = TypeVar("T")

BATCH = 2000
# Flush the buffers when this many talks are planned: bounded memory, few round trips.
FLUSH_TALKS = 20_000

# Assumptions of the benchmark (the demo models one municipality, not a country).
IDENTIFIED_SHARE = 0.75  # talks on an identified carer; the rest are anonymous advice talks
SERIES_CHANCE = 0.05  # an adult carer with a name gets a talk series (× 4 in SERIES_TARGETS)
MEASURED_SHARE = 0.30  # carers in longer contact who answer SOC-13 before support …
MEASURED_AFTER_SHARE = 0.60  # … and of those, who answer it again after
RESPITE_SHARE = 0.15  # carers with heavy care who get respite (avlösning)
CONSENT_SHARE = 0.20
PLAN_SHARE = 0.18
EXEMPTION_EVERY = 3  # every third municipality, the largest among them, has an exemption decision
TALKS_PER_SESSION = 25  # group sessions: one for every 25 talks of the municipality
UPCOMING_SHARE = 0.05  # sessions still to come (the public calendar shows them)


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


@dataclass(frozen=True)
class Sizes:
    municipalities: int
    units: int  # per municipality, the förvaltning included
    staff: int  # consultants per team unit
    talks: int
    years: int
    seed: int


@dataclass
class Dataset:
    """What was built, and the people and records the benchmark looks at."""

    admin: User
    manager: User  # manager of the largest municipality's förvaltning: the whole municipality
    small_manager: User  # the same in the smallest municipality: does the query count grow?
    consultant: User  # a consultant of the largest municipality's busiest team
    municipality: Municipality
    top_unit: Unit
    small_top_unit: Unit
    team: Unit
    carer: Carer  # the consultant's carer with the most talks
    year: int  # the last full calendar year
    counts: Counter[str]
    seconds: float


@dataclass
class Writer:
    """Rows planned in memory, written in dependency order by :meth:`flush`."""

    counts: Counter[str]
    carers: list[Carer] = field(default_factory=list)
    talks: list[tuple[Talk, list[str]]] = field(default_factory=list)
    notes: list[JournalNote] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    respite: list[RespiteGrant] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    plan_items: list[SupportPlanItem] = field(default_factory=list)
    measurements: list[tuple[Measurement, list[tuple[InstrumentItem, int]]]] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)

    def _write(self, rows: Sequence[Model], key: str) -> None:
        if rows:
            type(rows[0])._default_manager.bulk_create(rows, batch_size=BATCH)
            self.counts[key] += len(rows)

    def flush(self) -> None:
        self._write(self.carers, "carers")
        self._write([talk for talk, _focus in self.talks], "talks")
        self._write(
            [TalkFocusEntry(talk=talk, focus=value) for talk, values in self.talks for value in values],
            "talk focus entries",
        )
        self._write(self.notes, "journal notes")
        self._write(self.referrals, "referrals")
        self._write(self.respite, "respite grants")
        self._write(self.consents, "consents")
        self._write(self.plan_items, "support plan items")
        self._write([measurement for measurement, _answers in self.measurements], "measurements")
        self._write(
            [
                MeasurementAnswer(measurement=measurement, item=item, value=value)
                for measurement, values in self.measurements
                for item, value in values
            ],
            "measurement answers",
        )
        self._write(self.activities, "activities")
        self._write(self.sessions, "group sessions")
        self._write(self.bookings, "bookings")
        for rows in vars(self).values():
            if isinstance(rows, list):
                rows.clear()


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

    # --- Group activities ----------------------------------------------------------

    def groups(self, *, teams: list[tuple[Unit, list[User]]], kinds: dict[str, SupportKind], n_sessions: int) -> None:
        """A drop-in café and a bookable course in the first teams, with ``n_sessions`` sessions."""
        rng = self.rng
        activities: list[Activity] = []
        for team, consultants in teams[:3]:
            activities.append(
                Activity(
                    unit=team,
                    title=f"Anhörigcafé {team.name}",
                    description="Kaffe och samtal med andra anhöriga. Ingen anmälan.",
                    kind=ActivityKind.CAFE,
                    support_kind=kinds["cafe"],
                    purpose=Purpose.SOCIAL,
                    prevention_level=PreventionLevel.SELECTIVE,
                    place="Träffpunkten",
                    registration_mode=RegistrationMode.DROP_IN,
                    created_by=consultants[0],
                )
            )
            activities.append(
                Activity(
                    unit=team,
                    title=f"Anhörigutbildning {team.name}",
                    description="Kurs för anhöriga: fem kvällar om demenssjukdom och om att orka själv.",
                    kind=ActivityKind.COURSE,
                    support_kind=kinds["course"],
                    purpose=Purpose.KNOWLEDGE,
                    prevention_level=PreventionLevel.SELECTIVE,
                    place="Stadshuset",
                    registration_mode=RegistrationMode.BOOKING,
                    capacity=12,
                    created_by=consultants[0],
                )
            )
        self.writer.activities.extend(activities)
        for _ in range(n_sessions if activities else 0):
            activity = rng.choice(activities)
            upcoming = rng.random() < UPCOMING_SHARE
            day = self.today + dt.timedelta(days=rng.randint(1, 42)) if upcoming else self.random_day()
            starts_at = dt.datetime(day.year, day.month, day.day, rng.choice((13, 15, 18)), tzinfo=self.tz)
            drop_in = activity.registration_mode == RegistrationMode.DROP_IN
            session = Session(
                activity=activity,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=2),
                head_count=None if upcoming or not drop_in else rng.randint(3, 15),
                respite_arranged=0 if upcoming or rng.random() < 0.8 else rng.randint(1, 3),
            )
            self.writer.sessions.append(session)
            if drop_in:
                continue
            for n in range(rng.randint(6, 12)):
                self.writer.bookings.append(
                    Booking(
                        session=session,
                        status=Booking.Status.CONFIRMED,
                        name=f"Deltagare {n + 1}",
                        email=f"deltagare{n + 1}@bench.example",
                        person_key=f"deltagare{n + 1}@bench.example",
                        confirmed_at=starts_at - dt.timedelta(days=rng.randint(2, 30)),
                        attended=None if upcoming else rng.random() < 0.85,
                        needs_respite=rng.random() < 0.1,
                    )
                )


def _shares(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, largest remainders first: the parts sum to ``total``."""
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    parts = [int(value) for value in exact]
    for index in sorted(range(len(exact)), key=lambda i: exact[i] - parts[i], reverse=True)[: total - sum(parts)]:
        parts[index] += 1
    return parts


def build(sizes: Sizes, *, today: dt.date, progress: Any = print) -> Dataset:
    """Build the dataset; ``today`` is the first day without talks."""
    started = time.perf_counter()
    if sizes.units < 2:
        raise ValueError("a municipality needs its förvaltning and at least one team unit")
    if sizes.years < 2:
        raise ValueError("the dashboard and the PDF are measured for last year: build at least two years")
    rng = random.Random(sizes.seed)
    counts: Counter[str] = Counter()
    writer = Writer(counts)
    first_day = dt.date(today.year - sizes.years + 1, 1, 1)
    last_day = today - dt.timedelta(days=1)

    # --- Organisation ---------------------------------------------------------------
    municipalities = Municipality.objects.bulk_create(
        Municipality(name=f"Kommun {n}", kommunkod=f"{n:04d}") for n in range(1, sizes.municipalities + 1)
    )
    tops = Unit.objects.bulk_create(
        Unit(municipality=m, name="Socialförvaltningen", kind=Unit.Kind.ADMINISTRATION, code=f"u-{m.kommunkod}-0")
        for m in municipalities
    )
    teams = Unit.objects.bulk_create(
        Unit(municipality=m, parent=top, name=f"Anhörigstöd {i}", kind=Unit.Kind.TEAM, code=f"u-{m.kommunkod}-{i}")
        for m, top in zip(municipalities, tops, strict=True)
        for i in range(1, sizes.units)
    )
    n_teams = sizes.units - 1
    n_staff = len(municipalities) * (2 + n_teams * sizes.staff)
    users = User.objects.bulk_create(
        User(email=f"staff{n}@bench.example", full_name=f"Personal {n}", password="!")  # noqa: S106
        for n in range(n_staff)
    )
    memberships: list[Membership] = []
    staff = iter(users)
    admins: list[User] = []
    managers: list[User] = []
    consultants_of: dict[int, list[User]] = {}
    for index, top in enumerate(tops):
        admins.append(next(staff))
        managers.append(next(staff))
        memberships.append(Membership(user=admins[-1], unit=top, role=Role.ADMIN))
        memberships.append(Membership(user=managers[-1], unit=top, role=Role.MANAGER))
        for team in teams[index * n_teams : (index + 1) * n_teams]:
            consultants_of[team.pk] = [next(staff) for _ in range(sizes.staff)]
            memberships.extend(Membership(user=u, unit=team, role=Role.CONSULTANT) for u in consultants_of[team.pk])
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    counts.update(municipalities=len(municipalities), units=len(tops) + len(teams), staff=len(users))

    kinds = SupportKind.objects.bulk_create(
        SupportKind(municipality=m, code=code, name=name, tier=tier, area=area, for_talks=for_talks)
        for m in municipalities
        for code, name, tier, area, for_talks in policy.DEFAULT_SUPPORT_KINDS
    )
    kinds_of: dict[int, dict[str, SupportKind]] = {}
    for kind in kinds:
        kinds_of.setdefault(kind.municipality_id, {})[kind.code] = kind
    partners = Partner.objects.bulk_create(
        (
            Partner(unit=team, name=name, organisation_type=kind, offers_respite=respite)
            for team in teams
            for name, kind, respite in (
                ("Vårdcentralen", Partner.OrganisationType.PRIMARY_CARE, False),
                ("Demensförbundet", Partner.OrganisationType.PATIENT_ASSOCIATION, False),
                ("Avlösarservice AB", Partner.OrganisationType.PRIVATE, True),
            )
        ),
        batch_size=BATCH,
    )
    partners_of: dict[int, list[Partner]] = {}
    for partner in partners:
        partners_of.setdefault(partner.unit_id, []).append(partner)
    exemption_from = dt.date(today.year, 1, 1)
    exemptions = ExemptionDecision.objects.bulk_create(
        ExemptionDecision(
            municipality=m,
            board="Socialnämnden",
            decided_on=exemption_from - dt.timedelta(days=20),
            reference=f"SN {today.year - 1}/{index + 1} § 12",
            valid_from=exemption_from,
            reason=ExemptionDecision.Reason.ANONYMITY,
            reason_text="Behovet av anonymitet utgör särskilda skäl i samtalsserier.",
            recorded_by=managers[index],
        )
        for index, m in enumerate(municipalities)
        if index % EXEMPTION_EVERY == 0
    )
    ExemptionDecision.kinds.through.objects.bulk_create(
        ExemptionDecision.kinds.through(
            exemptiondecision_id=decision.pk, supportkind_id=kinds_of[decision.municipality_id]["talk_series"].pk
        )
        for decision in exemptions
    )
    exemption_of = {decision.municipality_id: decision for decision in exemptions}
    counts.update(partners=len(partners), exemption_decisions=len(exemptions))
    progress(f"  organisation: {counts['units']} units, {len(users)} staff ({time.perf_counter() - started:.1f} s)")

    # --- Casework -----------------------------------------------------------------
    soc13 = InstrumentItem.objects.filter(instrument__code="soc13").select_related("instrument", "subscale")
    items = list(soc13.order_by("number"))
    planner = Planner(rng=rng, writer=writer, first_day=first_day, last_day=last_day, instrument_items=items)
    per_municipality = _shares(sizes.talks, [1 / rank for rank in range(1, len(municipalities) + 1)])
    for index, (municipality, n_talks) in enumerate(zip(municipalities, per_municipality, strict=True)):
        own_teams = teams[index * n_teams : (index + 1) * n_teams]
        per_team = _shares(n_talks, [rng.uniform(0.5, 1.5) for _ in own_teams])
        planner.municipality(
            teams=[
                (team, consultants_of[team.pk], partners_of[team.pk], n)
                for team, n in zip(own_teams, per_team, strict=True)
            ],
            kinds=kinds_of[municipality.pk],
            exemption=exemption_of.get(municipality.pk),
        )
        planner.groups(
            teams=[(team, consultants_of[team.pk]) for team in own_teams],
            kinds=kinds_of[municipality.pk],
            n_sessions=round(n_talks / TALKS_PER_SESSION),
        )
        if len(writer.talks) >= FLUSH_TALKS:
            writer.flush()
            progress(f"  casework: {counts['talks']:,} talks ({time.perf_counter() - started:.1f} s)")
    writer.flush()

    # --- The people and records the benchmark looks at -------------------------------
    municipality = municipalities[0]
    busiest = (
        Talk.objects.filter(unit__in=teams[:n_teams])
        .values_list("unit_id", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    team = next(unit for unit in teams[:n_teams] if unit.pk == busiest)
    consultant = max(consultants_of[team.pk], key=lambda user: Talk.objects.filter(consultant=user, unit=team).count())
    # The fullest record: journal notes and measurements where there are any, then the most talks.
    carers = Carer.objects.filter(unit=team).annotate(n=Count("talks")).order_by("-n", "pk")
    carer = (
        carers.filter(pk__in=JournalNote.objects.values("carer"))
        .filter(pk__in=Measurement.objects.values("carer"))
        .first()
    ) or carers.first()
    assert carer is not None
    return Dataset(
        admin=admins[0],
        manager=managers[0],
        small_manager=managers[-1],
        consultant=consultant,
        municipality=municipality,
        top_unit=tops[0],
        small_top_unit=tops[-1],
        team=team,
        carer=carer,
        year=today.year - 1,
        counts=counts,
        seconds=time.perf_counter() - started,
    )
