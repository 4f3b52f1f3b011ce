"""Honest marks (issue 16): a count hidden because it is small prints "<5", a count hidden
so that a small one cannot be worked out prints "x", and a share built on a hidden count
prints "..", in the dashboard, the PDF report, the CSV/XLSX export and the sentences of
"Perioden i korthet"; the legend says what each mark means.

Dataset (tests/followup/test_national.py): March 2025, the förvaltning "Socialförvaltningen"
with its two units, Anhörigstöd Norra (seven named carers, twelve talks) and Anhörigstöd
Södra (six anonymous talks). Norra has 4 talks with men and Södra 1, so the förvaltning's
5 talks with men (and its 6 carers speaking Swedish, its 7 talks in week 11 …) are hidden
as "x": shown, they would give a unit's small count away by subtraction.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from typing import Any

import pytest

from django.utils import translation

from followup.dashboard.export import figures_rows
from followup.disclosure import released_figures
from followup.figures import FollowUpFigures, followup_figures
from followup.measures import BY_CODE, Hidden, Mark
from followup.reports import build
from followup.reports.context import key_figures_in_words, unit_and_below
from tests.followup.test_national import dataset  # noqa: F401  (the fixture)
from tests.followup.test_reports import line_with, pdf_text
from tests.groups.conftest import activity_booking, activity_drop_in  # noqa: F401  (fixtures)

START, END = dt.date(2025, 3, 1), dt.date(2025, 3, 31)
MARCH = {"start": "2025-03-01", "end": "2025-03-31"}
GENDER = "individual_talks_by_gender"


def both_releases(org: Any) -> tuple[FollowUpFigures, FollowUpFigures]:
    """The förvaltning's figures as released, and as counted (staff only)."""
    units = unit_and_below(org.unit_a.parent)
    return (
        released_figures(unit_ids=units, start=START, end=END),
        followup_figures(unit_ids=units, start=START, end=END),
    )


def test_the_dataset_hides_a_count_of_5_or_more_to_protect_a_unit(dataset) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The premise of the tests below: "Man" is hidden as protecting, and is really 5."""
    released, raw = both_releases(dataset)
    assert released.value(GENDER).cell("man").mark == Mark.PROTECTS
    assert raw.value(GENDER).cell("man").value == 5


def test_every_exported_mark_is_true_of_the_count_it_hides(dataset) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Row by row, the export of the released figures against the same rows counted: "<5"
    only where the count is under 5, "x" only where it is 5 or more (never "<5" for 5-34,
    as the issue found), ".." only for a share, mean or sum."""
    released, raw = both_releases(dataset)
    marks = {Mark.SMALL: 0, Mark.PROTECTS: 0, Mark.UNAVAILABLE: 0}
    for shown, counted in zip(figures_rows(released), figures_rows(raw), strict=True):
        assert shown[:2] == counted[:2]
        value = shown[2]
        if not isinstance(value, Hidden):
            continue
        marks[value.mark] += 1
        if value.mark == Mark.SMALL:
            assert counted[2] < 5, shown
        elif value.mark == Mark.PROTECTS:
            assert counted[2] >= 5, shown
    assert all(marks.values()), marks  # the dataset has each mark


def test_a_count_hidden_to_protect_another_prints_x_in_the_dashboard(dataset, login_as, consultant_a) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    response = login_as("manager_a").get("/uppfoljning/", {**MARCH, "suppress_small": "on"})
    html = response.content.decode()
    # All the manager's units: the förvaltning and its two units.
    assert response.context["figures"].value(GENDER).cell("man").mark == Mark.PROTECTS
    table = html.split("<caption>Enskilda samtal efter Kön</caption>")[1].split("</table>")[0]
    assert re.search(r'<th scope="row">Man</th>\s*<td>x</td>', table), table
    # The chart beside it prints the mark where the bar would be, and draws no bar.
    chart = html.split(f'aria-labelledby="chart-talks-{BY_CODE[GENDER].key}-title"')[1].split("</svg>")[0]
    assert ">x</text>" in chart
    # The workload: Karin's 7 talks in week 11 are hidden to protect a unit's week.
    row = html.split(f'<th scope="row">{consultant_a.full_name}</th>')[1].split("</tr>")[0]
    assert "<td>x</td>" in row
    # The legend says what "x" means.
    assert "x = dolt för att ett litet antal inte ska kunna räknas fram" in " ".join(html.split())


