"""The benchmark's dataset: many municipalities of very different sizes and years of casework.

Each municipality is a förvaltning (the top unit, where its manager and administrator sit)
with team units under it, each team with its consultants. Talks are spread over the
municipalities as their populations are (a Zipf curve: the largest has about one talk in
six, the smallest a few dozen) and over the days of ``years`` calendar years up to
yesterday, with weekdays, holidays and office hours as the demo has them.

This module builds the organisation (municipalities, units, staff, kinds of support,
partners; a third of the municipalities have a nämnd decision that makes talk series
anonymous from 1 January this year), then plans each municipality's casework
(:mod:`bench.casework`, the contacts app's rows, after the demo's distributions) and group
activities (:mod:`bench.activities`), which :mod:`bench.writer` writes.

Everything is planned in memory per municipality and written with ``bulk_create``; the
buffers are flushed every few thousand talks, so memory stays flat whatever ``talks``.
Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from anhorigstod.accounts.models import Membership, Municipality, Role, Unit, User
from bench.activities import plan_activities
from bench.casework import Planner
from bench.writer import BATCH, Writer
from contacts import policy
from contacts.models import (
    Carer,
    ExemptionDecision,
    InstrumentItem,
    JournalNote,
    Measurement,
    Partner,
    SupportKind,
    Talk,
)

# The measured staff's TOTP key: a scratch database's test key.
MFA_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

# Flush the buffers when this many talks are planned: bounded memory, few round trips.
FLUSH_TALKS = 20_000

# Assumptions of the benchmark (the demo models one municipality, not a country).
EXEMPTION_EVERY = 3  # every third municipality, the largest among them, has an exemption decision
TALKS_PER_SESSION = 25  # group sessions: one for every 25 talks of the municipality


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
        plan_activities(
            planner,
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


def activate_mfa(data: Dataset) -> None:
    """Staff must have MFA, or every page redirects to its set-up: give the measured staff a TOTP key."""
    from allauth.mfa.totp.internal.auth import TOTP

    for user in (data.admin, data.manager, data.small_manager, data.consultant):
        TOTP.activate(user, MFA_SECRET)
