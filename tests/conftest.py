"""The cast every test can call on, as healthchecks has Alice, Bob and Charlie.

- ``consultant_a``: Karin, carer consultant in unit A ("Anhörigstöd Norra").
- ``manager_a``: Maria, manager of the administration above units A and A2, so she
  reaches both.
- ``admin_a``: Alva, the municipality's system administrator (organisation, not cases).
- ``consultant_b``: Bertil, carer consultant in unit B of another municipality; he must
  never see anything of unit A.
- ``carer``: Cecilia, a carer with an account (no memberships, so not staff).
- an anonymous visitor is simply the unauthenticated ``client``.

Staff personas have a TOTP authenticator (secret ``TOTP_SECRET``), as production
requires; ``staff_without_mfa`` has none.

Services: with ``DATABASE_URL`` / ``REDIS_URL`` set, the suite runs on PostgreSQL and
Redis; tests marked ``postgres`` or ``redis`` are skipped without them, except when
``CI=true``, where a missing service fails the run.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from django.conf import settings
from django.db import connection

from anhorigstod.accounts.models import Role, Unit, User
from tests.factories import MembershipFactory, MunicipalityFactory, UnitFactory, UserFactory

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_sessionstart(session: pytest.Session) -> None:
    if IN_CI:
        missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
        if missing:
            pytest.exit(f"CI=true but {', '.join(missing)} is not set: the suite must run on the real services", 3)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if IN_CI:
        return
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI fails instead of skipping)")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL (CI fails instead of skipping)")
    for item in items:
        if "postgres" in item.keywords and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _real_services_in_ci(request: pytest.FixtureRequest) -> None:
    if IN_CI and "postgres" in request.keywords and "django_db" in request.keywords:
        assert connection.vendor == "postgresql", "CI must run the PostgreSQL tests on PostgreSQL"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Each test starts with no attempts counted (the public forms' and sign-in's limits
    live in the cache, which outlives a test)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _swedish_to_begin_with() -> None:
    """Each test starts in Swedish, as a fresh request or task does; a test client request
    in English leaves English active in the thread otherwise."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class Org:
    unit_a: Unit
    unit_a2: Unit
    unit_b: Unit


@pytest.fixture
def org(db: None) -> Org:
    municipality = MunicipalityFactory(name="Ängsviks kommun", kommunkod="9901")
    administration = UnitFactory(
        municipality=municipality, name="Socialförvaltningen", code="sof", kind=Unit.Kind.ADMINISTRATION
    )
    unit_a = UnitFactory(municipality=municipality, parent=administration, name="Anhörigstöd Norra", code="norra")
    unit_a2 = UnitFactory(municipality=municipality, parent=administration, name="Anhörigstöd Södra", code="sodra")
    other = MunicipalityFactory(name="Sjöhaga kommun", kommunkod="9902")
    unit_b = UnitFactory(municipality=other, name="Anhörigstöd Sjöhaga", code="sjohaga")
    return Org(unit_a=unit_a, unit_a2=unit_a2, unit_b=unit_b)


def _staff(email: str, name: str, unit: Unit, role: str, *, mfa: bool = True) -> User:
    membership = MembershipFactory(user__email=email, user__full_name=name, unit=unit, role=role)
    if mfa:
        TOTP.activate(membership.user, TOTP_SECRET)
    return membership.user


@pytest.fixture
def consultant_a(org: Org) -> User:
    return _staff("karin@angsvik.example", "Karin Konsulent", org.unit_a, Role.CONSULTANT)


@pytest.fixture
def manager_a(org: Org) -> User:
    return _staff("maria@angsvik.example", "Maria Chef", org.unit_a.parent, Role.MANAGER)


@pytest.fixture
def admin_a(org: Org) -> User:
    return _staff("alva@angsvik.example", "Alva Admin", org.unit_a.parent, Role.ADMIN)


@pytest.fixture
def consultant_b(org: Org) -> User:
    return _staff("bertil@sjohaga.example", "Bertil Konsulent", org.unit_b, Role.CONSULTANT)


@pytest.fixture
def staff_without_mfa(org: Org) -> User:
    return _staff("nyanstalld@angsvik.example", "Nora Nyanställd", org.unit_a, Role.CONSULTANT, mfa=False)


@pytest.fixture
def carer(db: None) -> User:
    return UserFactory(email="cecilia@example.se", full_name="Cecilia Anhörig")


STAFF_PERSONAS = ("consultant_a", "manager_a", "admin_a", "consultant_b")
PERSONAS = ("anonymous", "carer", *STAFF_PERSONAS, "staff_without_mfa")


@pytest.fixture
def login_as(client, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """``login_as("manager_a")`` returns a client signed in as that persona (MFA done)."""

    def _login(persona: str):  # type: ignore[no-untyped-def]
        if persona == "anonymous":
            return client
        user = request.getfixturevalue(persona)
        client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return client

    return _login


# Fixed codes, so the access matrix can name records by literal URL.
CARER_A = "0a0a0a0a-0000-4000-8000-00000000000a"
TALK_A = "0a0a0a0a-0000-4000-8000-0000000000a1"
NOTE_A = "0a0a0a0a-0000-4000-8000-0000000000a2"
CARER_B = "0b0b0b0b-0000-4000-8000-00000000000b"


@dataclass
class Casework:
    carer_a: Any
    talk_a: Any
    note_a: Any
    carer_b: Any
    kinds: dict[str, Any]


@pytest.fixture
def casework(org: Org, consultant_a: User, consultant_b: User) -> Casework:
    """A carer with a talk and a signed note in unit A, and a carer in unit B."""
    from django.utils import timezone

    from contacts.models import Carer, JournalNote, SupportKind, Talk
    from contacts.policy import DEFAULT_SUPPORT_KINDS

    kinds = {}
    for municipality in (org.unit_a.municipality, org.unit_b.municipality):
        for code, name, tier, area, for_talks in DEFAULT_SUPPORT_KINDS:
            kind = SupportKind.objects.create(
                municipality=municipality, code=code, name=name, tier=tier, area=area, for_talks=for_talks
            )
            if municipality == org.unit_a.municipality:
                kinds[code] = kind
    now = timezone.now()
    carer_a = Carer.objects.create(
        code=CARER_A,
        unit=org.unit_a,
        number=1,
        first_name="Gunnel",
        last_name="Testsson",
        personnummer="198501012390",
        birth_year=1985,
        gender="woman",
        target_group="dementia",
        support_contact=consultant_a,
        last_entry_at=now,
    )
    talk_a = Talk.objects.create(
        code=TALK_A,
        unit=org.unit_a,
        consultant=consultant_a,
        support_kind=kinds["talk_series"],
        carer=carer_a,
        started_at=now - dt.timedelta(days=1),
        duration_minutes=45,
        mode="office",
        talk_type="advice",
        initiator="carer",
        time_of_day="daytime",
        informed_right_to_apply="yes",
        asked_about_children="yes",
    )
    note_a = JournalNote.objects.create(
        code=NOTE_A, carer=carer_a, talk=talk_a, author=consultant_a, text="Samtal om oro.", signed_at=now
    )
    carer_b = Carer.objects.create(code=CARER_B, unit=org.unit_b, number=1, first_name="Bo", last_entry_at=now)
    # Written past the services: count the follow-up afresh, as the nightly check does.
    from anhorigstod.rollups.services import rollups_rebuild

    rollups_rebuild()
    return Casework(carer_a=carer_a, talk_a=talk_a, note_a=note_a, carer_b=carer_b, kinds=kinds)
