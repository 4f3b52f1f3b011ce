"""Writes for carers, talks, journal notes, exemptions and the documentation policy.

Every function checks the user's reach (accounts.scoping), asks the documentation
policy (contacts.policy) where a record could hold personal data, and writes an
access-log row for every personal record it creates or changes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Municipality, Role, Unit
from anhorigstod.accounts.scoping import require_casework, unit_ids_for
from anhorigstod.audit.services import access_log
from anhorigstod.rollups.services import rollup_apply
from contacts import policy, rollups
from contacts.models import (
    AgeBand,
    Carer,
    Consent,
    ExemptionDecision,
    Gender,
    JournalNote,
    Partner,
    Referral,
    RespiteGrant,
    SupportKind,
    SupportKindTierChange,
    SupportPlanItem,
    Talk,
    TalkDraft,
    TalkFocusEntry,
)
from contacts.personnummer import normalise as normalise_personnummer

CARER_IDENTITY_FIELDS = ("first_name", "last_name", "email", "phone", "personnummer")
CARER_STATISTICS_FIELDS = (
    "birth_year",
    "gender",
    "language",
    "interpreter_needed",
    "relation",
    "target_group",
    "close_person_has_municipal_contact",
    "care_hours",
    "occupation",
    "under_18",
    "first_contact_channel",
)
CARER_FIELDS = (*CARER_IDENTITY_FIELDS, *CARER_STATISTICS_FIELDS, "support_contact")


def _require_manager(user: Any, municipality: Municipality) -> None:
    reach = unit_ids_for(user, roles={Role.MANAGER, Role.ADMIN})
    if not Unit.objects.filter(municipality=municipality, pk__in=reach).exists():
        raise ValidationError(_("Only a manager or an administrator of the municipality may do this."))


def age_band(birth_year: int | None, *, on: dt.date) -> str:
    """The age band of someone born in ``birth_year``, counted by calendar year on ``on``.

    The one rule for age bands: talks copy it from the carer when logged, and the
    follow-up bands carers with it (Socialstyrelsen's bands, PRODUCT §8).
    """
    if birth_year is None:
        return AgeBand.UNKNOWN
    age = on.year - birth_year
    for upper, band in (
        (17, AgeBand.UNDER_18),
        (29, AgeBand.AGE_18_29),
        (44, AgeBand.AGE_30_44),
        (64, AgeBand.AGE_45_64),
        (79, AgeBand.AGE_65_79),
    ):
        if age <= upper:
            return band
    return AgeBand.AGE_80


# --- Carers ---------------------------------------------------------------


def _next_carer_number(unit: Unit) -> int:
    # Lock the unit row so two consultants registering at once do not take the same number.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    return (Carer.objects.filter(unit=unit).aggregate(n=Max("number"))["n"] or 0) + 1


def _clean_carer_data(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {key: value for key, value in data.items() if key in CARER_FIELDS}
    if cleaned.get("personnummer"):
        cleaned["personnummer"] = normalise_personnummer(cleaned["personnummer"])
        if not cleaned.get("birth_year"):
            cleaned["birth_year"] = int(cleaned["personnummer"][:4])
    return cleaned


# What makes a record worth keeping: who the carer is or how to reach them, or, for a
# record kept without identity (PRODUCT §2: identity is optional for advice), at least one
# fact for the follow-up. Flags and "unknown" answers do not count: a form left as it was
# opened holds only those.
CARER_CONTENT_FIELDS = (
    *CARER_IDENTITY_FIELDS,
    "birth_year",
    "gender",
    "relation",
    "target_group",
    "occupation",
    "first_contact_channel",
)


@transaction.atomic
def carer_create(*, created_by: Any, unit: Unit, data: dict[str, Any], request: HttpRequest | None = None) -> Carer:
    require_casework(created_by, unit.pk)
    if not any(data.get(name) for name in CARER_CONTENT_FIELDS):
        raise ValidationError(
            _(
                "The form is empty. Write at least a name, an e-mail address or a phone number. "
                "To keep the record without identity, give at least the birth year, the gender or "
                "the närstående's target group."
            ),
            code="empty",
        )
    carer = Carer(unit=unit, number=_next_carer_number(unit), last_entry_at=timezone.now(), **_clean_carer_data(data))
    if carer.support_contact_id is None:
        carer.support_contact = created_by
    carer.full_clean()
    carer.save()
    access_log(actor=created_by, action="create", record=carer, subject_code=str(carer.code), request=request)
    return carer


@transaction.atomic
def carer_update(*, updated_by: Any, carer: Carer, data: dict[str, Any], request: HttpRequest | None = None) -> Carer:
    require_casework(updated_by, carer.unit_id)
    for key, value in _clean_carer_data(data).items():
        setattr(carer, key, value)
    carer.last_entry_at = timezone.now()
    carer.full_clean()
    # Reach and equality count carers as their record says now: their talks' keys follow.
    with rollups.talks_counted(list(carer.talks.values_list("pk", flat=True))):
        carer.save()
    access_log(actor=updated_by, action="update", record=carer, subject_code=str(carer.code), request=request)
    return carer


@transaction.atomic
def carer_close(
    *, closed_by: Any, carer: Carer, reason: str, closed_on: dt.date, request: HttpRequest | None = None
) -> Carer:
    require_casework(closed_by, carer.unit_id)
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("A record cannot be closed in the future.")})
    carer.status, carer.close_reason, carer.closed_on = Carer.Status.CLOSED, reason, closed_on
    carer.last_entry_at = timezone.now()
    carer.full_clean()
    carer.save()
    access_log(actor=closed_by, action="update", record=carer, subject_code=str(carer.code), request=request)
    return carer


@transaction.atomic
def carer_reopen(*, reopened_by: Any, carer: Carer, request: HttpRequest | None = None) -> Carer:
    require_casework(reopened_by, carer.unit_id)
    carer.status, carer.close_reason, carer.closed_on = Carer.Status.OPEN, "", None
    carer.last_entry_at = timezone.now()
    carer.save()
    access_log(actor=reopened_by, action="update", record=carer, subject_code=str(carer.code), request=request)
    return carer


def _touch(carer: Carer) -> None:
    Carer.objects.filter(pk=carer.pk).update(last_entry_at=timezone.now())


# --- Talks ----------------------------------------------------------------


@dataclass
class TalkData:
    support_kind: SupportKind
    started_at: dt.datetime
    duration_minutes: int
    mode: str
    talk_type: str
    initiator: str
    informed_right_to_apply: str
    asked_about_children: str
    focus: list[str] = field(default_factory=list)
    carer: Carer | None = None
    structured_material: str = ""
    referral_partner: Partner | None = None
    follow_up_on: dt.date | None = None
    next_step: str = ""
    bring_up_next_time: str = ""
    # Statistics for an anonymous talk; an identified talk takes them from the carer.
    age_band: str = AgeBand.UNKNOWN
    gender: str = ""
    target_group: str = ""


def talk_not_started(started_at: dt.datetime) -> str | None:
    """The message if a talk starting at ``started_at`` has not started yet (five minutes'
    grace for a clock or a rounded start), else None. The talk form asks it too, so the
    message is shown with the form's other errors rather than after them."""
    if started_at > timezone.now() + dt.timedelta(minutes=5):
        return _("A talk cannot be logged before it has started.")
    return None


def talk_rule(*, support_kind: SupportKind, started_at: dt.datetime) -> policy.DocumentationRule:
    return policy.documentation_rule(kind=support_kind, on=timezone.localdate(started_at))


@transaction.atomic
def talk_log(*, consultant: Any, unit: Unit, data: TalkData, request: HttpRequest | None = None) -> Talk:
    """Log one individual talk, identified or anonymous as the documentation policy says."""
    require_casework(consultant, unit.pk)
    errors: dict[str, str] = {}
    kind = data.support_kind
    if kind.municipality_id != unit.municipality_id or not kind.for_talks or not kind.active:
        errors["support_kind"] = _("This kind of support cannot be used for talks in this unit.")
    if data.carer is not None and data.carer.unit_id != unit.pk:
        errors["carer"] = _("The carer belongs to another unit.")
    if data.referral_partner is not None and data.referral_partner.unit_id != unit.pk:
        errors["referral_partner"] = _("Choose a partner of this unit.")
    not_started = talk_not_started(data.started_at)
    if not_started:
        errors["started_at"] = not_started
    if data.follow_up_on and data.follow_up_on < timezone.localdate(data.started_at):
        errors["follow_up_on"] = _("The follow-up date cannot be before the talk.")
    if errors:
        raise ValidationError(errors)
    rule = talk_rule(support_kind=kind, started_at=data.started_at)
    policy.enforce(rule, has_identity=data.carer is not None, has_notes=bool(data.next_step or data.bring_up_next_time))
    carer = data.carer
    talk = Talk(
        unit=unit,
        consultant=consultant,
        support_kind=kind,
        carer=carer,
        exemption=rule.exemption,
        started_at=data.started_at,
        duration_minutes=data.duration_minutes,
        mode=data.mode,
        talk_type=data.talk_type,
        initiator=data.initiator,
        structured_material=data.structured_material,
        time_of_day=policy.time_of_day(data.started_at),
        informed_right_to_apply=data.informed_right_to_apply,
        asked_about_children=data.asked_about_children,
        referral_partner=data.referral_partner,
        follow_up_on=data.follow_up_on,
        next_step=data.next_step,
        bring_up_next_time=data.bring_up_next_time,
        age_band=age_band(carer.birth_year, on=timezone.localdate(data.started_at))
        if carer
        else (data.age_band or AgeBand.UNKNOWN),
        # Not given is counted as "prefers not to say", for a carer as for an anonymous talk.
        gender=(carer.gender if carer else data.gender) or Gender.UNDISCLOSED,
        target_group=carer.target_group if carer else data.target_group,
    )
    talk.full_clean()
    talk.save()
    focus = list(dict.fromkeys(data.focus))
    TalkFocusEntry.objects.bulk_create(TalkFocusEntry(talk=talk, focus=value) for value in focus)
    counts = rollups.talk_counts_of(talk, focus)
    if data.referral_partner is not None:
        referral = Referral.objects.create(
            carer=carer,
            talk=talk,
            unit=unit,
            partner=data.referral_partner,
            referred_on=timezone.localdate(data.started_at),
            respite=data.referral_partner.offers_respite,
            recorded_by=consultant,
        )
        counts.update(rollups.referral_counts(referral, partner_type=data.referral_partner.organisation_type))
    if carer is not None:
        _touch(carer)
        access_log(actor=consultant, action="create", record=talk, subject_code=str(carer.code), request=request)
    TalkDraft.objects.filter(user=consultant, key=str(carer.code) if carer else "new").delete()
    # Last, after the carer's row: every writer locks in the same order (see anhorigstod.rollups).
    rollup_apply(counts)
    return talk


# The attributes of a saved talk that can be corrected; who it was with, when and in
# which unit are not (a wrong one is a talk logged by mistake).
TALK_CORRECTABLE = (
    "duration_minutes",
    "mode",
    "talk_type",
    "initiator",
    "structured_material",
    "informed_right_to_apply",
    "asked_about_children",
    "follow_up_on",
)


@transaction.atomic
def talk_update(
    *,
    updated_by: Any,
    talk: Talk,
    data: dict[str, Any],
    focus: list[str] | None = None,
    request: HttpRequest | None = None,
) -> Talk:
    """Correct a talk's attributes (and, given ``focus``, its focus); the follow-up counts follow."""
    require_casework(updated_by, talk.unit_id)
    unknown = set(data) - set(TALK_CORRECTABLE)
    if unknown:
        raise ValueError(f"Not correctable: {sorted(unknown)}")
    carer = talk.carer
    if carer is not None:
        _touch(carer)  # the carer first, as every writer of a carer's records locks it
    talk = Talk.objects.select_for_update().get(pk=talk.pk)
    with rollups.talks_counted([talk.pk]):
        for name, value in data.items():
            setattr(talk, name, value)
        talk.full_clean()
        talk.save()
        if focus is not None:
            talk.focus_entries.all().delete()
            TalkFocusEntry.objects.bulk_create(TalkFocusEntry(talk=talk, focus=value) for value in dict.fromkeys(focus))
    if carer is not None:
        access_log(actor=updated_by, action="update", record=talk, subject_code=str(carer.code), request=request)
    return talk


# The key of the anonymous talk form's draft; a carer's talk form uses the carer's code.
ANONYMOUS_DRAFT = "new"
# A draft last saved longer ago than this is probably another talk's: the form asks
# whether to continue it instead of filling itself in (a session timeout or a reload
# comes back well within it).
DRAFT_FRESH_FOR = dt.timedelta(hours=1)
# The fields only an anonymous talk has: a carer's talk takes them from the record.
ANONYMOUS_ONLY_FIELDS = ("age_band", "gender", "target_group", "unit")


@transaction.atomic
def talk_follow_up_mark_done(*, talk: Talk, by: Any, request: HttpRequest | None = None) -> Talk:
    """Record that the talk's follow-up is done, by whom and when: it leaves "Idag" and the
    workload. Anyone doing casework in the talk's unit may, as a colleague covers."""
    require_casework(by, talk.unit_id)
    if talk.carer_id is not None:
        Carer.objects.filter(pk=talk.carer_id).update(last_entry_at=timezone.now())  # the carer first, as every writer
    talk = Talk.objects.select_for_update(of=("self",)).select_related("carer").get(pk=talk.pk)
    if talk.follow_up_on is None:
        raise ValidationError(_("The talk has no follow-up."))
    if talk.follow_up_done_at is not None:
        raise ValidationError(_("The follow-up is already marked done."))
    talk.follow_up_done_at, talk.follow_up_done_by = timezone.now(), by
    talk.full_clean()
    talk.save(update_fields=["follow_up_done_at", "follow_up_done_by", "updated_at"])
    if talk.carer is not None:
        access_log(actor=by, action="update", record=talk, subject_code=str(talk.carer.code), request=request)
    return talk


def talk_draft_save(*, user: Any, key: str, data: dict[str, Any]) -> None:
    # Drafts never hold a personnummer: the talk form has no such field, and the key is a code.
    TalkDraft.objects.update_or_create(user=user, key=key[:80], defaults={"data": data})


def talk_draft_find(*, user: Any, key: str) -> TalkDraft | None:
    return TalkDraft.objects.filter(user=user, key=key[:80]).first()


def talk_draft_get(*, user: Any, key: str) -> dict[str, Any] | None:
    draft = talk_draft_find(user=user, key=key)
    return draft.data if draft else None


def talk_draft_is_stale(*, draft: TalkDraft, now: dt.datetime | None = None) -> bool:
    """Whether the draft is probably left over from an earlier talk: last saved more than
    :data:`DRAFT_FRESH_FOR` ago, or the consultant has logged a talk since."""
    now = now or timezone.now()
    if draft.updated_at < now - DRAFT_FRESH_FOR:
        return True
    return Talk.objects.filter(consultant_id=draft.user_id, created_at__gt=draft.updated_at).exists()


@transaction.atomic
def talk_draft_discard(*, user: Any, key: str, carer: Carer | None = None, request: HttpRequest | None = None) -> bool:
    """Delete the user's draft of one form, logged; False if there was none.

    A carer's draft is logged under the carer (it is part of their record until it goes);
    the anonymous form's draft holds no one's identity and is logged without a unit.
    """
    draft = TalkDraft.objects.select_for_update().filter(user=user, key=key[:80]).first()
    if draft is None:
        return False
    access_log(
        actor=user,
        action="delete",
        record=draft,
        unit=carer.unit if carer else None,
        subject_code=str(carer.code) if carer else "",
        request=request,
    )
    draft.delete()
    return True


@transaction.atomic
def talk_draft_take_over(*, user: Any, carer: Carer) -> bool:
    """Carry the anonymous form's draft over to the carer's talk form, when the consultant
    chose the carer after starting to type: what was typed is kept, and no anonymous draft
    is left behind to turn up in the next talk. The anonymous statistics are left out (an
    identified talk takes them from the record). Nothing happens if the carer's form has a
    draft of its own: neither is lost, and the anonymous one is offered again later."""
    require_casework(user, carer.unit_id)
    anonymous = TalkDraft.objects.select_for_update().filter(user=user, key=ANONYMOUS_DRAFT).first()
    if anonymous is None or TalkDraft.objects.filter(user=user, key=str(carer.code)).exists():
        return False
    data = {name: value for name, value in anonymous.data.items() if name not in ANONYMOUS_ONLY_FIELDS}
    TalkDraft.objects.create(user=user, key=str(carer.code), data=data)
    anonymous.delete()
    return True


# --- Journal notes --------------------------------------------------------


@transaction.atomic
def note_create(
    *,
    author: Any,
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
    _touch(carer)
    access_log(
        actor=author, action="create", record=note, unit=carer.unit, subject_code=str(carer.code), request=request
    )
    return note


def _lock_note(note: JournalNote) -> JournalNote:
    return JournalNote.objects.select_for_update().select_related("carer__unit").get(pk=note.pk)


@transaction.atomic
def note_update(*, note: JournalNote, by: Any, text: str, request: HttpRequest | None = None) -> JournalNote:
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
        actor=by, action="update", record=note, unit=note.carer.unit, subject_code=str(note.carer.code), request=request
    )
    return note


@transaction.atomic
def note_sign(*, note: JournalNote, by: Any, request: HttpRequest | None = None) -> JournalNote:
    note = _lock_note(note)
    require_casework(by, note.carer.unit_id)
    if note.author_id != by.pk:
        raise ValidationError(_("Only the author can sign a note."))
    if note.signed_at is not None:
        raise ValidationError(_("The note is already signed."))
    note.signed_at = timezone.now()
    note.save(update_fields=["signed_at", "updated_at"])
    access_log(
        actor=by, action="update", record=note, unit=note.carer.unit, subject_code=str(note.carer.code), request=request
    )
    return note


@transaction.atomic
def note_mark_erroneous(*, note: JournalNote, by: Any, reason: str, request: HttpRequest | None = None) -> JournalNote:
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
        actor=by, action="update", record=note, unit=note.carer.unit, subject_code=str(note.carer.code), request=request
    )
    return note


