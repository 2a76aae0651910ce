"""The synthetic data set of ``endorse_analysis.demo``.

A small demo (40,000 members) is generated once per module. It must be quick,
deterministic, a valid set of the contract's eight files, and rich enough that every
decision and every vote status occurs in every wave: checked both by an independent
SQL reading of docs/rules.md §3 (below) and through the package's own command line.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from endorse_analysis.synthetic import FILES, WAVES, write_demo

SMALL = 40_000
WAVE_IDS = [w[0] for w in WAVES]
# The single-choice waves, which the plain reference reading below follows (contract §3);
# the ranked and approval ones (§5) are checked against the model in test_demo_methods.
SINGLE_WAVE_IDS = [w.wave_id for w in WAVES if not w.method]
DECISIONS = {"ENDORSE", "REVIEW", "NO_ENDORSEMENT", "NO_CANDIDATES"}
STATUSES = {
    "counted",
    "superseded",
    "outside_window",
    "not_on_ballot",
    "not_eligible",
    "unknown_member",
    "unknown_race",
}
STATES_CSV = Path(__file__).resolve().parents[2] / "data" / "reference" / "states.csv"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    t0 = time.perf_counter()
    counts = write_demo(folder, members=SMALL)
    return folder, counts, time.perf_counter() - t0


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def _digests(folder: Path) -> dict[str, str]:
    return {f: hashlib.sha256((folder / f).read_bytes()).hexdigest() for f in FILES}


# --------------------------------------------------------------------------- files


def test_writes_the_eight_files_quickly(small):
    folder, counts, seconds = small
    assert seconds < 10
    assert set(counts) == set(FILES)
    for name in FILES:
        header, rows = _rows(folder / name)
        assert len(rows) == counts[name], name
        assert all(len(r) == len(header) for r in rows), name
    assert counts["waves.csv"] == 4
    assert counts["races.csv"] == 506
    assert counts["members.csv"] == SMALL
    assert 2500 <= counts["groups.csv"] <= 3500
    assert 0.25 * SMALL <= counts["votes.csv"] <= 0.6 * SMALL


def test_values_with_commas_quotes_and_line_breaks_are_quoted(small):
    folder, _, _ = small
    _, groups = _rows(folder / "groups.csv")
    assert any("," in name for _, name, *_ in groups)
    assert any('"' in name for _, name, *_ in groups)
    _, vetting = _rows(folder / "vetting.csv")
    assert any("\n" in (r[-1] or "") for r in vetting)
    _, cands = _rows(folder / "candidates.csv")
    assert any(", Jr." in r[2] for r in cands)


def test_same_seed_same_bytes_other_seed_other_data(small, tmp_path):
    folder, _, _ = small
    write_demo(tmp_path / "again", members=SMALL)
    assert _digests(tmp_path / "again") == _digests(folder)
    write_demo(tmp_path / "other", members=SMALL, seed=7)
    other = _digests(tmp_path / "other")
    mine = _digests(folder)
    for name in ("candidates.csv", "endorsements.csv", "members.csv", "votes.csv"):
        assert other[name] != mine[name], name


def test_an_explicit_vote_count_is_exact(tmp_path):
    counts = write_demo(tmp_path, members=3000, votes=5000, seed=11)
    assert counts["votes.csv"] == 5000
    assert len(_rows(tmp_path / "votes.csv")[1]) == 5000


def test_members_look_like_a_list_export(small):
    folder, _, _ = small
    header, rows = _rows(folder / "members.csv")
    for col in (
        "member_id",
        "state",
        "district",
        "signed_up_at",
        "opted_out_at",
        "email",
        "first_name",
        "zip",
        "phone",
    ):
        assert col in header
    col = {c: i for i, c in enumerate(header)}
    assert [r[col["member_id"]] for r in rows[:2]] == ["M0000001", "M0000002"]
    assert all(
        re.fullmatch(r"[a-z]+\.[a-z]+\d*@example\.(com|org|net)", r[col["email"]]) for r in rows
    )
    states = Counter(r[col["state"]] for r in rows)
    assert states[""] > 0 and states["PR"] + states["AE"] + states["GU"] > 0
    unknown = sum(r[col["district"]] == "" for r in rows)
    assert 0.02 * SMALL < unknown < 0.06 * SMALL
    assert 0 < sum(r[col["opted_out_at"]] != "" for r in rows) < 0.1 * SMALL


def test_timestamps_are_eastern_time_with_offsets(small):
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        eastern = zoneinfo.ZoneInfo("America/New_York")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone data")
    folder, _, _ = small
    values = []
    for name, cols in (
        ("waves.csv", ("opens_at", "closes_at", "signup_closes_at")),
        ("members.csv", ("signed_up_at", "opted_out_at")),
        ("votes.csv", ("cast_at",)),
    ):
        header, rows = _rows(folder / name)
        for c in cols:
            i = header.index(c)
            values += [r[i] for r in rows if r[i]]
    offsets = Counter()
    for v in values:
        assert TIMESTAMP.fullmatch(v), v
        t = datetime.fromisoformat(v)
        assert t.utcoffset() == t.astimezone(eastern).utcoffset(), v
        offsets[v[-6:]] += 1
    assert offsets["-04:00"] and offsets["-05:00"]


# --------------------------------------------------------------------------- rules

_REFERENCE_SQL = """
CREATE TABLE st AS SELECT state, CAST(house_seats AS INT) seats FROM raw_states;
CREATE TABLE waves AS SELECT wave_id, CAST(opens_at AS TIMESTAMPTZ) op,
    CAST(closes_at AS TIMESTAMPTZ) cl,
    CAST(coalesce(signup_closes_at, closes_at) AS TIMESTAMPTZ) sc FROM raw_waves;
