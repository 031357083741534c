"""The command-line wrapper used by plan_towers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectivity.siting.cli import main
from connectivity.siting.tests.factories import random_instance


def test_cli_writes_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "inst.json"
    out = tmp_path / "plan.json"
    src.write_text(json.dumps(random_instance(0)))
    assert main(["--instance", str(src), "--output", str(out), "--budget", "2"]) == 0
    result = json.loads(out.read_text())
    assert len(result["selected"]) <= 2 and "gap" in result
    assert "sites" in capsys.readouterr().err


def test_cli_stdout_is_valid_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "inst.json"
    src.write_text(json.dumps(random_instance(1)))
    assert main(["--instance", str(src), "--objective", "set_cover"]) == 0
    assert json.loads(capsys.readouterr().out)["objective"] == "set_cover"


def test_cli_bad_instance_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "inst.json"
    inst = random_instance(0)
    inst["demand"][0]["lat"], inst["demand"][0]["lng"] = 117.0, -0.4
    src.write_text(json.dumps(inst))
    assert main(["--instance", str(src)]) == 2
    assert "d0" in capsys.readouterr().err
    assert main(["--instance", str(tmp_path / "missing.json")]) == 2
