"""The one scoping helper: units reached through the tree, roles, and 404 outside."""

from __future__ import annotations

import pytest

from django.http import Http404

from anhorigstod.accounts.models import Membership, Role, Unit
from anhorigstod.accounts.scoping import get_for_user_or_404, has_role, scope_to_user, unit_ids_for
from tests.factories import MembershipFactory, UnitFactory


def test_consultant_reaches_only_their_own_unit(org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    assert unit_ids_for(consultant_a) == {org.unit_a.pk}


def test_manager_of_an_administration_reaches_every_unit_below_it(org, manager_a) -> None:  # type: ignore[no-untyped-def]
    below = UnitFactory(municipality=org.unit_a.municipality, parent=org.unit_a, name="Team Norra 1", code="norra-1")
    assert unit_ids_for(manager_a) == {org.unit_a.parent_id, org.unit_a.pk, org.unit_a2.pk, below.pk}
    assert org.unit_b.pk not in unit_ids_for(manager_a)


def test_one_person_can_serve_two_municipalities(org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    MembershipFactory(user=consultant_a, unit=org.unit_b, role=Role.CONSULTANT)
    consultant_a.refresh_from_db()  # a fresh object, as on the next request
    assert unit_ids_for(consultant_a) == {org.unit_a.pk, org.unit_b.pk}


def test_administrator_does_no_casework_by_default(org, admin_a) -> None:  # type: ignore[no-untyped-def]
    # Case records are scoped to consultant and manager roles unless a page asks otherwise.
    assert scope_to_user(Unit.objects.all(), admin_a, unit_field="pk").count() == 0
    assert scope_to_user(Unit.objects.all(), admin_a, unit_field="pk", roles={Role.ADMIN}).count() == 3
    assert has_role(admin_a, Role.ADMIN) and not has_role(admin_a, Role.CONSULTANT)


def test_scope_filters_a_related_unit_field(org, consultant_a, consultant_b) -> None:  # type: ignore[no-untyped-def]
    visible = scope_to_user(Membership.objects.all(), consultant_a, roles=None)
    assert list(visible.values_list("user__email", flat=True)) == ["karin@angsvik.example"]


def test_get_for_user_or_404_hides_other_units(org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    assert get_for_user_or_404(Unit.objects.all(), consultant_a, unit_field="pk", pk=org.unit_a.pk) == org.unit_a
    with pytest.raises(Http404):
        get_for_user_or_404(Unit.objects.all(), consultant_a, unit_field="pk", pk=org.unit_b.pk)


def test_carers_and_anonymous_visitors_reach_nothing(org, carer) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    assert unit_ids_for(carer) == frozenset()
    assert unit_ids_for(AnonymousUser()) == frozenset()


def test_inactive_staff_reach_nothing(org, consultant_a) -> None:  # type: ignore[no-untyped-def]
    consultant_a.is_active = False
    consultant_a.save()
    consultant_a.refresh_from_db()
    assert unit_ids_for(consultant_a) == frozenset()


def test_scoping_query_count_does_not_grow_with_the_tree(org, manager_a, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        UnitFactory(municipality=org.unit_a.municipality, parent=org.unit_a, name=f"Team {n}", code=f"team-{n}")
    manager_a.refresh_from_db()
    with django_assert_num_queries(3):  # memberships, the municipality's tree, the scoped query
        assert (
            scope_to_user(Unit.objects.all(), manager_a, unit_field="pk").count() == 33
        )  # administration, A, A2 and the 30 teams
