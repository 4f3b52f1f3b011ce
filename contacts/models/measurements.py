"""Measurements (PRODUCT §5): instruments are data (SOC-13 ships in migration 0002), and a
carer's answers to one. The one scoring rule lives in contacts/measurements.py."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel
from contacts.models.carers import Carer


class Instrument(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    scale_min = models.PositiveSmallIntegerField()
    scale_max = models.PositiveSmallIntegerField()
    # Item texts are entered under the municipality's licence; the structure ships.
    licence_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=F("scale_min")), name="contacts_instrument_scale_valid")
        ]

    def __str__(self) -> str:
        return self.name


class InstrumentSubscale(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="subscales")
    code = models.SlugField(max_length=30)
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="contacts_subscale_unique")]

    def __str__(self) -> str:
        return self.name


class InstrumentItem(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    reversed = models.BooleanField(default=False)
    subscale = models.ForeignKey(InstrumentSubscale, on_delete=models.PROTECT, null=True, related_name="items")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="contacts_item_unique_number")]


class Measurement(TimeStampedModel):
    class Occasion(models.TextChoices):
        BEFORE = "before", _("Before support")
        AFTER = "after", _("After support")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="measurements")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="measurements")
    occasion = models.CharField(_("occasion"), max_length=10, choices=Occasion.choices)
    measured_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The total score by the one scoring rule (contacts.measurements), stored when the
    # answers are recorded so the follow-up need not score every measurement again.
    # Null for rows written in bulk past the service: those are scored from their answers.
    total = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["measured_on"]


class MeasurementAnswer(models.Model):
    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measurement", "item"], name="contacts_answer_one_per_item")]
