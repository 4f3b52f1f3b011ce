"""The public evaluation form: validate and normalise only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from groups.evaluations import QUESTIONS, RECOMMEND_QUESTION, SCALE

SCALE_CHOICES = [
    (value, label) for value, label in zip(SCALE, (_("1 – Not at all"), "2", "3", "4", _("5 – Very much")), strict=True)
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EvaluationForm(forms.Form):
    """Three 1–5 questions and a yes/no; deliberately no name, e-mail or free text."""

    would_recommend = forms.TypedChoiceField(
        label=RECOMMEND_QUESTION,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = {
            field: forms.TypedChoiceField(
                label=question,
                choices=SCALE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 means not at all, 5 means very much."),
                error_messages={"required": _("Choose a number from 1 to 5.")},
            )
            for field, question in QUESTIONS
        }
        # The scale questions first, then the recommendation, as the form reads.
        self.fields = {**scale, "would_recommend": self.fields["would_recommend"]}
