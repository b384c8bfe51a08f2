"""REST API v1: enrollments (issue 10) — the list and one enrollment (visible exactly when
its case is, ``enrollments.selectors``), its transitions, and a move along the lifecycle
(``enrollments.moves.perform_move``: the same step services and refusals as the Status
panel's forms)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ontrack.api.schema import paged, problems
from ontrack.api.views import Endpoint, PageQuery, _page, _page_of_list
from ontrack.audit.access import note_access
from ontrack.enrollments.lifecycle import State
from ontrack.enrollments.models import Enrollment, Transition
from ontrack.enrollments.moves import perform_move
from ontrack.enrollments.selectors import get_enrollment, visible_enrollments


class EnrollmentSerializer(serializers.ModelSerializer[Enrollment]):
    version = serializers.IntegerField(source="row_version", read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "case", "program", "state", "phase", "state_since", "version"]


class TransitionSerializer(serializers.ModelSerializer[Transition]):
    by = serializers.CharField(source="by.username", read_only=True)

    class Meta:
        model = Transition
        fields = [
            "id", "from_state", "to_state", "from_phase", "to_phase", "effective_on", "at",
            "by", "reason", "details",
        ]  # fmt: skip


class MoveInput(serializers.Serializer[Any]):
    """``to_state``, the day and the reason, and the step's own fields (see docs/enrollments.md)."""

    to_state = serializers.ChoiceField(choices=State.choices)
    on = serializers.DateField()
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    to_phase = serializers.IntegerField(min_value=1, required=False)
    court = serializers.CharField(max_length=200, allow_blank=True, required=False)
    judge = serializers.CharField(max_length=200, allow_blank=True, required=False)
    defense_attorney = serializers.CharField(max_length=200, allow_blank=True, required=False)
    interpreter = serializers.CharField(max_length=200, allow_blank=True, required=False)
    language = serializers.CharField(max_length=200, allow_blank=True, required=False)
    advisements = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True), required=False
    )
    reason_code = serializers.CharField(max_length=40, required=False)
    sentencing_date = serializers.DateField(required=False, allow_null=True)
    dismissal_court = serializers.CharField(max_length=200, allow_blank=True, required=False)
    dismissal_order_date = serializers.DateField(required=False)
    sealing_statute = serializers.CharField(max_length=40, required=False)


class EnrollmentsView(Endpoint):
    """The enrollments the token's user may see, newest change first."""

    required_permissions = ("enrollments.view_enrollment",)
    query_parameters = {"get": frozenset({"page", "per_page"})}

    @extend_schema(
        operation_id="enrollments_list",
        parameters=[PageQuery],
        responses={200: paged("EnrollmentPage", EnrollmentSerializer), **problems(400, 404)},
    )
    def get(self, request: Request) -> Response:
        note_access(request._request, "api.enrollments.listed", "enrollments.enrollment")
        rows = visible_enrollments(actor=request.user).order_by("-state_since", "-pk")
        return _page(request, self, rows, EnrollmentSerializer)


class EnrollmentView(Endpoint):
    required_permissions = ("enrollments.view_enrollment",)

    @extend_schema(
        operation_id="enrollments_read",
        responses={200: EnrollmentSerializer, **problems(404)},
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        note_access(request._request, "api.enrollment.read", "enrollments.enrollment",
                    enrollment_id)  # fmt: skip
        found = get_enrollment(actor=request.user, enrollment_id=enrollment_id)
        return Response(EnrollmentSerializer(found).data)


class TransitionsView(Endpoint):
    """The enrollment's moves, oldest first."""

    required_permissions = ("enrollments.view_enrollment",)
    query_parameters = {"get": frozenset({"page", "per_page"})}

    @extend_schema(
        operation_id="enrollments_transitions",
        parameters=[PageQuery],
        responses={200: paged("TransitionPage", TransitionSerializer), **problems(400, 404)},
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        note_access(request._request, "api.enrollment.transitions", "enrollments.enrollment",
                    enrollment_id)  # fmt: skip
        found = get_enrollment(actor=request.user, enrollment_id=enrollment_id)
        rows = list(found.transitions.select_related("by").order_by("at", "pk"))
        return _page_of_list(request, self, rows, TransitionSerializer)


class MovesView(Endpoint):
    """Move the enrollment: 201 with the transition, 422 with the refusals (nothing saved)."""

    required_permissions = ("enrollments.view_enrollment", "enrollments.move_enrollment")

    @extend_schema(
        operation_id="enrollments_move",
        request=MoveInput,
        responses={201: TransitionSerializer, **problems(400, 404, 409, 422)},
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        note_access(request._request, "api.enrollment.move", "enrollments.enrollment",
                    enrollment_id)  # fmt: skip
        found = get_enrollment(actor=request.user, enrollment_id=enrollment_id)
        body = MoveInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        made = perform_move(
            actor=request.user, enrollment_id=found.pk, to_state=data.pop("to_state"), data=data
        )
        moved = made if isinstance(made, Transition) else found.transitions.latest("at", "pk")
        return Response(TransitionSerializer(moved).data, status=201)
