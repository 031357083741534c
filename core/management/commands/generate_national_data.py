from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core.loadgen import (
    NATIONAL,
    LoadContext,
    LoadGenError,
    empty_tables,
    existing_rows,
    generators,
)


class Command(BaseCommand):
    help = (
        "Fill the database with a generated national load for benchmarks. At "
        "--scale 1.0: "
        + ", ".join(f"{v:,} {k}" for k, v in NATIONAL.items())
        + ". Needs the regions first (import_regions --source "
        "<shared>/data/regions/indonesia for the whole country). Refuses a "
        "database where the generated tables already hold rows (it does not top "
        "up); --replace empties them first (on PostgreSQL with TRUNCATE … CASCADE, "
        "which also empties the tables pointing at them: a load-test database "
        "only). COPY on PostgreSQL, bulk inserts elsewhere."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the tables the generators fill before filling them again",
        )
        parser.add_argument(
            "--only",
            nargs="+",
            metavar="NAME",
            help="Run only these generators (their order is kept)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale: float = options["scale"]
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        gens = generators()
        if options["only"]:
            unknown = set(options["only"]) - {g.name for g in gens}
            if unknown:
                known = ", ".join(g.name for g in gens)
                raise CommandError(f"Unknown generator {sorted(unknown)}: {known}.")
            gens = [g for g in gens if g.name in options["only"]]
        problems = [msg for g in gens if g.check and (msg := g.check())]
        if problems:
            raise CommandError("\n".join(dict.fromkeys(problems)))
        found = existing_rows(gens)
        if found and not options["replace"]:
            listed = ", ".join(f"{label}: {n:,}" for label, n in found.items())
            raise CommandError(
                f"The database already holds rows the generators write ({listed}). "
                "This command does not top up: run it with --replace to empty "
                "those tables first."
            )
        if found:
            self.stdout.write("Emptying " + ", ".join(empty_tables(gens)))
        ctx = LoadContext(scale=scale, seed=options["seed"], say=self.stdout.write)
        started = time.monotonic()
        for gen in gens:
            self.stdout.write(f"{gen.name}…")
            began = time.monotonic()
            try:
                with transaction.atomic():
                    gen.generate(ctx)
            except LoadGenError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"  {gen.name} in {time.monotonic() - began:.1f} s")
        ctx.finish()
        total = sum(ctx.written.values())
        took = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{total:,} rows at scale {scale} in {took:.1f} s "
                f"({total / max(took, 1e-9):,.0f} rows/s)."
            )
        )
