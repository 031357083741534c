from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.permissions import ASSIGNABLE_ROLES, code_scope_q
from regions.forms import RegionField
from regions.models import Region


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Email or phone number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _(
            "The email/phone number or password is wrong. Check them and try again."
        ),
        "inactive": _("This account is inactive."),
    }


class UserForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region = RegionField(
        label=_("Region"),
        queryset=Region.objects.none(),
        help_text=_("Name or code of the region, e.g. Tenggarong Seberang or 64.02."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, actor: User, editing: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        region_field = self.fields["region"]
        assert isinstance(region_field, RegionField)
        region_field.queryset = Region.objects.filter(code_scope_q(actor, "kode"))
        roles = (
            set(Role.values)
            if actor.is_superuser
            else ASSIGNABLE_ROLES.get(actor.role, frozenset())
        )
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [c for c in Role.choices if c[0] in roles]
        if editing is not None:
            self.fields["email"].disabled = True


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
