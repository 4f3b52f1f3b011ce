"""The legal pages a municipality must publish (issue 12): the privacy notice (GDPR
art. 13), per municipality and edited by its administrators, linked from every public
form; the accessibility statement (DOS-lagen), linked from every page's footer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from django.test import Client, override_settings

from anhorigstod.audit.models import AccessLog
from anhorigstod.legal.models import PrivacyNotice
from tests.conftest import Org
from tests.groups.conftest import (  # noqa: F401  (fixtures)
    activity_application,
    activity_booking,
    make_session,
    session_soon,
)
from tests.test_site import ACCESS_MATRIX, matrix_urls

PRIVACY_INDEX = "/personuppgifter/"
NOTICE_A = "/kommun/9901/personuppgifter/"
STATEMENT = "/tillganglighet/"
EDIT_A = "/installningar/personuppgifter/9901/"


def visible_text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


def in_language(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client


# --- The pages, for anyone ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "h1", "facts"),
    [
        (
            "sv",
            "Så behandlar Ängsviks kommun dina personuppgifter",
            ["personuppgiftsansvarig", "Dataskyddsombud", "Integritetsskyddsmyndigheten", "7 år efter"],
        ),
        (
            "en",
            "How Ängsviks kommun processes your personal data",
            ["controller", "Data protection officer", "Integritetsskyddsmyndigheten", "7 years after"],
        ),
    ],
)
def test_the_privacy_notice_is_public_in_swedish_and_english(
    client: Client, org: Org, language: str, h1: str, facts: list[str]
) -> None:
    municipality = org.unit_a.municipality
    municipality.retention_years = 7  # the municipality's dokumenthanteringsplan, not the default 5
    municipality.save()
    response = in_language(client, language).get(NOTICE_A)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert re.findall(r"<h1>(.*?)</h1>", html) == [h1]
    text = visible_text(html)
    for fact in facts:
        assert fact in text, fact
    assert 'href="https://www.imy.se/"' in html


@pytest.mark.parametrize(
    ("language", "h1", "facts"),
    [
        ("sv", "Tillgänglighetsredogörelse", ["delvis förenlig", "axe-core", "Digg", "30 november 2026"]),
        ("en", "Accessibility statement", ["partly compliant", "axe-core", "Digg", "30 November 2026"]),
    ],
)
@override_settings(
    ANHORIGSTOD_ACCESSIBILITY_ORGANISATION="Ängsviks kommun",
    ANHORIGSTOD_ACCESSIBILITY_EMAIL="tillganglighet@angsvik.example",
    ANHORIGSTOD_ACCESSIBILITY_ASSESSED_ON=dt.date(2026, 11, 30),
)
def test_the_accessibility_statement_is_public_in_swedish_and_english(
    client: Client, db: None, language: str, h1: str, facts: list[str]
) -> None:
    response = in_language(client, language).get(STATEMENT)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert re.findall(r"<h1>(.*?)</h1>", html) == [h1]
    text = visible_text(html)
    for fact in [*facts, "Ängsviks kommun"]:
        assert fact in text, fact
    assert 'href="mailto:tillganglighet@angsvik.example"' in html
    assert 'href="https://www.digg.se/tdosanmalan"' in html


def test_without_an_installation_contact_the_statement_names_the_municipalities(client: Client, org: Org) -> None:
    municipality = org.unit_a.municipality
    municipality.public_email = "anhorigstod@angsvik.example"
    municipality.save()
    html = client.get(STATEMENT).content.decode()
    assert 'href="mailto:anhorigstod@angsvik.example"' in html


def test_the_footer_link_chooses_a_municipality_or_shows_the_only_one(client: Client, org: Org) -> None:
    html = client.get(PRIVACY_INDEX).content.decode()
    assert f'href="{NOTICE_A}"' in html
    assert 'href="/kommun/9902/personuppgifter/"' in html
    org.unit_b.delete()
    org.unit_b.municipality.delete()
    only = client.get(PRIVACY_INDEX).content.decode()
    assert "Så behandlar Ängsviks kommun dina personuppgifter" in only


def test_an_unknown_municipality_has_no_notice(client: Client, org: Org) -> None:
    assert client.get("/kommun/0000/personuppgifter/").status_code == 404


# --- Linked from every page -----------------------------------------------------------


def _pages(persona: str, client: Client, request: pytest.FixtureRequest) -> list[tuple[str, str]]:
    """Every URL of the access matrix that answers this persona with an HTML page."""
    values = matrix_urls(request)
    pages = []
    for _route, (url, expected) in ACCESS_MATRIX.items():
        if expected[persona] != 200:
            continue
        url = url.format(**values)
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("text/html"):
            pages.append((url, response.content.decode()))
    return pages


def test_every_public_page_links_the_privacy_notice_and_the_accessibility_statement(
    client: Client, org: Org, request: pytest.FixtureRequest
) -> None:
    pages = _pages("anonymous", client, request)
    assert len(pages) >= 15  # the public calendar, booking, forms, sign-in pages …
    missing = [
        url
        for url, html in pages
        if f'href="{PRIVACY_INDEX}"' not in footer(html) or f'href="{STATEMENT}"' not in footer(html)
    ]
    assert not missing, f"Public pages without the legal links in the footer: {missing}"


@pytest.mark.parametrize("persona", ["consultant_a", "manager_a", "admin_a"])
def test_every_staff_page_has_the_accessibility_statement_in_its_footer(
    persona: str, login_as: Any, org: Org, request: pytest.FixtureRequest
) -> None:
    pages = _pages(persona, login_as(persona), request)
    assert len(pages) >= 10
    missing = [url for url, html in pages if f'href="{STATEMENT}"' not in footer(html)]
    assert not missing, f"{persona}: pages without the accessibility statement in the footer: {missing}"


def test_every_public_form_links_its_municipality_s_notice(
    client: Client,
    org: Org,
    session_soon: Any,  # noqa: F811
    activity_application: Any,  # noqa: F811
) -> None:
    """GDPR art. 13: told where the data is collected, next to the form, about the
    municipality that receives it (the footer's link is general)."""
    forms = {
        "booking": f"/kalender/tillfalle/{session_soon.code}/boka/",
        "interest": f"/kalender/{activity_application.code}/intresse/",
        "be contacted": "/kontakt/norra/",
        "evaluation": f"/utvardering/{session_soon.activity.evaluation_token}/",
    }
    for name, url in forms.items():
        html = client.get(url).content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        assert "<form" in main, name
        after_form = main[main.rindex("</form>") :]
        assert f'href="{NOTICE_A}"' in after_form, f"{name}: no link to the notice after the form"
    signup = client.get("/konto/signup/").content.decode()
    main = signup[signup.index("<main") : signup.index("</main>")]
    assert f'href="{PRIVACY_INDEX}"' in main[main.index("<form") :]


# --- The administrator's page ---------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("consultant_a", 403), ("manager_a", 403), ("carer", 403), ("consultant_b", 403)]
)
def test_only_administrators_edit_the_notice(persona: str, status: int, login_as: Any, org: Org) -> None:
    client = login_as(persona)
    assert client.get(EDIT_A).status_code == status
    assert client.post(EDIT_A, {"text": "Ändrad"}).status_code == status
    assert not PrivacyNotice.objects.exists()


