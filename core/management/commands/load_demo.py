from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.demo import demo_loaders


class Command(BaseCommand):
    help = "Load the demo data of Kalimantan Timur (idempotent: keeps what exists)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, loader in demo_loaders():
            for line in loader():
                self.stdout.write(line)
            if options["verbosity"] > 1:
                self.stdout.write(f"demo: {name} done")
