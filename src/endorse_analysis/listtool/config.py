"""The program's mapping from a list tool to the contract: `program.toml`.

In: the path of a TOML file (read with tomllib). Out: a `ProgramConfig`: which ballot
page (an ActionKit page, an Action Network form, a VAN survey question) holds which
contest, what each answer on it means (a candidate id or NO_ENDORSEMENT), and, per list
tool, where its members' and votes' facts are. A mistake in the file is one sentence
(`ConfigError`), never a traceback. The file holds no credentials: those come from
environment variables (`listtool/actionkit.py`).

    [[pages]]
    page = "endorse-2026-03-ca-12"        # ActionKit core_page.name, a form, a question id
    wave = "2026-03"
    race = "CA-12"
    answers = { "Ana Alvarez" = "A1", "Ben Brooks" = "B2" }

    [answers]                             # answers every page shares (a page's own win)
    "No endorsement" = "NO_ENDORSEMENT"

    [actionkit]
    choice_field = "endorse_choice"       # core_actionfield.name of the answer
    district_geofield = "us_district_redistrict2026"   # optional, preferred where present
    timezone = "UTC"                      # the clock of the database's DATETIME columns

A complete file per list tool, ready to copy: docs/program-actionkit.toml,
docs/program-actionnetwork.toml and docs/program-van.toml.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from endorse_analysis.ingest.parse import check_timezone

# The list tools whose CSV exports the import reads through a column mapping.
EXPORT_TOOLS = ("actionnetwork", "van")
# ActionKit: a user whose subscription_status is one of these is off the list, since their
# last change whose type (core_subscriptionchangetype.name) begins with this prefix. The
# ids of the types differ between instances (unsubscribe_bounce is 3, unsubscribe_merge
# 14 on one), so they are matched by name unless program.toml names them.
AK_OPTED_OUT_STATUSES = ("unsubscribed", "bounced")
AK_NEVER_STATUS = "never"
UNSUBSCRIBE_PREFIX = "unsubscribe"
OPTED_OUT_STATUSES = ("unsubscribed",)
# How an export's fields are separated: program.toml's names for them (a tab itself too).
DELIMITERS = {",": ",", "comma": ",", "tab": "\t", "\\t": "\t", ";": ";", "semicolon": ";"}


class ConfigError(ValueError):
    """A mistake in program.toml, said in one sentence."""


@dataclass(frozen=True)
class Page:
    """One ballot page: the contest its answers vote in, and what each answer means."""

    key: str
    wave_id: str
    race_id: str
    answers: dict[str, str]


@dataclass(frozen=True)
class ActionKit:
    """Where the ActionKit reporting database keeps what the contract needs."""

    choice_field: str
    district_geofield: str | None = None
    timezone: str = "UTC"
    opted_out_statuses: tuple[str, ...] = AK_OPTED_OUT_STATUSES
    # The change types that unsubscribe, by name (text) or id (number); None: every type
    # whose name begins with UNSUBSCRIBE_PREFIX.
    unsubscribe_change_types: tuple[str | int, ...] | None = None
    # Users whose status is `never` vote and count as potential voters (off by default:
    # the ballot e-mail cannot reach them).
    never_subscribed_vote: bool = False


@dataclass(frozen=True)
class FileFormat:
    """How one export file is written: its field separator (None: found from the header
    line) and its timestamps' strptime format (None: the contract's timestamps)."""

    delimiter: str | None = None
    timestamp_format: str | None = None


@dataclass(frozen=True)
class ExportColumns:
    """The column names of one list tool's two CSV exports (people, responses)."""

    people: dict[str, str]
    responses: dict[str, str]
    timezone: str = "UTC"
    timestamp_format: str | None = None  # both files' default strptime format
    opted_out_statuses: tuple[str, ...] = OPTED_OUT_STATUSES
    formats: dict[str, FileFormat] = field(default_factory=dict)  # per file: people, responses
    everyone_signed_up_at: datetime | None = None  # for a people file with no creation date

    def format_of(self, role: str) -> FileFormat:
        """The file's own format, its timestamps defaulting to the tool's."""
        own = self.formats.get(role, FileFormat())
        return FileFormat(own.delimiter, own.timestamp_format or self.timestamp_format)


