"""The package's SQL, kept in named .sql files next to the code and read once."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def sql(name: str) -> str:
    """The text of sql/<name>.sql."""
    return (resources.files("endorse_analysis") / "sql" / f"{name}.sql").read_text("utf-8")
