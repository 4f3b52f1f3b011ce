"""The benchmark's group activities (the groups app): in the first teams of each
municipality a drop-in café and a bookable course, their sessions over the years and a few
weeks ahead, and the bookings of the course sessions."""

from __future__ import annotations

import datetime as dt

from anhorigstod.accounts.models import Unit, User
from bench.casework import Planner
from contacts.models import SupportKind
from groups.models import Activity, ActivityKind, Booking, PreventionLevel, Purpose, RegistrationMode, Session

UPCOMING_SHARE = 0.05  # sessions still to come (the public calendar shows them)


def plan_activities(
    planner: Planner, *, teams: list[tuple[Unit, list[User]]], kinds: dict[str, SupportKind], n_sessions: int
) -> None:
    """A drop-in café and a bookable course in the first teams, with ``n_sessions`` sessions."""
    rng = planner.rng
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
    planner.writer.activities.extend(activities)
    for _ in range(n_sessions if activities else 0):
        activity = rng.choice(activities)
        upcoming = rng.random() < UPCOMING_SHARE
        day = planner.today + dt.timedelta(days=rng.randint(1, 42)) if upcoming else planner.random_day()
        starts_at = dt.datetime(day.year, day.month, day.day, rng.choice((13, 15, 18)), tzinfo=planner.tz)
        drop_in = activity.registration_mode == RegistrationMode.DROP_IN
        session = Session(
            activity=activity,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            head_count=None if upcoming or not drop_in else rng.randint(3, 15),
            respite_arranged=0 if upcoming or rng.random() < 0.8 else rng.randint(1, 3),
        )
        planner.writer.sessions.append(session)
        if drop_in:
            continue
        for n in range(rng.randint(6, 12)):
            planner.writer.bookings.append(
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