# What an export mapping names: required, then optional, per file. `zip` gives a district
# from data/reference's ZCTA table when no district column is mapped; `tiebreak` is a
# later-is-larger column that orders same-time responses when no vote_id is mapped.
PEOPLE_COLUMNS = (
    ("member_id", "state", "signed_up_at"),
    ("district", "zip", "opted_out_at", "status"),
)
RESPONSE_COLUMNS = (("member_id", "page", "answer", "cast_at"), ("vote_id", "tiebreak"))
# A file's settings beside its column names.
FILE_SETTINGS = {
    "people": ("delimiter", "timestamp_format", "everyone_signed_up_at"),
    "responses": ("delimiter", "timestamp_format"),
}


@dataclass(frozen=True)
class ProgramConfig:
    """Everything program.toml says: the pages, and one section per list tool used."""

    path: Path
    pages: tuple[Page, ...]
    actionkit: ActionKit | None = None
    exports: dict[str, ExportColumns] = field(default_factory=dict)

    def require_actionkit(self) -> ActionKit:
        if self.actionkit is None:
            raise ConfigError(f"{self.path}: has no [actionkit] section")
        return self.actionkit

    def require_export(self, tool: str) -> ExportColumns:
        if tool not in self.exports:
            raise ConfigError(
                f"{self.path}: has no [{tool}.people] and [{tool}.responses] column mapping"
            )
        return self.exports[tool]


