"""Every app plugs into the house through its hooks.py, found the same way."""

from __future__ import annotations

from accounts import dashboard
from accounts.permissions import _rules
from core import demo, health, schedule
from core.hooks import discover
from regions import pages


def test_every_domain_app_registers_through_its_hooks_module() -> None:
    found = discover()
    assert found == [
        "core",
        "accounts",
        "datahub",
        "connectivity",
        "factcheck",
        "network",
        "newsroom",
        "channels",
    ]


def test_registrations_land_in_every_registry_and_are_not_doubled() -> None:
    before = (
        [name for name, _ in demo.demo_loaders()],
        sorted(schedule._periodic),
        [name for _, name, _ in dashboard._panels],
        [name for _, name, _ in pages._sections],
    )
    discover()  # a second call must change nothing
    after = (
        [name for name, _ in demo.demo_loaders()],
        sorted(schedule._periodic),
        [name for _, name, _ in dashboard._panels],
        [name for _, name, _ in pages._sections],
    )
    assert before == after
    demos, periodic, panels, sections = after
    assert demos == [
        "accounts",
        "factcheck",
        "network",
        "connectivity",
        "newsroom",
        "datahub",
    ]
    assert {
        "core.idempotency_prune",
        "accounts.audit_prune",
        "newsroom.publish_due",
        "channels.outbox_due",
    } <= set(periodic)
    assert {"network", "newsroom", "factcheck", "connectivity", "datahub"} <= set(
        panels
    )
    assert {"network", "newsroom", "connectivity", "datahub.indicators"} <= set(
        sections
    )
    assert "matching" in health.registered_checks()
    assert {
        "accounts.user",
        "connectivity.place",
        "factcheck.claim",
        "datahub.dataset",
    } <= set(_rules)


def test_sections_belong_to_one_page() -> None:
    import pytest

    discover()
    names = {
        page: [name for _, name, _ in pages._sections if pages._pages[name] == page]
        for page in pages.PAGES
    }
    assert names["home"] == [
        "network.home",
        "factcheck.home",
        "newsroom.home",
        "newsroom.potential.home",
    ]
    assert "datahub.indicators" in names["data"]
    assert "datahub.indicators" not in names["region"]
    with pytest.raises(ValueError):
        pages.register_section("x", lambda request, region: "", page="dashboard")  # type: ignore[arg-type]
