"""Follow-up: the support catalogue each unit keeps per year (PRODUCT §8).

The questions themselves are data in :mod:`followup.catalogue`; these tables hold a
unit's answers to them, one row per answered item.
"""

from __future__ import annotations

from django.conf import settings
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
