"""What individual talks, referrals and respite contribute to the follow-up counts
(:mod:`anhorigstod.rollups.services`): one function per kind of row, used both when a
service writes the row and when the counts are rebuilt from the raw rows.

The series are declared here once, as typed constants (:class:`Series`), and imported by
the follow-up that reads them (``followup.measures``); each is keyed by the unit and the
local day:

- :data:`TALK`: "" -> talks; :data:`TALK_ANONYMOUS`: "" -> talks without a carer;
- one series per statistical field of the talk (:data:`TALK_FIELDS`): value -> talks;
- :data:`TALK_STRUCTURED_MATERIAL`: "yes" / "no"; :data:`TALK_FOCUS`: focus -> focus entries;
- :data:`TALK_EXEMPTION`: decision id -> talks; :data:`TALK_CONSULTANT`: user id -> talks (also per week);
- :data:`TALK_CARER`: "<carer id>|<who the carer is>" -> talks: the distinct set of carers
  reached, each key carrying the carer's reach attributes (:func:`carer_key`) so that
  reach and equality are counted from the set alone; ``carer_update`` rewrites the keys
  of a carer whose attributes change;
- :data:`MEASUREMENT_KASAM`: "<carer id>|<KASAM change>" -> "after" measurements, on the
  days of the carer's "after" measurements with SOC-13, for carers with a "before" too;
  the change is the carer's whole history's (first "before" to last "after"), so the
  keys of a carer are rewritten whenever a measurement of theirs is recorded;
- :data:`REFERRAL_RESPITE`: "" -> referrals to respite; :data:`REFERRAL_PARTNER_TYPE`: type -> referrals;
- :data:`RESPITE_TENTHS`: "" -> tenths of respite hours; :data:`RESPITE_CARER`: carer id -> grants.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from anhorigstod.rollups.series import Series
from anhorigstod.rollups.services import Key, rollup_apply, rollup_change
from contacts.measurements import KASAM_INSTRUMENT, kasam_histories
from contacts.models import Gender, Instrument, Referral, RespiteGrant, Talk, TalkFocusEntry, YesNoUnknown

TALK = Series("talk")
TALK_ANONYMOUS = Series("talk__anonymous")
TALK_CARER = Series("talk__carer", distinct=True, yearly=True)
TALK_AGE_BAND = Series("talk__age_band")
TALK_GENDER = Series("talk__gender")
TALK_TARGET_GROUP = Series("talk__target_group")
TALK_TIME_OF_DAY = Series("talk__time_of_day")
TALK_INITIATOR = Series("talk__initiator")
TALK_MODE = Series("talk__mode")
TALK_INFORMED_RIGHT_TO_APPLY = Series("talk__informed_right_to_apply")
TALK_ASKED_ABOUT_CHILDREN = Series("talk__asked_about_children")
TALK_STRUCTURED_MATERIAL = Series("talk__structured_material")
TALK_FOCUS = Series("talk__focus")
TALK_EXEMPTION = Series("talk__exemption")
TALK_CONSULTANT = Series("talk__consultant", weekly=True)
REFERRAL_RESPITE = Series("referral__respite")
REFERRAL_PARTNER_TYPE = Series("referral__partner_type")
RESPITE_TENTHS = Series("respite__tenths")
RESPITE_CARER = Series("respite__carer", distinct=True)
# "<carer id>|<change>" on the day of each "after" measurement with SOC-13: the carers
# measured "after" in a period, each with their KASAM change (kasam_counts).
MEASUREMENT_KASAM = Series("measurement__kasam", distinct=True, yearly=True)

# The talk's statistical fields, each counted per value in its series (Socialstyrelsen's
# distributions and the legal questions).
TALK_FIELDS: tuple[tuple[str, Series], ...] = (
    ("age_band", TALK_AGE_BAND),
    ("gender", TALK_GENDER),
    ("target_group", TALK_TARGET_GROUP),
    ("time_of_day", TALK_TIME_OF_DAY),
    ("initiator", TALK_INITIATOR),
    ("mode", TALK_MODE),
    ("informed_right_to_apply", TALK_INFORMED_RIGHT_TO_APPLY),
    ("asked_about_children", TALK_ASKED_ABOUT_CHILDREN),
)
TALK_SERIES = (
    TALK,
    TALK_ANONYMOUS,
    TALK_CARER,
    *(series for _name, series in TALK_FIELDS),
    TALK_STRUCTURED_MATERIAL,
    TALK_FOCUS,
    TALK_EXEMPTION,
    TALK_CONSULTANT,
)
REFERRAL_SERIES = (REFERRAL_RESPITE, REFERRAL_PARTNER_TYPE)
RESPITE_SERIES = (RESPITE_TENTHS, RESPITE_CARER)
MEASUREMENT_SERIES = (MEASUREMENT_KASAM,)
# Who a carer is, for reach and equality (PRODUCT §8), as their record says now.
CARER_FIELDS = ("birth_year", "gender", "target_group", "under_18", "close_person_has_municipal_contact", "language")
_TALK_VALUES = (
    "unit_id",
    "started_at",
    "carer_id",
    "exemption_id",
    "consultant_id",
    "structured_material",
    *(name for name, _series in TALK_FIELDS),
    *(f"carer__{name}" for name in CARER_FIELDS),
)


def carer_key(carer_id: int, values: Mapping[str, Any]) -> str:
    """``id|birth year|gender|target group|under 18|no municipal contact|language``: the
    language last, as the only free text (it may hold the separator)."""
    return "|".join(
        [
            str(carer_id),
            str(values["birth_year"] or ""),
            # Not recorded is counted with "prefers not to say", as an anonymous talk's is.
            values["gender"] or Gender.UNDISCLOSED,
            values["target_group"] or "",
            "1" if values["under_18"] else "0",
            "1" if values["close_person_has_municipal_contact"] == YesNoUnknown.NO else "0",
            values["language"] or "",
        ]
    )


def carer_attributes(attributes: str) -> tuple[str, str, str, bool, bool, str]:
    """What a key of :func:`carer_key` says after its id: (birth year or "", gender,
    target group, under 18, no municipal contact, language); the language may hold "|"."""
    birth_year, gender, target_group, under_18, no_contact, language = attributes.split("|", 5)
    return birth_year, gender, target_group, under_18 == "1", no_contact == "1", language


def talk_counts(talk: Mapping[str, Any], focus: Iterable[str]) -> Counter[Key]:
    """The counts one talk contributes. ``talk`` holds :data:`_TALK_VALUES`."""
    unit_id, day = talk["unit_id"], timezone.localdate(talk["started_at"])
    counts: Counter[Key] = Counter()

    def add(series: Series, category: str = "", n: int = 1) -> None:
        counts[(unit_id, day, series.name, category)] += n

    add(TALK)
    if talk["carer_id"] is None:
        add(TALK_ANONYMOUS)
    else:
        add(TALK_CARER, carer_key(talk["carer_id"], {name: talk[f"carer__{name}"] for name in CARER_FIELDS}))
    for name, series in TALK_FIELDS:
        add(series, talk[name] or "")
    add(TALK_STRUCTURED_MATERIAL, "yes" if talk["structured_material"] else "no")
    for value in focus:
        add(TALK_FOCUS, value)
    if talk["exemption_id"] is not None:
        add(TALK_EXEMPTION, str(talk["exemption_id"]))
    add(TALK_CONSULTANT, str(talk["consultant_id"]))
    return counts


def _talk_values(talk: Talk) -> dict[str, Any]:
    values = {name: getattr(talk, name) for name in _TALK_VALUES if not name.startswith("carer__")}
    carer = talk.carer
    for name in CARER_FIELDS:
        values[f"carer__{name}"] = getattr(carer, name) if carer is not None else None
    return values


def talk_counts_now(talk_ids: Sequence[int]) -> Counter[Key]:
    """What these talks contribute as they are in the database now (two queries)."""
    focus: dict[int, list[str]] = {}
    for talk_id, value in TalkFocusEntry.objects.filter(talk_id__in=list(talk_ids)).values_list("talk_id", "focus"):
        focus.setdefault(talk_id, []).append(value)
    counts: Counter[Key] = Counter()
    for talk in Talk.objects.filter(pk__in=list(talk_ids)).order_by().values("pk", *_TALK_VALUES):
        counts.update(talk_counts(talk, focus.get(talk["pk"], [])))
    return counts


@contextmanager
def talks_counted(talk_ids: Sequence[int]) -> Iterator[None]:
    """Keep the counts right across a change of these talks, or of their carer: what they
    contribute is read from the database before the block and again after it (a deleted
    talk contributes nothing), and the difference is applied."""
    ids = list(talk_ids)
    before = talk_counts_now(ids)
    yield
    rollup_change(before=before, after=talk_counts_now(ids))


def talk_counts_of(talk: Talk, focus: Iterable[str]) -> Counter[Key]:
    """What a talk contributes, from the instance and its focus values (no query)."""
    return talk_counts(_talk_values(talk), focus)


def kasam_counts(carers: Q) -> Counter[Key]:
    """What the SOC-13 measurements of the carers selected by ``carers`` (a filter on the
    measurement's carer) contribute: each carer with a change counts on the day of each
    of their "after" measurements, keyed with the change (two queries)."""
    counts: Counter[Key] = Counter()
    instrument = Instrument.objects.filter(code=KASAM_INSTRUMENT).first()
    if instrument is None:
        return counts
    for carer_id, history in kasam_histories(carers=carers, instrument=instrument).items():
        if history.change is not None:
            for day in history.after_days:
                counts[(history.unit_id, day, MEASUREMENT_KASAM.name, f"{carer_id}|{history.change}")] += 1
    return counts


@contextmanager
def measurements_counted(carer_ids: Sequence[int]) -> Iterator[None]:
    """Keep the counts right across a change of these carers' measurements (see
    :func:`talks_counted`): a new "after" or "before" can change every key of theirs."""
    carers = Q(carer_id__in=list(carer_ids))
    before = kasam_counts(carers)
    yield
    rollup_change(before=before, after=kasam_counts(carers))


def fresh_kasam_counts(unit_ids: Sequence[int]) -> Iterator[tuple[Key, int]]:
    yield from kasam_counts(Q(carer__unit_id__in=list(unit_ids))).items()


def carers_counts_now(carer_ids: Sequence[int]) -> Counter[Key]:
    """Everything of these carers that counts: their talks, measurements, referrals to
    respite and respite grants, as they are in the database now (what a cull takes away)."""
    counts = talk_counts_now(list(Talk.objects.filter(carer_id__in=carer_ids).values_list("pk", flat=True)))
    counts.update(kasam_counts(Q(carer_id__in=list(carer_ids))))
    for referral in Referral.objects.filter(carer_id__in=carer_ids).select_related("partner"):
        counts.update(referral_counts(referral, partner_type=referral.partner.organisation_type))
    for grant in RespiteGrant.objects.filter(carer_id__in=carer_ids).select_related("carer"):
        counts.update(respite_counts(grant, unit_id=grant.carer.unit_id))
    return counts


def carers_culled(counts: Mapping[Key, int]) -> None:
    """Take away what culled carers' records contributed (``carers_counts_now`` before the cull)."""
    rollup_apply({key: -n for key, n in counts.items()})


