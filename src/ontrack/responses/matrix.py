"""The responses matrix (``matrix.yaml``): load, validate whole, suggest.

All Rise Standard IV: responses are graduated and predictable, so a team starts from the
same suggestions for the same behaviour in the same phase; the program owns the file.
Errors name the file and the key, so whoever edits it can find the mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ontrack.plans.models import EventKind, TestResult
from ontrack.responses.models import ResponseKind

PATH = Path(__file__).with_name("matrix.yaml")
MAGNITUDES = ("low", "moderate", "high")
# Positive achievements that are not a single event kind (derived from events).
ACHIEVEMENTS = ("phase_promotion", "negative_streak", "hours_milestone")


class MatrixError(ValueError):
    pass


@dataclass(frozen=True)
class Suggestion:
    code: str
    kind: str
    magnitude: str
    label: str


@dataclass(frozen=True)
class Matrix:
    responses: dict[str, Suggestion]
    triggers: dict[str, dict[str, tuple[str, ...]]]

    def suggest(self, trigger: str, phase: int | None) -> list[Suggestion]:
        by_phase = self.triggers.get(trigger, {})
        codes = by_phase.get(str(phase)) if phase is not None else None
        return [self.responses[c] for c in (codes or by_phase.get("any", ()))]


def trigger_of(kind: str, result: str = "") -> str:
    return f"{kind}:{result}" if kind == EventKind.DRUG_TEST and result else kind


def _valid_trigger(key: str) -> bool:
    kind, _, result = key.partition(":")
    if key in ACHIEVEMENTS:
        return True
    if kind not in EventKind.values:
        return False
    return (result in TestResult.values) if kind == EventKind.DRUG_TEST else result == ""


def parse(data: Any, where: str) -> Matrix:
    if not isinstance(data, dict) or set(data) != {"responses", "triggers"}:
        raise MatrixError(f"{where}: the top level needs exactly 'responses' and 'triggers'")
    responses: dict[str, Suggestion] = {}
    for code, item in (data["responses"] or {}).items():
        at = f"{where}: responses.{code}"
        if not isinstance(item, dict) or set(item) != {"kind", "magnitude", "label"}:
            raise MatrixError(f"{at}: needs exactly kind, magnitude and label")
        if item["kind"] not in ResponseKind.values:
            raise MatrixError(f"{at}.kind: {item['kind']!r} is not one of "
                              f"{', '.join(ResponseKind.values)}")  # fmt: skip
        if item["magnitude"] not in MAGNITUDES:
            raise MatrixError(f"{at}.magnitude: {item['magnitude']!r} is not one of "
                              f"{', '.join(MAGNITUDES)}")  # fmt: skip
        responses[str(code)] = Suggestion(str(code), item["kind"], item["magnitude"],
                                          str(item["label"]))  # fmt: skip
    triggers: dict[str, dict[str, tuple[str, ...]]] = {}
    for key, by_phase in (data["triggers"] or {}).items():
        at = f"{where}: triggers.{key}"
        if not _valid_trigger(str(key)):
            raise MatrixError(f"{at}: not an event kind (with a drug-test result) or achievement")
        if not isinstance(by_phase, dict) or not by_phase:
            raise MatrixError(f"{at}: map phases ('1', '2', ... or 'any') to response codes")
        triggers[str(key)] = {}
        for phase, codes in by_phase.items():
            if not (str(phase) == "any" or str(phase).isdigit()):
                raise MatrixError(f"{at}.{phase}: a phase is a number or 'any'")
            if not isinstance(codes, list) or not codes:
                raise MatrixError(f"{at}.{phase}: list at least one response code")
            for code in codes:
                if code not in responses:
                    raise MatrixError(f"{at}.{phase}: no response {code!r} under responses")
            triggers[str(key)][str(phase)] = tuple(codes)
    return Matrix(responses, triggers)


@cache
def matrix() -> Matrix:
    return parse(yaml.safe_load(PATH.read_text()), PATH.name)
