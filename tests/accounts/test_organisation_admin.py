"""The organisation pages: an administrator keeps the municipality's settings and its unit
tree; nobody else may, and another municipality's are a 404. Every change is access-logged."""

from __future__ import annotations

import re

import pytest

from anhorigstod.accounts.models import Municipality, Unit
from anhorigstod.audit.models import AccessLog

MUNICIPALITY_FORM = {
    "name": "Ängsviks kommun",
    "public_intro": "Välkommen",
    "public_phone": "0123-456 00",
    "public_email": "anhorigstod@angsvik.example",
    "retention_years": "7",
}


def logged(actor, action: str, record_type: str, record_code: str) -> bool:  # type: ignore[no-untyped-def]
    return AccessLog.objects.filter(
        actor=actor, action=action, record_type=record_type, record_code=record_code
    ).exists()


def test_the_organisation_page_shows_the_admins_municipality_as_a_tree(org, login_as) -> None:  # type: ignore[no-untyped-def]
    page = login_as("admin_a").get("/administration/").content.decode()
    assert "Ängsviks kommun (9901)" in page
    assert "Sjöhaga" not in page
    # Norra and Södra are listed inside Socialförvaltningen's item, in a nested list.
    assert re.search(
        r"<strong>Socialförvaltningen</strong>(?:(?!</li>).)*<ul class=\"unit-tree\">(?:(?!</li>).)*"
        r"<strong>Anhörigstöd Norra</strong>",
        page,
        re.S,
    )
    assert page.count('<ul class="unit-tree">') == 2
    assert 'href="/administration/enheter/norra/"' in page


def test_the_admin_menu_leads_to_the_organisation(org, login_as) -> None:  # type: ignore[no-untyped-def]
    page = login_as("admin_a").get("/idag/").content.decode()
    menu = page[page.index('<nav class="main-nav"') : page.index("</nav>")]
    assert 'href="/administration/"' in menu
    manager_menu = login_as("manager_a").get("/idag/").content.decode()
    assert 'href="/administration/"' not in manager_menu


@pytest.mark.parametrize("persona", ["consultant_a", "manager_a", "consultant_b"])
def test_no_one_but_an_administrator_changes_the_organisation(org, login_as, persona: str) -> None:  # type: ignore[no-untyped-def]
    client = login_as(persona)
    assert client.post("/administration/kommun/9901/", {**MUNICIPALITY_FORM, "name": "Kapad"}).status_code == 403
    assert client.post("/administration/enheter/norra/", {"name": "Kapad", "kind": "team"}).status_code == 403
    assert Municipality.objects.get(kommunkod="9901").name == "Ängsviks kommun"
    assert Unit.objects.get(code="norra").name == "Anhörigstöd Norra"


