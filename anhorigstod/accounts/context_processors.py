from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from anhorigstod.accounts.scoping import roles_for
from anhorigstod.extensions import extensions


def staff_navigation(request: HttpRequest) -> dict[str, Any]:
    """The menus: each app contributes its own items (anhorigstod.extensions), the
    platform only lists those the user's roles see, in their order."""
    user = getattr(request, "user", None)
    held = roles_for(user) if user is not None else frozenset()
    signed_in = bool(getattr(user, "is_authenticated", False))
    public_nav = [
        {"url": reverse(item.url_name), "label": item.label} for item in extensions.public_menu_for(signed_in=signed_in)
    ]
    if not held:
        return {"is_staff_member": False, "staff_nav": [], "public_nav": public_nav}
    current = getattr(getattr(request, "resolver_match", None), "view_name", None)
    items = [
        {"url": reverse(item.url_name), "label": item.label, "current": item.url_name == current}
        for item in extensions.staff_menu_for(held)
    ]
    return {"is_staff_member": True, "staff_nav": items, "public_nav": public_nav}
