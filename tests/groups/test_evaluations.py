"""Anonymous evaluations of activities (PRODUCT §5): a public form reached by the
activity's evaluation link, one answer per browser, and nothing stored that could say who
answered. The raw counts, and what of them staff may see, are in
``tests/followup/test_evaluations.py``.

Pages are read in English (the language switch's cookie) so the assertions do not
depend on the Swedish catalogue.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from django.test import Client
from django.utils import timezone

from groups.models import Activity, EvaluationResponse

WRONG_TOKEN = "0c0c0c0c-0000-4000-8000-00000000000c"
ANSWER = {"useful": "4", "welcomed": "5", "understand_better": "3", "would_recommend": "yes"}


@pytest.fixture
def client(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def html(response: Any) -> str:
    return response.content.decode()


def h1_count(response: Any) -> int:
    return len(re.findall(r"<h1[\s>]", html(response)))


def form_url(activity: Activity) -> str:
    return f"/utvardering/{activity.evaluation_token}/"


# --------------------------------------------------------------------------
# The public form
# --------------------------------------------------------------------------


def test_form_asks_the_questions_as_labelled_radio_groups(client: Client, activity_booking: Activity) -> None:
    response = client.get(form_url(activity_booking))
    assert response.status_code == 200
    page = html(response)
    assert h1_count(response) == 1
    for question in (
        "Was the activity useful to you?",
        "Did you feel welcome?",
        "Do you understand your situation better now?",
        "Would you recommend it to others in your situation?",
    ):
        assert f"<legend>{question}</legend>" in page
    for value in range(1, 6):
        assert f'type="radio" name="useful" value="{value}"' in page
    # Each radio button has a visible label tied to it.
    assert len(re.findall(r'<label for="id_useful_\d">', page)) == 5
    # Anonymous: nothing to type in.
    assert 'type="text"' not in page
    assert 'type="email"' not in page
    assert "<textarea" not in page


def test_answer_is_saved_anonymously_for_the_month(client: Client, activity_booking: Activity) -> None:
    response = client.post(form_url(activity_booking), ANSWER)

    assert response.status_code == 302
    assert response["Location"] == f"/utvardering/{activity_booking.evaluation_token}/tack/"
    saved = EvaluationResponse.objects.get()
    assert saved.activity == activity_booking
    assert (saved.useful, saved.welcomed, saved.understand_better, saved.would_recommend) == (4, 5, 3, True)
    assert saved.month == timezone.localdate().replace(day=1)
    # The row holds the answers and the month, nothing else: no user, session, address or time.
    fields = {field.name for field in EvaluationResponse._meta.concrete_fields}
    assert fields == {"id", "activity", "month", "useful", "welcomed", "understand_better", "would_recommend"}
    session_key = client.session.session_key
    stored = [str(value) for value in EvaluationResponse.objects.values().get().values()]
    assert session_key not in stored
    assert "127.0.0.1" not in stored

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you for your answers" in html(thanks)
    assert h1_count(thanks) == 1


def test_a_signed_in_person_is_not_recorded_either(login_as: Any, activity_booking: Activity) -> None:
    client = login_as("carer")
    client.cookies["django_language"] = "en"
    client.post(form_url(activity_booking), {**ANSWER, "would_recommend": "no"})
    saved = EvaluationResponse.objects.get()
    assert saved.would_recommend is False
    assert not any(field.is_relation and field.name != "activity" for field in EvaluationResponse._meta.fields)


def test_second_answer_from_the_same_browser_is_refused(client: Client, activity_booking: Activity) -> None:
    client.post(form_url(activity_booking), ANSWER)

    again = client.post(form_url(activity_booking), ANSWER)

    assert again.status_code == 200
    assert "You have already answered" in html(again)
    assert h1_count(again) == 1
    assert EvaluationResponse.objects.count() == 1
    # The form is not offered again either.
    assert "You have already answered" in html(client.get(form_url(activity_booking)))


def test_another_browser_may_answer(client: Client, activity_booking: Activity) -> None:
    client.post(form_url(activity_booking), ANSWER)
    other = Client()
    other.post(form_url(activity_booking), ANSWER)
    assert EvaluationResponse.objects.count() == 2


def test_missing_answers_are_explained_and_nothing_is_saved(client: Client, activity_booking: Activity) -> None:
    response = client.post(form_url(activity_booking), {"useful": "4", "welcomed": "9"})

    assert response.status_code == 200
    page = html(response)
    assert "Choose a number from 1 to 5." in page
    assert "Choose yes or no." in page
    # What was chosen stays chosen.
    assert re.search(r'value="4"[^>]*id="id_useful_3"[^>]*checked', page)
    assert not EvaluationResponse.objects.exists()


def test_wrong_token_is_a_helpful_404(client: Client, activity_booking: Activity) -> None:
    for url in (f"/utvardering/{WRONG_TOKEN}/", f"/utvardering/{WRONG_TOKEN}/tack/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "The evaluation link does not work" in html(response)
        assert h1_count(response) == 1
    assert client.post(f"/utvardering/{WRONG_TOKEN}/", ANSWER).status_code == 404
    assert not EvaluationResponse.objects.exists()


def test_thanks_page_without_an_answer_leads_to_the_form(client: Client, activity_booking: Activity) -> None:
    response = client.get(f"/utvardering/{activity_booking.evaluation_token}/tack/")
    assert response.status_code == 302
    assert response["Location"] == form_url(activity_booking)
