"""The follow-up pages through the client: who may see them, and what they show."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from django.utils import timezone

from anhorigstod.rollups.services import rollups_rebuild
from contacts.models import Talk

DASHBOARD = "/uppfoljning/"
EXPORT = "/uppfoljning/export.csv"
WORKLOAD = "/uppfoljning/min-arbetsbelastning/"


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.fixture
def this_year_talks(org, casework, consultant_a):  # type: ignore[no-untyped-def]
    """Six more talks of Karin's in unit A this year (seven with casework.talk_a), one due for follow-up."""
    today = timezone.localdate()
    start = timezone.now().replace(month=1, day=1, hour=10, minute=0, second=0, microsecond=0)
    for i in range(6):
        Talk.objects.create(
            unit=org.unit_a, consultant=consultant_a, support_kind=casework.kinds["individual_talk"],
            started_at=min(start + dt.timedelta(days=i), timezone.now()), duration_minutes=30, mode="phone",
            talk_type="advice", initiator="carer", time_of_day="daytime", informed_right_to_apply="yes",
            asked_about_children="no", follow_up_on=today + dt.timedelta(days=3) if i == 0 else None,
        )  # fmt: skip
    # Written past the services: count the follow-up afresh, as the nightly check does.
    rollups_rebuild()


@pytest.mark.parametrize("persona", ["consultant_a", "consultant_b", "admin_a", "carer"])
def test_only_managers_see_the_dashboard(persona: str, login_as, org) -> None:  # type: ignore[no-untyped-def]
    client = login_as(persona)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_anonymous_is_sent_to_log_in(client, db) -> None:  # type: ignore[no-untyped-def]
    for url in (DASHBOARD, EXPORT, WORKLOAD):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")


