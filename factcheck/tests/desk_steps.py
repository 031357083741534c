"""Steps on the fact-check desk in a browser, shared by the fact-check browser
tests and the cross-app journeys (simpul/tests/test_journeys.py)."""

from __future__ import annotations

from typing import Any


def verdict_draft(
    page: Any, *, title: str, explanation: str, conclusion: str, verdict: str = "hoaks"
) -> None:
    """On a claim's desk page: fill in and save the draft verdict. Its drafter
    may not review it, so the page then asks for a second person."""
    form = page.locator("form#draft")
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=verdict]").select_option(verdict)
    form.locator("textarea[name=explanation]").fill(explanation)
    form.locator("textarea[name=conclusion]").fill(conclusion)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#second-person")
    assert page.locator("#review").count() == 0
