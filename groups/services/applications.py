"""Application mode (PRODUCT §6): carers register interest in a closed group, the
consultant orders the list, admits people and tells the rest "not this time".

Every manual change of a priority is kept as a PriorityChange (who, when, the old and
the new priority, and why). Admitting books the person on every coming session of the
group through groups.services.booking, so capacity and the waitlist are decided there
and only there. Staff reads (groups.selectors.staff) and writes of applications go to
the access log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anhorigstod.accounts.models import User
from anhorigstod.accounts.scoping import require_casework
from anhorigstod.audit.services import Action, access_log, access_log_many
from contacts.models import Carer
from groups.models import Activity, Application, Booking, PriorityChange, RegistrationMode, Session
from groups.services import booking as booking_rules

ACTIVE = (Application.Status.INTERESTED, Application.Status.ADMITTED)
PRIORITY_MIN, PRIORITY_MAX = 1, 999


class AlreadyApplied(ValidationError):
    pass


@dataclass
class Admission:
    """What admitting did: the bookings made (seat or waitlist), and sessions skipped
    because the person was already booked on them."""

    application: Application
    bookings: list[Booking] = field(default_factory=list)
    already_booked: int = 0

    @property
    def waitlisted(self) -> int:
        return sum(1 for booking in self.bookings if booking.status == Booking.Status.WAITLISTED)


def _require_application_mode(activity: Activity) -> None:
    if activity.registration_mode != RegistrationMode.APPLICATION:
        raise ValidationError(_("This activity does not take applications."))


def _subject(application: Application) -> str:
    return str(application.carer.code) if application.carer is not None else ""


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("activity__unit", "carer")
        .get(pk=application.pk)
    )


# --- The carer registers interest ------------------------------------------------------------


def application_create(
    *,
    activity: Activity,
    name: str,
    email: str = "",
    phone: str = "",
    message: str = "",
    carer: Carer | None = None,
) -> Application:
    """Register interest in a closed group. One active application per person and group:
    "the same person" is the same e-mail address, else the same phone number, as for
    bookings (groups.services.booking.person_key)."""
    _require_application_mode(activity)
    key = booking_rules.person_key(email=email, phone=phone)
    if not name.strip() or not key:
        raise ValidationError(_("Give your name and an e-mail address or a phone number."))
    application = Application(
        activity=activity,
        name=" ".join(name.split()),
        email=email.strip(),
        phone=phone.strip(),
        person_key=key,
        carer=carer,
        message=message.strip(),
    )
    already = AlreadyApplied(_("You have already registered your interest in this group."))
    if Application.objects.filter(activity=activity, person_key=key, status__in=ACTIVE).exists():
        raise already
    # The partial unique constraint is checked by full_clean() and, for a simultaneous
    # second request, by the database.
    try:
        application.full_clean(validate_constraints=False)
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise already from exc
    return application


# --- The consultant composes the group -------------------------------------------------------


def application_set_priority(
    *, application: Application, priority: int, reason: str, by: User, request: HttpRequest | None = None
) -> Application:
    """Move an application in the list. A lower number comes first; the reason is kept."""
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Say why the priority is changed; the reason is kept with the change.")
    if not PRIORITY_MIN <= priority <= PRIORITY_MAX:
        errors["priority"] = _("Give a priority between %(min)d and %(max)d.") % {
            "min": PRIORITY_MIN,
            "max": PRIORITY_MAX,
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = _lock(application)
        require_casework(by, application.activity.unit_id)
        _require_application_mode(application.activity)
        if application.status == Application.Status.WITHDRAWN:
            raise ValidationError(_("The application is withdrawn."))
        old = application.priority
        if priority == old:
            raise ValidationError({"priority": _("The application already has this priority.")})
        application.priority = priority
        application.full_clean()
        application.save(update_fields=["priority", "updated_at"])
        change = PriorityChange(
            application=application, old_priority=old, new_priority=priority, reason=reason.strip(), changed_by=by
        )
        change.full_clean()
        change.save()
        access_log(
            actor=by,
            action=Action.UPDATE,
            record=application,
            unit=application.activity.unit,
            subject_code=_subject(application),
            request=request,
        )
    return application


def application_admit(*, application: Application, by: User, request: HttpRequest | None = None) -> Admission:
    """Admit the person and book them on every coming session of the group.

    The bookings go through groups.services.booking.booking_create as a staff booking: a
    full session puts them on its waitlist. All or nothing: if one booking is refused,
    the admission is undone.
    """
    with transaction.atomic():
        application = _lock(application)
        activity = application.activity
        require_casework(by, activity.unit_id)
        _require_application_mode(activity)
        if application.status not in (Application.Status.INTERESTED, Application.Status.NOT_ADMITTED):
            raise ValidationError(_("Only an application that is not yet admitted can be admitted."))
        if (
            Application.objects.filter(activity=activity, person_key=application.person_key, status__in=ACTIVE)
            .exclude(pk=application.pk)
            .exists()
        ):
            raise ValidationError(_("This person has applied again: admit the newer application instead."))
        application.status = Application.Status.ADMITTED
        application.full_clean()
        application.save(update_fields=["status", "updated_at"])
        result = Admission(application=application)
        coming = activity.sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()).order_by(
            "starts_at", "pk"
        )
        for session in coming:
            try:
                booking = booking_rules.booking_create(
                    session=session,
                    name=application.name,
                    email=application.email,
                    phone=application.phone,
                    carer=application.carer,
                    booked_by_staff=by,
                    verified=True,
                )
            except booking_rules.AlreadyBooked:
                result.already_booked += 1
                continue
            booking.unit_id = activity.unit_id  # type: ignore[attr-defined]  # for access_log_many
            result.bookings.append(booking)
        access_log(
            actor=by,
            action=Action.UPDATE,
            record=application,
            unit=activity.unit,
            subject_code=_subject(application),
            request=request,
        )
        access_log_many(actor=by, action=Action.CREATE, records=result.bookings, request=request)
    return result


def application_decline(*, application: Application, by: User, request: HttpRequest | None = None) -> Application:
    """Mark "not admitted this time": the person stays in the list, out of this group."""
    with transaction.atomic():
        application = _lock(application)
        require_casework(by, application.activity.unit_id)
        _require_application_mode(application.activity)
        if application.status != Application.Status.INTERESTED:
            raise ValidationError(_("Only an application that is waiting for a decision can be declined."))
        application.status = Application.Status.NOT_ADMITTED
        application.full_clean()
        application.save(update_fields=["status", "updated_at"])
        access_log(
            actor=by,
            action=Action.UPDATE,
            record=application,
            unit=application.activity.unit,
            subject_code=_subject(application),
            request=request,
        )
    return application
