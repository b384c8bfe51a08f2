from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EligibilityConfig(AppConfig):
    name = "ontrack.eligibility"
    label = "eligibility"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The services (and the engine, the catalog, the derivations they import) load when
        # a migrate has run, not in every process: `ontrack screen --help` needs none of it.
        post_migrate.connect(
            _sync_policies_after_migrate, sender=self, dispatch_uid="ontrack.sync_policies"
        )
        from ontrack.audit import disclosure

        # Facts recorded on a case (``case.fact_recorded`` changes name the fact) that the
        # vocabulary marks sensitive, the document they were verified from, and an override's
        # free-text reason; loaded on first use, not at set-up (ADR 0021, ADR 0033).
        disclosure.register("cases.case", fields=_sensitive_case_keys)
        from ontrack.common.words import register_value_words

        # The audit trail names a screening's policy by slug; pages say its name.
        register_value_words("policy", _policy_name)


def _sync_policies_after_migrate(**kwargs: object) -> None:
    from ontrack.eligibility.services import sync_policies_after_migrate

    sync_policies_after_migrate(**kwargs)


def _sensitive_case_keys() -> tuple[str, ...]:
    from ontrack.eligibility.vocabulary import SENSITIVE

    return (*SENSITIVE, "document", "reason")


def _policy_name(slug: str) -> str:
    from ontrack.eligibility.policy import policy_name

    return policy_name(slug)
