"""REST API v1: screenings, recorded facts and supervisors' overrides of one case.

The same services as the screening pages (``eligibility.services``); the decision in force
is ``eligibility.decision`` read through ``decision_of``. Overriding needs
``eligibility.override_screening`` (a case manager's token gets 403 before any lookup, as
the override page does).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from ontrack.api import serializers as s
from ontrack.api.schema import problems
from ontrack.api.views import Endpoint
from ontrack.audit.access import note_access
from ontrack.cases.selectors import get_case
from ontrack.common.errors import NotFound, ValidationFailed
from ontrack.eligibility import services
from ontrack.eligibility.decision import Decision
from ontrack.eligibility.models import Screening
from ontrack.eligibility.policy import policy_slugs
from ontrack.eligibility.selectors import decision_of


def _decision(actor: Any, case: Any) -> Decision:
    decision = decision_of(actor=actor, case=case)
    if decision is None:
        raise ValidationFailed({"case": "the case has never been screened"})
    return decision


class ScreeningsView(Endpoint):
    """Screen the case under a policy (``eligibility.services.screen_case``)."""

    required_permissions = ("cases.view_case",)

    @extend_schema(
        operation_id="cases_screen",
        request=s.ScreeningInput,
        responses={201: s.ScreeningSerializer, **problems(400, 404, 422)},
    )
    def post(self, request: Request, case_id: int) -> Response:
        note_access(request._request, "api.case.screen", "cases.case", case_id)  # CJIS AU-2
        case = get_case(actor=request.user, case_id=case_id)
        body = s.ScreeningInput(data=request.data)
        body.is_valid(raise_exception=True)
        policy = body.validated_data["policy"]
        if policy not in policy_slugs():
            raise ValidationFailed({"policy": f"no policy {policy!r}"})
        made = services.screen_case(
            actor=request.user, case=case, policy=policy, as_of=body.validated_data["as_of"]
        )
        screening = Screening.objects.select_related("policy_version").get(pk=made.pk)
        context = {"decision": decision_of(actor=request.user, case=case)}
        return Response(s.ScreeningSerializer(screening, context=context).data, status=201)


class FactsView(Endpoint):
    """Record a fact about the case with its evidence (``record_case_fact``)."""

    required_permissions = ("cases.view_case",)

    @extend_schema(
        operation_id="cases_record_fact",
        request=s.FactInput,
        responses={201: s.FactSerializer, **problems(400, 404, 422)},
    )
    def post(self, request: Request, case_id: int) -> Response:
        note_access(request._request, "api.case.record_fact", "cases.case", case_id)  # AU-2
        case = get_case(actor=request.user, case_id=case_id)
        body = s.FactInput(data=request.data)
        body.is_valid(raise_exception=True)
        fact = services.record_case_fact(actor=request.user, case=case, **body.validated_data)
        return Response(s.FactSerializer(fact).data, status=201)


class OverrideView(Endpoint):
    """A supervisor's override of the current screening, and its withdrawal."""

    required_permissions = ("cases.view_case", "eligibility.override_screening")

    @extend_schema(
        operation_id="cases_override",
        request=s.OverrideInput,
        responses={201: s.OverrideSerializer, **problems(400, 404, 422)},
    )
    def post(self, request: Request, case_id: int) -> Response:
        note_access(request._request, "api.case.override", "cases.case", case_id)  # AU-2
        case = get_case(actor=request.user, case_id=case_id)
        body = s.OverrideInput(data=request.data)
        body.is_valid(raise_exception=True)
        current = _decision(request.user, case).current
        override = services.override_screening(
            actor=request.user, screening=current, **body.validated_data
        )
        context = {"decision": decision_of(actor=request.user, case=case)}
        return Response(s.OverrideSerializer(override, context=context).data, status=201)

    @extend_schema(
        operation_id="cases_withdraw_override",
        request=s.WithdrawalInput,
        responses={200: s.OverrideSerializer, **problems(400, 404, 409, 422)},
        description="Withdraw the override in force (404 when there is none).",
    )
    def delete(self, request: Request, case_id: int) -> Response:
        note_access(request._request, "api.case.withdraw_override", "cases.case", case_id)
        case = get_case(actor=request.user, case_id=case_id)
        body = s.WithdrawalInput(data=request.data)
        body.is_valid(raise_exception=True)
        in_force = _decision(request.user, case).override
        if in_force is None:
            raise NotFound
        withdrawn = services.withdraw_override(
            actor=request.user,
            override=in_force,
            expected_version=body.validated_data["version"],
            reason=body.validated_data["reason"],
        )
        context = {"decision": decision_of(actor=request.user, case=case)}
        return Response(s.OverrideSerializer(withdrawn, context=context).data)
