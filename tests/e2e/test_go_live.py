"""Issue 12's acceptance test: a municipality goes live on an empty database.

Only the README's documented commands set it up (``setup_municipality`` and
``create_staff``, run through ``call_command`` with their output read as an operator
reads it). From there everything happens in the browser, with axe-core (WCAG 2.1 A/AA)
on every page visited: the first administrator chooses a password from the printed link,
signs in and sets up an authenticator app; adds a consultant on "Personal"; the
consultant chooses a password from the invitation e-mail, sets up the app too and logs
an anonymous talk; the administrator deactivates the consultant, whose open session ends
and who can no longer sign in. The administrator and the consultant each have their own
browser context.
"""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest

from django.core.management import call_command

from anhorigstod.accounts.models import Membership, Municipality, Role, Unit, User
from contacts.models import AgeBand, Answer, Gender, Initiator, Talk, TalkFocus, TalkMode, TalkType, TargetGroup
from tests.e2e.conftest import DESKTOP, assert_accessible, browser_page, current_totp_code, path_is, sv

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN = ("Alva Admin", "alva.admin@testby.se", "Alva-har-ett-langt-losenord-1")
CONSULTANT = ("Konrad Konsulent", "konrad.konsulent@testby.se", "Konrad-valjer-sitt-losenord-2")
SET_PASSWORD = re.compile(r"^https?://[^/]+/konto/password/reset/key/[^/]+-set-password/$")
URL = re.compile(r"https?://\S+")


def _command(*args: str) -> str:
    """Run a documented management command; return what it printed."""
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _visit(page: Any, name: str) -> None:
    """What every page in the flow must be: one h1, no script errors, 0 axe violations."""
    assert page.locator("h1").count() == 1, f"expected one h1 on {page.url}"
    assert page.console_errors == [], f"JavaScript errors on {page.url}: {page.console_errors}"
    assert_accessible(page, name)


