"""Demo data of the follow-up: each demo unit's support catalogue for this year and last,
and this year's self-assessment with a few answers of the unit's own.

The answers are invented for the fictional municipalities (an assumption, like every
demo figure): most support forms of the 2019 survey offered, some not, with a few
"Annat" texts, so the catalogue pages, the survey export and "Stöd i din kommun" have
something true to show.
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from anhorigstod.accounts.models import Role, Unit, User
from followup.assessment.services import assessment_save
from followup.catalogue.questions import QUESTIONS, RowKind
from followup.catalogue.services import catalogue_save
from followup.models import SelfAssessment, SupportCatalogue

DEMO_UNITS = ("angsvik-norra", "angsvik-sodra", "angsvik-centrum", "sjohaga-anhorig")

# (question, row) answered "nej" (or "ej_relevant" where the scale has it) in the demo.
NOT_OFFERED = {(3, 1), (3, 3), (3, 4), (3, 5), (7, 2), (8, 9), (8, 11), (9, 2), (10, 2), (11, 4), (12, 4)}
TEXTS = {
    (6, 9): "Anhörigcirklar om demens tillsammans med studieförbundet",
    (7, 8): "Avlösning i hemmet under anhörigcafé",
    (7, 9): "16",
    (8, 13): "Samtalsstöd för efterlevande i grupp",
    (10, 4): "Friskvårdspromenader med kurator",
    (11, 5): "Digitala anhöriggrupper i samarbete med grannkommuner",
}
# The unit's own answers to the self-assessment indicators the records cannot answer.
OWN_ASSESSMENT = {
    "kunskap.1": (
        "yes",
        "Årsplan för besök på APT i hemtjänst och särskilt boende, beslutad av ledningsgruppen i januari.",
    ),
    "kunskap.4": ("partly", "Anhörigombud finns på 4 av 9 boenden; träffas två gånger per termin."),
    "styrning.1": ("yes", "Uppdragsbeskrivning för anhörigkonsulenter, fastställd av socialchefen."),
    "styrning.6": (
        "partly",
        "Anhörigrådet träffas fyra gånger per år och lämnar synpunkter på programmet (Shier nivå 2).",
    ),
    "delaktighet.6": (
        "partly",
        "Rutin för samtycke och för att fråga om anhörigas vilja att vara delaktiga finns (fastställd 2024); "
        "rutiner för delaktighet vid biståndsbedömning, SIP och genomförandeplan saknas ännu.",
    ),
}
COMMENTS = {7: "Avlösningen beviljas av biståndshandläggare; anhörigkonsulenten hjälper till med ansökan."}


def _answers(unit_index: int) -> dict[str, tuple[str, str]]:
    answers: dict[str, tuple[str, str]] = {}
    for question in QUESTIONS:
        scale = dict(question.scale.options)
        no = "ej_relevant" if "ej_relevant" in scale else "nej"
        if not question.rows:
            answers[question.code] = ("ja" if "ja" in scale else question.scale.options[0][0], "")
        for index, row in enumerate(question.rows, start=1):
            code = question.row_code(index)
            text = TEXTS.get((question.number, index), "")
            if row.kind is RowKind.NUMBER:
                answers[code] = ("", text)
                continue
            if "ja" not in scale:  # question 5: collaboration, by kind of partner
                answers[code] = (question.scale.options[1 + (index + unit_index) % 2][0], "")
                continue
            if row.kind in (RowKind.CHOICE_TEXT, RowKind.OTHER_TEXT) and not text:
                continue  # "Annat:" left blank
            offered = (question.number, index) not in NOT_OFFERED
            answers[code] = ("ja" if offered else no, text if offered else "")
        if question.number in COMMENTS:
            answers[question.comment_code] = ("", COMMENTS[question.number])
    return answers


def seed_followup() -> dict[str, int]:
    """Add this year's and last year's catalogue of every demo unit. Idempotent."""
    counts: Counter[str] = Counter()
    year = timezone.localdate().year
    for unit_index, unit in enumerate(Unit.objects.filter(code__in=DEMO_UNITS).order_by("code")):
        manager = User.objects.filter(memberships__unit__in=[unit.pk, unit.parent_id], memberships__role=Role.MANAGER)
        for catalogue_year in (year - 1, year):
            if SupportCatalogue.objects.filter(unit=unit, year=catalogue_year).exists():
                continue
            catalogue_save(
                unit=unit,
                year=catalogue_year,
                answers=_answers(unit_index),
                other_views="",
                user=manager.order_by("email").first(),
            )
            counts["support_catalogues"] += 1
        if manager.exists() and not SelfAssessment.objects.filter(unit=unit, year=year).exists():
            assessment_save(unit=unit, year=year, answers=OWN_ASSESSMENT, user=manager.order_by("email").first())
            counts["self_assessments"] += 1
    return dict(counts)
