from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str

from django.conf import settings
from django.contrib.sessions.models import Session as DjangoSession
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import Membership, Municipality, Role, Unit, User, kommunkod_validator
from anhorigstod.accounts.scoping import forget_unit_cache, unit_ids_for
from anhorigstod.audit.models import AccessLog
from anhorigstod.audit.services import access_log
from anhorigstod.extensions import extensions
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
    created_by: User | None,
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


# --- The organisation: municipalities and their unit trees ------------------------------


@dataclass(frozen=True)
class UnitSpec:
    """One ``--unit`` of ``setup_municipality``: ``CODE:Name``, or ``PARENT/CODE:Name`` below PARENT."""

    code: str
    name: str
    parent_code: str = ""

    @classmethod
    def parse(cls, text: str) -> UnitSpec:
        path, colon, name = text.partition(":")
        parent_code, slash, code = path.strip().rpartition("/")
        if not colon or not code.strip() or not name.strip() or (slash and not parent_code.strip()):
            raise ValidationError(
                _("Write a unit as CODE:Name, or PARENT/CODE:Name for a unit below another (got %(text)r).")
                % {"text": text}
            )
        return cls(code=code.strip(), name=name.strip(), parent_code=parent_code.strip())


@dataclass
class SetupReport:
    municipality: Municipality
    municipality_created: bool = False
    municipality_changed: bool = False
    units_created: list[str] = field(default_factory=list)
    units_changed: list[str] = field(default_factory=list)
    units_unchanged: list[str] = field(default_factory=list)
    # What the apps gave the municipality (extensions.add_municipality_setup): app -> counts.
    added: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.municipality_created
            or self.municipality_changed
            or self.units_created
            or self.units_changed
            or any(any(counts.values()) for counts in self.added.values())
        )


def _log(
    actor: User | None,
    action: AccessLog.Action,
    record: Model,
    *,
    unit: Unit | None = None,
    request: HttpRequest | None = None,
) -> None:
    access_log(actor=actor, action=action, record=record, unit=unit, request=request)


@transaction.atomic
def municipality_setup(
    *, kommunkod: str, name: str, units: list[UnitSpec], set_up_by: User | None = None
) -> SetupReport:
    """Create or bring up to date a municipality, its unit tree and what each app gives a
    new municipality (the default kinds of support and their tiers). Idempotent: run again
    with the same arguments, it changes nothing.

    A unit is found by its code; a new one with units below it in the same call is a
    förvaltning, any other an enhet (the administration pages change the kind). A unit
    already there is renamed or moved to match. Nothing is written unless all of it is valid.
    """
    kommunkod, name = kommunkod.strip(), " ".join(name.split())
    try:
        kommunkod_validator(kommunkod)
    except ValidationError as exc:
        raise ValidationError({"kommunkod": exc.messages}) from exc
    if not name:
        raise ValidationError({"name": _("Give the municipality's name.")})
    municipality = Municipality.objects.select_for_update().filter(kommunkod=kommunkod).first()
    report = SetupReport(municipality=municipality or Municipality(kommunkod=kommunkod, name=name))
    if municipality is None:
        municipality = report.municipality
        municipality.full_clean()
        municipality.save()
        report.municipality_created = True
        _log(set_up_by, AccessLog.Action.CREATE, municipality)
    elif municipality.name != name:
        municipality.name = name
        municipality.full_clean()
        municipality.save(update_fields=["name", "updated_at"])
        report.municipality_changed = True
        _log(set_up_by, AccessLog.Action.UPDATE, municipality)

    seen: set[str] = set()
    parents = {spec.parent_code for spec in units if spec.parent_code}
    for spec in units:
        if spec.code in seen:
            raise ValidationError({"units": _("The unit code %(code)s is given twice.") % {"code": spec.code}})
        seen.add(spec.code)
        parent = None
        if spec.parent_code:
            parent = Unit.objects.filter(municipality=municipality, code=spec.parent_code).first()
            if parent is None:
                raise ValidationError(
                    {
                        "units": _(
                            "%(municipality)s has no unit with the code %(code)s: give the unit above first "
                            "(--unit %(code)s:Name), then the units below it."
                        )
                        % {"municipality": municipality.name, "code": spec.parent_code}
                    }
                )
        unit = Unit.objects.select_related("municipality").filter(code=spec.code).first()
        if unit is not None and unit.municipality_id != municipality.pk:
            raise ValidationError(
                {
                    "units": _("The unit code %(code)s is already used by %(municipality)s.")
                    % {"code": spec.code, "municipality": unit.municipality.name}
                }
            )
        clash = Unit.objects.filter(municipality=municipality, name=spec.name).exclude(code=spec.code).first()
        if clash is not None:
            raise ValidationError(
                {
                    "units": _("%(municipality)s already has a unit named %(name)s (code %(code)s).")
                    % {"municipality": municipality.name, "name": spec.name, "code": clash.code}
                }
            )
        if unit is None:
            kind = Unit.Kind.ADMINISTRATION if spec.code in parents else Unit.Kind.TEAM
            unit = Unit(municipality=municipality, code=spec.code, name=spec.name, parent=parent, kind=kind)
            _validate_unit(unit)
            unit.save()
            report.units_created.append(spec.code)
            _log(set_up_by, AccessLog.Action.CREATE, unit, unit=unit)
        elif unit.name != spec.name or unit.parent_id != (parent.pk if parent else None):
            unit.name, unit.parent = spec.name, parent
            _validate_unit(unit)
            unit.save(update_fields=["name", "parent", "updated_at"])
            report.units_changed.append(spec.code)
            _log(set_up_by, AccessLog.Action.UPDATE, unit, unit=unit)
        else:
            report.units_unchanged.append(spec.code)

    for path, setup in extensions.ordered_municipality_setups():
        report.added[path] = setup(municipality)
    return report