def test_another_municipality_is_a_404(org, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    assert client.get("/administration/kommun/9902/").status_code == 404
    assert client.post("/administration/kommun/9902/", {**MUNICIPALITY_FORM, "name": "Kapad"}).status_code == 404
    assert client.get("/administration/kommun/9902/enheter/ny/").status_code == 404
    assert client.post("/administration/enheter/sjohaga/", {"name": "Kapad", "kind": "team"}).status_code == 404
    assert Municipality.objects.get(kommunkod="9902").name == "Sjöhaga kommun"
    assert Unit.objects.get(code="sjohaga").name == "Anhörigstöd Sjöhaga"


def test_the_admin_changes_the_retention_time_and_it_is_logged(org, login_as, admin_a) -> None:  # type: ignore[no-untyped-def]
    response = login_as("admin_a").post("/administration/kommun/9901/", MUNICIPALITY_FORM)
    assert response.status_code == 302 and response["Location"] == "/administration/"
    municipality = Municipality.objects.get(kommunkod="9901")
    assert (municipality.retention_years, municipality.public_intro) == (7, "Välkommen")
    assert logged(admin_a, "update", "accounts.municipality", str(municipality.pk))


def test_a_retention_time_of_zero_is_refused_and_nothing_typed_is_lost(org, login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as("admin_a").post(
        "/administration/kommun/9901/", {**MUNICIPALITY_FORM, "retention_years": "0", "public_intro": "Ny text"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "större än eller lika med 1" in page
    assert "Ny text" in page
    assert Municipality.objects.get(kommunkod="9901").retention_years == 5


def test_saving_unchanged_settings_logs_nothing(org, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    client.post("/administration/kommun/9901/", MUNICIPALITY_FORM)
    count = AccessLog.objects.count()
    client.post("/administration/kommun/9901/", MUNICIPALITY_FORM)
    assert AccessLog.objects.count() == count


def test_the_admin_adds_a_unit_below_another(org, login_as, admin_a) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    form = client.get("/administration/kommun/9901/enheter/ny/?under=sof").content.decode()
    assert re.search(rf'<option value="{org.unit_a.parent.pk}" selected>Socialförvaltningen', form)
    response = client.post(
        "/administration/kommun/9901/enheter/ny/",
        {"name": "Anhörigstöd Väster", "code": "vaster", "kind": "team", "parent": org.unit_a.parent.pk},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="vaster")
    assert (unit.municipality.kommunkod, unit.parent, unit.kind) == ("9901", org.unit_a.parent, "team")
    assert logged(admin_a, "create", "accounts.unit", "vaster")
    # The administrator of the administration above it reaches the new unit at once.
    assert "<strong>Anhörigstöd Väster</strong>" in client.get("/administration/").content.decode()


def test_a_taken_unit_code_is_refused_with_the_form_kept(org, login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as("admin_a").post(
        "/administration/kommun/9901/enheter/ny/",
        {"name": "Anhörigstöd Väster", "code": "sjohaga", "kind": "team", "parent": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Anhörigstöd Väster"' in page
    assert "finns redan" in page
    assert not Unit.objects.filter(name="Anhörigstöd Väster").exists()


def test_the_admin_renames_and_moves_a_unit(org, login_as, admin_a) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    response = client.post(
        "/administration/enheter/norra/", {"name": "Anhörigstöd Nord", "kind": "team", "parent": org.unit_a2.pk}
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="norra")
    assert (unit.name, unit.parent) == ("Anhörigstöd Nord", org.unit_a2)
    assert logged(admin_a, "update", "accounts.unit", "norra")


def test_a_unit_cannot_be_moved_below_itself(org, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    page = client.get("/administration/enheter/sof/").content.decode()
    parent_select = page[page.index('name="parent"') : page.index("</select>", page.index('name="parent"'))]
    assert "Anhörigstöd Norra" not in parent_select and "Socialförvaltningen" not in parent_select
    response = client.post(
        "/administration/enheter/sof/",
        {"name": "Socialförvaltningen", "kind": "administration", "parent": org.unit_a.pk},
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert Unit.objects.get(code="sof").parent is None


def test_an_administrator_of_one_unit_keeps_only_that_part_of_the_tree(org, login_as, client) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    from anhorigstod.accounts.models import Role
    from tests.conftest import _staff

    # Åsa administers Anhörigstöd Södra only, not the municipality.
    client.force_login(
        _staff("asa@angsvik.example", "Åsa Enhetsadmin", org.unit_a2, Role.ADMIN),
        backend=settings.AUTHENTICATION_BACKENDS[0],
    )
    page = client.get("/administration/").content.decode()
    assert 'href="/administration/enheter/sodra/"' in page
    assert 'href="/administration/enheter/norra/"' not in page and 'href="/administration/kommun/9901/"' not in page
    assert client.get("/administration/kommun/9901/").status_code == 404
    assert client.post("/administration/enheter/norra/", {"name": "Kapad", "kind": "team"}).status_code == 404
    # Her own unit she renames; she cannot lift it to the top or below a unit she does not administer.
    sof = org.unit_a.parent
    response = client.post(
        "/administration/enheter/sodra/", {"name": "Anhörigstöd Syd", "kind": "team", "parent": sof.pk}
    )
    assert response.status_code == 302
    for parent in ("", org.unit_a.pk):
        response = client.post(
            "/administration/enheter/sodra/", {"name": "Anhörigstöd Syd", "kind": "team", "parent": parent}
        )
        assert response.status_code == 200
    # A unit below her own she may add, but not one at the top of the tree.
    response = client.post(
        "/administration/kommun/9901/enheter/ny/",
        {"name": "Södra team 2", "code": "sodra-2", "kind": "team", "parent": ""},
    )
    assert response.status_code == 200 and not Unit.objects.filter(code="sodra-2").exists()
    response = client.post(
        "/administration/kommun/9901/enheter/ny/",
        {"name": "Södra team 2", "code": "sodra-2", "kind": "team", "parent": org.unit_a2.pk},
    )
    assert response.status_code == 302
    unit_a2 = Unit.objects.get(code="sodra")
    assert (unit_a2.name, unit_a2.parent) == ("Anhörigstöd Syd", sof)
    assert Unit.objects.get(code="sodra-2").parent == unit_a2
    assert Municipality.objects.get(kommunkod="9901").name == "Ängsviks kommun"