CREATE TABLE races AS SELECT race_id, r.state, CAST(district AS BIGINT) district,
    st.seats = 1 AS at_large FROM raw_races r JOIN st USING (state);
CREATE TABLE grp AS SELECT group_id, upper(trim(state)) state,
    CAST(district AS BIGINT) district FROM raw_groups;
CREATE TABLE mem AS SELECT member_id, s.state,
    CASE WHEN s.seats = 1 AND TRY_CAST(trim(m.district) AS BIGINT) = 0 THEN 0
         WHEN s.seats > 1 AND TRY_CAST(trim(m.district) AS BIGINT) BETWEEN 1 AND s.seats
         THEN TRY_CAST(trim(m.district) AS BIGINT) END AS district,
    CAST(signed_up_at AS TIMESTAMPTZ) su, CAST(opted_out_at AS TIMESTAMPTZ) oo
    FROM raw_members m LEFT JOIN st s ON s.state = upper(trim(m.state));
CREATE TABLE ballot AS SELECT DISTINCT e.wave_id, c.race_id, e.candidate_id
    FROM raw_endorsements e JOIN raw_candidates c USING (candidate_id)
    JOIN races r USING (race_id) JOIN grp g USING (group_id)
    JOIN raw_vetting v ON v.candidate_id = e.candidate_id AND v.wave_id = e.wave_id
    WHERE lower(e.requests_national) IN ('true', 't', 'yes', '1')
      AND v.status = 'cleared' AND v.questionnaire = 'passed'
      AND g.state = r.state
      AND (r.district IS NULL OR g.district IS NULL OR g.district = r.district);
CREATE TABLE elig AS SELECT w.wave_id, r.race_id, m.member_id
    FROM waves w, races r JOIN mem m ON m.state = r.state
      AND (r.district IS NULL OR m.district = r.district
           OR (r.at_large AND m.district IS NULL))
    WHERE m.su < w.sc AND (m.oo IS NULL OR m.oo >= w.op);
