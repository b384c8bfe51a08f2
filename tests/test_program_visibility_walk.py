"""The visibility walk for the program at work (issue 10): every selector, record page and
record-writing service of the apps in ``PROGRAM_APPS`` hides what the actor may not see,
and a refusal changes nothing. Each app declares its part in ``tests/program_walks/<app>.py``
(the contract is in ``tests/program_walks/enrollments.py``); this module finds them all and
fails when a selector, page or service is not declared. The intake walk
(``tests/test_visibility_walk.py``) covers every other app.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Any

import pytest
from django.urls import get_resolver, reverse

import tests.program_walks as program_walks
from ontrack.audit.models import AuditEvent
from ontrack.common.errors import NotFound
from ontrack.common.tests.test_access import walk
from tests.program_walks.world import ProgramWorld, make_program_world

pytestmark = pytest.mark.django_db

PROGRAM_APPS = (
    "enrollments", "hearings", "plans", "drugtests", "responses", "notes", "participants",
)  # fmt: skip
# Arguments that name a record a service writes to.
RECORD_ARGS = {
    "enrollment_id", "enrollment", "case_id", "event_id", "hearing_id", "note_id", "document_id",
    "response_id", "test_id", "requirement_id", "sealing_id",
}  # fmt: skip
RECORD_ARGS |= {"test_day_id"}  # drugtests


def _modules() -> list[Any]:
    names = [m.name for m in pkgutil.iter_modules(program_walks.__path__) if m.name != "world"]
    return [importlib.import_module(f"tests.program_walks.{name}") for name in sorted(names)]


MODULES = _modules()


def _merged(attribute: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for module in MODULES:
        merged.update(getattr(module, attribute, {}))
    return merged


SELECTORS = _merged("SELECTORS")
NOT_ABOUT_RECORDS = _merged("NOT_ABOUT_RECORDS")
PAGES = _merged("PAGES")
SERVICES = _merged("SERVICES")
NEEDS_SUPERVISOR: set[str] = set().union(*(getattr(m, "NEEDS_SUPERVISOR", set()) for m in MODULES))


def everything() -> tuple[Any, ...]:
    return (AuditEvent.objects.count(), *(module.state() for module in MODULES))


@pytest.fixture(params=["assignment", "sealed"])
def world(request: pytest.FixtureRequest, catalog: None) -> ProgramWorld:
    return make_program_world(request.param)


def program_selectors() -> set[str]:
    found = set()
    for app in PROGRAM_APPS:
        for package in pkgutil.walk_packages(
            importlib.import_module(f"ontrack.{app}").__path__, f"ontrack.{app}."
        ):
            if not package.name.rsplit(".", 1)[-1].startswith("selectors"):
                continue
            module = importlib.import_module(package.name)
            for name, function in inspect.getmembers(module, inspect.isfunction):
                if function.__module__ == module.__name__ and not name.startswith("_"):
                    found.add(f"{module.__name__}.{name}")
    return found


def test_every_program_selector_is_walked() -> None:
    assert "ontrack.enrollments.selectors.get_enrollment" in program_selectors()
    assert program_selectors() == set(SELECTORS) | set(NOT_ABOUT_RECORDS)


@pytest.mark.parametrize("selector", sorted(SELECTORS))
def test_a_program_selector_hides_what_the_actor_may_not_see(
    world: ProgramWorld, selector: str
) -> None:
    SELECTORS[selector](world)


def program_pages() -> dict[str, list[str]]:
    namespaces = tuple(f"{app}:" for app in PROGRAM_APPS)
    return {
        name: sorted(converters)
        for name, _view, converters in walk(get_resolver().url_patterns)
        if name.startswith(namespaces) and set(converters) - {"slug"}
    }


def test_every_program_record_page_is_walked() -> None:
    assert set(program_pages()) == set(PAGES)


def _normalised(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_program_record_page_is_a_404_like_a_missing_id(
    client: Any, world: ProgramWorld, name: str
) -> None:
    hidden, missing, body = PAGES[name](world)
    client.force_login(world.actor)
    before = everything()
    responses = []
    for ids in (hidden, missing):
        url = reverse(name, kwargs=ids)
        responses.append(client.post(url, body) if body is not None else client.get(url))
    assert [r.status_code for r in responses] == [404, 404]
    assert _normalised(responses[0].content) == _normalised(responses[1].content)
    assert everything() == before


def program_services() -> set[str]:
    found = set()
    for module in MODULES:
        for services in getattr(module, "SERVICE_MODULES", []):
            for name, function in inspect.getmembers(services, inspect.isfunction):
                if function.__module__ != services.__name__ or name.startswith("_"):
                    continue
                if RECORD_ARGS & set(inspect.signature(function).parameters):
                    found.add(f"{services.__name__}.{name}")
    return found


def test_every_program_record_service_is_walked() -> None:
    assert "ontrack.plans.services.record_participant_event" in program_services()
    assert program_services() == set(SERVICES)


@pytest.mark.parametrize(
    ("scenario", "service"),
    [
        (scenario, service)
        for scenario in ("assignment", "sealed")
        for service in sorted(SERVICES)
        if not (scenario == "assignment" and service in NEEDS_SUPERVISOR)
    ],
)
def test_a_program_service_refuses_a_record_the_actor_may_not_see(
    catalog: None, scenario: str, service: str
) -> None:
    world = make_program_world(scenario)
    call = SERVICES[service](world)
    before = everything()
    with pytest.raises(NotFound):
        call()
    assert everything() == before


# --- the API ---------------------------------------------------------------------------------

# ``API_CALLS`` in a walk module: URL name → calls(world) returning (hidden path, missing path,
# [(method, body), ...]); paths are below /api/v1/, e.g. "enrollments/12/transitions".
API_CALLS = _merged("API_CALLS")


@pytest.mark.parametrize("name", sorted(API_CALLS))
def test_a_program_api_url_is_the_same_404_for_hidden_and_missing(
    world: ProgramWorld, name: str
) -> None:
    from ontrack.api.tests.helpers import Api, token_for

    api = Api(token_for(world.actor))
    hidden, missing, calls = API_CALLS[name](world)
    before = everything()
    for method, body in calls:
        answers = []
        for url in (hidden, missing):
            response = getattr(api, method)(url, body) if body is not None else api.get(url)
            assert response.status_code == 404, (name, method, response.content)
            assert response["Content-Type"] == "application/problem+json"
            doc = response.json()
            assert doc.pop("instance") == f"/api/v1/{url}"
            answers.append(doc)
        assert answers[0] == answers[1], (name, method)
    assert everything() == before
