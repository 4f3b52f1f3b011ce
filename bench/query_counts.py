"""How many queries a page makes: the one place that says it.

``tests/bench/test_query_counts.py`` asserts these counts on the pages themselves, on small
datasets of two sizes (the count must not grow with the data); the benchmark prints a
warning row when a page it times makes another number; the README's sentence on query
counts is :func:`readme_sentence`, and a test checks that the README holds it.

A count is what Django's ``CaptureQueriesContext`` records for one warm request (after two
warm-up requests of the same client) outside any transaction, as the benchmark requests
pages: the session, the user and the MFA check included, and ``BEGIN`` / ``COMMIT`` of
each transaction the request opens (the access log's insert, the session's update).
Inside a test's transaction those two would be ``SAVEPOINT`` / ``RELEASE`` instead, so the
tests that assert these counts run outside one (``transaction=True``).
"""

from __future__ import annotations

# The benchmark's page names (bench/measure.py) -> queries of one request.
QUERY_COUNTS: dict[str, int] = {
    "dashboard, municipality-year": 17,
    "dashboard, smallest municipality": 17,
    "dashboard, förvaltning, 1y, suppressed": 18,
    "Idag (consultant)": 19,
    "Idag (admin)": 9,
    "my workload": 15,
}


def readme_sentence() -> str:
    """The README's sentence on query counts (tests/bench/test_query_counts.py checks it is there)."""
    counts = "; ".join(f"{page} {count}" for page, count in QUERY_COUNTS.items())
    return (
        f"Query counts per request, asserted by `tests/bench/test_query_counts.py` from "
        f"`bench/query_counts.py` at two dataset sizes (the count does not grow with the data): {counts}."
    )
