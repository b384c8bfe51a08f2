"""Text-message backends, chosen like Django's mail backends: ``ONTRACK_SMS_BACKEND`` names
the class (default: the console). A real provider is a subclass of ``BaseSmsBackend`` whose
``send`` calls the provider's API and raises on failure (docs/hearings.md)."""

from __future__ import annotations

import datetime as dt
import json
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "ontrack.hearings.sms.ConsoleSmsBackend"


class SmsError(Exception):
    """The message could not be handed to the provider (the reminder is marked failed)."""


class BaseSmsBackend:
    def send(self, *, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes each message to standard output (development, the demo)."""

    def send(self, *, to: str, body: str) -> None:
        sys.stdout.write(f"SMS to {to}: {body}\n")
        sys.stdout.flush()


class FileSmsBackend(BaseSmsBackend):
    """One JSON file per message in ``ONTRACK_SMS_FILE_PATH`` (tests, staging)."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory or settings.ONTRACK_SMS_FILE_PATH)

    def send(self, *, to: str, body: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.json"
        path.write_text(json.dumps({"to": to, "body": body}, ensure_ascii=False))


def get_backend() -> BaseSmsBackend:
    path = getattr(settings, "ONTRACK_SMS_BACKEND", "") or DEFAULT_BACKEND
    backend: BaseSmsBackend = import_string(path)()
    return backend