def test_a_count_hidden_to_protect_another_prints_x_in_the_pdf(dataset) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _html, pdf = build.report_render(unit=dataset.unit_a.parent, start=START, end=END)
    text = pdf_text(pdf)
    # The talks section, up to the reach section (whose "Man" is 2 carers: "<5" is true there).
    talks = text.split("Räckvidd och jämlikhet")[0]
    men = [line.strip() for line in talks.splitlines() if re.match(r"\s*Man\b", line)]
    assert men and all(re.match(r"Man x\b", line) for line in men), men  # the table and its chart
    # Five carers whose närstående has no municipal contact: hidden, and said to be protecting.
    assert line_with(text, "Närstående utan kommunal kontakt").endswith(" x")
    # A share built on a hidden count.
    assert line_with(text, "Informerade om rätten att ansöka (%)").endswith(" ..")


def test_a_count_hidden_to_protect_another_prints_x_in_the_exports(dataset, login_as) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from openpyxl import load_workbook

    client = login_as("manager_a")
    rows = list(csv.reader(io.StringIO(client.get("/uppfoljning/export.csv", MARCH).content.decode())))
    # By (section, measure): "Kön: Man" is also the reach section's 2 carers, rightly "<5".
    shown = {(row[0], row[1]): row[2] for row in rows}
    men = ("Stödsamtal", "Kön: Man")
    assert shown[men] == "x"
    assert shown[("Räckvidd och jämlikhet", "Kön: Man")] == "<5"
    assert shown[("Räckvidd och jämlikhet", "Närstående utan kommunal kontakt")] == "x"
    assert (
        shown[("Rätten att ansöka, och barn i den anhöriges nätverk", "Informerade om rätten att ansöka (%)")] == ".."
    )
    assert shown[("Arbetsbelastning", "Karin Konsulent 2025-W11")] == "x"
    # The "CSV för Excel" variant and the XLSX file print the same marks.
    excel = client.get("/uppfoljning/export.csv", {**MARCH, "format": "excel"}).content.decode("utf-8-sig")
    assert {(row[0], row[1]): row[2] for row in csv.reader(io.StringIO(excel), delimiter=";")}[men] == "x"
    sheet = load_workbook(io.BytesIO(client.get("/uppfoljning/export.xlsx", MARCH).content)).active
    assert {(row[0], row[1]): row[2] for row in sheet.iter_rows(values_only=True)}[men] == "x"
    # The notes at the end are the legend of the three marks.
    notes = [row[1:] for row in rows if row[0] == "Anmärkningar"]
    assert notes == [
        ["<5", "Ett antal under 5"],
        ["x", "Dolt för att ett litet antal inte ska kunna räknas fram"],
        ["..", "Visas inte eftersom ett antal som det bygger på är dolt"],
    ]


def hide(figures: FollowUpFigures, code: str, mark: Mark) -> FollowUpFigures:
    """The figures with one scalar hidden under ``mark``."""
    hidden = dataclasses.replace(figures.value(code), value=None, mark=mark)
    return dataclasses.replace(figures, values={**figures.values, code: hidden})


