"""The input files of docs/rules.md §2: their columns, types and what a value must look like.

In: nothing. Out: `INPUT_FILES`, the one table of truth for the loader: each column names
its kind, and each kind has one parser macro (sql/parse_macros.sql) and one phrase that
says what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from endorse_analysis.vocabulary import (
    METHODS,
    OFFICES,
    QUESTIONNAIRE_RESULTS,
    RULING_DECISIONS,
    VETTING_STATUSES,
)

# Kinds of column. Each maps to a parser macro in sql/parse_macros.sql.
TEXT = "text"
INTEGER = "integer"
TIMESTAMP = "timestamp"
BOOLEAN = "boolean"
STATE = "state"  # USPS code, read in any case


@dataclass(frozen=True)
class Column:
    """One column of an input file."""

    name: str
    kind: str = TEXT
    required: bool = True
    choices: tuple[str, ...] = ()  # for enumerations, read in any case, stored as listed

    @property
    def sql_type(self) -> str:
        return {
            TEXT: "VARCHAR",
            INTEGER: "BIGINT",
            TIMESTAMP: "TIMESTAMP",
            BOOLEAN: "BOOLEAN",
            STATE: "VARCHAR",
        }[self.kind]


@dataclass(frozen=True)
class InputFile:
    """One of the input CSV files (eight, and the optional rulings.csv): its name, columns
    and unique key."""

    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    # (column, other table, other column): a reference that must resolve.
    references: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)
    optional: bool = False  # the folder may leave the whole file out

    @property
    def filename(self) -> str:
        return f"{self.table}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


INPUT_FILES: tuple[InputFile, ...] = (
    InputFile(
        "waves",
        (
            Column("wave_id"),
            Column("name"),
            Column("opens_at", TIMESTAMP),
            Column("closes_at", TIMESTAMP),
            Column("signup_closes_at", TIMESTAMP, required=False),
            Column("method", required=False, choices=METHODS),  # empty: single (§5)
        ),
        key=("wave_id",),
    ),
    InputFile(
        "races",
        (
            Column("race_id"),
            Column("office", choices=OFFICES),
            Column("state", STATE),
            Column("district", INTEGER, required=False),
            Column("cycle", INTEGER, required=False),
        ),
        key=("race_id",),
    ),
    InputFile(
        "candidates",
        (
            Column("candidate_id"),
            Column("race_id"),
            Column("name"),
            Column("party", required=False),
            Column("first_time", BOOLEAN, required=False),
            Column("incumbent", BOOLEAN, required=False),
        ),
        key=("candidate_id",),
        references=(("race_id", "races", "race_id"),),
    ),
    InputFile(
        "groups",
        (
            Column("group_id"),
            Column("name"),
            Column("state", STATE),
            Column("district", INTEGER, required=False),
        ),
        key=("group_id",),
    ),
    InputFile(
        "endorsements",
        (
            Column("group_id"),
            Column("candidate_id"),
            Column("wave_id"),
            Column("endorsed_on", TIMESTAMP),
            Column("requests_national", BOOLEAN),
        ),
        key=("group_id", "candidate_id", "wave_id"),
        references=(
            ("group_id", "groups", "group_id"),
            ("candidate_id", "candidates", "candidate_id"),
            ("wave_id", "waves", "wave_id"),
        ),
    ),
    InputFile(
        "vetting",
        (
            Column("candidate_id"),
            Column("wave_id"),
            Column("status", choices=VETTING_STATUSES),
            Column("questionnaire", choices=QUESTIONNAIRE_RESULTS),
            Column("partner_endorsements", INTEGER, required=False),
            Column("notes", required=False),
        ),
        key=("candidate_id", "wave_id"),
        references=(
            ("candidate_id", "candidates", "candidate_id"),
            ("wave_id", "waves", "wave_id"),
        ),
    ),
    InputFile(
        "members",
        (
            Column("member_id"),
            # A member's geography never refuses a load (docs/rules.md §2): read leniently.
            Column("state", TEXT),  # required column; an empty value is allowed
            Column("district", TEXT, required=False),
            Column("signed_up_at", TIMESTAMP),
            Column("opted_out_at", TIMESTAMP, required=False),
        ),
        key=("member_id",),
    ),
    InputFile(
        "votes",
        (
            Column("vote_id", INTEGER),
            Column("wave_id"),
            Column("race_id"),
            Column("member_id"),
            Column("choice"),
            Column("cast_at", TIMESTAMP),
        ),
        key=("vote_id",),
    ),
    # Staff rulings on contests: optional; the final decision of a contest is its ruling
    # where there is one.
    InputFile(
        "rulings",
        (
            Column("wave_id"),
            Column("race_id"),
            Column("decision", choices=RULING_DECISIONS),
            Column("candidate_id", required=False),
            Column("decided_by"),
            Column("decided_at", TIMESTAMP),
            Column("note", required=False),
        ),
        key=("wave_id", "race_id"),
        references=(
            ("wave_id", "waves", "wave_id"),
            ("race_id", "races", "race_id"),
            ("candidate_id", "candidates", "candidate_id"),
        ),
        optional=True,
    ),
)

EXPECTED = {
    TEXT: "a non-empty value",
    INTEGER: "a whole number such as 7 ([+-]digits, within 64 bits)",
    TIMESTAMP: "a timestamp YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.ffffff]], optionally Z or ±HH:MM",
    BOOLEAN: "true/false, yes/no, 1/0 or t/f",
    STATE: "a USPS state code",
}

# --- the snapshot a load writes ----------------------------------------------------------

# Bumped whenever the tables of a snapshot change shape; a snapshot of another version is
# refused when opened, with a line saying to load the folder again.
FORMAT_VERSION = 6
# The House districts' reference facts (data/reference/districts-2024-lines.csv) as the
# snapshot types them.
DISTRICT_COLUMNS = {
    "state": "VARCHAR",
    "district": "BIGINT",
    "description": "VARCHAR",
    "largest_place": "VARCHAR",
    "pres2024_rep_two_party_share": "DECIMAL(9, 6)",
    "pres2024_two_party_votes": "BIGINT",
    "pres2024_total_votes": "BIGINT",
}
# Every cycle's primary calendar (data/reference/primaries-<cycle>.csv; office NULL: all
# offices of the state) and seat holders (incumbents-<cycle>.csv; incumbent NULL: vacant;
# the seat's state, office and district read from its race_id: CA-12, AK-AL, CA-SEN).
PRIMARY_COLUMNS = {
    "cycle": "BIGINT",
    "state": "VARCHAR",
    "office": "VARCHAR",
    "primary_date": "DATE",
    "runoff_date": "DATE",
    "sources_agreeing": "BIGINT",
    "note": "VARCHAR",
}
INCUMBENT_COLUMNS = {
    "cycle": "BIGINT",
    "race_id": "VARCHAR",
    "state": "VARCHAR",
    "office": "VARCHAR",
    "district": "BIGINT",
    "incumbent": "VARCHAR",
    "party": "VARCHAR",
    "in_seat_since": "DATE",
    "bioguide_id": "VARCHAR",
}

# The tables every snapshot holds besides the input files' own, and their columns (a test
# checks them against what a load writes).
SNAPSHOT_COLUMNS: dict[str, tuple[str, ...]] = {
    "states": ("state", "name", "fips", "house_seats"),
    "districts": tuple(DISTRICT_COLUMNS),
    "primaries": tuple(PRIMARY_COLUMNS),
    "incumbents": tuple(INCUMBENT_COLUMNS),
    "vote_counts": ("wave_id", "race_id", "status", "choice", "cast_day", "votes"),
    "snapshot": ("key", "value"),
}
SNAPSHOT_TABLES = tuple(SNAPSHOT_COLUMNS)
# Columns a load adds to an input file's table: the member's integer key, assigned at load
# (ingest/sql/member_geography.sql), that the classification of the votes joins and groups on.
KEY_COLUMNS: dict[str, tuple[str, ...]] = {"members": ("member_key",), "votes": ("member_key",)}


def stored_columns() -> dict[str, tuple[str, ...]]:
    """Every table of a snapshot of this format and its columns."""
    return {
        **{
            spec.table: (*spec.column_names, *KEY_COLUMNS.get(spec.table, ()))
            for spec in INPUT_FILES
        },
        **SNAPSHOT_COLUMNS,
    }


def snapshot_id(entries: dict[str, str]) -> str:
    """The id of a snapshot: a SHA-256 over everything it records about itself (input
    fingerprint, time zone, when and by which version it was loaded), so that any change
    that can change a page changes the id."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()
