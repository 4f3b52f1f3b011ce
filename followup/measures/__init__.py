"""The follow-up measures: what a measure is (:mod:`.base`), what it is computed from
(:mod:`.sources`) and every measure, declared once (:mod:`.declarations`)."""

from followup.measures.base import YES_NO, Category, CountUnit, Measure, Section, categories
from followup.measures.declarations import BY_CODE, MEASURES, NATIONAL_MEASURES
from followup.measures.values import NOT_GIVEN, NOT_GIVEN_CODE, Cell, Hidden, Label, Mark, Number

__all__ = [
    "BY_CODE",
    "MEASURES",
    "NATIONAL_MEASURES",
    "NOT_GIVEN",
    "NOT_GIVEN_CODE",
    "YES_NO",
    "Category",
    "Cell",
    "CountUnit",
    "Hidden",
    "Label",
    "Mark",
    "Measure",
    "Number",
    "Section",
    "categories",
]
