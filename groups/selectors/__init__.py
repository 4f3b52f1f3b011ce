"""The reads of the groups app, in two modules:

- ``held``: the one rule of a held session and what the follow-up counts of them;
- ``staff``: the staff pages' reads, scoped to the user's units and logged.

Code outside the app (the follow-up) and ``groups.rollups`` import the follow-up's reads
from here. ``staff`` is deliberately not imported here: it reads the waitlist through the
booking rules (groups.services.booking), which keep the follow-up counts through
groups.rollups, which reads ``HELD_STATUS`` from this package; one module of reads would
import itself through that chain.
"""

from groups.selectors.held import HELD_STATUS, co_organised_activities, held_sessions, session_counts_by_area

__all__ = ["HELD_STATUS", "co_organised_activities", "held_sessions", "session_counts_by_area"]
