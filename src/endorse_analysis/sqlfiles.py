"""The package's SQL, kept in named .sql files in each layer's sql/ folder and read once."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def sql_text(package: str, name: str) -> str:
    """The text of `<package>/sql/<name>.sql`, e.g. ("endorse_analysis.rules", "ballot")."""
    return (resources.files(package) / "sql" / f"{name}.sql").read_text("utf-8")
