"""Recompute derived statuses, predicted coverage and today's progress snapshot."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from connectivity import services
from regions import provinces
from regions.models import Region


class Command(BaseCommand):
    help = "Ensure village offices, refresh derived statuses and predicted coverage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region",
            default="",
            help=(
                f"region code (default {settings.HOME_REGION}; on a deployment "
                "serving several provinces, each province served)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Serving several provinces there is no "the province": each is refreshed.
        codes = (
            [options["region"]]
            if options["region"]
            else provinces.served_codes()
            if provinces.is_national()
            else [settings.HOME_REGION]
        )
        for code in codes:
            region = Region.objects.filter(kode=code).first()
            if region is None:
                raise CommandError(f"unknown region {code}")
            self._refresh(region, named=len(codes) > 1)

    def _refresh(self, region: Region, *, named: bool) -> None:
        offices = services.village_offices_ensure(region=region)
        statuses = services.village_statuses_refresh(region=region)
        places = services.coverage_refresh(region=region)
        if region.level != Region.Level.VILLAGE:
            services.progress_snapshot_take(region=region)
        self.stdout.write(
            (f"{region.kode}: " if named else "")
            + f"{offices} offices created, {statuses} villages refreshed, "
            f"{places} places predicted."
        )
