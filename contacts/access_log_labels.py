"""How loggkontroll (anhorigstod.audit) names this app's records: by the carer's number
and a talk's or note's date, never by a name (registered in ContactsConfig.ready())."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from contacts.models import Carer, JournalNote, Talk


def _uuids(codes: Iterable[str]) -> list[uuid.UUID]:
    valid = []
    for code in codes:
        try:
            valid.append(uuid.UUID(code))
        except ValueError:
            continue  # a row of another shape (the cull row, an old test row): the fallback names it
    return valid


def describe_carers(codes: list[str]) -> dict[str, str]:
    rows = Carer.objects.filter(code__in=_uuids(codes)).values_list("code", "number")
    return {str(code): _("Carer A-%(number)05d") % {"number": number} for code, number in rows}


def describe_talks(codes: list[str]) -> dict[str, str]:
    rows = Talk.objects.filter(code__in=_uuids(codes)).values_list("code", "started_at")
    return {
        str(code): _("Talk %(date)s") % {"date": timezone.localdate(started_at).isoformat()}
        for code, started_at in rows
    }


def describe_journal_notes(codes: list[str]) -> dict[str, str]:
    rows = JournalNote.objects.filter(code__in=_uuids(codes)).values_list("code", "created_at")
    return {
        str(code): _("Journal note %(date)s") % {"date": timezone.localdate(created_at).isoformat()}
        for code, created_at in rows
    }
