"""E-mails that must not be lost: written in the same transaction as what caused them,
sent by a task, and picked up again by a periodic drain when the broker was away
(healthchecks keeps its queue in the database for the same reason)."""

from __future__ import annotations

from django.db import models


class OutboxMessage(models.Model):
    template = models.CharField(max_length=80)
    to = models.JSONField(default=list)
    context = models.JSONField(default=dict)
    language = models.CharField(max_length=10, default="sv")
    # [{"filename": ..., "content": ..., "mimetype": ...}], text attachments such as .ics files.
    attachments = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            # The drain: unsent messages, oldest first.
            models.Index(fields=["sent_at", "created_at"], name="outbox_unsent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template} #{self.pk}"
