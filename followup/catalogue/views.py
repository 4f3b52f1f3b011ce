"""Staff pages for the support catalogue: each unit answers the 2019 survey per year."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anhorigstod.accounts.decorators import role_required
from anhorigstod.accounts.models import CASEWORK_ROLES, Role, Unit
from anhorigstod.accounts.scoping import casework_units, get_for_user_or_404, has_role, scope_to_user
from anhorigstod.lib.csv_export import csv_response
from followup.catalogue.questions import (
    CLOSING_QUESTION,
    DEFINITIONS,
    DISTRICT_LABEL,
    ITEMS,
    MUNICIPALITY_LABEL,
    SECTIONS,
    SURVEY_DATE,
    SURVEY_KIND,
    SURVEY_TITLE,
    Question,
    RowKind,
    catalogue_answers,
    catalogue_save,
)
from followup.models import CatalogueResponse, SupportCatalogue

casework = role_required(Role.CONSULTANT, Role.MANAGER)
managers = role_required(Role.MANAGER)

FIRST_YEAR = 2019
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


def _years() -> range:
    return range(timezone.localdate().year, FIRST_YEAR - 1, -1)


@casework
def catalogue_index(request: HttpRequest) -> HttpResponse:
    units = casework_units(request.user)
    unit_code, year = request.GET.get("enhet"), request.GET.get("ar")
    if unit_code and year and year.isdigit() and units.filter(code=unit_code).exists():
        return redirect("catalogue:catalogue_edit", unit_code=unit_code, year=int(year))
    catalogues = scope_to_user(SupportCatalogue.objects.select_related("unit", "updated_by"), request.user)
    context = {
        "units": units,
        "years": _years(),
        "catalogues": catalogues.order_by("unit__name", "-year"),
        "is_manager": has_role(request.user, Role.MANAGER),
    }
    return render(request, "followup/catalogue/index.html", context)


@casework
def catalogue_edit(request: HttpRequest, unit_code: str, year: int) -> HttpResponse:
    unit = get_for_user_or_404(Unit.objects.all(), request.user, unit_field="pk", roles=CASEWORK_ROLES, code=unit_code)
    if year not in _years():
        raise Http404
    catalogue = SupportCatalogue.objects.filter(unit=unit, year=year).first()
    form = CatalogueForm(
        request.POST or None,
        initial_answers=catalogue_answers(catalogue=catalogue),
        other_views=catalogue.other_views if catalogue else "",
        district=catalogue.district if catalogue else "",
    )
    if request.method == "POST" and form.is_valid():
        try:
            catalogue_save(
                unit=unit,
                year=year,
                answers=form.answers(),
                other_views=form.cleaned_data["other_views"].strip(),
                district=form.cleaned_data["district"].strip(),
                user=request.user,
            )
        except (ValidationError, ValueError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The catalogue is saved."))
            return redirect("catalogue:catalogue_edit", unit_code=unit.code, year=year)
    context = {
        "unit": unit,
        "year": year,
        "catalogue": catalogue,
        "form": form,
        "layout": form.layout(),
        "survey": {
            "kind": SURVEY_KIND,
            "date": SURVEY_DATE,
            "title": SURVEY_TITLE,
            "definitions": DEFINITIONS,
            "municipality_label": MUNICIPALITY_LABEL,
        },
    }
    return render(request, "followup/catalogue/edit.html", context)


@managers  # type: ignore[arg-type]  # role_required is typed for HttpResponse, not streamed ones
def catalogue_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every answer of the catalogues of the units the manager leads, one row per item,
    and the closing item ("övriga synpunkter") once per catalogue."""
    catalogues = scope_to_user(
        SupportCatalogue.objects.select_related("unit__municipality"), request.user, roles={Role.MANAGER}
    ).order_by("unit__name", "year")
    responses = (
        CatalogueResponse.objects.filter(catalogue__in=catalogues, item_code__in=ITEMS.keys())
        .select_related("catalogue__unit__municipality")
        .order_by("catalogue__unit__name", "catalogue__year", "id")
    )
    header = [
        "kommunkod",
        "kommun",
        "enhet",
        "enhetsnamn",
        "ar",
        "fraga",
        "delfraga",
        "fragetext",
        "svarsskala",
        "svar",
        "svarstext",
        "fritext",
    ]

    def where(catalogue: SupportCatalogue) -> list[Any]:
        unit = catalogue.unit
        return [unit.municipality.kommunkod, unit.municipality.name, unit.code, unit.name, catalogue.year]

    def rows() -> Iterator[list[Any]]:
        for response in responses.iterator(chunk_size=2000):
            question, text, _kind = ITEMS[response.item_code]
            scale = question.scale
            answered = bool(response.answer)
            yield [
                *where(response.catalogue),
                question.number,
                response.item_code,
                text,
                scale.code if answered else "",
                response.answer,
                scale.label(response.answer) if answered else "",
                response.text,
            ]
        for catalogue in catalogues.exclude(district="").iterator(chunk_size=2000):
            yield [*where(catalogue), "", "stadsdel", DISTRICT_LABEL, "", "", "", catalogue.district]
        for catalogue in catalogues.exclude(other_views="").iterator(chunk_size=2000):
            yield [*where(catalogue), "", "ovriga", CLOSING_QUESTION, "", "", "", catalogue.other_views]

    return csv_response(header, rows(), filename="stodkatalog.csv")
