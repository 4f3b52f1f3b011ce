"""Writing a unit's answers to the support catalogue."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from anhorigstod.accounts.models import Unit, User
from followup.catalogue.questions import ITEMS, RowKind, is_comment
from followup.models import CatalogueResponse, SupportCatalogue


@transaction.atomic
def catalogue_save(
    *,
    unit: Unit,
    year: int,
    answers: Mapping[str, tuple[str, str]],
    other_views: str,
    user: User | None,
    district: str | None = None,
) -> SupportCatalogue:
    """Replace the unit's answers for ``year`` with ``answers`` (item code -> (answer, text)).

    Unknown item codes and answers off the item's scale are refused; an item with neither
    answer nor text is not stored.
    """
    catalogue, _ = SupportCatalogue.objects.select_for_update().get_or_create(unit=unit, year=year)
    catalogue.other_views = other_views
    if district is not None:
        catalogue.district = district
    catalogue.updated_by = user
    catalogue.full_clean()
    catalogue.save()
    rows = []
    for code, (answer, text) in answers.items():
        question, _text, kind = ITEMS[code]
        if kind is RowKind.OTHER_TEXT:
            # "Annat:" is answered by what is typed, whatever else came with it.
            text = text.strip()
            answer = "ja" if text else ""
        if answer and (kind is RowKind.NUMBER or is_comment(code) or answer not in dict(question.scale.options)):
            raise ValueError(f"{answer!r} is not an answer to {code}")
        if answer or text:
            rows.append(CatalogueResponse(catalogue=catalogue, item_code=code, answer=answer, text=text))
    catalogue.responses.all().delete()
    CatalogueResponse.objects.bulk_create(rows)
    return catalogue
