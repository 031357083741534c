"""A mapping over the rows of a saved index (memory-mapped, read when asked
for) with the documents added, edited or removed since held in memory: what
the engine's documents and the lexical index's term ids both are."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping, Sequence
from typing import TypeVar

V = TypeVar("V")


class Overlay(MutableMapping[str, V]):
    """Subclasses read a base row with ``_load``."""

    def __init__(self, base_ids: Sequence[str] = ()) -> None:
        self._row: dict[str, int] = {d: r for r, d in enumerate(base_ids)}
        self._own: dict[str, V] = {}
        self._gone: set[str] = set()  # base rows deleted or replaced

    def _load(self, row: int) -> V:
        raise NotImplementedError

    def _base(self, key: object) -> int | None:
        row = self._row.get(key) if isinstance(key, str) else None
        return None if row is None or key in self._gone else row

    def __getitem__(self, key: str) -> V:
        own = self._own.get(key)
        if own is not None:
            return own
        row = self._base(key)
        if row is None:
            raise KeyError(key)
        return self._load(row)

    def __setitem__(self, key: str, value: V) -> None:
        if self._base(key) is not None:
            self._gone.add(key)
        self._own[key] = value

    def __delitem__(self, key: str) -> None:
        if key in self._own:
            del self._own[key]
        elif self._base(key) is not None:
            self._gone.add(key)
        else:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return key in self._own or self._base(key) is not None

    def __iter__(self) -> Iterator[str]:
        gone = self._gone
        yield from (d for d in self._row if d not in gone)
        yield from list(self._own)

    def __len__(self) -> int:
        return len(self._row) - len(self._gone) + len(self._own)
