"""A ranked tally of a 1M-vote wave (contract §5) beside a hand-written floor.

Writes a program of one ranked wave (50 statewide races, five candidates each, all on the
ballot; one member per vote; rankings of one to five candidates, NO_ENDORSEMENT sometimes
ranked), loads it, and times, `--repeat` times each on a fresh connection:

- tally: `endorse_analysis.tally(con, wave)` + `choices(con, wave)`: every contest's
  instant runoff (the recursive SQL of rules/sql/runoff.sql) and decision;
- floor: a plain pandas runoff written from §5, from the wave's votes already in memory:
  the latest vote per member and race, the ballots counted per ranking, then a Python loop
  of rounds per race over those rankings (no eligibility, window or ballot checks).

Both must give every contest the same rounds, or the run fails.

    .venv/bin/python bench/ranked_bench.py --votes 1000000 [--repeat 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

WAVE = "R"
NO_ENDORSEMENT = "NO_ENDORSEMENT"
STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
).split()
CANDIDATES = 5


def write_program(folder: Path, votes: int, seed: int = 30) -> None:
    """The eight CSV files of a one-wave ranked program with `votes` votes."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    races = [f"{s}-SEN" for s in STATES]
    cands = [(f"{s}-C{k}", f"{s}-SEN") for s in STATES for k in range(1, CANDIDATES + 1)]
    frames = {
        "waves": pd.DataFrame(
            [(WAVE, "Ranked wave", "2026-04-01T00:00:00Z", "2026-04-15T00:00:00Z", "", "ranked")],
            columns=["wave_id", "name", "opens_at", "closes_at", "signup_closes_at", "method"],
        ),
        "races": pd.DataFrame(
            [(r, "senate", r[:2], "", 2026) for r in races],
            columns=["race_id", "office", "state", "district", "cycle"],
        ),
        "candidates": pd.DataFrame(
            [(c, r, f"Candidate {c}") for c, r in cands],
            columns=["candidate_id", "race_id", "name"],
        ),
        "groups": pd.DataFrame(
            [(f"G{s}", f"{s} group", s, "") for s in STATES],
            columns=["group_id", "name", "state", "district"],
        ),
        "endorsements": pd.DataFrame(
            [(f"G{r[:2]}", c, WAVE, "2026-03-01", "true") for c, r in cands],
            columns=["group_id", "candidate_id", "wave_id", "endorsed_on", "requests_national"],
        ),
        "vetting": pd.DataFrame(
            [(c, WAVE, "cleared", "passed") for c, _ in cands],
            columns=["candidate_id", "wave_id", "status", "questionnaire"],
        ),
    }
    state = rng.integers(0, len(STATES), votes)
    member_ids = np.char.add("M", np.arange(1, votes + 1).astype(str))
    frames["members"] = pd.DataFrame(
        {
            "member_id": member_ids,
            "state": np.array(STATES)[state],
            "district": "",
            "signed_up_at": "2025-01-01",
        }
    )
    # Rankings: a popular first choice per state, then the others in a random order, cut
    # to one to five options; one ballot in twenty puts NO_ENDORSEMENT somewhere.
    weights = np.array([0.34, 0.27, 0.19, 0.12, 0.08])
    order = np.argsort(rng.random((votes, CANDIDATES)), axis=1)
    first = rng.choice(CANDIDATES, size=votes, p=weights)
    swap = order == first[:, None]
    order[swap] = order[:, 0].repeat(swap.sum(axis=1))
    order[:, 0] = first
    length = rng.integers(1, CANDIDATES + 1, votes)
    states = np.array(STATES)[state]
    parts = [
        np.char.add(np.char.add(states, "-C"), (order[:, k] + 1).astype(str)) for k in range(5)
    ]
    choice = parts[0].astype(object)
    for k in range(1, CANDIDATES):
        longer = length > k
        choice[longer] = choice[longer] + ">" + parts[k][longer]
    with_none = rng.random(votes) < 0.05
    choice[with_none] = choice[with_none] + ">" + NO_ENDORSEMENT
    seconds = rng.integers(0, 13 * 86400, votes)
    cast = pd.Timestamp("2026-04-01", tz="UTC") + pd.to_timedelta(seconds, unit="s")
    frames["votes"] = pd.DataFrame(
        {
            "vote_id": np.arange(1, votes + 1),
            "wave_id": WAVE,
            "race_id": np.array(races)[state],
            "member_id": member_ids,
            "choice": choice,
            "cast_at": cast.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )
    for name, frame in frames.items():
        frame.to_csv(folder / f"{name}.csv", index=False)


def floor_runoff(votes: pd.DataFrame, ballot: dict[str, list[str]], support: Fraction) -> dict:
    """§5's instant runoff, by hand: the latest vote per member and race, ballots per
    ranking, then rounds per race. {race: [(votes per option, exhausted, eliminated)]}."""
    latest = votes.sort_values(["cast_at", "vote_id"]).drop_duplicates(
        ["race_id", "member_id"], keep="last"
    )
    patterns = latest.groupby(["race_id", "choice"]).size()
    by_race: dict[str, list[tuple[list[str], int]]] = {}
    for (race, choice), count in patterns.items():
        by_race.setdefault(race, []).append(([o.strip() for o in choice.split(">")], int(count)))
    result = {}
    for race, ballots in by_race.items():
        n = sum(c for _, c in ballots)
        continuing = list(ballot[race])
        first = {c: 0 for c in continuing}
        for options, count in ballots:
            if options[0] in first:
                first[options[0]] += count
        rounds = []
        while True:
            tally = dict.fromkeys([*continuing, NO_ENDORSEMENT], 0)
            for options, count in ballots:
                for option in options:
                    if option in tally:
                        tally[option] += count
                        break
            exhausted = n - sum(tally.values())
            cand = {c: tally[c] for c in continuing}
            top = max(cand.values(), default=0)
            if top == 0 or top * support.denominator >= support.numerator * n or len(cand) <= 1:
                rounds.append((tally, exhausted, None))
                break
            loser = min(cand, key=lambda c: (cand[c], first[c], [-ord(ch) for ch in c]))
            rounds.append((tally, exhausted, loser))
            continuing.remove(loser)
        result[race] = rounds
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    import endorse_analysis as ea

    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "program", Path(tmp) / "ranked.duckdb"
        started = time.perf_counter()
        write_program(folder, args.votes)
        written = time.perf_counter() - started
        started = time.perf_counter()
        ea.load_folder(folder, db)
        loaded = time.perf_counter() - started

        tally_seconds, contests = [], None
        for _ in range(args.repeat):
            con = ea.connect(db)
            started = time.perf_counter()
            contests = ea.tally(con, WAVE)
            ea.choices(con, WAVE)
            tally_seconds.append(time.perf_counter() - started)
            votes = con.execute(
                "SELECT vote_id, race_id, member_id, choice, cast_at FROM votes WHERE wave_id = ?",
                [WAVE],
            ).df()
            ballot = {}
            for race, candidate in con.execute(
                "SELECT race_id, candidate_id FROM ballot(?) ORDER BY 1, 2", [WAVE]
            ).fetchall():
                ballot.setdefault(race, []).append(candidate)
            con.close()

        floor_seconds, floor = [], None
        for _ in range(args.repeat):
            started = time.perf_counter()
            floor = floor_runoff(votes, ballot, Fraction(3, 5))
            floor_seconds.append(time.perf_counter() - started)

    ours = {
        row["race_id"]: [
            (r["votes"], r["exhausted"], r["eliminated"]) for r in row["runoff_rounds"]
        ]
        for _, row in contests.iterrows()
    }
    if ours != floor:
        sys.exit("the floor's rounds differ from the package's: the comparison is void")
    rounds = [len(r) for r in ours.values()]
    figures = {
        "votes": args.votes,
        "contests": len(ours),
        "rounds (min, median, max)": [min(rounds), statistics.median(rounds), max(rounds)],
        "write s": round(written, 2),
        "load s": round(loaded, 2),
        "tally s (median, min, max)": [
            round(statistics.median(tally_seconds), 3),
            round(min(tally_seconds), 3),
            round(max(tally_seconds), 3),
        ],
        "floor s (median, min, max)": [
            round(statistics.median(floor_seconds), 3),
            round(min(floor_seconds), 3),
            round(max(floor_seconds), 3),
        ],
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
