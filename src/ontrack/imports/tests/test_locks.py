"""Only one import per feed runs at a time; the second is refused and writes nothing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from ontrack.imports.services import import_caseload
from ontrack.ingest.locks import FeedBusy, feed_lock
from ontrack.people.models import Person


def hold_lock(feed: str, taken: threading.Event, release: threading.Event) -> None:
    try:
        with feed_lock(feed):  # another thread: its own database connection and file handle
            taken.set()
            release.wait(30)
    finally:
        connections.close_all()


def test_second_import_of_a_feed_is_refused(supervisor: Any, new_events: Any) -> None:
    taken, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_lock, args=("ontrack", taken, release))
    holder.start()
    try:
        assert taken.wait(30)
        with (
            pytest.raises(FeedBusy, match="another import of feed 'ontrack' is running"),
            feed_lock("ontrack"),
        ):
            pass
        # A different feed is not blocked.
        with feed_lock("broward-compas"):
            pass
    finally:
        release.set()
        holder.join(30)
    with feed_lock("ontrack"):  # released when the holder finished
        pass
    assert Person.objects.count() == 0
    assert new_events().count() == 0


def test_import_reports_a_busy_feed(supervisor: Any, tmp_path: Path) -> None:
    from ontrack.imports.tests.test_hostile_input import csv_bytes, row

    path = tmp_path / "ok.csv"
    path.write_bytes(csv_bytes([row()]))
    taken, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_lock, args=("ontrack", taken, release))
    holder.start()
    try:
        assert taken.wait(30)
        with pytest.raises(FeedBusy):
            import_caseload(actor=supervisor, path=path, profile_name="ontrack")
    finally:
        release.set()
        holder.join(30)
    assert Person.objects.count() == 0
    assert import_caseload(actor=supervisor, path=path, profile_name="ontrack").status == "applied"
