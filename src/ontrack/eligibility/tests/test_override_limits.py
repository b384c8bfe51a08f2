"""An override reason is at most 2,000 characters (issue 8, item 8): the service refuses a
longer one, the form shows why, and a body too large for any form is a 400, not a crash."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from ontrack.audit.models import AuditEvent
from ontrack.common.errors import ValidationFailed
from ontrack.eligibility.models import MAX_OVERRIDE_REASON, Screening, ScreeningOverride
from ontrack.eligibility.services import override_screening
from ontrack.eligibility.tests.helpers import body_of, screening_url


def test_the_limit_is_2000_characters() -> None:
    assert MAX_OVERRIDE_REASON == 2000


def test_the_service_refuses_a_reason_over_the_limit(supervisor: Any, screened: Screening) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        override_screening(
            actor=supervisor, screening=screened, result="eligible", reason="x" * 2001
        )
    assert refused.value.problems == {
        "reason": "an override reason is at most 2000 characters (this one has 2001)"
    }
    assert (ScreeningOverride.objects.count(), AuditEvent.objects.count()) == (0, events)
    # Exactly at the limit is accepted (surrounding spaces do not count).
    override_screening(
        actor=supervisor, screening=screened, result="eligible", reason=" " + "x" * 2000 + " "
    )
    assert ScreeningOverride.objects.get().reason == "x" * 2000


def test_the_database_refuses_a_reason_over_the_limit(supervisor: Any, screened: Screening) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ScreeningOverride.objects.create(
            screening=screened, result="eligible", reason="x" * 2001, actor=supervisor
        )
    assert ScreeningOverride.objects.count() == 0


def test_the_form_shows_the_limit(client: Any, supervisor: Any, screened: Screening) -> None:
    client.force_login(supervisor)
    events = AuditEvent.objects.count()
    response = client.post(
        f"{screening_url(screened)}override/", {"result": "eligible", "reason": "y" * 5000}
    )
    assert response.status_code == 400
    body = body_of(response)
    assert "Ensure this value has at most 2000 characters (it has 5000)." in body
    assert 'maxlength="2000"' in body
    assert (ScreeningOverride.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_a_huge_post_body_is_a_400(client: Any, supervisor: Any, screened: Screening) -> None:
    # 3 MB used to reach Django's debug page; a body over 256 KB is refused before any form
    # sees it (DATA_UPLOAD_MAX_MEMORY_SIZE), with the product's page.
    client.force_login(supervisor)
    events = AuditEvent.objects.count()
    response = client.post(
        f"{screening_url(screened)}override/", {"result": "eligible", "reason": "z" * 300_000}
    )
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()
    assert (ScreeningOverride.objects.count(), AuditEvent.objects.count()) == (0, events)


def test_a_post_with_too_many_fields_is_a_400(
    client: Any, supervisor: Any, screened: Screening
) -> None:
    client.force_login(supervisor)
    # 300 fields: over the 200 allowed, under Django's default of 1,000.
    fields = {f"f{i}": "1" for i in range(300)} | {"result": "eligible", "reason": "ok"}
    response = client.post(f"{screening_url(screened)}override/", fields)
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()
    assert ScreeningOverride.objects.count() == 0
