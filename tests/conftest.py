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

import os
from dataclasses import dataclass

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
