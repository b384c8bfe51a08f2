"""The supervisor's assignment form on the case page (``services.assign_case`` decides)."""

from __future__ import annotations

from typing import Any

from django import forms

from ontrack.cases.selectors import AssignmentChoices


class AssignForm(forms.Form):
    program = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    case_manager = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    expected_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: AssignmentChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.fields["program"].choices = [  # type: ignore[attr-defined]
            ("", "Not in a program"),
            *[(p.pk, p.name) for p in choices.programs],
        ]
        self.fields["case_manager"].choices = [  # type: ignore[attr-defined]
            ("", "Unassigned (the program's intake)"),
            *sorted({(m.user_id, m.user.get_username()) for m in choices.members}),
        ]

    def program_object(self) -> Any:
        wanted = self.cleaned_data.get("program")
        return next((p for p in self.choices.programs if p.pk == wanted), None)

    def case_manager_object(self) -> Any:
        wanted = self.cleaned_data.get("case_manager")
        return next((m.user for m in self.choices.members if m.user_id == wanted), None)
