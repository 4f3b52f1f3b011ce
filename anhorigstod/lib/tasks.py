from __future__ import annotations

import os
import socket
from typing import Any

from celery import shared_task

from anhorigstod.lib.email import send_email


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def email_send(self: Any, *, template: str, to: list[str], context: dict[str, Any], language: str = "sv") -> None:
    """Send one templated e-mail; retried while the mail server is away."""
    try:
        send_email(template=template, to=to, context=context, language=language)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task
def worker_identity() -> dict[str, Any]:
    """Where the task ran: lets the health check and the tests prove a real worker answered."""
    return {"hostname": socket.gethostname(), "pid": os.getpid()}
