"""Two administrators stepping down at the same moment must not leave the municipality
without one: the municipality row is locked for the check (staff_services)."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest

from django.core.exceptions import ValidationError
from django.db import connection

from anhorigstod.accounts import staff_services
from anhorigstod.accounts.models import Membership, Role
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _both_step_down(org: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    alva = MembershipFactory(user__full_name="Alva Admin", unit=org.unit_a.parent, role=Role.ADMIN)
    stina = MembershipFactory(user__full_name="Stina Admin", unit=org.unit_a.parent, role=Role.ADMIN)
    check = staff_services._check_administrators_kept
    checked = threading.Barrier(2)

    def check_then_wait(*args: Any, **kwargs: Any) -> None:
        check(*args, **kwargs)
        # Hold the transaction open until the other has checked too: without the lock both
        # checks then see the other administrator still in place. With the lock the other
        # waits for this transaction, so the barrier breaks after two seconds and both go on.
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait(timeout=2)

    monkeypatch.setattr(staff_services, "_check_administrators_kept", check_then_wait)
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def step_down(membership: Membership) -> None:
        try:
            start.wait(timeout=10)
            staff_services.membership_role_change(
                changed_by=membership.user, membership=Membership.objects.get(pk=membership.pk), role=Role.MANAGER
            )
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(m,)) for m in (alva, stina)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_only_one_of_two_last_admins_can_step_down_at_once(org, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert _both_step_down(org, monkeypatch) == ["done", "refused"]
    assert Membership.objects.filter(role=Role.ADMIN, unit=org.unit_a.parent).count() == 1


def test_negative_control_without_the_lock_both_step_down(org, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(staff_services, "_lock_municipalities", lambda ids: None)
    assert _both_step_down(org, monkeypatch) == ["done", "done"]
    assert not Membership.objects.filter(role=Role.ADMIN).exists()
