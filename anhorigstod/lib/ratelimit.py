"""Rate limits of the public forms: booking, "Bli kontaktad" and evaluations.

The counting is django-ratelimit's (a fixed window per key in the cache: Redis in
production, the local memory cache in the demo). Each form has a limit per client address
and, where the form takes one, per e-mail address; both are counted on every attempt that
would do something (a valid form), so typing an address into the booking form cannot make
the portal send mail to it more than a few times. The keys are hashed by django-ratelimit
before they reach the cache: no address is stored in clear.

When the cache cannot be reached the form is let through (and a warning logged): a booking
must not be lost because Redis is away, as for the task broker.
"""

from __future__ import annotations

import logging

from django_ratelimit.core import get_usage

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from anhorigstod.audit.services import client_ip

logger = logging.getLogger(__name__)


def over_limit(request: HttpRequest, *, form: str, email: str = "") -> bool:
    """Count one attempt at ``form`` from this address (and for ``email``); True when a
    limit of ``settings.ANHORIGSTOD_RATE_LIMITS[form]`` is passed."""
    per_address, per_email = settings.ANHORIGSTOD_RATE_LIMITS[form]
    checks = [("address", per_address, client_ip(request) or "unknown")]
    if per_email and email.strip():
        checks.append(("email", per_email, email.strip().lower()))
    over = False
    for kind, rate, value in checks:
        try:
            usage = get_usage(
                request, group=f"{form}:{kind}", key=lambda _group, _request, v=value: v, rate=rate, increment=True
            )
        except Exception:  # noqa: BLE001 - any cache failure: let the person through
            logger.warning("rate limit: cache unavailable for %s, attempt allowed", form)
            return False
        over = over or bool(usage and usage["should_limit"])
    return over


def limit_message() -> str:
    return _(
        "You have sent this form many times in a short while, so we have paused it for a few minutes. "
        "What you typed is still here: wait a little and send it again, or call us."
    )
