"""Inbound webhook calls → normalised events → consent commands or app routes.

The views store the raw call and answer at once; ``inbound_process_task`` calls
``call_process`` here. Payloads are validated strictly (pydantic, strict types):
a part of the wrong shape is logged and skipped, the rest still counts.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from channels import addresses, routes, services
from channels.models import InboundEvent, WebhookCall
from core.inputs import without_control_chars

log = logging.getLogger(__name__)

MAX_DEPTH = 32


def too_deep(value: Any, limit: int = MAX_DEPTH) -> bool:
    """More nesting than any provider sends (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)


# --- Telegram Bot API ---------------------------------------------------------------
class TgChat(_Strict):
    id: int


class TgPhoto(_Strict):
    file_id: str


class TgMessage(_Strict):
    message_id: int
    chat: TgChat
    date: int = 0
    text: str | None = Field(default=None, max_length=10_000)
    caption: str | None = Field(default=None, max_length=10_000)
    photo: list[TgPhoto] | None = None


class TgUser(_Strict):
    id: int


class TgCallback(_Strict):
    id: str
    from_: TgUser = Field(alias="from")
    data: str | None = Field(default=None, max_length=256)
    message: TgMessage | None = None


class TgUpdate(_Strict):
    update_id: int
    message: TgMessage | None = None
    callback_query: TgCallback | None = None


# --- WhatsApp Cloud API -------------------------------------------------------------
class WaText(_Strict):
    body: str = Field(max_length=10_000)


class WaMedia(_Strict):
    id: str
    caption: str | None = Field(default=None, max_length=10_000)
    mime_type: str | None = None


class WaReply(_Strict):
    id: str = Field(max_length=256)
    title: str = Field(max_length=200)


class WaInteractive(_Strict):
    type: str
    button_reply: WaReply | None = None
    list_reply: WaReply | None = None


class WaButton(_Strict):
    payload: str | None = Field(default=None, max_length=256)
    text: str = Field(max_length=200)


class WaMessage(_Strict):
    from_: str = Field(alias="from", max_length=20)
    id: str = Field(max_length=200)
    timestamp: str = ""
    type: str
    text: WaText | None = None
    image: WaMedia | None = None
    interactive: WaInteractive | None = None
    button: WaButton | None = None


class WaError(_Strict):
    code: int
    title: str = ""


class WaStatus(_Strict):
    id: str = Field(max_length=200)
    status: str
    recipient_id: str = ""
    errors: list[WaError] | None = None


# --- normalised events --------------------------------------------------------------
@dataclass
class Event:
    key: str
    kind: str
    address: str = ""
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)


_COMMAND = re.compile(r"^/([a-z0-9_]{1,32})(?:@\w+)?(?:\s+(.*))?$", re.S | re.I)


def _text_event(key: str, address: str, text: str) -> Event:
    command = _COMMAND.match(text.strip())
    if command:
        return Event(
            key,
            "command",
            address,
            (command[2] or "").strip(),
            {"command": command[1].lower()},
        )
    return Event(key, "text", address, text)


def telegram_events(payload: Any) -> list[Event]:
    try:
        update = TgUpdate.model_validate(payload)
    except ValidationError as exc:
        log.warning("channels telegram: update ignored (%s errors)", exc.error_count())
        return []
    key = f"update:{update.update_id}"
    if update.callback_query is not None:
        query = update.callback_query
        chat = query.message.chat.id if query.message else query.from_.id
        return [
            Event(
                key,
                "button",
                str(chat),
                query.data or "",
                {"button_id": query.data or "", "callback_query_id": query.id},
            )
        ]
    message = update.message
    if message is None:
        return []
    chat_id = str(message.chat.id)
    if message.photo:
        return [
            Event(
                key,
                "image",
                chat_id,
                message.caption or "",
                {"file_id": message.photo[-1].file_id},
            )
        ]
    if message.text is not None:
        return [_text_event(key, chat_id, message.text)]
    return [Event(key, "other", chat_id)]


def _wa_address(raw: str) -> str:
    try:
        return addresses.normalize("whatsapp", "+" + raw.lstrip("+"))
    except addresses.InvalidAddress:
        return ""


def _wa_message(message: WaMessage) -> Event | None:
    address = _wa_address(message.from_)
    if not address:
        return None
    key = message.id
    if message.type == "text" and message.text is not None:
        return _text_event(key, address, message.text.body)
    if message.type == "image" and message.image is not None:
        return Event(
            key,
            "image",
            address,
            message.image.caption or "",
            {"media_id": message.image.id},
        )
    if message.type == "interactive" and message.interactive is not None:
        reply = message.interactive.button_reply or message.interactive.list_reply
        if reply is not None:
            return Event(key, "button", address, reply.title, {"button_id": reply.id})
    if message.type == "button" and message.button is not None:
        # A quick-reply button of a template message.
        return Event(
            key,
            "button",
            address,
            message.button.text,
            {"button_id": message.button.payload or ""},
        )
    return Event(key, "other", address, "", {"type": message.type[:30]})