def test_an_administrator_cannot_edit_another_municipality_s_notice(login_as: Any, admin_a: Any, org: Org) -> None:
    client = login_as("admin_a")
    assert client.get("/installningar/personuppgifter/9902/").status_code == 404
    assert client.post("/installningar/personuppgifter/9902/", {"text": "Ändrad"}).status_code == 404
    assert not PrivacyNotice.objects.exists()


def test_the_administrator_fills_in_the_notice_and_it_is_published_and_logged(
    login_as: Any, admin_a: Any, org: Org, client: Client
) -> None:
    staff = login_as("admin_a")
    page = staff.get(EDIT_A).content.decode()
    assert "Publicerad nu: standardtexten" in page  # the preview of the default text
    assert not AccessLog.objects.exists()  # nothing stored yet, nothing read

    response = staff.post(
        EDIT_A,
        {
            "controller": "Socialnämnden i Ängsviks kommun",
            "controller_contact": "Box 1, 999 99 Ängsvik",
            "dpo_email": "dataskyddsombud@angsvik.example",
            "dpo_phone": "0123-456 78",
            "text": "",
        },
    )
    assert response.status_code == 302
    notice = PrivacyNotice.objects.get(municipality=org.unit_a.municipality)
    assert notice.controller == "Socialnämnden i Ängsviks kommun"
    assert notice.dpo_email == "dataskyddsombud@angsvik.example"
    assert notice.updated_by == admin_a
    created = AccessLog.objects.get()
    assert (created.actor, created.action, created.record_type, created.record_code) == (
        admin_a,
        AccessLog.Action.CREATE,
        "legal.privacynotice",
        str(notice.pk),
    )
    assert created.via == "legal:privacy_admin_edit"

    public = client.get(NOTICE_A).content.decode()
    text = visible_text(public)
    assert "Socialnämnden i Ängsviks kommun är personuppgiftsansvarig" in text
    assert 'href="mailto:dataskyddsombud@angsvik.example"' in public

    # Opening the page again is a read; the municipality's own text replaces the default.
    staff.get(EDIT_A)
    staff.post(
        EDIT_A,
        {
            "controller": "Socialnämnden i Ängsviks kommun",
            "text": "Vi behandlar dina uppgifter varsamt.\n\n<script>alert(1)</script> Fråga oss.",
        },
    )
    actions = list(AccessLog.objects.order_by("id").values_list("action", flat=True))
    assert actions == [AccessLog.Action.CREATE, AccessLog.Action.VIEW, AccessLog.Action.UPDATE]
    public = client.get(NOTICE_A).content.decode()
    assert "<p>Vi behandlar dina uppgifter varsamt.</p>" in public
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Fråga oss." in public
    assert "<script>alert(1)" not in public
    assert "Vad vi behandlar" not in public  # the default's headings are gone


