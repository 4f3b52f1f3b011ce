"""``manage.py setup_municipality``: a fresh installation gets a municipality, its unit
tree and its default kinds of support without a Python shell; ``create_staff`` works after."""

from __future__ import annotations

from io import StringIO

import pytest

from django.core.management import CommandError, call_command

from anhorigstod.accounts.models import Membership, Municipality, Role, Unit
from anhorigstod.audit.models import AccessLog
from contacts.models import DocumentationTier, SupportKind, SupportKindTierChange
from contacts.policy import DEFAULT_SUPPORT_KINDS

pytestmark = pytest.mark.django_db

UNITS = ["sof:Socialförvaltningen", "sof/norra:Anhörigstöd Norra", "sof/sodra:Anhörigstöd Södra"]


def setup(*args: str) -> str:
    out = StringIO()
    call_command("setup_municipality", *args, stdout=out)
    return out.getvalue()


def standard() -> str:
    return setup("--kommunkod", "0180", "--name", "Testby kommun", *[f"--unit={unit}" for unit in UNITS])


def test_on_an_empty_database_it_creates_the_municipality_its_tree_and_its_kinds() -> None:
    assert not Municipality.objects.exists()
    output = standard()
    municipality = Municipality.objects.get(kommunkod="0180")
    assert municipality.name == "Testby kommun"
    sof = Unit.objects.get(code="sof")
    assert (sof.parent, sof.kind, sof.municipality) == (None, Unit.Kind.ADMINISTRATION, municipality)
    for code, name in (("norra", "Anhörigstöd Norra"), ("sodra", "Anhörigstöd Södra")):
        unit = Unit.objects.get(code=code)
        assert (unit.name, unit.parent, unit.kind) == (name, sof, Unit.Kind.TEAM)
    kinds = {kind.code: kind for kind in SupportKind.objects.filter(municipality=municipality)}
    assert set(kinds) == {code for code, *_ in DEFAULT_SUPPORT_KINDS}
    assert kinds["individual_talk"].tier == DocumentationTier.ADVICE and kinds["individual_talk"].for_talks
    assert kinds["cafe"].tier == DocumentationTier.OPEN_ACTIVITY
    # Each kind's initial tier is on record, as a tier change without a person.
    assert SupportKindTierChange.objects.filter(support_kind__municipality=municipality, old_tier="").count() == len(
        DEFAULT_SUPPORT_KINDS
    )
    assert "Units created: sof, norra, sodra" in output
    # The organisation's creation is in the access log, unit by unit.
    logged = set(AccessLog.objects.filter(action="create").values_list("record_type", "record_code"))
    assert {("accounts.unit", "sof"), ("accounts.unit", "norra"), ("accounts.municipality", str(municipality.pk))} <= (
        logged
    )


def test_running_it_twice_changes_nothing() -> None:
    standard()
    before = (
        list(Municipality.objects.values()),
        list(Unit.objects.order_by("pk").values()),
        list(SupportKind.objects.order_by("pk").values()),
        SupportKindTierChange.objects.count(),
        AccessLog.objects.count(),
    )
    output = standard()
    after = (
        list(Municipality.objects.values()),
        list(Unit.objects.order_by("pk").values()),
        list(SupportKind.objects.order_by("pk").values()),
        SupportKindTierChange.objects.count(),
        AccessLog.objects.count(),
    )
    assert after == before
    assert "nothing changed" in output


def test_an_administrators_changes_to_a_kind_survive_a_second_run() -> None:
    standard()
    SupportKind.objects.filter(code="cafe").update(name="Anhörigfika", active=False)
    standard()
    cafe = SupportKind.objects.get(code="cafe")
    assert (cafe.name, cafe.active) == ("Anhörigfika", False)