# --- Consents, support plan, respite and referrals ------------------------------


def _carer_write(user: Any, carer: Carer, record: Any, request: HttpRequest | None, action: str = "create") -> None:
    record.full_clean()
    record.save()
    _touch(carer)
    access_log(actor=user, action=action, record=record, unit=carer.unit, subject_code=str(carer.code), request=request)


@transaction.atomic
def consent_record(
    *, recorded_by: Any, carer: Carer, to_whom: str, scope: str, given_on: dt.date, request: HttpRequest | None = None
) -> Consent:
    require_casework(recorded_by, carer.unit_id)
    consent = Consent(carer=carer, to_whom=to_whom, scope=scope, given_on=given_on, recorded_by=recorded_by)
    _carer_write(recorded_by, carer, consent, request)
    return consent


@transaction.atomic
def consent_revoke(
    *, revoked_by: Any, consent: Consent, revoked_on: dt.date, request: HttpRequest | None = None
) -> Consent:
    require_casework(revoked_by, consent.carer.unit_id)
    if consent.revoked_on is not None:
        raise ValidationError(_("The consent is already revoked."))
    consent.revoked_on = revoked_on
    _carer_write(revoked_by, consent.carer, consent, request, action="update")
    return consent


@transaction.atomic
def plan_item_add(
    *,
    added_by: Any,
    carer: Carer,
    area: str,
    goal: str,
    actions: str = "",
    follow_up_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> SupportPlanItem:
    require_casework(added_by, carer.unit_id)
    item = SupportPlanItem(carer=carer, area=area, goal=goal, actions=actions, follow_up_on=follow_up_on)
    _carer_write(added_by, carer, item, request)
    return item


PLAN_ITEM_FIELDS = ("area", "goal", "actions", "follow_up_on")


@transaction.atomic
def plan_item_update(
    *, updated_by: Any, item: SupportPlanItem, data: dict[str, Any], request: HttpRequest | None = None
) -> SupportPlanItem:
    """Change a stödplan item's area, goal, actions or follow-up date, and (with ``done``)
    mark it done or open again; who marked it done, and when, is kept with it."""
    require_casework(updated_by, item.carer.unit_id)
    unknown = set(data) - {*PLAN_ITEM_FIELDS, "done"}
    if unknown:
        raise ValueError(f"Not changeable: {sorted(unknown)}")
    carer = item.carer
    _touch(carer)  # the carer first, as every writer of a carer's records locks it
    locked = SupportPlanItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    for name in PLAN_ITEM_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    if data.get("done") and not locked.done:
        locked.done, locked.done_at, locked.done_by = True, timezone.now(), updated_by
    elif "done" in data and not data["done"] and locked.done:
        locked.done, locked.done_at, locked.done_by = False, None, None
    _carer_write(updated_by, carer, locked, request, action="update")
    return locked


def plan_item_mark_done(*, item: SupportPlanItem, by: Any, request: HttpRequest | None = None) -> SupportPlanItem:
    if item.done:
        raise ValidationError(_("The item is already marked done."))
    return plan_item_update(updated_by=by, item=item, data={"done": True}, request=request)


@transaction.atomic
def respite_record(
    *,
    recorded_by: Any,
    carer: Carer,
    given_on: dt.date,
    hours: Any,
    provider: Partner | None = None,
    request: HttpRequest | None = None,
) -> RespiteGrant:
    require_casework(recorded_by, carer.unit_id)
    if provider is not None and provider.unit_id != carer.unit_id:
        raise ValidationError({"provider": _("Choose a partner of this unit.")})
    grant = RespiteGrant(carer=carer, given_on=given_on, hours=hours, provider=provider, recorded_by=recorded_by)
    _carer_write(recorded_by, carer, grant, request)
    rollup_apply(rollups.respite_counts(grant, unit_id=carer.unit_id))
    return grant


@transaction.atomic
def referral_record(
    *,
    recorded_by: Any,
    carer: Carer,
    partner: Partner,
    referred_on: dt.date,
    respite: bool = False,
    request: HttpRequest | None = None,
) -> Referral:
    require_casework(recorded_by, carer.unit_id)
    if partner.unit_id != carer.unit_id:
        raise ValidationError({"partner": _("Choose a partner of this unit.")})
    referral = Referral(
        carer=carer, unit=carer.unit, partner=partner, referred_on=referred_on, respite=respite, recorded_by=recorded_by
    )
    _carer_write(recorded_by, carer, referral, request)
    rollup_apply(rollups.referral_counts(referral, partner_type=partner.organisation_type))
    return referral


@transaction.atomic
def partner_create(*, created_by: Any, unit: Unit, data: dict[str, Any]) -> Partner:
    require_casework(created_by, unit.pk)
    partner = Partner(unit=unit, **data)
    partner.full_clean()
    partner.save()
    return partner


# --- The documentation policy and exemptions (managers and administrators) -----

# The reason written on a default kind's first tier change (a municipality's starting point).
INITIAL_TIER_REASON = "Standardinställning vid start"


@transaction.atomic
def support_kinds_create_defaults(*, municipality: Municipality) -> dict[str, int]:
    """Give ``municipality`` the default kinds of support and their tiers
    (:data:`contacts.policy.DEFAULT_SUPPORT_KINDS`), each with the tier change that records
    its initial tier. Idempotent: a kind the municipality already has (by code) is left as
    it is, even when an administrator has renamed it, retired it or changed its tier.

    The one path that creates the defaults: ``manage.py setup_municipality`` (through the
    platform's municipality set-up hook) and the demo data both call it.
    """
    counts = {"support_kinds": 0, "tier_changes": 0}
    for code, name, tier, area, for_talks in policy.DEFAULT_SUPPORT_KINDS:
        kind, created = SupportKind.objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={"name": name, "tier": tier, "area": area, "for_talks": for_talks},
        )
        counts["support_kinds"] += created
        if not kind.tier_changes.exists():
            SupportKindTierChange.objects.create(
                support_kind=kind, old_tier="", new_tier=kind.tier, changed_by=None, reason=INITIAL_TIER_REASON
            )
            counts["tier_changes"] += 1
    return counts


