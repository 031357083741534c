"""Generated national load (``manage.py generate_national_data``): the registry
the apps' generators join, the volumes at scale 1.0, and the bulk row writer.

Core imports no app: each app registers its generator from its ``hooks.py``
(``register_generator``), names the models it fills, and writes its rows with
``LoadContext.writer``, which streams them with ``COPY`` on PostgreSQL and
``bulk_create`` in batches elsewhere.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import JSONField, Max, Model
from django.utils import timezone

#: What scale 1.0 means: a KIM in every village of Indonesia (Kemendagri 2025),
#: their members and activities, the fact-checks, news and deliveries of a
#: national deployment after a few years.
NATIONAL: dict[str, int] = {
    "kims": 83_762,
    "members": 1_000_000,
    "activities": 5_000_000,
    "factchecks": 100_000,
    "articles": 200_000,
    "deliveries": 10_000_000,
}


class LoadGenError(Exception):
    """A generator cannot run on this database (its message says what to do)."""


class RowWriter:
    """Writes rows of one model given as tuples for ``columns`` (attnames).

    Every other concrete column gets its field's default (``auto_now`` fields the
    current time, nullable fields NULL), computed once: a generator must name
    every column whose default is not the same for all rows (unique tokens).
    Rows may carry their own ``id`` so that other rows can point at them; the
    sequence is moved past them by ``LoadContext.finish``.
    """

    def __init__(self, model: type[Model], columns: Sequence[str]) -> None:
        self.model = model
        self.columns = list(columns)
        known = {f.attname for f in model._meta.concrete_fields}
        unknown = set(self.columns) - known
        if unknown:
            raise ValueError(f"{model._meta.label} has no column {sorted(unknown)}")
        now = timezone.now()
        self.tail_columns: list[str] = []
        tail: list[Any] = []
        for f in model._meta.concrete_fields:
            if f.attname in self.columns or f.primary_key:
                continue
            self.tail_columns.append(f.attname)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                tail.append(now)
            else:
                tail.append(f.get_default())
        self.tail = tuple(tail)
        names = self.columns + self.tail_columns
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self._json = [
            i for i, n in enumerate(names) if isinstance(fields[n], JSONField)
        ]
        self._names = names
        self.written = 0

    def _pg_row(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        full = row + self.tail
        if not self._json:
            return full
        values = list(full)
        for i in self._json:
            if values[i] is not None:
                values[i] = json.dumps(values[i])
        return tuple(values)

    def write(self, rows: Iterable[tuple[Any, ...]], *, batch: int = 2000) -> int:
        if connection.vendor == "postgresql":
            return self._copy(rows)
        return self._bulk(rows, batch)

    def _copy(self, rows: Iterable[tuple[Any, ...]]) -> int:
        table = connection.ops.quote_name(self.model._meta.db_table)
        fields = {f.attname: f for f in self.model._meta.concrete_fields}
        cols = ", ".join(
            connection.ops.quote_name(str(fields[n].column)) for n in self._names
        )
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor: Django's has no copy()
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(self._pg_row(row))
                    count += 1
        self.written += count
        return count

    def _bulk(self, rows: Iterable[tuple[Any, ...]], batch: int) -> int:
        count = 0
        pending: list[Model] = []
        tail = dict(zip(self.tail_columns, self.tail, strict=True))
        for row in rows:
            values = dict(zip(self.columns, row, strict=True))
            pending.append(self.model(**tail, **values))
            if len(pending) >= batch:
                self.model._default_manager.bulk_create(pending)
                count += len(pending)
                pending = []
        if pending:
            self.model._default_manager.bulk_create(pending)
            count += len(pending)
        self.written += count
        return count


@dataclass
class LoadContext:
    """What a generator is given: the scale, a seeded random source per
    generator, the writer and where to say how it goes."""

    scale: float
    seed: int = 1
    say: Callable[[str], None] = lambda message: None
    written: dict[str, int] = field(default_factory=dict)
    _touched: set[type[Model]] = field(default_factory=set)

    def count(self, key: str) -> int:
        """How many of ``key`` (see ``NATIONAL``) at this scale; at least one."""
        return max(1, round(NATIONAL[key] * self.scale))

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def next_id(self, model: type[Model]) -> int:
        top = model._default_manager.aggregate(top=Max("pk"))["top"]
        return int(top or 0) + 1

    def writer(self, model: type[Model], columns: Sequence[str]) -> RowWriter:
        self._touched.add(model)
        return RowWriter(model, columns)

    def write(
        self,
        model: type[Model],
        columns: Sequence[str],
        rows: Iterable[tuple[Any, ...]],
    ) -> int:
        count = self.writer(model, columns).write(rows)
        label = model._meta.label
        self.written[label] = self.written.get(label, 0) + count
        self.say(f"  {label}: {count:,} rows")
        return count

    def finish(self) -> None:
        """Move the id sequences past the ids the rows brought; on PostgreSQL
        refresh the planner's statistics of the filled tables (autovacuum gets
        to them minutes later: until then the planner takes millions of rows
        for a handful and picks nested loops and sorts)."""
        touched = sorted(self._touched, key=lambda m: m._meta.db_table)
        statements = connection.ops.sequence_reset_sql(no_style(), touched)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                for model in touched:
                    cursor.execute(
                        f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}"
                    )


@dataclass(frozen=True)
class Generator:
    name: str
    generate: Callable[[LoadContext], None]
    #: The models it fills ("app.Model"), in the order it fills them: checked
    #: for rows already there, and emptied by ``--replace``.
    models: tuple[str, ...]
    order: int = 100
    #: Says why it cannot run on this database (regions missing…), else "".
    check: Callable[[], str] | None = None

    def model_classes(self) -> list[type[Model]]:
        return [apps.get_model(label) for label in self.models]


_GENERATORS: dict[str, Generator] = {}


def register_generator(
    name: str,
    generate: Callable[[LoadContext], None],
    *,
    models: Sequence[str],
    order: int = 100,
    check: Callable[[], str] | None = None,
) -> None:
    """Add (or replace) an app's generator of national load."""
    _GENERATORS[name] = Generator(name, generate, tuple(models), order, check)


def generators() -> list[Generator]:
    return sorted(_GENERATORS.values(), key=lambda g: (g.order, g.name))


def existing_rows(gens: Sequence[Generator]) -> dict[str, int]:
    """Rows already in the tables the generators fill (those with any)."""
    found: dict[str, int] = {}
    for gen in gens:
        for model in gen.model_classes():
            if model._default_manager.exists():
                found[model._meta.label] = model._default_manager.count()
    return found


def empty_tables(gens: Sequence[Generator]) -> list[str]:
    """Empty every table the generators fill, the later generators' first (their
    rows point at the earlier ones'). On PostgreSQL ``TRUNCATE … CASCADE`` also
    empties the tables that point at them: for a load-test database only."""
    ordered = [m for g in reversed(gens) for m in reversed(g.model_classes())]
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in ordered)
        with connection.cursor() as cursor:
            # Inside a transaction that wrote these tables (a test's, a caller's)
            # their deferred foreign-key checks are still pending, and
            # PostgreSQL refuses to truncate under them: run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    else:
        with transaction.atomic():
            for model in ordered:
                model._default_manager.all().delete()
    return [m._meta.label for m in ordered]
