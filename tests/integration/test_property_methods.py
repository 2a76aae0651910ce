"""Property tests of contract §5: random approval and ranked programs, the package against
the plain model (tests/model.py).

Each example takes a random valid program of test_property (its eligibility, window and
supersession edges), gives each wave a method (written in any case, `single` sometimes
left empty) and rewrites the choices of the approval and ranked waves as their forms:
rankings of any length (so ballots exhaust), approvals of one or many, NO_ENDORSEMENT
alone, ranked anywhere, or beside a candidate; and invalid ones (an empty part, an
option twice, an option off the ballot). Thresholds include fractions (1/2, 2/3) so that
ties at S = 1/2 and runoffs that stop early both happen. The package's tally json (every
field, the rounds of each runoff), audit and vote statuses must equal the model's.
"""

from __future__ import annotations

import csv
import io
import json
import random
import tempfile
from fractions import Fraction
from pathlib import Path

import model
import pytest
import test_property as tp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model import NO_ENDORSEMENT

METHODS = ("single", "approval", "ranked")


def _candidates_of(program, race_id: str) -> list[str]:
    return [c["candidate_id"] for c in program["candidates"] if c["race_id"] == race_id]


@st.composite
def form(draw, method: str, candidates: list[str]) -> str:
    """A choice of `method` over the race's candidates: valid most of the time."""
    pool = [*candidates, NO_ENDORSEMENT]
    kind = draw(st.sampled_from(["valid"] * 6 + ["off", "twice", "empty", "mixed"]))
    if method == "approval":
        if kind == "mixed" or not candidates:
            options = [NO_ENDORSEMENT] + (candidates[:1] if kind == "mixed" else [])
        elif draw(st.integers(0, 4)) == 0:
            options = [NO_ENDORSEMENT]
        else:
            options = draw(st.lists(st.sampled_from(candidates), min_size=1, unique=True))
    else:
        options = draw(st.lists(st.sampled_from(pool), min_size=1, unique=True))
    options = draw(st.permutations(options))
    if kind == "off":
        options.insert(draw(st.integers(0, len(options))), draw(st.sampled_from(["X9", "c1"])))
    elif kind == "twice":
        options.append(options[0])
    elif kind == "empty":
        options.insert(draw(st.integers(0, len(options))), "")
    separator = ";" if method == "approval" else ">"
    spaced = draw(st.sampled_from([separator, separator, f" {separator} ", f"{separator} "]))
    return spaced.join(options)


@st.composite
def method_programs(draw):
    """A program of test_property with a method per wave and choices of their forms."""
    program = draw(tp.programs())
    for wave in program["waves"]:
        wave["method"] = draw(st.sampled_from(["approval", "ranked", "approval", "ranked", None]))
    methods = {w["wave_id"]: model.method_of(w) for w in program["waves"]}
    for vote in program["votes"]:
        method = methods.get(vote["wave_id"], "single")
        if method == "single":
            continue
        candidates = _candidates_of(program, vote["race_id"])
        vote["choice"] = draw(form(method, candidates))
    return program


@st.composite
def dense_programs(draw):
    """One contest where most votes count: many rounds, elimination ties, exhaustion."""
    method = draw(st.sampled_from(["ranked", "ranked", "approval"]))
    candidates = draw(
        st.lists(
            st.sampled_from(["C1", "C2", "C9", "C10", "B"]), min_size=0, max_size=5, unique=True
        )
    )
    program = tp._tiny_program(n_members=draw(st.integers(0, 14)), candidates=candidates)
    if candidates and draw(st.booleans()):  # one candidate off the ballot
        off = draw(st.sampled_from(candidates))
        program["vetting"] = [v for v in program["vetting"] if v["candidate_id"] != off]
    program["waves"][0]["method"] = method
    for member in program["members"]:
        member.update(state_text=member["state"], district_text="")
    members = [m["member_id"] for m in program["members"]]
    votes = []
    for vote_id in range(1, draw(st.integers(0, 20)) + 1):
        member = draw(st.sampled_from(members)) if members else "M0"
        if draw(st.integers(0, 3)) == 0:  # a short ranking that runs out
            choice = draw(st.sampled_from([*candidates, NO_ENDORSEMENT]))
        else:
            choice = draw(form(method, candidates))
        votes.append(tp._vote(vote_id, member, choice, tp._t(2, draw(st.integers(0, 3)))))
    program["votes"] = votes
    return program


