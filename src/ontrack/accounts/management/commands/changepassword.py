"""``changepassword``, refused outside development (CJIS IA-5, AC-2, ADR 0038).

Django's command sets a password with no audit row, no forced change and no end to the
account's sessions. In production an administrator resets a password on the staff page
(audited, and the account must change it at its next sign-in).
"""

from __future__ import annotations

from django.contrib.auth.management.commands import changepassword

from ontrack.accounts.commands import DevelopmentOnly


class Command(DevelopmentOnly, changepassword.Command):
    help = "Development only: " + changepassword.Command.help
    instead = "an administrator resets passwords on the staff page (/staff/), which is audited"
