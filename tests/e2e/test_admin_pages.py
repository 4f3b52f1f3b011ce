"""The municipality's administration in a real browser: the organisation, the municipality's
settings, the unit tree, kinds of support, partners and exemption decisions — 0 axe
violations, also with the errors of a refused form on the page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from django.utils import timezone

from anhorigstod.accounts.models import Municipality, Unit
from contacts.models import ExemptionDecision, Partner
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_contacts import _sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _visit(page: Any, url: str, name: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert page.locator("h1").count() == 1, url
    assert_accessible(page, name)


def test_an_administrator_keeps_the_organisation(  # type: ignore[no-untyped-def]
    page: Any, live_server: Any, casework: Any, admin_a: Any, org: Any
) -> None:
    partner = Partner.objects.create(unit=org.unit_a, name="Demensföreningen", organisation_type="carer_association")
    base = live_server.url
    _sign_in(page, base, admin_a.email)
    page.get_by_role("link", name="Organisation", exact=True).click()
    page.wait_for_url(f"{base}/administration/")
    assert_accessible(page, "admin-organisation")

    # The municipality's settings: a refused value keeps what was typed, then a good one saves.
    _visit(page, f"{base}/administration/kommun/9901/", "admin-municipality")
    page.get_by_label("År innan personuppgifter gallras").fill("0")
    page.get_by_role("button", name="Spara").click()
    assert page.get_by_text("större än eller lika med 1").is_visible()
    assert_accessible(page, "admin-municipality-error")
    page.get_by_label("År innan personuppgifter gallras").fill("7")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"{base}/administration/")
    assert Municipality.objects.get(kommunkod="9901").retention_years == 7

    # A new unit below the administration, from its "Add a unit below" link.
    page.get_by_role("link", name=re.compile(r"^Lägg till en enhet under\s*: Socialförvaltningen$")).click()
    assert_accessible(page, "admin-unit-create")
    page.get_by_label("Namn").fill("Anhörigstöd Väster")
    page.get_by_label("Kod").fill("vaster")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"{base}/administration/")
    assert Unit.objects.get(code="vaster").parent == org.unit_a.parent
    _visit(page, f"{base}/administration/enheter/vaster/", "admin-unit-edit")

    # Kinds of support and partners.
    _visit(page, f"{base}/dokumentation/", "admin-documentation-policy")
    _visit(page, f"{base}/dokumentation/stodform/ny/", "admin-kind-create")
    _visit(page, f"{base}/dokumentation/stodform/{casework.kinds['cafe'].pk}/andra/", "admin-kind-edit")
    _visit(page, f"{base}/vagvisare/", "admin-partners")
    page.get_by_role("button", name=re.compile(r"^Avveckla\s*: Demensföreningen$")).click()
    page.wait_for_url(f"{base}/vagvisare/")
    partner.refresh_from_db()
    assert partner.retired_on is not None
    assert_accessible(page, "admin-partners-retired")
    _visit(page, f"{base}/vagvisare/{partner.code}/andra/", "admin-partner-edit")


def test_a_manager_amends_and_ends_an_exemption_decision(  # type: ignore[no-untyped-def]
    page: Any, live_server: Any, casework: Any, manager_a: Any
) -> None:
    today = timezone.localdate()
    decision = ExemptionDecision.objects.create(
        municipality=casework.carer_a.unit.municipality,
        board="Socialnämnden",
        decided_on=today - dt.timedelta(days=40),
        reference="SN 2025/114 § 52",
        valid_from=today - dt.timedelta(days=30),
        valid_to=today + dt.timedelta(days=300),
        reason="low_threshold",
        reason_text="Låg tröskel.",
        recorded_by=manager_a,
    )
    decision.kinds.set([casework.kinds["talk_series"]])
    base = live_server.url
    _sign_in(page, base, manager_a.email)
    _visit(page, f"{base}/dokumentation/", "manager-documentation-with-decision")
    page.get_by_role("link", name=re.compile(r"^Ändra\s*: SN 2025\/114 § 52$")).click()
    assert_accessible(page, "manager-exemption-edit")
    _visit(page, f"{base}/dokumentation/undantag/{decision.code}/avsluta/", "manager-exemption-end")
    page.get_by_label("Sista dagen undantaget gäller").fill((today - dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Spara").click()
    assert_accessible(page, "manager-exemption-end-error")
    page.get_by_label("Sista dagen undantaget gäller").fill(today.isoformat())
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"{base}/dokumentation/")
    decision.refresh_from_db()
    assert decision.valid_to == today