def _write_methods(program, folder: Path, rng: random.Random) -> None:
    """waves.csv again, now with its `method` column, spelled in any case."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = ["wave_id", "name", "opens_at", "closes_at", "signup_closes_at", "method"]
    writer.writerow(columns)
    for wave in program["waves"]:
        method = wave["method"] or rng.choice(["", "single", "SINGLE"])
        method = rng.choice([method, method.upper(), method.title(), f" {method} "])
        writer.writerow([tp._fmt(wave[c], rng) for c in columns[:-1]] + [method])
    (folder / "waves.csv").write_text(out.getvalue(), encoding="utf-8")


def check_methods(program, limits: list[tuple[str, str, str]], rng: random.Random) -> None:
    """Load `program` and compare the tally json, audit and statuses with the model."""
    import endorse_analysis as ea

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "program"
        folder.mkdir()
        tp.write_program(program, folder, rng)
        _write_methods(program, folder, rng)
        db = str(Path(tmp) / "program.duckdb")
        files = tp._program_csv_text(folder)
        code, out, err = tp.run_cli(["load", str(folder), "--db", db])
        assert code == 0, f"load refused a valid program:\n{err}\n{files}"
        problems = []
        for (S, T, M), wave in ((lim, w) for lim in limits for w in program["waves"]):
            argv = ["tally", "--db", db, "--wave", wave["wave_id"], "--format", "json"]
            argv += ["--support-threshold", S, "--min-turnout", T, "--min-votes", M]
            code, out, err = tp.run_cli(argv)
            assert code == 0, f"tally failed:\n{err}\n{files}"
            result = json.loads(out)
            method = model.method_of(wave)
            assert result["parameters"]["method"] == method
            assert result["parameters"]["support_threshold"] == (
                f"{Fraction(S).numerator}/{Fraction(S).denominator}" if "/" in S else S
            )
            want = model.tally(program, wave["wave_id"], Fraction(S), Fraction(T), Fraction(M))
            got = result["contests"]
            if [c["race_id"] for c in got] != [c["race_id"] for c in want]:
                problems.append(f"wave {wave['wave_id']}: contests differ")
                continue
            for g, w in zip(got, want, strict=True):
                w.setdefault("method", "single")
                label = f"S={S} T={T} M={M} wave {wave['wave_id']} race {w['race_id']}"
                problems += [f"{label}: {p}" for p in tp.compare_contest(g, w)]
                if method == "ranked" and g.get("rounds") != w["rounds"]:
                    problems.append(f"{label}: rounds {g.get('rounds')}, model {w['rounds']}")
                if method != "ranked" and "rounds" in g:
                    problems.append(f"{label}: rounds in a {method} contest")
                if method == "approval" and g["decision"] != "NO_CANDIDATES":
                    above = [
                        c["choice"]
                        for c in w["choices"]
                        if c["choice"] != NO_ENDORSEMENT
                        and Fraction(c["votes"]) >= Fraction(S) * w["ballots_counted"]
                        and w["ballots_counted"] > 0
                    ]
                    if not all(c in g["reason"] for c in above):
                        problems.append(f"{label}: reason {g['reason']!r} omits one of {above}")
        code, out, err = tp.run_cli(["audit", "--db", db, "--format", "json"])
        if json.loads(out) != model.audit(program):
            problems.append(f"audit: got {out}, model {model.audit(program)}")
        con = ea.connect(db)
        try:
            frame = ea.vote_status(con)
        finally:
            con.close()
        got_status = {int(v): s for v, s in zip(frame["vote_id"], frame["status"], strict=True)}
        want_status = model.vote_statuses(program)
        if got_status != want_status:
            diff = {
                v: (got_status.get(v), s) for v, s in want_status.items() if got_status.get(v) != s
            }
            problems.append(f"vote statuses (got, model): {diff}")
        assert not problems, "\n".join(problems) + "\n\nprogram:\n" + files


method_thresholds = st.lists(
    st.tuples(
        st.sampled_from(["1/2", "2/3", "0.6", "1", "1/3", "02/4", "0.25"]),
        st.sampled_from(["0", "1/10", "0.25"]),
        st.sampled_from(["0", "1", "3"]),
    ),
    min_size=1,
    max_size=3,
    unique=True,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=method_programs(), limits=method_thresholds, seed=st.integers(0, 2**32 - 1))
def test_methods_agree_with_model(program, limits, seed):
    check_methods(program, limits, random.Random(seed))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=dense_programs(), limits=method_thresholds, seed=st.integers(0, 2**32 - 1))
def test_dense_runoffs_agree_with_model(program, limits, seed):
    check_methods(program, limits, random.Random(seed))


# --------------------------------------------------------------------------- the model itself


@pytest.mark.parametrize(
    ("ballots", "S", "rounds"),
    [
        # 1. no candidate has a vote
        ([["NO_ENDORSEMENT"]] * 3, Fraction(3, 5), [({"A": 0, "B": 0, NO_ENDORSEMENT: 3}, 0)]),
        # 2. A reaches S = 1/2 of all 9 ballots after two eliminations; exhausted ballots
        # stay in N
        (
            [["A"]] * 4 + [["B", "A"]] * 2 + [["C"]] * 2 + [["B"]],
            Fraction(1, 2),
            [
                ({"A": 4, "B": 3, "C": 2, NO_ENDORSEMENT: 0}, 0),
                ({"A": 4, "B": 3, NO_ENDORSEMENT: 0}, 2),
                ({"A": 6, NO_ENDORSEMENT: 0}, 3),
            ],
        ),
    ],
)
def test_model_runoff(ballots, S, rounds):
    got = model.instant_runoff(["A", "B", "C"][: len(rounds[0][0]) - 1], ballots, S)
    assert [(r["votes"], r["exhausted"]) for r in got] == rounds


def test_model_elimination_tie_breaks():
    # round 1: A 2, B 2, C 1, D 1; C and D tie with 1 and 1 in round 1: the larger id (D) goes
    got = model.instant_runoff(
        ["A", "B", "C", "D"], [["A"], ["A"], ["B"], ["B"], ["C"], ["D"]], Fraction(1)
    )
    assert [r["eliminated"] for r in got][:2] == ["D", "C"]


def test_model_forms():
    on = ["C1", "C2"]
    assert model.ballot_options(" C1 ; C2", "approval", on) == ["C1", "C2"]
    assert model.ballot_options("C1;NO_ENDORSEMENT", "approval", on) is None
    assert model.ballot_options("C1>NO_ENDORSEMENT>C2", "ranked", on) == [
        "C1",
        NO_ENDORSEMENT,
        "C2",
    ]
    assert model.ballot_options("C1>>C2", "ranked", on) is None
    assert model.ballot_options("C1>C1", "ranked", on) is None
    assert model.ballot_options("C1>C3", "ranked", on) is None
