"""The timeline hook: drug-test entries in full only for holders of view_result, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ontrack.audit.models import AccessEvent
from ontrack.cases.tests.factories import CaseFactory
from ontrack.drugtests import services
from ontrack.drugtests.models import TestDay
from ontrack.enrollments import timeline
from ontrack.enrollments.apps import timeline_context
from ontrack.enrollments.tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db
AT = timezone.make_aware(dt.datetime(2025, 7, 2, 9, 30))


def _noticed(user: Any) -> Any:
    enrollment = EnrollmentFactory(case=CaseFactory(case_manager=user), phase=1)
    test_day = TestDay.objects.create(enrollment=enrollment, day=dt.date(2025, 7, 2),
                                      drawn_at=AT, drawn_by=user)  # fmt: skip
    services.record_notice(actor=user, test_day_id=test_day.pk, how="call_in_line", at=AT)
    return enrollment


def _rows(actor: Any, enrollment: Any) -> list[tuple[str, list[Any], bool]]:
    return [(r["label"], r["details"], r["hidden"])
            for r in timeline_context(actor, enrollment)["entries"]]  # type: ignore[attr-defined]  # fmt: skip


def test_a_holder_of_view_result_sees_the_details_and_the_read_is_audited(
    case_manager: Any,
) -> None:
    enrollment = _noticed(case_manager)
    assert _rows(case_manager, enrollment) == [
        ("Told of a test day", [("how", "call_in_line")], False)
    ]
    row = AccessEvent.objects.get(action="drugtests.timeline_read")
    assert (row.outcome, row.object_type, row.object_id, row.row_count) == (
        "success", "enrollment", str(enrollment.pk), 1)  # fmt: skip


def test_without_view_result_only_the_label_shows_and_nothing_is_read(
    case_manager: Any, auditor: Any, client: Any
) -> None:
    enrollment = _noticed(case_manager)
    assert not auditor.has_perm("drugtests.view_result")
    assert _rows(auditor, enrollment) == [("Drug test recorded", [], True)]
    client.force_login(auditor)
    page = client.get(reverse("participants:participant", args=[enrollment.pk]))
    assert page.status_code == 200
    assert "Drug test recorded" in page.content.decode()
    assert "call_in_line" not in page.content.decode()
    assert not AccessEvent.objects.filter(action__startswith="drugtests.").exists()


def test_without_a_registered_reader_sensitive_entries_stay_hidden(
    case_manager: Any, monkeypatch: Any
) -> None:
    enrollment = _noticed(case_manager)
    monkeypatch.setattr(timeline, "_SENSITIVE_READERS", [])
    assert _rows(case_manager, enrollment) == [("Drug test recorded", [], True)]
    assert not AccessEvent.objects.filter(action="drugtests.timeline_read").exists()


def test_the_page_shows_the_holder_the_details(case_manager: Any, client: Any) -> None:
    enrollment = _noticed(case_manager)
    client.force_login(case_manager)
    page = client.get(reverse("participants:participant", args=[enrollment.pk]))
    assert "Told of a test day: how call_in_line" in page.content.decode()
