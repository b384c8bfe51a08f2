"""The charge classifier the classify tests share: loaded once, only ever read."""

from __future__ import annotations

import pytest

from ontrack.offenses.classify import Classifier


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return Classifier.load()
