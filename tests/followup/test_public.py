""" "Stöd i din kommun": the public municipality page shows what the catalogue offers."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.catalogue.services import catalogue_save
from followup.demo import seed_followup

PAGE = "/kommun/9901/"


def offer_items(html: str) -> list[str]:
    section = html.split('id="offer-heading"')[1].split("</section>")[0]
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>", section, re.S)]


def test_without_a_catalogue_the_page_has_no_offer(client, org) -> None:  # type: ignore[no-untyped-def]
    response = client.get(PAGE)
    assert response.status_code == 200
    assert 'id="offer-heading"' not in response.content.decode()


def test_the_page_lists_what_the_latest_catalogues_offer(client, org, manager_a) -> None:  # type: ignore[no-untyped-def]
    # Last year unit A offered family talks (8.3); this year it does not: not shown.
    catalogue_save(unit=org.unit_a, year=2025, answers={"8.3": ("ja", "")}, other_views="", user=manager_a)
    catalogue_save(
        unit=org.unit_a,
        year=2026,
        answers={
            "8.1": ("ja", ""),  # Individuella samtal, vuxna
            "8.3": ("nej", ""),  # Familjesamtal
            "8.4": ("ej_relevant", ""),  # Gruppverksamhet, vuxna
            "8.13": ("ja", "Promenadsamtal längs ån"),  # Annat:
            "6.9": ("ja", ""),  # Annat: without a text says nothing
            "7.4": ("ja", ""),  # Avlösning i hemmet, SoL
            "7.9": ("", "16"),  # free respite hours
            "7.kommentar": ("", "Intern kommentar om handläggningen"),
            "2": ("ja", ""),  # part A: internal
            "12.3": ("ja", ""),
        },
        other_views="",
        user=manager_a,
    )
    # A second unit of the municipality offers a health check; its hours are fewer.
    catalogue_save(
        unit=org.unit_a2, year=2026, answers={"10.2": ("ja", ""), "7.9": ("", "10")}, other_views="", user=manager_a
    )
    # Another municipality's offer never shows here.
    catalogue_save(unit=org.unit_b, year=2026, answers={"9.1": ("ja", "")}, other_views="", user=manager_a)

    html = client.get(PAGE).content.decode()
    assert offer_items(html) == [
        "Individuella samtal, vuxna",
        "Promenadsamtal längs ån",
        "Avlösning i hemmet, SoL",
        "Kostnadsfria avlösartimmar (SoL) per person och månad: upp till 16",
        "Hälsoundersökning",
        "Stöd för dig som bor här när din närstående bor i ett annat land",
    ]
    assert "Intern kommentar" not in html
    assert "Kommunalt generellt bidrag" not in html
    assert "stödkatalog för 2026" in html
    # The survey's words are marked as Swedish, so a screen reader in English reads them right.
    assert '<li lang="sv">Individuella samtal, vuxna</li>' in html


def test_the_offer_costs_the_same_queries_however_many_catalogues(client, org, manager_a) -> None:  # type: ignore[no-untyped-def]
    catalogue_save(unit=org.unit_a, year=2026, answers={"8.1": ("ja", "")}, other_views="", user=manager_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        return len(captured)

    few = queries()
    for year in (2022, 2023, 2024, 2025):
        catalogue_save(unit=org.unit_a2, year=year, answers={"8.2": ("ja", "")}, other_views="", user=manager_a)
    assert queries() == few


def test_the_demo_municipality_has_catalogues(db) -> None:  # type: ignore[no-untyped-def]
    from anhorigstod.accounts.demo import seed_organisation

    seed_organisation(with_passwords=False)
    first = seed_followup()
    assert (first["support_catalogues"], first["self_assessments"]) == (8, 4)
    assert seed_followup() == {}
