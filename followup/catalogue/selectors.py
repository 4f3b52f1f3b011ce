"""Reading a unit's answers to the support catalogue."""

from __future__ import annotations

from followup.models import SupportCatalogue


def catalogue_answers(*, catalogue: SupportCatalogue | None) -> dict[str, tuple[str, str]]:
    """item code -> (answer, text) of a saved catalogue (empty for a new one)."""
    if catalogue is None or catalogue.pk is None:
        return {}
    return {r.item_code: (r.answer, r.text) for r in catalogue.responses.all()}
