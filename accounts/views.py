from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts import selectors, services
from accounts.dashboard import render_panels
from accounts.forms import ApiTokenForm, LoginForm, UserForm
from accounts.models import ApiToken, Role, User
from accounts.permissions import can, permitted_user
from accounts.selectors import user_counts_by_role
from core.viewtools import choice_param, form_write, or_404
from regions.selectors import region_summary


def _login_rate(group: str, request: HttpRequest) -> str:
    """Read when a request comes, not when this module is imported, so that a
    changed setting (a test's, a reloaded configuration's) applies."""
    return settings.LOGIN_RATE


@method_decorator(
    ratelimit(key="ip", rate=_login_rate, method="POST", block=True),
    name="post",
)
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@method_decorator(
    ratelimit(key="ip", rate=_login_rate, method="POST", block=True),
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What the signed-in user's scope contains."""
    user = _user(request)
    region = user.region
    context: dict[str, Any] = {
        "region": region,
        "summary": region_summary(region=region) if region else None,
        "can_manage_users": can(user, "view", "accounts.user"),
        "can_view_audit": can(user, "view", "accounts.audit"),
        "role_counts": [],
        "recent_audit": [],
    }
    if context["can_manage_users"]:
        counts = user_counts_by_role(actor=user)
        context["role_counts"] = [
            (label, counts.get(value, 0)) for value, label in Role.choices
        ]
    if context["can_view_audit"]:
        context["recent_audit"] = selectors.audit_list(actor=user).select_related(
            "actor"
        )[:10]
    context["panels"] = render_panels(request)
    return render(request, "accounts/dashboard.html", context)


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = permitted_user(request, "view", "accounts.user")
    q = request.GET.get("q", "").strip()[:100]
    role = choice_param(request, "role", Role.values)
    users = selectors.user_list(actor=actor, q=q, role=role)
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    template = "accounts/_user_rows.html" if request.htmx else "accounts/user_list.html"  # type: ignore[attr-defined]
    return render(
        request, template, {"page": page, "q": q, "role": role, "roles": Role.choices}
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    actor = permitted_user(request, "create", "accounts.user")
    form = UserForm(request.POST or None, actor=actor)
    if user := form_write(
        request,
        form,
        lambda: services.user_create(actor=actor, **_fields(form.cleaned_data)),
        refused=True,
    ):
        messages.success(
            request,
            _("Account created. %(name)s can set a password with “Forgot password”.")
            % {"name": user.full_name},
        )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "editing": None})


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _user(request)
    user = or_404(selectors.user_get(actor=actor, pk=pk), _("Account not found."))
    initial = {
        "email": user.email,
        "full_name": user.full_name,
        "phone": user.phone or "",
        "role": user.role,
        "region": user.region_id,
        "is_active": user.is_active,
    }
    form = UserForm(request.POST or None, actor=actor, editing=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _fields(form.cleaned_data)
        data.pop("email")
        if form_write(
            request,
            form,
            lambda: services.user_update(
                actor=actor, user=user, is_active=form.cleaned_data["is_active"], **data
            ),
            _("Changes saved."),
            refused=True,
        ):
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "editing": user})


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "email": data["email"],
        "full_name": data["full_name"],
        "phone": data.get("phone") or "",
        "role": data["role"],
        "region": data["region"],
    }


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _, new_key = services.api_token_create(
            user=user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    tokens = selectors.api_token_list(user=user)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    token = or_404(ApiToken.objects.filter(pk=pk, user=user).first())
    services.api_token_revoke(user=user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    actor = permitted_user(request, "view", "accounts.audit")
    entries = selectors.audit_list(actor=actor).select_related("actor")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit.html", {"page": page})
