"""A synthetic national data set for the endorsement vote (docs/rules.md §2).

:func:`write_demo` writes the eight input files of the 2026 cycle (all of docs/rules.md §2
but the optional rulings.csv): the 506 races of the reference file ``races-2026.csv``
voted in four waves (March, April, May, July), about 3,000 local groups, their
endorsements, staff vetting, a member list (with the personal columns of a real export)
and the votes.

Everything is drawn from one ``numpy`` generator seeded with ``seed``, so the same seed
gives byte-identical files. The big tables (members, votes) are generated with array
operations and written through DuckDB's CSV writer (RFC 4180 quoting), so millions of
rows take seconds. Timestamps are written in U.S. Eastern time with an explicit offset
(``-05:00``, or ``-04:00`` while daylight saving time is in force).

The data is designed so that every decision (``ENDORSE``, ``REVIEW``,
``NO_ENDORSEMENT``, ``NO_CANDIDATES``) and every vote status (``counted``,
``superseded``, ``outside_window``, ``not_on_ballot``, ``not_eligible``,
``unknown_member``, ``unknown_race``) occurs in each wave, also at a few tens of
thousands of members: each wave has designated contests for each decision and a
minimum number of each kind of irregular vote.

Its races are the real races of 2026, so each has its political context from the
reference facts (the 2024 lean of its district or state). Turnout and support are drawn
without regard to that lean: a trend the dynamics notebook finds in the demo is chance,
which is what an analyst should see on data that has none.

The modules:

- ``times``: the waves, and instants in Eastern time;
- ``country``: the states and races of the reference files;
- ``races``: which races are voted in which wave, and their candidates;
- ``groups``: local groups, endorsements and vetting;
- ``members``: the member list;
- ``votes``: the votes, drawn by ``regular_votes`` and ``irregular_votes`` into the
  rows of ``vote_rows``;
- ``write``: the CSV files; ``names``: the word lists names are drawn from.

The data is drawn in the order races, groups (with endorsements and vetting), members,
votes, from one generator: changing the number or order of draws anywhere changes
everything drawn after it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from endorse_analysis.ingest.schema import INPUT_FILES
from endorse_analysis.synthetic.country import read_country
from endorse_analysis.synthetic.groups import (
    draw_endorsements,
    draw_groups,
    endorsements_table,
    groups_table,
    vetting_table,
)
from endorse_analysis.synthetic.members import MEMBERS_SELECT, draw_members, members_table
from endorse_analysis.synthetic.races import candidates_table, plan_contests, races_table
from endorse_analysis.synthetic.times import WAVES, waves_table
from endorse_analysis.synthetic.votes import VOTES_SELECT, draw_votes, votes_table
from endorse_analysis.synthetic.write import CsvWriter

__all__ = ["FILES", "WAVES", "write_demo"]

# The input files the demo writes: all but the optional ones (rulings.csv).
FILES = tuple(f.filename for f in INPUT_FILES if not f.optional)
# Beyond these the demo would not fit in memory; four times the largest benchmark.
MAX_MEMBERS, MAX_VOTES = 20_000_000, 40_000_000


def write_demo(
    out_dir: Path, *, seed: int = 2026, members: int = 500_000, votes: int | None = None
) -> dict[str, int]:
    """Write the eight CSV files of a synthetic 2026 data set into ``out_dir`` (no
    rulings.csv: staff write that optional ninth file after the vote).

    ``members`` is the size of the member list (at least 1,000); ``votes`` is the
    number of rows of votes.csv (``None``: what the simulated turnout gives, roughly
    35-45% of the member count; else exactly that many, unless it is tiny).
    Deterministic for a given seed. Returns the number of data rows per file name.
    """
    if not 1000 <= members <= MAX_MEMBERS:
        raise ValueError(f"members must be from 1,000 to {MAX_MEMBERS:,}")
    if votes is not None and not 0 <= votes <= MAX_VOTES:
        raise ValueError(f"votes must be from 0 to {MAX_VOTES:,}")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    country = read_country()
    contests, candidates = plan_contests(rng, country)
    groups = draw_groups(rng, country)
    endorsements, vetting = draw_endorsements(rng, country, contests, candidates, groups)
    member_list = draw_members(rng, country, members)
    vote_rows = draw_votes(rng, country, member_list, contests, candidates, votes)
    with CsvWriter(folder) as csv:
        csv.write("waves.csv", waves_table())
        csv.write("races.csv", races_table(country))
        csv.write("candidates.csv", candidates_table(country, candidates))
        csv.write("groups.csv", groups_table(country, groups))
        csv.write("endorsements.csv", endorsements_table(endorsements))
        csv.write("vetting.csv", vetting_table(vetting))
        # The last draws: the members' personal columns, then the gaps in the vote ids.
        csv.write("members.csv", members_table(rng, country, member_list), MEMBERS_SELECT)
        csv.write("votes.csv", votes_table(rng, country, candidates, vote_rows), VOTES_SELECT)
    assert set(csv.rows) == set(FILES), "the demo writes every required input file"
    return csv.rows