def test_manager_sees_the_figures_of_her_units(login_as, org, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    response = login_as("manager_a").get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert h1_count(html) == 1
    # This year to date by default: casework.talk_a and the six above, unless talk_a fell last year.
    talks = response.context["figures"]["support_talks"]["talks"]
    assert talks in (6, 7)
    assert response.context["figures"].start == timezone.localdate().replace(month=1, day=1)
    assert "Karin Konsulent" in html


def test_a_unit_outside_the_managers_reach_is_a_404(login_as, org) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    assert client.get(DASHBOARD, {"unit": org.unit_b.pk}).status_code == 404
    assert client.get(EXPORT, {"unit": org.unit_b.pk}).status_code == 404
    assert client.get(DASHBOARD, {"unit": org.unit_a.pk}).status_code == 200


def test_choosing_one_unit_counts_only_that_unit(login_as, org, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    response = client.get(DASHBOARD, {"unit": org.unit_a2.pk})
    assert response.context["figures"]["support_talks"]["talks"] == 0


def test_export_is_suppressed_and_neutralised(login_as, org, casework, consultant_a) -> None:  # type: ignore[no-untyped-def]
    # A consultant whose name a spreadsheet would run as a formula.
    consultant_a.full_name = '=HYPERLINK("http://evil")'
    consultant_a.save()
    response = login_as("manager_a").get(EXPORT, {"start": "2000-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    # One talk (casework.talk_a): shown as "<5".
    individual = next(row for row in rows if row[1] == "Individual talks" or row[1].startswith("Enskilda"))
    assert individual[2] == "<5"


def test_consultant_sees_her_own_workload(login_as, org, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    response = login_as("consultant_a").get(WORKLOAD)
    assert response.status_code == 200
    assert h1_count(response.content.decode()) == 1
    assert len(response.context["due"]) == 1


def test_consultant_b_sees_nothing_of_unit_a(login_as, org, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    response = login_as("consultant_b").get(WORKLOAD)
    assert response.status_code == 200
    assert len(response.context["due"]) == 0
    assert all(row["talks"] == 0 for row in response.context["rows"])
    assert login_as("consultant_b").get(DASHBOARD).status_code == 403


XLSX_EXPORT = "/uppfoljning/export.xlsx"


def test_xlsx_export_holds_the_csv_rows_with_no_formula(login_as, org, casework, consultant_a, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    consultant_a.full_name = '=HYPERLINK("http://evil")'
    consultant_a.save()
    client = login_as("manager_a")
    response = client.get(XLSX_EXPORT, {"start": "2000-01-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="uppfoljning-20000101-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    # No cell is a formula: the evil name is stored as the neutralised text.
    assert all(cell.data_type != "f" for cell in cells)
    assert any(isinstance(cell.value, str) and cell.value.startswith("'=HYPERLINK") for cell in cells)
    # The same rows as the CSV export, numbers kept as numbers.
    csv_rows = list(csv.reader(io.StringIO(client.get(EXPORT, {"start": "2000-01-01"}).content.decode())))

    def same(value: object) -> object:
        try:
            return float(str(value))
        except ValueError:
            return "" if value is None else str(value)

    xlsx_rows = [[same(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == [[same(value) for value in row] for row in csv_rows]
    individual = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Enskilda samtal")
    # casework.talk_a and this year's six talks (seven, unless talk_a fell last year): a number, not a text.
    assert individual[2] in (6, 7)


def test_xlsx_export_is_for_managers_only(login_as, org) -> None:  # type: ignore[no-untyped-def]
    assert login_as("consultant_a").get(XLSX_EXPORT).status_code == 403


def test_every_distribution_has_a_chart_beside_its_table(login_as, org, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    html = login_as("manager_a").get(DASHBOARD).content.decode()
    charts = re.findall(r'<svg class="chart"[^>]*aria-labelledby="([^"]+)"', html)
    # Eight talk distributions, four reach distributions and the monthly trend.
    assert len(charts) == 13
    for chart_id in charts:
        assert f'<title id="{chart_id}">' in html
    # The time-of-day chart: all seven of this year's talks were in the daytime, the longest bar.
    time_of_day = html.split('aria-labelledby="chart-talks-time_of_day-title"')[1].split("</svg>")[0]
    widths = [float(width) for width in re.findall(r'<rect [^>]*width="([0-9.]+)"', time_of_day)]
    from followup.templatetags.followup_charts import LABEL_WIDTH, VALUE_WIDTH, WIDTH

    assert widths == [WIDTH - LABEL_WIDTH - VALUE_WIDTH]


def test_the_dashboard_shows_one_units_self_assessment_or_links_to_each(
    login_as, org, this_year_talks, manager_a
) -> None:  # type: ignore[no-untyped-def]
    from followup.assessment.services import assessment_save

    year = timezone.localdate().year
    manager = login_as("manager_a")
    assessment_save(
        unit=org.unit_a, year=year, answers={"kunskap.1": ("yes", "Årsplan för APT beslutad i mars")}, user=manager_a
    )
    one = manager.get(DASHBOARD, {"unit": org.unit_a.pk}).content.decode()
    assert "Strategiska områden: självskattningen" in one
    assert "Årsplan för APT beslutad i mars" in one
    assert f"Självskattning {year}, {org.unit_a.name}:" in one
    several = manager.get(DASHBOARD).content.decode()
    assert "Årsplan för APT" not in several
    assert f'href="/uppfoljning/sjalvskattning/{org.unit_a.code}/{year}/"' in several


def test_the_workload_table_has_a_cell_per_column_and_hides_small_counts(
    login_as, org, consultant_a, this_year_talks
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    response = login_as("manager_a").get(DASHBOARD, {"start": start.isoformat(), "suppress_small": "on"})
    columns = response.context["figures"].workload["columns"]
    html = response.content.decode()
    row = html.split(f'<th scope="row">{consultant_a.full_name}</th>')[1].split("</tr>")[0]
    cells = re.findall(r"<td>([^<]*)</td>", row)
    # One cell per column and the total; this year's six or seven talks are fewer than 5 a month.
    assert len(cells) == len(columns) + 1
    assert "&lt;5" in cells
    assert "<5" not in row.replace("&lt;5", "")


def test_the_workload_is_per_week_in_a_quarter_and_per_month_in_a_longer_period(
    login_as, org, consultant_a, this_year_talks
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    client = login_as("manager_a")
    quarter = client.get(DASHBOARD, {"start": (today - dt.timedelta(days=90)).isoformat(), "end": today.isoformat()})
    assert quarter.context["figures"].workload["by_week"]
    assert "Enskilda samtal per konsulent och vecka" in quarter.content.decode()
    years = client.get(DASHBOARD, {"start": f"{today.year - 4}-01-01", "end": today.isoformat()})
    workload = years.context["figures"].workload
    assert not workload["by_week"]
    assert len(workload["columns"]) == 4 * 12 + today.month
    assert workload["columns"][0] == (f"{today.year - 4}-01", f"{today.year - 4}-01")
    assert "Enskilda samtal per konsulent och månad" in years.content.decode()
    # Each consultant's months add up to their total.
    for row in workload["rows"]:
        assert sum(row["cells"]) == row["total"]


def test_the_csv_for_excel_reads_as_swedish_columns_and_numbers(login_as, org, casework, this_year_talks) -> None:  # type: ignore[no-untyped-def]
    client = login_as("manager_a")
    response = client.get(EXPORT, {"start": "2000-01-01", "format": "excel"})
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # the byte-order mark that makes Excel read UTF-8
    text = body.lstrip("\ufeff")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] + "\n" + text.splitlines()[1])
    assert dialect.delimiter == ";"
    rows = list(csv.reader(io.StringIO(text), dialect))
    assert all(len(row) == 3 for row in rows)
    by_label = {row[1]: row[2] for row in rows}
    # A count is a whole number; a share has a decimal comma (or is hidden as "..", never "<5").
    # (Issue 16: a hidden share prints the mark ".." of a value built on a hidden count, as
    # the legend in the notes says, not "–", which no legend explained.)
    assert int(by_label["Enskilda samtal"]) in (6, 7)
    share = by_label["Andel anonyma (%)"]
    assert share == ".." or float(share.replace(",", ".")) >= 0
    assert share == ".." or "." not in share
    assert by_label["Informerade om rätten att ansöka (%)"] != "<5"


def test_numbers_stay_numbers_in_the_export() -> None:
    from followup.dashboard.export import safe_cell

    assert safe_cell(-1.2) == "-1.2"
    assert safe_cell(-1.2, decimal_comma=True) == "-1,2"
    assert safe_cell("-1.2") == "'-1.2"  # a text that a spreadsheet would run stays neutralised


def test_a_spreadsheet_library_reads_the_csv_for_excel_as_columns_and_numbers(
    login_as, org, casework, this_year_talks
) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: pandas, told only the Swedish conventions (semicolons, decimal comma, the
    byte-order mark, the marks "<5", "x" and ".." of a hidden value), reads three columns,
    and every value above the closing notes as a number."""
    import pandas as pd

    content = login_as("manager_a").get(EXPORT, {"start": "2000-01-01", "format": "excel"}).content
    # Issue 16: a hidden value is its mark; "–" is no longer printed, "x" and ".." are.
    hidden = ["<5", "x", ".."]
    whole = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig", na_values=hidden, dtype=str)
    assert whole.shape[1] == 3
    # Cell by cell a spreadsheet reads the notes at the end as text; pandas reads a column at
    # a time, so the figures are read on their own.
    notes = int(whole.index[whole.iloc[:, 0] == "Anmärkningar"].min())
    table = pd.read_csv(io.BytesIO(content), sep=";", decimal=",", encoding="utf-8-sig", na_values=hidden, nrows=notes)
    values = table.iloc[:, 2]
    assert pd.api.types.is_float_dtype(values) and values.notna().any()  # every figure a number, or hidden
    by_label = dict(zip(table.iloc[:, 1], values, strict=True))
    assert by_label["Enskilda samtal"] in (6, 7)
    share = by_label["Andel anonyma (%)"]
    assert pd.isna(share) or 0 <= share <= 100
