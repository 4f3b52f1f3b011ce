"""Activities and sessions for the groups tests (PRODUCT §6), on top of the cast in
``tests/conftest.py``. All activities belong to unit A ("Anhörigstöd Norra") and were
created by ``consultant_a`` (Karin); their kind of support comes from
``casework.kinds``, the municipality's default SupportKinds.

- ``activity_booking``: "Föreläsning om demens", a lecture booked first come, first
  served: ``registration_mode="booking"``, ``capacity=5``, place
  "Träffpunkten, Storgatan 1", support kind ``lecture`` (tier ``information``).
- ``session_soon``: a scheduled session of ``activity_booking`` starting in 3 days
  (rounded to the minute), 2 hours long, with no place of its own.
- ``activity_drop_in``: "Anhörigcafé", a café without registration
  (``registration_mode="drop_in"``, no capacity), support kind ``cafe``.
- ``activity_application``: "Stödgrupp för anhöriga till personer med demens", a closed
  group the consultant composes (``registration_mode="application"``, capacity 8),
  support kind ``support_group``.
- ``make_session``: ``make_session(activity, starts_in=timedelta(...), hours=2, **fields)``
  adds another session to any activity (a negative ``starts_in`` makes a past one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from django.utils import timezone

from anhorigstod.accounts.models import User
from groups.models import Activity, Session
from tests.conftest import Casework, Org

BOOKING_PLACE = "Träffpunkten, Storgatan 1"


def _activity(org: Org, consultant_a: User, **fields: Any) -> Activity:
    values: dict[str, Any] = {
        "unit": org.unit_a,
        "description": "Välkommen!",
        "purpose": "knowledge",
        "prevention_level": "universal",
        "place": BOOKING_PLACE,
        "created_by": consultant_a,
    }
    values.update(fields)
    return Activity.objects.create(**values)


@pytest.fixture
def activity_booking(org: Org, casework: Casework, consultant_a: User) -> Activity:
    return _activity(
        org,
        consultant_a,
        title="Föreläsning om demens",
        kind="lecture",
        support_kind=casework.kinds["lecture"],
        registration_mode="booking",
        capacity=5,
    )


@pytest.fixture
def activity_drop_in(org: Org, casework: Casework, consultant_a: User) -> Activity:
    return _activity(
        org,
        consultant_a,
        title="Anhörigcafé",
        kind="cafe",
        support_kind=casework.kinds["cafe"],
        purpose="social",
        registration_mode="drop_in",
        capacity=None,
    )


@pytest.fixture
def activity_application(org: Org, casework: Casework, consultant_a: User) -> Activity:
    return _activity(
        org,
        consultant_a,
        title="Stödgrupp för anhöriga till personer med demens",
        kind="support_group",
        support_kind=casework.kinds["support_group"],
        purpose="emotional",
        prevention_level="selective",
        registration_mode="application",
        capacity=8,
    )


@pytest.fixture
def make_session(db: None) -> Callable[..., Session]:
    def _make(
        activity: Activity, *, starts_in: dt.timedelta = dt.timedelta(days=3), hours: float = 2, **fields: Any
    ) -> Session:
        starts_at = (timezone.now() + starts_in).replace(second=0, microsecond=0)
        return Session.objects.create(
            activity=activity, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours), **fields
        )

    return _make


@pytest.fixture
def session_soon(activity_booking: Activity, make_session: Callable[..., Session]) -> Session:
    return make_session(activity_booking)
