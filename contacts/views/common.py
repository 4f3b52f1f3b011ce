"""What the app's pages share: who may open them, the lists' pages, and the small form pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anhorigstod.accounts.decorators import role_required
from anhorigstod.accounts.models import Role
from anhorigstod.lib.pagination import BoundedPaginator
from contacts.models import Carer

casework = role_required(Role.CONSULTANT, Role.MANAGER)
management = role_required(Role.MANAGER, Role.ADMIN)
administrator = role_required(Role.ADMIN)


PAGE_SIZE = 50
# The lists count their rows up to here and say "more than 1,000" beyond: counting every
# talk of a large municipality on each page view cost more than the page itself.
LIST_COUNT_BOUND = 1000


def list_page(queryset: Any, number: Any) -> Page:
    """One page of a list (the carers, the talks), its rows counted up to :data:`LIST_COUNT_BOUND`."""
    return BoundedPaginator(queryset, PAGE_SIZE, bound=LIST_COUNT_BOUND).get_page(number)


def simple_form_context(form: Any, carer: Carer | None, title: str, **extra: Any) -> dict[str, Any]:
    """The context of contacts/simple_form.html: a small form, on a carer's record or not."""
    return {"form": form, "carer": carer, "title": title, **extra}


def admin_form_page(request: HttpRequest, form: Any, title: str, **extra: Any) -> HttpResponse:
    """A form of the municipality's administration (contacts/admin_form.html)."""
    return render(request, "contacts/admin_form.html", {"form": form, "title": title, **extra})
