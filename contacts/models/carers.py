"""Carers, individual talks, the documentation policy and the nämnd's exemptions.

The category lists (talk types, focus, initiators, target groups …) are the ones
consultants and Socialstyrelsen use (shared/domain/seed-004-notes.md §2-4, PRODUCT §3-4):
keep their wording exact.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel
from anhorigstod.lib.storage import private_storage

# --------------------------------------------------------------------------
# Documentation policy (PRODUCT §2). The rules themselves live in contacts/policy.py.
# --------------------------------------------------------------------------


class DocumentationTier(models.TextChoices):
    INFORMATION = "information", _("Information (counts only, not an insats)")
    OPEN_ACTIVITY = "open_activity", _("Open activity (head count, never personal data)")
    ADVICE = "advice", _("Advice (rådgivning: identity optional)")
    INSATS = "insats", _("Insats (annat stöd: identified and documented)")


class SupportKind(TimeStampedModel):
    """A kind of support a municipality offers, mapped to its documentation tier."""

    class Area(models.TextChoices):
        # Socialstyrelsen's follow-up areas for direct support (seed 004 L2993-3041).
        RESPITE = "respite", _("Respite (avlösning)")
        SUPPORT_TALKS = "support_talks", _("Support talks (stödsamtal)")
        EDUCATION = "education", _("Education and information")
        HEALTH = "health", _("Health-promoting activities")

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="support_kinds")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=120)
    tier = models.CharField(_("documentation tier"), max_length=20, choices=DocumentationTier.choices)
    area = models.CharField(_("follow-up area"), max_length=20, choices=Area.choices)
    # Whether consultants log individual talks under this kind (the talk form offers only these).
    for_talks = models.BooleanField(_("used for individual talks"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("kind of support")
        verbose_name_plural = _("kinds of support")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="contacts_supportkind_unique_code"),
            models.CheckConstraint(
                condition=Q(tier__in=DocumentationTier.values), name="contacts_supportkind_tier_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SupportKindTierChange(models.Model):
    """Every change of a kind's tier, with who, when and why (PRODUCT §2)."""

    support_kind = models.ForeignKey(SupportKind, on_delete=models.CASCADE, related_name="tier_changes")
    old_tier = models.CharField(max_length=20, choices=DocumentationTier.choices, blank=True)
    new_tier = models.CharField(max_length=20, choices=DocumentationTier.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-changed_at", "-id"]


class ExemptionDecision(TimeStampedModel):
    """The nämnd's decision that särskilda skäl exempt some kinds of support from
    documenting personal circumstances (SoL 2025:400; seed 004 L2085-2118)."""

    class Reason(models.TextChoices):
        ANONYMITY = "anonymity", _("Need for anonymity")
        LOW_THRESHOLD = "low_threshold", _("Low threshold to seek help")
        OPEN_ACTIVITY = "open_activity", _("Open activity")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="exemptions")
    board = models.CharField(_("nämnd"), max_length=150, help_text=_("For example Socialnämnden."))
    decided_on = models.DateField(_("decision date"))
    reference = models.CharField(
        _("reference"), max_length=80, help_text=_("Diarienummer and paragraph, for example SN 2025/114 § 52.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Leave empty if it has no end."))
    kinds = models.ManyToManyField(SupportKind, related_name="exemptions", verbose_name=_("kinds of support covered"))
    reason = models.CharField(_("reason (särskilda skäl)"), max_length=20, choices=Reason.choices)
    reason_text = models.TextField(_("reason in the decision's words"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The extract of the nämnd's minutes (protokollsutdrag), kept privately, downloaded
    # only by the municipality's managers and administrators.
    minutes = models.FileField(
        _("extract of the minutes"), storage=private_storage, upload_to="exemptions/", blank=True, max_length=200
    )
    # The end date the administrators were last reminded of: moving ``valid_to`` re-arms
    # the reminder, and a reminder is sent once per end date.
    expiry_reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("exemption decision")
        verbose_name_plural = _("exemption decisions")
        ordering = ["-valid_from", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="contacts_exemption_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__gte=F("decided_on")), name="contacts_exemption_valid_after_decision"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board} {self.reference}"


# --------------------------------------------------------------------------
# Categories (PRODUCT §3-4, seed-004-notes §2 and §4)
# --------------------------------------------------------------------------


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    AGE_18_29 = "18-29", "18–29"
    AGE_30_44 = "30-44", "30–44"
    AGE_45_64 = "45-64", "45–64"
    AGE_65_79 = "65-79", "65–79"
    AGE_80 = "80-", _("80 or older")
    UNKNOWN = "unknown", _("Unknown")


class Relation(models.TextChoices):
    PARTNER = "partner", _("Partner")
    PARENT = "parent", _("Parent of a child")
    ADULT_CHILD = "adult_child", _("Adult child of a parent")
    SIBLING = "sibling", _("Sibling")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    FRIEND = "friend", _("Friend or neighbour")
    OTHER = "other", _("Other")


class TargetGroup(models.TextChoices):
    """The närstående's target group: the only thing ever recorded about the närstående."""

    ELDERLY = "elderly", _("Older person")
    DEMENTIA = "dementia", _("Dementia / cognitive impairment")
    DISABILITY = "disability", _("Disability")
    NPF = "npf", _("Neuropsychiatric disability (NPF)")
    SOMATIC = "somatic", _("Somatic illness")
    MENTAL = "mental", _("Mental ill-health")
    ADDICTION = "addiction", _("Dependence / substance misuse")
    GAMBLING = "gambling", _("Gambling")
    END_OF_LIFE = "end_of_life", _("End of life")
    BEREAVED = "bereaved", _("Bereaved")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class CareHours(models.TextChoices):
    UNDER_1 = "0-1", _("Less than 1 hour a week")
    H1_10 = "1-10", _("1–10 hours a week")
    H11_20 = "11-20", _("11–20 hours a week")
    OVER_20 = "20-", _("More than 20 hours a week")
    UNKNOWN = "unknown", _("Unknown")


class Occupation(models.TextChoices):
    WORKING = "working", _("Working")
    STUDYING = "studying", _("Studying")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other")


class ContactChannel(models.TextChoices):
    SELF = "self", _("Contacted us themselves")
    HEALTH_CARE = "health_care", _("Tip from health care")
    MUNICIPAL_STAFF = "municipal_staff", _("Tip from municipal staff")
    ACQUAINTANCE = "acquaintance", _("Tip from an acquaintance")
    WEBSITE = "website", _("Website")
    SOCIAL_MEDIA = "social_media", _("Social media")
    CAMPAIGN = "campaign", _("Campaign or printed material")
    OTHER = "other", _("Other")


class TalkMode(models.TextChoices):
    OFFICE = "office", _("Visit at the office")
    HOME = "home", _("Home visit")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    WALK = "walk", _("Walk-and-talk")
    CHAT = "chat", _("Chat")


class TalkType(models.TextChoices):
    """Winqvist's talk types (seed-004-notes §2, L4204-4227)."""

    ACQUAINTANCE = "acquaintance", _("Getting acquainted / exploratory")
    INFORMATION = "information", _("Information")
    REFERRAL = "referral", _("Referral / guidance")
    ADVICE = "advice", _("Advice")
    PREPARATION = "preparation", _("Preparation")
    ACUTE = "acute", _("Acute / survival talk")
    UNBURDENING = "unburdening", _("Talking it off one's chest")
    PLANNING = "planning", _("Planning support / sounding board / structured assessment")
    MOTIVATION = "motivation", _("Motivation")
    CONFIRMATION = "confirmation", _("Confirmation")
    FOLLOW_UP = "follow_up", _("Follow-up / keeping in touch")
    MEDIATION = "mediation", _("Preventing problems / mediating / advocacy")
    COMPLAINT = "complaint", _("Receiving a complaint")
    PRACTICAL = "practical", _("Practical matters")


class TalkFocus(models.TextChoices):
    """Socialstyrelsen 2023c's focus categories (inriktning) for stödsamtal (L3037-3039)."""

    INFORMING = "informing", _("Informing")
    EDUCATING = "educating", _("Educating")
    ADVISING = "advising", _("Advising")
    SUPPORTING = "supporting", _("Supporting")
    MAPPING = "mapping", _("Mapping")
    COORDINATING = "coordinating", _("Coordinating")
    MOTIVATING = "motivating", _("Motivating")
    BEREAVEMENT = "bereavement", _("Bereavement talk")
    WELLNESS = "wellness", _("Wellness talk")


class Initiator(models.TextChoices):
    """Who initiated the talk, in the source's wording (seed 004 L3034-3035: "hälso- och
    sjukvård, biståndshandläggare, annan från socialtjänsten eller anhöriga själva")."""

    HEALTH_CARE = "health_care", _("Health care")
    CASE_OFFICER = "case_officer", _("Needs assessor (biståndshandläggare)")
    SOCIAL_SERVICES = "social_services", _("Someone else from the social services")
    CARER = "carer", _("Carers themselves")
    OTHER = "other", _("Other")


class TimeOfDay(models.TextChoices):
    """Socialstyrelsen's measure, derived from the start (contacts/policy.py)."""

    DAYTIME = "daytime", _("Daytime")
    EVENING = "evening", _("Evening")
    WEEKEND = "weekend", _("Weekend")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_RELEVANT = "not_relevant", _("Not relevant")


# --------------------------------------------------------------------------
# Partners (PRODUCT §7)
# --------------------------------------------------------------------------


class Partner(TimeStampedModel):
    class OrganisationType(models.TextChoices):
        # The 2019 national survey's organisation types (seed-001-notes §1, question 5), plus helplines and funds.
        OTHER_ADMINISTRATION = "other_administration", _("Other municipal administrations")
        SOMATIC_CARE = "somatic_care", _("Hospital care, somatic")
        PSYCHIATRY = "psychiatry", _("Hospital care, psychiatry")
        PRIMARY_CARE = "primary_care", _("Health centre / primary care")
        FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
        ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
        CARER_ASSOCIATION = "carer_association", _("Carers' associations")
        PATIENT_ASSOCIATION = "patient_association", _("Patient and user associations")
        FAITH = "faith", _("Religious communities")
        STUDY_ASSOCIATION = "study_association", _("Study associations")
        AID_ORGANISATION = "aid_organisation", _("Aid organisations")
        OTHER_ASSOCIATION = "other_association", _("Other associations")
        PRIVATE = "private", _("Private providers")
        HELPLINE = "helpline", _("Helpline")
        FUND = "fund", _("Fund")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="partners")
    name = models.CharField(_("name"), max_length=150)
    organisation_type = models.CharField(_("type of organisation"), max_length=30, choices=OrganisationType.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    offers_respite = models.BooleanField(_("arranges respite"), default=False)
    # A retired partner stays on the referrals and activities that name it, and is no
    # longer offered for new ones.
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="contacts_partner_unique_name_per_unit")]

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------
# Carers (PRODUCT §3)
# --------------------------------------------------------------------------


class Carer(TimeStampedModel):
    """A carer known by the unit. Identity fields are filled only where the policy allows."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        NO_LONGER_NEEDED = "no_longer_needed", _("Support no longer needed")
        CARER_DECLINED = "carer_declined", _("The carer declined further support")
        MOVED = "moved", _("Moved away")
        REFERRED = "referred", _("Referred elsewhere")
        DECEASED = "deceased", _("The carer has died")
        OTHER = "other", _("Other")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="carers")
    # A readable label for lists and talk logs that never shows a name ("A-2026-0042").
    number = models.PositiveIntegerField(_("number"))
    # Identity
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    personnummer = models.CharField(
        _("personnummer or samordningsnummer"), max_length=12, blank=True, help_text=_("12 digits, YYYYMMDDNNNN.")
    )
    # Statistics
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    # Empty until the carer is asked: "prefers not to say" is an answer, not a default.
    # The follow-up counts an empty gender with "prefers not to say" (rollups.carer_key).
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True, default="")
    language = models.CharField(_("language"), max_length=50, blank=True, default="svenska")
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    relation = models.CharField(_("relation to the närstående"), max_length=20, choices=Relation.choices, blank=True)
    target_group = models.CharField(
        _("the närstående's target group"), max_length=20, choices=TargetGroup.choices, blank=True
    )
    close_person_has_municipal_contact = models.CharField(
        _("the närstående has contact with municipal care or health care"),
        max_length=10,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    care_hours = models.CharField(
        _("care hours a week"), max_length=10, choices=CareHours.choices, default=CareHours.UNKNOWN
    )
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices, blank=True)
    under_18 = models.BooleanField(
        _("carer under 18"), default=False, help_text=_("Barn som anhöriga are handled and reported separately.")
    )
    first_contact_channel = models.CharField(
        _("first contact through"), max_length=20, choices=ContactChannel.choices, blank=True
    )
    support_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("support contact (stödkontakt)"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True)
    # Gallring: the record is culled a number of years after its last entry.
    last_entry_at = models.DateTimeField(_("last entry"), db_index=True)

    class Meta:
        verbose_name = _("carer")
        verbose_name_plural = _("carers")
        ordering = ["-last_entry_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="contacts_carer_unique_number_per_unit"),
            models.CheckConstraint(
                condition=Q(personnummer="") | Q(personnummer__regex=r"^[0-9]{12}$"),
                name="contacts_carer_personnummer_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True, close_reason="")
                | Q(status="closed", closed_on__isnull=False) & ~Q(close_reason=""),
                name="contacts_carer_closed_has_date_and_reason",
            ),
        ]
        indexes = [
            # The carer list: a unit's carers, newest activity first.
            models.Index(fields=["unit", "-last_entry_at"], name="contacts_carer_unit_recent_idx"),
            # The carer list filtered by status: closed records are the oldest, so reading all
            # carers newest first passes every open one before the first closed (a manager's
            # closed carers at a million talks 102 -> 1.4 ms); read within the status instead.
            models.Index(fields=["status", "-last_entry_at", "-id"], name="contacts_carer_status_idx"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"A-{self.number:05d}"

    @property
    def has_identity(self) -> bool:
        return bool(self.first_name or self.last_name or self.email or self.phone or self.personnummer)

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.label


class Consent(TimeStampedModel):
    """Samtycke: to whom information about the carer may be given, and how far."""

    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="consents")
    to_whom = models.CharField(_("to whom"), max_length=200)
    scope = models.TextField(_("scope"))
    given_on = models.DateField(_("given on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("given_on")),
                name="contacts_consent_revoked_after_given",
            )
        ]


class SupportPlanItem(TimeStampedModel):
    """One row of the stödplan, under one of COAT's four areas; texts are the municipality's."""

    class Area(models.TextChoices):
        CARE_TASKS = "care_tasks", _("Helping you to care")
        OWN_LIFE = "own_life", _("Making life better for you")
        CLOSE_PERSON = "close_person", _("Making life better for the person you care for")
        GOOD_HELP = "good_help", _("Getting good quality help and support")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="plan_items")
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    goal = models.TextField(_("goal"))
    actions = models.TextField(_("agreed actions"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    # Who marked the item done, and when (null for items done before this was kept).
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["area", "follow_up_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done=True) | Q(done_at__isnull=True, done_by__isnull=True),
                name="contacts_planitem_done_when_marked",
            ),
        ]


# --------------------------------------------------------------------------
# Talks and journal notes (PRODUCT §4)
# --------------------------------------------------------------------------


class Talk(TimeStampedModel):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="talks")
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talks")
    support_kind = models.ForeignKey(SupportKind, on_delete=models.PROTECT, related_name="talks")
    # Null for an anonymous talk; the documentation policy decides which it may be.
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, null=True, blank=True, related_name="talks")
    exemption = models.ForeignKey(
        ExemptionDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="talks"
    )
    started_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    mode = models.CharField(_("mode"), max_length=10, choices=TalkMode.choices)
    talk_type = models.CharField(_("talk type"), max_length=20, choices=TalkType.choices)
    initiator = models.CharField(_("initiated by"), max_length=20, choices=Initiator.choices)
    structured_material = models.CharField(_("structured material"), max_length=100, blank=True)
    time_of_day = models.CharField(_("time of day"), max_length=10, choices=TimeOfDay.choices, editable=False)
    # SoL 11 kap. 6 §: support given without needs assessment obliges us to tell the
    # carer they may apply for support for their own part.
    informed_right_to_apply = models.CharField(
        _("informed about the right to apply for support (SoL 11 kap. 6 §)"), max_length=15, choices=Answer.choices
    )
    asked_about_children = models.CharField(
        _("asked about children in the carer's network"), max_length=15, choices=Answer.choices
    )
    referral_partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="talk_referrals"
    )
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    # The follow-up was done: by whom and when ("Idag" and the workload list the others).
    follow_up_done_at = models.DateTimeField(_("follow-up done"), null=True, blank=True)
    follow_up_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Free text: only where the policy allows notes, never on an anonymous talk.
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    bring_up_next_time = models.CharField(_("to bring up next time"), max_length=500, blank=True)
    # Statistical attributes, copied from the carer or given for an anonymous talk, so
    # the follow-up counts every talk the same way.
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, default=Gender.UNDISCLOSED)
    target_group = models.CharField(
        _("the närstående's target group"), max_length=20, choices=TargetGroup.choices, blank=True
    )

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["-started_at", "-id"]
        constraints = [
            # An anonymous talk holds no carer and no free text, made under an exemption or not.
            models.CheckConstraint(
                condition=Q(carer__isnull=False) | (Q(next_step="") & Q(bring_up_next_time="")),
                name="contacts_talk_anonymous_holds_no_notes",
            ),
            models.CheckConstraint(
                condition=Q(exemption__isnull=True) | Q(carer__isnull=True),
                name="contacts_talk_exempted_is_anonymous",
            ),
            models.CheckConstraint(condition=Q(time_of_day__in=TimeOfDay.values), name="contacts_talk_time_of_day_set"),
            models.CheckConstraint(
                condition=Q(follow_up_done_at__isnull=True, follow_up_done_by__isnull=True)
                | Q(follow_up_on__isnull=False, follow_up_done_at__isnull=False),
                name="contacts_talk_follow_up_done_has_date",
            ),
        ]
        indexes = [
            # The talk list and the dashboard: a unit's talks over a period.
            models.Index(fields=["unit", "-started_at"], name="contacts_talk_unit_started_idx"),
            # A consultant's own talks (workload).
            models.Index(fields=["consultant", "-started_at"], name="contacts_talk_consultant_idx"),
            # The talk list of a manager's several units, newest first: read from the newest
            # end until a page of the user's units is found, instead of sorting all of a
            # municipality's talks (72 -> 3 ms for 160,000 talks at a million nationally).
            models.Index(fields=["-started_at", "-id"], name="contacts_talk_recent_idx"),
            # The talk list filtered by talk type, initiator or target group: a rare value
            # (mediation, a target group of 1 %) is found among the unit's talks directly,
            # where reading newest first would pass most of the municipality (164 -> 15 ms).
            models.Index(fields=["unit", "talk_type", "-started_at"], name="contacts_talk_unit_type_idx"),
            models.Index(fields=["unit", "initiator", "-started_at"], name="contacts_talk_unit_init_idx"),
            models.Index(fields=["unit", "target_group", "-started_at"], name="contacts_talk_unit_target_idx"),
            # The talk list's "anonymous" filter, newest first: a quarter of the talks, read
            # without passing the identified ones (a manager's page 5 at 1M talks 68 -> 8 ms).
            models.Index(
                fields=["-started_at", "-id"], condition=Q(carer__isnull=True), name="contacts_talk_anonymous_idx"
            ),
            # "Idag" and the workload: a consultant's follow-ups not yet done, by date. Few
            # talks have one, so the index is small and the overdue ones are found directly.
            models.Index(
                fields=["consultant", "follow_up_on"],
                condition=Q(follow_up_on__isnull=False, follow_up_done_at__isnull=True),
                name="contacts_talk_followup_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_talk_type_display()}"

    @property
    def is_anonymous(self) -> bool:
        return self.carer_id is None


class TalkFocusEntry(models.Model):
    """One focus of a talk; several may apply."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="focus_entries")
    focus = models.CharField(max_length=20, choices=TalkFocus.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["talk", "focus"], name="contacts_talkfocus_unique")]
        indexes = [
            # The talk list filtered by a focus: the talks with that focus, found directly
            # rather than by walking the talks until a page is full (a rare focus).
            models.Index(fields=["focus", "talk"], name="contacts_talkfocus_focus_idx"),
        ]