def whatsapp_events(payload: Any) -> list[Event]:
    events: list[Event] = []
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            for raw in _list(value.get("messages")):
                try:
                    event = _wa_message(WaMessage.model_validate(raw))
                except ValidationError:
                    log.warning("channels whatsapp: a message of bad shape ignored")
                    continue
                if event is not None:
                    events.append(event)
            for raw in _list(value.get("statuses")):
                try:
                    status = WaStatus.model_validate(raw)
                except ValidationError:
                    log.warning("channels whatsapp: a status of bad shape ignored")
                    continue
                error = (
                    f"{status.errors[0].code} {status.errors[0].title}"
                    if status.errors
                    else ""
                )
                events.append(
                    Event(
                        f"{status.id}:{status.status}",
                        "status",
                        data={"id": status.id, "status": status.status, "error": error},
                    )
                )
    return events


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class SmsReport(_Strict):
    id: str = Field(max_length=200)
    status: str
    error: str = ""


class SmsInbound(_Strict):
    id: str = Field(max_length=200)
    from_: str = Field(alias="from", max_length=32)
    text: str = Field(max_length=2000)


def sms_events(payload: Any) -> list[Event]:
    """The gateway's delivery report ``{id, status, error}`` or an incoming
    SMS ``{id, from, text}``."""
    if isinstance(payload, dict) and "status" in payload:
        try:
            report = SmsReport.model_validate(payload)
        except ValidationError:
            log.warning("channels sms: report of bad shape ignored")
            return []
        return [
            Event(
                f"{report.id}:{report.status}",
                "status",
                data={"id": report.id, "status": report.status, "error": report.error},
            )
        ]
    try:
        message = SmsInbound.model_validate(payload)
    except ValidationError:
        log.warning("channels sms: message of bad shape ignored")
        return []
    try:
        address = addresses.normalize("sms", message.from_)
    except addresses.InvalidAddress:
        return []
    return [Event(f"in:{message.id}", "text", address, message.text)]


PARSERS = {"telegram": telegram_events, "whatsapp": whatsapp_events, "sms": sms_events}


# --- consent commands ---------------------------------------------------------------
STOP = {"berhenti", "stop", "unsubscribe"}
ERASE = {"hapus", "hapus data", "hapus data saya", "hapus nomor saya", "delete"}
DATA = {"data", "info data", "data saya"}
START = {"mulai", "start", "langganan", "subscribe"}


def _command_word(event: Event) -> str:
    if event.kind == "command":
        return " ".join([event.data["command"], *event.text.lower().split()]).strip()
    if event.kind == "text":
        return " ".join(event.text.lower().split())
    return ""


def _reply(channel: str, address: str, event_id: int, text: str) -> None:
    services.message_send(
        channel=channel,
        to=address,
        body=text,
        dedupe_key=f"consent:{event_id}",
        origin=services.ORIGIN,
        reference=str(event_id),
    )


def consent_command(channel: str, event: Event, event_id: int) -> str:
    """Handle STOP/HAPUS/DATA, and note the opt-in of MULAI/START ("start": the
    event still goes on to the apps). Returns what was done, "" for none."""
    word = _command_word(event)
    if not word:
        return ""
    with translation.override("id"):
        if word in STOP:
            services.consent_opt_out(
                channel=channel, address=event.address, source="command"
            )
            _reply(
                channel,
                event.address,
                event_id,
                _(
                    "You will receive no more messages from Simpul here. "
                    "Send MULAI to receive them again."
                ),
            )
            return "stop"
        if word in ERASE:
            services.address_erase(channel=channel, address=event.address)
            _reply(
                channel,
                event.address,
                event_id,
                _(
                    "Your data has been erased and you will receive no more messages "
                    "from Simpul here. Send MULAI to start again."
                ),
            )
            return "erase"
        if word in DATA:
            lines = services.data_summary(channel=channel, address=event.address)
            _reply(
                channel,
                event.address,
                event_id,
                "\n".join(
                    [
                        _("What Simpul keeps about this number:"),
                        *[f"- {line}" for line in lines],
                        _("Send HAPUS to erase it and stop all messages."),
                    ]
                ),
            )
            return "data"
        if word.split(" ", 1)[0] in START:
            services.consent_opt_in(
                channel=channel, address=event.address, source=f"command:{word[:40]}"
            )
            return "start"
    return ""


# --- processing ---------------------------------------------------------------------
def _events(call: WebhookCall) -> list[Event]:
    try:
        # A person may send a NUL (PostgreSQL stores none): taken out, not refused.
        payload = without_control_chars(json.loads(call.body))
    except ValueError:
        payload = None
    return PARSERS[call.channel](payload)


