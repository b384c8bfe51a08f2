"""Roles as data: each role is a Django group holding exactly these permissions.

Least privilege: an administrator manages accounts but does not read case files; an analyst
sees the offense catalog (and, later, de-identified statistics) but no names; an auditor
reads everything and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    slug: str
    group_name: str
    description: str
    permissions: frozenset[str]


_BASE = frozenset({"accounts.access_ontrack", "offenses.view_statute"})
_READ_CASELOAD = frozenset({"people.view_person", "cases.view_case", "enrollments.view_enrollment"})
# Running participants day to day (issue 10): moves along the lifecycle, events.
_RUN_PROGRAM = frozenset({"enrollments.move_enrollment", "plans.record_event"})
# plans (issue 10): adjusting one participant's plan; publishing the program's template.
_ADJUST_PLAN = frozenset({"plans.adjust_requirement"})
_MANAGE_PLAN_TEMPLATE = frozenset({"plans.manage_template"})
_RUN_PROGRAM = _RUN_PROGRAM | {"hearings.schedule_hearing"}  # hearings: the court calendar
# notes: notes and documents on an enrollment; a supervisor also edits others' notes.
_NOTES = frozenset({"notes.add_note", "notes.add_document"})
# drugtests + responses (issue 10): results are sensitive (view_result: not analysts).
_RUN_PROGRAM |= {"drugtests.view_result", "drugtests.record_result", "responses.record_response"}
# CJIS AC-3/AC-6 (cases/visibility.py): every program's cases, sealed ones with a stated purpose.
_SEE_EVERY_PROGRAM = frozenset({"cases.view_all_cases", "cases.view_restricted"})
_WRITE_CASELOAD = frozenset(
    {"people.add_person", "people.change_person", "cases.add_case", "cases.change_case"}
)

ROLES: dict[str, Role] = {
    role.slug: role
    for role in (
        Role(
            "case_manager",
            "Case manager",
            "Runs participants' cases day to day.",
            _BASE | _READ_CASELOAD | _WRITE_CASELOAD | _RUN_PROGRAM | _ADJUST_PLAN | _NOTES,
        ),
        Role(
            "supervisor",
            "Supervisor (prosecutor)",
            "Supervising prosecutor: everything a case manager does, plus decisions and imports.",
            _BASE
            | _READ_CASELOAD
            | _WRITE_CASELOAD
            | _RUN_PROGRAM
            | _ADJUST_PLAN  # plans
            | _SEE_EVERY_PROGRAM
            | {"ingest.run_import", "ingest.view_importbatch", "eligibility.override_screening"}
            | {"cases.assign_case", "cases.restrict_case"}
            # enrollments (issue 10): ordering or denying the sealing of an arrest.
            | {"enrollments.decide_sealing"}
            | _NOTES
            | {"notes.change_note"},
        ),
        Role(
            "analyst",
            "Analyst",
            "Program analyst: catalog and de-identified counts (small cells blank), no names.",
            _BASE | {"queues.view_deidentified_counts"},
        ),
        Role(
            "auditor",
            "Auditor",
            "Reads every record and the audit trail; changes nothing.",
            _BASE
            | _READ_CASELOAD
            | _SEE_EVERY_PROGRAM
            | {"audit.view_auditevent", "ingest.view_importbatch"},
        ),
        Role(
            "administrator",
            "Administrator",
            "Manages staff accounts and roles; reads the audit trail, not case files.",
            _BASE
            | {"accounts.manage_staff", "audit.view_auditevent"}
            | _MANAGE_PLAN_TEMPLATE,  # plans
        ),
    )
}

# CJIS AC-6: the account ``ontrack`` commands act as by default. Not a superuser and not in
# ROLES (nobody can be given it): exactly what today's commands' services check — staff
# commands and demo accounts, imports, synthetic loads, screening from the command line.
SYSTEM_ROLE = Role(
    "system",
    "OnTrack system",
    "The command line's default actor; cannot sign in, reads no case file.",
    frozenset(
        {
            "accounts.manage_staff",
            "ingest.run_import",
            "people.add_person",
            "cases.add_case",
            "cases.change_case",
            "hearings.send_reminders",  # hearings: the worker sends due reminders
        }
    ),
)