def _validate_unit(unit: Unit) -> None:
    try:
        unit.full_clean()
    except ValidationError as exc:
        messages = [f"{unit.code}: {message}" for message in exc.messages]
        raise ValidationError({"units": messages}) from exc


def administered_municipalities(user: User) -> QuerySet[Municipality]:
    """The municipalities the user administers as a whole: they are an administrator of a
    unit at the top of its tree (a förvaltning), as the first administrator is. They keep
    the municipality's settings, its kinds of support and its top-level units."""
    admin_units = unit_ids_for(user, roles={Role.ADMIN})
    return (
        Municipality.objects.filter(units__id__in=admin_units, units__parent__isnull=True).distinct().order_by("name")
    )


def administered_unit_ids(user: User) -> frozenset[int]:
    """The units whose place in the tree the user keeps: those they administer and every unit below."""
    return unit_ids_for(user, roles={Role.ADMIN})


def _require_admin(user: User, municipality: Municipality) -> None:
    if not administered_municipalities(user).filter(pk=municipality.pk).exists():
        raise ValidationError(_("Only an administrator of the municipality may do this."))


def _require_unit_admin(user: User, unit: Unit | None, municipality: Municipality) -> None:
    """``unit`` (a unit, or a parent to place one below) must be administered by the user;
    the top of the tree (None) belongs to the municipality's administrators."""
    if unit is None:
        _require_admin(user, municipality)
    elif unit.pk not in administered_unit_ids(user):
        raise ValidationError({"parent": _("You can only place units below units you administer.")})


@transaction.atomic
def municipality_update(
    *, updated_by: User, municipality: Municipality, data: dict[str, Any], request: HttpRequest | None = None
) -> Municipality:
    _require_admin(updated_by, municipality)
    changed = [name for name, value in data.items() if getattr(municipality, name) != value]
    if not changed:
        return municipality
    for name in changed:
        setattr(municipality, name, data[name])
    municipality.full_clean()
    municipality.save(update_fields=[*changed, "updated_at"])
    _log(updated_by, AccessLog.Action.UPDATE, municipality, request=request)
    return municipality


def unit_descendant_ids(unit: Unit) -> set[int]:
    """The unit and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in Unit.objects.filter(municipality_id=unit.municipality_id).values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(unit_id)
    found, stack = set(), [unit.pk]
    while stack:
        current = stack.pop()
        found.add(current)
        stack.extend(children.get(current, ()))
    return found


@transaction.atomic
def unit_create(
    *, created_by: User, municipality: Municipality, data: dict[str, Any], request: HttpRequest | None = None
) -> Unit:
    parent = data.get("parent")
    if parent is not None and parent.municipality_id != municipality.pk:
        raise ValidationError({"parent": _("The parent unit must belong to the same municipality.")})
    _require_unit_admin(created_by, parent, municipality)
    unit = Unit(municipality=municipality, **data)
    unit.full_clean()
    unit.save()
    _log(created_by, AccessLog.Action.CREATE, unit, unit=unit, request=request)
    return unit


@transaction.atomic
def unit_update(*, updated_by: User, unit: Unit, data: dict[str, Any], request: HttpRequest | None = None) -> Unit:
    """Rename, re-classify or move a unit (with everything below it). Its records stay in it;
    who reaches them follows the tree, so a move changes which managers see them."""
    if unit.pk not in administered_unit_ids(updated_by):
        raise ValidationError(_("You can only change units you administer."))
    data = {name: value for name, value in data.items() if name != "code"}  # the code is stable
    changed = [name for name, value in data.items() if getattr(unit, name) != value]
    if not changed:
        return unit
    if "parent" in changed:
        _require_unit_admin(updated_by, data["parent"], unit.municipality)
    for name in changed:
        setattr(unit, name, data[name])
    unit.full_clean()
    unit.save(update_fields=[*changed, "updated_at"])
    # A move changes who reaches what: forget the reach cached on this request's user.
    forget_unit_cache(updated_by)
    _log(updated_by, AccessLog.Action.UPDATE, unit, unit=unit, request=request)
    return unit


def unit_tree(municipality: Municipality) -> list[tuple[Unit, int]]:
    """The municipality's units in tree order, each with its depth (0 at the top)."""
    units = list(Unit.objects.filter(municipality=municipality).select_related("municipality").order_by("name"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[Unit, int]] = []
    stack = [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        ordered.append((unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.pk, [])))
    return ordered