CREATE TABLE vs AS SELECT v.vote_id, v.wave_id, v.race_id, v.member_id, v.choice,
    CAST(v.cast_at AS TIMESTAMPTZ) cast_at, CASE
    WHEN w.wave_id IS NULL OR r.race_id IS NULL THEN 'unknown_race'
    WHEN m.member_id IS NULL THEN 'unknown_member'
    WHEN e.member_id IS NULL THEN 'not_eligible'
    WHEN CAST(v.cast_at AS TIMESTAMPTZ) < w.op OR CAST(v.cast_at AS TIMESTAMPTZ) >= w.cl
      THEN 'outside_window'
    WHEN v.choice <> 'NO_ENDORSEMENT' AND b.candidate_id IS NULL THEN 'not_on_ballot'
    ELSE 'valid' END AS st0
    FROM raw_votes v LEFT JOIN waves w USING (wave_id) LEFT JOIN races r USING (race_id)
    LEFT JOIN mem m USING (member_id)
    LEFT JOIN elig e ON e.wave_id = v.wave_id AND e.race_id = v.race_id
      AND e.member_id = v.member_id
    LEFT JOIN ballot b ON b.wave_id = v.wave_id AND b.race_id = v.race_id
      AND b.candidate_id = v.choice;
CREATE TABLE status AS SELECT *, CASE WHEN st0 <> 'valid' THEN st0
    WHEN row_number() OVER (PARTITION BY wave_id, race_id, member_id, st0 = 'valid'
         ORDER BY cast_at DESC, CAST(vote_id AS BIGINT) DESC) = 1 THEN 'counted'
    ELSE 'superseded' END AS status FROM vs;
CREATE TABLE contests AS
    SELECT DISTINCT wave_id, race_id FROM raw_votes JOIN waves USING (wave_id)
      JOIN races USING (race_id)
    UNION SELECT DISTINCT e.wave_id, c.race_id FROM raw_endorsements e
      JOIN raw_candidates c USING (candidate_id)
    UNION SELECT DISTINCT v.wave_id, c.race_id FROM raw_vetting v
      JOIN raw_candidates c USING (candidate_id);
CREATE TABLE tally AS
WITH e AS (SELECT wave_id, race_id, count(*) e FROM elig GROUP BY ALL),
n AS (SELECT wave_id, race_id, count(*) n FROM status WHERE status = 'counted' GROUP BY ALL),
cv AS (SELECT b.wave_id, b.race_id, b.candidate_id, count(s.vote_id) votes FROM ballot b
       LEFT JOIN status s ON s.wave_id = b.wave_id AND s.race_id = b.race_id
         AND s.choice = b.candidate_id AND s.status = 'counted' GROUP BY ALL),
top AS (SELECT wave_id, race_id, count(*) nb, max(votes) top_v FROM cv GROUP BY ALL),
ties AS (SELECT wave_id, race_id, count(*) n_top FROM cv JOIN top USING (wave_id, race_id)
         WHERE cv.votes = top.top_v GROUP BY ALL)
SELECT c.wave_id, c.race_id, coalesce(e.e, 0) e, coalesce(n.n, 0) n,
  CASE WHEN coalesce(top.nb, 0) = 0 THEN 'NO_CANDIDATES'
       WHEN coalesce(n.n, 0) = 0 OR top_v = 0 OR top_v * 5 < 3 * n.n THEN 'NO_ENDORSEMENT'
       WHEN n_top = 1 AND n.n * 10 >= coalesce(e.e, 0) THEN 'ENDORSE'
       ELSE 'REVIEW' END AS decision
FROM contests c LEFT JOIN e USING (wave_id, race_id) LEFT JOIN n USING (wave_id, race_id)
  LEFT JOIN top USING (wave_id, race_id) LEFT JOIN ties USING (wave_id, race_id);
