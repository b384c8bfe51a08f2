"""``ontrack staff``: staff accounts from the command line (CJIS AC-2, ADR 0036).

    ontrack staff add USERNAME --role ROLE [--email E] [--first-name F] [--last-name L]
                      [--program SLUG ...] --password-stdin
    ontrack staff disable|enable|unlock|reset-mfa USERNAME
    ontrack staff list
    ontrack staff token USERNAME --scope read|write [--days N]   # prints the token once
    ontrack staff revoke-token PREFIX
    ontrack staff disable-inactive          # daily, from a scheduler (CJIS AC-2(3))

Every change goes through the audited services as ``--actor`` (default: the system account,
which holds only the permissions these commands need). Refusals exit 2 and change nothing.
The password is read from standard input, never from the command line (which other users
of the machine can see in the process list).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from ontrack.accounts import services, staff, tokens
from ontrack.accounts.commands import BAD_INPUT, OnTrackCommand, actions
from ontrack.accounts.roles import ROLES
from ontrack.common.errors import NotFound
from ontrack.common.services import ensure_permission
from ontrack.programs.memberships import add_staff_member
from ontrack.programs.selectors import staff_directory

COLUMNS = ("username", "name", "role", "programs", "active", "last_sign_in", "locked", "mfa")


class Command(OnTrackCommand):
    help = "Add, disable, enable, unlock, reset the second factor of, and list staff accounts."
    stealth_options = ("stdin",)  # call_command(..., stdin=...) in tests

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        action = actions(parser)

        add = action("add", "create an account (prints its ten backup codes)")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=sorted(ROLES))
        add.add_argument("--email", default="")
        add.add_argument("--first-name", default="")
        add.add_argument("--last-name", default="")
        add.add_argument("--program", action="append", default=[], metavar="SLUG")
        add.add_argument(
            "--password-stdin",
            action="store_true",
            required=True,
            help="read the initial password from standard input (changed at the first sign-in)",
        )
        for name, text in (
            ("disable", "disable an account and end its sessions"),
            ("enable", "enable a disabled account (its old sessions stay ended)"),
            ("unlock", "lift a lockout after five failed sign-ins"),
            ("reset-mfa", "remove the authenticator and backup codes; enrol again at sign-in"),
        ):
            action(name, text).add_argument("username")
        action("list", "list staff accounts (tab-separated, with a header)")
        token = action("token", "issue an API token for an account (printed once, ADR 0053)")
        token.add_argument("username")
        token.add_argument("--scope", required=True, choices=tokens.SCOPES)
        token.add_argument(
            "--days",
            type=int,
            default=tokens.DEFAULT_DAYS,
            help=f"days until it expires, 1 to {tokens.MAX_DAYS} (default {tokens.DEFAULT_DAYS})",
        )
        revoke = action("revoke-token", "revoke an API token now, by its prefix")
        revoke.add_argument("prefix", help="the 8 characters after ot_ (shown on the staff page)")
        action("disable-inactive", "disable accounts unused for 90 days (run daily)")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.actor(options["actor"])
        name = options["action"]
        if name == "add":
            self._add(actor, options)
        elif name == "list":
            self._list(actor)
        elif name == "token":
            issued, raw = tokens.issue_token(
                actor=actor, username=options["username"], scope=options["scope"],
                days=options["days"],
            )  # fmt: skip
            self.stderr.write(
                f"{issued.user.username}: {issued.get_scope_display()} token {issued.prefix}, "
                f"expires {timezone.localtime(issued.expires_at).isoformat(timespec='minutes')}; "
                "it is shown only now:"
            )
            self.stdout.write(raw)
        elif name == "revoke-token":
            try:
                revoked = tokens.revoke_token(actor=actor, prefix=options["prefix"])
            except NotFound as exc:
                raise CommandError(
                    f"revoke-token: no token {options['prefix']!r}", returncode=BAD_INPUT
                ) from exc
            self.stdout.write(f"token {revoked.prefix} of {revoked.user.username}: revoked")
        elif name == "disable-inactive":
            disabled = staff.disable_inactive_accounts(actor=actor)
            self.stdout.write(f"disabled {len(disabled)} inactive account(s)")
            for username in disabled:
                self.stdout.write(f"  {username}")
        else:
            username = options["username"]
            if name == "disable":
                staff.disable_account(actor=actor, username=username)
                self.stdout.write(f"{username}: disabled; its sessions have ended")
            elif name == "enable":
                staff.enable_account(actor=actor, username=username)
                self.stdout.write(f"{username}: enabled")
            elif name == "unlock":
                cleared = services.unlock_account(actor=actor, username=username)
                self.stdout.write(
                    f"{username}: unlocked ({cleared} failed-attempt record(s) cleared)"
                )
            else:
                staff.reset_mfa(actor=actor, username=username)
                self.stdout.write(
                    f"{username}: second factor removed; an authenticator is enrolled at the "
                    "next sign-in"
                )

    def _add(self, actor: Any, options: dict[str, Any]) -> None:
        stdin = options.get("stdin") or sys.stdin
        password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError(
                "--password-stdin: no password on standard input", returncode=BAD_INPUT
            )
        user, codes = add_staff_member(
            actor=actor,
            username=options["username"],
            password=password,
            role=options["role"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
            programs=options["program"],
        )
        self.stdout.write(
            f"{user.username}: created as {ROLES[options['role']].group_name}; the password "
            "must be changed and an authenticator enrolled at the first sign-in"
        )
        self.stdout.write("backup codes (each signs in once; hand them to the account's owner):")
        for code in codes:
            self.stdout.write(f"  {code}")

    def _list(self, actor: Any) -> None:
        ensure_permission(actor, staff.MANAGE)  # refused, not an empty list, on the CLI
        self.stdout.write("\t".join(COLUMNS))
        for user in staff_directory(actor=actor):
            last = (
                timezone.localtime(user.last_login).isoformat(timespec="minutes")
                if user.last_login
                else "never"
            )
            row = (
                user.username,
                user.get_full_name() or "-",
                staff.role_of(user) or "-",
                ",".join(m.program.slug for m in user.program_memberships.all()) or "-",
                _yes(user.is_active),
                last,
                _yes(user.locked),  # type: ignore[attr-defined]  # annotated by the selector
                _yes(user.mfa_enrolled),  # type: ignore[attr-defined]
            )
            self.stdout.write("\t".join(row))


def _yes(value: bool) -> str:
    return "yes" if value else "no"
