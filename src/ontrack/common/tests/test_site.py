"""``common.site``: the office's day, read without Django, is Django's local day."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from ontrack.common.site import office_time_zone, office_today


def test_the_office_day_is_djangos_local_day(monkeypatch: pytest.MonkeyPatch) -> None:
    assert office_time_zone() == settings.TIME_ZONE == "America/Los_Angeles"
    assert office_today() == timezone.localdate()
    monkeypatch.setenv("ONTRACK_TIME_ZONE", "Pacific/Kiritimati")
    assert office_time_zone() == "Pacific/Kiritimati"
    assert office_today() == timezone.localdate(timezone=ZoneInfo("Pacific/Kiritimati"))
