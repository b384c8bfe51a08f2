"""Administrators' staff pages (CJIS AC-2; ``accounts.manage_staff``): the list, adding an
account, and one account's page with its role, programs and account actions.

Thin: every write is a service (``accounts.staff``, ``accounts.services``,
``programs.memberships``) given the version the form was drawn from, so a stale page cannot
overwrite a newer change. Every write also needs a recent password and second factor
(CJIS IA-11, ``requires_recent_auth``). The pages live in ``programs`` because they show
and change program memberships, and ``accounts`` may not import ``programs`` (ADR 0036).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ontrack.accounts import services, staff, tokens
from ontrack.accounts.models import User
from ontrack.accounts.roles import ROLES
from ontrack.accounts.selectors import tokens_of
from ontrack.accounts.session_limits import requires_recent_auth
from ontrack.common.access import requires
from ontrack.common.errors import ConcurrentEdit, ValidationFailed
from ontrack.programs.memberships import add_staff_member, set_programs
from ontrack.programs.selectors import program_choices, staff_directory

MANAGE = "accounts.manage_staff"


def _account(request: HttpRequest, user_id: int) -> User:
    """The account, if the actor manages it; otherwise 404 (missing and forbidden alike)."""
    found = staff_directory(actor=request.user).filter(pk=user_id).first()  # type: ignore[arg-type]
    if found is None:
        raise Http404
    return found


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("row_version", "")
    return int(raw) if raw.isdigit() else None


def _role_label(account: Any) -> str | None:
    """The role's name as staff know it ("Case manager"), never its slug."""
    slug = staff.role_of(account)
    return ROLES[slug].group_name if slug else None


@requires(MANAGE)
def staff_list(request: HttpRequest) -> HttpResponse:
    accounts = list(staff_directory(actor=request.user))  # type: ignore[arg-type]
    rows = [(u, _role_label(u), [m.program for m in u.program_memberships.all()]) for u in accounts]
    return render(request, "staff/staff_list.html", {"rows": rows, "roles": ROLES})


@requires(MANAGE)
@requires_recent_auth
def staff_add(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    problems: dict[str, str] = {}
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        password = request.POST.get("password", "")
        if password != request.POST.get("password_again", ""):
            problems["password_again"] = "the two passwords differ"  # noqa: S105
        else:
            try:
                user, codes = add_staff_member(
                    actor=actor,
                    username=request.POST.get("username", "").strip(),
                    password=password,
                    role=request.POST.get("role", ""),
                    first_name=request.POST.get("first_name", "").strip(),
                    last_name=request.POST.get("last_name", "").strip(),
                    email=request.POST.get("email", "").strip(),
                    programs=request.POST.getlist("program"),
                )
            except ValidationFailed as exc:
                problems = exc.problems
            else:
                # Shown in this response only (CJIS IA-2), for the administrator to hand over.
                return render(request, "staff/staff_added.html", {"account": user, "codes": codes})
    context = {
        "problems": problems,
        "form": form,
        "chosen": request.POST.getlist("program"),
        "roles": ROLES,
        "programs": program_choices(actor=actor),
    }
    return render(request, "staff/staff_add.html", context, status=400 if problems else 200)


@requires(MANAGE)
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    account = _account(request, user_id)
    context = {
        "account": account,
        "role": staff.role_of(account),
        "role_label": _role_label(account),
        "member_of": {m.program.slug for m in account.program_memberships.all()},
        "programs": program_choices(actor=request.user),  # type: ignore[arg-type]
        "roles": ROLES,
        "is_self": account.pk == request.user.pk,
        "problems": {},
        "tokens": tokens_of(actor=request.user, user=account),  # type: ignore[arg-type]
    }
    return render(request, "staff/staff_detail.html", context)


def _action(
    done: str, call: Callable[[Any, User, HttpRequest], Any]
) -> Callable[..., HttpResponse]:
    """A POST-only account action: run the service, say what happened, back to the page."""

    @requires(MANAGE)
    @require_POST
    @requires_recent_auth
    def view(request: HttpRequest, user_id: int) -> HttpResponse:
        account = _account(request, user_id)
        try:
            call(request.user, account, request)
        except (ValidationFailed, ConcurrentEdit) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{account.username}: {done}")
        return redirect("staff:detail", user_id=account.pk)

    return view


def _reset_password(actor: Any, account: User, request: HttpRequest) -> None:
    password = request.POST.get("new_password", "")
    if password != request.POST.get("new_password_again", ""):
        raise ValidationFailed({"new_password_again": "the two passwords differ"})
    services.reset_password(actor=actor, username=account.username, new_password=password)


change_role = _action(
    "role changed",
    lambda actor, account, request: staff.change_role(
        actor=actor,
        username=account.username,
        role=request.POST.get("role", ""),
        expected_version=_version(request),
    ),
)
change_programs = _action(
    "programs changed",
    lambda actor, account, request: set_programs(
        actor=actor,
        username=account.username,
        programs=request.POST.getlist("program"),
        expected_version=_version(request),
    ),
)
disable = _action(
    "disabled; every session it had has ended",
    lambda actor, account, request: staff.disable_account(
        actor=actor, username=account.username, expected_version=_version(request)
    ),
)
enable = _action(
    "enabled",
    lambda actor, account, request: staff.enable_account(
        actor=actor, username=account.username, expected_version=_version(request)
    ),
)
unlock = _action(
    "unlocked",
    lambda actor, account, request: services.unlock_account(actor=actor, username=account.username),
)
reset_mfa = _action(
    "second factor removed; an authenticator is enrolled at the next sign-in",
    lambda actor, account, request: staff.reset_mfa(
        actor=actor, username=account.username, expected_version=_version(request)
    ),
)
reset_password = _action("password reset; it must be changed at the next sign-in", _reset_password)


@requires(MANAGE)
@require_POST
@requires_recent_auth
def revoke_token(request: HttpRequest, user_id: int, prefix: str) -> HttpResponse:
    """End one of the account's API tokens now (ADR 0053); audited by the service."""
    account = _account(request, user_id)
    if not tokens_of(actor=request.user, user=account).filter(prefix=prefix).exists():  # type: ignore[arg-type]
        raise Http404
    try:
        tokens.revoke_token(actor=request.user, prefix=prefix)  # type: ignore[arg-type]
    except ValidationFailed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{account.username}: API token {prefix} revoked")
    return redirect("staff:detail", user_id=account.pk)
