"""Put the project's tally and the pandas tally in one shape, and list where they differ."""

from __future__ import annotations

import pandas as pd

from bench.pandas_tally import CHOICE_COLUMNS, CONTEST_COLUMNS


def ours(con, wave_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """endorse_analysis.tally and .choices of the wave, as (contests, choices)."""
    import endorse_analysis as ea

    return ea.tally(con, wave_id), ea.choices(con, wave_id)


def normal_contests(frame: pd.DataFrame) -> list[tuple]:
    rows = []
    for row in frame[CONTEST_COLUMNS].itertuples(index=False, name=None):
        rows.append(tuple(None if _missing(x) else (int(x) if _intlike(x) else x) for x in row))
    return sorted(rows, key=lambda r: (r[0], r[1]))


def normal_choices(frame: pd.DataFrame) -> list[tuple]:
    return sorted(
        (w, r, c, int(v)) for w, r, c, v in frame[CHOICE_COLUMNS].itertuples(index=False, name=None)
    )


def _missing(x: object) -> bool:
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _intlike(x: object) -> bool:
    return not isinstance(x, (str, bool)) and hasattr(x, "__int__")


def differences(
    a: tuple[pd.DataFrame, pd.DataFrame], b: tuple[pd.DataFrame, pd.DataFrame], limit: int = 10
) -> list[str]:
    """Human-readable differences between two (contests, choices) results; [] if identical."""
    out: list[str] = []
    ca, cb = normal_contests(a[0]), normal_contests(b[0])
    if ca != cb:
        sa, sb = set(ca), set(cb)
        out += [f"contest only in first:  {r}" for r in sorted(sa - sb, key=str)[:limit]]
        out += [f"contest only in second: {r}" for r in sorted(sb - sa, key=str)[:limit]]
        if not out:
            out.append("contests differ in order or multiplicity")
    ha, hb = normal_choices(a[1]), normal_choices(b[1])
    if ha != hb:
        sa, sb = set(ha), set(hb)
        out += [f"choice only in first:  {r}" for r in sorted(sa - sb)[:limit]]
        out += [f"choice only in second: {r}" for r in sorted(sb - sa)[:limit]]
        if sa == sb:
            out.append("choices differ in multiplicity")
    return out
