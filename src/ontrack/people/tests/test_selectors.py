from __future__ import annotations

from typing import Any

import pytest

from ontrack.common.errors import NotFound
from ontrack.people.selectors import get_person, visible_people
from ontrack.people.tests.factories import PersonFactory


def test_missing_and_forbidden_look_the_same(case_manager: Any, analyst: Any) -> None:
    person = PersonFactory()
    assert get_person(actor=case_manager, person_id=person.pk) == person
    with pytest.raises(NotFound):
        get_person(actor=analyst, person_id=person.pk)
    with pytest.raises(NotFound):
        get_person(actor=case_manager, person_id=person.pk + 1000)
    assert list(visible_people(actor=analyst)) == []
