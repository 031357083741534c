"""Done when: a citizen checks a known hoax on the public form and sees its
verdict; a fact-checker publishes a verdict for a new claim, which then reaches
the (fake) Telegram and WhatsApp tipsters who asked."""

import hashlib
import hmac
import json

import httpx
import pytest
from playwright.sync_api import expect

from accounts.models import Role
from channels.models import OutboxMessage
from factcheck.models import Claim
from factcheck.tests.conftest import KNOWN_HOAX, NEW_RUMOUR, NEW_RUMOUR_VARIANT
from factcheck.tests.desk_steps import verdict_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_checks_a_known_hoax_on_the_public_form(page, live_server, corpus):
    page.goto(live_server.url + "/cek-fakta/arsip/")
    page.click("header details.menu summary")  # the phone's folded menu
    page.click("header nav >> text=Cek fakta")
    page.wait_for_url("**/cek-fakta/")
    assert "Cek dulu sebelum sebar" in page.inner_text("h1")
    page.fill("textarea[name=text]", KNOWN_HOAX)
    page.select_option("select[name=region]", "64.02")
    page.click("#tip-box button[type=submit]")
    result = page.wait_for_selector("#tip-result")
    text = result.inner_text()
    assert "Sudah pernah diperiksa" in text
    assert "PENIPUAN" in text
    assert "Pendaftaran BLT Rp600 ribu" in text
    # Bad input gets a clear message, not a crash.
    page.fill("textarea[name=text]", "🔥🔥🔥")
    page.click("#tip-box button[type=submit]")
    page.wait_for_selector("#tip-box .errorlist")
    assert "emoji" in page.inner_text("#tip-box .errorlist")


def _telegram(url: str, update_id: int, chat: int, text: str) -> None:
    update = {
        "update_id": update_id,
        "message": {"message_id": 1, "chat": {"id": chat}, "text": text},
    }
    response = httpx.post(
        url + "/hooks/telegram/",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": "tg-secret"},
    )
    assert response.status_code == 200, response.text


def _whatsapp(url: str, msg_id: str, sender: str, text: str) -> None:
    payload = {
        "entry": [
            {
                "changes": [
                    {
                        "value": {
                            "messages": [
                                {
                                    "from": sender,
                                    "id": msg_id,
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ]
                        }
                    }
                ]
            }
        ]
    }
    body = json.dumps(payload).encode()
    signature = hmac.new(b"wa-app-secret", body, hashlib.sha256).hexdigest()
    response = httpx.post(
        url + "/hooks/whatsapp/",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Hub-Signature-256": f"sha256={signature}",
        },
    )
    assert response.status_code == 200, response.text


def test_fact_checker_publishes_a_verdict_that_reaches_the_tipsters(
    page, live_server, sign_in, corpus, fake_telegram, fake_whatsapp, make_user
):
    make_user(
        Role.FACT_CHECKER,
        "64",
        email="cekfakta@example.org",
        full_name="Rina Pemeriksa",
    )
    make_user(
        Role.FACT_CHECKER, "64", email="pemeriksa@example.org", full_name="Budi Kedua"
    )
    # Two people ask about the same new rumour, on Telegram and on WhatsApp.
    _telegram(live_server.url, 900, 4242, NEW_RUMOUR)
    _whatsapp(live_server.url, "wamid.X1", "6281234567890", NEW_RUMOUR_VARIANT)
    claim = Claim.objects.get()
    assert claim.tip_count == 2
    (tg_ack,) = fake_telegram.requests
    (wa_ack,) = fake_whatsapp.requests
    assert "sedang mengeceknya" in tg_ack.body["text"]
    # New to the matcher: no question, the desk has it (likely matches are
    # asked about first: test_tipline.py).
    assert "sedang mengeceknya" in wa_ack.body["text"]["body"]
    assert claim.status == Claim.Status.NEW

    sign_in("cekfakta@example.org")
    page.click("#factcheck-panel >> text=Buka meja cek fakta")
    page.wait_for_url("**/staf/cek-fakta/")
    page.click("text=jembatan Kota Bangun")
    page.wait_for_url(f"**/staf/cek-fakta/klaim/{claim.pk}/")
    assert "+62812•••••890" in page.inner_text("main")  # masked, never in full
    verdict_draft(
        page,
        title="Jembatan Mahakam tidak ditutup permanen",
        explanation=(
            "Dinas PU Kaltim memastikan jembatan tetap dibuka; tidak ada retak."
        ),
        conclusion="Kabar penutupan permanen Jembatan Mahakam adalah hoaks.",
    )
    # The drafter waits for a second person, who reviews and publishes.
    sign_in("pemeriksa@example.org")
    page.goto(live_server.url + f"/staf/cek-fakta/klaim/{claim.pk}/")
    page.click("#review")
    page.wait_for_selector("form#publish")
    page.click("form#publish button[type=submit]")
    page.wait_for_selector(".messages")
    assert "Terbit" in page.inner_text(".messages")

    verdicts = list(OutboxMessage.objects.filter(reference__startswith="verdict:"))
    assert {m.channel for m in verdicts} == {"telegram", "whatsapp"}
    assert all(m.status == "sent" for m in verdicts)
    tg = fake_telegram.requests[-1].body
    wa = fake_whatsapp.requests[-1].body
    assert tg["chat_id"] == "4242" and "HOAKS" in tg["text"]
    assert "Jembatan Mahakam tidak ditutup permanen" in tg["text"]
    assert wa["to"] == "6281234567890" and "HOAKS" in wa["text"]["body"]
    link = f"/cek-fakta/{Claim.objects.get().factcheck_id}/"
    assert link in tg["text"] and link in wa["text"]["body"]

    # The published page is public, with its share card.
    page.goto(live_server.url + link)
    assert "Jembatan Mahakam tidak ditutup permanen" in page.inner_text("h1")
    assert page.locator("meta[property='og:image']").count() == 1


