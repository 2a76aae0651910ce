"""Each race's primary and seat against a wave's close (api/calendar.py): the per-office
override row, each timing word at its exact cut-offs, a race with no calendar or seat
data, a vacant seat, a candidate who holds the seat, a bad reference file refused in one
line, a later cycle's files picked up, and what tally --format json|csv carries."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from endorse_analysis.api.calendar import (
    TALLY_CALENDAR_COLUMNS,
    by_seat,
    by_weeks,
    contests_on_calendar,
    race_calendar,
    same_person,
    timing,
)
from endorse_analysis.api.frames import plain_records
from endorse_analysis.api.snapshot import connect
from endorse_analysis.api.tally import TALLY_COLUMNS
from endorse_analysis.cli import main
from endorse_analysis.ingest import LoadRefused, load_folder, reference
from endorse_analysis.present.words import calendar_words
from endorse_analysis.vocabulary import (
    AFTER_PRIMARY,
    BEFORE_PRIMARY,
    NO_CALENDAR,
    NO_INCUMBENT_DATA,
    PRIMARY_SOON,
    PRIMARY_SOON_DAYS,
    RUNOFF_PENDING,
    TIMINGS,
    VACANT,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
REFERENCE = ROOT / "data" / "reference"


def edited_sample(folder: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """A copy of the sample with one text replaced in each named file."""
    data = folder / "csv"
    shutil.copytree(SAMPLE, data)
    for name, (old, new) in edits.items():
        path = data / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return data


def rows(db: Path, wave: str) -> dict[str, dict]:
    with connect(db) as con:
        frame = race_calendar(con, wave)
    return {r["race_id"]: r for r in plain_records(frame)}


@pytest.fixture(scope="module")
def demo_rows(small_demo_db):
    return rows(small_demo_db, "2026-03")


# --- the timing word at its exact cut-offs -----------------------------------------------

CLOSES = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("primary", "runoff", "word"),
    [
        (date(2026, 3, 15), None, AFTER_PRIMARY),  # the day before the close
        (date(2026, 3, 15), date(2026, 3, 15), AFTER_PRIMARY),  # runoff past too
        (date(2026, 3, 15), date(2026, 3, 16), RUNOFF_PENDING),  # runoff on the close day
        (date(2026, 3, 3), date(2026, 3, 31), RUNOFF_PENDING),
        (date(2026, 3, 16), None, PRIMARY_SOON),  # the close day itself: 0 days
        (date(2026, 3, 29), None, PRIMARY_SOON),  # 13 days
        (date(2026, 3, 30), None, BEFORE_PRIMARY),  # 14 days
        (date(2026, 3, 30), date(2026, 4, 28), BEFORE_PRIMARY),
        (None, None, NO_CALENDAR),
    ],
)
def test_each_timing_word_at_its_exact_cut_offs(primary, runoff, word):
    assert PRIMARY_SOON_DAYS == 14
    assert timing(primary, runoff, CLOSES) == word


# --- the override row, a vacant seat, no incumbent data ----------------------------------


def test_a_louisiana_house_race_reads_the_house_row_its_senate_race_the_state_row(demo_rows):
    house, senate = demo_rows["LA-01"], demo_rows["LA-SEN"]
    assert (house["primary_date"], house["runoff_date"]) == (date(2026, 11, 3), date(2026, 12, 12))
    assert (senate["primary_date"], senate["runoff_date"]) == (
        date(2026, 5, 16),
        date(2026, 6, 27),
    )
    assert house["timing"] == BEFORE_PRIMARY and senate["timing"] == BEFORE_PRIMARY


def test_the_demo_wave_closing_march_10_has_texas_runoff_pending_and_illinois_soon(demo_rows):
    # the wave closes 2026-03-09T21:00-04:00, March 10 in the demo's time zone (UTC)
    assert demo_rows["TX-SEN"]["days_to_primary"] == -7
    assert demo_rows["TX-SEN"]["timing"] == RUNOFF_PENDING
    assert demo_rows["IL-SEN"]["days_to_primary"] == 7
    assert demo_rows["IL-SEN"]["timing"] == PRIMARY_SOON
    assert demo_rows["CA-12"]["timing"] == BEFORE_PRIMARY


def test_a_vacant_seat_and_a_governor_without_seat_data(demo_rows):
    vacant = demo_rows["TX-23"]
    assert vacant["seat"] == VACANT and vacant["incumbent"] is None
    assert "Seat vacant" in calendar_words(vacant)
    governor = demo_rows["CA-GOV"]
    assert governor["seat"] == NO_INCUMBENT_DATA
    assert calendar_words(governor).endswith("No incumbent data for governors.")
    held = demo_rows["VT-AL"]
    assert held["seat"] == "Democratic incumbent" and held["incumbent"] == "Becca Balint"
    assert held["in_seat_since"] == date(2023, 1, 3)


def test_every_timing_word_occurs_in_the_demo(small_demo_db):
    seen = set()
    for wave in ("2026-03", "2026-04", "2026-05", "2026-07"):
        with connect(small_demo_db) as con:
            contests = set(con.execute("SELECT race_id FROM contests(?)", [wave]).df()["race_id"])
        seen |= {r["timing"] for k, r in rows(small_demo_db, wave).items() if k in contests}
    assert set(TIMINGS) - {NO_CALENDAR} <= seen


# --- no calendar, no seat data; the candidate who holds the seat ------------------------


@pytest.fixture(scope="module")
def edited_db(tmp_path_factory):
    """The sample with MI-SEN a race of 2028 (no files for it) and VT-AL's E1 named after
    the seat's holder."""
    folder = tmp_path_factory.mktemp("calendar_edited")
    data = edited_sample(
        folder,
        {
            "races.csv": ("MI-SEN,senate,MI,,2026", "MI-SEN,senate,MI,,2028"),
            "candidates.csv": ("E1,VT-AL,Fay Fisher", "E1,VT-AL,Becca Balint"),
        },
    )
    load_folder(data, folder / "edited.duckdb")
    return folder / "edited.duckdb"


