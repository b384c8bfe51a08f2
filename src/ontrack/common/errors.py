"""Errors that services and selectors raise; views and commands translate them."""

from __future__ import annotations


class ServiceError(Exception):
    """A write was refused for a reason the user can act on. Nothing was changed."""


class ValidationFailed(ServiceError):
    """Input does not satisfy the rules; ``problems`` maps field names to messages."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in problems.items()))


class ConcurrentEdit(ServiceError):
    """Someone else changed the record since it was read: reload and apply again."""


class NotFound(Exception):
    """The record does not exist *or* the actor may not see it: the two look the same."""
