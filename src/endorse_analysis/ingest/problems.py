"""Problems found in an input folder, and the refusal that carries them.

In: what a check found (file, line, column, value, what was expected); a problem in a
database table names its row by id instead of a line. Out: one line of
text per problem, and `LoadRefused`, which the command line prints and exits on.

A problem line quotes a value only where it cannot be personal data: never a value of
members.csv other than its member_id, and never anything shaped like an email address or
a phone number, in any file and in any column name (a header row may be a row of data).
Such a value is named by its file, line and column only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_SHOWN = 20
MAX_VALUE_CHARS = 60
WITHHELD = "the value (not shown)"
# The member list holds people: of its values only the id may be quoted (docs/rules.md §3).
MEMBERS_FILE, QUOTABLE_MEMBER_COLUMNS = "members.csv", ("member_id",)

_EMAIL = re.compile(r"[^\s@]@[^\s@]")  # anything@anything
# A run of digits and the separators phone numbers are written with.
_PHONE_RUN = re.compile(r"\+?\(?[0-9][0-9 ().\-/]*[0-9]")
# Dates are not phone numbers: 2026-03-04, 2026/3/4, 03/04/2026.
_DATE = re.compile(
    r"[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}"
)


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
            where += f", column {shown_name(self.column)}"
        if self.value is None:
            return f"{where}: {self.message}"
        if not quotable(self.file, self.column, self.value):
            return f"{where}: {WITHHELD} {self.message}"
        return f"{where}: {show_value(self.value)} {self.message}"


def show_value(value: str) -> str:
    """A value quoted for a message, cut short when long, control characters escaped."""
    text = value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…"
    return repr(text)


def looks_personal(text: str) -> bool:
    """Whether `text` holds something shaped like an email address (anything@anything)
    or a phone number (7 to 15 digits written with phone separators, or 10 to 15 digits in
    a row); dates and the parts of a time of day (next to a ':') are not phone numbers.
    Only the start of a long text is read: a message shows no more of it."""
    text = text[: 2 * MAX_VALUE_CHARS]
    if _EMAIL.search(text):
        return True
    for run in _PHONE_RUN.finditer(text):
        digits = sum(c.isdigit() for c in run.group())
        separated = not run.group().isdigit()
        in_time = (
            text[run.start() - 1 : run.start()] == ":" or text[run.end() : run.end() + 1] == ":"
        )
        if in_time or _DATE.match(run.group()):
            continue
        if (7 if separated else 10) <= digits <= 15:
            return True
    return False


def quotable(file: str, column: str | None, value: str) -> bool:
    """Whether a refusal may quote `value` of `column` in `file`."""
    if file == MEMBERS_FILE and column not in QUOTABLE_MEMBER_COLUMNS:
        return False
    return not looks_personal(value)


def shown_name(name: str) -> str:
    """A column name as a message may show it: withheld when shaped like personal data."""
    return "(name not shown)" if looks_personal(name) else name


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
