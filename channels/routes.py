"""Where inbound events and status changes go: apps register here from their
``hooks.py`` (``channels`` never imports a domain app).

- ``register_route(kind="text", handler=...)``: messages of a kind (text, image,
  button, command). ``match``: the command's name (``"langganan"`` for
  ``/langganan``) or a prefix of the button id (``"fc:"``). Handlers are tried in
  ``order``; the first that returns True has handled the event.
- ``register_status_handler(origin="newsroom", handler=...)``: told when one of
  that app's outbox messages changes status (sent, delivered, read, failed, held).
- ``register_data_provider(name, summary=..., erase=...)``: what an app keeps
  about an address (answer to "DATA") and how it erases it (after "HAPUS").
- ``register_batch_preparer(handler)``: given the events of a batch of webhook
  calls before any is handled (``Inbound.id`` is 0: not stored yet), an app may
  do at once what each handler would do alone (factcheck embeds the tips' texts
  in one call). It must change nothing: the handlers run after it as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inbound:
    """An event as apps see it."""

    id: int  # InboundEvent pk
    channel: str
    kind: str  # text, image, button, command
    address: str  # where to answer (E.164, chat id, email)
    text: str = ""  # the text, caption, button title, or the command's arguments
    command: str = ""  # "langganan" for "/langganan Tenggarong"
    button_id: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StatusChange:
    message_id: int  # OutboxMessage pk
    channel: str
    origin: str
    reference: str
    status: str
    error: str = ""


Handler = Callable[[Inbound], bool | None]
StatusHandler = Callable[[StatusChange], None]


@dataclass(frozen=True)
class Route:
    kind: str
    handler: Handler
    match: str = ""
    order: int = 100
    name: str = ""


class Summary(Protocol):
    """The lines an app keeps about an address (called with keywords, so an
    app registers its keyword-only service as it is)."""

    def __call__(self, *, channel: str, address: str) -> list[str]: ...


class Eraser(Protocol):
    """Erases what an app keeps about an address; the number of rows erased."""

    def __call__(self, *, channel: str, address: str) -> int: ...


@dataclass(frozen=True)
class DataProvider:
    name: str
    summary: Summary
    erase: Eraser | None = None


Preparer = Callable[[list[Inbound]], None]

_routes: list[Route] = []
_preparers: list[Preparer] = []
_status: dict[str, list[StatusHandler]] = {}
_providers: dict[str, DataProvider] = {}

KINDS = ("text", "image", "button", "command")


def register_route(
    *, kind: str, handler: Handler, match: str = "", order: int = 100, name: str = ""
) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {KINDS}")
    route = Route(
        kind=kind,
        handler=handler,
        match=match.lower(),
        order=order,
        name=name or getattr(handler, "__module__", ""),
    )
    if route not in _routes:
        _routes.append(route)
        _routes.sort(key=lambda r: r.order)


def register_status_handler(*, origin: str, handler: StatusHandler) -> None:
    handlers = _status.setdefault(origin, [])
    if handler not in handlers:
        handlers.append(handler)


def register_data_provider(
    name: str,
    *,
    summary: Summary,
    erase: Eraser | None = None,
) -> None:
    _providers[name] = DataProvider(name=name, summary=summary, erase=erase)


def register_batch_preparer(handler: Preparer) -> None:
    if handler not in _preparers:
        _preparers.append(handler)


def prepare(events: list[Inbound]) -> None:
    """Tell the preparers about a batch of events; one that fails is logged
    (the events are handled anyway, one by one)."""
    if not events:
        return
    for handler in list(_preparers):
        try:
            handler(events)
        except Exception:
            log.exception("channels: batch preparer %s failed", handler)


def data_providers() -> list[DataProvider]:
    return list(_providers.values())


def _matches(route: Route, event: Inbound) -> bool:
    if route.kind != event.kind:
        return False
    if not route.match:
        return True
    if event.kind == "command":
        return event.command == route.match
    if event.kind == "button":
        return event.button_id.lower().startswith(route.match)
    return True


def route(event: Inbound) -> str:
    """Hand ``event`` to the first route that takes it; returns its name, or ""
    when none did. A handler that raises is logged and the next one tried."""
    for candidate in list(_routes):
        if not _matches(candidate, event):
            continue
        try:
            # A savepoint: a handler's database error leaves the rest usable.
            with transaction.atomic():
                handled = candidate.handler(event)
        except Exception:
            log.exception(
                "channels: route %s failed on event %s", candidate.name, event.id
            )
            continue
        if handled:
            return candidate.name or "handled"
    return ""


def status_changed(change: StatusChange) -> None:
    for handler in _status.get(change.origin, []):
        try:
            handler(change)
        except Exception:
            log.exception("channels: status handler of %s failed", change.origin)


class registry_snapshot:
    """Tests register routes of their own and leave the registry as it was.
    ``empty``: start from no routes at all (channels' own tests, which must not
    meet the apps' routes registered at start-up)."""

    def __init__(self, *, empty: bool = False) -> None:
        self.empty = empty

    def __enter__(self) -> None:
        self._saved = (
            list(_routes),
            {k: list(v) for k, v in _status.items()},
            dict(_providers),
            list(_preparers),
        )
        if self.empty:
            _routes.clear()
            _status.clear()
            _providers.clear()
            _preparers.clear()

    def __exit__(self, *exc: object) -> None:
        routes, status, providers, preparers = self._saved
        _routes[:] = routes
        _preparers[:] = preparers
        _status.clear()
        _status.update(status)
        _providers.clear()
        _providers.update(providers)
