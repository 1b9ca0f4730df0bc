"""A report as tables (views): a title, column names and rows of numbers and words."""

from __future__ import annotations

from dataclasses import dataclass, field

Cell = str | int | float | None


@dataclass
class Table:
    """One view of a report: column keys and their Vietnamese headers; the first `keys` columns
    name the row, the others hold numbers."""

    name: str
    title: str
    columns: list[str]
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    keys: int = 1

    def column(self, name: str) -> list[Cell]:
        """Every row's value in one column."""
        at = self.columns.index(name)
        return [row[at] for row in self.rows]


@dataclass
class Report:
    """What `danvan report` shows: where, as of when, and its views."""

    place: str
    as_of: str
    tables: list[Table]

    def table(self, name: str) -> Table:
        """The view with this name; KeyError when there is none."""
        for table in self.tables:
            if table.name == name:
                return table
        raise KeyError(name)