def read_config(path: Path) -> ProgramConfig:
    """Read and check program.toml."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ConfigError(f"{path}: cannot be read ({err.strerror or err})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: is not valid TOML ({err})") from None
    where = _Where(path)
    known = {"pages", "answers", "actionkit", *EXPORT_TOOLS}
    where.no_other_keys(data, known, "the file")
    shared = where.answers(data.get("answers", {}), "[answers]")
    raw_pages = data.get("pages")
    if not isinstance(raw_pages, list) or not raw_pages:
        raise ConfigError(f"{path}: needs at least one [[pages]] entry (page, wave, race, answers)")
    pages: list[Page] = []
    seen: set[str] = set()
    for number, entry in enumerate(raw_pages, start=1):
        what = f"[[pages]] entry {number}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: {what} is not a table")
        where.no_other_keys(entry, {"page", "wave", "race", "answers"}, what)
        key = where.text(entry, "page", what)
        if key in seen:
            raise ConfigError(f"{path}: {what} names page {key!r} a second time")
        seen.add(key)
        answers = {**shared, **where.answers(entry.get("answers", {}), f"{what}, answers")}
        if not answers:
            raise ConfigError(f"{path}: {what} (page {key!r}) maps no answer")
        pages.append(
            Page(key, where.text(entry, "wave", what), where.text(entry, "race", what), answers)
        )
    return ProgramConfig(
        path,
        tuple(pages),
        _actionkit(where, data["actionkit"]) if "actionkit" in data else None,
        {tool: _export(where, tool, data[tool]) for tool in EXPORT_TOOLS if tool in data},
    )


def _actionkit(where: _Where, section: Any) -> ActionKit:
    what = "[actionkit]"
    where.table(section, what)
    where.no_other_keys(
        section,
        {
            "choice_field",
            "district_geofield",
            "timezone",
            "opted_out_statuses",
            "unsubscribe_change_types",
            "unsubscribe_change_ids",
            "never_subscribed_vote",
        },
        what,
    )
    if "unsubscribe_change_types" in section and "unsubscribe_change_ids" in section:
        raise ConfigError(
            f"{where.path}: {what} names both unsubscribe_change_types and "
            "unsubscribe_change_ids (its older name): keep unsubscribe_change_types"
        )
    types = section.get("unsubscribe_change_types", section.get("unsubscribe_change_ids"))
    if types is not None and not (
        isinstance(types, list)
        and types
        and all(
            (isinstance(t, int) and not isinstance(t, bool)) or (isinstance(t, str) and t.strip())
            for t in types
        )
    ):
        raise ConfigError(
            f"{where.path}: {what} unsubscribe_change_types must list change type names "
            "(core_subscriptionchangetype.name) or ids"
        )
    never = section.get("never_subscribed_vote", False)
    if not isinstance(never, bool):
        raise ConfigError(f"{where.path}: {what} never_subscribed_vote must be true or false")
    return ActionKit(
        choice_field=where.text(section, "choice_field", what),
        district_geofield=where.text(section, "district_geofield", what, required=False),
        timezone=where.timezone(section, what),
        opted_out_statuses=where.texts(section, "opted_out_statuses", what, AK_OPTED_OUT_STATUSES),
        unsubscribe_change_types=(
            None if types is None else tuple(t.strip() if isinstance(t, str) else t for t in types)
        ),
        never_subscribed_vote=never,
    )


def _export(where: _Where, tool: str, section: Any) -> ExportColumns:
    what = f"[{tool}]"
    where.table(section, what)
    where.no_other_keys(
        section,
        {"people", "responses", "timezone", "timestamp_format", "opted_out_statuses"},
        what,
    )
    columns, formats = {}, {}
    everyone = None
    for name, (required, optional) in (("people", PEOPLE_COLUMNS), ("responses", RESPONSE_COLUMNS)):
        part = f"[{tool}.{name}]"
        mapping = section.get(name)
        if mapping is None:
            raise ConfigError(f"{where.path}: has no {part} column mapping")
        where.table(mapping, part)
        where.no_other_keys(mapping, {*required, *optional, *FILE_SETTINGS[name]}, part)
        if name == "people" and "everyone_signed_up_at" in mapping:
            if "signed_up_at" in mapping:
                raise ConfigError(
                    f"{where.path}: {part} names both a signed_up_at column and "
                    "everyone_signed_up_at: keep one"
                )
            everyone = where.instant(mapping, "everyone_signed_up_at", part)
            required = tuple(k for k in required if k != "signed_up_at")
        columns[name] = {
            key: value
            for key in (*required, *optional)
            if (value := where.text(mapping, key, part, required=key in required)) is not None
        }
        formats[name] = FileFormat(
            where.delimiter(mapping, part),
            where.text(mapping, "timestamp_format", part, required=False),
        )
    if "vote_id" in columns["responses"] and "tiebreak" in columns["responses"]:
        raise ConfigError(
            f"{where.path}: [{tool}.responses] names both vote_id and tiebreak: a vote id "
            "column already orders same-time responses (the larger is the later)"
        )
    return ExportColumns(
        people=columns["people"],
        responses=columns["responses"],
        timezone=where.timezone(section, what),
        timestamp_format=where.text(section, "timestamp_format", what, required=False),
        opted_out_statuses=where.texts(section, "opted_out_statuses", what),
        formats=formats,
        everyone_signed_up_at=everyone,
    )


@dataclass(frozen=True)
class _Where:
    """Checks of one file's values, each failure one sentence naming the file."""

    path: Path

    def table(self, value: Any, what: str) -> None:
        if not isinstance(value, dict):
            raise ConfigError(f"{self.path}: {what} is not a table")

    def no_other_keys(self, table: dict, known: set[str], what: str) -> None:
        unknown = sorted(set(table) - known)
        if unknown:
            raise ConfigError(
                f"{self.path}: {what} has unknown key(s) {', '.join(map(repr, unknown))} "
                f"(known: {', '.join(sorted(known))})"
            )

    def text(self, table: dict, key: str, what: str, *, required: bool = True) -> str | None:
        value = table.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            need = "is missing" if value is None else "must be non-empty text"
            raise ConfigError(f"{self.path}: {what} {key} {need}")
        return value.strip()

    def texts(
        self, table: dict, key: str, what: str, default: tuple[str, ...] = OPTED_OUT_STATUSES
    ) -> tuple[str, ...]:
        values = table.get(key, list(default))
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ConfigError(f"{self.path}: {what} {key} must be a list of text")
        return tuple(v.strip() for v in values)

    def answers(self, table: Any, what: str) -> dict[str, str]:
        self.table(table, what)
        for answer, choice in table.items():
            if not isinstance(choice, str) or not choice.strip():
                raise ConfigError(
                    f"{self.path}: {what}: answer {answer!r} must map to a candidate id "
                    "or NO_ENDORSEMENT"
                )
        return {answer.strip(): choice.strip() for answer, choice in table.items()}

    def delimiter(self, table: dict, what: str) -> str | None:
        value = table.get("delimiter")
        if value is None:
            return None
        if value == "\t":
            return value
        if not isinstance(value, str) or value.strip().lower() not in DELIMITERS:
            names = ", ".join(repr(k) for k in DELIMITERS)
            raise ConfigError(f"{self.path}: {what} delimiter must be one of {names}")
        return DELIMITERS[value.strip().lower()]

    def instant(self, table: dict, key: str, what: str) -> datetime:
        text = self.text(table, key, what)
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            raise ConfigError(
                f"{self.path}: {what} {key} must be a timestamp such as 2026-01-15T00:00:00Z"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)  # as the contract reads a timestamp
        return moment.astimezone(UTC)

    def timezone(self, table: dict, what: str) -> str:
        name = self.text(table, "timezone", what, required=False) or "UTC"
        try:
            return check_timezone(name)
        except ValueError as err:
            raise ConfigError(f"{self.path}: {what} {err}") from None
