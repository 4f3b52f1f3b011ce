""" "Stöd i din kommun": what the municipality offers, read from its support catalogue.

The public municipality page (``anhorigstod.views``) cannot import this app, so it asks
the providers listed in ``settings.MUNICIPALITY_PAGE_SECTIONS``; :func:`support_offer_section`
is one. It shows the support forms of the 2019 survey's part B (questions 6-12) that a unit
of the municipality answered "Ja" in its latest catalogue, in the survey's own words, with
the free text typed for "Annat" and "Ange vad". Comments and part A and C stay internal.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from anhorigstod.accounts.models import Municipality
from followup.catalogue.questions import QUESTIONS, RowKind
from followup.models import CatalogueResponse, SupportCatalogue

YES = "ja"
# Part B of the survey, by the theme a carer looks for (our titles; the items are the survey's).
THEMES: dict[int, Any] = {
    8: _("Talks, groups and meeting places"),
    7: _("Respite"),
    6: _("Information and education"),
    10: _("Physical health"),
    11: _("Digital support"),
    9: _("Financial support"),
    12: _("When you or your närstående live elsewhere"),
}


# Question 12's rows are questions to the municipality; a carer reads them as offers.
DISTANCE_OFFERS: dict[int, Any] = {
    1: _("Support for you who live here when your närstående lives in another municipality"),
    2: _("Support for you who live in another municipality when your närstående lives here"),
    3: _("Support for you who live here when your närstående lives in another country"),
    4: _("Support for you who live in another country when your närstående lives here"),
}


def support_offer(municipality: Municipality) -> dict[str, Any] | None:
    """The support forms offered, by theme, from each unit's latest catalogue (2 queries).

    ``None`` when no unit of the municipality has a catalogue.
    """
    latest: dict[int, SupportCatalogue] = {}
    for catalogue in SupportCatalogue.objects.filter(unit__municipality=municipality).order_by("unit_id", "-year"):
        latest.setdefault(catalogue.unit_id, catalogue)
    if not latest:
        return None
    answers: dict[str, list[tuple[str, str]]] = {}
    for code, answer, text in CatalogueResponse.objects.filter(catalogue__in=list(latest.values())).values_list(
        "item_code", "answer", "text"
    ):
        answers.setdefault(code, []).append((answer, text.strip()))
    questions = {question.number: question for question in QUESTIONS}
    themes = []
    for number, title in THEMES.items():
        question = questions[number]
        # (text, language): the survey's own words and the units' texts are Swedish.
        items: list[tuple[str, str | None]] = []
        for index, row in enumerate(question.rows, start=1):
            given = answers.get(question.row_code(index), [])
            if row.kind is RowKind.NUMBER:
                hours = [int(text) for _answer, text in given if text.isdigit() and int(text) > 0]
                if hours:
                    text = _("Free respite hours (SoL) per person and month: up to %(hours)s") % {"hours": max(hours)}
                    items.append((text, None))
            elif row.kind in (RowKind.CHOICE_TEXT, RowKind.OTHER_TEXT):
                # "Annat:" / "Ange vad:" rows: what the unit typed is the support form.
                items += [(text, "sv") for text in sorted({text for answer, text in given if answer == YES and text})]
            elif any(answer == YES for answer, _text in given):
                if number == 12:
                    items.append((str(DISTANCE_OFFERS[index]), None))
                else:
                    items.append((row.text, "sv"))
        if items:
            themes.append({"number": number, "title": title, "offers": items})
    return {"themes": themes, "year": max(catalogue.year for catalogue in latest.values())}


def support_offer_section(municipality: Municipality) -> dict[str, Any] | None:
    """The municipality page's section (``settings.MUNICIPALITY_PAGE_SECTIONS``)."""
    offer = support_offer(municipality)
    if offer is None or not offer["themes"]:
        return None
    return {"template": "followup/public_offer.html", "offer": offer}
