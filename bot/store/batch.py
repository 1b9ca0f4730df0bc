"""A set of writes that must land together, merged with others into one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any


class Batch:
    """Statements with their rows, in order; one batch is one resident's message."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Sequence[Any]]] = []

    def add(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Add one statement."""
        self.items.append((sql, params))

    def __len__(self) -> int:
        return len(self.items)

    @classmethod
    def merge(cls, batches: Iterable[Batch]) -> Batch:
        """One batch with the statements of all, in order."""
        merged = cls()
        for batch in batches:
            merged.items.extend(batch.items)
        return merged

    def grouped(self, order: Sequence[str] = ()) -> Iterator[tuple[str, list[Sequence[Any]]]]:
        """Each statement with all its rows, for executemany, in the given order of statements.

        Every message writes its tables in one fixed order, so gathering each statement's rows
        from many messages keeps each message's own order. Statements not in `order` come
        last, in the order first seen.
        """
        rows: dict[str, list[Sequence[Any]]] = {}
        for sql, params in self.items:
            rows.setdefault(sql, []).append(params)
        rank = {sql: i for i, sql in enumerate(order)}
        yield from sorted(rows.items(), key=lambda item: rank.get(item[0], len(rank)))