class TalkDraft(models.Model):
    """What a consultant has typed into the talk form, saved as they type, so a session
    timeout loses nothing. One draft per consultant and form; deleted when the talk is saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)  # "new" or the carer's code
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="contacts_talkdraft_one_per_form")]


class JournalNote(TimeStampedModel):
    """A journal note of an insats. Signed by its author and then locked: a mistake is
    corrected by a new note or by marking this one erroneous (felmarkera), never by editing."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="journal_notes")
    talk = models.ForeignKey(Talk, on_delete=models.PROTECT, null=True, blank=True, related_name="journal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    marked_erroneous_at = models.DateTimeField(_("marked erroneous"), null=True, blank=True)
    marked_erroneous_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    erroneous_reason = models.CharField(_("why it is erroneous"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(marked_erroneous_at__isnull=True) | Q(signed_at__isnull=False),
                name="contacts_note_only_signed_notes_are_marked_erroneous",
            ),
            models.CheckConstraint(
                condition=Q(marked_erroneous_at__isnull=True) | ~Q(erroneous_reason=""),
                name="contacts_note_erroneous_has_reason",
            ),
        ]


# --------------------------------------------------------------------------
# Respite and referrals (PRODUCT §7, §8)
# --------------------------------------------------------------------------


class RespiteGrant(TimeStampedModel):
    """Respite hours given to a carer (avlösning)."""

    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="respite_grants")
    given_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(240)]
    )
    provider = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="contacts_respite_positive_hours")]


class Referral(TimeStampedModel):
    """A referral of a carer to a partner; ``respite`` marks referrals to respite."""

    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, null=True, blank=True, related_name="referrals")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="referrals")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals")
    referred_on = models.DateField(_("date"))
    respite = models.BooleanField(_("referral to respite"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-referred_on"]


# --------------------------------------------------------------------------
# Measurements (PRODUCT §5): instruments are data
# --------------------------------------------------------------------------


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
