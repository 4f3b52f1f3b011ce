"""Site-wide checks: migrations, one <h1> per page, and the access matrix.

The access matrix has one row per URL pattern: the literal URL to request and the
status each persona gets. A URL pattern without a row fails the test, so a new page
cannot ship without its access rules being written down here.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest

from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import CARER_A, NOTE_A, TALK_A
from tests.conftest import PERSONAS as EVERYONE
from tests.conftest import STAFF_PERSONAS as STAFF
from tests.groups.conftest import (  # noqa: F401  (fixtures)
    activity_application,
    activity_booking,
    make_session,
    session_soon,
)

LOGIN = "/konto/login/"
MFA_SETUP = "/konto/2fa/totp/activate/"
REAUTH = "/konto/reauthenticate/"


# An expectation is a status code, or (302, where the redirect must lead).
Expect = int | tuple[int, str]


def row(anonymous: Expect, carer: Expect, staff: Expect, *, no_mfa: Expect | None = None, **overrides: Expect):
    """Expected status per persona: staff share one value unless overridden per persona.

    A staff member without a second factor is sent to set one up, whatever the page,
    unless ``no_mfa`` says otherwise.
    """
    expected: dict[str, Expect] = {"anonymous": anonymous, "carer": carer}
    expected.update(dict.fromkeys(STAFF, staff))
    expected["staff_without_mfa"] = no_mfa if no_mfa is not None else (302, MFA_SETUP)
    expected.update(overrides)
    return expected


TO_LOGIN = (302, LOGIN)
TO_REAUTH = (302, REAUTH)
UNKNOWN = "0c0c0c0c-0000-4000-8000-00000000000c"
CASEWORK = row(TO_LOGIN, 403, 200, admin_a=403)
# A record of unit A: another municipality's consultant gets a 404, never a 403.
CASEWORK_A = row(TO_LOGIN, 403, 200, admin_a=403, consultant_b=404)
POST_ONLY = row(TO_LOGIN, 403, 405, admin_a=403)
MANAGEMENT = row(TO_LOGIN, 403, 403, manager_a=200, admin_a=200)
# The municipality's administration: administrators only, their own municipality.
ADMINISTRATION = row(TO_LOGIN, 403, 403, admin_a=200)
# Staff administration: administrators only ({karin} is consultant_a's account code).
STAFF_ADMIN = row(TO_LOGIN, 403, 403, admin_a=200)

# route (as Django prints it) -> (literal URL, expectations)
ACCESS_MATRIX: dict[str, tuple[str, dict[str, Expect]]] = {
    # Public pages
    "": ("/", row(200, 200, 200)),
    "kommun/<str:kommunkod>/": ("/kommun/9901/", row(200, 200, 200)),
    "healthz/": ("/healthz/", row(200, 200, 200, no_mfa=200)),
    "i18n/setlang/": ("/i18n/setlang/", row(302, 302, 302, no_mfa=302)),
    "start/": ("/start/", row(302, (302, "/"), (302, "/idag/"))),
    # The legal pages: the privacy notice (per municipality) and the accessibility statement
    "personuppgifter/": ("/personuppgifter/", row(200, 200, 200)),
    "kommun/<str:kommunkod>/personuppgifter/": ("/kommun/9901/personuppgifter/", row(200, 200, 200)),
    "tillganglighet/": ("/tillganglighet/", row(200, 200, 200)),
    # Editing the notice: administrators, of their own municipality (one: straight to it)
    "installningar/personuppgifter/": (
        "/installningar/personuppgifter/",
        row(TO_LOGIN, 403, 403, admin_a=(302, "/installningar/personuppgifter/9901/")),
    ),
    "installningar/personuppgifter/<str:kommunkod>/": (
        "/installningar/personuppgifter/9901/",
        row(TO_LOGIN, 403, 403, admin_a=200),
    ),
    # Staff pages
    "idag/": ("/idag/", row(TO_LOGIN, 403, 200)),
    "personal/": ("/personal/", row(TO_LOGIN, 403, 403, admin_a=200)),
    "personal/ny/": ("/personal/ny/", row(TO_LOGIN, 403, 403, admin_a=200)),
    # The organisation: the municipality's settings and its unit tree (another one's is a 404)
    "administration/": ("/administration/", ADMINISTRATION),
    "administration/kommun/<str:kommunkod>/": ("/administration/kommun/9901/", ADMINISTRATION),
    "administration/kommun/<str:kommunkod>/enheter/ny/": ("/administration/kommun/9901/enheter/ny/", ADMINISTRATION),
    "administration/enheter/<slug:code>/": ("/administration/enheter/norra/", ADMINISTRATION),
    "personal/<uuid:code>/": ("/personal/{karin}/", STAFF_ADMIN),
    "personal/<uuid:code>/enhet/": ("/personal/{karin}/enhet/", row(TO_LOGIN, 403, 403, admin_a=405)),
    "personal/<uuid:code>/enhet/<slug:unit>/roll/": (
        "/personal/{karin}/enhet/norra/roll/",
        row(TO_LOGIN, 403, 403, admin_a=405),
    ),
    "personal/<uuid:code>/enhet/<slug:unit>/ta-bort/": ("/personal/{karin}/enhet/norra/ta-bort/", STAFF_ADMIN),
    "personal/<uuid:code>/inaktivera/": ("/personal/{karin}/inaktivera/", STAFF_ADMIN),
    "personal/<uuid:code>/aktivera/": ("/personal/{karin}/aktivera/", STAFF_ADMIN),
    "personal/<uuid:code>/overlamning/": ("/personal/{karin}/overlamning/", STAFF_ADMIN),
    "personal/<uuid:code>/overlamning/<slug:unit>/": ("/personal/{karin}/overlamning/norra/", STAFF_ADMIN),
    # contacts: carers, talks and journal notes — casework roles, and 404 outside one's units
    "anhoriga/": ("/anhoriga/", CASEWORK),
    "anhoriga/ny/": ("/anhoriga/ny/", CASEWORK),
    "anhoriga/<uuid:code>/": (f"/anhoriga/{CARER_A}/", CASEWORK_A),
    "anhoriga/<uuid:code>/andra/": (f"/anhoriga/{CARER_A}/andra/", CASEWORK_A),
    "anhoriga/<uuid:code>/avsluta/": (f"/anhoriga/{CARER_A}/avsluta/", CASEWORK_A),
    "anhoriga/<uuid:code>/samtal/": (f"/anhoriga/{CARER_A}/samtal/", CASEWORK_A),
    "anhoriga/<uuid:code>/samtal/utkast/kasta/": (f"/anhoriga/{CARER_A}/samtal/utkast/kasta/", CASEWORK_A),
    "anhoriga/<uuid:code>/anteckning/": (f"/anhoriga/{CARER_A}/anteckning/", POST_ONLY),
    "anhoriga/<uuid:code>/samtycke/": (f"/anhoriga/{CARER_A}/samtycke/", CASEWORK_A),
    "anhoriga/<uuid:code>/samtycke/<int:consent_id>/aterkalla/": (
        f"/anhoriga/{CARER_A}/samtycke/1/aterkalla/",
        POST_ONLY,
    ),
    "anhoriga/<uuid:code>/stodplan/": (f"/anhoriga/{CARER_A}/stodplan/", CASEWORK_A),
    "anhoriga/<uuid:code>/stodplan/<uuid:item_code>/": (
        f"/anhoriga/{CARER_A}/stodplan/{{plan_item_code}}/",
        CASEWORK_A,
    ),
    "anhoriga/<uuid:code>/stodplan/<uuid:item_code>/klar/": (
        f"/anhoriga/{CARER_A}/stodplan/{{plan_item_code}}/klar/",
        POST_ONLY,
    ),
    "anhoriga/<uuid:code>/avlosning/": (f"/anhoriga/{CARER_A}/avlosning/", CASEWORK_A),
    "anhoriga/<uuid:code>/matning/": (f"/anhoriga/{CARER_A}/matning/", CASEWORK_A),
    "anhoriga/<uuid:code>/registerutdrag.<str:fmt>": (f"/anhoriga/{CARER_A}/registerutdrag.json", CASEWORK_A),
    "anteckningar/<uuid:code>/signera/": (f"/anteckningar/{NOTE_A}/signera/", POST_ONLY),
    "anteckningar/<uuid:code>/felmarkera/": (f"/anteckningar/{NOTE_A}/felmarkera/", CASEWORK_A),
    "samtal/": ("/samtal/", CASEWORK),
    "samtal/nytt/": ("/samtal/nytt/", CASEWORK),
    "samtal/nytt/anhorig/": ("/samtal/nytt/anhorig/", CASEWORK),
    "samtal/nytt/utkast/kasta/": ("/samtal/nytt/utkast/kasta/", CASEWORK),
    "samtal/utkast/": ("/samtal/utkast/", POST_ONLY),
    "samtal/<uuid:code>/": (f"/samtal/{TALK_A}/", CASEWORK_A),
    "samtal/<uuid:code>/uppfoljning-klar/": (f"/samtal/{TALK_A}/uppfoljning-klar/", POST_ONLY),
    "vagvisare/": ("/vagvisare/", row(TO_LOGIN, 403, 200)),
    "vagvisare/ny/": ("/vagvisare/ny/", CASEWORK),
    # Administrators edit and retire the partners of their units; an unknown one is a 404
    "vagvisare/<uuid:code>/andra/": (f"/vagvisare/{UNKNOWN}/andra/", row(TO_LOGIN, 403, 403, admin_a=404)),
    "vagvisare/<uuid:code>/avveckla/": (f"/vagvisare/{UNKNOWN}/avveckla/", row(TO_LOGIN, 403, 403, admin_a=405)),
    # The documentation policy and the nämnd's exemptions: managers and administrators
    "dokumentation/": ("/dokumentation/", MANAGEMENT),
    "dokumentation/stodform/<int:pk>/": ("/dokumentation/stodform/{kind_pk}/", MANAGEMENT),
    "dokumentation/undantag/nytt/": ("/dokumentation/undantag/nytt/", MANAGEMENT),
    "dokumentation/undantag/<uuid:code>/andra/": (
        f"/dokumentation/undantag/{UNKNOWN}/andra/",
        row(TO_LOGIN, 403, 403, manager_a=404, admin_a=404),
    ),
    "dokumentation/undantag/<uuid:code>/avsluta/": (
        f"/dokumentation/undantag/{UNKNOWN}/avsluta/",
        row(TO_LOGIN, 403, 403, manager_a=404, admin_a=404),
    ),
    "dokumentation/undantag/<uuid:code>/protokollsutdrag.pdf": (
        f"/dokumentation/undantag/{UNKNOWN}/protokollsutdrag.pdf",
        row(TO_LOGIN, 403, 403, manager_a=404, admin_a=404),
    ),
    # Kinds of support: administrators add, rename and retire them
    "dokumentation/stodform/ny/": ("/dokumentation/stodform/ny/", ADMINISTRATION),
    "dokumentation/stodform/<int:pk>/andra/": ("/dokumentation/stodform/{kind_pk}/andra/", ADMINISTRATION),
    # groups: staff pages for activities and sessions — casework roles, 404 outside one's units
    "aktiviteter/": ("/aktiviteter/", CASEWORK),
    "aktiviteter/ny/": ("/aktiviteter/ny/", CASEWORK),
    "aktiviteter/<uuid:code>/": ("/aktiviteter/{activity_code}/", CASEWORK_A),
    "aktiviteter/<uuid:code>/andra/": ("/aktiviteter/{activity_code}/andra/", CASEWORK_A),
    "aktiviteter/<uuid:code>/tillfallen/ny/": ("/aktiviteter/{activity_code}/tillfallen/ny/", CASEWORK_A),
    "tillfallen/<uuid:code>/": ("/tillfallen/{session_code}/", CASEWORK_A),
    "tillfallen/<uuid:code>/narvaro/": ("/tillfallen/{session_code}/narvaro/", POST_ONLY),
    "tillfallen/<uuid:code>/antal/": ("/tillfallen/{session_code}/antal/", POST_ONLY),
    "tillfallen/<uuid:code>/boka/": ("/tillfallen/{session_code}/boka/", POST_ONLY),
    "tillfallen/<uuid:code>/stall-in/": ("/tillfallen/{session_code}/stall-in/", CASEWORK_A),
    "bokningar/<uuid:code>/avboka/": (f"/bokningar/{UNKNOWN}/avboka/", POST_ONLY),
    # groups: registering interest in a closed group, the consultant's applications, Mina sidor
    "kalender/<uuid:code>/intresse/": ("/kalender/{application_code}/intresse/", row(200, 200, 200)),
    "kalender/<uuid:code>/intresse/tack/": ("/kalender/{application_code}/intresse/tack/", row(200, 200, 200)),
    "aktiviteter/<uuid:code>/ansokningar/": ("/aktiviteter/{application_code}/ansokningar/", CASEWORK_A),
    "mina-sidor/": ("/mina-sidor/", row(TO_LOGIN, 200, 200)),
    "mina-sidor/bokningar/<uuid:code>/avboka/": (f"/mina-sidor/bokningar/{UNKNOWN}/avboka/", row(TO_LOGIN, 405, 405)),
    # groups: anonymous evaluations and "Bli kontaktad"
    "utvardering/<uuid:token>/": ("/utvardering/{evaluation_token}/", row(200, 200, 200)),
    # Thanks only after answering in this browser, else back to the form.
    "utvardering/<uuid:token>/tack/": ("/utvardering/{evaluation_token}/tack/", row(302, 302, 302)),
    "aktiviteter/<uuid:code>/utvardering/": ("/aktiviteter/{activity_code}/utvardering/", CASEWORK_A),
    "kontakt/<slug:unit_code>/": ("/kontakt/norra/", row(200, 200, 200)),
    "kontakt/<slug:unit_code>/tack/": ("/kontakt/norra/tack/", row(200, 200, 200)),
    "inkorg/": ("/inkorg/", CASEWORK),
    "inkorg/<uuid:code>/": (f"/inkorg/{UNKNOWN}/", row(TO_LOGIN, 403, 404, admin_a=403)),
    "inkorg/<uuid:code>/hanterad/": (f"/inkorg/{UNKNOWN}/hanterad/", POST_ONLY),
    # groups: the public calendar and booking — open to everyone, no sign-in
    "kalender/": ("/kalender/", row(200, 200, 200)),
    "kalender/<uuid:code>/": ("/kalender/{activity_code}/", row(200, 200, 200)),
    "kalender/tillfalle/<uuid:code>/boka/": ("/kalender/tillfalle/{session_code}/boka/", row(200, 200, 200)),
    # The result page opens only in the browser that booked; a wrong token is a helpful 404.
    "kalender/bokning/<uuid:code>/": (f"/kalender/bokning/{UNKNOWN}/", row(404, 404, 404)),
    "kalender/bokning/<uuid:code>/skicka-igen/": (f"/kalender/bokning/{UNKNOWN}/skicka-igen/", row(405, 405, 405)),
    "kalender/enhet/<slug:unit_code>.ics": ("/kalender/enhet/norra.ics", row(200, 200, 200)),
    "boka/bekrafta/<uuid:token>/": (f"/boka/bekrafta/{UNKNOWN}/", row(404, 404, 404)),
    "boka/avboka/<uuid:token>/": (f"/boka/avboka/{UNKNOWN}/", row(404, 404, 404)),
    # followup: the managers' dashboard and export; one's own workload for casework roles
    "uppfoljning/": ("/uppfoljning/", row(TO_LOGIN, 403, 403, manager_a=200)),
    "uppfoljning/export.csv": ("/uppfoljning/export.csv", row(TO_LOGIN, 403, 403, manager_a=200)),
    "uppfoljning/export.xlsx": ("/uppfoljning/export.xlsx", row(TO_LOGIN, 403, 403, manager_a=200)),
    "uppfoljning/min-arbetsbelastning/": ("/uppfoljning/min-arbetsbelastning/", row(TO_LOGIN, 403, 200, admin_a=403)),
    # PDF follow-up reports: managers; a report outside one's units (or none) is a 404
    "uppfoljning/rapporter/": ("/uppfoljning/rapporter/", row(TO_LOGIN, 403, 403, manager_a=200)),
    "uppfoljning/rapporter/<uuid:code>/": (
        f"/uppfoljning/rapporter/{UNKNOWN}/",
        row(TO_LOGIN, 403, 403, manager_a=404),
    ),
    "uppfoljning/rapporter/<uuid:code>/pdf": (
        f"/uppfoljning/rapporter/{UNKNOWN}/pdf",
        row(TO_LOGIN, 403, 403, manager_a=404),
    ),
    # National export: managers, their own units only (another unit is a 404)
    "uppfoljning/nationell-export/": ("/uppfoljning/nationell-export/", row(TO_LOGIN, 403, 403, manager_a=200)),
    "uppfoljning/nationell-export/aggregat.<str:fmt>": (
        "/uppfoljning/nationell-export/aggregat.csv",
        row(TO_LOGIN, 403, 403, manager_a=200),
    ),
    # Strategic self-assessment: the unit's casework roles see it, its managers edit it
    "uppfoljning/sjalvskattning/": ("/uppfoljning/sjalvskattning/", CASEWORK),
    "uppfoljning/sjalvskattning/<slug:unit_code>/<int:year>/": ("/uppfoljning/sjalvskattning/norra/2025/", CASEWORK_A),
    # Loggkontroll: managers only, rows of their own units
    "loggkontroll/": ("/loggkontroll/", row(TO_LOGIN, 403, 403, manager_a=200)),
    "loggkontroll/stickprov/": ("/loggkontroll/stickprov/", row(TO_LOGIN, 403, 403, manager_a=200)),
    "loggkontroll/export.csv": ("/loggkontroll/export.csv", row(TO_LOGIN, 403, 403, manager_a=200)),
    # Support catalogue: casework roles of the unit; export for managers
    "katalog/": ("/katalog/", CASEWORK),
    "katalog/<slug:unit_code>/<int:year>/": ("/katalog/norra/2025/", CASEWORK_A),
    "katalog/export.csv": ("/katalog/export.csv", row(TO_LOGIN, 403, 403, manager_a=200)),
    # allauth: sign-in, sign-up (carers only), e-mail and password
    "konto/login/": (LOGIN, row(200, (302, "/"), (302, "/idag/"), no_mfa=(302, MFA_SETUP))),
    "konto/logout/": ("/konto/logout/", row((302, "/"), 200, 200, no_mfa=200)),
    "konto/inactive/": ("/konto/inactive/", row(200, 200, 200)),
    "konto/signup/": ("/konto/signup/", row(200, (302, "/"), (302, "/idag/"))),
    "konto/reauthenticate/": ("/konto/reauthenticate/", row(TO_LOGIN, 200, 200, no_mfa=200)),
    "konto/email/": ("/konto/email/", row(TO_LOGIN, 200, 200)),
    "konto/confirm-email/": ("/konto/confirm-email/", row(302, 302, 302)),
    "konto/password/change/": ("/konto/password/change/", row(TO_LOGIN, 200, 200)),
    "konto/password/set/": ("/konto/password/set/", row(TO_LOGIN, 302, 302)),
    "konto/password/reset/": ("/konto/password/reset/", row(200, 200, 200)),
    "konto/password/reset/done/": ("/konto/password/reset/done/", row(200, 200, 200)),
    "konto/password/reset/key/done/": ("/konto/password/reset/key/done/", row(200, 200, 200)),
    "konto/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "/konto/password/reset/key/zz-wrong-key/",
        row(200, 200, 200),
    ),
    "konto/login/code/": ("/konto/login/code/", row(200, (302, "/"), (302, "/idag/"))),
    "konto/login/code/confirm/": ("/konto/login/code/confirm/", row((302, "/konto/login/code/"), (302, "/"), 302)),
    # allauth MFA: staff manage their second factor here
    "konto/2fa/": ("/konto/2fa/", row(TO_LOGIN, 200, 200, no_mfa=200)),
    "konto/2fa/authenticate/": ("/konto/2fa/authenticate/", row(TO_LOGIN, 302, 302)),
    "konto/2fa/reauthenticate/": ("/konto/2fa/reauthenticate/", row(TO_LOGIN, 302, 200, no_mfa=302)),
    # Changing a second factor asks for the password again (allauth's reauthentication).
    # ...except for the first factor of a staff member who has just signed in without one.
    "konto/2fa/totp/activate/": (MFA_SETUP, row(TO_LOGIN, TO_REAUTH, 302, no_mfa=200)),
    "konto/2fa/totp/deactivate/": ("/konto/2fa/totp/deactivate/", row(TO_LOGIN, 404, TO_REAUTH)),
    "konto/2fa/recovery-codes/": ("/konto/2fa/recovery-codes/", row(TO_LOGIN, 404, 404, no_mfa=404)),
    "konto/2fa/recovery-codes/generate/": (
        "/konto/2fa/recovery-codes/generate/",
        row(TO_LOGIN, 302, TO_REAUTH, no_mfa=302),
    ),
    "konto/2fa/recovery-codes/download/": ("/konto/2fa/recovery-codes/download/", row(TO_LOGIN, 404, 404, no_mfa=404)),
    "konto/2fa/webauthn/": ("/konto/2fa/webauthn/", row(TO_LOGIN, 200, 200)),
    "konto/2fa/webauthn/add/": ("/konto/2fa/webauthn/add/", row(TO_LOGIN, TO_REAUTH, TO_REAUTH, no_mfa=TO_REAUTH)),
    "konto/2fa/webauthn/reauthenticate/": ("/konto/2fa/webauthn/reauthenticate/", row(TO_LOGIN, 302, 302)),
    "konto/2fa/webauthn/keys/<int:pk>/remove/": (
        "/konto/2fa/webauthn/keys/999999/remove/",
        row(TO_LOGIN, TO_REAUTH, TO_REAUTH),
    ),
    "konto/2fa/webauthn/keys/<int:pk>/edit/": (
        "/konto/2fa/webauthn/keys/999999/edit/",
        row(TO_LOGIN, TO_REAUTH, TO_REAUTH),
    ),
    # allauth social accounts (OpenID Connect: municipal SSO for staff, e-ID for carers)
    "konto/3rdparty/": ("/konto/3rdparty/", row(TO_LOGIN, 200, 200)),
    "konto/3rdparty/login/cancelled/": ("/konto/3rdparty/login/cancelled/", row(200, 200, 200)),
    # allauth answers its error page with 401 Unauthorized.
    "konto/3rdparty/login/error/": ("/konto/3rdparty/login/error/", row(401, 401, 401)),
    # Without a social login in progress there is nothing to sign up with.
    "konto/3rdparty/signup/": ("/konto/3rdparty/signup/", row(TO_LOGIN, TO_LOGIN, TO_LOGIN)),
    # allauth's old addresses: permanent redirects to the 3rdparty/ ones.
    "konto/social/login/cancelled/": ("/konto/social/login/cancelled/", row(301, 301, 301)),
    "konto/social/login/error/": ("/konto/social/login/error/", row(301, 301, 301)),
    "konto/social/signup/": ("/konto/social/signup/", row(301, 301, 301)),
    "konto/social/connections/": ("/konto/social/connections/", row(301, 301, 301)),
    "konto/oidc/^(?P<provider_id>[^/]+)/login/": ("/konto/oidc/not-configured/login/", row(404, 404, 404)),
    "konto/oidc/^(?P<provider_id>[^/]+)/login/callback/": (
        "/konto/oidc/not-configured/login/callback/",
        row(404, 404, 404),
    ),
}


def _routes(patterns: list, prefix: str = "") -> list[str]:
    found: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def test_every_url_pattern_has_a_row_in_the_access_matrix() -> None:
    routes = _routes(get_resolver().url_patterns)
    missing = sorted(set(routes) - set(ACCESS_MATRIX))
    stale = sorted(set(ACCESS_MATRIX) - set(routes))
    assert not missing, f"URL patterns without a row in ACCESS_MATRIX: {missing}"
    assert not stale, f"ACCESS_MATRIX rows for URL patterns that no longer exist: {stale}"


def _h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def matrix_urls(request: pytest.FixtureRequest) -> dict[str, str]:
    """The values of the placeholders in ACCESS_MATRIX's URLs, from the shared fixtures
    (with one stödplan item of carer A made for them): ``url.format(**matrix_urls(request))``."""
    from contacts.models import SupportPlanItem

    casework = request.getfixturevalue("casework")
    soon = request.getfixturevalue("session_soon")
    application_activity = request.getfixturevalue("activity_application")
    plan_item = SupportPlanItem.objects.create(carer=casework.carer_a, area="own_life", goal="Egen tid")
    return {
        "kind_pk": str(casework.kinds["individual_talk"].pk),
        "activity_code": str(soon.activity.code),
        "session_code": str(soon.code),
        "evaluation_token": str(soon.activity.evaluation_token),
        "application_code": str(application_activity.code),
        "karin": str(casework.talk_a.consultant.code),
        "plan_item_code": str(plan_item.code),
    }


@pytest.mark.parametrize("persona", EVERYONE)
def test_access_matrix(persona: str, org, casework, login_as, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    values = matrix_urls(request)
    client = login_as(persona)
    failures = []
    for route, (url, expected_by_persona) in ACCESS_MATRIX.items():
        expected = expected_by_persona[persona]
        url = url.format(**values)
        response = client.get(url)
        status, where = expected if isinstance(expected, tuple) else (expected, None)
        if response.status_code != status:
            failures.append(f"{url} ({route}): expected {status}, got {response.status_code}")
            continue
        if where is not None and response["Location"].split("?")[0] != where:
            failures.append(f"{url}: expected a redirect to {where}, got {response['Location']}")
        if status == 200 and response["Content-Type"].startswith("text/html"):
            count = _h1_count(response.content.decode())
            if count != 1:
                failures.append(f"{url}: {count} <h1> elements, expected exactly one")
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_no_pending_migrations(db: None) -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_error_pages_have_one_h1(client, language: str, db: None) -> None:  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = language
    response = client.get("/kommun/0000/")
    assert response.status_code == 404
    assert _h1_count(response.content.decode()) == 1
