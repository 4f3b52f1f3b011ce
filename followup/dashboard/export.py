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
from followup.figures import FollowUpFigures
from followup.measures import Mark, Section


def safe_cell(value: Any, *, decimal_comma: bool = False) -> str:
    """The value as a CSV cell a spreadsheet will show, never run: a hidden value is its
    mark's symbol ("<5", "x", ".."; :class:`followup.measures.Hidden`).

    A number stays a number (``-1.2``, not the text ``'-1.2``): only text can hold a
    formula. With ``decimal_comma``, as a Swedish spreadsheet reads numbers (``6,5``)."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | Decimal):
        text = str(value)
        return text.replace(".", ",") if decimal_comma else text
    return spreadsheet_safe(value)


def figures_rows(figures: FollowUpFigures) -> list[list[Any]]:
    """The figures as (section, measure, value) rows, in the order of the declared measures
    (``followup.measures``), then the trend and the workload; a hidden value is its mark
    (issue 16: "x" for a count hidden to protect another, never "<5"), and the notes at
    the end say what each mark means."""
    rows: list[list[Any]] = [[_("Section"), _("Measure"), _("Value")]]
    for part in figures.sections:
        section: Any = part.section.label
        for item in part.scalars:
            rows.append([section, item.measure.label, item.shown])
        if part.section == Section.SUPPORT_TALKS:
            for exemption in figures.exemptions:
                rows.append([section, _("Talks under exemption %(reference)s") % exemption, exemption["talks"]])
        for item in part.distributions:
            for label, value in item.rows:
                rows.append([section, f"{item.measure.label}: {label}", value])
    section = _("Trend over the period")
    for month in figures.trend:
        rows.append([section, f"{_('Individual talks')} {month['month']:%Y-%m}", month["talks"]])
        rows.append([section, f"{_('Carers reached')} {month['month']:%Y-%m}", month["carers"]])
    section = _("Workload")
    for row in figures.workload["rows"]:
        for (code, _heading), value in zip(figures.workload["columns"], row["cells"], strict=True):
            rows.append([section, f"{row['consultant']} {code}", value])
    # Every mark, whether or not this period uses it: the notes are the export's legend, the
    # same in every file, so that a reader (or a script) meets no mark they cannot look up.
    section = _("Notes")
    for mark in Mark:
        rows.append([section, mark.symbol, mark.label])
    return rows


def figures_csv(figures: FollowUpFigures, *, excel: bool = False) -> str:
    """The rows as CSV; ``excel``: as a Swedish Excel opens it straight away (a UTF-8
    byte-order mark, semicolons between the columns and decimal commas)."""
    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";" if excel else ",")
    for row in figures_rows(figures):
        writer.writerow([safe_cell(value, decimal_comma=excel) for value in row])
    return buffer.getvalue()


def figures_xlsx(figures: FollowUpFigures) -> bytes:
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
