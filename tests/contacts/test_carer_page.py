"""The carer page shows each SOC-13 measurement's total: the one stored when the answers
were recorded, or, for a row written in bulk past the service, the total scored from its
answers by the same rule; and its query count does not grow with the measurements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.models import InstrumentItem, Measurement, MeasurementAnswer
from tests.conftest import CARER_A, Casework


def _record(client: Any, days_ago: int, value: int) -> None:
    answers = {f"item_{number}": value for number in range(1, 14)}
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    response = client.post(f"/anhoriga/{CARER_A}/matning/", {"occasion": "before", "measured_on": day, **answers})
    assert response.status_code == 302


def _queries(client: Any) -> int:
    client.get(f"/anhoriga/{CARER_A}/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/anhoriga/{CARER_A}/").status_code == 200
    return len(queries)


def test_a_measurement_written_in_bulk_is_scored_from_its_answers(casework: Casework, login_as: Any) -> None:
    karin = login_as("consultant_a")
    items = list(InstrumentItem.objects.filter(instrument__code="soc13"))
    measurement = Measurement.objects.create(
        carer=casework.carer_a,
        instrument=items[0].instrument,
        occasion="before",
        measured_on=timezone.localdate() - dt.timedelta(days=10),
        recorded_by=casework.talk_a.consultant,
    )
    MeasurementAnswer.objects.bulk_create(
        MeasurementAnswer(measurement=measurement, item=item, value=4) for item in items
    )
    assert Measurement.objects.get(pk=measurement.pk).total is None

    page = karin.get(f"/anhoriga/{CARER_A}/").content.decode()

    assert "<td>52</td>" in page  # 13 items answered 4, which scores 4 reversed or not (8 - 4)


def test_the_carer_page_query_count_does_not_grow_with_the_measurements(casework: Casework, login_as: Any) -> None:
    karin = login_as("consultant_a")
    _record(karin, 90, 4)
    one = _queries(karin)
    for days_ago in (60, 30, 20):
        _record(karin, days_ago, 5)

    assert _queries(karin) == one
