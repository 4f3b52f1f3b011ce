from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str

from django.conf import settings
from django.contrib.sessions.models import Session as DjangoSession
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Membership, Role, Unit, User
from anhorigstod.accounts.scoping import forget_unit_cache, unit_ids_for
from anhorigstod.audit.models import AccessLog
from anhorigstod.audit.services import access_log
from anhorigstod.lib.tasks import email_send


def password_setup_url(user: User) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def staff_create(
    *,
    created_by: Any,
    email: str,
    full_name: str,
    unit: Unit,
    role: str,
    send_invitation: bool = True,
    request: HttpRequest | None = None,
) -> Membership:
    """Give a person a role in a unit, creating their account if needed.

    Only an administrator of the unit (or of a unit above it) may do this; staff never
    sign themselves up. A new account gets no password: the invitation e-mail links to
    a page where they choose one, and at first sign-in they set up a second factor.
    """
    if created_by is not None and unit.pk not in unit_ids_for(created_by, roles={Role.ADMIN}):
        raise ValidationError({"unit": _("You can only add staff to units you administer.")})
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if user is None:
        user = User(email=email, full_name=full_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif Membership.objects.filter(user=user, unit=unit).exists():
        raise ValidationError({"email": _("This person already has a role in this unit.")})
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    membership = Membership(user=user, unit=unit, role=Role(role))
    membership.full_clean()
    membership.save()
    forget_unit_cache(user)
    access_log(
        actor=created_by,
        action=AccessLog.Action.CREATE,
        record=membership,
        unit=unit,
        subject_code=str(user.code),
        request=request,
    )
    if created and send_invitation:
        email_send.delay_on_commit(
            template="staff_invitation",
            to=[email],
            context={"setup_url": password_setup_url(user), "unit_name": unit.name},
        )
    return membership


def sessions_cull(*, municipality: Any, cutoff: dt.datetime, now: dt.datetime, dry_run: bool) -> dict[str, int]:
    """The register's rule (anhorigstod.privacy): browser sessions that ended before
    ``cutoff`` go. They hold who was signed in and which bookings the browser made;
    Django never removes an expired one by itself."""
    due = DjangoSession.objects.filter(expire_date__lt=cutoff)
    number = due.count()
    if number and not dry_run:
        due.delete()
    return {"expired_sessions": number}
