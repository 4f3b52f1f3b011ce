"""The categories of carers and talks (PRODUCT §3-4, seed-004-notes §2 and §4).

The category lists (talk types, focus, initiators, target groups …) are the ones
consultants and Socialstyrelsen use (shared/domain/seed-004-notes.md §2-4, PRODUCT §3-4):
keep their wording exact.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
