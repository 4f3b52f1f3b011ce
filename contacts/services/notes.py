"""Writes of journal notes (PRODUCT §4): write, change while unsigned, sign, and mark a
signed note erroneous (it is never edited once signed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import User
from anhorigstod.accounts.scoping import require_casework
from anhorigstod.audit.services import Action, access_log
from contacts import policy
from contacts.models import Carer, JournalNote, Talk
from contacts.services.carers import carer_touch
from contacts.services.talks import talk_rule


@transaction.atomic
def note_create(
    *,
    author: User,
    carer: Carer,
    text: str,
    talk: Talk | None = None,
    corrects: JournalNote | None = None,
    request: HttpRequest | None = None,
) -> JournalNote:
    require_casework(author, carer.unit_id)
    if not text.strip():
        raise ValidationError({"text": _("Write the note before saving it.")})
    if talk is not None and talk.carer_id != carer.pk:
        raise ValidationError({"talk": _("The talk belongs to another carer.")})
    if talk is not None:
        rule = talk_rule(support_kind=talk.support_kind, started_at=talk.started_at)
        policy.enforce(rule, has_identity=True, has_notes=True)
    if corrects is not None and (corrects.carer_id != carer.pk or corrects.signed_at is None):
        raise ValidationError({"corrects": _("Only a signed note of the same carer can be corrected.")})
    note = JournalNote(carer=carer, talk=talk, author=author, text=text.strip(), corrects=corrects)
    note.full_clean()
    note.save()
    carer_touch(carer)
    access_log(
        actor=author, action=Action.CREATE, record=note, unit=carer.unit, subject_code=str(carer.code), request=request
    )
    return note


def _lock_note(note: JournalNote) -> JournalNote:
    return JournalNote.objects.select_for_update().select_related("carer__unit").get(pk=note.pk)


@transaction.atomic
def note_update(*, note: JournalNote, by: User, text: str, request: HttpRequest | None = None) -> JournalNote:
    note = _lock_note(note)
    require_casework(by, note.carer.unit_id)
    if note.signed_at is not None:
        raise ValidationError(_("A signed note is locked. Write a new note or mark this one erroneous."))
    if note.author_id != by.pk:
        raise ValidationError(_("Only the author can change an unsigned note."))
    if not text.strip():
        raise ValidationError({"text": _("Write the note before saving it.")})
    note.text = text.strip()
    note.save(update_fields=["text", "updated_at"])
    access_log(
        actor=by,
        action=Action.UPDATE,
        record=note,
        unit=note.carer.unit,
        subject_code=str(note.carer.code),
        request=request,
    )
    return note


@transaction.atomic
def note_sign(*, note: JournalNote, by: User, request: HttpRequest | None = None) -> JournalNote:
    note = _lock_note(note)
    require_casework(by, note.carer.unit_id)
    if note.author_id != by.pk:
        raise ValidationError(_("Only the author can sign a note."))
    if note.signed_at is not None:
        raise ValidationError(_("The note is already signed."))
    note.signed_at = timezone.now()
    note.save(update_fields=["signed_at", "updated_at"])
    access_log(
        actor=by,
        action=Action.UPDATE,
        record=note,
        unit=note.carer.unit,
        subject_code=str(note.carer.code),
        request=request,
    )
    return note


@transaction.atomic
def note_mark_erroneous(*, note: JournalNote, by: User, reason: str, request: HttpRequest | None = None) -> JournalNote:
    note = _lock_note(note)
    require_casework(by, note.carer.unit_id)
    if note.signed_at is None:
        raise ValidationError(_("An unsigned note is corrected by editing it."))
    if note.marked_erroneous_at is not None:
        raise ValidationError(_("The note is already marked erroneous."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the note is erroneous.")})
    note.marked_erroneous_at, note.marked_erroneous_by, note.erroneous_reason = timezone.now(), by, reason.strip()
    note.save(update_fields=["marked_erroneous_at", "marked_erroneous_by", "erroneous_reason", "updated_at"])
    access_log(
        actor=by,
        action=Action.UPDATE,
        record=note,
        unit=note.carer.unit,
        subject_code=str(note.carer.code),
        request=request,
    )
    return note
