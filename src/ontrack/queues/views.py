"""The home page per role, the lists and their exports, and "How many?". Thin: the
selectors read, ``listing`` lists, ``export`` writes the files."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ontrack.accounts.selectors import staff_accounts
from ontrack.audit.access import note_access
from ontrack.cases.selectors import assignment_choices, count_caseload
from ontrack.common.access import requires
from ontrack.common.errors import ConcurrentEdit, NotFound, ValidationFailed
from ontrack.queues import export, selectors, services
from ontrack.queues.forms import AssignSelectedForm, QuestionForm, question_words
from ontrack.queues.listing import ListFilterForm, ListSpec, export_rows, list_page, problems
from ontrack.queues.lists import SPECS


@requires("accounts.access_ontrack")
def home(request: HttpRequest) -> HttpResponse:
    """What each role starts from: parts with their counts, each linking to its full list.
    Sections follow permissions (``accounts/roles.py`` is the one table of roles). Counts
    only, no record: like the caseload's search, no access row (the lists note theirs)."""
    user: Any = request.user
    context: dict[str, object] = {}
    if user.has_perm("cases.view_case"):
        context["caseload"] = count_caseload(actor=user)
        context["counts"] = selectors.queue_counts(actor=user)
    if user.has_perm("eligibility.override_screening"):
        context["programs"] = selectors.program_totals(actor=user)
    if user.has_perm("accounts.manage_staff"):
        context["staff_count"] = staff_accounts(actor=user).count()
    return render(request, "queues/home.html", context)


def _spec(request: HttpRequest, slug: str) -> ListSpec:
    spec = SPECS.get(slug)
    if spec is None:
        raise Http404
    if not request.user.has_perm(spec.permission):
        raise PermissionDenied
    return spec


def _render_list(
    request: HttpRequest,
    spec: ListSpec,
    params: Any,
    assign_form: AssignSelectedForm | None = None,
    status: int = 200,
) -> HttpResponse:
    slug = spec.slug
    form = ListFilterForm(params, spec=spec)
    if not form.is_valid():
        note_access(request, "list.viewed", "queues", slug, row_count=0)
        context = {"spec": spec, "form": form, "problem": problems(form)}
        return render(request, "queues/list.html", context, status=400)
    listed = list_page(spec, request.user, form, params.get("page"))
    note_access(request, "list.viewed", "queues", slug, row_count=len(listed.rows))  # AU-2
    if assign_form is None and request.user.has_perm("cases.assign_case"):
        choices = assignment_choices(actor=request.user)
        assign_form = AssignSelectedForm(choices=choices, initial={"back": slug})
    done = params.get("assigned", "")
    context = {
        "spec": spec,
        "form": form,
        "list": listed,
        "assign_form": assign_form,
        "assigned": int(done) if done.isdigit() else None,
    }
    return render(request, "queues/list.html", context, status=status)


@requires("cases.view_case")
def case_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_list(request, _spec(request, slug), request.GET)


@requires("cases.assign_case")
@require_POST
def assign_selected(request: HttpRequest) -> HttpResponse:
    """A supervisor assigns the cases ticked on a list, all or none (``services``)."""
    spec = SPECS.get(request.POST.get("back", ""))
    if spec is None or not spec.own_page:
        return HttpResponse(
            "Bad form: no list to return to\n", status=400, content_type="text/plain"
        )
    _spec(request, spec.slug)
    choices = assignment_choices(actor=request.user)
    form = AssignSelectedForm(request.POST, choices=choices)
    status = 400
    if form.is_valid():
        try:
            done = services.assign_selected(
                actor=request.user,
                versions=form.cleaned_data["selected"],
                program=form.program_object(),
                case_manager=form.case_manager_object(),
            )
        except ValidationFailed as exc:
            for field, message in exc.problems.items():
                form.add_error(field if field in form.fields else None, message)
        except ConcurrentEdit as exc:
            status = 409
            form.add_error(None, f"nothing was assigned: {exc}")
        except NotFound:
            raise Http404 from None
        else:
            return redirect(f"{spec.url}?{urlencode({'assigned': len(done)})}")
    return _render_list(request, spec, QueryDict(), form, status=status)


@requires("cases.view_case")
def case_list_export(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The whole filtered list as CSV or XLSX. Audited on the access stream with its row
    count, written after the response is built and before it is sent: if that row cannot be
    written the file is withheld (503, ADR 0032), as for the audit's own export."""
    spec = _spec(request, slug)
    form = ListFilterForm(request.GET, spec=spec)
    if not form.is_valid():
        return HttpResponse(
            f"Bad filters: {problems(form)}\n", status=400, content_type="text/plain"
        )
    rows = export_rows(spec, request.user, form)
    note_access(
        request,
        "list.exported",
        "queues",
        slug,
        row_count=len(rows),
        details={"format": kind, **{k: v for k, v in request.GET.items() if v}},
    )
    body = export.render(kind, [c.label for c in spec.columns], rows, spec.title)
    response = HttpResponse(body, content_type=export.FORMATS[kind])
    response["Content-Disposition"] = f'attachment; filename="ontrack-{slug}.{kind}"'
    return response


@requires("accounts.access_ontrack")
def how_many(request: HttpRequest) -> HttpResponse:
    """A count at once; the list behind it for those who may see names, numbers only (small
    cells blank) for ``queues.view_deidentified_counts``; nothing for anyone else."""
    user = request.user
    names = user.has_perm("cases.view_case")
    if not names and not user.has_perm("queues.view_deidentified_counts"):
        raise PermissionDenied
    form = QuestionForm(request.GET or None)
    context: dict[str, object] = {"form": form, "names": names}
    asked = {k: v for k, v in request.GET.items() if v}  # the question, for the audit
    status = 200
    if form.is_bound and form.is_valid():
        question = form.question()
        context["words"] = question_words(question, form.titles)
        if names:
            answer = selectors.how_many(actor=user, question=question)
            note_access(
                request, "how_many.counted", "queues", row_count=answer.count, details=asked
            )
            context["answer"] = answer
            list_form = ListFilterForm(request.GET, spec=SPECS["how-many"])
            if list_form.is_valid():
                context["list"] = list_page(
                    SPECS["how-many"], user, list_form, request.GET.get("page")
                )
            else:
                context["problem"] = problems(list_form)
                status = 400
        else:
            note_access(request, "how_many.counted_deidentified", "queues", details=asked)
            context["deidentified"] = selectors.deidentified_count(actor=user, question=question)
    elif form.is_bound:
        status = 400
    return render(request, "queues/how_many.html", context, status=status)
