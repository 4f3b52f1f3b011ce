"""What the apps above the platform add to it, registered in their ``AppConfig.ready()``.

The platform knows nothing above it (STYLE: ``anhorigstod`` <- ``contacts`` <- ``groups``
<- ``followup``). Where a platform page shows something of an upper app (a menu item, a
section of the municipality page, entries on a carer's timeline, demo data), the app
registers it here, as it registers its personal data in :mod:`anhorigstod.privacy.registry`.
``tests/test_layering.py`` fails when platform code or a platform template names an upper
app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MenuItem:
    """A link in a menu: ``url_name`` reversed without arguments; ``roles`` who see it in
    the staff menu (empty: everyone); ``order`` its place (lower first)."""

    url_name: str
    label: Any  # a lazy translation
    order: int
    roles: frozenset[str] = frozenset()
    signed_in_only: bool = False


@dataclass(frozen=True)
class UnitLink:
    """A link shown with each unit on the public municipality page; the URL takes the unit's code."""

    url_name: str
    label: Any


@dataclass(frozen=True)
class ProcessingItem:
    """One purpose for which the service processes personal data, as the privacy notice
    tells a carer (GDPR art. 13.1 c and 13.2 a): what for, which data, on what legal
    basis, and for how long (from the register of personal data, so the notice follows
    the settings and the municipality's ``retention_years``)."""

    purpose: Any  # each a lazy translation or a translated string
    data: Any
    legal_basis: Any
    retention: Any


@dataclass(frozen=True)
class StaffResponsibility:
    """Work a staff member holds in a unit that passes to a colleague before they leave it:
    for example being the stödkontakt of carers. ``description`` says what and how many,
    ``handover_url`` is the page where an administrator hands it over."""

    unit: Any
    count: int
    description: str
    handover_url: str


@dataclass(frozen=True)
class RecordDescriber:
    """How the access log names records of one model without a name or a personnummer:
    ``describe(codes)`` returns code -> a short label ("Anhörig A-00042", "Samtal
    2026-03-01") for the codes it knows, in one query; ``neuter``: the Swedish noun is
    neuter (ett samtal → "ändrat"), so the log's verbs agree with it."""

    describe: Callable[[list[str]], dict[str, str]] | None
    neuter: bool = False


