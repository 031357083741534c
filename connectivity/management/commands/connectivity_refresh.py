"""Recompute derived statuses, predicted coverage and today's progress snapshot."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from connectivity import services
from regions.models import Region


class Command(BaseCommand):
    help = "Ensure village offices, refresh derived statuses and predicted coverage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region",
            default=settings.HOME_REGION,
            help=f"region code (default {settings.HOME_REGION})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(kode=options["region"]).first()
        if region is None:
            raise CommandError(f"unknown region {options['region']}")
        offices = services.village_offices_ensure(region=region)
        statuses = services.village_statuses_refresh(region=region)
        places = services.coverage_refresh(region=region)
        if region.level != Region.Level.VILLAGE:
            services.progress_snapshot_take(region=region)
        self.stdout.write(
            f"{offices} offices created, {statuses} villages refreshed, "
            f"{places} places predicted."
        )