def municipality_start(municipality: Municipality) -> dict[str, int]:
    """What a new municipality gets from this app (``extensions.add_municipality_setup``)."""
    return support_kinds_create_defaults(municipality=municipality)


@transaction.atomic
def support_kind_set_tier(
    *, changed_by: Any, kind: SupportKind, tier: str, reason: str, request: HttpRequest | None = None
) -> SupportKind:
    _require_manager(changed_by, kind.municipality)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the tier changes.")})
    if tier == kind.tier:
        raise ValidationError({"tier": _("The kind of support already has this tier.")})
    SupportKindTierChange.objects.create(
        support_kind=kind, old_tier=kind.tier, new_tier=tier, changed_by=changed_by, reason=reason.strip()
    )
    kind.tier = tier
    kind.full_clean()
    kind.save(update_fields=["tier", "updated_at"])
    access_log(actor=changed_by, action="update", record=kind, request=request)
    return kind


@transaction.atomic
def exemption_record(
    *,
    recorded_by: Any,
    municipality: Municipality,
    data: dict[str, Any],
    kinds: list[SupportKind],
    minutes: Any = None,
    request: HttpRequest | None = None,
) -> ExemptionDecision:
    _require_manager(recorded_by, municipality)
    decision = ExemptionDecision(municipality=municipality, recorded_by=recorded_by, **data)
    exemption_save(decision, kinds=kinds, minutes=minutes)
    access_log(actor=recorded_by, action="create", record=decision, request=request)
    return decision


def exemption_kinds_check(municipality_id: int, kinds: list[SupportKind]) -> None:
    """A decision covers at least one kind of support, all of its own municipality."""
    if not kinds:
        raise ValidationError({"kinds": _("Choose the kinds of support the decision covers.")})
    if any(kind.municipality_id != municipality_id for kind in kinds):
        raise ValidationError({"kinds": _("Choose kinds of support of this municipality.")})


def exemption_save(decision: ExemptionDecision, *, kinds: list[SupportKind], minutes: Any = None) -> None:
    """Write a new or amended decision: its kinds of support and, if given, the extract of
    the minutes, kept privately under an unguessable name (a replaced file goes once the
    change is committed)."""
    exemption_kinds_check(decision.municipality_id, kinds)
    if minutes is not None:
        old = decision.minutes.name if decision.minutes else ""
        decision.minutes.save(f"{uuid.uuid4()}.pdf", File(minutes), save=False)
        if old:
            storage = decision.minutes.storage
            transaction.on_commit(lambda: storage.delete(old))
    decision.full_clean()
    decision.save()
    decision.kinds.set(kinds)
