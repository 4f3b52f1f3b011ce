"""A real Celery worker process on the machine's Redis runs the project's tasks."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from django.conf import settings

from anhorigstod.accounts.models import Role
from anhorigstod.accounts.services import staff_create
from anhorigstod.celery import app as celery_app
from anhorigstod.lib.tasks import worker_identity

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.redis


@pytest.fixture(scope="module")
def mail_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(scope="module")
def worker(mail_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``celery -A anhorigstod worker`` as its own process, with production settings."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "anhorigstod.settings",
        "DJANGO_SECRET_KEY": "worker-test-secret-key-long-enough-for-the-deploy-check-1234567",
        "REDIS_URL": os.environ["REDIS_URL"],
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    log = (mail_dir / "worker.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "anhorigstod", "worker", "--pool=solo", "--without-gossip",
         "--without-mingle", "--hostname", f"test-worker-{os.getpid()}@%h", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the worker exited: {(mail_dir / 'worker.log').read_text()}")
            if celery_app.control.ping(timeout=1.0):
                break
        else:
            pytest.fail("the worker did not answer a ping within 60 seconds")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
def real_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)


def test_a_task_runs_in_the_worker_process(worker, real_broker) -> None:  # type: ignore[no-untyped-def]
    result = worker_identity.delay().get(timeout=30)
    assert result["pid"] == worker.pid
    assert result["pid"] != os.getpid()


@pytest.mark.django_db(transaction=True)
def test_an_invitation_email_is_sent_by_the_worker(worker, real_broker, org, admin_a, mail_dir) -> None:  # type: ignore[no-untyped-def]
    staff_create(
        created_by=admin_a,
        email="ny.konsulent@angsvik.example",
        full_name="Nils Ny",
        unit=org.unit_a,
        role=Role.CONSULTANT,
    )
    deadline = time.monotonic() + 30
    sent: list[Path] = []
    while time.monotonic() < deadline and not sent:
        sent = list(mail_dir.glob("*.log"))
        sent = [path for path in sent if path.name != "worker.log"]
        time.sleep(0.2)
    assert sent, "the worker sent no e-mail within 30 seconds"
    # The file backend writes each message followed by a line of dashes.
    raw = sent[0].read_bytes().rsplit(b"\n" + b"-" * 79, 1)[0]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"] == "ny.konsulent@angsvik.example"
    assert message["Subject"] == "Ditt konto i Anhörigstöd"
    body = message.get_body(("plain",)).get_content()
    assert "Du har fått ett konto i Anhörigstöd för Anhörigstöd Norra." in body
    assert f"{settings.SITE_URL}/konto/password/reset/key/" in body
    assert "Nils" not in str(message["Subject"])
