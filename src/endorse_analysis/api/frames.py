"""DataFrame cells as plain Python values, for outputs and pages that must be exact; a rate
of two count columns with its Wilson interval."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from endorse_analysis.rules.margins import wilson_interval


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


def rate_with_interval(frame: pd.DataFrame, part: str, whole: str, name: str) -> pd.DataFrame:
    """A copy with `name` = part / whole and its 95% Wilson interval (`name`_low,
    `name`_high); missing where either count is hidden or the whole is 0."""
    rows = []
    for p, w in zip(frame[part], frame[whole], strict=True):
        if pd.isna(p) or pd.isna(w) or int(w) == 0:
            rows.append((np.nan, np.nan, np.nan))
        else:
            rows.append((int(p) / int(w), *wilson_interval(int(p), int(w))))
    out = frame.copy()
    columns = [name, f"{name}_low", f"{name}_high"]
    out[columns] = pd.DataFrame(rows, columns=columns, index=frame.index, dtype="float64")
    return out