def calls_claim(*, call_id: int, size: int) -> list[WebhookCall]:
    """``call_id`` and up to ``size - 1`` other calls waiting (oldest first),
    leased to this worker, in the order they came; ``[]`` when ``call_id`` is
    processed already or another worker holds it (that worker handles it)."""
    now = timezone.now()
    free = WebhookCall.objects.filter(processed_at__isnull=True).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    # One query: the task's own call first, then the oldest others.
    own_first = Case(When(pk=call_id, then=Value(0)), default=Value(1))
    # No savepoint: inside another transaction, a failure fails that one anyway.
    with transaction.atomic(savepoint=False):
        if connection.features.has_select_for_update_skip_locked:
            free = free.select_for_update(skip_locked=True)
        calls = list(free.order_by(own_first, "received_at", "pk")[: max(1, size)])
        if not calls or calls[0].pk != call_id:
            return []
        lease = timedelta(seconds=settings.CHANNELS_INBOUND_LEASE_SECONDS)
        WebhookCall.objects.filter(pk__in=[c.pk for c in calls]).update(
            claimed_until=now + lease
        )
    # In the order they came (one person's two messages stay in order).
    return sorted(calls, key=lambda c: c.pk)


def calls_process(*, call_id: int, size: int | None = None) -> list[str]:
    """What ``inbound_process_task`` does: the call and others waiting are
    taken together, the apps' batch preparers see all their events at once
    (tips are embedded in one call), then each call is processed as alone.
    Each call commits on its own and each event counts once (``InboundEvent``
    is unique), so a worker killed mid-batch loses nothing and answers nothing
    twice: what it left is processed by its own task, or after the lease, by
    ``outbox_due_task``'s sweep. Returns ``call_id``'s outcomes."""
    calls = calls_claim(call_id=call_id, size=size or settings.CHANNELS_INBOUND_BATCH)
    if not calls:
        return []
    try:
        events = [_events(call) for call in calls]
        routes.prepare(
            [
                _inbound(0, call.channel, event)
                for call, found in zip(calls, events, strict=True)
                for event in found
                if event.address and event.kind in routes.KINDS
            ]
        )
        outcomes: list[str] = []
        for call, found in zip(calls, events, strict=True):
            done = _call_events_handle(call, found)
            outcomes = done if call.pk == call_id else outcomes
        return outcomes
    except BaseException:
        # What an error left unprocessed is free for the next task at once.
        WebhookCall.objects.filter(
            pk__in=[c.pk for c in calls], processed_at__isnull=True
        ).update(claimed_until=None)
        raise


def _inbound(pk: int, channel: str, event: Event) -> routes.Inbound:
    return routes.Inbound(
        id=pk,
        channel=channel,
        kind=event.kind,
        address=event.address,
        text=event.text,
        command=event.data.get("command", ""),
        button_id=event.data.get("button_id", ""),
        data=event.data,
    )


def call_process(*, call_id: int) -> list[str]:
    """Normalise one stored webhook call and handle each of its events once.
    Returns what happened to each event (for logs and tests)."""
    call = WebhookCall.objects.filter(pk=call_id).first()
    if call is None or call.processed_at is not None:
        return []
    return _call_events_handle(call, _events(call))


def _call_events_handle(call: WebhookCall, events: list[Event]) -> list[str]:
    outcomes = []
    for event in events:
        try:
            # One event's failure rolls back only that event; the others count.
            with transaction.atomic():
                outcomes.append(_event_handle(call, event))
        except Exception:
            log.exception("channels %s: event %s failed", call.channel, event.key)
            outcomes.append("error")
    WebhookCall.objects.filter(pk=call.pk).update(processed_at=timezone.now())
    return outcomes


def _event_handle(call: WebhookCall, event: Event) -> str:
    channel = call.channel
    try:
        with transaction.atomic():
            row = InboundEvent.objects.create(
                channel=channel,
                event_key=event.key[:200],
                call=call,
                kind=event.kind,
                address=event.address,
                address_hash=addresses.address_hash(channel, event.address)
                if event.address
                else "",
                text=event.text,
                data=event.data,
            )
    except IntegrityError:
        return "duplicate"
    if event.kind == "status":
        changed = services.message_status_update(
            channel=channel,
            provider_message_id=event.data["id"],
            status=event.data["status"],
            error=event.data.get("error", ""),
        )
        return f"status:{changed}"
    if not event.address:
        return "ignored"
    services.inbound_seen(channel=channel, address=event.address, at=row.created_at)
    done = consent_command(channel, event, row.pk)
    if done and done != "start":
        InboundEvent.objects.filter(pk=row.pk).update(handled_by=f"channels.{done}")
        return done
    if event.kind == "other":
        return "ignored"
    query_id = event.data.get("callback_query_id")
    if query_id:
        from channels.tasks import telegram_callback_answer_task

        transaction.on_commit(lambda: telegram_callback_answer_task.enqueue(query_id))
    handled = routes.route(_inbound(row.pk, channel, event))
    if not handled and done == "start":
        # No app has its own welcome for this: confirm the opt-in ourselves.
        with translation.override("id"):
            _reply(
                channel,
                event.address,
                row.pk,
                _(
                    "You will receive messages from Simpul here again. "
                    "Send BERHENTI to stop."
                ),
            )
        handled = "channels.start"
    InboundEvent.objects.filter(pk=row.pk).update(handled_by=handled[:60])
    return handled or "unrouted"
