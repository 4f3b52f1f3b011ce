"""Follow-up: the support catalogue each unit keeps per year (PRODUCT §8).

The questions themselves are data in :mod:`followup.catalogue.questions`; these tables
hold a unit's answers to them, one row per answered item.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel


class SupportCatalogue(TimeStampedModel):
    """A unit's catalogue of support for one year: its answers to the 2019 survey."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="support_catalogues", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The survey's closing item: "Har du några övriga synpunkter som du önskar delge oss?"
    other_views = models.TextField(_("other views"), blank=True)
    # The survey's identification field: "Om du tillhör särskild stadsdels- eller
    # kommundelsförvaltning, ange vilken".
    district = models.CharField(_("district administration"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("support catalogue")
        verbose_name_plural = _("support catalogues")
        ordering = ["unit__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="followup_catalogue_unique_unit_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="followup_catalogue_year_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class CatalogueResponse(models.Model):
    """One answered item: a row of a question (``"7.3"``), a question answered as a whole
    (``"2"``), or a question's comment (``"7.kommentar"``)."""

    catalogue = models.ForeignKey(SupportCatalogue, on_delete=models.CASCADE, related_name="responses")
    item_code = models.CharField(_("item"), max_length=20)
    # The value on the item's answer scale (``ja``, ``nej``, ``ej_relevant``, ...), or blank.
    answer = models.CharField(_("answer"), max_length=20, blank=True)
    # The free text of the item: "Annat:", "Ange vad:", the number of hours, or the comment.
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("catalogue answer")
        verbose_name_plural = _("catalogue answers")
        ordering = ["catalogue", "id"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "item_code"], name="followup_response_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue} {self.item_code}"


def _private_storage() -> Any:
    # Evaluated when the field is built: the private storage, never served by URL.
    return storages["private"]


class FollowUpReport(models.Model):
    """One PDF follow-up report of a unit for a period (PRODUCT §8), as Open Forms'
    ``SubmissionReport``: the row is the request, its progress and its private file.

    A unit, period and kind have one row: asking again reuses it (or retries it, when
    the last build failed), so a re-run never makes a duplicate.
    """

    class Kind(models.TextChoices):
        ON_REQUEST = "on_request", _("On request")
        MONTHLY = "monthly", _("Monthly")
        YEARLY = "yearly", _("Yearly")
        # Rendered by ``manage.py followup_report``: kept like the others, so it counts too.
        COMMAND_LINE = "command_line", _("From the command line")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="followup_reports", verbose_name=_("unit")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ON_REQUEST)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    task_id = models.CharField(_("task id"), max_length=255, blank=True)
    file = models.FileField(_("file"), storage=_private_storage, upload_to="reports/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The exception's class name only: a message could carry personal data.
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "start", "end", "kind"], name="followup_report_unique_period"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="followup_report_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"

    @property
    def filename(self) -> str:
        return f"uppfoljning-{self.unit.code}-{self.start:%Y%m%d}-{self.end:%Y%m%d}.pdf"


# --------------------------------------------------------------------------
# The strategic self-assessment (PRODUCT §8): the indicators are data in
# followup.assessment.indicators; these tables hold a unit's own answers to them.
# --------------------------------------------------------------------------


class IndicatorAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class SelfAssessment(TimeStampedModel):
    """A unit's strategic self-assessment for one year (Socialstyrelsen's four strategic
    areas, seed 004 L3016-3024)."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="self_assessments", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["unit__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="followup_assessment_unique_unit_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="followup_assessment_year_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class AssessmentAnswer(models.Model):
    """A person's own answer to one indicator (``"kunskap.1"``), with its evidence.

    The suggestion the data gives is not stored: it is worked out from the records each
    time, and this row, when there is one, is the answer in force beside it.
    """

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    indicator_code = models.CharField(_("indicator"), max_length=30)
    answer = models.CharField(_("answer"), max_length=10, choices=IndicatorAnswer.choices, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator_code"], name="followup_assessment_unique_answer"),
            models.CheckConstraint(
                condition=models.Q(answer="") | models.Q(answer__in=IndicatorAnswer.values),
                name="followup_assessment_answer_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.indicator_code}"
