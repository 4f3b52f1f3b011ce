"""Browser tests: a real Chromium (Debian's, not Playwright's download) driven by Playwright.

Every test in this folder is marked ``e2e`` (``make test-fast`` leaves them out). Pages are
checked with axe-core (``npm ci`` installs it) against WCAG 2.1 A and AA; a full-page
screenshot of every checked page lands in ``tests/e2e/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import struct
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; without this, Django refuses
# the ORM calls that pytest-django's live_server and the fixtures make from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.core.cache import cache
from django.utils import translation

from tests.conftest import TOTP_SECRET
from tests.factories import TEST_PASSWORD

E2E_DIR = Path(__file__).resolve().parent
ROOT = E2E_DIR.parent.parent
SCREENSHOTS = E2E_DIR / "screenshots"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=sv-SE",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def _missing(message: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if executable is None:
        _missing("Chromium is not installed: run `make system-deps`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is missing: run `make install`")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits and used TOTP codes live in the (in-process) cache: start each test clean."""
    cache.clear()


def _new_page(browser: Any, *, viewport: dict[str, int], is_mobile: bool = False) -> Iterator[Any]:
    # bypass_csp: the site allows only its own scripts, and axe-core is injected by the test.
    context = browser.new_context(
        bypass_csp=True, locale="sv-SE", viewport=viewport, is_mobile=is_mobile, has_touch=is_mobile
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]

    def on_console(message: Any) -> None:
        source = (message.location or {}).get("url", "")
        # Chromium asks for /favicon.ico on its own; the site has none (yet).
        if message.type == "error" and not source.endswith("/favicon.ico"):
            page.console_errors.append(f"{message.text} ({source})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop-sized page in a fresh context; ``page.console_errors`` collects JS errors."""
    yield from _new_page(browser, viewport=DESKTOP)


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    yield from _new_page(browser, viewport=PHONE, is_mobile=True)


#: Another person's browser, a context of its own (cookies, sessions) next to ``page``:
#: ``with browser_page(browser, viewport=DESKTOP) as theirs: ...``
browser_page = contextmanager(_new_page)


def _describe(violation: dict[str, Any]) -> str:
    lines = [f"- {violation['id']} ({violation.get('impact')}): {violation['help']}  <{violation['helpUrl']}>"]
    for node in violation["nodes"]:
        lines.append(f"    target {json.dumps(node['target'])}: {node['html'][:200]}")
        if node.get("failureSummary"):
            lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page: Any, name: str) -> None:
    """Screenshot the page, run axe-core (WCAG 2.1 A/AA) on it and fail on any violation."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing ({AXE_JS}): run `npm ci`", pytrace=False)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    violations = result["violations"]
    assert not violations, f"axe found {len(violations)} WCAG violation(s) on {name} ({page.url}):\n" + "\n".join(
        _describe(v) for v in violations
    )


def totp_code(secret: str, *, at: float | None = None, digits: int = 6, period: int = 30) -> str:
    """RFC 6238 TOTP (HMAC-SHA1), computed independently of allauth."""
    cleaned = secret.replace(" ", "").upper().rstrip("=")
    key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def current_totp_code(secret: str) -> str:
    """A code that stays valid long enough to be submitted (allauth allows no clock tolerance)."""
    if 30 - time.time() % 30 < 3:
        time.sleep(30 - time.time() % 30 + 0.1)
    return totp_code(secret)


def path_is(path: str) -> re.Pattern[str]:
    """Matches a URL of this site whose path is ``path`` (with or without a query string)."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")


def sv(text: Any) -> str:
    """What the Swedish page shows for ``text`` (a msgid or a lazy choice label)."""
    with translation.override("sv"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def sign_in(page: Any, base_url: str, email: str, *, password: str = TEST_PASSWORD, secret: str = TOTP_SECRET) -> None:
    """Staff sign-in with a password and the authenticator app's code; lands on "Idag"."""
    page.goto(base_url + "/konto/login/")
    page.fill("input[name='login']", email)
    page.fill("input[name='password']", password)
    with page.expect_navigation():
        page.locator("form:has([name='password']) button[type='submit']").first.click()
    page.wait_for_url(path_is("/konto/2fa/authenticate/"))
    page.fill("input[name='code']", current_totp_code(secret))
    with page.expect_navigation():
        page.locator("form:has([name='code']) button[type='submit']").first.click()
    page.wait_for_url(path_is("/idag/"))
