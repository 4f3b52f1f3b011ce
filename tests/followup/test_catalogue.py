"""The support catalogue: the 2019 survey's questions as data, and each unit's answers."""

from __future__ import annotations

import csv
import io

import pytest

from followup.catalogue.questions import ITEMS, QUESTIONS, S1, S2, S3, SECTIONS
from followup.models import CatalogueResponse, SupportCatalogue

YEAR = 2024


def test_the_question_set_is_the_surveys_fourteen_questions() -> None:
    assert [q.number for q in QUESTIONS] == list(range(1, 15))
    assert [s.title for s in SECTIONS] == [
        "A. ORGANISERING AV ANHÖRIGSTÖD",
        "B. STÖD TILL ANHÖRIGA",
        "C. DELAKTIGHET",
    ]
    by_number = {q.number: q for q in QUESTIONS}
    # Spot checks against seed 001 L4802, L4856 and L5080 (shared/domain/seed-001-notes.md §1).
    assert by_number[1].text == "Vilka målgrupper ingår i din förvaltning? (Svara för alla områden)"
    assert by_number[5].text == (
        "Hur beskriver ni er samverkan med följande huvudmän/organisationer för att erbjuda stöd till anhöriga?"
    )
    assert by_number[14].text == (
        "Frågor kring planering och beslut kring insatser till närstående "
        "(Ange vad som stämmer för samtliga alternativ)"
    )
    assert [r.text for r in by_number[3].rows][-1] == "Ja, det finns mer än 10 personal"
    assert by_number[7].rows[-1].text == "Ange antal kostnadsfria avlösartimmar SoL, per individ och månad:"
    assert by_number[5].scale is S3
    assert S3.options[2][1] == "Vi har gemensamma aktiviteter med dem, ex gruppverksamhet och planeringar"
    assert {q.number for q in QUESTIONS if q.scale is S1} == {1, 2, 3, 4, 6, 13, 14}
    assert {q.number for q in QUESTIONS if q.scale is S2} == {7, 8, 9, 10, 11, 12}
    assert [len(q.rows) for q in QUESTIONS] == [7, 0, 5, 0, 13, 9, 9, 13, 3, 4, 5, 4, 2, 4]
    assert all(q.comment_label == "Kommentar" for q in QUESTIONS)


def _post(client, url, **values):  # type: ignore[no-untyped-def]
    return client.post(url, values)


def test_consultant_fills_in_and_reloads_the_units_catalogue(login_as, org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    client = login_as("consultant_a")
    url = f"/katalog/norra/{YEAR}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Vilka målgrupper ingår i din förvaltning? (Svara för alla områden)" in page.content.decode()
    response = _post(
        client,
        url,
        q1_1="ja",
        q1_7="ja",
        q1_7_text="Personer med demenssjukdom",
        q2="nej",
        q5_11="gemensamma",
        q7_9="12",
        q7_kommentar="Timmarna gäller SoL.",
        other_views="Tack!",
    )
    assert response.status_code == 302
    catalogue = SupportCatalogue.objects.get(unit=org.unit_a, year=YEAR)
    assert catalogue.other_views == "Tack!"
    assert catalogue.updated_by == consultant_a
    stored = {r.item_code: (r.answer, r.text) for r in catalogue.responses.all()}
    assert stored == {
        "1.1": ("ja", ""),
        "1.7": ("ja", "Personer med demenssjukdom"),
        "2": ("nej", ""),
        "5.11": ("gemensamma", ""),
        "7.9": ("", "12"),
        "7.kommentar": ("", "Timmarna gäller SoL."),
    }
    reloaded = client.get(url)
    form = reloaded.context["form"]
    assert form["q1_1"].value() == "ja"
    assert form["q5_11"].value() == "gemensamma"
    assert form["q7_9"].value() == "12"
    assert form["q1_7_text"].value() == "Personer med demenssjukdom"
    # Saving again replaces the answers: a cleared item is gone.
    _post(client, url, q1_1="nej")
    assert {r.item_code: r.answer for r in catalogue.responses.all()} == {"1.1": "nej"}


def test_an_answer_off_the_scale_is_refused(login_as, org) -> None:  # type: ignore[no-untyped-def]
    client = login_as("consultant_a")
    response = _post(client, f"/katalog/norra/{YEAR}/", q1_1="ej_relevant", q5_1="ja")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"q1_1", "q5_1"}
    assert not CatalogueResponse.objects.exists()


