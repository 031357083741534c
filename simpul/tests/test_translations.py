"""Indonesian everywhere: every ``id`` catalogue is complete (no untranslated or
fuzzy entry) and up to date with the source (``make messages`` would add
nothing new).

The second check runs ``makemessages`` the way the Makefile's ``messages``
target does, in a temporary copy of the source files, so the checkout is never
touched; then ``msgfmt --statistics`` counts what the refreshed catalogues
lack. A string added without its translation fails here, with its text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

REPO = Path(__file__).resolve().parents[2]
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".po"}
# The project's own ignore patterns (Makefile ``messages``).
IGNORE = [".venv", "node_modules", "var", "bench", "staticfiles"]

pytestmark = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("msgattrib") is None,
    reason="gettext tools (msgfmt, msgattrib) are not installed",
)


def _locale_apps() -> list[str]:
    """The apps with their own catalogue, as the Makefile lists them."""
    makefile = (REPO / "Makefile").read_text()
    found = re.search(r"^LOCALE_APPS\s*:?=\s*(.+)$", makefile, re.M)
    assert found, "Makefile has no LOCALE_APPS"
    return found.group(1).split()


def _catalogues(root: Path) -> dict[str, Path]:
    return {
        (app or "."): root / app / "locale" / "id" / "LC_MESSAGES" / "django.po"
        for app in ["", *_locale_apps()]
    }


def _missing(po: Path) -> list[str]:
    """The untranslated and fuzzy msgids of ``po``."""
    counts = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    if "fuzzy" not in counts and "untranslated" not in counts:
        return []
    found: list[str] = []
    for flag in ("--untranslated", "--only-fuzzy"):
        entries = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        found += [
            f"{flag[2:]}: {m}" for m in re.findall(r'^msgid "(.+)"$', entries, re.M)
        ]
    return found or [counts.strip()]


def test_committed_catalogues_are_complete() -> None:
    for name, po in _catalogues(REPO).items():
        assert po.is_file(), po
        missing = _missing(po)
        assert not missing, f"{name}: " + "\n".join(missing[:30])


def _source_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return [
        f
        for f in listed.stdout.splitlines()
        if Path(f).suffix in SOURCE_SUFFIXES and (REPO / f).is_file()
    ]


def test_catalogues_are_up_to_date_with_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "src"
    for name in _source_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, target)
    apps = _locale_apps()
    # LOCALE_PATHS points into the copy: makemessages writes there, not here.
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        monkeypatch.chdir(copy)
        call_command(
            "makemessages",
            locale=["id"],
            ignore_patterns=IGNORE + apps,
            verbosity=0,
        )
        for app in apps:
            monkeypatch.chdir(copy / app)
            call_command("makemessages", locale=["id"], verbosity=0)
    problems = []
    for name, po in _catalogues(copy).items():
        missing = _missing(po)
        if missing:
            problems.append(f"{name}: " + "\n  ".join(missing[:30]))
    assert not problems, (
        "Strings without an Indonesian translation; run `make messages` and "
        "translate them:\n" + "\n".join(problems)
    )
