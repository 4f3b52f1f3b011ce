"""Site-wide: the platform knows nothing above it (STYLE: anhorigstod <- contacts <- groups
<- followup). Upper apps register what they add to platform pages in their ready()
(anhorigstod/extensions.py, anhorigstod/privacy/registry.py); the platform's code and
templates never name them. The project wiring (settings.py, urls.py) is the exception."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client

from tests.conftest import Org

ROOT = Path(__file__).resolve().parent.parent
UPPER_APPS = ("contacts", "groups", "followup")
# URL namespaces of the upper apps.
UPPER_NAMESPACES = ("contacts", "groups", "followup")
WIRING = {"settings.py", "urls.py"}
PLATFORM_TEMPLATES = ("core", "includes", "accounts", "audit", "allauth", "legal", "account")

IMPORT = re.compile(rf"^\s*(from|import)\s+({'|'.join(UPPER_APPS)})\b", re.MULTILINE)
URL_NAME = re.compile(rf"""["']({"|".join(UPPER_NAMESPACES)}):[a-z_]+["']""")
TEMPLATE_PATH = re.compile(rf"""["']({"|".join(UPPER_APPS)})/""")


def platform_modules() -> list[Path]:
    return [
        path
        for path in (ROOT / "anhorigstod").rglob("*.py")
        if "migrations" not in path.parts and not (path.parent.name == "anhorigstod" and path.name in WIRING)
    ]


def platform_templates() -> list[Path]:
    templates = ROOT / "templates"
    found = [path for folder in PLATFORM_TEMPLATES for path in (templates / folder).rglob("*.html")]
    return found + list(templates.glob("*.html"))


def test_platform_code_names_no_upper_app() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for path in platform_modules()
        for pattern in (IMPORT, URL_NAME, TEMPLATE_PATH)
        for match in pattern.finditer(path.read_text())
    ]
    assert not offenders, "The platform names an app above it: " + "; ".join(offenders)


def test_platform_templates_name_no_upper_app() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in platform_templates()
        for pattern in (URL_NAME, TEMPLATE_PATH)
        for match in pattern.finditer(path.read_text())
    ]
    assert not offenders, "A platform template names an app above it: " + "; ".join(offenders)


def test_the_check_finds_an_upward_reference() -> None:
    """The negative control."""
    assert IMPORT.search("from groups.models import Booking")
    assert URL_NAME.search("reverse('groups:activity_list')")
    assert URL_NAME.search("{% url 'contacts:carer_list' %}")
    assert not IMPORT.search("from anhorigstod.extensions import extensions")


def test_the_apps_menu_items_reach_the_staff_menu_in_their_order(client: Client, login_as, org: Org) -> None:  # type: ignore[no-untyped-def]
    page = login_as("manager_a").get("/idag/").content.decode()
    menu = page[page.index('<nav class="main-nav"') : page.index("</nav>")]
    hrefs = re.findall(r'<a href="([^"]+)"', menu)
    assert hrefs == [
        "/idag/",
        "/samtal/nytt/",
        "/anhoriga/",
        "/samtal/",
        "/aktiviteter/",
        "/inkorg/",
        "/vagvisare/",
        "/uppfoljning/",
        "/uppfoljning/rapporter/",
        "/uppfoljning/nationell-export/",
        "/uppfoljning/min-arbetsbelastning/",
        "/dokumentation/",
        "/katalog/",
        "/uppfoljning/sjalvskattning/",
        "/loggkontroll/",
        "/konto/2fa/",
    ], "the manager's items, in the order the apps give them; not the administrator's"


def test_the_public_menu_and_the_unit_links_come_from_the_apps(client: Client, login_as, org: Org) -> None:  # type: ignore[no-untyped-def]
    org.unit_a.public_phone = "0240-860 00"
    org.unit_a.save()
    page = client.get("/kommun/9901/").content.decode()
    assert 'href="/kalender/"' in page
    assert 'href="/mina-sidor/"' not in page, "My pages only when signed in"
    assert 'href="/kontakt/norra/"' in page
    signed_in = login_as("carer")
    assert 'href="/mina-sidor/"' in signed_in.get("/kommun/9901/").content.decode()