def test_a_bad_address_is_refused_in_swedish_and_keeps_what_was_typed(login_as: Any, admin_a: Any, org: Org) -> None:
    response = login_as("admin_a").post(
        EDIT_A, {"controller": "Socialnämnden i Ängsviks kommun", "dpo_email": "inte-en-adress", "text": "Egen text"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fyll i en giltig e-postadress." in html
    assert 'value="Socialnämnden i Ängsviks kommun"' in html
    assert re.search(r">\s*Egen text</textarea>", html)
    assert not PrivacyNotice.objects.exists()
    assert not AccessLog.objects.exists()


def test_the_staff_menu_shows_the_page_to_administrators_only(login_as: Any, admin_a: Any, manager_a: Any) -> None:
    assert 'href="/installningar/personuppgifter/"' in login_as("admin_a").get("/idag/").content.decode()
    assert 'href="/installningar/personuppgifter/"' not in login_as("manager_a").get("/idag/").content.decode()


def test_an_administrator_of_two_municipalities_chooses_one(login_as: Any, admin_a: Any, org: Org) -> None:
    from anhorigstod.accounts.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(user=admin_a, unit=org.unit_b, role=Role.ADMIN)
    PrivacyNotice.objects.create(municipality=org.unit_b.municipality, text="Sjöhagas egen text", updated_by=admin_a)
    client = login_as("admin_a")
    response = client.get("/installningar/personuppgifter/")
    assert response.status_code == 200
    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.S)[1:]
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    by_name = {cell.split(" kommun ")[0]: cell for cell in cells}
    assert set(by_name) == {"Sjöhaga", "Ängsviks"}
    assert by_name["Sjöhaga"].startswith("Sjöhaga kommun Kommunens egen text")
    assert by_name["Sjöhaga"].endswith("(Alva Admin)")
    assert by_name["Ängsviks"] == "Ängsviks kommun Standardtexten –"
    assert client.get("/installningar/personuppgifter/9902/").status_code == 200
