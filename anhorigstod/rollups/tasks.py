from __future__ import annotations

from celery import shared_task

from anhorigstod.rollups.services import rollups_rebuild


@shared_task
def rollups_check() -> int:
    """Nightly: count every unit afresh and repair any document that differs; the number
    of differing documents is logged as a warning (a write path that missed its counts)."""
    return rollups_rebuild().differing
