"""Shared set-up of the network benchmarks: a temporary SQLite database with
Kaltim's regions, made before Django is imported (nothing touches ``var/``)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def setup() -> Path:
    data_dir = Path(tempfile.mkdtemp(prefix="simpul-bench-"))
    os.environ["SIMPUL_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["CACHE_URL"] = "locmem://"
    os.environ["STATIC_MANIFEST"] = "0"
    os.environ["MAP_TILE_URL"] = ""
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import_regions", source=REPO / "regions" / "data", verbosity=0)
    return data_dir


def trainings_create(
    rng: Any, *, places: list[str], organiser: Any, per: int, now: Any
) -> None:
    """One digital-literacy training held in each of ``places`` (a region code
    each, five days apart), with ``per`` participants who attend on site and take
    the pre- and post-test (a 20-point gain)."""
    from datetime import timedelta

    from network.models import Attendance, Event, Participant, Person, QuizAttempt

    people = Person.objects.bulk_create(
        [Person(full_name=f"Peserta {i}") for i in range(len(places) * per)],
        batch_size=1000,
    )
    for t, place in enumerate(places):
        event = Event.objects.create(
            kind=Event.Kind.TRAINING,
            title=f"Pelatihan {t}",
            region_id=place,
            organiser_region=organiser,
            venue="Aula",
            starts_at=now - timedelta(days=t * 5),
        )
        participants = Participant.objects.bulk_create(
            [
                Participant(event=event, person=p)
                for p in people[t * per : (t + 1) * per]
            ]
        )
        Attendance.objects.bulk_create(
            [
                Attendance(participant=p, event=event, mode="onsite", method="qr")
                for p in participants
            ]
        )
        attempts = []
        for p in participants:
            pre = rng.randrange(20, 70)
            for phase, score in (("pre", pre), ("post", min(100, pre + 20))):
                attempts.append(
                    QuizAttempt(
                        participant=p, phase=phase, score=score, correct=0, total=5
                    )
                )
        QuizAttempt.objects.bulk_create(attempts)
