"""Each race in its political context: where it is, and how competitive its ground was.

In: a connection and a wave (the `race_context` macro over the snapshot's `districts`,
the 2024 presidential result on the 2024 district lines). Out: one row per race: its
place in words, the largest place, the Republican share of the two-party vote, the lean
as a signed margin in points ("R+6.0"), and a competitiveness band.

The bands have stated cut-offs, compared exactly: a toss-up is within TOSS_UP points
either way, a lean within LEAN points, safe beyond. The figures describe the 2024 lines
(`DISTRICT_MAP`): a state that redrew its districts after 2024 has other districts, and a
race with no row (a redrawn district, a special election) says so; it is never an error.
"""

from __future__ import annotations

import os
from decimal import Decimal
from fractions import Fraction

import duckdb
import pandas as pd

from endorse_analysis import parameters
from endorse_analysis.api.frames import plain_records
from endorse_analysis.ingest.reference import DISTRICT_MAP
from endorse_analysis.ingest.schema import DISTRICT_COLUMNS

TOSS_UP = parameters.TOSS_UP.value  # points of margin: a toss-up is within this either way
LEAN = parameters.LEAN.value  # points: a lean is within this (and beyond TOSS_UP); safe beyond
NO_CONTEXT = "no 2024 figure"
# The bands from the most Democratic to the most Republican, the order of every table
# and chart that compares them, then races with no figure.
BANDS = ("safe D", "lean D", "toss-up", "lean R", "safe R", NO_CONTEXT)
CONTEXT_COLUMNS = [
    "race_id",
    "description",
    "largest_place",
    "rep_share",
    "margin",
    "lean",
    "band",
    "map",
]


def margin_points(rep_votes: Decimal, two_party_votes: int) -> Fraction:
    """The Republican margin over the Democrat in points of the two-party vote: 100 x
    (R share - D share) = 100 x (2 x R share - 1), exactly. Positive: Republican."""
    share = Fraction(rep_votes) / two_party_votes
    return (2 * share - 1) * 100


def lean_text(margin: Fraction) -> str:
    """'R+6.0', 'D+12.3' or 'even': the margin to one decimal, cut, never rounded up."""
    tenths = abs(margin.numerator) * 10 // margin.denominator
    if tenths == 0 and margin == 0:
        return "even"
    party = "R" if margin > 0 else "D"
    return f"{party}+{tenths // 10}.{tenths % 10}"


def band(margin: Fraction | None) -> str:
    """The competitiveness band of a margin, at exact cut-offs: |margin| <= TOSS_UP is a
    toss-up, <= LEAN a lean, beyond that safe."""
    if margin is None:
        return NO_CONTEXT
    if abs(margin) <= TOSS_UP:
        return "toss-up"
    party = "R" if margin > 0 else "D"
    return f"{'lean' if abs(margin) <= LEAN else 'safe'} {party}"


def race_context(con: duckdb.DuckDBPyConnection, wave_id: str | None = None) -> pd.DataFrame:
    """The context of every race of the wave's contests (of every race without a wave)."""
    rows = plain_records(con.execute("SELECT * FROM race_context(?)", [wave_id]).df())
    states = dict(con.execute("SELECT state, name FROM states").fetchall())
    out = []
    for row in rows:
        margin = (
            None
            if not row["two_party_votes"]
            else margin_points(Decimal(str(row["rep_votes"])), int(row["two_party_votes"]))
        )
        statewide = row["office"] != "house"
        description = states.get(row["state"], row["state"]) if statewide else row["description"]
        out.append(
            {
                "race_id": row["race_id"],
                "description": description,
                "largest_place": None if statewide else row["largest_place"],
                "rep_share": None if margin is None else float((margin / 100 + 1) / 2),
                "margin": None if margin is None else float(margin),
                "lean": None if margin is None else lean_text(margin),
                "band": band(margin),
                "map": DISTRICT_MAP,
            }
        )
    return pd.DataFrame(out, columns=CONTEXT_COLUMNS)


def use_district_facts(con: duckdb.DuckDBPyConnection, path: str | os.PathLike) -> None:
    """Read the district facts of `path` instead of the snapshot's, on this connection only
    (a temporary table shadows `districts`, so every context figure follows the file)."""
    typed = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in DISTRICT_COLUMNS.items())
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE districts AS SELECT {typed} "  # noqa: S608 - our columns
        "FROM read_csv(?, header = true, all_varchar = true)",
        [str(path)],
    )
