from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from anhorigstod.accounts.models import Role
from anhorigstod.accounts.scoping import roles_for

# (url name, label, roles that see it). Later apps add their pages here.
STAFF_NAVIGATION: list[tuple[str, Any, frozenset[str]]] = [
    ("today", _("Today"), frozenset({Role.CONSULTANT, Role.MANAGER, Role.ADMIN})),
    ("contacts:talk_create", _("Log an anonymous talk"), frozenset({Role.CONSULTANT, Role.MANAGER})),
    ("contacts:carer_list", _("Carers"), frozenset({Role.CONSULTANT, Role.MANAGER})),
    ("contacts:talk_list", _("Talks"), frozenset({Role.CONSULTANT, Role.MANAGER})),
    ("groups_staff:activity_list", _("Activities"), frozenset({Role.CONSULTANT, Role.MANAGER})),
    ("groups_extra:inbox_list", _("Contact requests"), frozenset({Role.CONSULTANT, Role.MANAGER})),
    ("contacts:partner_list", _("Partners"), frozenset({Role.CONSULTANT, Role.MANAGER, Role.ADMIN})),
    ("followup:dashboard", _("Follow-up"), frozenset({Role.MANAGER})),
    ("reports:report_list", _("Follow-up reports"), frozenset({Role.MANAGER})),
    ("national:national_export", _("National export"), frozenset({Role.MANAGER})),
    ("followup:my_workload", _("My workload"), frozenset({Role.CONSULTANT, Role.MANAGER})),
    ("contacts:policy", _("Documentation"), frozenset({Role.MANAGER, Role.ADMIN})),
    ("catalogue:catalogue_index", _("Support catalogue"), frozenset({Role.CONSULTANT, Role.MANAGER})),
    ("assessment:assessment_index", _("Self-assessment"), frozenset({Role.CONSULTANT, Role.MANAGER})),
    ("audit:log_review", _("Access log review"), frozenset({Role.MANAGER})),
    ("staff_list", _("Staff"), frozenset({Role.ADMIN})),
]


def staff_navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    held = roles_for(user) if user is not None else frozenset()
    if not held:
        return {"is_staff_member": False, "staff_nav": []}
    current = getattr(getattr(request, "resolver_match", None), "view_name", None)
    items = [
        {"url": reverse(name), "label": label, "current": name == current}
        for name, label, roles in STAFF_NAVIGATION
        if held & roles
    ]
    return {"is_staff_member": True, "staff_nav": items}
