"""REST API v1: an enrollment's response decisions, and recording one for an event (the
same rule as the participant page's form: ``responses.views.decide``)."""

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
from ontrack.responses.selectors import event_awaiting, responses_of
from ontrack.responses.views import decide


class ResponseDecisionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    event = serializers.IntegerField(source="event_id")
    code = serializers.CharField(help_text='"" for a decision not to respond')
    kind = serializers.CharField()
    chosen_from_suggestions = serializers.BooleanField(allow_null=True)
    note = serializers.CharField()
    no_response_reason = serializers.CharField()
    on = serializers.DateField()


class DecisionInput(serializers.Serializer[Any]):
    response_code = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    no_response_reason = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.CharField(help_text="YYYY-MM-DD")


class ResponsesView(Endpoint):
    """The enrollment's decisions, newest first."""

    required_permissions = ("enrollments.view_enrollment",)

    @extend_schema(
        operation_id="enrollments_responses",
        responses={200: ResponseDecisionSerializer(many=True), **problems(404)},
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        note_access(request._request, "api.enrollment.responses", "enrollments.enrollment",
                    enrollment_id)  # fmt: skip
        enrollment = get_enrollment(actor=request.user, enrollment_id=enrollment_id)
        found = responses_of(actor=request.user, enrollment_id=enrollment.pk)
        return Response(ResponseDecisionSerializer(found, many=True).data)


class EventResponseView(Endpoint):
    """Record the decision on an event: a response (``response_code``) or why there is none
    (``no_response_reason``)."""

    required_permissions = ("responses.record_response",)

    @extend_schema(
        operation_id="events_record_response",
        request=DecisionInput,
        responses={201: ResponseDecisionSerializer, **problems(404, 422)},
    )
    def post(self, request: Request, event_id: int) -> Response:
        note_access(request._request, "api.event.response", "plans.event", event_id)
        event_awaiting(actor=request.user, event_id=event_id)  # 404 before reading the body
        body = DecisionInput(data=request.data)
        body.is_valid(raise_exception=True)
        decision = decide(actor=request.user, event_id=event_id, data=body.validated_data)
        return Response(ResponseDecisionSerializer(decision).data, status=201)
