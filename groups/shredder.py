"""Kept for ``groups.rollups``, which reads the shredded person key's prefix from here.

The shredder is :mod:`groups.services.shredder`. This module re-exports only the prefix,
from :mod:`groups.models`: re-exporting the shredder would bring back the import cycle
rollups -> shredder -> rollups (the shredder counts people by ``rollups.person_hash``).
Remove it once ``groups.rollups`` imports ``groups.models.SHREDDED_PREFIX``.
"""

from groups.models import SHREDDED_PREFIX

__all__ = ["SHREDDED_PREFIX"]
