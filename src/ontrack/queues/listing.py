"""The one list mechanism: every list (the caseload list, each queue, the list behind a
"How many?" answer) filters, sorts by a whitelisted column, pages, shows its total and
exports CSV and XLSX through here (issue 9 item 5, ``docs/queues.md``).

A list is a ``ListSpec``: its rows (a selector: the actor and the request's parameters in,
a queryset of what the actor may see out) and its columns, each with a label in words, the
text of its cell and, when it can be sorted, the one database ordering it sorts by. Nothing
else sorts: an unknown ``sort`` is bad input, named, never passed to ``order_by``.

Queries: a page is a count and one query for its rows (related rows joined, not fetched per
row); an export is one query for all its rows. The same at 10 and at 1,000 rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.urls import reverse

from ontrack.cases.models import Case
from ontrack.people.models import Person
from ontrack.people.selectors import name_filter
from ontrack.programs.models import Program

PAGE_SIZE = 50
SORT = "sort"  # the parameter: a column key, "-" first for descending


@dataclass(frozen=True)
class Column:
    key: str  # the sort parameter's value; never shown
    label: str  # the header, in words (pages and exports)
    text: Callable[[Any], str]  # the cell, in words ("not known" when unknown)
    order: str | None = None  # the database ordering it sorts by; None: not sortable
    link: Callable[[Any], str] | None = None  # the page a cell links to, if any


@dataclass(frozen=True)
class ListSpec:
    slug: str
    title: str
    description: str  # what is on the list, precisely (shown above it)
    permission: str  # besides the view's own: who may open this list
    # The selector: (actor, the request's parameters) → the rows the actor may see.
    rows: Callable[[Any, Any], QuerySet[Case]]
    columns: tuple[Column, ...]
    default_sort: str  # a column key, "-" first for descending
    related: tuple[str, ...] = ("defendant", "program", "case_manager")
    own_page: bool = True  # False: shown inside another page ("How many?"), exports only

    @property
    def url(self) -> str:
        return reverse(f"queues:{self.slug}")

    @property
    def csv_url(self) -> str:
        return reverse(f"queues:{self.slug}-csv")

    @property
    def xlsx_url(self) -> str:
        return reverse(f"queues:{self.slug}-xlsx")

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def sortable(self) -> list[str]:
        return [c.key for c in self.columns if c.order]


class ListFilterForm(forms.Form):
    """The filters every case list offers; a bad value is named and nothing is listed."""

    q = forms.CharField(required=False, max_length=100, label="Name or docket number", strip=True)
    program = forms.ModelChoiceField(
        queryset=Program.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label="Every program",
        label="Program",
        error_messages={"invalid_choice": "choose one of the programs listed"},
    )
    sort = forms.CharField(required=False, max_length=40, label="Sort by")

    def __init__(self, *args: Any, spec: ListSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec

    def clean_sort(self) -> str:
        wanted = self.cleaned_data["sort"] or self.spec.default_sort
        column = self.spec.column(wanted.removeprefix("-"))
        if column is None or column.order is None:
            labels = ", ".join(c.label for c in self.spec.columns if c.order)
            raise forms.ValidationError(f"a list can be sorted by {labels} only")
        return str(wanted)


def problems(form: ListFilterForm) -> str:
    """The form's problems in words, each naming its field."""
    return "; ".join(
        f"{form.fields[k].label if k in form.fields else k}: {' '.join(str(m) for m in v)}"
        for k, v in form.errors.items()
    )


def filtered(spec: ListSpec, actor: Any, form: ListFilterForm) -> QuerySet[Case]:
    """The spec's rows for ``actor``, filtered and sorted by a valid ``form``."""
    rows = spec.rows(actor, form.data)
    query = form.cleaned_data.get("q") or ""
    if query:
        people = Person.objects.filter(name_filter(query)).values("pk")
        rows = rows.filter(Q(docket_number__icontains=query) | Q(defendant__in=people))
    if program := form.cleaned_data.get("program"):
        rows = rows.filter(program=program)
    sort = form.cleaned_data["sort"]
    column = spec.column(sort.removeprefix("-"))
    assert column is not None  # clean_sort allowed it
    assert column.order is not None
    order = ("-" if sort.startswith("-") else "") + column.order
    # pk last: equal values keep one order, so a row never appears on two pages.
    return rows.select_related(*spec.related).order_by(order, "-pk" if "-" in sort else "pk")


@dataclass(frozen=True)
class ListPage:
    spec: ListSpec
    page: Page[Case]
    rows: list[list[tuple[str, str]]]  # per row: (text, link or "") per column
    keys: list[str]  # per row: "case id:version", what "assign selected" sends back
    total: int
    sort: str
    query: str  # the filters as a query string, without page and sort

    @property
    def keyed_rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return list(zip(self.keys, self.rows, strict=True))

    @property
    def headers(self) -> list[tuple[str, str, str]]:
        """Per column: its label, the query string sorting by it ("" when it cannot be
        sorted; the current column reverses) and its ``aria-sort`` ("" when not sorted)."""
        current = self.sort.removeprefix("-")
        descending = self.sort.startswith("-")
        out = []
        for c in self.spec.columns:
            if not c.order:
                out.append((c.label, "", ""))
                continue
            wanted = f"-{c.key}" if c.key == current and not descending else c.key
            params = QueryDict(self.query, mutable=True)
            params[SORT] = wanted
            state = ("descending" if descending else "ascending") if c.key == current else ""
            out.append((c.label, params.urlencode(), state))
        return out

    @property
    def sorted_query(self) -> str:
        """The filters and the sort (for paging and exports)."""
        params = QueryDict(self.query, mutable=True)
        params[SORT] = self.sort
        return params.urlencode()


def cells(spec: ListSpec, row: Any) -> list[tuple[str, str]]:
    return [(c.text(row), c.link(row) if c.link else "") for c in spec.columns]


def list_page(spec: ListSpec, actor: Any, form: ListFilterForm, page: str | None) -> ListPage:
    rows = filtered(spec, actor, form)
    shown = Paginator(rows, PAGE_SIZE).get_page(page)
    params = QueryDict(mutable=True)
    for key, value in form.data.items():
        if key not in ("page", SORT) and value:
            params[key] = value
    return ListPage(
        spec=spec,
        page=shown,
        rows=[cells(spec, row) for row in shown.object_list],
        keys=[f"{row.pk}:{row.row_version}" for row in shown.object_list],
        total=shown.paginator.count,
        sort=form.cleaned_data["sort"],
        query=params.urlencode(),
    )


def export_rows(spec: ListSpec, actor: Any, form: ListFilterForm) -> list[list[str]]:
    """Every row of the filtered list (one query), as the texts of its cells."""
    return [[text for text, _link in cells(spec, row)] for row in filtered(spec, actor, form)]


def among(ids: list[int]) -> Q:
    """``pk`` among ``ids`` as one bound parameter, whatever their number: a list of 100,000
    parameters exceeds SQLite's limit (32,766) and PostgreSQL's (65,535)."""
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))
    return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
