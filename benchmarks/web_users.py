"""The staff of the web load benchmark (``benchmarks/web.py``), made through the product's own
services inside a Django process of the scratch site, and what each simulated user will ask
for. Run by ``web.py`` as a child process with the site's ``ONTRACK_*`` environment:

    python benchmarks/web_users.py --users 20 --out PLAN.json [--seed 1]

Every account is a real staff account with a real, confirmed TOTP authenticator
(``accounts.mfa.issue_devices``): the load script signs in through the sign-in pages with the
password and a code computed from the device's key, as an authenticator app would. Nothing
here is a back door: it is what ``ontrack create_demo_users`` and ``ontrack demo_caseload``
do, for more accounts. Accounts that exist (a ``--reuse`` run) get a new password and new
devices, so their codes have not been used.

User ``i`` is a supervisor when ``i % 5 == 0`` (one in five, and the first), else a case
manager, member of the benchmark's program, with ``--assigned`` cases assigned and the
program's intake (``--intake`` unassigned cases) visible too (``cases/visibility.py``).
Two more accounts, one per role, sign in only to probe which endpoints this build has.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import sys
from pathlib import Path
from typing import Any

import django

PROGRAM = "bench-web"
ADMINISTRATOR = "bench-administrator"
ROLES = ("supervisor", "case_manager")


def role_of(index: int) -> str:
    return "supervisor" if index % 5 == 0 else "case_manager"


def typo(word: str, rng: random.Random) -> str:
    """Two neighbouring letters swapped inside the word (``garcia`` → ``gracia``): the
    commonest typing slip; words of three letters or fewer are left as they are."""
    if len(word) <= 3:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def terms_for(cases: list[Any], rng: random.Random) -> list[str]:
    """What a user types to find these cases: names (in both orders, one with a typo), birth
    dates (ISO and US forms) and dockets (as printed and without punctuation)."""
    terms: list[str] = []
    for case in cases:
        person = case.defendant
        if person.family_name and person.given_name:
            terms.append(f"{person.family_name}, {person.given_name}")
            terms.append(f"{person.given_name} {typo(person.family_name, rng)}".lower())
        if person.date_of_birth is not None:
            born = person.date_of_birth
            terms.append(born.isoformat())
            terms.append(f"{born.month}/{born.day}/{born.year}")
        if case.docket_number:
            terms.append(case.docket_number)
            terms.append(re.sub(r"[^0-9A-Za-z]", "", case.docket_number))
    return terms


def api_token(username: str) -> tuple[str | None, str]:
    """A read token from ``ontrack staff token`` (the API work of issue 9), or None and why."""
    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("staff", "token", username, "--scope", "read", "--days", "1", stdout=out)
    except BaseException as refused:  # any refusal: no token in this build
        why = str(refused).strip()[:200] or type(refused).__name__
        return None, f"ontrack staff token: {why}"
    # The token is printed once; take the longest URL-safe word of the output.
    words = re.findall(r"[A-Za-z0-9_\-.]{20,}", out.getvalue())
    if not words:
        return None, "ontrack staff token printed no token"
    return max(words, key=len), ""


def account(actor: Any, username: str, role: str) -> tuple[Any, str, str]:
    """The account (created or refreshed), its new password and its TOTP key (hex)."""
    from ontrack.accounts.management.commands.create_demo_users import _fresh_password
    from ontrack.accounts.mfa import issue_devices
    from ontrack.accounts.models import User
    from ontrack.accounts.services import create_staff_user, reset_password

    user = User.objects.filter(username=username).first()
    password = _fresh_password(user or User(username=username, first_name="Bench"))
    if user is None:
        user = create_staff_user(
            actor=actor,
            username=username,
            password=password,
            role=role,
            first_name="Bench",
            last_name=role.replace("_", " "),
        )
    else:
        reset_password(actor=actor, username=username, new_password=password, force_change=False)
    device, _codes = issue_devices(actor=actor, user=user)
    return user, password, device.key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--assigned", type=int, default=40, help="cases per case manager")
    parser.add_argument("--intake", type=int, default=20, help="unassigned cases in the program")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ontrack.settings")
    django.setup()

    from django.db.models import Q

    from ontrack.accounts.services import system_actor
    from ontrack.cases.models import Case, Restriction
    from ontrack.cases.services import assign_case
    from ontrack.programs.memberships import set_programs
    from ontrack.programs.models import Program
    from ontrack.programs.services import create_program

    rng = random.Random(args.seed)  # noqa: S311 - a reproducible draw, not a secret
    system = system_actor()
    administrator, _, _ = account(system, ADMINISTRATOR, "administrator")
    program = Program.objects.filter(slug=PROGRAM).first() or create_program(
        actor=administrator, slug=PROGRAM, name="Web benchmark program"
    )
    wanted = [
        (f"bench-{i:02d}-{role_of(i).replace('_', '-')}", role_of(i)) for i in range(args.users)
    ]
    probes = [(f"bench-probe-{role.replace('_', '-')}", role) for role in ROLES]
    accounts = {name: (role, *account(system, name, role)) for name, role in wanted + probes}
    supervisor = next(user for role, user, _, _ in accounts.values() if role == "supervisor")
    managers = [user for role, user, _, _ in accounts.values() if role == "case_manager"]
    for user in managers:
        if not user.program_memberships.filter(program=program).exists():
            set_programs(actor=administrator, username=user.username, programs=[PROGRAM])

    free = Case.objects.filter(program__isnull=True, restriction=Restriction.NONE).order_by("pk")
    for user in managers:
        have = Case.objects.filter(program=program, case_manager=user).count()
        for case in free[: max(args.assigned - have, 0)]:
            assign_case(actor=supervisor, case=case, expected_version=case.row_version,
                        program=program, case_manager=user)  # fmt: skip
    intake = Case.objects.filter(program=program, case_manager__isnull=True).count()
    for case in free[: max(args.intake - intake, 0)]:
        assign_case(actor=supervisor, case=case, expected_version=case.row_version,
                    program=program, case_manager=None)  # fmt: skip

    cases = Case.objects.select_related("defendant").filter(restriction=Restriction.NONE)
    everyone = list(cases.order_by("?")[:200])
    token_problem = ""
    plan: dict[str, Any] = {"users": [], "probes": []}
    for name, (role, user, password, key) in accounts.items():
        if role == "supervisor":
            mine = everyone
        else:
            mine = list(
                cases.filter(Q(case_manager=user) | Q(case_manager__isnull=True), program=program)
            )
        token, problem = api_token(name)
        token_problem = token_problem or problem
        entry = {
            "username": name,
            "role": role,
            "password": password,
            "key": key,
            "cases": [c.pk for c in mine],
            "terms": terms_for(rng.sample(mine, min(len(mine), 60)), rng),
            "token": token,
        }
        plan["probes" if name.startswith("bench-probe-") else "users"].append(entry)
    plan["token_problem"] = token_problem
    args.out.write_text(json.dumps(plan), encoding="utf-8")
    print(f"{len(plan['users'])} users and {len(plan['probes'])} probes ready", file=sys.stderr)


if __name__ == "__main__":
    main()