# The counts "Perioden i korthet" speaks of, with the förvaltning's true values (none under 5
# but the sessions, which are never hidden: 0 group talk sessions).
COUNTS = {"individual_talks": 18, "carers_reached": 7, "respite_carers": 6}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("code", list(COUNTS))
@pytest.mark.parametrize("mark", [Mark.SMALL, Mark.PROTECTS, Mark.UNAVAILABLE])
def test_the_period_in_brief_states_no_false_bound(dataset, language: str, code: str, mark: Mark) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A hidden count reads "fewer than 5" only when it is marked small; hidden to protect
    another (it is 5 or more) its sentence leaves it out and says it is not shown."""
    parent = dataset.unit_a.parent
    released, _raw = both_releases(dataset)
    assert {code: released.value(code).value for code in COUNTS} == COUNTS  # all shown in truth
    with translation.override(language):
        text = " ".join(key_figures_in_words(hide(released, code, mark), parent))
        fewer = str(translation.gettext("fewer than 5"))
    if mark == Mark.SMALL:
        assert fewer in text
    else:
        assert fewer not in text
        assert ("redovisas inte" if language == "sv" else "is not shown") in text
    # The hidden value itself is never said.
    assert not re.search(rf"\b{COUNTS[code]}\b (enskilda|individual|anhöriga|carers)", text)


def test_the_period_in_brief_says_which_counts_it_leaves_out(dataset) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    parent = dataset.unit_a.parent
    released, _raw = both_releases(dataset)
    # As the issue found it: talks shown, their carers hidden to protect a unit, respite too.
    figures = hide(hide(released, "carers_reached", Mark.PROTECTS), "respite_carers", Mark.PROTECTS)
    sentences = key_figures_in_words(figures, parent)
    assert sentences[0] == (
        "Socialförvaltningen hade 18 enskilda stödsamtal under perioden. "
        "Antalet anhöriga redovisas inte, för att ett litet antal inte ska kunna räknas fram."
    )
    assert sentences[2] == (
        "0 gruppsamtalstillfällen hölls. "
        "Antalet anhöriga som fått avlösning redovisas inte, för att ett litet antal inte ska kunna räknas fram."
    )
    # Both counts of a sentence left out: one sentence says so; a small one reads "färre än 5".
    figures = hide(hide(released, "individual_talks", Mark.PROTECTS), "carers_reached", Mark.PROTECTS)
    assert key_figures_in_words(figures, parent)[0] == (
        "Antalet samtal och antalet anhöriga redovisas inte, för att ett litet antal inte ska kunna räknas fram."
    )
    figures = hide(hide(released, "individual_talks", Mark.PROTECTS), "carers_reached", Mark.SMALL)
    assert key_figures_in_words(figures, parent)[0] == (
        "Socialförvaltningen hade enskilda stödsamtal med färre än 5 anhöriga under perioden. "
        "Antalet samtal redovisas inte, för att ett litet antal inte ska kunna räknas fram."
    )
    # A share that is not shown is not said; the SoL 11:6 share of this release is hidden.
    assert released.value("informed_right_to_apply_share").mark == Mark.UNAVAILABLE
    figures = hide(released, "individual_talks_anonymous_share", Mark.UNAVAILABLE)
    assert not any("%" in sentence for sentence in key_figures_in_words(figures, parent))


def test_the_pdf_defines_the_three_marks(dataset) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _html, pdf = build.report_render(unit=dataset.unit_a, start=START, end=END)
    text = " ".join(pdf_text(pdf).split())
    legend = (
        "Dolda värden markeras: <5 = ett antal under 5; x = dolt för att ett litet antal inte ska kunna räknas "
        "fram; .. = visas inte eftersom ett antal som det bygger på är dolt."
    )
    # Under "Perioden i korthet", and again in the definitions ("Dolda antal"), with its sources.
    assert text.count(legend) == 2
    definitions = text.split("Definitioner")[-1]
    assert legend in definitions.split("Dolda antal")[1]
    assert "SCB:s tabeller" in definitions and "CL_CONF_STATUS" in definitions
    assert "kod A (primär sekretess" in definitions and "kod D (sekundär sekretess" in definitions
    # The old definition, false of an "x", is gone.
    assert "Antal under 5 visas som <5" not in text
