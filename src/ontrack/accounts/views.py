"""Sign-in, its second factor, password changes, re-authentication, and the start page.

Thin: passwords are Django's auth (behind django-axes' lockout), second factors are
django-otp's devices through ``mfa``; every write is a service in ``services`` or ``mfa``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from ontrack.accounts import mfa, services
from ontrack.accounts.models import User
from ontrack.accounts.session_limits import stamp_verified
from ontrack.accounts.signin_events import record_sign_in_event
from ontrack.common.access import public, sign_in_step
from ontrack.common.errors import ValidationFailed


@method_decorator(public, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        record_sign_in_event(
            action="signin.password_accepted", username=user.get_username(), user=user
        )
        return response


@method_decorator(public, name="dispatch")
class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user  # signed out by the time the response exists (CJIS AU-2)
        response = super().post(request, *args, **kwargs)
        if user.is_authenticated:
            record_sign_in_event(action="signin.signed_out", username=user.get_username())
        return response


def _next(request: HttpRequest) -> str:
    """Where to go after a step: ``next`` when it is one of ours, else the start page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _signed_in(request: HttpRequest) -> User:
    if not request.user.is_authenticated:
        raise Http404
    return request.user


@sign_in_step
@never_cache
def otp(request: HttpRequest) -> HttpResponse:
    """The second factor after the password (CJIS IA-2): an authenticator code or one
    backup code. An account without an authenticator enrols one first."""
    user = _signed_in(request)
    if not mfa.is_enrolled(user):
        return redirect(f"{resolve_url('accounts:enroll')}?{urlencode({'next': _next(request)})}")
    error = ""
    if request.method == "POST":
        device = mfa.verify_code(user, request.POST.get("code", ""))
        if device is not None:
            django_otp.login(request, device)
            stamp_verified(request)
            kind = "backup code" if device.name == mfa.BACKUP_NAME else "authenticator"
            record_sign_in_event(
                action="signin.backup_code_used"
                if device.name == mfa.BACKUP_NAME
                else "signin.mfa_succeeded",
                username=user.get_username(),
                user=user,
                details={"device": kind},
            )
            return HttpResponseRedirect(_next(request))
        record_sign_in_event(action="signin.mfa_failed", username=user.get_username(), user=user)
        error = "That code was not accepted. Codes work once; wait for the next one."
    return render(
        request,
        "accounts/otp.html",
        {"error": error, "next": _next(request)},
        status=400 if error else 200,
    )


@sign_in_step
@never_cache
def enroll(request: HttpRequest) -> HttpResponse:
    """First sign-in: scan the QR code, type a code to confirm, see ten backup codes once."""
    user = _signed_in(request)
    if mfa.is_enrolled(user):
        return redirect("accounts:otp")
    device = mfa.start_enrollment(actor=user)
    error = ""
    if request.method == "POST":
        try:
            device, codes = mfa.confirm_enrollment(actor=user, code=request.POST.get("code", ""))
        except ValidationFailed as exc:
            error = exc.problems["code"]
            record_sign_in_event(
                action="signin.mfa_failed", username=user.get_username(), user=user
            )
        else:
            django_otp.login(request, device)
            stamp_verified(request)
            record_sign_in_event(
                action="signin.mfa_enrolled", username=user.get_username(), user=user
            )
            # Shown in this response only, never stored in the session (CJIS IA-2).
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next": _next(request)}
            )
    context = {"secret": mfa.base32_secret(device), "error": error, "next": _next(request)}
    return render(request, "accounts/enroll.html", context, status=400 if error else 200)


@sign_in_step
@never_cache
def enroll_qr(request: HttpRequest) -> HttpResponse:
    """The pending authenticator's QR code as SVG, for an ``<img>`` (no inline script or
    style, so the Content-Security-Policy stays strict)."""
    user = _signed_in(request)
    if mfa.is_enrolled(user):
        raise Http404
    device = mfa.start_enrollment(actor=user)
    return HttpResponse(mfa.qr_svg(device), content_type="image/svg+xml")


@sign_in_step
@never_cache
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password; after an administrator's reset, the first page there is
    (CJIS IA-5). Needs the second factor first."""
    user = _signed_in(request)
    if not user.is_verified():  # type: ignore[attr-defined]  # set by django-otp's middleware
        return redirect(f"{resolve_url('accounts:otp')}?{urlencode({'next': request.path})}")
    problems: dict[str, str] = {}
    if request.method == "POST":
        new = request.POST.get("new_password", "")
        if new != request.POST.get("new_password_again", ""):
            problems["new_password_again"] = "the two new passwords differ"  # noqa: S105
        else:
            try:
                services.change_own_password(
                    actor=user,
                    current_password=request.POST.get("current_password", ""),
                    new_password=new,
                )
            except ValidationFailed as exc:
                problems = exc.problems
            else:
                update_session_auth_hash(request, user)
                return redirect(_next(request))
    return render(
        request,
        "accounts/password_change.html",
        {"problems": problems, "forced": user.must_change_password, "next": _next(request)},
        status=400 if problems else 200,
    )


@sign_in_step
@never_cache
def reauth(request: HttpRequest) -> HttpResponse:
    """CJIS IA-11: password and second factor again before a sensitive action. A wrong
    password counts toward the lockout like any other (it goes through ``authenticate``)."""
    user = _signed_in(request)
    error = ""
    if request.method == "POST":
        checked: Any = authenticate(
            request, username=user.get_username(), password=request.POST.get("password", "")
        )
        device = (
            mfa.verify_code(user, request.POST.get("code", ""))
            if checked is not None and checked.pk == user.pk
            else None
        )
        if device is not None:
            django_otp.login(request, device)
            stamp_verified(request)
            record_sign_in_event(
                action="signin.reauthenticated", username=user.get_username(), user=user
            )
            return HttpResponseRedirect(_next(request))
        record_sign_in_event(
            action="signin.reauthentication_failed", username=user.get_username(), user=user
        )
        error = "Password or code not accepted."
    return render(
        request,
        "accounts/reauth.html",
        {"error": error, "next": _next(request)},
        status=400 if error else 200,
    )
