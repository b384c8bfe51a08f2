"""REST API v1: a case's charges (``cases.services.add_charge``, ``update_charge``,
``remove_charge``), the services the case's edit pages call.

A charge is named by its id (``charges[].id`` in the case), not its count number: the count
number is how the court file names a count, and it never moves when another count is removed,
but an id cannot be mistaken for a count of another version of the charging document.
Charges belong to the case: every write names the CASE's ``version`` (ADR 0047), a stale one
is a 409 with nothing changed, and the answer is the case with its charges and new version.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from ontrack.api import serializers as s
from ontrack.api.schema import problems
from ontrack.api.views import Endpoint, _cases
from ontrack.audit.access import note_access
from ontrack.cases import services
from ontrack.cases.models import Case
from ontrack.cases.selectors import get_case
from ontrack.cases.services import NewCharge
from ontrack.common.errors import ConcurrentEdit


def _current(case: Case, version: int) -> None:
    # update_charge keeps the version when nothing changes; a stale PATCH is still stale.
    if case.row_version != version:
        raise ConcurrentEdit(
            f"case {case.pk} was changed by someone else since version {version}; "
            "reload and apply your change again"
        )


def _answer(actor: Any, case_id: int, status: int = 200) -> Response:
    return Response(s.CaseSerializer(_cases(actor).get(pk=case_id)).data, status=status)


class ChargesView(Endpoint):
    """Add a count to the case."""

    required_permissions = ("cases.view_case",)

    @extend_schema(
        operation_id="cases_add_charge",
        request=s.NewChargeInput,
        responses={201: s.CaseSerializer, **problems(400, 404, 409, 422)},
    )
    def post(self, request: Request, case_id: int) -> Response:
        note_access(request._request, "api.case.add_charge", "cases.case", case_id)  # AU-2
        case = get_case(actor=request.user, case_id=case_id)
        body = s.NewChargeInput(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        version = fields.pop("version")
        services.add_charge(
            actor=request.user, case=case, expected_version=version, charge=NewCharge(**fields)
        )
        return _answer(request.user, case_id, 201)


class ChargeView(Endpoint):
    """Change or remove one count of the case."""

    required_permissions = ("cases.view_case",)

    @extend_schema(
        operation_id="cases_update_charge",
        request=s.ChargeChange,
        responses={200: s.CaseSerializer, **problems(400, 404, 409, 422)},
    )
    def patch(self, request: Request, case_id: int, charge_id: int) -> Response:
        note_access(request._request, "api.case.update_charge", "cases.case", case_id)  # AU-2
        case = get_case(actor=request.user, case_id=case_id)
        body = s.ChargeChange(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        with transaction.atomic():
            _current(case, version)
            services.update_charge(
                actor=request.user,
                case=case,
                charge_id=charge_id,
                expected_version=version,
                **changes,
            )
        return _answer(request.user, case_id)

    @extend_schema(
        operation_id="cases_remove_charge",
        request=s.VersionInput,
        responses={200: s.CaseSerializer, **problems(400, 404, 409, 422)},
        description="Remove a count entered in error; the other counts keep their numbers.",
    )
    def delete(self, request: Request, case_id: int, charge_id: int) -> Response:
        note_access(request._request, "api.case.remove_charge", "cases.case", case_id)  # AU-2
        case = get_case(actor=request.user, case_id=case_id)
        body = s.VersionInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.remove_charge(
            actor=request.user,
            case=case,
            charge_id=charge_id,
            expected_version=body.validated_data["version"],
        )
        return _answer(request.user, case_id)
