"""REST API v1: a participant's plan (requirements with compliance derived from events),
adjusting one requirement with a reason, and the enrollment's events.

The same selectors and services as the pages (``plans.selectors``, ``plans.services``,
``plans.plan_services``). A drug test's result and substance are not listed here: they are
read through their own access rule (the timeline marks them sensitive too).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ontrack.api.schema import problems
from ontrack.api.serializers import IsoDate
from ontrack.api.views import Endpoint
from ontrack.audit.access import note_access
from ontrack.common.site import office_today
from ontrack.enrollments.selectors import get_enrollment
from ontrack.plans import selectors
from ontrack.plans.models import EventKind, TestResult
from ontrack.plans.plan_services import adjust_requirement
from ontrack.plans.services import record_participant_event


class ComplianceOut(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=["on_track", "behind", "violated", "unknown"])
    reason = serializers.CharField()
    done = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    complete = serializers.BooleanField(allow_null=True)
    window_from = serializers.DateField()
    window_to = serializers.DateField()
    last_on = serializers.DateField(allow_null=True)


class RequirementOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    parameters = serializers.DictField()
    version = serializers.IntegerField()
    template_version = serializers.IntegerField(allow_null=True)
    starts_on = serializers.DateField(allow_null=True)
    compliance = ComplianceOut()


class LeftOut(serializers.Serializer[Any]):
    service_hours_left = serializers.FloatField(allow_null=True)
    classes_left = serializers.ListField(child=serializers.DictField())
    phase = serializers.IntegerField(allow_null=True)
    phases = serializers.FloatField(allow_null=True)
    hearings = serializers.CharField(allow_null=True)
    verified_on = serializers.DateField(allow_null=True)
    not_met = serializers.ListField(child=serializers.CharField())
    has_plan = serializers.BooleanField()


class PlanOut(serializers.Serializer[Any]):
    enrollment = serializers.IntegerField()
    as_of = serializers.DateField()
    requirements = RequirementOut(many=True)
    left_before_graduation = LeftOut()


class AdjustInput(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1, help_text="the requirement's version")
    parameters = serializers.DictField()
    reason = serializers.CharField(max_length=2000, allow_blank=True)
    label = serializers.CharField(max_length=200, required=False)  # type: ignore[assignment]


class EventOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    occurred_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    verified_by = serializers.CharField()
    hearing = serializers.IntegerField(allow_null=True, source="hearing_id")
    details = serializers.DictField()
    note = serializers.CharField()
    voided = serializers.SerializerMethodField()

    def get_voided(self, event: Any) -> bool:
        return bool(event.voided_at is not None)


class EventInput(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    occurred_on = IsoDate()
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    result = serializers.ChoiceField(choices=TestResult.choices, required=False)
    substance = serializers.CharField(max_length=100, required=False)
    hearing = serializers.IntegerField(required=False, help_text="the hearing's id")
    class_name = serializers.CharField(max_length=40, required=False)
    amount = serializers.DecimalField(max_digits=9, decimal_places=2, required=False)
    verified_by = serializers.CharField(max_length=200, required=False)
    verification = serializers.CharField(max_length=200, required=False)
    note = serializers.CharField(max_length=4000, required=False)


def _plan(actor: Any, enrollment_id: int) -> dict[str, Any]:
    today = office_today()
    plan = selectors.plan_of(actor=actor, enrollment_id=enrollment_id, today=today)
    return {
        "enrollment": enrollment_id,
        "as_of": today,
        "requirements": [
            {
                "id": r.pk,
                "kind": r.kind,
                "label": r.label,
                "parameters": r.parameters,
                "version": r.row_version,
                "template_version": r.template_version,
                "starts_on": r.starts_on,
                "compliance": item["compliance"],
            }
            for item in plan["requirements"]
            for r in [item["requirement"]]
        ],
        "left_before_graduation": plan["left"],
    }


class PlanView(Endpoint):
    """The enrollment's plan, with each requirement's compliance (derived from its events on
    every read) and what is left before graduation."""

    required_permissions = ("enrollments.view_enrollment",)

    @extend_schema(operation_id="enrollments_plan", responses={200: PlanOut, **problems(404)})
    def get(self, request: Request, enrollment_id: int) -> Response:
        note_access(
            request._request, "api.enrollment.plan", "enrollments.enrollment", enrollment_id
        )
        return Response(PlanOut(_plan(request.user, enrollment_id)).data)


class RequirementView(Endpoint):
    """Adjust one participant's requirement, with a reason (the history keeps before and
    after). ``version`` is the requirement's; a stale one is a 409."""

    required_permissions = ("plans.adjust_requirement",)

    @extend_schema(
        operation_id="requirements_adjust",
        request=AdjustInput,
        responses={200: PlanOut, **problems(400, 404, 409, 422)},
    )
    def patch(self, request: Request, requirement_id: int) -> Response:
        note_access(request._request, "api.requirement.adjust", "plans.requirement", requirement_id)
        body = AdjustInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        requirement = adjust_requirement(
            actor=request.user,
            requirement_id=requirement_id,
            parameters=data["parameters"],
            reason=data["reason"],
            expected_version=data["version"],
            label=data.get("label"),
        )
        return Response(PlanOut(_plan(request.user, requirement.enrollment_id)).data)


class EventsView(Endpoint):
    """The enrollment's events (voided ones included, marked) and recording a new one."""

    required_permissions = ("enrollments.view_enrollment",)

    @extend_schema(
        operation_id="enrollments_events", responses={200: EventOut(many=True), **problems(404)}
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        note_access(
            request._request, "api.enrollment.events", "enrollments.enrollment", enrollment_id
        )
        get_enrollment(actor=request.user, enrollment_id=enrollment_id)  # 404 when not visible
        events = selectors.events_of(actor=request.user, enrollment_id=enrollment_id)
        return Response(EventOut(events, many=True).data)

    @extend_schema(
        operation_id="enrollments_record_event",
        request=EventInput,
        responses={201: EventOut, **problems(400, 403, 404, 422)},
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        note_access(
            request._request, "api.enrollment.record_event", "enrollments.enrollment", enrollment_id
        )
        body = EventInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        details = {k: str(data.pop(k)) for k in ("class_name", "amount") if k in data}
        event = record_participant_event(
            actor=request.user,
            enrollment_id=enrollment_id,
            kind=data.pop("kind"),
            occurred_on=data.pop("occurred_on"),
            hearing_id=data.pop("hearing", None),
            details=details,
            **data,
        )
        return Response(EventOut(event).data, status=201)
