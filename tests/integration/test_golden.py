"""Golden cases: hand-made CSV folders whose expected tally was computed by hand
from the contract (shared/spec/contract.md), never copied from the code's output.

Each folder under tests/cases/ holds the eight input CSVs and:

- ``expected.json``: the exact output of
  ``endorse-analysis tally --db DB --wave W --format json`` (docs/rules.md §4);
- ``args.json`` (optional): ``{"wave": "W1", "extra_args": ["--min-votes", "5"]}``,
  or ``{"runs": [{"wave": ..., "extra_args": [...], "expected": "expected-W.json"}, ...]}``
  for several tallies of one folder. Without it the wave is the only one in waves.csv;
- ``expected_audit.json`` (optional): the exact rows of ``audit --format json`` without
  ``--wave`` (compared as a set of rows).

A case of contract §5 also expects ``method`` (parameters and contests) and a ranked
contest's ``rounds``, compared exactly. Comparison is field by field; ``reason`` is
ignored (it is prose) and floats are compared with a tolerance of 1e-12. Integers must
come back as integers, empty values as null.
"""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
FLOAT_TOL = 1e-12
CONTEST_FIELDS = [
    "wave_id",
    "race_id",
    "office",
    "state",
    "district",
    "candidates_on_ballot",
    "eligible_voters",
    "ballots_counted",
    "turnout",
    "top_choice",
    "top_votes",
    "top_share",
    "decision",
]
AUDIT_KEYS = [
    "counted",
    "superseded",
    "outside_window",
    "not_on_ballot",
    "not_eligible",
    "unknown_member",
    "unknown_race",
]


def _case_dirs() -> list[Path]:
    if not CASES_DIR.is_dir():
        return []
    return sorted(p for p in CASES_DIR.iterdir() if (p / "votes.csv").is_file())


def _runs(case: Path) -> list[dict]:
    """The tallies to check for one case folder: wave, extra args, expected file."""
    args_path = case / "args.json"
    args = json.loads(args_path.read_text(encoding="utf-8")) if args_path.exists() else {}
    runs = args.get("runs") or [
        {
            "wave": args.get("wave"),
            "extra_args": args.get("extra_args", []),
            "expected": "expected.json",
        }
    ]
    out = []
    for run in runs:
        wave = run.get("wave")
        if wave is None:
            waves = _data_rows(case / "waves.csv")
            assert len(waves) == 1, f"{case.name}: args.json must name the wave"
            wave = waves[0]["wave_id"].strip()
        out.append(
            {
                "wave": wave,
                "extra_args": list(run.get("extra_args", [])),
                "expected": run.get("expected", "expected.json"),
            }
        )
    return out


