"""How apps plug into the house: each app's ``<app>/hooks.py`` defines
``register()``, and this module calls it once for every installed app that has
one, when the ``core`` app is ready (core's own plug is ``register`` below).

``register()`` is where an app adds its demo data, health checks, periodic tasks,
dashboard panels, permission rules, region-page sections and channel routes
(the registries live in ``core``, ``accounts``, ``regions`` and ``channels``).
Every registry is keyed by name, so calling ``register()`` again changes nothing.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def register() -> None:
    """Core's own plug, found like every app's: forgetting the outbox keys no
    phone still sends."""
    from datetime import timedelta

    from core.schedule import register_periodic
    from core.tasks import idempotency_prune_task

    register_periodic(
        "core.idempotency_prune", idempotency_prune_task, every=timedelta(days=1)
    )


def discover() -> list[str]:
    """Call ``register()`` of every installed app's ``hooks`` module; returns the
    apps that had one, in ``INSTALLED_APPS`` order."""
    found: list[str] = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "hooks"):
            continue
        module = import_module(f"{config.name}.hooks")
        register = getattr(module, "register", None)
        if callable(register):
            register()
            found.append(config.name)
    return found
