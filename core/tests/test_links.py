"""Links in messages start with SITE_URL (one helper), and the development
server sets SITE_URL to the address it serves."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from core.links import site_url

REPO = Path(__file__).resolve().parents[2]


def test_site_url_joins_paths(settings) -> None:
    settings.SITE_URL = "http://127.0.0.1:8107"
    assert site_url("/cek-fakta/3/") == "http://127.0.0.1:8107/cek-fakta/3/"
    assert site_url("acara/1/") == "http://127.0.0.1:8107/acara/1/"
    assert site_url("https://example.org/x") == "https://example.org/x"


def _run_dev_site_url(env: dict[str, str]) -> str:
    """SITE_URL as bin/run-dev sets it (its settings lines, not the servers)."""
    script = (REPO / "bin" / "run-dev").read_text()
    head = script.split("supervise_worker()")[0].replace('cd "$(dirname "$0")/.."', "")
    result = subprocess.run(
        ["bash", "-c", head + '\necho "$SITE_URL"'],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_run_dev_sets_site_url_to_the_address_it_serves() -> None:
    assert _run_dev_site_url({"PORT": "8107"}) == "http://127.0.0.1:8107"
    assert _run_dev_site_url({}) == "http://127.0.0.1:8000"
    given = {"PORT": "8107", "SITE_URL": "https://simpul.example.id"}
    assert _run_dev_site_url(given) == "https://simpul.example.id"


@pytest.mark.django_db
def test_message_links_follow_site_url(settings, rf) -> None:
    """The fact-check WhatsApp text, the channels' unsubscribe link and the
    newsletter opt-out link use SITE_URL, not the request's host."""
    from channels.services import unsubscribe_url
    from factcheck import messages
    from factcheck.models import FactCheck
    from newsroom.services.subscribers import opt_out_url

    settings.SITE_URL = "http://127.0.0.1:8107"
    factcheck = FactCheck(pk=3, title="Judul", is_own=True, verdict="hoaks")
    text = messages.share_text(factcheck)
    assert f"http://127.0.0.1:8107{factcheck.get_absolute_url()}" in text
    assert unsubscribe_url("sms", "abc").startswith("http://127.0.0.1:8107/")
    assert opt_out_url("k").startswith("http://127.0.0.1:8107/")