def _choose_password(page: Any, link: str, password: str, name: str) -> None:
    """Open a password-setup link (printed or e-mailed) and choose a password."""
    page.goto(link)
    page.wait_for_url(SET_PASSWORD)  # allauth moves the key out of the URL into the session
    _visit(page, f"{name}-choose-password")
    page.get_by_label("Nytt lösenord:", exact=True).fill(password)
    page.get_by_label("Nytt lösenord (igen):", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Ändra lösenord").click()
    assert not SET_PASSWORD.match(page.url), f"the password was refused: {page.locator('main').inner_text()}"
    _visit(page, f"{name}-password-chosen")


def _first_sign_in(page: Any, email: str, password: str, name: str) -> None:
    """A first sign-in: the password, then setting up the authenticator app (staff must
    have a second factor before anything else), landing on "Idag"."""
    # From the page that says the password is chosen, as a person would go on.
    page.get_by_role("link", name="Logga in", exact=True).click()
    page.wait_for_url(path_is("/konto/login/"))
    _visit(page, f"{name}-login")
    page.get_by_label("E-postadress:", exact=True).fill(email)
    page.get_by_label("Lösenord:", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(path_is("/konto/2fa/totp/activate/"))
    _visit(page, f"{name}-totp-activate")
    secret = page.get_by_label("Autentiseringshemlighet", exact=True).input_value().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), f"unexpected authenticator secret {secret!r}"
    page.get_by_label("Autentiseringskod:", exact=True).fill(current_totp_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Aktivera").click()
    assert not path_is("/konto/2fa/totp/activate/").match(page.url), "the authenticator code was refused"
    # Straight on to the recovery codes made with it, without the password again.
    page.wait_for_url(path_is("/konto/2fa/recovery-codes/"))
    codes = page.get_by_label("Oanvända koder", exact=True).input_value().split()
    assert len(codes) == 10 and all(code.isdigit() for code in codes), codes
    _visit(page, f"{name}-recovery-codes")
    page.get_by_role("navigation", name=sv("Main menu")).get_by_role("link", name="Idag", exact=True).click()
    page.wait_for_url(path_is("/idag/"))
    assert page.get_by_role("heading", level=1).inner_text().strip() == "Idag"
    _visit(page, f"{name}-today")


def _choose_radio(page: Any, group: str, option: str) -> None:
    radio = page.get_by_role("group", name=group, exact=True).get_by_role("radio", name=option, exact=True)
    radio.check()
    assert radio.is_checked(), f"{option!r} in {group!r} is not chosen"


def test_a_municipality_goes_live_from_an_empty_database(
    browser: Any, page: Any, live_server: Any, settings: Any, mailoutbox: list[Any]
) -> None:
    assert not Municipality.objects.exists() and not Unit.objects.exists() and not User.objects.exists()
    # The links the commands print and the e-mails carry point at the site (SITE_URL).
    settings.SITE_URL = live_server.url
    base = live_server.url

    # --- The operator: the documented commands ------------------------------------------
    _command(
        "setup_municipality",
        "--kommunkod",
        "0180",
        "--name",
        "Testby kommun",
        "--unit",
        "sof:Socialförvaltningen",
        "--unit",
        "sof/norra:Anhörigstöd Norra",
    )
    municipality = Municipality.objects.get(kommunkod="0180")
    assert sorted(municipality.units.values_list("code", "parent__code")) == [("norra", "sof"), ("sof", None)]
    printed = _command("create_staff", "--email", ADMIN[1], "--name", ADMIN[0], "--unit", "sof", "--role", "admin")
    links = URL.findall(printed)
    assert len(links) == 1 and links[0].startswith(base + "/"), printed
    assert mailoutbox == [], "the first administrator's link is printed, not e-mailed"

    # --- 1. The administrator chooses a password, signs in, sets up the app -------------
    _choose_password(page, links[0], ADMIN[2], "admin")
    _first_sign_in(page, ADMIN[1], ADMIN[2], "admin")

    # --- 2. ... and adds a consultant on "Personal" -------------------------------------
    nav = page.get_by_role("navigation", name=sv("Main menu"))
    nav.get_by_role("link", name="Personal", exact=True).click()
    page.wait_for_url(path_is("/personal/"))
    _visit(page, "admin-staff-list")
    page.get_by_role("link", name="Lägg till personal").click()
    page.wait_for_url(path_is("/personal/ny/"))
    _visit(page, "admin-staff-create")
    page.get_by_label("Namn", exact=True).fill(CONSULTANT[0])
    page.get_by_label("E-postadress", exact=True).fill(CONSULTANT[1])
    page.get_by_label("Enhet", exact=True).select_option(label="Anhörigstöd Norra")
    page.get_by_label("Roll", exact=True).select_option(label=sv(Role.CONSULTANT.label))
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa konto").click()
    page.wait_for_url(path_is("/personal/"))
    assert page.get_by_role("status").get_by_text("Kontot är skapat och en inbjudan har skickats.").is_visible()
    assert page.get_by_role("row").filter(has_text=CONSULTANT[1]).filter(has_text="Anhörigstöd Norra").is_visible()
    _visit(page, "admin-staff-created")
    consultant = User.objects.get(email=CONSULTANT[1])
    assert list(Membership.objects.filter(user=consultant).values_list("unit__code", "role")) == [
        ("norra", Role.CONSULTANT)
    ]

    # The invitation, as the consultant receives it.
    assert [message.to for message in mailoutbox] == [[CONSULTANT[1]]]
    invitation = mailoutbox[0]
    assert CONSULTANT[0] not in invitation.subject
    links = [link for link in URL.findall(invitation.body) if "/konto/password/reset/key/" in link]
    assert len(links) == 1 and links[0].startswith(base + "/"), invitation.body

    with browser_page(browser, viewport=DESKTOP) as konrad:
        # --- 3. The consultant chooses a password, signs in and logs an anonymous talk --
        _choose_password(konrad, links[0], CONSULTANT[2], "consultant")
        _first_sign_in(konrad, CONSULTANT[1], CONSULTANT[2], "consultant")
        konrad.get_by_role("navigation", name=sv("Main menu")).get_by_role(
            "link", name=sv("Log an anonymous talk"), exact=True
        ).click()
        konrad.wait_for_url(path_is("/samtal/nytt/"))
        _visit(konrad, "consultant-talk-form")

        informed = sv("Told the carer they may apply for support for their own part (SoL 11 kap. 6 §)")
        informed_group = konrad.get_by_role("group", name=informed, exact=True)
        assert informed_group.get_by_role("radio", checked=True).count() == 0, "SoL 11:6 must not be pre-answered"
        _choose_radio(konrad, sv("Kind of support"), "Enskilt samtal (rådgivning)")
        assert konrad.get_by_label(sv("Date"), exact=True).input_value(), "the date is filled in to begin with"
        assert konrad.get_by_label(sv("Start time"), exact=True).input_value(), "the time is filled in to begin with"
        konrad.get_by_label(sv("Duration (minutes)"), exact=True).fill("30")
        _choose_radio(konrad, sv("Mode"), sv(TalkMode.PHONE.label))
        konrad.get_by_label(sv("Talk type"), exact=True).select_option(TalkType.UNBURDENING.value)
        konrad.get_by_role("group", name=sv("Focus"), exact=True).get_by_role(
            "checkbox", name=sv(TalkFocus.SUPPORTING.label), exact=True
        ).check()
        konrad.get_by_label(sv("Initiated by"), exact=True).select_option(Initiator.CARER.value)
        _choose_radio(konrad, informed, sv(Answer.YES.label))
        _choose_radio(konrad, sv("Asked about children in the carer's network"), sv(Answer.NO.label))
        konrad.get_by_label(sv("Age band"), exact=True).select_option(AgeBand.AGE_65_79.value)
        konrad.get_by_label(sv("Gender"), exact=True).select_option(Gender.WOMAN.value)
        konrad.get_by_label(sv("The närstående's target group"), exact=True).select_option(TargetGroup.DEMENTIA.value)
        with konrad.expect_navigation():
            konrad.get_by_role("button", name=sv("Save the talk")).click()
        konrad.wait_for_url(path_is("/samtal/nytt/"))
        logged = sv("The talk is logged. You can log the next one.")
        assert konrad.get_by_role("status").get_by_text(logged, exact=True).is_visible()
        _visit(konrad, "consultant-talk-saved")

        talk = Talk.objects.get()
        assert (talk.consultant_id, talk.unit.code, talk.carer_id) == (consultant.pk, "norra", None)
        assert talk.support_kind.code == "individual_talk" and talk.duration_minutes == 30
        assert (talk.mode, talk.talk_type, talk.initiator) == ("phone", "unburdening", "carer")
        assert (talk.informed_right_to_apply, talk.asked_about_children) == ("yes", "no")
        assert (talk.age_band, talk.gender, talk.target_group) == ("65-79", "woman", "dementia")
        assert list(talk.focus_entries.values_list("focus", flat=True)) == ["supporting"]

        # --- 4. The administrator deactivates the consultant ----------------------------
        page.reload()
        page.get_by_role("link", name=CONSULTANT[0], exact=True).click()
        page.wait_for_url(path_is(f"/personal/{consultant.code}/"))
        assert page.get_by_role("heading", level=1).inner_text().strip() == CONSULTANT[0]
        _visit(page, "admin-staff-detail")
        page.get_by_role("link", name="Inaktivera kontot").click()
        page.wait_for_url(path_is(f"/personal/{consultant.code}/inaktivera/"))
        _visit(page, "admin-staff-deactivate")
        with page.expect_navigation():
            page.get_by_role("button", name="Inaktivera kontot").click()
        page.wait_for_url(path_is(f"/personal/{consultant.code}/"))
        assert page.get_by_role("status").get_by_text(f"Kontot för {CONSULTANT[0]} är inaktiverat.").is_visible()
        _visit(page, "admin-staff-deactivated")
        consultant.refresh_from_db()
        assert not consultant.is_active
        assert Talk.objects.get().consultant_id == consultant.pk, "the talk stays under the consultant's name"

        # --- 5. The consultant's open session has ended, and signing in is refused ------
        konrad.goto(base + "/idag/")
        konrad.wait_for_url(path_is("/konto/login/"))
        _visit(konrad, "consultant-signed-out")
        konrad.get_by_label("E-postadress:", exact=True).fill(CONSULTANT[1])
        konrad.get_by_label("Lösenord:", exact=True).fill(CONSULTANT[2])
        with konrad.expect_navigation():
            konrad.get_by_role("button", name="Logga in", exact=True).click()
        konrad.wait_for_url(path_is("/konto/inactive/"))
        _visit(konrad, "consultant-inactive")
        konrad.goto(base + "/samtal/nytt/")
        konrad.wait_for_url(path_is("/konto/login/"))
    assert Talk.objects.count() == 1