def _data_rows(path: Path) -> list[dict]:
    """Non-blank data rows of a CSV file (the contract skips blank lines)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip().lower() for h in next(reader)]
        rows = [r for r in reader if r and any(cell.strip() for cell in r)]
    return [dict(zip(header, r, strict=True)) for r in rows]


def _params():
    params = []
    for case in _case_dirs():
        for run in _runs(case):
            suffix = "" if run["expected"] == "expected.json" else f"[{run['wave']}]"
            params.append(pytest.param(case, run, id=f"{case.name}{suffix}"))
    return params


def _is_int(x) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_num(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _diff_value(where: str, expected, got, problems: list[str]) -> None:
    if expected is None:
        if got is not None:
            problems.append(f"{where}: expected null, got {got!r}")
    elif isinstance(expected, bool):
        if got is not expected:
            problems.append(f"{where}: expected {expected!r}, got {got!r}")
    elif _is_int(expected):
        if not _is_int(got) or got != expected:
            problems.append(f"{where}: expected integer {expected!r}, got {got!r}")
    elif isinstance(expected, float):
        if not _is_num(got) or abs(got - expected) > FLOAT_TOL:
            problems.append(f"{where}: expected {expected!r}, got {got!r}")
    elif expected != got:
        problems.append(f"{where}: expected {expected!r}, got {got!r}")


def _compare_tally(name: str, expected: dict, got: dict) -> list[str]:
    problems: list[str] = []
    _diff_value(f"{name}: wave_id", expected["wave_id"], got.get("wave_id"), problems)

    exp_par, got_par = expected["parameters"], got.get("parameters") or {}
    for key in ("support_threshold", "min_turnout"):
        g = got_par.get(key)
        try:
            if "/" in exp_par[key]:  # a fraction is spelled back in lowest terms (§5)
                same = g == exp_par[key]
            else:
                same = isinstance(g, str) and Decimal(g) == Decimal(exp_par[key])
        except ArithmeticError:
            same = False
        if not same:
            problems.append(
                f"{name}: parameters.{key}: expected {exp_par[key]!r} (a decimal string), got {g!r}"
            )
    _diff_value(
        f"{name}: parameters.min_votes", exp_par["min_votes"], got_par.get("min_votes"), problems
    )
    if "method" in exp_par:
        _diff_value(
            f"{name}: parameters.method", exp_par["method"], got_par.get("method"), problems
        )

    exp_ids = [c["race_id"] for c in expected["contests"]]
    got_contests = got.get("contests") or []
    got_ids = [c.get("race_id") for c in got_contests]
    if exp_ids != got_ids:
        problems.append(f"{name}: contests (race_id, in order): expected {exp_ids}, got {got_ids}")
    got_by_race = {c.get("race_id"): c for c in got_contests}

    for exp_c in expected["contests"]:
        race = exp_c["race_id"]
        got_c = got_by_race.get(race)
        if got_c is None:
            continue
        where = f"{name}: contest {race}"
        for field in CONTEST_FIELDS:
            if field not in got_c:
                problems.append(f"{where}: field {field!r} missing")
                continue
            _diff_value(f"{where}: {field}", exp_c[field], got_c[field], problems)
        for field in ("method", "rounds"):  # §5: compared where the case expects them
            if field in exp_c and exp_c[field] != got_c.get(field):
                problems.append(
                    f"{where}: {field}: expected {exp_c[field]!r}, got {got_c.get(field)!r}"
                )
        if "reason" not in got_c or not isinstance(got_c["reason"], str) or not got_c["reason"]:
            problems.append(f"{where}: reason missing or empty")

        exp_ch = [c["choice"] for c in exp_c["choices"]]
        got_ch_list = got_c.get("choices") or []
        got_ch = [c.get("choice") for c in got_ch_list]
        if exp_ch != got_ch:
            problems.append(f"{where}: choices (in order): expected {exp_ch}, got {got_ch}")
        got_ch_by = {c.get("choice"): c for c in got_ch_list}
        for e in exp_c["choices"]:
            g = got_ch_by.get(e["choice"])
            if g is None:
                continue
            for field in ("votes", "share"):
                label = f"{where}: choice {e['choice']}: {field}"
                _diff_value(label, e[field], g.get(field), problems)

        got_audit = got_c.get("audit") or {}
        for key in AUDIT_KEYS:
            if key not in got_audit:
                problems.append(f"{where}: audit.{key} missing")
            else:
                _diff_value(f"{where}: audit.{key}", exp_c["audit"][key], got_audit[key], problems)
    return problems


@pytest.mark.parametrize(("case", "run"), _params())
def test_golden_case(case: Path, run: dict, tmp_path: Path, capsys) -> None:
    from endorse_analysis.cli import main

    folder = tmp_path / case.name
    shutil.copytree(case, folder)
    db = tmp_path / "golden.duckdb"

    rc = main(["load", str(folder), "--db", str(db)])
    captured = capsys.readouterr()
    assert rc == 0, f"{case.name}: load failed (rc={rc}):\n{captured.err}"

    rc = main(
        ["tally", "--db", str(db), "--wave", run["wave"], "--format", "json", *run["extra_args"]]
    )
    captured = capsys.readouterr()
    assert rc == 0, f"{case.name}: tally failed (rc={rc}):\n{captured.err}"
    got = json.loads(captured.out)
    expected = json.loads((case / run["expected"]).read_text(encoding="utf-8"))
    name = f"{case.name} [wave {run['wave']}]"
    problems = _compare_tally(name, expected, got)
    assert not problems, f"{len(problems)} mismatch(es):\n" + "\n".join(problems)

    # The audit without --wave accounts for every row of votes.csv.
    rc = main(["audit", "--db", str(db), "--format", "json"])
    captured = capsys.readouterr()
    assert rc == 0, f"{case.name}: audit failed (rc={rc}):\n{captured.err}"
    audit = json.loads(captured.out)
    n_rows = len(_data_rows(case / "votes.csv"))
    total = sum(row["votes"] for row in audit)
    assert total == n_rows, f"{case.name}: audit sums to {total}, votes.csv has {n_rows} rows"
    assert all(row["votes"] > 0 for row in audit), f"{case.name}: audit lists a zero count"

    # Each contest's audit in the tally agrees with the audit command.
    by_contest: dict[tuple[str, str], dict[str, int]] = {}
    for row in audit:
        key = (row["wave_id"], row["race_id"])
        by_contest.setdefault(key, {})[row["status"]] = row["votes"]
    for c in got["contests"]:
        from_audit = by_contest.get((c["wave_id"], c["race_id"]), {})
        in_tally = {k: v for k, v in c["audit"].items() if v}
        assert from_audit == in_tally, (
            f"{name}: contest {c['race_id']}: audit command {from_audit} != tally audit {in_tally}"
        )

    exp_audit_path = case / "expected_audit.json"
    if exp_audit_path.exists():
        exp_audit = json.loads(exp_audit_path.read_text(encoding="utf-8"))

        def key(r):
            return (r["wave_id"], r["race_id"], r["status"], r["votes"])

        exp_rows = sorted(map(key, exp_audit))
        got_rows = sorted(map(key, audit))
        assert exp_rows == got_rows, (
            f"{case.name}: audit rows differ\n  missing: {sorted(set(exp_rows) - set(got_rows))}"
            f"\n  unexpected: {sorted(set(got_rows) - set(exp_rows))}"
        )
