"""Handing a leaving consultant's carers over to a colleague: exactly their carers in
that unit, in one go, confirmed by number, one access-log entry per carer."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from anhorigstod.accounts.models import Role
from anhorigstod.audit.models import AccessLog
from contacts.models import Carer
from contacts.services.handover import carers_hand_over
from tests.conftest import TOTP_SECRET
from tests.factories import MembershipFactory


@pytest.fixture
def leaving(org, casework):  # type: ignore[no-untyped-def]
    """Karin leaves. She is stödkontakt of carer A and of three more in unit A (one of them
    closed) and of one in unit A2; a colleague's carer in unit A is not hers."""
    karin = casework.talk_a.consultant
    kim = MembershipFactory(user__full_name="Kim Kollega", unit=org.unit_a, role=Role.CONSULTANT).user
    MembershipFactory(user=karin, unit=org.unit_a2, role=Role.CONSULTANT)
    now = timezone.now()

    def carer(unit, number, contact, **extra):  # type: ignore[no-untyped-def]
        return Carer.objects.create(unit=unit, number=number, support_contact=contact, last_entry_at=now, **extra)

    hers_in_a = [casework.carer_a, carer(org.unit_a, 2, karin), carer(org.unit_a, 3, karin)]
    hers_in_a.append(
        carer(org.unit_a, 4, karin, status="closed", closed_on=dt.date(2026, 1, 5), close_reason="no_longer_needed")
    )
    hers_in_a2 = carer(org.unit_a2, 1, karin)
    kims = carer(org.unit_a, 5, kim)
    return {"karin": karin, "kim": kim, "hers_in_a": hers_in_a, "hers_in_a2": hers_in_a2, "kims": kims}


def test_the_admin_hands_over_a_unit_after_confirming_the_number(  # type: ignore[no-untyped-def]
    org, login_as, admin_a, leaving
) -> None:
    karin, kim = leaving["karin"], leaving["kim"]
    before = {c.pk: c.last_entry_at for c in Carer.objects.all()}
    client = login_as("admin_a")
    index = client.get(f"/personal/{karin.code}/overlamning/").content.decode()
    assert "Anhörigstöd Norra" in index and "Anhörigstöd Södra" in index
    url = f"/personal/{karin.code}/overlamning/norra/"
    page = client.get(url).content.decode()
    assert "Karin Konsulent är stödkontakt för 4 anhöriga i Anhörigstöd Norra." in page
    assert "Kim Kollega" in page
    assert '">Karin Konsulent' not in page  # the one leaving is not offered
    assert "Gunnel" not in page  # counts, never carers

    # First step: the confirmation page says how many move, and nothing has moved yet.
    confirm = client.post(url, {"to": kim.code})
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "4 anhöriga i Anhörigstöd Norra flyttas från Karin Konsulent till Kim Kollega." in text
    assert "1 av dem har ett avslutat ärende" in text
    assert Carer.objects.filter(support_contact=kim).count() == 1

    response = client.post(url, {"to": kim.code, "expected": 4, "confirm": "1"})
    assert response.status_code == 302 and response["Location"] == f"/personal/{karin.code}/overlamning/"
    assert "4 anhöriga har nu Kim Kollega som stödkontakt." in client.get(response["Location"]).content.decode()

    # Exactly her carers in unit A moved; her carer in A2 and Kim's own are as they were.
    moved = {c.pk for c in leaving["hers_in_a"]}
    assert set(Carer.objects.filter(support_contact=kim).values_list("pk", flat=True)) == moved | {leaving["kims"].pk}
    assert list(Carer.objects.filter(support_contact=karin).values_list("pk", flat=True)) == [leaving["hers_in_a2"].pk]
    # A new stödkontakt is not an entry about the person: gallring is not postponed.
    assert {c.pk: c.last_entry_at for c in Carer.objects.all()} == before

    entries = AccessLog.objects.filter(action="update", record_type="contacts.carer")
    assert sorted(entries.values_list("subject_code", flat=True)) == sorted(str(c.code) for c in leaving["hers_in_a"])
    assert {(e.actor_id, e.unit_id, e.via) for e in entries} == {
        (admin_a.pk, org.unit_a.pk, "contacts:carers_handover")
    }


