"""The groups app's entries in the register of personal data (anhorigstod.privacy),
made by ``GroupsConfig.ready()``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from anhorigstod.extensions import ProcessingItem, extensions
from anhorigstod.legal.processing import PUBLIC_TASK, days, period_amount, years
from anhorigstod.privacy.registry import Clock, Period, Removal, register
from groups.services import inbox, shredder

SHREDDED = "activities of tier information or open activity"
DOCUMENTED = "activities of tier advice or insats"


def declare() -> None:
    # A booking kept as a count keeps its status, attendance and the staff member who
    # booked it on the phone (their work), not who it was for.
    register.declare(
        "groups.Booking", fields=("name", "email", "phone", "person_key", "user", "carer", "booked_by_staff")
    )
    register.declare("groups.Application", fields=("name", "email", "phone", "person_key", "carer", "message"))
    register.declare("groups.PriorityChange", fields=("reason", "changed_by"))
    register.declare("groups.ContactRequest", fields=("name", "email", "phone", "message", "handled_by"))
    register.rule(
        shredder.SHREDDER,
        models=["groups.Booking", "groups.Application", "groups.PriorityChange"],
        removal=Removal.COUNT,
        clock=Clock.SESSION_END,
        period=Period.shredder_days(),
        cull=shredder.shred_municipality,
        count_keys=[shredder.RULE_PREFIX + key for key in shredder.COUNT_KEYS],
        # A priority change's reason goes with its application.
        model_keys={
            "groups.Booking": "shredded_bookings",
            "groups.Application": "shredded_applications",
            "groups.PriorityChange": "shredded_applications",
        },
        which=SHREDDED,
    )
    register.rule(
        "documented_bookings",
        models=["groups.Booking"],
        removal=Removal.COUNT,
        clock=Clock.SESSION_END,
        period=Period.municipality_years(),
        cull=shredder.cull_documented_bookings,
        count_keys=["documented_bookings"],
        which=DOCUMENTED,
    )
    register.rule(
        "documented_applications",
        models=["groups.Application", "groups.PriorityChange"],
        removal=Removal.COUNT,
        clock=Clock.ACTIVITY_END,
        period=Period.municipality_years(),
        cull=shredder.cull_documented_applications,
        count_keys=["documented_applications"],
        model_keys={
            "groups.Application": "documented_applications",
            "groups.PriorityChange": "documented_applications",
        },
        which=DOCUMENTED,
    )
    register.rule(
        "handled_contact_requests",
        models=["groups.ContactRequest"],
        removal=Removal.DELETE,
        clock=Clock.REQUEST_HANDLED,
        period=Period.own("GROUPS_CONTACT_REQUEST_RETENTION_DAYS", 90),
        cull=inbox.cull_handled_requests,
        count_keys=["handled_contact_requests"],
    )
    register.rule(
        "unhandled_contact_requests",
        models=["groups.ContactRequest"],
        removal=Removal.DELETE,
        clock=Clock.REQUEST_RECEIVED,
        period=Period.municipality_years(),
        cull=inbox.cull_unhandled_requests,
        count_keys=["unhandled_contact_requests"],
        which="never handled",
    )
    register.keep(
        "groups.Activity",
        reason="an activity is the unit's public offer; who created it is a staff member's work record",
        fields=("created_by",),
    )
    extensions.add_privacy_notice_items(privacy_notice_items, order=20)


def privacy_notice_items(municipality: Any) -> list[ProcessingItem]:
    """For the default privacy notice: bookings, interest, "Bli kontaktad" and
    evaluations, each with the period of its rule."""
    kept_years = years(period_amount("documented_bookings", municipality))
    return [
        ProcessingItem(
            purpose=_("Booking a place at a group or an activity, and registering interest in a group"),
            data=_(
                "Your name, e-mail address or phone number, whether you need respite for the person you care "
                "for during the session, what you write to us, and whether you came."
            ),
            legal_basis=PUBLIC_TASK,
            retention=_(
                "Open activities and information meetings: %(short)s after the session, then only counted, "
                "without who. Support groups and other support: %(long)s after the session, then only counted; "
                "who came is replaced by a code that cannot be traced to anyone without the service's secret key, "
                "so that the number of different participants stays right."
            )
            % {"short": days(period_amount(shredder.SHREDDER, municipality)), "long": kept_years},
        ),
        ProcessingItem(
            purpose=_("“Be contacted”: when you ask a carer consultant to contact you"),
            data=_("Your name, phone number or e-mail address, and what you write."),
            legal_basis=PUBLIC_TASK,
            retention=_("%(short)s after the consultant has handled it, then deleted (%(long)s if never handled).")
            % {
                "short": days(period_amount("handled_contact_requests", municipality)),
                "long": years(period_amount("unhandled_contact_requests", municipality)),
            },
        ),
        ProcessingItem(
            purpose=_("Evaluations after groups and activities"),
            data=_("Your answers only: we do not ask who you are, and results are shown only when 5 or more answered."),
            legal_basis=PUBLIC_TASK,
            retention=_("Kept as statistics that cannot be traced to you."),
        ),
    ]
