"""The access log: every read and write of a personal record (PRODUCT §9).

Rows are only ever added. The model refuses updates and deletes, and on
PostgreSQL a trigger refuses them too, so not even raw SQL can rewrite history.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log is append-only")


class AccessLog(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("who")
    )
    # The unit the record belongs to: managers review the log of their own units.
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    # The record touched, by its model label and public code (never a name).
    record_type = models.CharField(_("record type"), max_length=60)
    record_code = models.CharField(_("record"), max_length=64)
    # Whose record it is: the carer's code, so every access to one person can be listed.
    subject_code = models.CharField(_("whose record"), max_length=64, blank=True, db_index=True)
    # From where: the client address and the page (view name, never a URL with data).
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    via = models.CharField(_("page"), max_length=120, blank=True)
    # A "view" that only showed the record as a row of a list (a search result, a page
    # of talks), as opposed to opening the record itself. Loggkontroll samples openings:
    # a list touches many records at once and says little about snooping.
    # db_default: rows written by raw SQL (and by code older than this field) say "not listed".
    listed = models.BooleanField(_("listed on a page"), default=False, db_default=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            # Loggkontroll: a unit's log over a period.
            models.Index(fields=["unit", "at"], name="audit_unit_at_idx"),
            # Loggkontroll: one staff member's accesses.
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.record_type}:{self.record_code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only")
