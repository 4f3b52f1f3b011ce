"""Journal notes (PRODUCT §4): the documentation of an insats, signed and then locked."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel
from contacts.models.carers import Carer
from contacts.models.talks import Talk


class JournalNote(TimeStampedModel):
    """A journal note of an insats. Signed by its author and then locked: a mistake is
    corrected by a new note or by marking this one erroneous (felmarkera), never by editing."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="journal_notes")
    talk = models.ForeignKey(Talk, on_delete=models.PROTECT, null=True, blank=True, related_name="journal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    marked_erroneous_at = models.DateTimeField(_("marked erroneous"), null=True, blank=True)
    marked_erroneous_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    erroneous_reason = models.CharField(_("why it is erroneous"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(marked_erroneous_at__isnull=True) | Q(signed_at__isnull=False),
                name="contacts_note_only_signed_notes_are_marked_erroneous",
            ),
            models.CheckConstraint(
                condition=Q(marked_erroneous_at__isnull=True) | ~Q(erroneous_reason=""),
                name="contacts_note_erroneous_has_reason",
            ),
        ]
