"""The fictional demo municipality. Later apps add their own demo data to it."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from django.db import transaction

from anhorigstod.accounts.models import Membership, Municipality, Role, Unit, User

DEMO_PASSWORD = "anhorig-demo-2026"  # noqa: S105 - printed by make run, set only with DEBUG on


@dataclass(frozen=True)
class DemoStaff:
    email: str
    full_name: str
    memberships: tuple[tuple[str, str], ...]  # (unit code, role)


DEMO_STAFF = (
    DemoStaff("admin@angsvik.example", "Alva Admin", (("angsvik-sof", Role.ADMIN),)),
    DemoStaff("chef@angsvik.example", "Maria Chef", (("angsvik-sof", Role.MANAGER),)),
    DemoStaff("konsulent.norra@angsvik.example", "Karin Konsulent", (("angsvik-norra", Role.CONSULTANT),)),
    DemoStaff("konsulent.sodra@angsvik.example", "Sami Konsulent", (("angsvik-sodra", Role.CONSULTANT),)),
    DemoStaff("konsulent.centrum@angsvik.example", "Leila Konsulent", (("angsvik-centrum", Role.CONSULTANT),)),
    # One consultant serves two municipalities, as Mullsjö and Habo share one.
    DemoStaff(
        "konsulent.delad@angsvik.example",
        "Johan Konsulent",
        (("angsvik-centrum", Role.CONSULTANT), ("sjohaga-anhorig", Role.CONSULTANT)),
    ),
    DemoStaff("chef@sjohaga.example", "Sofia Chef", (("sjohaga-anhorig", Role.MANAGER),)),
)


@transaction.atomic
def seed_organisation(*, with_passwords: bool) -> list[DemoStaff]:
    """Create (or bring up to date) the demo municipalities, units and staff. Idempotent."""
    angsvik, _ = Municipality.objects.update_or_create(
        kommunkod="9901",
        defaults={
            "name": "Ängsviks kommun",
            "public_phone": "0123-456 00",
            "public_email": "anhorigstod@angsvik.example",
            "public_intro": (
                "Hjälper eller vårdar du någon som står dig nära? Anhörigstödet i Ängsvik erbjuder "
                "samtal, grupper, avlösning och information – för din egen skull. Du behöver inget beslut."
            ),
        },
    )
    sjohaga, _ = Municipality.objects.update_or_create(
        kommunkod="9902", defaults={"name": "Sjöhaga kommun", "public_phone": "0123-789 00"}
    )
    sof, _ = Unit.objects.update_or_create(
        code="angsvik-sof",
        defaults={"municipality": angsvik, "name": "Socialförvaltningen", "kind": Unit.Kind.ADMINISTRATION},
    )
    for code, name, phone in (
        ("angsvik-norra", "Anhörigstöd Norra", "0123-456 10"),
        ("angsvik-sodra", "Anhörigstöd Södra", "0123-456 20"),
        ("angsvik-centrum", "Anhörigstöd Centrum", "0123-456 30"),
    ):
        Unit.objects.update_or_create(
            code=code,
            defaults={
                "municipality": angsvik,
                "parent": sof,
                "name": name,
                "kind": Unit.Kind.TEAM,
                "public_phone": phone,
            },
        )
    Unit.objects.update_or_create(
        code="sjohaga-anhorig",
        defaults={"municipality": sjohaga, "name": "Anhörigstöd Sjöhaga", "kind": Unit.Kind.TEAM},
    )
    for staff in DEMO_STAFF:
        user, _ = User.objects.get_or_create(email=staff.email, defaults={"full_name": staff.full_name})
        if with_passwords:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=staff.email, defaults={"verified": True, "primary": True}
        )
        for unit_code, role in staff.memberships:
            Membership.objects.update_or_create(
                user=user, unit=Unit.objects.get(code=unit_code), defaults={"role": role}
            )
    return list(DEMO_STAFF)
