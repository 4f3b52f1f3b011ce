"""The legend of the marks a hidden value is printed as, from :class:`followup.measures.Mark`:
one source for the dashboard and the PDF report (the export writes the same in its notes)."""

from __future__ import annotations

from django import template

from followup.measures import Mark

register = template.Library()


@register.simple_tag
def mark_legend() -> list[tuple[str, str]]:
    """``{% mark_legend as marks %}``: every mark's (symbol, meaning), in the order of
    :class:`Mark`. Every mark, whether or not the figures use it: the legend is a definition,
    the same in every report, so that a reader comparing two periods meets the same words."""
    return [(mark.symbol, str(mark.label)) for mark in Mark]
