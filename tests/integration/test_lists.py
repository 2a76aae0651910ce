"""The member lists of the endorsed contests (`lists`): who they hold, checked against the
plain model of the contract (tests/model.py), and how they are kept: owner-only, counts
only in the manifest, never in or beside a rendered report, re-written whole."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import stat
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import model
from helpers import copy_sample, program_of, read_ids, run_cli

import endorse_analysis as ea
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.results import endorsed_candidate
from endorse_analysis.cli import main
from endorse_analysis.reports.names import safe_name


@pytest.mark.parametrize("wave", ["2026-03", "2026-04"])
def test_the_lists_hold_who_the_model_says(sample_db, wave, tmp_path):
    out = tmp_path / "lists"
    run = run_cli("lists", "--db", sample_db, "--wave", wave, "--out", out)
    assert run.code == 0, run.err
    program = program_of(sample_db)
    opted_out = {m["member_id"] for m in program["members"] if m["opted_out_at"] is not None}
    statuses = model.vote_statuses(program)
    with ea.connect(sample_db) as con:
        endorsed = {
            row["race_id"]: endorsed_candidate(row) for row in plain_records(ea.tally(con, wave))
        }
    endorsed = {race: candidate for race, candidate in endorsed.items() if candidate}
    assert endorsed  # the sample endorses in both waves
    manifest = json.loads((out / "manifest.json").read_text())
    assert [c["race_id"] for c in manifest["contests"]] == sorted(endorsed)
    for contest in manifest["contests"]:
        race, candidate = contest["race_id"], contest["candidate_id"]
        assert candidate == endorsed[race]
        announcement = read_ids(out / f"{safe_name(race)}.announcement.csv")
        assert set(announcement) == model.potential_voters(program, wave, race) - opted_out
        volunteers = read_ids(out / f"{safe_name(race)}.volunteers.csv")
        counted_for = {
            v["member_id"]
            for v in program["votes"]
            if v["wave_id"] == wave and v["race_id"] == race and v["choice"] == candidate
            and statuses[v["vote_id"]] == "counted"
        }  # fmt: skip
        assert volunteers and set(volunteers) == counted_for - opted_out
        assert contest["members"] == {
            "announcement": len(announcement),
            "volunteers": len(volunteers),
        }
        assert f"{race} ({candidate}): announcement {len(announcement)}" in run.out


def test_an_opted_out_member_is_on_no_list(tmp_path):
    folder = copy_sample(tmp_path / "data")
    members = (folder / "members.csv").read_text().splitlines()
    # s01 voted for the endorsed candidate in CA-12; they opt out after the wave.
    members[1] = members[1].rstrip(",") + ",2026-06-01"
    (folder / "members.csv").write_text("\n".join(members) + "\n")
    assert run_cli("load", folder, "--db", tmp_path / "db.duckdb").code == 0
    assert run_cli("lists", "--db", tmp_path / "db.duckdb", "--wave", "2026-03",
                   "--out", tmp_path / "lists").code == 0  # fmt: skip
    for path in (tmp_path / "lists").glob("*.csv"):
        assert "s01" not in read_ids(path)


def test_a_staff_ruling_decides_which_contests_and_candidate(tmp_path):
    folder = copy_sample(tmp_path / "data")
    (folder / "rulings.csv").write_text(
        "wave_id,race_id,decision,candidate_id,decided_by,decided_at,note\n"
        "2026-03,CA-12,NO_ENDORSEMENT,,staff,2026-03-10,\n"
    )
    assert run_cli("load", folder, "--db", tmp_path / "db.duckdb").code == 0
    assert run_cli("lists", "--db", tmp_path / "db.duckdb", "--wave", "2026-03",
                   "--out", tmp_path / "lists").code == 0  # fmt: skip
    manifest = json.loads((tmp_path / "lists" / "manifest.json").read_text())
    assert [c["race_id"] for c in manifest["contests"]] == ["VT-AL"]
    assert not (tmp_path / "lists" / "CA-12.announcement.csv").exists()


def test_the_lists_are_owner_only_and_the_manifest_holds_counts_only(sample_db, tmp_path):
    out = tmp_path / "lists"
    assert run_cli("lists", "--db", sample_db, "--wave", "2026-03", "--out", out).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "CA-12.announcement.csv",
        "CA-12.volunteers.csv",
        "VT-AL.announcement.csv",
        "VT-AL.volunteers.csv",
        "manifest.json",
    ]
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    manifest = (out / "manifest.json").read_text()
    ids = {m["member_id"] for m in program_of(sample_db)["members"]}
    assert not [i for i in ids if f'"{i}"' in manifest]
    assert json.loads(manifest)["kind"] == "member-lists"


def test_a_second_run_replaces_the_lists_whole(sample_db, tmp_path):
    out = tmp_path / "lists"
    assert run_cli("lists", "--db", sample_db, "--wave", "2026-03", "--out", out).code == 0
    (out / "stale.announcement.csv").write_text("user_id\nold\n")
    assert run_cli("lists", "--db", sample_db, "--wave", "2026-04", "--out", out).code == 0
    assert not (out / "stale.announcement.csv").exists()
    assert json.loads((out / "manifest.json").read_text())["wave_id"] == "2026-04"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lists")]


def test_the_lists_never_go_in_or_beside_a_report_or_over_other_files(sample_db, tmp_path):
    wave = tmp_path / "reports" / "2026-03"
    wave.mkdir(parents=True)
    (wave / "manifest.json").write_text(json.dumps({"manifest_version": 2, "reports": []}))
    for out in (wave / "lists", tmp_path / "reports" / "lists"):
        run = run_cli("lists", "--db", sample_db, "--wave", "2026-03", "--out", out)
        assert run.code == 2 and "never part of a report" in run.err
        assert len(run.err_lines) == 1 and not out.exists()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    run = run_cli("lists", "--db", sample_db, "--wave", "2026-03", "--out", other)
    assert run.code == 2 and "already holds other files" in run.err
    assert (other / "notes.txt").read_text() == "keep me"


def test_help_says_the_lists_hold_member_ids():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(["lists", "--help"])
    text = " ".join(out.getvalue().split())
    assert "the one output that holds member ids" in text
    assert "never part of a report" in text


def test_race_ids_that_are_paths_stay_inside_the_folder(tmp_path):
    folder = copy_sample(tmp_path / "data")
    for name in ("races.csv", "candidates.csv", "votes.csv"):
        path = folder / name
        path.write_text(path.read_text().replace("CA-12,", "../../x,"))
    assert run_cli("load", folder, "--db", tmp_path / "db.duckdb").code == 0
    out = tmp_path / "deep" / "lists"
    assert run_cli("lists", "--db", tmp_path / "db.duckdb", "--wave", "2026-03",
                   "--out", out).code == 0  # fmt: skip
    assert (out / f"{safe_name('../../x')}.announcement.csv").is_file()
    # (the load's lock file stays beside its database: see ingest/target.py)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".db.duckdb.lock", "data", "db.duckdb",
                                                         "deep"]  # fmt: skip
    shutil.rmtree(out)
