"""The tables shown beside the sections: talks and carers per month, talks per consultant
(and week), and the talks under each exemption decision."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from contacts.rollups import TALK, TALK_CARER, TALK_CONSULTANT, TALK_EXEMPTION
from followup.measures import sources as src
from followup.measures.base import CountUnit, Measure, Section

S = Section
U = CountUnit

TABLES: tuple[Measure, ...] = (  # The tables: talks and carers reached per month (a carer reached in two months is
    # counted in both: no total), talks per consultant and per consultant and week, and
    # the anonymous talks under each exemption decision (the rest were anonymous by choice).
    Measure(
        "trend_talks",
        "talks",
        _("Talks per month"),
        S.TABLES,
        U.TALKS,
        compute=src.per_month(TALK),
        open_categories=True,
        total="individual_talks",
        dashboard=False,
        national=False,
    ),
    Measure(
        "trend_carers",
        "carers",
        _("Carers reached per month"),
        S.TABLES,
        U.PEOPLE,
        compute=src.distinct_per_month(TALK_CARER),
        open_categories=True,
        dashboard=False,
        national=False,
    ),
    Measure(
        "workload_total",
        "workload_total",
        _("Talks per consultant"),
        S.TABLES,
        U.TALKS,
        compute=src.talks_per_consultant(TALK_CONSULTANT),
        open_categories=True,
        total="individual_talks",
        dashboard=False,
        national=False,
    ),
    Measure(
        "workload",
        "workload",
        _("Talks per consultant and week (month in a period longer than a quarter)"),
        S.TABLES,
        U.TALKS,
        compute=src.talks_per_consultant_and_span(TALK_CONSULTANT),
        open_categories=True,
        group_total="workload_total",
        dashboard=False,
        national=False,
    ),
    Measure(
        "exemption_talks",
        "exemptions",
        _("Talks under an exemption decision"),
        S.TABLES,
        U.TALKS,
        compute=src.talks_per_exemption(TALK_EXEMPTION),
        open_categories=True,
        part_of="individual_talks_anonymous",
        dashboard=False,
        national=False,
    ),
)
