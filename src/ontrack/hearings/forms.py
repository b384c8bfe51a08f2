"""The hearing forms (the page's half of the services' arguments)."""

from __future__ import annotations

from django import forms


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label="Date and time (YYYY-MM-DD HH:MM)")
    court = forms.CharField(max_length=100)
    department = forms.CharField(max_length=40, required=False)


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(label="New date and time (YYYY-MM-DD HH:MM)")
    reason = forms.CharField(max_length=2000)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=2000)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
