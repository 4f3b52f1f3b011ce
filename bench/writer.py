"""The benchmark's rows, planned in memory and written with ``bulk_create`` in dependency
order (carers before their talks, talks before their notes, activities before their
sessions), so that no row refers to one not yet written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Model

from contacts.models import (
    Carer,
    Consent,
    InstrumentItem,
    JournalNote,
    Measurement,
    MeasurementAnswer,
    Referral,
    RespiteGrant,
    SupportPlanItem,
    Talk,
    TalkFocusEntry,
)
from groups.models import Activity, Booking, Session

BATCH = 2000


@dataclass
class Writer:
    """Rows planned in memory, written in dependency order by :meth:`flush`."""

    counts: Counter[str]
    carers: list[Carer] = field(default_factory=list)
    talks: list[tuple[Talk, list[str]]] = field(default_factory=list)
    notes: list[JournalNote] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    respite: list[RespiteGrant] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    plan_items: list[SupportPlanItem] = field(default_factory=list)
    measurements: list[tuple[Measurement, list[tuple[InstrumentItem, int]]]] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)

    def _write(self, rows: Sequence[Model], key: str) -> None:
        if rows:
            type(rows[0])._default_manager.bulk_create(rows, batch_size=BATCH)
            self.counts[key] += len(rows)

    def flush(self) -> None:
        self._write(self.carers, "carers")
        self._write([talk for talk, _focus in self.talks], "talks")
        self._write(
            [TalkFocusEntry(talk=talk, focus=value) for talk, values in self.talks for value in values],
            "talk focus entries",
        )
        self._write(self.notes, "journal notes")
        self._write(self.referrals, "referrals")
        self._write(self.respite, "respite grants")
        self._write(self.consents, "consents")
        self._write(self.plan_items, "support plan items")
        self._write([measurement for measurement, _answers in self.measurements], "measurements")
        self._write(
            [
                MeasurementAnswer(measurement=measurement, item=item, value=value)
                for measurement, values in self.measurements
                for item, value in values
            ],
            "measurement answers",
        )
        self._write(self.activities, "activities")
        self._write(self.sessions, "group sessions")
        self._write(self.bookings, "bookings")
        for rows in vars(self).values():
            if isinstance(rows, list):
                rows.clear()
