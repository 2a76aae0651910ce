"""Problems found in an input folder, and the refusal that carries them.

In: what a check found (file, line, column, value, what was expected); a problem in a
database table names its row by id instead of a line. Out: one line of
text per problem, and `LoadRefused`, which the command line prints and exits on.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_SHOWN = 20
MAX_VALUE_CHARS = 60


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place of one file: file, line, column, value, expectation."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str
    count: int = 1  # more than 1: this line stands for that many problems of one check
    unit: str = "line"  # what `line` counts: a file's lines, or a database row's "id"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f" {self.unit} {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
        if self.value is None:
            return f"{where}: {self.message}"
        return f"{where}: {show_value(self.value)} {self.message}"


def show_value(value: str) -> str:
    """A value quoted for a message, cut short when long, control characters escaped."""
    text = value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…"
    return repr(text)


class LoadRefused(Exception):
    """The folder was refused; nothing stored changed."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else sum(p.count for p in problems)
        super().__init__(f"{self.total} problem(s)")

    def lines(self, limit: int = MAX_SHOWN) -> list[str]:
        shown = [str(p) for p in self.problems[:limit]]
        more = self.total - len(shown)
        if more > 0:
            shown.append(f"… and {more} more problem(s)")
        return shown
