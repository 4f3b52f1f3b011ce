"""The private file storage: reports, extracts and decision documents, never served by URL,
only through views that check who asks."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import storages


def private_storage() -> Any:
    # A callable, so a FileField's storage is looked up when the field is built and tests
    # can point the "private" storage elsewhere.
    return storages["private"]
