"""REST API v1: an enrollment's hearings (``hearings.services.schedule_hearing``,
``reschedule_hearing``, ``cancel_hearing``), the services the participant page calls.

PATCH names what it does: ``{"action": "reschedule", "starts_at", "reason", "version"}`` or
``{"action": "cancel", "reason", "version"}``; a stale ``version`` is a 409, nothing changed.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ontrack.api.schema import problems
from ontrack.api.views import Endpoint
from ontrack.audit.access import note_access
from ontrack.enrollments.selectors import get_enrollment
from ontrack.hearings import selectors, services
from ontrack.hearings.models import Hearing, HearingStatus


class HearingSerializer(serializers.ModelSerializer[Hearing]):
    version = serializers.IntegerField(source="row_version", read_only=True)
    enrollment = serializers.IntegerField(source="enrollment_id", read_only=True)
    hearing_status = serializers.ChoiceField(
        source="status", choices=HearingStatus.choices, read_only=True
    )

    class Meta:
        model = Hearing
        fields = ["id", "enrollment", "starts_at", "court", "department", "hearing_status",
                  "version"]  # fmt: skip


class NewHearingInput(serializers.Serializer[Any]):
    starts_at = serializers.DateTimeField()
    court = serializers.CharField(max_length=100, allow_blank=True)
    department = serializers.CharField(max_length=40, allow_blank=True, required=False, default="")


class HearingChangeInput(serializers.Serializer[Any]):
    action = serializers.ChoiceField(choices=["reschedule", "cancel"])
    starts_at = serializers.DateTimeField(required=False)
    reason = serializers.CharField(max_length=2000, allow_blank=True)
    version = serializers.IntegerField(min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["action"] == "reschedule" and "starts_at" not in attrs:
            raise serializers.ValidationError({"starts_at": "give the new date and time"})
        return attrs


class EnrollmentHearingsView(Endpoint):
    """An enrollment's hearings, earliest first; POST schedules one."""

    required_permissions = ("enrollments.view_enrollment",)

    @extend_schema(operation_id="enrollments_hearings", responses={
        200: HearingSerializer(many=True), **problems(404)})  # fmt: skip
    def get(self, request: Request, enrollment_id: int) -> Response:
        note_access(request._request, "api.enrollment.hearings", "enrollments.enrollment",
                    enrollment_id)  # fmt: skip
        get_enrollment(actor=request.user, enrollment_id=enrollment_id)  # 404 when hidden
        found = selectors.hearings_of(actor=request.user, enrollment_id=enrollment_id)
        return Response(HearingSerializer(found, many=True).data)

    @extend_schema(operation_id="enrollments_schedule_hearing", request=NewHearingInput,
                   responses={201: HearingSerializer, **problems(400, 404, 422)})  # fmt: skip
    def post(self, request: Request, enrollment_id: int) -> Response:
        note_access(request._request, "api.enrollment.schedule_hearing",
                    "enrollments.enrollment", enrollment_id)  # fmt: skip
        get_enrollment(actor=request.user, enrollment_id=enrollment_id)
        body = NewHearingInput(data=request.data)
        body.is_valid(raise_exception=True)
        hearing = services.schedule_hearing(
            actor=request.user, enrollment_id=enrollment_id, **body.validated_data
        )
        return Response(HearingSerializer(hearing).data, status=201)


class HearingView(Endpoint):
    """Move or cancel one hearing."""

    required_permissions = ("enrollments.view_enrollment",)

    @extend_schema(operation_id="hearings_change", request=HearingChangeInput,
                   responses={200: HearingSerializer, **problems(400, 404, 409, 422)})  # fmt: skip
    def patch(self, request: Request, hearing_id: int) -> Response:
        note_access(request._request, "api.hearing.change", "hearings.hearing", hearing_id)
        selectors.get_hearing(actor=request.user, hearing_id=hearing_id)  # 404 when hidden
        body = HearingChangeInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["action"] == "reschedule":
            hearing = services.reschedule_hearing(
                actor=request.user, hearing_id=hearing_id, starts_at=data["starts_at"],
                reason=data["reason"], expected_version=data["version"],
            )  # fmt: skip
        else:
            hearing = services.cancel_hearing(actor=request.user, hearing_id=hearing_id,
                                              reason=data["reason"],
                                              expected_version=data["version"])  # fmt: skip
        return Response(HearingSerializer(hearing).data)
