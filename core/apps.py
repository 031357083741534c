from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from django import forms

        from core.inputs import ControlCharactersValidator

        # One field-level check for every text field of every form (fields that
        # set their own, like EmailField or SlugField, check a stricter format):
        # control characters have no place in a form and PostgreSQL refuses NUL.
        forms.CharField.default_validators = [ControlCharactersValidator()]

        # Every app plugs in through its own hooks.py, found the same way for all
        # (core imports no app by name).
        from core.hooks import discover

        discover()
