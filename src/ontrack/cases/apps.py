from collections.abc import Collection
from typing import Any

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ontrack.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The one visibility rule answers for people too (people is below cases: a registry).
        from ontrack.cases.visibility import person_condition
        from ontrack.people.selectors import register_visibility

        register_visibility(person_condition)

        from ontrack.audit import disclosure

        # A case's identifying and criminal-history values (ADR 0033); its status, court and
        # dates stay readable so an auditor without the case still sees what happened. The
        # eligibility app adds the sensitive facts recorded on a case.
        disclosure.register(
            "cases.case",
            fields=("docket_number", "source_key", "charges", "arrest"),
            readable=readable_cases,
        )
        # Charges, arrests and prior counts are criminal history through and through.
        disclosure.register("cases.charge", fields=disclosure.ALL, readable=readable_charges)
        disclosure.register("cases.arrest", fields=disclosure.ALL, readable=readable_arrests)
        disclosure.register(
            "cases.priorcountsummary", fields=disclosure.ALL, readable=readable_prior_counts
        )


def _ids(queryset: Any) -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)]


def readable_cases(actor: Any, ids: Collection[str]) -> Collection[str]:
    from ontrack.audit.disclosure import int_ids
    from ontrack.cases.selectors import visible_cases

    return _ids(visible_cases(actor=actor).filter(pk__in=int_ids(ids)))


def readable_charges(actor: Any, ids: Collection[str]) -> Collection[str]:
    from ontrack.audit.disclosure import int_ids
    from ontrack.cases.models import Charge
    from ontrack.cases.selectors import visible_cases

    return _ids(Charge.objects.filter(pk__in=int_ids(ids), case__in=visible_cases(actor=actor)))


def readable_arrests(actor: Any, ids: Collection[str]) -> Collection[str]:
    from ontrack.audit.disclosure import int_ids
    from ontrack.cases.models import Arrest
    from ontrack.people.selectors import visible_people

    people = visible_people(actor=actor)
    return _ids(Arrest.objects.filter(pk__in=int_ids(ids), person__in=people))


def readable_prior_counts(actor: Any, ids: Collection[str]) -> Collection[str]:
    from ontrack.audit.disclosure import int_ids
    from ontrack.cases.models import PriorCountSummary
    from ontrack.people.selectors import visible_people

    people = visible_people(actor=actor)
    return _ids(PriorCountSummary.objects.filter(pk__in=int_ids(ids), person__in=people))
