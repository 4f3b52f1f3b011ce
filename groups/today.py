"""What groups adds to "Idag" (anhorigstod.extensions): the sessions of the user's units
today, and what waits in the inbox: open "Bli kontaktad" requests, and interest in closed
groups not yet answered.

No names are shown here: the inbox and the application pages show them, and log it.
Each section reads a bounded number of rows in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest
from anhorigstod.accounts.models import Role
from anhorigstod.accounts.scoping import has_role, scope_to_user
from anhorigstod.extensions import TodaySection
from anhorigstod.lib.dates import local_range
from groups.models import Application, Booking, ContactRequest, Session
from groups.selectors.held import HELD_STATUS

LIMIT = 50


def _does_casework(request: AuthenticatedHttpRequest) -> bool:
    return has_role(request.user, Role.CONSULTANT, Role.MANAGER)


def sessions_section(*, request: AuthenticatedHttpRequest, today: dt.date) -> TodaySection | None:
    """Today's sessions of the user's units, with their bookings counted (one query)."""
    if not _does_casework(request):
        return None
    begins, ends = local_range(today, today)
    sessions = list(
        scope_to_user(Session.objects.all(), request.user, unit_field="activity__unit")
        .filter(starts_at__gte=begins, starts_at__lt=ends)
        .select_related("activity__unit")
        .annotate(
            booked=Count("bookings", filter=Q(bookings__status=Booking.Status.CONFIRMED)),
            waitlisted=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
        )
        .order_by("starts_at", "pk")[: LIMIT + 1]
    )
    shown = sessions[:LIMIT]
    held = sum(1 for session in shown if session.status == HELD_STATUS)
    cancelled = len(shown) - held
    if shown:
        summary = ngettext("%(n)d session", "%(n)d sessions", held) % {"n": held}
        if cancelled:
            summary += ", " + ngettext("%(n)d cancelled", "%(n)d cancelled", cancelled) % {"n": cancelled}
    else:
        summary = _("no sessions")
    return TodaySection(
        key="sessions",
        title=gettext_lazy("Today's sessions"),
        template="groups/today/sessions.html",
        summary=summary,
        context={"sessions": shown, "more": len(sessions) > LIMIT},
    )


def requests_section(*, request: AuthenticatedHttpRequest, today: dt.date) -> TodaySection | None:
    """Open contact requests, oldest first, and each closed group's unanswered interest."""
    if not _does_casework(request):
        return None
    contact_requests = list(
        scope_to_user(ContactRequest.objects.filter(handled_at__isnull=True), request.user)
        .select_related("unit")
        .order_by("created_at", "pk")[: LIMIT + 1]
    )
    interest = list(
        scope_to_user(
            Application.objects.filter(status=Application.Status.INTERESTED), request.user, unit_field="activity__unit"
        )
        .values("activity__code", "activity__title", "activity__unit__name")
        .annotate(n=Count("pk"))
        .order_by("activity__title", "activity__code")[:LIMIT]
    )
    shown = contact_requests[:LIMIT]
    interested = sum(row["n"] for row in interest)
    parts = []
    if shown:
        parts.append(ngettext("%(n)d contact request", "%(n)d contact requests", len(shown)) % {"n": len(shown)})
    if interested:
        parts.append(
            ngettext("%(n)d interested in a group", "%(n)d interested in groups", interested) % {"n": interested}
        )
    return TodaySection(
        key="requests",
        title=gettext_lazy("New contact requests and interest"),
        template="groups/today/requests.html",
        summary=", ".join(parts) or _("nothing waiting"),
        context={"contact_requests": shown, "more": len(contact_requests) > LIMIT, "interest": interest},
    )
