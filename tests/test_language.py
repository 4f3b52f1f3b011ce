"""Swedish first: the browser's language does not switch the portal; the switch does."""

import pytest


@pytest.mark.django_db
def test_an_english_browser_still_gets_swedish(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "sv"
    assert '<html lang="sv">' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_chooses_english(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert page["Content-Language"] == "en"
    assert "Support for carers" in page.content.decode()