def test_a_changed_number_is_shown_again_before_anything_moves(org, login_as, leaving) -> None:  # type: ignore[no-untyped-def]
    karin, kim = leaving["karin"], leaving["kim"]
    client = login_as("admin_a")
    url = f"/personal/{karin.code}/overlamning/norra/"
    client.post(url, {"to": kim.code})
    # Meanwhile a colleague registers one more carer with Karin as stödkontakt.
    Carer.objects.create(unit=org.unit_a, number=6, support_contact=karin, last_entry_at=timezone.now())
    response = client.post(url, {"to": kim.code, "expected": 4, "confirm": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Antalet anhöriga har ändrats till 5" in page
    assert "5 anhöriga i Anhörigstöd Norra flyttas" in page
    assert Carer.objects.filter(unit=org.unit_a, support_contact=karin).count() == 5
    assert not AccessLog.objects.filter(record_type="contacts.carer", action="update").exists()


def test_only_an_active_colleague_of_the_same_unit_can_take_over(org, login_as, leaving) -> None:  # type: ignore[no-untyped-def]
    karin, kim = leaving["karin"], leaving["kim"]
    elsewhere = MembershipFactory(user__full_name="Sune Södra", unit=org.unit_a2, role=Role.CONSULTANT).user
    MembershipFactory(user__full_name="Klara Kvar", unit=org.unit_a, role=Role.CONSULTANT)
    kim.is_active = False
    kim.save()
    client = login_as("admin_a")
    url = f"/personal/{karin.code}/overlamning/norra/"
    page = client.get(url).content.decode()
    assert "Klara Kvar" in page
    assert "Kim Kollega" not in page and "Sune Södra" not in page
    for to in (kim, elsewhere, karin):
        response = client.post(url, {"to": to.code, "expected": 4, "confirm": "1"})
        assert response.status_code == 200
        assert "Välj ett giltigt alternativ" in response.content.decode()
    assert Carer.objects.filter(unit=org.unit_a, support_contact=karin).count() == 4


def test_a_manager_above_the_unit_can_take_over(org, manager_a, leaving, admin_a) -> None:  # type: ignore[no-untyped-def]
    moved = carers_hand_over(handed_over_by=admin_a, unit=org.unit_a2, leaving=leaving["karin"], to=manager_a)
    assert moved == 1
    assert Carer.objects.get(pk=leaving["hers_in_a2"].pk).support_contact == manager_a


def test_the_service_refuses_other_units_and_other_actors(org, leaving, consultant_b, manager_a) -> None:  # type: ignore[no-untyped-def]
    karin, kim = leaving["karin"], leaving["kim"]
    for actor in (consultant_b, manager_a, kim):
        with pytest.raises(ValidationError):
            carers_hand_over(handed_over_by=actor, unit=org.unit_a, leaving=karin, to=kim)
    assert Carer.objects.filter(unit=org.unit_a, support_contact=karin).count() == 4


def test_another_municipalitys_admin_gets_404(org, leaving) -> None:  # type: ignore[no-untyped-def]
    britt = MembershipFactory(user__full_name="Britt Admin", unit=org.unit_b, role=Role.ADMIN).user
    TOTP.activate(britt, TOTP_SECRET)
    client = Client()
    client.force_login(britt)
    karin, kim = leaving["karin"], leaving["kim"]
    assert client.get(f"/personal/{karin.code}/overlamning/").status_code == 404
    assert client.get(f"/personal/{karin.code}/overlamning/norra/").status_code == 404
    response = client.post(f"/personal/{karin.code}/overlamning/norra/", {"to": kim.code, "expected": 4, "confirm": 1})
    assert response.status_code == 404
    assert Carer.objects.filter(unit=org.unit_a, support_contact=karin).count() == 4


def test_after_handing_over_the_person_can_leave_the_unit(org, login_as, leaving) -> None:  # type: ignore[no-untyped-def]
    from anhorigstod.accounts.models import Membership

    karin, kim = leaving["karin"], leaving["kim"]
    client = login_as("admin_a")
    assert client.post(f"/personal/{karin.code}/enhet/norra/ta-bort/").status_code == 200  # refused: carers
    client.post(f"/personal/{karin.code}/overlamning/norra/", {"to": kim.code, "expected": 4, "confirm": "1"})
    response = client.post(f"/personal/{karin.code}/enhet/norra/ta-bort/")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=karin, unit=org.unit_a).exists()
    # Her page still shows what is left to hand over in Södra.
    page = client.get(f"/personal/{karin.code}/").content.decode()
    assert f"/personal/{karin.code}/overlamning/sodra/" in page
