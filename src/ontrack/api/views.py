"""REST API v1: search, people and cases (issue 9 item 6; docs/api.md).

Thin, like the pages: each handler notes the access first (CJIS AU-2, ``audit/access.py``),
then calls the selectors and services the pages call; visibility, permissions and audit are
theirs. Errors become problem documents in ``errors.py``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ontrack.api import serializers as s
from ontrack.api.pagination import Pages
from ontrack.api.schema import paged, problems
from ontrack.audit.access import note_access, note_row_count
from ontrack.cases import services as case_services
from ontrack.cases.models import Case, Charge
from ontrack.cases.selectors import get_case_file, visible_cases
from ontrack.cases.services import NewArrest, NewCharge
from ontrack.common.errors import ConcurrentEdit, NotFound, ValidationFailed
from ontrack.people import services as people_services
from ontrack.people.models import Person, PersonAlias
from ontrack.people.selectors import get_person, visible_people
from ontrack.people.services import NewIdentifier
from ontrack.search.selectors import search


class Endpoint(APIView):
    """Every API view: bearer token only (settings ``REST_FRAMEWORK``), and the Django
    permissions the pages for the same records require."""

    required_permissions: tuple[str, ...] = ()
    # Query parameters each method reads; any other is refused (400), never silently ignored
    # (a misspelt ``per_pgae`` would otherwise look like it worked).
    query_parameters: dict[str, frozenset[str]] = {}

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication and permissions first
        method = (request.method or "").lower()
        if method not in self.http_method_names or not hasattr(self, method):
            return  # DRF answers 405
        allowed = self.query_parameters.get(method, frozenset())
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise serializers.ValidationError(dict.fromkeys(unknown, "not a parameter here"))


class QueryInt(serializers.IntegerField):
    """An integer query parameter: given blank (``?page=``) it is refused, not defaulted
    (DRF's form handling would quietly read a blank as absent)."""

    def get_value(self, dictionary: Any) -> Any:
        return dictionary.get(self.field_name, empty)


class PageQuery(serializers.Serializer[Any]):
    page = QueryInt(min_value=1, default=1)
    per_page = QueryInt(min_value=1, max_value=Pages.max_page_size, default=25)


def _page(request: Request, view: APIView, rows: QuerySet[Any], out: Any) -> Response:
    # DRF's paginator quietly ignores a ``per_page`` it cannot read: refuse it instead (400).
    PageQuery(data=request.query_params).is_valid(raise_exception=True)
    pages = Pages()
    page = pages.paginate_queryset(rows, request, view=view) or []
    note_row_count(request._request, len(page))
    return pages.get_paginated_response(out(page, many=True).data)


def _page_of_list(request: Request, view: APIView, rows: list[Any], out: Any) -> Response:
    """A page of a selector's list (one person's history: already fetched in full)."""
    return _page(request, view, rows, out)  # type: ignore[arg-type]  # Django pages lists too


def _encode(q: str, page: int, per_page: int) -> str:
    from urllib.parse import urlencode

    return urlencode({"q": q, "page": page, "per_page": per_page})


# --- search ---------------------------------------------------------------------------------


class SearchQuery(serializers.Serializer[Any]):
    q = serializers.CharField(max_length=200, allow_blank=True)
    page = QueryInt(min_value=1, default=1)
    per_page = QueryInt(min_value=1, max_value=Pages.max_page_size, default=25)


class SearchView(Endpoint):
    """People and cases matching ``q``, best first (``search.selectors.search``)."""

    required_permissions = ("people.view_person", "cases.view_case")
    query_parameters = {"get": frozenset({"q", "page", "per_page"})}

    @extend_schema(
        operation_id="search",
        parameters=[SearchQuery],
        responses={200: paged("SearchPage", s.HitSerializer), **problems(400)},
    )
    def get(self, request: Request) -> Response:
        note_access(request._request, "api.search")  # CJIS AU-2; the row count is added below
        query = SearchQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        args = query.validated_data
        found = search(
            actor=request.user, q=args["q"], page=args["page"], per_page=args["per_page"]
        )
        note_row_count(request._request, len(found.hits))

        def link(page: int) -> str:
            url = request.build_absolute_uri(request.path)
            return f"{url}?{_encode(args['q'], page, args['per_page'])}"

        last = (found.total + found.per_page - 1) // found.per_page
        return Response(
            {
                "count": found.total,
                "next": link(found.page + 1) if found.page < last else None,
                "previous": link(found.page - 1) if 1 < found.page <= last + 1 else None,
                "results": s.HitSerializer(found.hits, many=True).data,
            }
        )


# --- people ---------------------------------------------------------------------------------


def _people(actor: Any) -> QuerySet[Person]:
    return (
        visible_people(actor=actor)
        .prefetch_related(
            "identifiers", Prefetch("aliases", queryset=PersonAlias.objects.order_by("id"))
        )
        .order_by("pk")
    )


class PeopleView(Endpoint):
    """The people the token's user may see; creating a person."""

    required_permissions = ("people.view_person",)
    query_parameters = {"get": frozenset({"page", "per_page"})}

    @extend_schema(
        operation_id="people_list",
        parameters=[PageQuery],
        responses={200: paged("PersonPage", s.PersonSerializer), **problems(400, 404)},
    )
    def get(self, request: Request) -> Response:
        note_access(request._request, "api.people.listed", "people.person")  # CJIS AU-2
        return _page(request, self, _people(request.user), s.PersonSerializer)

    @extend_schema(
        operation_id="people_create",
        request=s.PersonCreateSerializer,
        responses={201: s.PersonSerializer, **problems(400, 422)},
    )
    def post(self, request: Request) -> Response:
        note_access(request._request, "api.person.create", "people.person")  # CJIS AU-2
        body = s.PersonCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        identifiers = [NewIdentifier(**i) for i in fields.pop("identifiers")]
        aliases = [(a["given_name"], a["family_name"]) for a in fields.pop("aliases")]
        person = people_services.create_person(
            actor=request.user, identifiers=identifiers, aliases=aliases, **fields
        )
        created = get_person(actor=request.user, person_id=person.pk)
        return Response(s.PersonSerializer(created).data, status=201)


class PersonView(Endpoint):
    """One person with identifiers and aliases; changing their facts."""

    required_permissions = ("people.view_person",)

    @extend_schema(
        operation_id="people_read", responses={200: s.PersonSerializer, **problems(400, 404)}
    )
    def get(self, request: Request, person_id: int) -> Response:
        note_access(request._request, "api.person.viewed", "people.person", person_id)  # CJIS AU-2
        return Response(
            s.PersonSerializer(get_person(actor=request.user, person_id=person_id)).data
        )

    @extend_schema(
        operation_id="people_update",
        request=s.PersonUpdateSerializer,
        responses={200: s.PersonSerializer, **problems(400, 404, 409, 422)},
    )
    def patch(self, request: Request, person_id: int) -> Response:
        note_access(request._request, "api.person.update", "people.person", person_id)  # CJIS AU-2
        actor = request.user
        person = get_person(actor=actor, person_id=person_id)
        body = s.PersonUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        wanted = changes.pop("identifiers", None)
        aliases = changes.pop("aliases", None)
        # One transaction: the facts, identifiers and aliases are accepted together or not at
        # all. Each service bumps the person's version in turn (one audited change each).
        with transaction.atomic():
            if person.row_version != version:
                # Also when nothing else would change (a no-op keeps the version).
                raise ConcurrentEdit(
                    f"person {person.pk} was changed by someone else since version {version}; "
                    "reload and apply your change again"
                )
            person = people_services.update_person(
                actor=actor, person=person, expected_version=version, **changes
            )
            if wanted is not None:
                _identifiers(actor, person, [NewIdentifier(**i) for i in wanted])
            if aliases is not None:
                _aliases(actor, person, aliases)
        return Response(s.PersonSerializer(get_person(actor=actor, person_id=person_id)).data)


def _version(person: Person) -> int:
    # Each service bumps its own locked copy of the person: read the version it left.
    return Person.objects.values_list("row_version", flat=True).get(pk=person.pk)


def _identifiers(actor: Any, person: Person, wanted: list[NewIdentifier]) -> None:
    """Make the person's identifiers ``wanted``: remove the ones left out, then add the new
    ones (removing first, so that a corrected value never clashes with the wrong one)."""

    def key(i: Any) -> tuple[str, str, str]:
        return (i.id_type, i.issuer.strip(), i.value.strip())

    want = {key(i) for i in wanted}
    have = set()
    for ident in list(person.identifiers.all()):
        if key(ident) in want:
            have.add(key(ident))
            continue
        people_services.remove_identifier(
            actor=actor, person=person, identifier_id=ident.pk, expected_version=_version(person)
        )
    for new in wanted:
        if key(new) not in have:
            people_services.add_identifier(
                actor=actor, person=person, identifier=new, expected_version=_version(person)
            )
            have.add(key(new))


def _aliases(actor: Any, person: Person, wanted: list[dict[str, str]]) -> None:
    """Make the person's aliases ``wanted`` (a changed kind is a removal and an addition)."""

    def key(a: Any) -> tuple[str, str, str]:
        row = a if isinstance(a, dict) else vars(a)
        return (str(row["given_name"]).strip(), str(row["family_name"]).strip(), str(row["kind"]))

    want = {key(a) for a in wanted}
    have = set()
    for alias in list(person.aliases.all()):
        if key(alias) in want:
            have.add(key(alias))
            continue
        people_services.remove_alias(
            actor=actor, person=person, alias_id=alias.pk, expected_version=_version(person)
        )
    for new in wanted:
        if key(new) not in have:
            people_services.add_alias(
                actor=actor, person=person, expected_version=_version(person), **new
            )
            have.add(key(new))


# --- cases ----------------------------------------------------------------------------------


def _cases(actor: Any) -> QuerySet[Case]:
    return (
        visible_cases(actor=actor)
        .select_related("program", "case_manager")
        .prefetch_related(Prefetch("charges", queryset=Charge.objects.order_by("count_number")))
        .order_by("pk")
    )


class CasesView(Endpoint):
    """The cases the token's user may see, with charges; creating a case."""

    required_permissions = ("cases.view_case",)
    query_parameters = {"get": frozenset({"page", "per_page"})}

    @extend_schema(
        operation_id="cases_list",
        parameters=[PageQuery],
        responses={200: paged("CasePage", s.CaseSerializer), **problems(400, 404)},
    )
    def get(self, request: Request) -> Response:
        note_access(request._request, "api.cases.listed", "cases.case")  # CJIS AU-2
        return _page(request, self, _cases(request.user), s.CaseSerializer)

    @extend_schema(
        operation_id="cases_create",
        request=s.CaseCreateSerializer,
        responses={201: s.CaseSerializer, **problems(400, 422)},
    )
    def post(self, request: Request) -> Response:
        note_access(request._request, "api.case.create", "cases.case")  # CJIS AU-2
        body = s.CaseCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        try:
            defendant = get_person(actor=request.user, person_id=data.pop("defendant"))
        except NotFound as exc:
            raise ValidationFailed(
                {"defendant": "no such person, or you may not see them"}
            ) from exc
        arrest = data.pop("arrest")
        case = case_services.create_case(
            actor=request.user,
            defendant=defendant,
            charges=[NewCharge(**c) for c in data.pop("charges")],
            arrest=NewArrest(**arrest) if arrest else None,
            **data,
        )
        return Response(s.CaseSerializer(_cases(request.user).get(pk=case.pk)).data, status=201)


class CaseView(Endpoint):
    """One case with its charges; changing its own facts."""

    required_permissions = ("cases.view_case",)

    @extend_schema(
        operation_id="cases_read", responses={200: s.CaseSerializer, **problems(400, 404)}
    )
    def get(self, request: Request, case_id: int) -> Response:
        note_access(request._request, "api.case.viewed", "cases.case", case_id)  # CJIS AU-2
        return Response(
            s.CaseSerializer(get_case_file(actor=request.user, case_id=case_id).case).data
        )

    @extend_schema(
        operation_id="cases_update",
        request=s.CaseUpdateSerializer,
        responses={200: s.CaseSerializer, **problems(400, 404, 409, 422)},
    )
    def patch(self, request: Request, case_id: int) -> Response:
        note_access(request._request, "api.case.update", "cases.case", case_id)  # CJIS AU-2
        case = get_case_file(actor=request.user, case_id=case_id).case
        body = s.CaseUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version")
        with transaction.atomic():
            if case.row_version != version:
                # update_case keeps the version when nothing changes; a stale PATCH is still stale.
                raise ConcurrentEdit(
                    f"case {case.pk} was changed by someone else since version {version}; "
                    "reload and apply your change again"
                )
            case_services.update_case(
                actor=request.user, case=case, expected_version=version, **changes
            )
        return Response(s.CaseSerializer(_cases(request.user).get(pk=case_id)).data)
