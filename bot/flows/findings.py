"""Lint findings: one problem in a flow file, printed as `path:line:col: severity: message`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine.flow import Pos


@dataclass(frozen=True, order=True)
class Finding:
    """One error or warning at a place in a flow file."""

    path: str
    line: int
    col: int
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        """Whether this finding stops the flow from loading."""
        return self.severity == "error"


class Findings:
    """Collects the findings for one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Finding] = []

    def error(self, pos: Pos, message: str) -> None:
        """Record an error at `pos`."""
        self.items.append(Finding(self.path, pos.line, pos.col, "error", message))

    def warning(self, pos: Pos, message: str) -> None:
        """Record a warning at `pos`."""
        self.items.append(Finding(self.path, pos.line, pos.col, "warning", message))

    @property
    def has_errors(self) -> bool:
        """Whether any finding is an error."""
        return any(f.is_error for f in self.items)


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix when a known name is close to `name`, else ''."""
    close = difflib.get_close_matches(name, sorted(set(known)), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