def test_a_race_of_a_cycle_without_files_says_so(edited_db):
    row = rows(edited_db, "2026-03")["MI-SEN"]
    assert row["timing"] == NO_CALENDAR and row["seat"] == NO_INCUMBENT_DATA
    assert row["primary_date"] is None and row["days_to_primary"] is None
    assert calendar_words(row) == "No calendar for 2028. No incumbent data for 2028."


def test_a_candidate_who_holds_the_seat_is_named_as_the_incumbent(edited_db):
    row = rows(edited_db, "2026-03")["VT-AL"]
    assert row["incumbent_candidate_id"] == "E1"
    words = calendar_words(row, {"E1": "Becca Balint"})
    assert words == (
        "Primary August 11, 2026: 21 weeks after this wave closed. Incumbent: Becca Balint "
        "(Democrat) since 2023, a candidate here (Becca Balint (E1))."
    )
    assert rows(edited_db, "2026-03")["CA-12"]["incumbent_candidate_id"] is None


def test_names_match_the_holder_by_first_and_last_word():
    assert same_person("Rick Crawford", 'Eric A. "Rick" Crawford')
    assert same_person("Nicholas Begich", "Nicholas J. Begich III")
    assert not same_person("Ana Alvarez", "Lateefah Simon")
    assert not same_person("Becca Smith", "Becca Balint")


def test_tally_json_and_csv_carry_the_calendar_after_the_contracts_columns(edited_db, capsys):
    assert main(["tally", "--db", str(edited_db), "--wave", "2026-03", "--format", "csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header = table[0]
    assert header[: len(TALLY_COLUMNS)] == TALLY_COLUMNS
    assert header[-len(TALLY_CALENDAR_COLUMNS) :] == TALLY_CALENDAR_COLUMNS
    vt = dict(zip(header, next(r for r in table if r[1] == "VT-AL"), strict=True))
    assert (vt["primary_date"], vt["days_to_primary"]) == ("2026-08-11", "148")
    assert (vt["timing"], vt["incumbent_party"]) == (BEFORE_PRIMARY, "Democrat")
    assert main(["tally", "--db", str(edited_db), "--wave", "2026-03", "--format", "json"]) == 0
    contests = {c["race_id"]: c for c in json.loads(capsys.readouterr().out)["contests"]}
    assert contests["VT-AL"]["days_to_primary"] == 148
    assert contests["MI-SEN"]["timing"] == NO_CALENDAR
    assert contests["MI-SEN"]["primary_date"] is None
    assert list(contests["CA-12"])[-4:] == TALLY_CALENDAR_COLUMNS


# --- the reference files: refused when bad, a later cycle's picked up -------------------


@pytest.fixture
def reference_copy(tmp_path, monkeypatch):
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE, folder)
    monkeypatch.setattr(reference, "reference_dir", lambda: folder)
    return folder


def test_a_bad_reference_file_is_refused_in_one_line(reference_copy, tmp_path, capsys):
    path = reference_copy / "primaries-2026.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("AK,,2026-08-18", "AK,,2026-08-32"), "utf-8"
    )
    with pytest.raises(LoadRefused):
        load_folder(SAMPLE, tmp_path / "refused.duckdb")
    assert main(["load", str(SAMPLE), "--db", str(tmp_path / "refused.duckdb")]) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if "reference" in line]
    assert lines == [
        "data/reference/primaries-2026.csv line 3, column primary_date: '2026-08-32' is not "
        "a date YYYY-MM-DD"
    ]
    assert not (tmp_path / "refused.duckdb").exists()


