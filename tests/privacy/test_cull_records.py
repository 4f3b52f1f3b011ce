"""``manage.py cull_records --dry-run``: per model, what the nightly job would remove."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from anhorigstod.accounts.models import User
from contacts.models import Carer
from groups.models import ContactRequest
from tests.conftest import Org
from tests.contacts.test_retention import fill_record, make_carer


def test_the_dry_run_prints_every_model_with_its_count_and_removes_nothing(org: Org, consultant_a: User) -> None:
    long_ago = timezone.now() - dt.timedelta(days=6 * 366)
    carer = make_carer(org.unit_a, last_entry_at=long_ago, first_name="Gunnel")
    fill_record(carer, consultant_a)
    ContactRequest.objects.create(
        unit=org.unit_a, name="Gunilla", phone="070-1", preferred_channel="phone", handled_at=long_ago
    )
    out = StringIO()

    call_command("cull_records", "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    assert "Ängsviks kommun (9901), last entry before" in lines[0] and lines[0].endswith("Would cull")
    expected = {
        "contacts.Carer carers: 1",
        "contacts.Talk talks: 2",
        "contacts.MeasurementAnswer measurement_answers: 3",
        "groups.Booking shredded_bookings: 0",
        "groups.Booking documented_bookings: 0",
        "groups.ContactRequest handled_contact_requests: 1",
        "followup.FollowUpReport followup_reports: 0",
    }
    printed = {line.split("  (")[0].strip() for line in lines}
    assert expected <= printed
    assert "Platform-wide rules: Would cull" in lines
    assert {"audit.AccessLog access_log_entries: 0", "outbox.OutboxMessage outbox_messages: 0"} <= printed
    assert any(line.startswith("  contacts.Carer carers: 1  (delete the row") for line in lines)
    assert "Gunnel" not in out.getvalue() and "Gunilla" not in out.getvalue()
    assert Carer.objects.filter(pk=carer.pk).exists() and ContactRequest.objects.exists()
