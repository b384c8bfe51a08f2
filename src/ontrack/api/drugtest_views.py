"""REST API v1: an enrollment's drug-test results (``drugtests.selectors.results_of``).

Sensitive (42 CFR Part 2; All Rise Standard VII): the token needs ``drugtests.view_result``
(403 before any lookup otherwise), and the selector writes the access row of the read.
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
from ontrack.drugtests.selectors import results_of
from ontrack.enrollments.selectors import get_enrollment


class ConfirmationSerializer(serializers.Serializer[Any]):
    requested_at = serializers.DateTimeField()
    lab = serializers.CharField()
    method = serializers.CharField()
    result = serializers.CharField(help_text='"" while the laboratory has not reported')
    reported_on = serializers.DateField(allow_null=True)


class DrugTestSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    occurred_on = serializers.DateField()
    result = serializers.CharField()
    substance = serializers.CharField()
    voided = serializers.SerializerMethodField()
    confirmation = ConfirmationSerializer(source="confirmation_found", allow_null=True)

    def get_voided(self, event: Any) -> bool:
        return event.voided_at is not None


class DrugTestsView(Endpoint):
    """Every drug-test event of the enrollment (voided ones too), newest first."""

    required_permissions = ("drugtests.view_result",)

    @extend_schema(
        operation_id="enrollments_drug_tests",
        responses={200: DrugTestSerializer(many=True), **problems(404)},
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        note_access(request._request, "api.enrollment.drug_tests", "enrollments.enrollment",
                    enrollment_id)  # fmt: skip
        enrollment = get_enrollment(actor=request.user, enrollment_id=enrollment_id)
        events = results_of(actor=request.user, enrollment_id=enrollment.pk)
        return Response(DrugTestSerializer(events, many=True).data)
