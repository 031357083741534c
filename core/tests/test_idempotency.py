"""A form sent twice under one key (a reconnect that lost the answer) is one record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.test import Client, RequestFactory
from django.utils import timezone

from core.idempotency import idempotent, prune
from core.models import IdempotencyKey

pytestmark = pytest.mark.django_db
KEY = "7d0c1f0e-3a4b-4c5d-8e9f-0a1b2c3d4e5f"


def make_view(answers: list[int]):  # type: ignore[no-untyped-def]
    calls: list[int] = []

    @idempotent
    def view(request: HttpRequest) -> HttpResponse:
        status = answers[len(calls)]
        calls.append(status)
        if status == 302:
            return redirect("/terkirim/1/")
        return HttpResponse(f"jawaban {len(calls)}", status=status)

    return view, calls


def post(view, key: str | None = KEY) -> HttpResponse:  # type: ignore[no-untyped-def]
    headers = {"Idempotency-Key": key} if key else {}
    return view(RequestFactory().post("/kirim/", {"a": "1"}, headers=headers))


def test_a_second_send_gets_the_first_answer_without_running_again() -> None:
    view, calls = make_view([302, 302])
    first, again = post(view), post(view)
    assert calls == [302]
    assert again.status_code == 302 and again["Location"] == "/terkirim/1/"
    assert again["Idempotent-Replay"] == "true" and first["Location"] == "/terkirim/1/"


def test_a_page_answer_is_replayed_as_it_was() -> None:
    view, calls = make_view([200, 200])
    post(view)
    again = post(view)
    assert calls == [200] and again.content == b"jawaban 1"


@pytest.mark.parametrize("refused", [400, 500])
def test_a_refusal_or_failure_is_not_kept_so_a_fixed_item_may_be_sent(
    refused: int,
) -> None:
    view, calls = make_view([refused, 302])
    assert post(view).status_code == refused
    assert post(view).status_code == 302
    assert calls == [refused, 302]


def test_without_a_key_every_send_runs() -> None:
    view, calls = make_view([302, 302])
    post(view, key=None)
    post(view, key=None)
    assert len(calls) == 2
    assert not IdempotencyKey.objects.exists()


def test_a_send_still_in_flight_is_told_to_retry_and_a_stale_one_is_dropped() -> None:
    row = IdempotencyKey.objects.create(key=KEY, scope="/kirim/")
    view, calls = make_view([302])
    busy = post(view)
    assert busy.status_code == 409 and "sedang diproses" in busy.content.decode()
    IdempotencyKey.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert post(view).status_code == 302 and calls == [302]


def test_old_keys_are_pruned() -> None:
    IdempotencyKey.objects.create(key=KEY, scope="/kirim/", status=302)
    assert prune(now=timezone.now() + dt.timedelta(days=31)) == 1


def test_the_tip_form_makes_one_tip_of_a_duplicate_send(client: Client) -> None:
    from factcheck.models import Tip

    data = {"text": "Vaksin mengandung chip, sebarkan segera ke semua grup!"}
    first = client.post("/cek-fakta/", data, headers={"Idempotency-Key": KEY})
    again = client.post("/cek-fakta/", data, headers={"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 200
    assert Tip.objects.count() == 1


def test_a_refused_info_request_is_a_400_with_the_reason_in_indonesian(
    client: Client,
) -> None:
    response = client.post(
        "/ppid/ajukan/", {"requester_name": ""}, headers={"Idempotency-Key": KEY}
    )
    assert response.status_code == 400
    assert "Bidang ini tidak boleh kosong" in response.content.decode()
    assert not IdempotencyKey.objects.exists()


def test_the_outbox_is_told_the_redirect_instead_of_following_it() -> None:
    view, calls = make_view([302])
    request = RequestFactory().post(
        "/kirim/", {}, headers={"Idempotency-Key": KEY, "X-Simpul-Outbox": "1"}
    )
    told = view(request)
    assert told.status_code == 204 and told["X-Simpul-Location"] == "/terkirim/1/"
    assert IdempotencyKey.objects.get().status == 302  # a plain resend still redirects
    assert post(view)["Location"] == "/terkirim/1/" and calls == [302]


def test_old_keys_are_pruned_daily() -> None:
    from core.schedule import registered_periodic

    assert "core.idempotency_prune" in [p.name for p in registered_periodic()]
