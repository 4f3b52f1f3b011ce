"""The benchmark's write row, "saving a talk (POST)" (bench/writes.py): the URL and form data
it posts are the talk form's, which the view accepts; the row times the saves and their
count upkeep; a refused save is an error row; and the dataset is left as it was built
(the talks deleted, the counts as a rebuild finds them)."""

from __future__ import annotations

from typing import Any

import pytest

from django.test import Client
from django.utils import timezone

from anhorigstod.rollups.services import rollups_rebuild
from bench import writes
from bench.dataset import Sizes, activate_mfa, build
from bench.writes import WRITE_ROW, form_errors, measure_writes, talk_day, talk_post, upkeep_timed
from contacts.models import Carer, Talk

SIZES = Sizes(municipalities=3, units=2, staff=1, talks=300, years=2, seed=7)


@pytest.fixture
def data(db: None) -> Any:
    data = build(SIZES, today=timezone.localdate(), progress=lambda *_: None)
    activate_mfa(data)
    rollups_rebuild(expected=True)  # as the benchmark fills the counts after its bulk load
    return data


def test_the_view_accepts_the_form_data_and_saves_an_identified_talk_of_the_carer(data: Any) -> None:
    url, post, redirect = talk_post(data)
    assert form_errors(data, post) == {}
    client = Client()
    client.force_login(data.consultant, backend="django.contrib.auth.backends.ModelBackend")
    before = data.carer.talks.count()

    response = client.post(url, post)

    assert response.status_code == 302
    assert response["Location"] == redirect == f"/anhoriga/{data.carer.code}/"
    assert data.carer.talks.count() == before + 1
    talk = data.carer.talks.latest("pk")
    assert talk.consultant == data.consultant
    assert talk.unit == data.team
    assert timezone.localdate(talk.started_at) == talk_day(data.year)
    assert talk_day(data.year).year == data.year and talk_day(data.year).weekday() < 5


def test_the_write_row_times_the_saves_and_their_upkeep_and_leaves_the_dataset_as_built(
    data: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    talks = Talk.objects.count()
    last_entry = Carer.objects.get(pk=data.carer.pk).last_entry_at

    results, loads = measure_writes(data, repeat=4)

    [result] = results
    assert result.name == WRITE_ROW and result.error is None and result.goal is None
    assert result.queries > 0
    assert result.parts is not None
    assert 0 < result.parts["upkeep_members_mean_ms"] <= result.parts["upkeep_mean_ms"] < result.parts["mean_ms"]
    assert [load.group for load in loads] == ["write (saving a talk)"]
    out = capsys.readouterr().out
    assert "count upkeep" in out and "of the request" in out
    assert "WARNING" not in out  # the upkeep was timed once a save
    # The talks are gone, with what they added to the counts.
    assert Talk.objects.count() == talks
    assert Carer.objects.get(pk=data.carer.pk).last_entry_at == last_entry
    assert rollups_rebuild(dry_run=True).differing == 0


def test_a_save_the_form_refuses_is_an_error_row(
    data: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, post, redirect = talk_post(data)
    monkeypatch.setattr(writes, "talk_post", lambda _data: (url, {**post, "mode": ""}, redirect))
    talks = Talk.objects.count()

    [result], _loads = measure_writes(data, repeat=3)

    assert result.error == "answered 200"
    assert "the talk form's errors: {'mode'" in capsys.readouterr().out
    assert Talk.objects.count() == talks


def test_the_upkeep_is_timed_whichever_module_calls_it(data: Any) -> None:
    """The talk service imported ``rollup_apply`` by name, the talks' corrections reach it
    through ``rollup_change``: both are timed, each call once."""
    from contacts import rollups
    from contacts.services import talks

    talk = data.carer.talks.first()
    with upkeep_timed() as upkeep:
        talks.rollup_apply({})  # nothing to add: returns at once, but is a call
        with rollups.talks_counted([talk.pk]):
            pass
    assert upkeep.calls == 2
    from anhorigstod.rollups import services

    assert talks.rollup_apply is services.rollup_apply  # put back
