"""The arrows of ../shared/ARCHITECTURE.md, checked on the source: which app may
import which."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APPS = {
    "core",
    "regions",
    "accounts",
    "network",
    "factcheck",
    "newsroom",
    "connectivity",
    "datahub",
    "channels",
}
# What each app may import besides itself (tests excluded: they may set up
# anything).
ALLOWED = {
    "core": set(),
    "regions": {"core"},
    "accounts": {"core", "regions"},
    "channels": {"core", "regions", "accounts"},
    "network": {"core", "regions", "accounts", "channels"},
    "connectivity": {"core", "regions", "accounts", "channels", "network"},
    "newsroom": {"core", "regions", "accounts", "channels", "network"},
    "factcheck": {"core", "regions", "accounts", "channels", "network", "newsroom"},
    "datahub": APPS - {"datahub"},
}
PLAIN = [
    "factcheck/matching",
    "connectivity/coverage",
    "connectivity/siting",
    "datahub/vulnerability",
]


def _modules(path: Path) -> set[str]:
    """The absolute modules a file imports (``factcheck.matching.engine``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def _imports(path: Path) -> set[str]:
    return {module.split(".")[0] for module in _modules(path)}


def _sources(folder: Path) -> list[Path]:
    return [
        p
        for p in folder.rglob("*.py")
        if "tests" not in p.relative_to(folder).parts
        and "migrations" not in p.relative_to(folder).parts
    ]


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_apps_import_only_what_the_map_allows(app: str) -> None:
    wrong = {
        f"{path.relative_to(REPO)} imports {name}"
        for path in _sources(REPO / app)
        for name in _imports(path) & APPS
        if name != app and name not in ALLOWED[app]
    }
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("package", PLAIN)
def test_plain_packages_import_no_django_and_no_app(package: str) -> None:
    own = package.replace("/", ".")
    wrong = {
        f"{path.relative_to(REPO)} imports {module}"
        for path in _sources(REPO / package)
        for module in _modules(path)
        if module.split(".")[0] in APPS | {"django"}
        and not (module == own or module.startswith(own + "."))
    }
    assert not wrong, sorted(wrong)


# The domain apps whose data datahub reads (core, regions and accounts are the
# house's ground floor, open to every app).
DOMAIN = {"network", "factcheck", "newsroom", "connectivity", "channels"}
# Choices datahub names when it asks another app's service to write (a tower
# proposed, a training, an article): the value sets are that app's, not copied.
CHOICES_FOR_SERVICES = {
    "datahub/vulnerability_actions.py": {"connectivity.models", "network.models",
                                         "newsroom.models"},
}  # fmt: skip


def _submodules(path: Path) -> set[str]:
    """``from factcheck import selectors`` as ``factcheck.selectors``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in DOMAIN
        for alias in node.names
    }


def test_datahub_reads_other_apps_through_their_selectors() -> None:
    """ARCHITECTURE.md: datahub reads every other app through its selectors
    (writes go through that app's services); it queries no other app's models."""
    wrong = set()
    for path in _sources(REPO / "datahub"):
        name = str(path.relative_to(REPO))
        for module in _modules(path) | _submodules(path):
            parts = module.split(".")
            if parts[0] not in DOMAIN or len(parts) < 2:
                continue
            if parts[1] in ("selectors", "services") or module in (
                CHOICES_FOR_SERVICES.get(name, set())
            ):
                continue
            wrong.add(f"{name} imports {module}")
    assert not wrong, sorted(wrong)
