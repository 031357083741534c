"""Choose new tower sites for an instance file: a thin wrapper over
``connectivity.siting.plan``.

    manage.py plan_towers --instance FILE.json --output PLAN.json [--budget 10]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Choose new tower sites (maximal or set covering) for an instance JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instance", required=True, help="instance JSON file")
        parser.add_argument("--output", required=True, help="plan JSON file to write")
        parser.add_argument("--time-limit", type=float, default=10.0, help="seconds")
        parser.add_argument("--method", choices=("exact", "greedy"), default="exact")
        parser.add_argument(
            "--objective", choices=("max_cover", "set_cover"), default="max_cover"
        )
        parser.add_argument("--budget", type=int, help="override the instance's budget")

    def handle(self, *args: Any, **options: Any) -> None:
        from connectivity.siting import InvalidInstance, plan

        try:
            instance = json.loads(Path(options["instance"]).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"cannot read {options['instance']}: {exc}") from None
        if not isinstance(instance, dict):
            raise CommandError("the instance must be a JSON object")
        if options["budget"] is not None:
            instance["budget"] = options["budget"]
        try:
            result = plan(
                instance,
                time_limit=options["time_limit"],
                method=options["method"],
                objective=options["objective"],
            )
        except InvalidInstance as exc:
            raise CommandError(str(exc)) from None
        Path(options["output"]).write_text(
            json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        summary = (
            f"{result['status']}: {result['n_selected']} sites, covered "
            f"{result['covered_weight']:.1f} of {result['total_weight']:.1f} "
            f"(bound {result['bound']:.1f}, gap {100 * result['gap']:.2f}%) "
            f"in {result['seconds']:.2f} s"
        )
        if "reason" in result:
            summary += f"; {result['reason']}"
        self.stdout.write(summary)
