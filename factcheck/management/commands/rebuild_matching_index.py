from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from factcheck import matching_service


class Command(BaseCommand):
    help = "Rebuild the claim-matching index from the database and save it."

    def handle(self, *args: Any, **options: Any) -> None:
        info = matching_service.rebuild()
        status = matching_service.status()
        self.stdout.write(
            f"{info['documents']} fact-checks indexed in {info['seconds']} s "
            f"at {info['path']} (generation {info['generation']}); "
            f"mode: {status.get('mode')}"
            + (f" ({status['reason']})" if status.get("reason") else "")
        )
