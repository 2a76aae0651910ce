"""The input files of contract §2: their columns, types and what a value must look like.

This is the one table of truth for the loader: each column names its kind, and each kind
has one SQL expression that parses it and one phrase that says what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    """One of the eight CSV files: its name, columns and unique key."""

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
        ),
        key=("wave_id",),
    ),
    InputFile(
        "races",
        (
            Column("race_id"),
            Column("office", choices=("house", "senate", "governor")),
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
            Column("status", choices=("cleared", "rejected", "pending")),
            Column("questionnaire", choices=("passed", "failed", "missing")),
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
            # A member's geography never refuses a load (contract §2): read leniently.
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
    # Staff rulings on contests (issue 8): optional; the final decision of a contest is its
    # ruling where there is one.
    InputFile(
        "rulings",
        (
            Column("wave_id"),
            Column("race_id"),
            Column("decision", choices=("ENDORSE", "NO_ENDORSEMENT")),
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

FILES_BY_TABLE = {f.table: f for f in INPUT_FILES}

NO_ENDORSEMENT = "NO_ENDORSEMENT"

EXPECTED = {
    TEXT: "a non-empty value",
    INTEGER: "a whole number such as 7 ([+-]digits, within 64 bits)",
    TIMESTAMP: "a timestamp YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS[.ffffff]], optionally Z or ±HH:MM",
    BOOLEAN: "true/false, yes/no, 1/0 or t/f",
    STATE: "a USPS state code",
}

STATUSES = (
    "counted",
    "superseded",
    "outside_window",
    "not_on_ballot",
    "not_eligible",
    "unknown_member",
    "unknown_race",
)

DECISIONS = ("ENDORSE", "REVIEW", "NO_ENDORSEMENT", "NO_CANDIDATES")