def test_a_second_run_renames_and_moves_units() -> None:
    standard()
    setup(
        "--kommunkod",
        "0180",
        "--name",
        "Testby stad",
        "--unit",
        "sof:Socialförvaltningen",
        "--unit",
        "sof/norra:Anhörigstöd Nord",
        "--unit",
        "norra/sodra:Anhörigstöd Södra",
    )
    assert Municipality.objects.get(kommunkod="0180").name == "Testby stad"
    assert Unit.objects.get(code="norra").name == "Anhörigstöd Nord"
    assert Unit.objects.get(code="sodra").parent == Unit.objects.get(code="norra")
    assert AccessLog.objects.filter(action="update", record_type="accounts.unit", record_code="sodra").exists()


def test_create_staff_works_after_it() -> None:
    with pytest.raises(CommandError, match="setup_municipality"):
        call_command("create_staff", "--email=a@kommun.se", "--name=Alva Admin", "--unit=sof", "--role=admin")
    standard()
    out = StringIO()
    call_command(
        "create_staff", "--email=alva@testby.se", "--name=Alva Admin", "--unit=sof", "--role=admin", stdout=out
    )
    membership = Membership.objects.get(user__email="alva@testby.se")
    assert (membership.unit.code, membership.role) == ("sof", Role.ADMIN)
    assert "/konto/password/reset/key/" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kommunkod", "180", "--name", "X"], "fyra siffror"),
        (["--kommunkod", "0181", "--name", " "], "kommunens namn"),
        (["--kommunkod", "0181", "--name", "X", "--unit", "norra"], "KOD:Namn"),
        (["--kommunkod", "0181", "--name", "X", "--unit", "saknas/a:A"], "saknas"),
        (["--kommunkod", "0181", "--name", "X", "--unit", "a:A", "--unit", "a:B"], "två gånger"),
        (["--kommunkod", "0181", "--name", "X", "--unit", "a:Samma", "--unit", "b:Samma"], "Samma"),
        (["--kommunkod", "0181", "--name", "X", "--unit", "Ogiltig kod:Namn"], "Ogiltig kod"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as error:
        setup(*args)
    assert message in str(error.value)
    assert not Municipality.objects.filter(kommunkod="0181").exists()
    assert not Unit.objects.exists()


def test_a_unit_code_of_another_municipality_is_refused() -> None:
    standard()
    with pytest.raises(CommandError, match=r"redan.*Testby kommun"):
        setup("--kommunkod", "0181", "--name", "Grannby", "--unit", "norra:Grannby Norra")
    assert Unit.objects.get(code="norra").municipality.kommunkod == "0180"
    assert not Municipality.objects.filter(kommunkod="0181").exists()


def test_a_unit_cannot_be_moved_below_itself() -> None:
    standard()
    with pytest.raises(CommandError, match=r"under sig själv|below itself"):
        setup("--kommunkod", "0180", "--name", "Testby kommun", "--unit", "norra/sof:Socialförvaltningen")
    assert Unit.objects.get(code="sof").parent is None


def test_seed_demo_creates_the_default_kinds_through_the_same_function(monkeypatch: pytest.MonkeyPatch) -> None:
    from contacts.services import documentation as services

    calls: list[str] = []
    original = services.support_kinds_create_defaults

    def spy(*, municipality: Municipality) -> dict[str, int]:
        calls.append(municipality.kommunkod)
        return original(municipality=municipality)

    monkeypatch.setattr(services, "support_kinds_create_defaults", spy)
    monkeypatch.setattr("contacts.demo.support_kinds_create_defaults", spy)
    from anhorigstod.accounts.demo import seed_organisation
    from contacts.demo import _seed_support_kinds

    seed_organisation(with_passwords=False)
    from collections import Counter

    counts: Counter[str] = Counter()
    kinds = _seed_support_kinds(Municipality.objects.get(kommunkod="9901"), counts)
    assert calls == ["9901"]
    assert set(kinds) == {code for code, *_ in DEFAULT_SUPPORT_KINDS}
    assert counts["support_kinds"] == len(DEFAULT_SUPPORT_KINDS)
