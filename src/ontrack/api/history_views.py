"""REST API v1: a person's criminal history (``cases.history_services``, the services of the
history-check and prior-record forms) and possible duplicates (``search.selectors``).

History belongs to the person: every write names the PERSON's ``version`` (ADR 0047); a
stale one is a 409 with nothing changed. A write answers with the record and the person's
new version (``person_version``), to send with the next write.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from ontrack.api.schema import paged, problems
from ontrack.api.serializers import IsoDate, _blank_or, _text
from ontrack.api.views import Endpoint, PageQuery, _page_of_list
from ontrack.audit.access import note_access, note_row_count
from ontrack.cases import services
from ontrack.cases.history_services import MAX_COUNT
from ontrack.cases.models import PriorCountSummary, PriorRecord, PriorRecordType
from ontrack.cases.selectors import history_checks_of_person, priors_of_person
from ontrack.common.errors import ConcurrentEdit
from ontrack.common.models import Level
from ontrack.offenses.models import OffenseCategory
from ontrack.people.models import Person
from ontrack.people.selectors import get_person
from ontrack.search.selectors import PersonMatch, possible_duplicates, possible_matches


def _current(person: Person, version: int) -> None:
    # A service keeps the version when nothing changes; a stale write is still stale.
    if person.row_version != version:
        raise ConcurrentEdit(
            f"person {person.pk} was changed by someone else since version {version}; "
            "reload and apply your change again"
        )


def _version_now(person: Person) -> int:
    return Person.objects.values_list("row_version", flat=True).get(pk=person.pk)


def _count() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_COUNT, allow_null=True)


class HistoryCheckInput(serializers.Serializer[PriorCountSummary]):
    version = serializers.IntegerField(min_value=1, help_text="the person's version")
    source = serializers.CharField(max_length=100, help_text="which check, e.g. CA DOJ")  # type: ignore[assignment]  # a field named source
    as_of = IsoDate(allow_null=True)
    total = _count()
    juvenile_felonies = _count()
    juvenile_misdemeanors = _count()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("juvenile_felonies", "juvenile_misdemeanors"):
            self.fields[name].required = False
            self.fields[name].default = None


class HistoryCheckSerializer(serializers.ModelSerializer[PriorCountSummary]):
    class Meta:
        model = PriorCountSummary
        fields: tuple[str, ...] = (
            "id",
            "source",
            "as_of",
            "total",
            "juvenile_felonies",
            "juvenile_misdemeanors",
        )
        read_only_fields = fields


class HistoryCheckWritten(HistoryCheckSerializer):
    person_version = serializers.IntegerField(read_only=True)

    class Meta(HistoryCheckSerializer.Meta):
        fields = (*HistoryCheckSerializer.Meta.fields, "person_version")
        read_only_fields = fields


class PriorRecordSerializer(serializers.ModelSerializer[PriorRecord]):
    level = _blank_or(Level.choices, read_only=True)
    category = _blank_or(OffenseCategory.choices, read_only=True)

    class Meta:
        model = PriorRecord
        fields: tuple[str, ...] = (
            "id", "record_type", "event_date", "level", "statute_code", "description",
            "category", "jurisdiction", "source",
        )  # fmt: skip
        read_only_fields = fields


class PriorRecordWritten(PriorRecordSerializer):
    person_version = serializers.IntegerField(read_only=True)

    class Meta(PriorRecordSerializer.Meta):
        fields = (*PriorRecordSerializer.Meta.fields, "person_version")
        read_only_fields = fields


class PriorRecordInput(serializers.Serializer[PriorRecord]):
    version = serializers.IntegerField(min_value=1, help_text="the person's version")
    record_type = serializers.ChoiceField(choices=PriorRecordType.choices)
    event_date = IsoDate(allow_null=True)
    level = _blank_or(Level.choices, help_text="blank: not known")
    statute_code = _text(40)
    description = _text(300, required=False, default="")
    category = _blank_or(OffenseCategory.choices, required=False, default="")
    jurisdiction = serializers.CharField(max_length=50)
    source = serializers.CharField(max_length=100)  # type: ignore[assignment]  # a field named source


class MatchSerializer(serializers.Serializer[PersonMatch]):
    id = serializers.IntegerField(source="person.pk", read_only=True)
    given_name = serializers.CharField(source="person.given_name", read_only=True)
    family_name = serializers.CharField(source="person.family_name", read_only=True)
    date_of_birth = serializers.DateField(source="person.date_of_birth", read_only=True)
    score = serializers.FloatField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)


class MatchQuery(serializers.Serializer[Any]):
    given_name = serializers.CharField(max_length=100, allow_blank=True)
    family_name = serializers.CharField(max_length=100)
    date_of_birth = IsoDate(required=False, allow_null=True, default=None)


def _matches(request: Request, found: list[PersonMatch]) -> Response:
    note_row_count(request._request, len(found))
    data = MatchSerializer(found, many=True).data  # type: ignore[arg-type]  # many=True takes a list
    return Response({"count": len(found), "next": None, "previous": None, "results": data})


class HistoryChecksView(Endpoint):
    """The criminal-history checks on file for a person; recording one."""

    required_permissions = ("people.view_person",)
    query_parameters = {"get": frozenset({"page", "per_page"})}

    @extend_schema(
        operation_id="people_history_checks",
        parameters=[PageQuery],
        responses={200: paged("HistoryCheckPage", HistoryCheckSerializer), **problems(404)},
    )
    def get(self, request: Request, person_id: int) -> Response:
        note_access(request._request, "api.person.history_checks", "people.person", person_id)
        person = get_person(actor=request.user, person_id=person_id)
        rows = history_checks_of_person(actor=request.user, person=person)
        return _page_of_list(request, self, rows, HistoryCheckSerializer)

    @extend_schema(
        operation_id="people_record_history_check",
        request=HistoryCheckInput,
        responses={201: HistoryCheckWritten, **problems(404, 409, 422)},
        description="Record a criminal-history check: total 0 is a check that found nothing; "
        "null, a count not known. The same source again replaces its counts.",
    )
    def post(self, request: Request, person_id: int) -> Response:
        note_access(request._request, "api.person.history_check", "people.person", person_id)
        person = get_person(actor=request.user, person_id=person_id)
        body = HistoryCheckInput(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        version = fields.pop("version")
        with transaction.atomic():
            _current(person, version)
            check = services.record_history_check(
                actor=request.user, person=person, expected_version=version, **fields
            )
            check.person_version = _version_now(person)  # type: ignore[attr-defined]
        return Response(HistoryCheckWritten(check).data, status=201)


class PriorRecordsView(Endpoint):
    """A person's prior arrests and convictions; recording one."""

    required_permissions = ("people.view_person",)
    query_parameters = {"get": frozenset({"page", "per_page"})}

    @extend_schema(
        operation_id="people_prior_records",
        parameters=[PageQuery],
        responses={200: paged("PriorRecordPage", PriorRecordSerializer), **problems(404)},
    )
    def get(self, request: Request, person_id: int) -> Response:
        note_access(request._request, "api.person.prior_records", "people.person", person_id)
        person = get_person(actor=request.user, person_id=person_id)
        rows = priors_of_person(actor=request.user, person=person)
        return _page_of_list(request, self, rows, PriorRecordSerializer)

    @extend_schema(
        operation_id="people_record_prior_record",
        request=PriorRecordInput,
        responses={201: PriorRecordWritten, **problems(404, 409, 422)},
    )
    def post(self, request: Request, person_id: int) -> Response:
        note_access(request._request, "api.person.prior_record", "people.person", person_id)
        person = get_person(actor=request.user, person_id=person_id)
        body = PriorRecordInput(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        version = fields.pop("version")
        prior = services.record_prior_record(
            actor=request.user, person=person, expected_version=version, **fields
        )
        prior.person_version = _version_now(person)  # type: ignore[attr-defined]
        return Response(PriorRecordWritten(prior).data, status=201)


class PossibleDuplicatesView(Endpoint):
    """Other people who may be the same human (same birth date, a similar name)."""

    required_permissions = ("people.view_person",)

    @extend_schema(
        operation_id="people_possible_duplicates",
        responses={200: paged("DuplicatePage", MatchSerializer), **problems(404)},
    )
    def get(self, request: Request, person_id: int) -> Response:
        note_access(request._request, "api.person.duplicates", "people.person", person_id)
        person = get_person(actor=request.user, person_id=person_id)
        return _matches(request, possible_duplicates(actor=request.user, person=person))


class PossibleMatchesView(Endpoint):
    """Before creating a person (referral intake): people who may already be them."""

    required_permissions = ("people.view_person",)
    query_parameters = {"get": frozenset({"given_name", "family_name", "date_of_birth"})}

    @extend_schema(
        operation_id="people_possible_matches",
        parameters=[MatchQuery],
        responses={200: paged("MatchPage", MatchSerializer), **problems(400)},
    )
    def get(self, request: Request) -> Response:
        note_access(request._request, "api.people.matched", "people.person")  # CJIS AU-2
        query = MatchQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return _matches(request, possible_matches(actor=request.user, **query.validated_data))
