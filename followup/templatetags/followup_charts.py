"""Bar charts as inline SVG: vector graphics in the browser and in the PDF (WeasyPrint).

A chart never stands alone: the same figures are in a table next to it (WCAG 1.1.1),
so the chart's accessible name says what it shows and points to that table. A hidden
count (:class:`followup.measures.Hidden`, or ``None``) gets no bar, only its mark ("<5",
"x"); a chart with nothing to draw says so in words instead of an empty axis.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.formats import date_format, localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from followup.measures import Hidden, Mark

register = template.Library()

# The chart's geometry in SVG user units (scaled to the width it is given).
WIDTH = 360
LABEL_WIDTH = 175
VALUE_WIDTH = 44
ROW_HEIGHT = 20
BAR_HEIGHT = 13
PADDING = 4
# Longer labels are shortened in the chart (the table beside it has them in full).
LABEL_CHARS = 28


def _number(value: Any) -> bool:
    """A value shown as a number (not hidden)."""
    return value is not None and not isinstance(value, Hidden)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_geometry(rows: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """(label, value) rows as bars: the longest bar is the largest value shown."""
    rows = [(str(label), value) for label, value in rows]
    shown = [float(value) for _label, value in rows if _number(value)]
    largest = max(shown, default=0.0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        top = PADDING + index * ROW_HEIGHT
        length = 0.0 if not _number(value) or largest <= 0 else round(room * float(value) / largest, 1)
        bars.append(
            {
                "label": _short(label),
                "full_label": label,
                "value": Mark.SMALL.symbol if value is None else value,
                "y": top,
                "text_y": top + BAR_HEIGHT - 2,
                "length": length,
                "value_x": LABEL_WIDTH + length + 4,
            }
        )
    return {
        "hidden": any(not _number(value) for _label, value in rows),
        "bars": bars,
        "width": WIDTH,
        "height": PADDING * 2 + ROW_HEIGHT * len(rows),
        "bar_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "label_x": LABEL_WIDTH - 6,
    }


@register.simple_tag
def bar_chart(rows: Iterable[tuple[Any, Any]], title: str, chart_id: str) -> str:
    """``{% bar_chart rows title "id" %}``: a horizontal bar chart of (label, value) rows.

    Built as one string (every text escaped) rather than through a template: a dashboard
    draws over a dozen charts, and the template engine took a fifth of its time."""
    chart = bar_geometry(rows)
    if chart["hidden"] and not any(bar["length"] for bar in chart["bars"]):
        # Nothing to draw because values are hidden: an empty axis would read as zeros.
        text = gettext("%(title)s: no chart, since its values are hidden; the table shows why.") % {"title": title}
        return format_html('<p class="chart-empty" id="{}">{}</p>', chart_id, text)
    name = gettext("Chart: %(title)s. The figures are also in the table.") % {"title": title}
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{escape(chart_id)}-title" '
        f'viewBox="0 0 {chart["width"]} {chart["height"]}" width="{chart["width"]}" height="{chart["height"]}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(name)}</title>',
    ]
    for bar in chart["bars"]:
        parts.append(
            f'<text x="{chart["label_x"]}" y="{bar["text_y"]}" text-anchor="end" font-size="11" '
            f'fill="#1a1a1a">{escape(bar["label"])}</text>'
        )
        if bar["length"]:
            parts.append(
                f'<rect x="{chart["bar_x"]}" y="{bar["y"]}" width="{bar["length"]}" '
                f'height="{chart["bar_height"]}" fill="#1f5f8b" />'
            )
        parts.append(
            f'<text x="{bar["value_x"]}" y="{bar["text_y"]}" font-size="11" fill="#1a1a1a">'
            f"{escape(localize(bar['value']))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@register.filter
def month_rows(trend: Iterable[dict[str, Any]], key: str) -> list[tuple[str, Any]]:
    """The figures' monthly trend as (month, value) rows for :func:`bar_chart`."""
    return [(date_format(item["month"], "F Y"), item[key]) for item in trend]


@register.filter
def shown(item: Any) -> Any:
    """A measure's value as shown: the number, or the mark of why it is hidden."""
    return item.shown
