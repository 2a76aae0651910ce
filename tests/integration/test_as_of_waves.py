"""A provisional connection opened for some waves (`connect(as_of=..., waves=...)`, what
`tally --as-of`, `report --as-of` and the decision at hour 24 use) counts those waves
exactly as one opened for every wave, and refuses the others rather than answer for them
with no votes."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
import pytest

import endorse_analysis as ea

INSTANTS = ["2026-03-04T12:00", "2026-03-10T00:00", "2026-04-15T00:00", "2027-01-01T00:00"]


@pytest.mark.parametrize("instant", INSTANTS)
def test_one_wave_counts_as_with_every_wave(sample_db, instant):
    as_of = datetime.fromisoformat(instant)
    with ea.connect(sample_db, as_of=as_of) as every:
        for wave in ("2026-03", "2026-04"):
            with ea.connect(sample_db, as_of=as_of, waves=[wave]) as one:
                for read in (ea.tally, ea.choices, ea.audit):
                    pd.testing.assert_frame_equal(read(one, wave), read(every, wave))
                counts = "SELECT * FROM vote_counts ORDER BY ALL"
                expected = every.execute(
                    "SELECT * FROM vote_counts WHERE wave_id = ? ORDER BY ALL", [wave]
                ).df()
                pd.testing.assert_frame_equal(one.execute(counts).df(), expected)


def test_the_other_waves_are_refused_not_empty(sample_db):
    with ea.connect(sample_db, as_of=datetime(2026, 5, 1), waves=["2026-04"]) as one:
        with pytest.raises(ea.UnknownWave, match="was not counted on this provisional"):
            ea.tally(one, "2026-03")
        with pytest.raises(ea.UnknownWave, match="some waves only"):
            ea.audit(one)
        with pytest.raises(ea.UnknownWave, match="not in the database"):
            ea.tally(one, "2099-01")


def test_the_cli_tallies_as_of_one_wave_as_before(sample_db, tmp_path):
    from helpers import run_cli

    run = run_cli("tally", "--db", sample_db, "--wave", "2026-03", "--as-of", "2026-03-10",
                  "--format", "json")  # fmt: skip
    assert run.code == 0, run.err
    with ea.connect(sample_db, as_of=datetime(2026, 3, 10)) as every:
        expected = ea.tally(every, "2026-03")
    shown = {c["race_id"]: c["ballots_counted"] for c in json.loads(run.out)["contests"]}
    assert shown == dict(zip(expected["race_id"], expected["ballots_counted"], strict=True))
    assert sum(shown.values()) > 0
