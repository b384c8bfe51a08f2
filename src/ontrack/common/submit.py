"""One translation of a service's refusal into a form's response, for every form view.

A view calls its service through ``submit``: the service's ``ValidationFailed`` goes beside
the fields it names (HTTP 400), a ``ConcurrentEdit`` is a conflict (HTTP 409; the view shows
the other user's change from ``Submitted.conflict``), ``Forbidden`` is a 403, ``NotFound`` a
404 exactly like a missing id (CJIS AC-3), and any other ``ServiceError`` a message above the
form (400). Errors particular to a view (a policy file, a version not loaded) are named in
``errors`` with the field they concern and, optionally, a fixed message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ontrack.common.errors import ConcurrentEdit, NotFound, ServiceError, ValidationFailed
from ontrack.common.services import Forbidden

T = TypeVar("T")

OK, BAD_INPUT, CONFLICT = 200, 400, 409

# An exception type → (the form field it concerns, None above the form; a fixed message, or
# None for the exception's own text).
ExtraErrors = Mapping[type[Exception], tuple[str | None, str | None]]


@dataclass(frozen=True)
class Submitted(Generic[T]):
    """What the service returned (``ok``), or the status the re-rendered form answers with."""

    value: T | None
    status: int
    conflict: ConcurrentEdit | None = None

    @property
    def ok(self) -> bool:
        return self.status == OK


def add_problems(form: forms.Form, problems: Mapping[str, str]) -> None:
    """A service's refusal, shown beside the fields it names (others above the form)."""
    for name, message in problems.items():
        form.add_error(name if name in form.fields else None, message)


def submit(form: forms.Form, call: Callable[[], T], *, errors: ExtraErrors = {}) -> Submitted[T]:  # noqa: B006 read only
    """Run ``call`` (the service) and say how the view answers; nothing was written unless
    ``ok``. Raises ``PermissionDenied`` / ``Http404`` for the middleware's own pages."""
    try:
        value = call()
    except ValidationFailed as exc:
        add_problems(form, exc.problems)
        return Submitted(None, BAD_INPUT)
    except ConcurrentEdit as exc:
        form.add_error(None, str(exc))
        return Submitted(None, CONFLICT, exc)
    except Forbidden:
        raise PermissionDenied from None
    except NotFound:
        raise Http404 from None
    except Exception as exc:
        for kind, (field, message) in errors.items():
            if isinstance(exc, kind):
                form.add_error(field, message or str(exc))
                return Submitted(None, BAD_INPUT)
        if isinstance(exc, ServiceError):
            form.add_error(None, str(exc))
            return Submitted(None, BAD_INPUT)
        raise
    return Submitted(value, OK)