def _on_screen(page, selector: str) -> bool:
    """The element's top is inside the viewport."""
    top = page.evaluate(
        f"document.querySelector('{selector}').getBoundingClientRect().top"
    )
    return 0 <= top < page.viewport_size["height"]


def test_a_paraphrase_of_a_demo_hoax_is_confirmed_on_a_phone(page, live_server):
    """At 360 px: three candidates, "Ya, yang ini" on the right one shows its
    verdict, and the page never says "not checked"."""
    from factcheck.demo import demo_ensure
    from factcheck.models import MatchPair

    demo_ensure()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/cek-fakta/")
    page.fill(
        "textarea[name=text]",
        "katanya tower sinyal baru di kampung bikin kanker, tolak aja",
    )
    page.click("#tip-box button[type=submit]")
    result = page.locator("#tip-result")
    expect(result).to_contain_text("Apakah salah satu ini pesan yang Anda terima?")
    assert "Belum pernah diperiksa" not in result.inner_text()
    choices = result.locator("button", has_text="Ya, yang ini")
    expect(choices).to_have_count(3)
    first = result.locator(".fc-candidates li").first
    assert "Menara BTS" in first.inner_text()
    # Fits the phone: nothing wider than the viewport, and the answer is
    # brought into view (the form above it is taller than the screen).
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert _on_screen(page, "#tip-result")
    first.locator("button").click()
    expect(page.locator("#tip-result")).to_contain_text("Hasil cek fakta pesan Anda")
    expect(page.locator("#tip-result")).to_contain_text("SALAH")
    assert _on_screen(page, "#tip-result")
    pair = MatchPair.objects.get()
    assert pair.source == "tipster_web" and "Menara BTS" in pair.factcheck.title


def test_a_screenshot_of_a_demo_hoax_gets_its_verdict(page, live_server, tmp_path):
    """An uploaded chat screenshot of a demo hoax: its text is read, the
    sender confirms the fact-check among the candidates (or it is a sure
    match), and the verdict shows."""
    from factcheck import ocr
    from factcheck.demo import demo_ensure
    from factcheck.models import TipImage
    from factcheck.tests.screenshots import degrade, render_chat

    if not ocr.available()[0]:
        pytest.skip(f"no OCR here: {ocr.available()[1]}")
    demo_ensure()
    shot = tmp_path / "wa.jpg"
    shot.write_bytes(
        degrade(
            render_chat(
                "Awas!! Tower BTS baru di desa-desa Kukar memancarkan radiasi yang "
                "menyebabkan kanker, warga diminta menolak pembangunannya",
                seed=4,
            ),
            seed=40,
        )
    )
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/cek-fakta/")
    page.set_input_files("input[name=image]", str(shot))
    page.click("#tip-box button[type=submit]")
    result = page.locator("#tip-result")
    expect(result).to_be_visible(timeout=60_000)
    assert "Belum pernah diperiksa" not in result.inner_text()
    candidates = result.locator(".fc-candidates li", has_text="Menara BTS")
    if candidates.count():
        candidates.first.locator("button").click()
        expect(page.locator("#tip-result")).to_contain_text(
            "Hasil cek fakta pesan Anda"
        )
    expect(page.locator("#tip-result")).to_contain_text("SALAH")
    assert TipImage.objects.count() == 1
