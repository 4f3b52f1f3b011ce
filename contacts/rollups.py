"""What individual talks, referrals and respite contribute to the follow-up counts
(:mod:`anhorigstod.rollups.services`): one function per kind of row, used both when a
service writes the row and when the counts are rebuilt from the raw rows.

Series (each keyed by the unit and the local day):

- ``talk``: "" -> talks; ``talk__anonymous``: "" -> talks without a carer;
- ``talk__<field>``: value -> talks, for the statistical fields in :data:`TALK_FIELDS`;
- ``talk__structured_material``: "yes" / "no"; ``talk__focus``: focus -> focus entries;
- ``talk__exemption``: decision id -> talks; ``talk__consultant``: user id -> talks;
- ``talk__carer``: "<carer id>|<who the carer is>" -> talks: the distinct set of carers
  reached, each key carrying the carer's reach attributes (:func:`carer_key`) so that
  reach and equality are counted from the set alone; ``carer_update`` rewrites the keys
  of a carer whose attributes change;
- ``referral__respite``: "" -> referrals to respite; ``referral__partner_type``: type -> referrals;
- ``respite__tenths``: "" -> tenths of respite hours; ``respite__carer``: carer id -> grants.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.utils import timezone

from anhorigstod.rollups.services import Key, rollup_apply, rollup_change
from contacts.models import Gender, Referral, RespiteGrant, Talk, TalkFocusEntry, YesNoUnknown

# The talk's statistical fields, counted per value (Socialstyrelsen's distributions and
# the legal questions).
TALK_FIELDS = (
    "age_band",
    "gender",
    "target_group",
    "time_of_day",
    "initiator",
    "mode",
    "informed_right_to_apply",
    "asked_about_children",
)
# Who a carer is, for reach and equality (PRODUCT §8), as their record says now.
CARER_FIELDS = ("birth_year", "gender", "target_group", "under_18", "close_person_has_municipal_contact", "language")
_TALK_VALUES = (
    "unit_id",
    "started_at",
    "carer_id",
    "exemption_id",
    "consultant_id",
    "structured_material",
    *TALK_FIELDS,
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

    def add(series: str, category: str = "", n: int = 1) -> None:
        counts[(unit_id, day, series, category)] += n

    add("talk")
    if talk["carer_id"] is None:
        add("talk__anonymous")
    else:
        add("talk__carer", carer_key(talk["carer_id"], {name: talk[f"carer__{name}"] for name in CARER_FIELDS}))
    for name in TALK_FIELDS:
        add(f"talk__{name}", talk[name] or "")
    add("talk__structured_material", "yes" if talk["structured_material"] else "no")
    for value in focus:
        add("talk__focus", value)
    if talk["exemption_id"] is not None:
        add("talk__exemption", str(talk["exemption_id"]))
    add("talk__consultant", str(talk["consultant_id"]))
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


def carers_counts_now(carer_ids: Sequence[int]) -> Counter[Key]:
    """Everything of these carers that counts: their talks, referrals to respite and
    respite grants, as they are in the database now (what a cull takes away)."""
    counts = talk_counts_now(list(Talk.objects.filter(carer_id__in=carer_ids).values_list("pk", flat=True)))
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
    counts[(referral.unit_id, referral.referred_on, "referral__partner_type", partner_type)] += 1
    if referral.respite:
        counts[(referral.unit_id, referral.referred_on, "referral__respite", "")] += 1
    return counts


def respite_counts(grant: RespiteGrant, *, unit_id: int) -> Counter[Key]:
    """A grant counts in its carer's unit: hours in tenths (the field has one decimal)."""
    counts: Counter[Key] = Counter()
    counts[(unit_id, grant.given_on, "respite__tenths", "")] += int(Decimal(grant.hours) * 10)
    counts[(unit_id, grant.given_on, "respite__carer", str(grant.carer_id))] += 1
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
