from collections.abc import Collection
from typing import Any

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "ontrack.referrals"
    label = "referrals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ontrack.audit import disclosure

        # Who referred whom, and what they said about it, is part of the case file (ADR 0033):
        # readable only by those who may read the case the referral opened.
        disclosure.register(
            "referrals.referral", fields=disclosure.ALL, readable=readable_referrals
        )


def readable_referrals(actor: Any, ids: Collection[str]) -> Collection[str]:
    from ontrack.audit.disclosure import int_ids
    from ontrack.referrals.selectors import visible_referrals

    found = visible_referrals(actor=actor).filter(pk__in=int_ids(ids))
    return [str(pk) for pk in found.values_list("pk", flat=True)]
