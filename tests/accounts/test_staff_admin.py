"""Administrators create staff accounts; nobody else can, and only for their own units."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from django.core import mail
from django.core.exceptions import ValidationError

from anhorigstod.accounts.models import Membership, Role, User
from anhorigstod.accounts.services import staff_create


def test_admin_creates_a_consultant_who_gets_an_invitation(  # type: ignore[no-untyped-def]
    org, login_as, django_capture_on_commit_callbacks
) -> None:
    client = login_as("admin_a")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/personal/ny/",
            {
                "full_name": "Nils Ny",
                "email": "Nils.Ny@Angsvik.example",
                "unit": org.unit_a.pk,
                "role": Role.CONSULTANT,
            },
        )
    assert response.status_code == 302 and response["Location"] == "/personal/"
    user = User.objects.get(email="nils.ny@angsvik.example")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.CONSULTANT
    assert EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Ditt konto i Anhörigstöd"
    assert "/konto/password/reset/key/" in mail.outbox[0].body
    listing = client.get("/personal/").content.decode()
    assert "Nils Ny" in listing


def test_admin_cannot_add_staff_to_another_municipality(org, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("admin_a")
    data = {"full_name": "Olle Obehörig", "email": "olle@example.se", "unit": org.unit_b.pk, "role": Role.MANAGER}
    response = client.post("/personal/ny/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Välj ett giltigt alternativ" in page  # the unit is not among the choices
    assert 'value="Olle Obehörig"' in page  # what was typed is kept
    assert not User.objects.filter(email="olle@example.se").exists()


def test_the_service_refuses_units_outside_the_admins_reach(org, admin_a, consultant_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        staff_create(created_by=admin_a, email="x@example.se", full_name="X", unit=org.unit_b, role=Role.CONSULTANT)
    with pytest.raises(ValidationError):
        staff_create(
            created_by=consultant_a, email="y@example.se", full_name="Y", unit=org.unit_a, role=Role.CONSULTANT
        )


def test_a_second_role_for_an_existing_person_adds_a_membership(  # type: ignore[no-untyped-def]
    org, admin_a, consultant_a, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        staff_create(created_by=admin_a, email=consultant_a.email, full_name="", unit=org.unit_a2, role=Role.CONSULTANT)
    assert Membership.objects.filter(user=consultant_a).count() == 2
    assert len(mail.outbox) == 0  # an existing account gets no new invitation
    with pytest.raises(ValidationError):
        staff_create(created_by=admin_a, email=consultant_a.email, full_name="", unit=org.unit_a2, role=Role.MANAGER)


def test_staff_list_shows_only_the_admins_units(org, login_as, consultant_b) -> None:  # type: ignore[no-untyped-def]
    page = login_as("admin_a").get("/personal/").content.decode()
    assert "Bertil" not in page


def test_seed_demo_is_idempotent_and_sets_no_password_outside_debug(db) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    call_command("seed_demo")
    call_command("seed_demo")
    assert Membership.objects.count() == 8
    assert not any(user.has_usable_password() for user in User.objects.all())
    assert {m.role for m in Membership.objects.all()} == {Role.CONSULTANT, Role.MANAGER, Role.ADMIN}