def test_a_bad_seat_is_refused_in_one_line_too(reference_copy, tmp_path):
    path = reference_copy / "incumbents-2026.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("AK-AL,", "AK-XY,", 1), "utf-8")
    with pytest.raises(LoadRefused) as refused:
        load_folder(SAMPLE, tmp_path / "refused.duckdb")
    assert [str(p) for p in refused.value.problems] == [
        "data/reference/incumbents-2026.csv line 2, column race_id: 'AK-XY' is not a race id "
        "such as CA-12 or CA-SEN"
    ]


def test_a_later_cycles_files_are_read_when_staff_add_them(reference_copy, tmp_path):
    (reference_copy / "primaries-2028.csv").write_text(
        "state,office,primary_date,runoff_date,sources_agreeing,note\nMI,,2028-08-01,,1,\n",
        "utf-8",
    )
    data = edited_sample(
        tmp_path, {"races.csv": ("MI-SEN,senate,MI,,2026", "MI-SEN,senate,MI,,2028")}
    )
    load_folder(data, tmp_path / "later.duckdb")
    row = rows(tmp_path / "later.duckdb", "2026-03")["MI-SEN"]
    assert row["primary_date"] == date(2028, 8, 1) and row["timing"] == BEFORE_PRIMARY
    assert row["seat"] == NO_INCUMBENT_DATA  # no incumbents-2028.csv yet


# --- explore_dynamics' aggregates --------------------------------------------------------


def test_the_groups_add_up_and_small_ones_are_hidden(sample_db, small_demo_db):
    with connect(small_demo_db) as con:
        contests = contests_on_calendar(con)
    weeks, seats = by_weeks(contests), by_seat(contests)
    assert weeks["contests"].sum() == seats["contests"].sum() == len(contests)
    assert weeks["ballots"].sum() == contests["ballots_counted"].sum()
    with connect(sample_db) as con:
        small = by_weeks(contests_on_calendar(con))
    hidden = small[small["ballots"].isna()]
    assert hidden["turnout"].isna().all() and hidden["top_share"].isna().all()
    assert (small["ballots"].dropna() >= 5).all()


def test_the_calendar_charts_validate_and_render_offline(sample_db, small_demo_db):
    import endorse_analysis as ea
    from endorse_analysis.present import alt_text, calendar_tables, charts

    for db, wave in ((sample_db, "2026-03"), (small_demo_db, "2026-05")):
        with connect(db) as con:
            figures = ea.wave_figures(con, wave)
            contests = contests_on_calendar(con)
        frame = calendar_tables.weeks_table(figures)
        made = [
            charts.primary_weeks(frame),
            charts.by_weeks(by_weeks(contests), "turnout", "Turnout"),
            charts.by_seat(by_seat(contests), "top_share", "Support"),
        ]
        for chart in made:
            chart.to_dict(validate=True)
            svg = charts.to_svg(chart)
            assert svg.lstrip().startswith("<svg") and "https://" not in svg
        words = alt_text.primary_weeks(frame)
        assert f"{len(frame):,} contests with a primary date" in words
    assert "after the primary" in words and "runoff pending" in words  # the demo's May wave


def test_the_docket_leads_with_races_whose_primary_is_past(small_demo_db):
    import endorse_analysis as ea
    from endorse_analysis.present import calendar_tables, tables

    with connect(small_demo_db) as con:
        figures = ea.wave_figures(con, "2026-05")
    races = calendar_tables.docket_races(figures)
    table = calendar_tables.calendar_table(figures, races)
    ranks = [TIMINGS.index(t) for t in table["timing"]]
    assert ranks == sorted(ranks) and table["timing"].iloc[0] == AFTER_PRIMARY
    assert set(table["timing"]) >= {AFTER_PRIMARY, RUNOFF_PENDING, PRIMARY_SOON, BEFORE_PRIMARY}
    past = calendar_tables.past_primaries(figures, races)
    assert {r["race_id"] for r in past} == set(
        table.loc[table["timing"].isin([AFTER_PRIMARY, RUNOFF_PENDING]), "race"]
    )
    whole = calendar_tables.with_calendar(tables.docket_table(figures), figures)
    assert len(whole) == len(figures.docket) and whole["timing"].iloc[0] == AFTER_PRIMARY
    whole_ranks = [TIMINGS.index(t) for t in whole["timing"]]
    assert whole_ranks == sorted(whole_ranks)
