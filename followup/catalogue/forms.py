"""The support catalogue's form: one field per item of the 2019 survey."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from followup.catalogue.questions import CLOSING_QUESTION, DISTRICT_LABEL, ITEMS, SECTIONS, Question, RowKind

TEXT_SUFFIX = "_text"


def field_name(code: str) -> str:
    return "q" + code.replace(".", "_")


class CatalogueForm(forms.Form):
    """One field per item of the survey (and a text field for "Annat:" / "Ange vad:")."""

    def __init__(
        self,
        *args: Any,
        initial_answers: dict[str, tuple[str, str]],
        other_views: str,
        district: str = "",
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["district"] = forms.CharField(
            label=DISTRICT_LABEL, required=False, max_length=200, initial=district
        )
        for code, (question, text, kind) in ITEMS.items():
            answer, free_text = initial_answers.get(code, ("", ""))
            name = field_name(code)
            if code.endswith(".kommentar"):
                self.fields[name] = forms.CharField(
                    label=text, required=False, initial=free_text, widget=forms.Textarea(attrs={"rows": 2})
                )
            elif kind is RowKind.NUMBER:
                self.fields[name] = forms.IntegerField(
                    label=text, required=False, min_value=0, max_value=1000, initial=free_text or None
                )
            else:
                self.fields[name] = forms.ChoiceField(
                    label=text,
                    required=False,
                    choices=question.scale.options,
                    initial=answer,
                    widget=forms.RadioSelect,
                )
                if kind is RowKind.OTHER_TEXT:
                    # "Annat:" is its own prompt: a text field, no Ja/Nej.
                    del self.fields[name]
                    self.fields[name + TEXT_SUFFIX] = forms.CharField(
                        label=text, required=False, max_length=500, initial=free_text
                    )
                elif kind is RowKind.CHOICE_TEXT:
                    self.fields[name + TEXT_SUFFIX] = forms.CharField(
                        label=gettext_lazy("Specify"), required=False, max_length=500, initial=free_text
                    )
        self.fields["other_views"] = forms.CharField(
            label=CLOSING_QUESTION, required=False, initial=other_views, widget=forms.Textarea(attrs={"rows": 3})
        )

    def answers(self) -> dict[str, tuple[str, str]]:
        """item code -> (answer, text) from the cleaned data."""
        result = {}
        for code, (_question, _text, kind) in ITEMS.items():
            value = self.cleaned_data.get(field_name(code))
            if code.endswith(".kommentar"):
                result[code] = ("", (value or "").strip())
            elif kind is RowKind.NUMBER:
                result[code] = ("", "" if value is None else str(value))
            elif kind is RowKind.OTHER_TEXT:
                text = (self.cleaned_data.get(field_name(code) + TEXT_SUFFIX) or "").strip()
                result[code] = ("ja" if text else "", text)
            else:
                text = (self.cleaned_data.get(field_name(code) + TEXT_SUFFIX) or "").strip()
                result[code] = (value or "", text)
        return result

    def layout(self) -> list[dict[str, Any]]:
        """The sections and questions with their bound fields, in the survey's order."""
        return [
            {"section": section, "questions": [self._question(question) for question in section.questions]}
            for section in SECTIONS
        ]

    def _question(self, question: Question) -> dict[str, Any]:
        items = []
        for code, _text, kind in question.items():
            if code.endswith(".kommentar"):
                continue
            if kind is RowKind.OTHER_TEXT:
                items.append({"field": self[field_name(code) + TEXT_SUFFIX], "text_field": None, "kind": kind.value})
                continue
            extra = self[field_name(code) + TEXT_SUFFIX] if kind is RowKind.CHOICE_TEXT else None
            items.append({"field": self[field_name(code)], "text_field": extra, "kind": kind.value})
        return {"question": question, "items": items, "comment": self[field_name(question.comment_code)]}
