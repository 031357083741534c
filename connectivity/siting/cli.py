"""Command-line entry: ``python -m connectivity.siting.cli --instance FILE.json``.

The Django command ``plan_towers`` wraps :func:`main` (or :func:`plan` directly).
Exit codes: 0 plan written (possibly empty, with a reason), 2 bad instance or
arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .instance import InvalidInstance
from .planner import plan


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="plan_towers", description="Choose new tower sites for blankspots."
    )
    p.add_argument("--instance", required=True, help="instance JSON file, or -")
    p.add_argument("--output", default="-", help="plan JSON file (default stdout)")
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds")
    p.add_argument("--method", choices=("exact", "greedy"), default="exact")
    p.add_argument(
        "--objective", choices=("max_cover", "set_cover"), default="max_cover"
    )
    p.add_argument("--budget", type=int, help="override the instance's budget")
    return p


def _read(path: str) -> Any:
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    return json.loads(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        instance = _read(args.instance)
    except (OSError, json.JSONDecodeError) as exc:
        print(f"plan_towers: cannot read {args.instance}: {exc}", file=sys.stderr)
        return 2
    if args.budget is not None and isinstance(instance, dict):
        instance["budget"] = args.budget
    try:
        result = plan(
            instance,
            time_limit=args.time_limit,
            method=args.method,
            objective=args.objective,
        )
    except InvalidInstance as exc:
        print(f"plan_towers: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.output == "-":
        sys.stdout.write(text + "\n")
    else:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    summary = (
        f"{result['status']}: {result['n_selected']} sites, covered "
        f"{result['covered_weight']:.1f} (bound {result['bound']:.1f}, gap "
        f"{100 * result['gap']:.2f}%) in {result['seconds']:.2f} s"
    )
    if "reason" in result:
        summary += f"; {result['reason']}"
    print(summary, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
