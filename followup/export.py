"""CSV and XLSX export of the dashboard's figures (PRODUCT §8).

The export is always small-cell suppressed, and every cell is neutralised against
spreadsheet formula injection: a text that a spreadsheet would run as a formula is
prefixed with an apostrophe (OWASP "CSV injection"). Both formats are written from the
same rows; in the XLSX file numbers stay numbers and every text cell is stored as a
string, never as a formula.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from django.utils.translation import gettext as _

from anhorigstod.lib.csv_export import spreadsheet_safe


def safe_cell(value: Any) -> str:
    """The value as a CSV cell a spreadsheet will show, never run: ``None`` is "<5"."""
    if value is None:
        return "<5"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return spreadsheet_safe(value)


def figures_rows(figures: dict[str, Any]) -> list[list[Any]]:
    """The figures as (section, measure, value) rows, in the dashboard's order."""
    rows: list[list[Any]] = [[_("Section"), _("Measure"), _("Value")]]
    respite, talks, legal = figures["respite"], figures["support_talks"], figures["legal"]
    section = _("Respite")
    rows += [
        [section, _("Referrals to respite"), respite["referrals"]],
        [section, _("Respite hours given"), respite["hours"]],
        [section, _("Carers who got respite"), respite["carers"]],
        [section, _("Respite arranged during sessions"), respite["arranged_during_sessions"]],
    ]
    section = _("Support talks")
    rows += [
        [section, _("Individual talks"), talks["talks"]],
        [section, _("Carers reached"), talks["carers"]],
        [section, _("Anonymous talks"), talks["anonymous"]],
        [section, _("Share anonymous (%)"), talks["anonymous_share"]],
        [section, _("Group talk sessions"), talks["group_sessions"]],
        [section, _("Group talk participants"), talks["group_participants"]],
    ]
    for exemption in talks["exemptions"]:
        rows.append([section, _("Talks under exemption %(reference)s") % exemption, exemption["talks"]])
    for title, _key, distribution in talks["distributions"]:
        for label, value in distribution:
            rows.append([section, f"{title}: {label}", value])
    for key, section in (("education", _("Education and information")), ("health", _("Health-promoting activities"))):
        rows += [
            [section, _("Sessions"), figures[key]["sessions"]],
            [section, _("Participants"), figures[key]["participants"]],
        ]
    section = _("Legal nudges")
    rows += [
        [section, _("Informed about the right to apply (%)"), legal["informed_share"]],
        [section, _("Asked about children (%)"), legal["children_share"]],
    ]
    reach = figures["reach"]
    section = _("Reach")
    rows += [
        [section, _("Carers reached"), reach["carers"]],
        [section, _("Carers under 18"), reach["under_18"]],
        [section, _("Närstående without municipal contact"), reach["no_municipal_contact"]],
    ]
    for key, title in (
        ("age_band", _("Age band")),
        ("gender", _("Gender")),
        ("target_group", _("The närstående's target group")),
        ("language", _("Language")),
    ):
        for label, value in reach[key]:
            rows.append([section, f"{title}: {label}", value])
    outcomes = figures["outcomes"]
    section = _("Outcomes")
    rows += [
        [section, _("KASAM: carers with a before and an after measurement"), outcomes["kasam_n"]],
        [section, _("KASAM: mean change"), outcomes["kasam_mean_change"]],
        [section, _("KASAM: share improved (%)"), outcomes["kasam_share_improved"]],
    ]
    section = _("Workload")
    for row in figures["workload"]["rows"]:
        for (year, week), value in zip(figures["workload"]["weeks"], row["cells"], strict=True):
            rows.append([section, f"{row['consultant']} {year}-W{week:02d}", value])
    return rows


def figures_csv(figures: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in figures_rows(figures):
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def figures_xlsx(figures: dict[str, Any]) -> bytes:
    """The same rows as :func:`figures_csv`, as an Excel workbook with one sheet."""
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = _("Follow-up")[:31]
    for index, row in enumerate(figures_rows(figures)):
        cells: list[Any] = []
        for value in row:
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cells.append(value)
            else:
                cells.append(safe_cell(value))
        sheet.append(cells)
        for cell in sheet[index + 1]:
            if isinstance(cell.value, str):
                # openpyxl would store a text that starts with "=" as a formula.
                cell.data_type = TYPE_STRING
            if index == 0:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, width in (("A", 28), ("B", 60), ("C", 12)):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