"""


@pytest.fixture(scope="module")
def reference(small):
    """An independent, plain-SQL reading of docs/rules.md §3 at the default thresholds."""
    folder, _, _ = small
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    paths = {f[:-4]: folder / f for f in FILES} | {"states": STATES_CSV}
    for name, path in paths.items():
        con.read_csv(str(path), all_varchar=True, header=True).to_table(f"raw_{name}")
    con.execute(_REFERENCE_SQL)
    tally = {
        (w, r): (d, e, n)
        for w, r, d, e, n in con.execute(
            "SELECT wave_id, race_id, decision, e, n FROM tally"
        ).fetchall()
    }
    audit = Counter(
        {
            (w, r, s): k
            for w, r, s, k in con.execute(
                "SELECT wave_id, race_id, status, count(*) FROM status GROUP BY ALL"
            ).fetchall()
        }
    )
    con.close()
    return tally, audit


def test_every_decision_and_status_in_every_wave(reference):
    tally, audit = reference
    for w in SINGLE_WAVE_IDS:
        decisions = Counter(d for (wave, _), (d, _, _) in tally.items() if wave == w)
        assert set(decisions) == DECISIONS, (w, decisions)
        assert 90 <= sum(decisions.values()) <= 160, (w, decisions)
        statuses = Counter()
        for (wave, _, s), k in audit.items():
            if wave == w:
                statuses[s] += k
        assert set(statuses) == STATUSES, (w, statuses)
    others = {wave for (wave, _, _) in audit} - set(WAVE_IDS)
    assert others  # a few votes name a wave that does not exist


# --------------------------------------------------------------------------- core


@pytest.fixture(scope="module")
def loaded(small, tmp_path_factory):
    cli = pytest.importorskip("endorse_analysis.cli")
    folder, _, _ = small
    db = tmp_path_factory.mktemp("db") / "demo.duckdb"
    assert cli.main(["load", str(folder), "--db", str(db)]) == 0
    return cli, db


def test_the_core_loads_it_and_finds_every_decision_and_status(loaded, small, capsys):
    cli, db = loaded
    _, counts, _ = small
    capsys.readouterr()
    for w in WAVE_IDS:
        assert cli.main(["tally", "--db", str(db), "--wave", w, "--format", "json"]) == 0
        contests = json.loads(capsys.readouterr().out)["contests"]
        assert {c["decision"] for c in contests} == DECISIONS, w
        assert cli.main(["audit", "--db", str(db), "--wave", w, "--format", "json"]) == 0
        assert {a["status"] for a in json.loads(capsys.readouterr().out)} == STATUSES, w
    assert cli.main(["audit", "--db", str(db), "--format", "json"]) == 0
    audit = json.loads(capsys.readouterr().out)
    assert {a["status"] for a in audit} == STATUSES
    assert sum(a["votes"] for a in audit) == counts["votes.csv"]


def test_the_core_agrees_with_the_reference_reading(loaded, reference, capsys):
    cli, db = loaded
    tally, audit = reference
    capsys.readouterr()
    core = {}
    for w in SINGLE_WAVE_IDS:
        assert cli.main(["tally", "--db", str(db), "--wave", w, "--format", "json"]) == 0
        for c in json.loads(capsys.readouterr().out)["contests"]:
            core[(w, c["race_id"])] = (c["decision"], c["eligible_voters"], c["ballots_counted"])
    assert core == {k: v for k, v in tally.items() if k[0] in SINGLE_WAVE_IDS}
    assert cli.main(["audit", "--db", str(db), "--format", "json"]) == 0
    core_audit = Counter(
        {
            (a["wave_id"], a["race_id"], a["status"]): a["votes"]
            for a in json.loads(capsys.readouterr().out)
            if a["wave_id"] not in set(WAVE_IDS) - set(SINGLE_WAVE_IDS)
        }
    )
    assert core_audit == Counter(
        {k: v for k, v in audit.items() if k[0] not in set(WAVE_IDS) - set(SINGLE_WAVE_IDS)}
    )
