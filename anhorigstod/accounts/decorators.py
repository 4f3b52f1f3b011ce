"""Who may open a page: :func:`role_required`, and the request a signed-in user's page gets."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from anhorigstod.accounts.models import User
from anhorigstod.accounts.scoping import has_role

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a page behind :func:`role_required` or ``login_required``: its user
    is signed in (never ``AnonymousUser``). For annotations only (the django-stubs pattern);
    at run time it is the same ``HttpRequest``."""

    user: User


def role_required(
    *roles: str,
) -> Callable[[Callable[Concatenate[AuthenticatedHttpRequest, P], R]], Callable[Concatenate[HttpRequest, P], R]]:
    """Signed in and holding one of ``roles`` in some unit; a page, not a record, so 403 otherwise.

    Records are still fetched through the scoping helpers, which 404 outside the user's units.
    """

    def decorator(
        view: Callable[Concatenate[AuthenticatedHttpRequest, P], R],
    ) -> Callable[Concatenate[HttpRequest, P], R]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(cast(AuthenticatedHttpRequest, request), *args, **kwargs)  # login_required signed them in

        return wrapped

    return decorator
