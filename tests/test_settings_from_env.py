"""Settings come from the environment; production settings pass the deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from django.core.exceptions import ImproperlyConfigured

from anhorigstod.lib.env import env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SECRET_KEY": "x7!k2#production-like-secret-key-that-is-long-and-random-9f3a1c0e55",
    "DJANGO_ALLOWED_HOSTS": "anhorigstod.example.se",
    "DATABASE_URL": "postgres://anhorig:secret@db.example:5432/anhorigstod",
    "REDIS_URL": "redis://redis.example:6379/0",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "anhorigstod.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_production_settings_pass_the_deploy_check() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_catches_a_weak_setting() -> None:
    # The negative control: the same check fails when HSTS is switched off.
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "DJANGO_HSTS_SECONDS": "0"})
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DATABASE_URL is" in result.stderr


def test_production_refuses_relaxed_staff_mfa() -> None:
    result = _manage("check", env={**PRODUCTION, "ANHORIGSTOD_STAFF_MFA_REQUIRED": "0"})
    assert result.returncode != 0
    assert "ANHORIGSTOD_STAFF_MFA_REQUIRED=0 is only allowed with DJANGO_DEBUG=1" in result.stderr


def test_the_demo_may_relax_staff_mfa() -> None:
    result = _manage("check", env={"DJANGO_DEBUG": "1", "ANHORIGSTOD_STAFF_MFA_REQUIRED": "0"})
    assert result.returncode == 0, result.stderr


def _show(expr: str, env: dict[str, str]) -> str:
    code = f"import django; django.setup(); from django.conf import settings as s; print({expr})"
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "anhorigstod.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_nothing_set_means_sqlite_in_process_tasks_and_debug_off() -> None:
    out = _show("s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG, len(s.SECRET_KEY) >= 50", {})
    assert out == "django.db.backends.sqlite3 True False True"


def test_urls_select_postgresql_and_the_redis_broker() -> None:
    out = _show(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], s.CELERY_BROKER_URL, "
        "s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'], s.DEBUG",
        PRODUCTION,
    )
    assert out == (
        "django.db.backends.postgresql db.example redis://redis.example:6379/0 False "
        "django.core.cache.backends.redis.RedisCache False"
    )


def test_oidc_providers_come_from_the_environment() -> None:
    env = {
        **PRODUCTION,
        "OIDC_STAFF_SERVER_URL": "https://sso.kommun.example/realms/staff",
        "OIDC_STAFF_CLIENT_ID": "anhorigstod",
        "OIDC_STAFF_CLIENT_SECRET": "s3cret",
    }
    out = _show("[a['provider_id'] for a in s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS']]", env)
    assert out == "['staff-sso']"


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("0", False), ("no", False)])
def test_env_bool(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG") is expected


def test_bad_values_fail_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "kanske")
    monkeypatch.setenv("X_NUMBER", "tio")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")
    with pytest.raises(ImproperlyConfigured, match="X_NUMBER"):
        env_int("X_NUMBER", 1)


def _site_url(env: dict[str, str]) -> str:
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.SITE_URL)", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"HOST": "0.0.0.0", "PORT": "8124"}, "http://127.0.0.1:8124"),  # noqa: S104
        ({"HOST": "localhost", "PORT": "9000"}, "http://localhost:9000"),
        ({"HOST": "::1", "PORT": "9001"}, "http://[::1]:9001"),
        ({"PORT": "8123", "SITE_URL": "https://anhorigstod.example.se/"}, "https://anhorigstod.example.se"),
    ],
    ids=["default", "port", "all-interfaces", "host", "ipv6", "explicit-site-url-wins"],
)
def test_site_url_follows_where_the_demo_serves(env: dict[str, str], expected: str) -> None:
    assert _site_url({"DJANGO_DEBUG": "1", **env}) == expected


def test_an_emailed_link_points_at_the_port_the_demo_serves_on() -> None:
    code = "from anhorigstod.lib.email import render_email; print(render_email('booking_cancelled', {})[1])"
    result = _manage("shell", "-c", code, env={"DJANGO_DEBUG": "1", "PORT": "8123"})
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8123/kalender/" in result.stdout


def test_a_mistyped_port_fails_loudly() -> None:
    result = _manage("check", env={"DJANGO_DEBUG": "1", "PORT": "80a"})
    assert result.returncode != 0
    assert "PORT must be a whole number" in result.stderr


def test_make_run_hands_its_port_and_host_to_every_manage_py_step() -> None:
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8123", "HOST=0.0.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    steps = [line for line in dry.stdout.splitlines() if "manage.py" in line]
    assert [step.split("manage.py")[1].split()[0] for step in steps] == ["migrate", "seed_demo", "runserver"]
    assert all("HOST=0.0.0.0 PORT=8123" in step for step in steps)
    assert steps[-1].endswith("runserver 0.0.0.0:8123")
