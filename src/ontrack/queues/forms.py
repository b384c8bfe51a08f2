"""The "How many?" form: a policy, a status and a condition per fact, all in words."""

from __future__ import annotations

from typing import Any

from django import forms

from ontrack.cases.forms import AssignForm
from ontrack.eligibility.policy import PolicyError, case_policies, load_policy
from ontrack.queues.question import (
    ASKABLE,
    BASES,
    IS,
    IS_NOT,
    KNOWN,
    STATUSES,
    UNKNOWN,
    Condition,
    Question,
    values_of,
)

FACT_PREFIX = "fact_"


def policy_titles() -> dict[str, str]:
    """Policies offered for real cases, each by its title (the latest version's)."""
    titles = {}
    for slug in case_policies():
        try:
            titles[slug] = load_policy(slug)[-1].title
        except PolicyError:  # a broken file is reported on the policy pages
            continue
    return titles


def _fact_choices(values: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    choices = [("", "Any"), (UNKNOWN, "Not known"), (KNOWN, "Known")]
    choices += [(f"{IS}:{v}", label) for v, label in values]
    choices += [(f"{IS_NOT}:{v}", f"Known, not {label.lower()}") for v, label in values]
    return choices


class QuestionForm(forms.Form):
    policy = forms.ChoiceField(label="Policy", required=False)
    basis = forms.ChoiceField(
        label="Status from", choices=list(BASES.items()), required=False, initial="decision"
    )
    status = forms.ChoiceField(
        label="Screening status",
        choices=[("", "Any status"), *STATUSES.items()],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.titles = policy_titles()
        policy = self.fields["policy"]
        assert isinstance(policy, forms.ChoiceField)
        policy.choices = [("", "Choose a policy"), *self.titles.items()]
        for fact in ASKABLE:
            self.fields[FACT_PREFIX + fact.name] = forms.ChoiceField(
                label=fact.meaning, choices=_fact_choices(values_of(fact)), required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") and not data.get("policy"):
            self.add_error("policy", "a screening status is under a policy: choose one")
        return data

    def question(self) -> Question:
        """The question a valid form asks."""
        data = self.cleaned_data
        conditions = []
        for fact in ASKABLE:
            chosen = data.get(FACT_PREFIX + fact.name) or ""
            if chosen:
                test, _, value = chosen.partition(":")
                conditions.append(Condition(fact, test, value))
        return Question(
            policy=data.get("policy") or "",
            basis=data.get("basis") or "decision",
            status=data.get("status") or "",
            conditions=tuple(conditions),
        )

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[FACT_PREFIX + f.name] for f in ASKABLE]


def question_words(question: Question, titles: dict[str, str]) -> str:
    """The question in words: "Eligible (decision in force) under Back on Track, with …"."""
    parts = []
    if question.status:
        parts.append(
            f"{STATUSES[question.status]} ({BASES[question.basis]}) under "
            f"{titles.get(question.policy, question.policy)}"
        )
    else:
        parts.append("Every case")
    if question.conditions:
        parts.append("with " + "; ".join(c.words for c in question.conditions))
    return ", ".join(parts)


def question_from(params: Any) -> Question | None:
    """The question in request parameters, or None when they are not a valid one."""
    form = QuestionForm(params)
    return form.question() if form.is_valid() else None


class AssignSelectedForm(AssignForm):
    """The supervisor's "assign selected" form under a list: the cases ticked (each with the
    version the list showed), a program and a case manager (``AssignForm``'s choices)."""

    selected = forms.MultipleChoiceField(
        error_messages={"required": "tick at least one case to assign"}, label="Cases"
    )
    back = forms.SlugField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["expected_version"]  # one per case, in ``selected``
        self.fields["selected"].choices = [(v, v) for v in self.data.getlist("selected")]  # type: ignore[attr-defined]

    def clean_selected(self) -> dict[int, int]:
        versions = {}
        for value in self.cleaned_data["selected"]:
            case, _, version = value.partition(":")
            if not (case.isdigit() and version.isdigit()):
                raise forms.ValidationError("a case was sent in a form this page did not make")
            versions[int(case)] = int(version)
        return versions
