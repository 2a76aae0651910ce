"""DataFrame cells as plain Python values, for outputs and pages that must be exact."""

from __future__ import annotations

import math

import pandas as pd


def plain(value: object) -> object:
    """A DataFrame cell as a plain Python value: NaN/NA -> None, numpy scalars -> numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def plain_records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, object]]:
    """Rows as dicts of plain values (None for missing), in the given column order."""
    columns = list(frame.columns) if columns is None else columns
    return [
        dict(zip(columns, map(plain, row), strict=True))
        for row in frame[columns].itertuples(index=False, name=None)
    ]
