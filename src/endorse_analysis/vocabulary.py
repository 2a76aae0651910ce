"""The words of the program, each spelled once: vote statuses, decisions, offices, the
no-endorsement option, the privacy cut-off, and how each shows to a person (words,
colours, the order of counters).

Everything else imports from here; the SQL rule macros spell the same values, and a
test checks that they agree.
"""

from __future__ import annotations

from typing import Final

# The ballot's other option (docs/rules.md §2): never a candidate, never the top choice.
NO_ENDORSEMENT: Final = "NO_ENDORSEMENT"

# Privacy (docs/rules.md §3): a breakdown cell of fewer ballots than this is hidden.
MIN_CELL: Final = 5
# How a hidden cell shows: some hold MIN_CELL or more, hidden to protect a smaller one, so
# it never says "fewer than 5".
HIDDEN: Final = "hidden"

# How a figure that does not exist shows: a share of nothing, no candidate, no 2024 lean.
NO_FIGURE: Final = "–"
# What a provisional (as-of) output counts, followed by its instant; pages, the command
# line's outputs and its help all say it so.
PROVISIONAL_WORDS: Final = "counts only votes cast, sign-ups, opt-outs and staff rulings before"
# Where the members' House districts came from, when an import worked them out from ZIP
# codes: the token the import writes beside members.csv (MEMBER_DISTRICTS_FILE) and the
# snapshot records as `member_districts`, and what pages and notebooks say of it.
MEMBER_DISTRICTS_FILE: Final = "members.districts.txt"
ZIP_DISTRICTS: Final = "zip-2024-lines"
ZIP_DISTRICTS_WORDS: Final = (
    "Members' House districts come from their ZIP codes, on the 2024 lines."
)
# The input folder (docs/rules.md §2), as the command line's help and docstrings name it.
INPUT_FILES_WORDS: Final = "the eight CSV files (and the optional ninth, rulings.csv)"

# --- vote statuses: the contract's order, which is also the order they are tested in ----

STATUSES: Final = (
    "counted",
    "superseded",
    "outside_window",
    "not_on_ballot",
    "not_eligible",
    "unknown_member",
    "unknown_race",
)

# What each status means, for the glossary of a page.
STATUS_WORDS: Final = {
    "counted": "counted: the member's last valid ballot in the contest",
    "superseded": "superseded: replaced by the same member's later valid ballot",
    "outside_window": "outside the window: cast before the wave opened or after it closed",
    "not_on_ballot": "not on the ballot: the choice is not a candidate on this ballot",
    "not_eligible": "not eligible: the member is not a potential voter of the contest",
    "unknown_member": "unknown member: the member id is not in the member list",
    "unknown_race": "unknown race: the wave or race is not in the loaded data",
}

# --- decisions ---------------------------------------------------------------------------

ENDORSE: Final = "ENDORSE"
REVIEW: Final = "REVIEW"
NO_CANDIDATES: Final = "NO_CANDIDATES"

# The decisions of docs/rules.md §3, in the order counters and legends show them.
DECISIONS: Final = (ENDORSE, REVIEW, NO_ENDORSEMENT, NO_CANDIDATES)
# What a staff ruling may decide (rulings.csv).
RULING_DECISIONS: Final = (ENDORSE, NO_ENDORSEMENT)

DECISION_WORDS: Final = {
    ENDORSE: "Endorse",
    REVIEW: "For staff review",
    NO_ENDORSEMENT: "No endorsement",
    NO_CANDIDATES: "No candidates on the ballot",
}
# The no-endorsement option inside a sentence: "switched to no endorsement".
NO_ENDORSEMENT_WORDS: Final = DECISION_WORDS[NO_ENDORSEMENT].lower()
# A decision's badge on a page: its code in capitals, as words.
DECISION_BADGES: Final = {d: d.replace("_", " ") for d in DECISIONS}
# One palette for badges, counters and charts (text on these is white).
DECISION_COLOURS: Final = {
    ENDORSE: "#1a7f37",
    REVIEW: "#9a6700",
    NO_ENDORSEMENT: "#cf222e",
    NO_CANDIDATES: "#57606a",
}
# The CSS class of a decision's badge in the page templates.
DECISION_CSS: Final = {
    ENDORSE: "endorse",
    REVIEW: "review",
    NO_ENDORSEMENT: "none",
    NO_CANDIDATES: "nocand",
}

# --- offices and the vetting vocabulary of the input files -------------------------------

OFFICES: Final = ("house", "senate", "governor")
OFFICE_WORDS: Final = {"house": "U.S. House", "senate": "U.S. Senate", "governor": "Governor"}
VETTING_STATUSES: Final = ("cleared", "rejected", "pending")
QUESTIONNAIRE_RESULTS: Final = ("passed", "failed", "missing")

# --- voting methods (contract §5) ---------------------------------------------------------

SINGLE: Final = "single"
APPROVAL: Final = "approval"
RANKED: Final = "ranked"
# A wave's method (waves.csv `method`; empty is single), read in any case.
METHODS: Final = (SINGLE, APPROVAL, RANKED)
# What separates the options of one ballot, per method.
SEPARATORS: Final = {APPROVAL: ";", RANKED: ">"}
METHOD_WORDS: Final = {
    SINGLE: "single choice",
    APPROVAL: "approval",
    RANKED: "ranked choice (instant runoff)",
}

# --- a race's calendar and seat (data/reference/primaries-<cycle>.csv, incumbents-...) --

# Days from the date a wave closes to the primary, compared exactly: a primary before that
# date is past ("after the primary", or "runoff pending" while its runoff is on or after
# it); from 0 to PRIMARY_SOON_DAYS - 1 days it is "under two weeks before"; from
# PRIMARY_SOON_DAYS on, "before the primary".
PRIMARY_SOON_DAYS: Final = 14
AFTER_PRIMARY: Final = "after the primary"
RUNOFF_PENDING: Final = "runoff pending"
PRIMARY_SOON: Final = "under two weeks before"
BEFORE_PRIMARY: Final = "before the primary"
NO_CALENDAR: Final = "no calendar"
# The timing words in the order of every table, filter and chart: the most urgent first.
TIMINGS: Final = (AFTER_PRIMARY, RUNOFF_PENDING, PRIMARY_SOON, BEFORE_PRIMARY, NO_CALENDAR)
TIMING_COLOURS: Final = {
    AFTER_PRIMARY: "#cf222e",
    RUNOFF_PENDING: "#bc4c00",
    PRIMARY_SOON: "#9a6700",
    BEFORE_PRIMARY: "#1a7f37",
    NO_CALENDAR: "#57606a",
}

# A seat: held by a party's incumbent, vacant (an open seat: nobody holds it), or unknown.
VACANT: Final = "vacant"
NO_INCUMBENT_DATA: Final = "no incumbent data"
# The party of incumbents-<cycle>.csv as an adjective: "Democratic incumbent".
PARTY_ADJECTIVES: Final = {
    "Democrat": "Democratic",
    "Republican": "Republican",
    "Independent": "Independent",
}
SEATS: Final = (
    "Democratic incumbent",
    "Republican incumbent",
    "Independent incumbent",
    VACANT,
    NO_INCUMBENT_DATA,
)
