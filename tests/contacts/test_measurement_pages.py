"""Recording SOC-13 (KASAM) on a carer's record and seeing the change."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anhorigstod.audit.models import AccessLog
from contacts.models import Measurement
from tests.conftest import CARER_A


def _answers(value_for: dict[int, int], default: int) -> dict[str, int]:
    return {f"item_{number}": value_for.get(number, default) for number in range(1, 14)}


def test_before_and_after_are_recorded_and_the_change_shown(casework, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("consultant_a")
    url = f"/anhoriga/{CARER_A}/matning/"
    assert client.get(url).status_code == 200
    before_day = timezone.localdate() - dt.timedelta(days=60)
    # All 4: every item scores 4 whether reversed or not, total 52.
    response = client.post(url, {"occasion": "before", "measured_on": before_day, **_answers({}, 4)})
    assert response.status_code == 302
    # All 6 except the reversed items 1, 2, 3, 7, 10 answered 2 (scored 8 - 2 = 6): total 13 x 6 = 78.
    answers = _answers({1: 2, 2: 2, 3: 2, 7: 2, 10: 2}, 6)
    response = client.post(url, {"occasion": "after", "measured_on": timezone.localdate(), **answers})
    assert response.status_code == 302
    assert Measurement.objects.filter(carer=casework.carer_a).count() == 2
    assert AccessLog.objects.filter(record_type="contacts.measurement", action="create").count() == 2
    page = client.get(f"/anhoriga/{CARER_A}/").content.decode()
    assert "<td>52</td>" in page and "<td>78</td>" in page
    assert "26" in page  # the change, 78 - 52


def test_a_missing_answer_keeps_what_was_typed(casework, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as("consultant_a")
    answers = _answers({}, 5)
    del answers["item_7"]
    response = client.post(
        f"/anhoriga/{CARER_A}/matning/", {"occasion": "before", "measured_on": timezone.localdate(), **answers}
    )
    assert response.status_code == 200
    assert "item_7" in response.context["form"].errors
    assert response.context["form"].data["item_3"] == "5"
    assert not Measurement.objects.exists()


def test_another_units_carer_is_a_404(casework, login_as) -> None:  # type: ignore[no-untyped-def]
    assert login_as("consultant_b").get(f"/anhoriga/{CARER_A}/matning/").status_code == 404