def referral_counts(referral: Referral, *, partner_type: str) -> Counter[Key]:
    """A referral counts by its partner's type of organisation, and as one to respite."""
    counts: Counter[Key] = Counter()
    counts[(referral.unit_id, referral.referred_on, REFERRAL_PARTNER_TYPE.name, partner_type)] += 1
    if referral.respite:
        counts[(referral.unit_id, referral.referred_on, REFERRAL_RESPITE.name, "")] += 1
    return counts


def respite_counts(grant: RespiteGrant, *, unit_id: int) -> Counter[Key]:
    """A grant counts in its carer's unit: hours in tenths (the field has one decimal)."""
    counts: Counter[Key] = Counter()
    counts[(unit_id, grant.given_on, RESPITE_TENTHS.name, "")] += int(Decimal(grant.hours) * 10)
    counts[(unit_id, grant.given_on, RESPITE_CARER.name, str(grant.carer_id))] += 1
    return counts


# --------------------------------------------------------------------------
# Fresh counts from the raw rows (the rebuild)
# --------------------------------------------------------------------------


def fresh_talk_counts(unit_ids: Sequence[int]) -> Iterator[tuple[Key, int]]:
    focus: dict[int, list[str]] = {}
    entries = TalkFocusEntry.objects.filter(talk__unit_id__in=unit_ids).values_list("talk_id", "focus")
    for talk_id, value in entries.iterator(chunk_size=5000):
        focus.setdefault(talk_id, []).append(value)
    talks = Talk.objects.filter(unit_id__in=unit_ids).order_by().values("pk", *_TALK_VALUES)
    for talk in talks.iterator(chunk_size=5000):
        yield from talk_counts(talk, focus.get(talk["pk"], [])).items()


def fresh_referral_counts(unit_ids: Sequence[int]) -> Iterator[tuple[Key, int]]:
    rows = Referral.objects.filter(unit_id__in=unit_ids).values_list(
        "unit_id", "referred_on", "respite", "partner__organisation_type"
    )
    for unit_id, referred_on, respite, partner_type in rows.iterator(chunk_size=5000):
        referral = Referral(unit_id=unit_id, referred_on=referred_on, respite=respite)
        yield from referral_counts(referral, partner_type=partner_type).items()


def fresh_respite_counts(unit_ids: Sequence[int]) -> Iterator[tuple[Key, int]]:
    rows = RespiteGrant.objects.filter(carer__unit_id__in=unit_ids).values_list(
        "carer__unit_id", "carer_id", "given_on", "hours"
    )
    for unit_id, carer_id, given_on, hours in rows.iterator(chunk_size=5000):
        grant = RespiteGrant(carer_id=carer_id, given_on=given_on, hours=hours)
        yield from respite_counts(grant, unit_id=unit_id).items()
