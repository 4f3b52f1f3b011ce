"""What contacts adds to "Idag" (anhorigstod.extensions): the follow-ups due, the user's
unsigned journal notes and their open talk drafts.

Each section reads a bounded number of rows in a fixed number of queries, and logs the
personal records it lists (by their carer's label; never a name), as the lists do.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from anhorigstod.accounts.decorators import AuthenticatedHttpRequest
from anhorigstod.accounts.models import Role
from anhorigstod.accounts.scoping import has_role
from anhorigstod.audit.services import Action, access_log_many
from anhorigstod.extensions import TodaySection
from contacts.selectors import today as selectors

# At most this many rows in a section: the page's size does not grow with the data, and a
# start page lists what to do next, not everything (the workload lists more follow-ups).
LIMIT = 25
STATES = ("overdue", "today", "coming")


def _does_casework(request: AuthenticatedHttpRequest) -> bool:
    return has_role(request.user, Role.CONSULTANT, Role.MANAGER)


def follow_ups_section(*, request: AuthenticatedHttpRequest, today: dt.date) -> TodaySection | None:
    if not _does_casework(request):
        return None
    follow_ups = selectors.follow_ups_due(user=request.user, today=today, limit=LIMIT)
    access_log_many(
        actor=request.user,
        action=Action.VIEW,
        records=[row.record for row in follow_ups.rows if row.carer is not None],
        request=request,
    )
    lines = selectors.follow_up_lines(follow_ups=follow_ups.rows)
    overdue, due_today, coming = len(follow_ups.overdue), len(follow_ups.today), len(follow_ups.coming)
    if follow_ups.rows:
        parts = []
        if overdue:
            parts.append(ngettext("%(n)d overdue", "%(n)d overdue", overdue) % {"n": overdue})
        if due_today:
            parts.append(ngettext("%(n)d today", "%(n)d today", due_today) % {"n": due_today})
        if coming:
            parts.append(ngettext("%(n)d coming", "%(n)d coming", coming) % {"n": coming})
        summary = ", ".join(parts)
        if follow_ups.more:
            summary = _("%(shown)s and more") % {"shown": summary}
    else:
        summary = _("nothing due")
    return TodaySection(
        key="follow-ups",
        title=gettext_lazy("Follow-ups"),
        template="contacts/today/follow_ups.html",
        summary=summary,
        context={
            "follow_ups": follow_ups,
            "lines": {state: [line for line in lines if line.follow_up.state == state] for state in STATES},
            "days": selectors.FOLLOW_UP_DAYS,
            "limit": LIMIT,
        },
    )


def unsigned_notes_section(*, request: AuthenticatedHttpRequest, today: dt.date) -> TodaySection | None:
    if not _does_casework(request):
        return None
    notes = selectors.notes_unsigned(user=request.user, limit=LIMIT + 1)
    shown = notes[:LIMIT]
    access_log_many(actor=request.user, action=Action.VIEW, records=shown, request=request)
    summary = ngettext("%(n)d to sign", "%(n)d to sign", len(shown)) % {"n": len(shown)} if shown else _("all signed")
    return TodaySection(
        key="unsigned-notes",
        title=gettext_lazy("Journal notes to sign"),
        template="contacts/today/unsigned_notes.html",
        summary=summary,
        context={"notes": shown, "more": len(notes) > LIMIT},
    )


def drafts_section(*, request: AuthenticatedHttpRequest, today: dt.date) -> TodaySection | None:
    if not _does_casework(request):
        return None
    drafts = selectors.talk_drafts_open(user=request.user, limit=LIMIT)
    carers = [draft.carer for draft in drafts if draft.carer is not None]
    access_log_many(actor=request.user, action=Action.VIEW, records=carers, request=request)
    summary = ngettext("%(n)d open", "%(n)d open", len(drafts)) % {"n": len(drafts)} if drafts else _("none")
    return TodaySection(
        key="drafts",
        title=gettext_lazy("Talk drafts"),
        template="contacts/today/drafts.html",
        summary=summary,
        context={"drafts": drafts},
    )
