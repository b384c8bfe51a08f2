"""Sign-in, sign-out and the start page. Thin: the work is Django's auth and the selectors."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator

from ontrack.common.access import public, requires


@method_decorator(public, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@method_decorator(public, name="dispatch")
class LogoutView(auth_views.LogoutView):
    pass


@requires("accounts.access_ontrack")
def home(request: HttpRequest) -> HttpResponse:
    """Case staff land on the caseload; other roles see what they may open."""
    if request.user.has_perm("cases.view_case") and request.user.has_perm("people.view_person"):
        return redirect("cases:caseload")
    return render(request, "accounts/home.html")
