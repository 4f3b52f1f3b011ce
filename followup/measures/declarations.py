"""The follow-up measures, each declared once (PRODUCT §8; see :mod:`followup.measures.base`):
direct support (:mod:`.support`), reach and outcomes (:mod:`.reach`) and the tables
(:mod:`.tables`), in the order every output shows them.

The dashboard, the PDF report, the CSV/XLSX export and the national export all walk
:data:`MEASURES`; :mod:`followup.figures` computes each value with the measure's own
``compute``, from the typed series the writing apps declare, and :mod:`followup.disclosure`
derives every relation it defends from the declarations.
"""

from __future__ import annotations

from followup.measures.base import Measure
from followup.measures.reach import REACH
from followup.measures.support import SUPPORT
from followup.measures.tables import TABLES

MEASURES: tuple[Measure, ...] = (*SUPPORT, *REACH, *TABLES)
BY_CODE: dict[str, Measure] = {measure.code: measure for measure in MEASURES}
NATIONAL_MEASURES: tuple[Measure, ...] = tuple(measure for measure in MEASURES if measure.national)
