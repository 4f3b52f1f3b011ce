"""Users, municipalities, the unit tree and who works where in which role."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from anhorigstod.lib.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)  # None gives an unusable password: carers sign in by code
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: staff (they have memberships) and carers (they have none)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), auto_now_add=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        """Django's admin flag; the admin site is not installed, so nobody has it."""
        return False

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


kommunkod_validator = RegexValidator(r"^\d{4}$", _("A kommunkod is four digits, for example 0180."))


class Municipality(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    kommunkod = models.CharField(_("kommunkod"), max_length=4, unique=True, validators=[kommunkod_validator])
    # What the public start page of the municipality's carer support says.
    public_intro = models.TextField(_("introduction for carers"), blank=True)
    public_phone = models.CharField(_("phone for carers"), max_length=40, blank=True)
    public_email = models.EmailField(_("e-mail for carers"), blank=True)
    # Gallring after the last entry, from the municipality's dokumenthanteringsplan.
    retention_years = models.PositiveSmallIntegerField(_("years before personal records are culled"), default=5)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kommunkod__regex=r"^[0-9]{4}$"), name="accounts_municipality_kommunkod_4_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kommunkod})"


class Unit(TimeStampedModel):
    """A node in a municipality's organisation: förvaltning, stadsdelsförvaltning or enhet.

    Membership of a unit gives access to it and to every unit below it.
    """

    class Kind(models.TextChoices):
        ADMINISTRATION = "administration", _("Administration (förvaltning)")
        DISTRICT = "district", _("District administration (stadsdelsförvaltning)")
        TEAM = "team", _("Unit (enhet)")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEAM)
    # Short stable code for the command line and exports (``--unit CODE``); not personal.
    code = models.SlugField(_("code"), max_length=50, unique=True)
    public_phone = models.CharField(_("phone for carers"), max_length=40, blank=True)
    public_email = models.EmailField(_("e-mail for carers"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="accounts_unit_unique_name_per_municipality"),
            models.CheckConstraint(condition=~models.Q(parent=models.F("id")), name="accounts_unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent and self.parent.municipality_id != self.municipality_id:
            raise ValidationError({"parent": _("The parent unit must belong to the same municipality.")})
        node = self.parent
        while node is not None:
            if self.pk and node.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be placed below itself.")})
            node = node.parent


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Carer consultant")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


# Roles that may read and write personal records (PRODUCT §1): the manager may
# everything the consultant may; the administrator runs the organisation, not cases.
CASEWORK_ROLES = frozenset({Role.CONSULTANT, Role.MANAGER})
# The role that keeps the organisation and its staff (never casework).
ADMIN_ROLES = frozenset({Role.ADMIN})


class Membership(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="accounts_membership_one_role_per_unit"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="accounts_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_role_display()})"
