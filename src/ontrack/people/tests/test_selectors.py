from __future__ import annotations

from typing import Any

import pytest

from ontrack.common.errors import NotFound
from ontrack.people.selectors import get_person, visible_people
from ontrack.people.tests.factories import PersonFactory


def test_missing_and_forbidden_look_the_same(
    supervisor: Any, case_manager: Any, analyst: Any
) -> None:
    # A person with no case: visible to those who see every program (cases/visibility.py;
    # tests/test_visibility_walk.py walks the rest), to no one else.
    person = PersonFactory()
    assert get_person(actor=supervisor, person_id=person.pk) == person
    for actor in (analyst, case_manager):
        with pytest.raises(NotFound):
            get_person(actor=actor, person_id=person.pk)
    with pytest.raises(NotFound):
        get_person(actor=supervisor, person_id=person.pk + 1000)
    assert list(visible_people(actor=analyst)) == []
    assert list(visible_people(actor=case_manager)) == []
