"""The self-assessment form: an own answer and its evidence per indicator."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.assessment.indicators import AREAS, INDICATORS
from followup.assessment.selectors import IndicatorState
from followup.models import IndicatorAnswer

EVIDENCE_MAX_LENGTH = 2000


def field_slug(code: str) -> str:
    return code.replace(".", "_")


def answer_name(code: str) -> str:
    return f"answer_{field_slug(code)}"


def evidence_name(code: str) -> str:
    return f"evidence_{field_slug(code)}"


class AssessmentForm(forms.Form):
    """Two fields per indicator. A blank answer leaves the records' suggestion in force;
    an own answer needs its evidence, and evidence needs an answer."""

    def __init__(self, *args: Any, states: list[IndicatorState], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.states = states
        for state in states:
            indicator = state.indicator
            blank = _("Use the suggestion from the data") if indicator.auto else _("Not answered yet")
            self.fields[answer_name(indicator.code)] = forms.ChoiceField(
                label=_("Your answer to %(code)s") % {"code": indicator.code},
                required=False,
                choices=[("", blank), *IndicatorAnswer.choices],
                initial=state.own_answer,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose yes, partly or no.")},
            )
            self.fields[evidence_name(indicator.code)] = forms.CharField(
                label=_("Your evidence for %(code)s") % {"code": indicator.code},
                required=False,
                max_length=EVIDENCE_MAX_LENGTH,
                initial=state.own_evidence,
                help_text=indicator.help_text,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for state in self.states:
            code = state.indicator.code
            if answer_name(code) in self.errors or evidence_name(code) in self.errors:
                continue
            answer = cleaned.get(answer_name(code), "")
            evidence = (cleaned.get(evidence_name(code)) or "").strip()
            if answer and not evidence:
                self.add_error(evidence_name(code), _("Write the evidence for your answer: what shows that it is so?"))
            elif evidence and not answer:
                self.add_error(answer_name(code), _("Choose yes, partly or no for the evidence you have written."))
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        # Point a field in error at its message too, not only at its help text.
        for name in self.errors:
            if name in self.fields and name.startswith("evidence_"):
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_helptext id_{name}_error"

    def answers(self) -> dict[str, tuple[str, str]]:
        """indicator code -> (answer, evidence) from the cleaned data."""
        return {
            indicator.code: (
                self.cleaned_data.get(answer_name(indicator.code)) or "",
                (self.cleaned_data.get(evidence_name(indicator.code)) or "").strip(),
            )
            for indicator in INDICATORS
        }

    def layout(self) -> list[dict[str, Any]]:
        """Per strategic area, each indicator's state with its two bound fields."""
        return [
            {
                "area": area,
                "entries": [
                    {
                        "state": state,
                        "answer": self[answer_name(state.indicator.code)],
                        "evidence": self[evidence_name(state.indicator.code)],
                    }
                    for state in self.states
                    if state.indicator.area is area
                ],
            }
            for area in AREAS
        ]

    def error_links(self) -> list[tuple[str, str, Any]]:
        """(field id, indicator code, message) of every error, for the summary at the top."""
        links: list[tuple[str, str, Any]] = []
        for state in self.states:
            for name in (answer_name(state.indicator.code), evidence_name(state.indicator.code)):
                bound = self[name]
                # A radio group's id is its first choice's.
                target = f"id_{name}_0" if name.startswith("answer_") else bound.id_for_label
                links.extend((target, state.indicator.code, error) for error in bound.errors)
        return links
