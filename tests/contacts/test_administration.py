"""The municipality's administration of kinds of support, partners and exemption decisions:
who may (403 for the wrong role, 404 for another municipality's), what is kept, what is
access-logged, and the reminder before a decision expires."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from anhorigstod.accounts.models import Role
from anhorigstod.audit.models import AccessLog
from anhorigstod.outbox.models import OutboxMessage
from contacts.models import ExemptionDecision, Partner, SupportKind, SupportKindTierChange, Talk
from contacts.selectors.partners import partners_for_unit
from contacts.selectors.talks import talk_kinds_for_unit
from contacts.services.documentation import exemption_expiry_reminders_send
from tests.conftest import _staff
from tests.factories import MembershipFactory

DAY = dt.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def logged(actor: Any, action: str, record_type: str, record_code: Any) -> bool:
    return AccessLog.objects.filter(
        actor=actor, action=action, record_type=record_type, record_code=str(record_code)
    ).exists()


# --- Kinds of support -----------------------------------------------------------------------


def test_the_admin_adds_a_kind_with_its_tier_on_record(casework, login_as, admin_a) -> None:  # type: ignore[no-untyped-def]
    response = login_as("admin_a").post(
        "/dokumentation/stodform/ny/",
        {"name": "Promenadsamtal", "code": "walk_talk", "tier": "advice", "area": "support_talks", "for_talks": "on"},
    )
    assert response.status_code == 302 and response["Location"] == "/dokumentation/"
    kind = SupportKind.objects.get(code="walk_talk")
    assert (kind.municipality.kommunkod, kind.tier, kind.for_talks, kind.active) == ("9901", "advice", True, True)
    change = SupportKindTierChange.objects.get(support_kind=kind)
    assert (change.old_tier, change.new_tier, change.changed_by) == ("", "advice", admin_a)
    assert logged(admin_a, "create", "contacts.supportkind", kind.code)
    page = login_as("admin_a").get("/dokumentation/").content.decode()
    assert "Promenadsamtal" in page


def test_a_code_in_use_is_refused_and_the_form_kept(casework, login_as) -> None:  # type: ignore[no-untyped-def]
    response = login_as("admin_a").post(
        "/dokumentation/stodform/ny/",
        {"name": "Ett annat namn", "code": "cafe", "tier": "advice", "area": "support_talks"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kommunen har redan en stödform med den koden." in page
    assert 'value="Ett annat namn"' in page
    assert not SupportKind.objects.filter(name="Ett annat namn").exists()


def test_the_admin_renames_and_retires_a_kind_which_is_then_not_offered(casework, login_as, admin_a, org) -> None:  # type: ignore[no-untyped-def]
    kind = casework.kinds["individual_talk"]
    response = login_as("admin_a").post(
        f"/dokumentation/stodform/{kind.pk}/andra/", {"name": "Enskilt stödsamtal", "area": "support_talks"}
    )
    assert response.status_code == 302
    kind.refresh_from_db()
    assert (kind.name, kind.active, kind.for_talks, kind.tier) == ("Enskilt stödsamtal", False, False, "advice")
    assert kind not in talk_kinds_for_unit(unit=org.unit_a)
    assert logged(admin_a, "update", "contacts.supportkind", kind.code)


@pytest.mark.parametrize("persona", ["consultant_a", "manager_a", "consultant_b"])
def test_only_an_administrator_adds_or_changes_kinds(casework, login_as, persona: str) -> None:  # type: ignore[no-untyped-def]
    kind = casework.kinds["cafe"]
    client = login_as(persona)
    assert (
        client.post(f"/dokumentation/stodform/{kind.pk}/andra/", {"name": "Kapad", "area": "health"}).status_code == 403
    )
    data = {"name": "Kapad", "code": "kapad", "tier": "advice", "area": "health"}
    assert client.post("/dokumentation/stodform/ny/", data).status_code == 403
    kind.refresh_from_db()
    assert kind.name != "Kapad" and not SupportKind.objects.filter(code="kapad").exists()


def test_another_municipalitys_kind_is_a_404(casework, login_as, org) -> None:  # type: ignore[no-untyped-def]
    theirs = SupportKind.objects.get(municipality=org.unit_b.municipality, code="cafe")
    client = login_as("admin_a")
    assert client.get(f"/dokumentation/stodform/{theirs.pk}/andra/").status_code == 404
    assert (
        client.post(f"/dokumentation/stodform/{theirs.pk}/andra/", {"name": "Kapad", "area": "health"}).status_code
        == 404
    )
    assert client.get("/dokumentation/stodform/ny/?kommun=9902").status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "Kapad"


def test_a_tier_change_is_access_logged(casework, login_as, admin_a) -> None:  # type: ignore[no-untyped-def]
    kind = casework.kinds["lecture"]
    response = login_as("admin_a").post(
        f"/dokumentation/stodform/{kind.pk}/", {"tier": "open_activity", "reason": "Nämndens beslut."}
    )
    assert response.status_code == 302
    assert logged(admin_a, "update", "contacts.supportkind", kind.code)


# --- Partners -------------------------------------------------------------------------------


@pytest.fixture
def partners(org) -> dict[str, Partner]:  # type: ignore[no-untyped-def]
    return {
        "a": Partner.objects.create(unit=org.unit_a, name="Demensföreningen", organisation_type="carer_association"),
        "b": Partner.objects.create(unit=org.unit_b, name="Sjöhaga Röda Korset", organisation_type="aid_organisation"),
    }


PARTNER_FORM = {"name": "Demensföreningen Ängsvik", "organisation_type": "carer_association", "phone": "0123-1"}


def test_the_admin_edits_a_partner(partners, login_as, admin_a) -> None:  # type: ignore[no-untyped-def]
    partner = partners["a"]
    response = login_as("admin_a").post(f"/vagvisare/{partner.code}/andra/", PARTNER_FORM)
    assert response.status_code == 302 and response["Location"] == "/vagvisare/"
    partner.refresh_from_db()
    assert (partner.name, partner.phone) == ("Demensföreningen Ängsvik", "0123-1")
    assert logged(admin_a, "update", "contacts.partner", partner.code)


def test_a_retired_partner_is_not_offered_but_stays_listed_and_can_come_back(partners, login_as, admin_a, org) -> None:  # type: ignore[no-untyped-def]
    partner = partners["a"]
    client = login_as("admin_a")
    assert client.post(f"/vagvisare/{partner.code}/avveckla/", {"retired": "1"}).status_code == 302
    partner.refresh_from_db()
    assert partner.retired_on == timezone.localdate()
    assert partner not in partners_for_unit(unit=org.unit_a)
    assert partner in partners_for_unit(unit=org.unit_a, current=[partner])  # an activity that names it keeps it
    page = client.get("/vagvisare/").content.decode()
    assert "Demensföreningen" in page and "Avvecklad" in page
    assert logged(admin_a, "update", "contacts.partner", partner.code)
    assert client.post(f"/vagvisare/{partner.code}/avveckla/", {"retired": "0"}).status_code == 302
    partner.refresh_from_db()
    assert partner.retired_on is None and partner in partners_for_unit(unit=org.unit_a)


@pytest.mark.parametrize("persona", ["consultant_a", "manager_a"])
def test_only_an_administrator_edits_or_retires_partners(partners, login_as, persona: str) -> None:  # type: ignore[no-untyped-def]
    partner = partners["a"]
    client = login_as(persona)
    assert client.post(f"/vagvisare/{partner.code}/andra/", PARTNER_FORM).status_code == 403
    assert client.post(f"/vagvisare/{partner.code}/avveckla/", {"retired": "1"}).status_code == 403
    partner.refresh_from_db()
    assert (partner.name, partner.retired_on) == ("Demensföreningen", None)


def test_another_municipalitys_partner_is_a_404(partners, login_as) -> None:  # type: ignore[no-untyped-def]
    theirs = partners["b"]
    client = login_as("admin_a")
    assert client.get(f"/vagvisare/{theirs.code}/andra/").status_code == 404
    assert client.post(f"/vagvisare/{theirs.code}/avveckla/", {"retired": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.retired_on is None


# --- Exemption decisions --------------------------------------------------------------------


@pytest.fixture
def decision(casework, manager_a) -> ExemptionDecision:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    decision = ExemptionDecision.objects.create(
        municipality=casework.kinds["talk_series"].municipality,
        board="Socialnämnden",
        decided_on=today - 100 * DAY,
        reference="SN 2025/114 § 52",
        valid_from=today - 90 * DAY,
        valid_to=today + 200 * DAY,
        reason=ExemptionDecision.Reason.LOW_THRESHOLD,
        reason_text="Låg tröskel.",
        recorded_by=manager_a,
    )
    decision.kinds.set([casework.kinds["talk_series"]])
    yield decision
    if decision.minutes:
        decision.minutes.delete(save=False)


def exemption_form(decision: ExemptionDecision, **changes: Any) -> dict[str, Any]:
    data = {
        "board": decision.board,
        "reference": decision.reference,
        "decided_on": decision.decided_on.isoformat(),
        "valid_from": decision.valid_from.isoformat(),
        "valid_to": decision.valid_to.isoformat() if decision.valid_to else "",
        "kinds": [kind.pk for kind in decision.kinds.all()],
        "reason": decision.reason,
        "reason_text": decision.reason_text,
    }
    data.update(changes)
    return data


def anonymous_talk(casework, decision: ExemptionDecision, *, days_ago: int) -> Talk:  # type: ignore[no-untyped-def]
    return Talk.objects.create(
        unit=casework.talk_a.unit,
        consultant=casework.talk_a.consultant,
        support_kind=casework.kinds["talk_series"],
        exemption=decision,
        started_at=timezone.now() - days_ago * DAY,
        duration_minutes=30,
        mode="phone",
        talk_type="advice",
        initiator="carer",
        time_of_day="daytime",
    )


def test_a_manager_amends_a_decision_and_attaches_the_minutes(decision, login_as, manager_a) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    upload = SimpleUploadedFile("protokoll.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/dokumentation/undantag/{decision.code}/andra/",
        exemption_form(decision, reference="SN 2025/114 § 53", minutes_file=upload),
    )
    assert response.status_code == 302, response.content.decode()
    decision.refresh_from_db()
    assert decision.reference == "SN 2025/114 § 53"
    assert decision.minutes.name.startswith("exemptions/") and "protokoll" not in decision.minutes.name
    assert logged(manager_a, "update", "contacts.exemptiondecision", decision.code)
    # Downloaded through the permission-checked view, not from a public URL.
    download = client.get(f"/dokumentation/undantag/{decision.code}/protokollsutdrag.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    assert (
        f'href="/dokumentation/undantag/{decision.code}/protokollsutdrag.pdf"'
        in client.get("/dokumentation/").content.decode()
    )


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_changes(decision, login_as) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("protokoll.pdf", b"<html>nej</html>", content_type="application/pdf")
    response = login_as("admin_a").post(
        f"/dokumentation/undantag/{decision.code}/andra/",
        exemption_form(decision, reference="Ändrad", minutes_file=upload),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Filen är ingen PDF." in page and 'value="Ändrad"' in page
    decision.refresh_from_db()
    assert decision.reference == "SN 2025/114 § 52" and not decision.minutes


def test_an_amendment_cannot_leave_a_talk_outside_the_decision(decision, casework, login_as) -> None:  # type: ignore[no-untyped-def]
    anonymous_talk(casework, decision, days_ago=30)
    client = login_as("manager_a")
    later_start = (timezone.localdate() - 10 * DAY).isoformat()
    response = client.post(
        f"/dokumentation/undantag/{decision.code}/andra/", exemption_form(decision, valid_from=later_start)
    )
    assert response.status_code == 200
    assert "Samtal har registrerats enligt beslutet från och med" in response.content.decode()
    other_kind = casework.kinds["support_group"].pk
    response = client.post(
        f"/dokumentation/undantag/{decision.code}/andra/", exemption_form(decision, kinds=[other_kind])
    )
    assert "Samtalsserie" in response.content.decode() and "fortsatt omfattas" in response.content.decode()
    decision.refresh_from_db()
    assert decision.valid_from == timezone.localdate() - 90 * DAY
    assert list(decision.kinds.values_list("code", flat=True)) == ["talk_series"]


def test_a_manager_ends_a_decision_early_but_not_before_its_last_talk(decision, casework, login_as, manager_a) -> None:  # type: ignore[no-untyped-def]
    anonymous_talk(casework, decision, days_ago=5)
    client = login_as("manager_a")
    too_early = (timezone.localdate() - 10 * DAY).isoformat()
    response = client.post(f"/dokumentation/undantag/{decision.code}/avsluta/", {"last_day": too_early})
    assert response.status_code == 200
    assert "till och med" in response.content.decode()
    decision.refresh_from_db()
    assert decision.valid_to == timezone.localdate() + 200 * DAY
    last_day = timezone.localdate()
    response = client.post(f"/dokumentation/undantag/{decision.code}/avsluta/", {"last_day": last_day.isoformat()})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.valid_to == last_day
    assert logged(manager_a, "update", "contacts.exemptiondecision", decision.code)


def test_a_consultant_cannot_touch_a_decision_and_another_municipality_gets_a_404(decision, login_as, org) -> None:  # type: ignore[no-untyped-def]
    consultant = login_as("consultant_a")
    assert (
        consultant.post(
            f"/dokumentation/undantag/{decision.code}/andra/", exemption_form(decision, reference="X")
        ).status_code
        == 403
    )
    assert (
        consultant.post(f"/dokumentation/undantag/{decision.code}/avsluta/", {"last_day": "2020-01-01"}).status_code
        == 403
    )
    # A manager of the other municipality.
    other = Client()
    other.force_login(
        _staff("sofia@sjohaga.example", "Sofia Chef", org.unit_b, Role.MANAGER),
        backend=settings.AUTHENTICATION_BACKENDS[0],
    )
    assert other.get(f"/dokumentation/undantag/{decision.code}/andra/").status_code == 404
    assert (
        other.post(f"/dokumentation/undantag/{decision.code}/avsluta/", {"last_day": "2020-01-01"}).status_code == 404
    )
    decision.refresh_from_db()
    assert decision.reference == "SN 2025/114 § 52" and decision.valid_to == timezone.localdate() + 200 * DAY


# --- The reminder before a decision expires -------------------------------------------------


def test_the_reminder_goes_once_to_the_municipalitys_administrators(  # type: ignore[no-untyped-def]
    decision, admin_a, manager_a, consultant_a, org, django_capture_on_commit_callbacks, settings
) -> None:
    settings.CONTACTS_EXEMPTION_REMINDER_DAYS = 30
    # A second administrator, in a unit below; an administrator of another municipality.
    MembershipFactory(user__email="adam@angsvik.example", unit=org.unit_a2, role=Role.ADMIN)
    MembershipFactory(user__email="other-admin@sjohaga.example", unit=org.unit_b, role=Role.ADMIN)
    today = timezone.localdate()
    assert exemption_expiry_reminders_send(today=today) == 0, "200 days left: not yet"
    decision.valid_to = today + 20 * DAY
    decision.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert exemption_expiry_reminders_send(today=today) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["adam@angsvik.example", "alva@angsvik.example"]
    assert message.subject == "Ett undantagsbeslut upphör snart att gälla"
    for person in (admin_a, manager_a, consultant_a):
        assert person.full_name not in message.subject and person.email not in message.subject
    assert "SN 2025/114 § 52" in message.body and (today + 20 * DAY).isoformat() in message.body
    assert "/dokumentation/" in message.body
    # Once: the next day's run sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert exemption_expiry_reminders_send(today=today + DAY) == 0
    assert len(mail.outbox) == 1
    # A new end date re-arms it.
    decision.valid_to = today + 25 * DAY
    decision.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert exemption_expiry_reminders_send(today=today + DAY) == 1
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(template="exemption_expiring").count() == 2


def test_no_reminder_for_a_decision_already_over_or_without_end(decision, settings) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    decision.valid_to = today - DAY
    decision.save()
    assert exemption_expiry_reminders_send(today=today) == 0
    decision.valid_to = None
    decision.save()
    assert exemption_expiry_reminders_send(today=today) == 0
    assert not OutboxMessage.objects.exists()


def test_the_beat_schedule_runs_the_reminder_daily(settings) -> None:  # type: ignore[no-untyped-def]
    entry = settings.CELERY_BEAT_SCHEDULE["contacts-exemption-reminders"]
    assert entry["task"] == "contacts.tasks.exemption_expiry_reminders"
    from contacts.tasks import exemption_expiry_reminders

    assert exemption_expiry_reminders.name == entry["task"]


def test_a_new_decision_can_carry_its_minutes_and_is_logged(casework, login_as, manager_a) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    upload = SimpleUploadedFile("SN-protokoll.pdf", PDF, content_type="application/pdf")
    response = login_as("manager_a").post(
        "/dokumentation/undantag/nytt/",
        {
            "board": "Socialnämnden",
            "reference": "SN 2026/7 § 3",
            "decided_on": today.isoformat(),
            "valid_from": today.isoformat(),
            "valid_to": "",
            "kinds": [casework.kinds["talk_series"].pk],
            "reason": "anonymity",
            "reason_text": "Behov av anonymitet.",
            "minutes_file": upload,
        },
    )
    assert response.status_code == 302, response.content.decode()
    decision = ExemptionDecision.objects.get(reference="SN 2026/7 § 3")
    try:
        assert decision.minutes.read() == PDF
        assert logged(manager_a, "create", "contacts.exemptiondecision", decision.code)
    finally:
        decision.minutes.delete(save=False)
