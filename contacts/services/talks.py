"""Writes of individual talks (PRODUCT §4): log a talk, correct it, mark its follow-up
done, and the talk form's drafts (saved as the consultant types, carried over to a
carer's form, discarded).

Every function checks the user's reach (accounts.scoping), asks the documentation policy
(contacts.policy) whether the talk may hold personal data, and writes an access-log row
for every identified talk it creates or changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Unit, User
from anhorigstod.accounts.scoping import require_casework
from anhorigstod.audit.services import Action, access_log
from anhorigstod.rollups.services import rollup_apply
from contacts import policy, rollups
from contacts.models import AgeBand, Carer, Gender, Partner, Referral, SupportKind, Talk, TalkDraft, TalkFocusEntry
from contacts.services.carers import age_band, carer_touch


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
def talk_log(*, consultant: User, unit: Unit, data: TalkData, request: HttpRequest | None = None) -> Talk:
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
        carer_touch(carer)
        access_log(actor=consultant, action=Action.CREATE, record=talk, subject_code=str(carer.code), request=request)
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
    updated_by: User,
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
        carer_touch(carer)  # the carer first, as every writer of a carer's records locks it
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
        access_log(actor=updated_by, action=Action.UPDATE, record=talk, subject_code=str(carer.code), request=request)
    return talk


@transaction.atomic
def talk_follow_up_mark_done(*, talk: Talk, by: User, request: HttpRequest | None = None) -> Talk:
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
        access_log(actor=by, action=Action.UPDATE, record=talk, subject_code=str(talk.carer.code), request=request)
    return talk


# The key of the anonymous talk form's draft; a carer's talk form uses the carer's code.
ANONYMOUS_DRAFT = "new"
# The fields only an anonymous talk has: a carer's talk takes them from the record.
ANONYMOUS_ONLY_FIELDS = ("age_band", "gender", "target_group", "unit")


def talk_draft_save(*, user: User, key: str, data: dict[str, Any]) -> None:
    # Drafts never hold a personnummer: the talk form has no such field, and the key is a code.
    TalkDraft.objects.update_or_create(user=user, key=key[:80], defaults={"data": data})


@transaction.atomic
def talk_draft_discard(*, user: User, key: str, carer: Carer | None = None, request: HttpRequest | None = None) -> bool:
    """Delete the user's draft of one form, logged; False if there was none.

    A carer's draft is logged under the carer (it is part of their record until it goes);
    the anonymous form's draft holds no one's identity and is logged without a unit.
    """
    draft = TalkDraft.objects.select_for_update().filter(user=user, key=key[:80]).first()
    if draft is None:
        return False
    access_log(
        actor=user,
        action=Action.DELETE,
        record=draft,
        unit=carer.unit if carer else None,
        subject_code=str(carer.code) if carer else "",
        request=request,
    )
    draft.delete()
    return True


@transaction.atomic
def talk_draft_take_over(*, user: User, carer: Carer) -> bool:
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
