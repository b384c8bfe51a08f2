"""Auditors' tools (issue 8, item 7): the audit page's filters, paging and CSV export, and
``ontrack audit export``; sensitive values hidden from who may not read the record (ADR 0033);
every export of the audit itself on the access stream (CJIS AU-2, AU-6, AU-9)."""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ontrack.accounts.models import User
from ontrack.audit.access import record_access
from ontrack.audit.models import AccessEvent
from ontrack.cases.services import change_case_status
from ontrack.eligibility.services import record_case_fact
from ontrack.eligibility.tests.helpers import prepared_case
from ontrack.people.models import Person
from ontrack.people.services import create_person, update_person

REQUIRED_COLUMNS = [
    "occurred_at", "actor", "action", "object_type", "object_id", "outcome", "ip_address",
    "request_id",
]  # fmt: skip
UTC = dt.UTC


def exported(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def at(when: dt.datetime, **fields: Any) -> AccessEvent:
    """An access row at a given instant (set-up: an INSERT, which the stream allows)."""
    defaults = {"source": "test", "outcome": "success", "username": "someone"}
    return AccessEvent.objects.create(occurred_at=when, **{**defaults, **fields})


# --- masking: administrators see that a field changed, not its value ----------------------------


@pytest.fixture
def renamed(supervisor: User) -> Person:
    # A supervisor: a person with no case yet is seen (and so changed) only by those who see
    # every program (cases/visibility.py).
    person = create_person(
        actor=supervisor, given_name="Ana", family_name="Reyes", aliases=[("Annie", "Reyes")]
    )
    return update_person(
        actor=supervisor, person=person, expected_version=person.row_version, family_name="Rivera"
    )


def test_an_administrator_sees_that_a_name_changed_but_not_the_name(
    client: Any, administrator: User, renamed: Person
) -> None:
    client.force_login(administrator)
    rows = exported(client.get("/audit/export.csv?object_type=people.person&stream=changes"))
    assert [(r["action"], r["changes"], r["details"]) for r in rows] == [
        # The version the edit made is recorded too (ADR 0047); every key of a person's row
        # is masked for a reader who may not read the person.
        ("person.updated", '{"family_name": ["(hidden)", "(hidden)"]}', '{"version": "(hidden)"}'),
        (
            "person.created",
            '{"family_name": [null, "(hidden)"], "given_name": [null, "(hidden)"]}',
            '{"aliases": "(hidden)", "identifiers": []}',  # none given: nothing to hide
        ),
    ]
    page = client.get("/audit/?object_type=people.person").content.decode()
    assert "family name: (hidden) → (hidden)" in page
    assert "family name: — → (hidden)" in page
    for secret in ("Reyes", "Rivera", "Ana", "Annie"):
        assert secret not in page


def test_an_auditor_who_may_read_the_person_sees_the_values(
    client: Any, auditor: User, renamed: Person
) -> None:
    client.force_login(auditor)
    rows = exported(client.get("/audit/export.csv?object_type=people.person&stream=changes"))
    assert [(r["action"], r["changes"]) for r in rows] == [
        ("person.updated", '{"family_name": ["Reyes", "Rivera"]}'),
        ("person.created", '{"family_name": [null, "Reyes"], "given_name": [null, "Ana"]}'),
    ]
    page = client.get("/audit/?object_type=people.person").content.decode()
    assert "family name: Reyes → Rivera" in page


def test_sensitive_facts_are_hidden_and_a_case_status_is_not(
    client: Any, supervisor: User, administrator: User, auditor: User, catalog: None
) -> None:
    """work_authorization is marked sensitive in the fact vocabulary (the one place facts are
    declared); the status of a case is not personal."""
    case = prepared_case()
    record_case_fact(
        actor=supervisor,
        case=case,
        fact="work_authorization",
        value="verified",
        method="I-9 seen",
        document="passport",
    )
    change_case_status(
        actor=supervisor, case=case, expected_version=case.row_version, status="closed"
    )
    query = f"/audit/export.csv?object_type=cases.case&object_id={case.pk}&stream=changes"
    client.force_login(administrator)
    hidden = [(r["action"], r["changes"], r["details"]) for r in exported(client.get(query))]
    client.force_login(auditor)
    shown = [(r["action"], r["changes"], r["details"]) for r in exported(client.get(query))]
    assert hidden == [
        ("case.status_changed", '{"status": ["open", "closed"]}', ""),
        (
            "case.fact_recorded",
            '{"work_authorization": [null, "(hidden)"]}',
            '{"document": "(hidden)", "method": "I-9 seen"}',
        ),
    ]
    assert shown == [
        ("case.status_changed", '{"status": ["open", "closed"]}', ""),
        (
            "case.fact_recorded",
            '{"work_authorization": [null, "verified"]}',
            '{"document": "passport", "method": "I-9 seen"}',
        ),
    ]


def test_the_page_runs_a_constant_number_of_queries(
    client: Any, case_manager: User, auditor: User, db: None
) -> None:
    """Masking asks each record type's visibility once per page, not once per row."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/audit/?actor={case_manager.username}").status_code == 200
        return len(captured)

    client.force_login(auditor)
    create_person(actor=case_manager, given_name="Ana", family_name="Reyes")
    record_access(actor=case_manager, action="person.viewed", outcome="success",
                  object_type="people.person", object_id="1")  # fmt: skip
    few = queries()
    for n in range(20):
        create_person(actor=case_manager, given_name=f"P{n}", family_name="Reyes")
        record_access(actor=case_manager, action="person.viewed", outcome="success",
                      object_type="people.person", object_id=str(n))  # fmt: skip
    assert queries() == few


# --- filters, paging, dates in the office's day ---------------------------------------------------


def test_each_filter_selects_exactly_its_rows(client: Any, auditor: User, db: None) -> None:
    # 2026-01-10 07:30 UTC is 23:30 on the 9th in the office (America/Los_Angeles, PST).
    late_on_the_9th = dt.datetime(2026, 1, 10, 7, 30, tzinfo=UTC)
    early_on_the_10th = dt.datetime(2026, 1, 10, 8, 30, tzinfo=UTC)
    at(late_on_the_9th, username="ana", action="case.viewed", object_type="cases.case",
       object_id="7")  # fmt: skip
    at(early_on_the_10th, username="ben", action="signin.failed", outcome="failure")
    at(early_on_the_10th, username="ana", action="request.denied", outcome="denied",
       object_type="page", object_id="cases:detail")  # fmt: skip
    client.force_login(auditor)

    def actions(query: str) -> list[str]:
        return [
            r["action"] for r in exported(client.get(f"/audit/export.csv?stream=access&{query}"))
        ]

    window = "since=2026-01-09&until=2026-01-10"
    assert actions(window) == ["request.denied", "signin.failed", "case.viewed"]
    assert actions("since=2026-01-10&until=2026-01-10") == ["request.denied", "signin.failed"]
    assert actions("since=2026-01-09&until=2026-01-09") == ["case.viewed"]
    assert actions(f"{window}&actor=ana") == ["request.denied", "case.viewed"]
    assert actions(f"{window}&action=signin.") == ["signin.failed"]
    assert actions(f"{window}&outcome=denied") == ["request.denied"]
    assert actions(f"{window}&object_type=cases.case&object_id=7") == ["case.viewed"]
    assert actions(f"{window}&object_id=8") == []


def test_change_rows_have_outcome_success_and_the_stream_filter(
    client: Any, case_manager: User, auditor: User
) -> None:
    create_person(actor=case_manager, given_name="Ana", family_name="Reyes")
    record_access(actor=case_manager, action="person.viewed", outcome="success")
    record_access(actor=case_manager, action="case.viewed", outcome="denied")
    client.force_login(auditor)
    base = f"/audit/export.csv?actor={case_manager.username}"
    both = [(r["stream"], r["action"], r["outcome"]) for r in exported(client.get(base))]
    assert both == [
        ("access", "case.viewed", "denied"),
        ("access", "person.viewed", "success"),
        ("changes", "person.created", "success"),
    ]
    changes = exported(client.get(f"{base}&stream=changes"))
    assert [r["action"] for r in changes] == ["person.created"]
    denied = exported(client.get(f"{base}&outcome=denied"))
    assert [r["action"] for r in denied] == ["case.viewed"]  # no change row is "denied"


def test_paging_shows_the_total_and_keeps_the_filters(client: Any, auditor: User, db: None) -> None:
    start = dt.datetime(2026, 2, 1, 12, tzinfo=UTC)
    for n in range(51):
        at(start + dt.timedelta(minutes=n), username="walker", action=f"case.viewed.{n:02d}")
    client.force_login(auditor)
    first = client.get("/audit/?actor=walker").content.decode()
    assert "51 entries, newest first · page 1 of 2" in first
    assert first.count("case.viewed.") == 50
    assert "case.viewed.50" in first
    assert "case.viewed.00" not in first
    assert 'href="?actor=walker&amp;page=2">Older</a>' in first
    second = client.get("/audit/?actor=walker&page=2").content.decode()
    assert "page 2 of 2" in second
    assert second.count("case.viewed.") == 1
    assert "case.viewed.00" in second


def test_bad_dates_are_refused_with_the_field_named(client: Any, auditor: User, db: None) -> None:
    client.force_login(auditor)
    page = client.get("/audit/?since=2026-13-01")
    assert page.status_code == 400
    assert '<small id="e-since">Enter a valid date.</small>' in page.content.decode()
    assert "0 entries" in page.content.decode()
    backwards = client.get("/audit/?since=2026-02-02&until=2026-02-01")
    assert "the last day is before the first" in backwards.content.decode()
    export = client.get("/audit/export.csv?until=yesterday")
    assert (export.status_code, export.content) == (
        400,
        b"Bad filters: until: Enter a valid date.\n",
    )
    # A refused export delivered nothing and is not an export.
    assert not AccessEvent.objects.filter(action="audit.exported").exists()


# --- the CSV export: neutralised, and itself on the access stream --------------------------------


def test_the_export_neutralises_formulas_and_is_recorded(
    client: Any, auditor: User, new_access: Any, db: None
) -> None:
    name = '=HYPERLINK("http://x.test","click")'
    Client().post("/accounts/login/", {"username": name, "password": "y" * 12})
    client.force_login(auditor)
    rows = exported(client.get("/audit/export.csv?action=signin.failed"))
    assert list(rows[0]) == [
        "occurred_at", "stream", "actor", "action", "object_type", "object_id", "outcome",
        "ip_address", "request_id", "source", "os_user", "method", "path", "status_code",
        "row_count", "changes", "details",
    ]  # fmt: skip
    assert [(r["actor"], r["outcome"], r["ip_address"]) for r in rows] == [
        ("'" + name, "failure", "127.0.0.1")
    ]
    export = new_access().get(action="audit.exported")
    assert (
        export.actor,
        export.object_type,
        export.row_count,
        export.outcome,
        export.path,
        export.details,
    ) == (auditor, "audit", 1, "success", "/audit/export.csv", {"action": "signin.failed"})


@pytest.mark.parametrize(
    ("role", "status"),
    [("auditor", 200), ("administrator", 200), ("case_manager", 403), ("supervisor", 403),
     ("analyst", 403)],
)  # fmt: skip
def test_who_may_open_the_audit_page_and_its_export(
    client: Any, role: str, status: int, db: None
) -> None:
    from conftest import make_user

    client.force_login(make_user(role))
    assert (client.get("/audit/").status_code, client.get("/audit/export.csv").status_code) == (
        status,
        status,
    )


def test_signed_out_the_audit_pages_send_to_sign_in(db: None) -> None:
    for url in ("/audit/", "/audit/export.csv"):
        assert Client().get(url)["Location"] == f"/accounts/login/?next={url}"


# --- ontrack audit export -------------------------------------------------------------------------


def test_the_command_exports_the_days_asked_for_and_is_audited(
    tmp_path: Path, auditor: User, new_access: Any
) -> None:
    at(dt.datetime(2026, 1, 10, 7, 30, tzinfo=UTC), username="ana", action="case.viewed",
       object_type="cases.case", object_id="7", ip_address="10.0.0.5", request_id="r1")  # fmt: skip
    at(dt.datetime(2026, 1, 10, 8, 30, tzinfo=UTC), username="ben", action="signin.failed",
       outcome="failure")  # fmt: skip
    out = tmp_path / "audit.csv"
    stdout = io.StringIO()
    call_command(
        "audit", "export", "--out", str(out), "--actor", auditor.username,
        "--since", "2026-01-09", "--until", "2026-01-09", stdout=stdout,
    )  # fmt: skip
    assert stdout.getvalue() == f"wrote 1 audit entries to {out}\n"
    [row] = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [row[c] for c in REQUIRED_COLUMNS] == [
        "2026-01-10T07:30:00+00:00", "ana", "case.viewed", "cases.case", "7", "success",
        "10.0.0.5", "r1",
    ]  # fmt: skip
    event = new_access().get(action="audit.exported")
    assert (event.actor, event.action, event.row_count, event.source, event.os_user) == (
        auditor,
        "audit.exported",
        1,
        "cli",
        getpass.getuser(),
    )
    assert event.details["since"] == "2026-01-09"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.csv"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--since", "2026-13-01"], "--since: '2026-13-01' is not a date (YYYY-MM-DD)"),
        (["--until", "soon"], "--until: 'soon' is not a date (YYYY-MM-DD)"),
        (["--since", "2026-02-02", "--until", "2026-02-01"],
         "--until: 2026-02-01 is before --since 2026-02-02"),
    ],
)  # fmt: skip
def test_the_command_refuses_bad_dates(
    tmp_path: Path, auditor: User, new_access: Any, arguments: list[str], message: str
) -> None:
    out = tmp_path / "audit.csv"
    with pytest.raises(CommandError) as error:
        call_command("audit", "export", "--out", str(out), "--actor", auditor.username, *arguments)
    assert (error.value.returncode, str(error.value)) == (2, message)
    assert list(tmp_path.iterdir()) == []
    assert list(new_access()) == []


def test_the_command_needs_an_actor_who_may_read_the_audit(
    tmp_path: Path, case_manager: User, new_access: Any
) -> None:
    out = str(tmp_path / "audit.csv")
    with pytest.raises(CommandError) as error:
        call_command("audit", "export", "--out", out)
    assert error.value.returncode == 2
    assert str(error.value).startswith("--actor: name the account the export is made by")
    with pytest.raises(CommandError) as error:
        call_command("audit", "export", "--out", out, "--actor", case_manager.username)
    assert (error.value.returncode, str(error.value)) == (
        2,
        "--actor: 'case_manager-user' may not read the audit trail",
    )
    assert list(tmp_path.iterdir()) == []
    assert list(new_access()) == []


def test_an_export_that_cannot_be_recorded_is_not_delivered(
    tmp_path: Path, auditor: User, access_store_down: None
) -> None:
    """CJIS AU-5: the file is moved into place only after its access row is written; an
    existing file of that name is left as it was."""
    out = tmp_path / "audit.csv"
    out.write_text("the previous export\n")
    with pytest.raises(Exception, match="access store unavailable"):
        call_command("audit", "export", "--out", str(out), "--actor", auditor.username)
    assert out.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.csv"]


def test_screen_cases_like_is_an_export_with_its_row_count(
    tmp_path: Path, new_access: Any, catalog: None, supervisor: User
) -> None:
    prepared_case()
    prepared_case("CRI-2025-500002")
    out = tmp_path / "screened.csv"
    call_command(
        "screen", "--cases-like", "*", "--policy", "back-on-track", "--out", str(out),
        "--actor", supervisor.username,
    )  # fmt: skip
    event = new_access().get()
    assert (event.actor, event.action, event.object_type, event.row_count, event.source) == (
        supervisor,
        "screen.exported",
        "cases.case",
        2,
        "cli",
    )
    assert event.details == {"cases_like": "*", "policy": "back-on-track", "out": str(out)}
