"""Offboarding: an administrator changes a person's role, adds them to or removes them
from a unit, and deactivates (and reactivates) their account, only in the units they
administer, never leaving a unit without an administrator, and always in the access log."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount, SocialLogin

from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client, RequestFactory

from anhorigstod.accounts.models import Membership, Role, User
from anhorigstod.audit.models import AccessLog
from tests.conftest import TOTP_SECRET
from tests.factories import TEST_PASSWORD, MembershipFactory


@pytest.fixture
def admin_b(org):  # type: ignore[no-untyped-def]
    """Britt, the administrator of the other municipality (Sjöhaga)."""
    membership = MembershipFactory(
        user__email="britt@sjohaga.example", user__full_name="Britt Admin", unit=org.unit_b, role=Role.ADMIN
    )
    TOTP.activate(membership.user, TOTP_SECRET)
    return membership.user


def _log(person: User) -> list[tuple[str, str, str | None]]:
    rows = AccessLog.objects.filter(subject_code=str(person.code)).order_by("id")
    return [(row.action, row.record_type, row.unit.code if row.unit else None) for row in rows]


# --- The person's page --------------------------------------------------------------------


def test_the_staff_list_links_to_each_person_and_shows_their_account(org, login_as, consultant_a) -> None:  # type: ignore[no-untyped-def]
    consultant_a.is_active = False
    consultant_a.save()
    page = login_as("admin_a").get("/personal/").content.decode()
    assert f'href="/personal/{consultant_a.code}/"' in page
    assert "Inaktiverat" in page


def test_an_admin_sees_a_persons_roles_and_what_to_hand_over(org, login_as, casework) -> None:  # type: ignore[no-untyped-def]
    karin = casework.talk_a.consultant
    response = login_as("admin_a").get(f"/personal/{karin.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Karin Konsulent</h1>" in page
    assert "Anhörigstöd Norra" in page
    assert "stödkontakt för 1 anhörig" in page
    assert f"/personal/{karin.code}/overlamning/norra/" in page
    assert casework.carer_a.first_name not in page  # an administrator sees counts, not carers


def test_another_municipalitys_admin_gets_404_on_every_page(org, consultant_a, admin_b) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(admin_b)
    base = f"/personal/{consultant_a.code}/"
    for url in (base, base + "enhet/norra/ta-bort/", base + "inaktivera/", base + "aktivera/"):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (base + "enhet/", {"unit": org.unit_b.pk, "role": Role.CONSULTANT}),
        (base + "enhet/norra/roll/", {"norra-role": Role.MANAGER}),
        (base + "enhet/norra/ta-bort/", {}),
        (base + "inaktivera/", {}),
    ):
        assert client.post(url, data).status_code == 404, url
    consultant_a.refresh_from_db()
    assert consultant_a.is_active
    assert Membership.objects.get(user=consultant_a).role == Role.CONSULTANT
    assert not AccessLog.objects.filter(subject_code=str(consultant_a.code)).exists()


def test_a_carer_account_or_an_unknown_code_is_404(org, login_as, carer) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    assert client.get(f"/personal/{carer.code}/").status_code == 404
    assert client.get("/personal/0c0c0c0c-0000-4000-8000-00000000000c/").status_code == 404


def test_consultants_and_managers_may_not_administer_staff(org, login_as, consultant_a, manager_a) -> None:  # type: ignore[no-untyped-def]
    for persona in ("consultant_a", "manager_a"):
        client = login_as(persona)
        assert client.post(f"/personal/{consultant_a.code}/inaktivera/").status_code == 403
        assert client.post(f"/personal/{manager_a.code}/enhet/sof/roll/", {"sof-role": Role.ADMIN}).status_code == 403
    consultant_a.refresh_from_db()
    assert consultant_a.is_active
    assert Membership.objects.get(user=manager_a).role == Role.MANAGER


# --- Roles and units ------------------------------------------------------------------------


def test_admin_changes_a_role_and_it_is_logged(org, login_as, admin_a, consultant_a) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    response = client.post(f"/personal/{consultant_a.code}/enhet/norra/roll/", {"norra-role": Role.MANAGER})
    assert response.status_code == 302 and response["Location"] == f"/personal/{consultant_a.code}/"
    assert Membership.objects.get(user=consultant_a, unit=org.unit_a).role == Role.MANAGER
    assert "Karin Konsulent är nu chef i Anhörigstöd Norra." in client.get(response["Location"]).content.decode()
    entry = AccessLog.objects.get(subject_code=str(consultant_a.code))
    assert (entry.actor, entry.action, entry.record_type, entry.unit) == (
        admin_a,
        "update",
        "accounts.membership",
        org.unit_a,
    )
    assert entry.via == "staff_role_change"


def test_a_bad_role_is_refused_in_swedish_and_nothing_changes(org, login_as, consultant_a) -> None:  # type: ignore[no-untyped-def]
    response = login_as("admin_a").post(f"/personal/{consultant_a.code}/enhet/norra/roll/", {"norra-role": "boss"})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert Membership.objects.get(user=consultant_a).role == Role.CONSULTANT
    assert not AccessLog.objects.exists()


def test_admin_adds_a_person_to_another_unit(org, login_as, admin_a, consultant_a) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    url = f"/personal/{consultant_a.code}/enhet/"
    response = client.post(url, {"unit": org.unit_a2.pk, "role": Role.CONSULTANT})
    assert response.status_code == 302
    assert set(Membership.objects.filter(user=consultant_a).values_list("unit__code", "role")) == {
        ("norra", Role.CONSULTANT),
        ("sodra", Role.CONSULTANT),
    }
    assert _log(consultant_a) == [("create", "accounts.membership", "sodra")]
    # A unit of another municipality is not among the choices; what was chosen stays.
    response = client.post(url, {"unit": org.unit_b.pk, "role": Role.MANAGER})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Välj ett giltigt alternativ" in page
    assert '<option value="manager" selected>' in page
    assert not Membership.objects.filter(unit=org.unit_b, user=consultant_a).exists()


def test_admin_removes_a_person_from_a_unit(org, login_as, admin_a, consultant_a) -> None:  # type: ignore[no-untyped-def]
    Membership.objects.create(user=consultant_a, unit=org.unit_a2, role=Role.CONSULTANT)
    client = login_as("admin_a")
    confirm = client.get(f"/personal/{consultant_a.code}/enhet/sodra/ta-bort/")
    assert "Karin Konsulent är anhörigkonsulent i Anhörigstöd Södra" in confirm.content.decode()
    response = client.post(f"/personal/{consultant_a.code}/enhet/sodra/ta-bort/")
    assert response.status_code == 302 and response["Location"] == f"/personal/{consultant_a.code}/"
    assert list(Membership.objects.filter(user=consultant_a).values_list("unit__code", flat=True)) == ["norra"]
    assert _log(consultant_a) == [("delete", "accounts.membership", "sodra")]


def test_a_stodkontakt_cannot_leave_the_unit_before_handing_over(org, login_as, casework) -> None:  # type: ignore[no-untyped-def]
    karin = casework.talk_a.consultant
    client = login_as("admin_a")
    page = client.get(f"/personal/{karin.code}/enhet/norra/ta-bort/").content.decode()
    assert "stödkontakt för 1 anhörig" in page
    assert f"/personal/{karin.code}/overlamning/norra/" in page
    assert "Ta bort från enheten</button>" not in page
    response = client.post(f"/personal/{karin.code}/enhet/norra/ta-bort/")
    assert response.status_code == 200
    assert "Lämna över det till en kollega först" in response.content.decode()
    assert Membership.objects.filter(user=karin, unit=org.unit_a).exists()
    # Made administrator there, she would lose the carers' records too.
    response = client.post(f"/personal/{karin.code}/enhet/norra/roll/", {"norra-role": Role.ADMIN})
    assert "Lämna över det till en kollega först" in response.content.decode()
    assert Membership.objects.get(user=karin, unit=org.unit_a).role == Role.CONSULTANT
    assert not AccessLog.objects.filter(subject_code=str(karin.code)).exists()


# --- The last administrator -------------------------------------------------------------------


def test_an_admin_cannot_deactivate_themselves(org, login_as, admin_a) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    page = client.get(f"/personal/{admin_a.code}/inaktivera/").content.decode()
    assert "Du kan inte inaktivera ditt eget konto" in page
    assert "Inaktivera kontot</button>" not in page
    response = client.post(f"/personal/{admin_a.code}/inaktivera/")
    assert response.status_code == 200
    assert "Du kan inte inaktivera ditt eget konto" in response.content.decode()
    admin_a.refresh_from_db()
    assert admin_a.is_active
    assert not AccessLog.objects.exists()


def test_the_last_admin_cannot_step_down_or_leave(org, login_as, admin_a) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    for url, data in (
        (f"/personal/{admin_a.code}/enhet/sof/roll/", {"sof-role": Role.MANAGER}),
        (f"/personal/{admin_a.code}/enhet/sof/ta-bort/", {}),
    ):
        response = client.post(url, data)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Anhörigstöd Norra, Anhörigstöd Södra, Socialförvaltningen skulle stå utan administratör" in page
    assert Membership.objects.get(user=admin_a).role == Role.ADMIN
    assert not AccessLog.objects.exists()


def test_an_admin_may_step_down_while_another_administers_the_same_units(org, login_as, admin_a) -> None:  # type: ignore[no-untyped-def]
    # An administrator of unit A alone does not cover the administration or unit A2.
    MembershipFactory(user__full_name="Otto Admin", unit=org.unit_a, role=Role.ADMIN)
    client = login_as("admin_a")
    response = client.post(f"/personal/{admin_a.code}/enhet/sof/roll/", {"sof-role": Role.MANAGER})
    assert "Anhörigstöd Södra, Socialförvaltningen skulle stå utan administratör" in response.content.decode()
    assert Membership.objects.get(user=admin_a).role == Role.ADMIN
    # With a second administrator at the top, she may.
    MembershipFactory(user__full_name="Stina Admin", unit=org.unit_a.parent, role=Role.ADMIN)
    response = client.post(f"/personal/{admin_a.code}/enhet/sof/roll/", {"sof-role": Role.MANAGER})
    assert response.status_code == 302 and response["Location"] == "/start/"
    assert Membership.objects.get(user=admin_a).role == Role.MANAGER
    assert _log(admin_a) == [("update", "accounts.membership", "sof")]
    assert client.get("/personal/").status_code == 403


def test_an_inactive_administrator_does_not_count(org, admin_a) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from anhorigstod.accounts import staff_services

    stina = MembershipFactory(user__full_name="Stina Admin", unit=org.unit_a.parent, role=Role.ADMIN).user
    staff_services.account_deactivate(deactivated_by=admin_a, person=stina)
    with pytest.raises(ValidationError, match="utan administratör"):
        staff_services.membership_remove(removed_by=admin_a, membership=Membership.objects.get(user=admin_a))
    assert Membership.objects.filter(user=admin_a).exists()


# --- Deactivation ------------------------------------------------------------------------------


def test_a_deactivated_person_cannot_sign_in_and_their_session_ends(  # type: ignore[no-untyped-def]
    org, admin_a, casework
) -> None:
    karin = casework.talk_a.consultant
    # Karin is signed in on her own computer, through the real sign-in form.
    hers = Client()
    assert hers.post("/konto/login/", {"login": karin.email, "password": TEST_PASSWORD}).status_code == 302
    from tests.accounts.test_sign_in import current_totp

    assert hers.post("/konto/2fa/authenticate/", {"code": current_totp()}).status_code == 302
    assert hers.get("/idag/").status_code == 200
    assert any(s.get_decoded().get("_auth_user_id") == str(karin.pk) for s in Session.objects.all())

    admin = Client()
    admin.force_login(admin_a)
    page = admin.get(f"/personal/{karin.code}/inaktivera/").content.decode()
    assert "stödkontakt för 1 anhörig" in page  # a reminder to hand over
    response = admin.post(f"/personal/{karin.code}/inaktivera/")
    assert response.status_code == 302
    assert "Kontot för Karin Konsulent är inaktiverat." in admin.get(response["Location"]).content.decode()

    karin.refresh_from_db()
    assert not karin.is_active
    # Her session is gone from the database, and her browser is signed out.
    assert not any(s.get_decoded().get("_auth_user_id") == str(karin.pk) for s in Session.objects.all())
    response = hers.get("/idag/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")
    # The admin's own session is untouched.
    assert admin.get("/personal/").status_code == 200

    # The right password no longer signs her in.
    fresh = Client()
    response = fresh.post("/konto/login/", {"login": karin.email, "password": TEST_PASSWORD}, follow=True)
    assert "_auth_user_id" not in fresh.session
    assert "inaktivt" in response.content.decode()
    assert fresh.get("/idag/").status_code == 302
    # Nor does an e-mailed sign-in code or a password reset: allauth answers as for an
    # address it does not know, with nothing in the message that signs in.
    fresh.post("/konto/login/code/", {"email": karin.email})
    fresh.post("/konto/password/reset/", {"email": karin.email})
    assert [message.subject for message in mail.outbox] == ["[Anhörigstöd] Okänt konto"] * 2
    assert not any("/konto/password/reset/key/" in message.body for message in mail.outbox)

    # What she recorded stays, with her name.
    casework.talk_a.refresh_from_db()
    assert casework.talk_a.consultant == karin
    casework.note_a.refresh_from_db()
    assert casework.note_a.author == karin
    # One log entry per unit she belongs to.
    assert _log(karin) == [("update", "accounts.user", "norra")]


STAFF_SSO = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "staff-sso",
                "name": "Kommunens inloggning",
                "client_id": "anhorigstod",
                "secret": "not-used",
                "settings": {"server_url": "http://127.0.0.1:9/"},
            }
        ]
    }
}


def test_a_deactivated_person_cannot_sign_in_through_sso(  # type: ignore[no-untyped-def]
    org, admin_a, consultant_a, rf: RequestFactory, settings
) -> None:
    """allauth's own social login flow (everything after the provider's answer), for an
    SSO account linked to her: an inactive user is turned away whatever the provider says.
    The round trip to a real provider is tested with the staff SSO itself."""
    from allauth.core import context
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.helpers import complete_social_login

    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from anhorigstod.accounts import staff_services

    settings.SOCIALACCOUNT_PROVIDERS = STAFF_SSO
    SocialAccount.objects.create(user=consultant_a, provider="staff-sso", uid="karin-1")

    def sign_in_through_sso():  # type: ignore[no-untyped-def]
        request = rf.get("/konto/oidc/staff-sso/login/callback/")
        request.session = SessionStore()
        request.user = AnonymousUser()
        request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
        # What the provider's callback hands allauth: an account by the provider's subject.
        provider = get_adapter().get_provider(request, "staff-sso")
        sociallogin = SocialLogin(
            provider=provider,
            account=SocialAccount(provider="staff-sso", uid="karin-1"),
            user=User(email=consultant_a.email),
        )
        sociallogin.state = {"process": "login"}
        with context.request_context(request):
            response = complete_social_login(request, sociallogin)
        return request, response

    # The control: while she is active, the same flow signs her in (on to her second factor).
    request, response = sign_in_through_sso()
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/authenticate/"

    staff_services.account_deactivate(deactivated_by=admin_a, person=consultant_a)
    request, response = sign_in_through_sso()
    assert response.status_code == 302 and response["Location"] == "/konto/inactive/"
    assert "_auth_user_id" not in request.session


def test_reactivation_lets_the_person_sign_in_again(org, login_as, admin_a, consultant_a) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    client.post(f"/personal/{consultant_a.code}/inaktivera/")
    page = client.get(f"/personal/{consultant_a.code}/").content.decode()
    assert "Inaktiverat" in page and f"/personal/{consultant_a.code}/aktivera/" in page
    response = client.post(f"/personal/{consultant_a.code}/aktivera/")
    assert response.status_code == 302
    consultant_a.refresh_from_db()
    assert consultant_a.is_active
    assert _log(consultant_a) == [("update", "accounts.user", "norra"), ("update", "accounts.user", "norra")]
    fresh = Client()
    response = fresh.post("/konto/login/", {"login": consultant_a.email, "password": TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/authenticate/"


def test_a_deactivated_person_leaves_the_stodkontakt_picker(org, login_as, casework) -> None:  # type: ignore[no-untyped-def]
    karin = casework.talk_a.consultant
    colleague = MembershipFactory(user__full_name="Kim Kollega", unit=org.unit_a, role=Role.CONSULTANT).user
    karin.is_active = False
    karin.save()
    client = login_as("manager_a")
    new_carer = client.get("/anhoriga/ny/?enhet=norra").content.decode()
    assert "Kim Kollega" in new_carer
    assert "Karin Konsulent" not in new_carer
    # On her own carer's record she stays selectable, marked, so editing does not fail.
    edit = client.get(f"/anhoriga/{casework.carer_a.code}/andra/").content.decode()
    assert "Karin Konsulent (kontot inaktiverat)" in edit
    assert colleague.full_name in edit


def test_a_person_shared_with_another_municipality_is_not_deactivated_by_one(  # type: ignore[no-untyped-def]
    org, login_as, consultant_a
) -> None:
    Membership.objects.create(user=consultant_a, unit=org.unit_b, role=Role.CONSULTANT)
    client = login_as("admin_a")
    page = client.get(f"/personal/{consultant_a.code}/").content.decode()
    assert "Anhörigstöd Sjöhaga" not in page  # the other municipality's unit is not named
    assert "1 enhet som du inte administrerar" in page
    response = client.post(f"/personal/{consultant_a.code}/inaktivera/")
    assert "arbetar också i enheter som du inte administrerar" in response.content.decode()
    consultant_a.refresh_from_db()
    assert consultant_a.is_active


def test_adding_staff_is_logged_and_a_deactivated_account_is_pointed_out(  # type: ignore[no-untyped-def]
    org, login_as, admin_a, consultant_a
) -> None:
    client = login_as("admin_a")
    client.post(
        "/personal/ny/",
        {"full_name": "Nils Ny", "email": "nils@angsvik.example", "unit": org.unit_a.pk, "role": "consultant"},
    )
    nils = User.objects.get(email="nils@angsvik.example")
    assert _log(nils) == [("create", "accounts.membership", "norra")]

    consultant_a.is_active = False
    consultant_a.save()
    response = client.post(
        "/personal/ny/",
        {"full_name": "Karin Konsulent", "email": consultant_a.email, "unit": org.unit_a2.pk, "role": "consultant"},
    )
    assert response.status_code == 302 and response["Location"] == f"/personal/{consultant_a.code}/"
    page = client.get(response["Location"]).content.decode()
    assert "men kontot är inaktiverat" in page
    consultant_a.refresh_from_db()
    assert not consultant_a.is_active  # never reopened as a side effect