@dataclass(frozen=True)
class TodaySection:
    """A section of the staff start page "Idag", given by an app for the signed-in user.

    ``key`` names it on the page (its anchor); ``template`` draws it from ``context``, under
    the heading ``title``; ``summary`` is the one line the page's overview shows for it
    (counts, and what is overdue in words, never by colour alone)."""

    key: str
    title: Any  # a lazy translation
    template: str
    summary: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class Extensions:
    staff_menu: dict[str, MenuItem] = field(default_factory=dict)
    public_menu: dict[str, MenuItem] = field(default_factory=dict)
    unit_links: dict[str, UnitLink] = field(default_factory=dict)
    # name -> (order, callable); see the methods for each one's contract.
    demo_seeders: dict[str, tuple[int, Callable[[], dict[str, int]]]] = field(default_factory=dict)
    timeline_providers: dict[str, Callable[..., list[Any]]] = field(default_factory=dict)
    municipality_sections: dict[str, tuple[int, Callable[[Any], Any]]] = field(default_factory=dict)
    privacy_notice_items: dict[str, tuple[int, Callable[[Any], list[ProcessingItem]]]] = field(default_factory=dict)
    municipality_setups: dict[str, tuple[int, Callable[[Any], dict[str, int]]]] = field(default_factory=dict)
    staff_responsibility_providers: dict[str, Callable[..., list[StaffResponsibility]]] = field(default_factory=dict)
    record_describers: dict[str, RecordDescriber] = field(default_factory=dict)
    today_sections: dict[str, tuple[int, Callable[..., TodaySection | None]]] = field(default_factory=dict)
    # Whose data a log row concerns: the app that owns the people (subjects) names them.
    subject_by_number: Callable[[list[int], int], list[str]] | None = None
    subject_labels: Callable[[list[Any]], dict[str, str]] | None = None

    # Registration (idempotent: an app readied twice replaces its own entries).

    def add_staff_menu_item(self, url_name: str, label: Any, *, roles: Iterable[str], order: int) -> None:
        self.staff_menu[url_name] = MenuItem(url_name, label, order, frozenset(roles))

    def add_public_menu_item(self, url_name: str, label: Any, *, order: int, signed_in_only: bool = False) -> None:
        self.public_menu[url_name] = MenuItem(url_name, label, order, signed_in_only=signed_in_only)

    def add_unit_link(self, url_name: str, label: Any) -> None:
        self.unit_links[url_name] = UnitLink(url_name, label)

    def add_demo_seeder(self, seeder: Callable[[], dict[str, int]], *, order: int) -> None:
        """``seeder()`` adds the app's demo data (idempotently) and returns counts of what it added."""
        self.demo_seeders[_name(seeder)] = (order, seeder)

    def add_timeline_provider(self, provider: Callable[..., list[Any]]) -> None:
        """``provider(carer=...)`` returns the app's entries on the carer's timeline."""
        self.timeline_providers[_name(provider)] = provider

    def add_municipality_section(self, section: Callable[[Any], Any], *, order: int) -> None:
        """``section(municipality)`` returns a section with its template for the public
        municipality page, or None."""
        self.municipality_sections[_name(section)] = (order, section)

    def add_privacy_notice_items(self, provider: Callable[[Any], list[ProcessingItem]], *, order: int) -> None:
        """``provider(municipality)`` returns what the app processes, for the default privacy notice."""
        self.privacy_notice_items[_name(provider)] = (order, provider)

    def add_municipality_setup(self, setup: Callable[[Any], dict[str, int]], *, order: int) -> None:
        """``setup(municipality)`` gives a new municipality what the app needs to start with
        (idempotently: a second call adds nothing) and returns counts of what it added.
        ``manage.py setup_municipality`` and the demo data call it."""
        self.municipality_setups[_name(setup)] = (order, setup)

    def add_staff_responsibility_provider(self, provider: Callable[..., list[StaffResponsibility]]) -> None:
        """``provider(person=..., unit_ids=...)`` returns what ``person`` is responsible for in
        those units. Staff administration shows it, and refuses to take a unit from a person
        who still holds something there."""
        self.staff_responsibility_providers[_name(provider)] = provider

    def add_record_describer(
        self, model_label: str, describe: Callable[[list[str]], dict[str, str]] | None = None, *, neuter: bool = False
    ) -> None:
        """How loggkontroll names the records of ``model_label`` ("contacts.talk"); see
        :class:`RecordDescriber`. Without ``describe`` the model's name and the start of
        the code are shown."""
        self.record_describers[model_label.lower()] = RecordDescriber(describe, neuter)

    def set_subject_directory(
        self, *, by_number: Callable[[list[int], int], list[str]], labels: Callable[[list[Any]], dict[str, str]]
    ) -> None:
        """How loggkontroll finds the people whose data a log row concerns (its
        ``subject_code``): ``by_number(unit_ids, number)`` gives the codes of the subjects
        with that readable number in those units, ``labels(codes)`` each code's readable
        number ("A-00042"). The app that owns the people sets it (contacts: the carers)."""
        self.subject_by_number, self.subject_labels = by_number, labels

    def add_today_section(self, section: Callable[..., TodaySection | None], *, order: int) -> None:
        """``section(request=..., today=...)`` returns the app's :class:`TodaySection` for the
        signed-in user, or None when it has nothing for them (their roles). It reads a bounded
        number of rows in a fixed number of queries, scoped to the user's units, and logs what
        it shows of a personal record."""
        self.today_sections[_name(section)] = (order, section)

    # Reading, in order.

    def staff_menu_for(self, roles: frozenset[str]) -> list[MenuItem]:
        return sorted((item for item in self.staff_menu.values() if roles & item.roles), key=lambda i: i.order)

    def public_menu_for(self, *, signed_in: bool) -> list[MenuItem]:
        items = (item for item in self.public_menu.values() if signed_in or not item.signed_in_only)
        return sorted(items, key=lambda item: item.order)

    def ordered_demo_seeders(self) -> list[tuple[str, Callable[[], dict[str, int]]]]:
        return [(name, seeder) for name, (_, seeder) in sorted(self.demo_seeders.items(), key=lambda kv: kv[1][0])]

    def ordered_municipality_setups(self) -> list[tuple[str, Callable[[Any], dict[str, int]]]]:
        return [(name, setup) for name, (_, setup) in sorted(self.municipality_setups.items(), key=lambda kv: kv[1][0])]

    def staff_responsibilities(self, *, person: Any, unit_ids: Iterable[int]) -> list[StaffResponsibility]:
        ids = frozenset(unit_ids)
        if not ids:
            return []
        found: list[StaffResponsibility] = []
        for provider in self.staff_responsibility_providers.values():
            found += provider(person=person, unit_ids=ids)
        return found

    def ordered_municipality_sections(self) -> list[Callable[[Any], Any]]:
        return [section for _, section in sorted(self.municipality_sections.values(), key=lambda pair: pair[0])]

    def processing_items(self, municipality: Any) -> list[ProcessingItem]:
        providers = sorted(self.privacy_notice_items.values(), key=lambda pair: pair[0])
        return [item for _, provider in providers for item in provider(municipality)]

    def ordered_today_sections(self) -> list[Callable[..., TodaySection | None]]:
        return [section for _, section in sorted(self.today_sections.values(), key=lambda pair: pair[0])]


def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


# The one set of extensions, filled by the apps' ready().
extensions = Extensions()