def test_index_leads_to_the_chosen_unit_and_year(login_as, org) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    assert client.get("/katalog/").status_code == 200
    response = client.get("/katalog/", {"enhet": "sodra", "ar": YEAR})
    assert response.status_code == 302 and response["Location"] == f"/katalog/sodra/{YEAR}/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("consultant_b", 404), ("admin_a", 403), ("carer", 403), ("manager_a", 200), ("consultant_a", 200)],
)
def test_only_the_units_staff_reach_its_catalogue(login_as, org, persona, status) -> None:  # type: ignore[no-untyped-def]
    assert login_as(persona).get(f"/katalog/norra/{YEAR}/").status_code == status


def test_a_year_outside_the_survey_range_is_not_found(login_as, org) -> None:  # type: ignore[no-untyped-def]
    assert login_as("consultant_a").get("/katalog/norra/1990/").status_code == 404


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_managers_export_every_answer_of_their_units(login_as, org, consultant_b) -> None:  # type: ignore[no-untyped-def]
    _post(
        login_as("consultant_a"), f"/katalog/norra/{YEAR}/", q1_1="ja", q6_9="ja", q6_9_text="=cmd()", other_views="Bra"
    )
    _post(login_as("consultant_b"), f"/katalog/sjohaga/{YEAR}/", q1_1="nej")
    assert login_as("consultant_a").get("/katalog/export.csv").status_code == 403
    response = login_as("manager_a").get("/katalog/export.csv")
    assert response.status_code == 200
    rows = _csv(response)
    header, data = rows[0], rows[1:]
    col = header.index
    assert {row[col("enhet")] for row in data} == {"norra"}
    first = data[0]
    assert (first[col("kommunkod")], first[col("ar")], first[col("fraga")], first[col("delfraga")]) == (
        "9901",
        str(YEAR),
        "1",
        "1.1",
    )
    assert first[col("fragetext")] == ITEMS["1.1"][1] == "Personer med funktionsnedsättning"
    assert (first[col("svarsskala")], first[col("svar")], first[col("svarstext")]) == ("S1", "ja", "Ja")
    other = next(row for row in data if row[col("delfraga")] == "6.9")
    assert other[col("fritext")] == "'=cmd()"
    closing = data[-1]
    assert closing[col("delfraga")] == "ovriga" and closing[col("fritext")] == "Bra"


def test_the_form_has_the_surveys_head_definitions_district_and_free_text_other_rows(login_as, org) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: the title, the three definitions respondents answer by, the district
    field (seed 001 L4751-4798), and "Annat:" as its own free-text prompt."""
    client = login_as("consultant_a")
    url = f"/katalog/norra/{YEAR}/"
    page = client.get(url).content.decode()
    assert "Stöd till anhöriga - organisering, förekomst och delaktighet" in page
    assert "Enkät 2019-06-10" in page
    assert "Med anhörig avses person som stödjer, hjälper, ger vård eller omsorg" in page
    assert "Med närstående avses den person som tar emot omsorg eller vård enligt ovanstående." in page
    assert "Med anhörigperspektiv avses att rådande rutiner, riktlinjer och vid bedömning beaktas" in page
    assert "Om du tillhör särskild stadsdels- eller kommundelsförvaltning, ange vilken" in page
    # "Annat:" (1.7) has no Ja/Nej: only its text field. An "Ange vad:" row keeps both.
    assert 'name="q1_7"' not in page and 'name="q1_7_text"' in page
    assert 'name="q7_8"' in page and 'name="q7_8_text"' in page

    assert _post(client, url, district="Stadsdel Väster", q1_7_text="Personer med demenssjukdom").status_code == 302
    catalogue = SupportCatalogue.objects.get(unit=org.unit_a, year=YEAR)
    assert catalogue.district == "Stadsdel Väster"
    # What is typed is the answer: stored as "ja" with the text; nothing typed, nothing stored.
    assert {r.item_code: (r.answer, r.text) for r in catalogue.responses.all()} == {
        "1.7": ("ja", "Personer med demenssjukdom")
    }
    rows = _csv(login_as("manager_a").get("/katalog/export.csv"))
    col = rows[0].index
    district = next(row for row in rows[1:] if row[col("delfraga")] == "stadsdel")
    assert district[col("fritext")] == "Stadsdel Väster"
