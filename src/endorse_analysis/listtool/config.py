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

    [van.people]                          # the column names of an export (and [van.responses])
    member_id = "VanID"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from endorse_analysis.ingest.parse import check_timezone

# The list tools whose CSV exports the import reads through a column mapping.
EXPORT_TOOLS = ("actionnetwork", "van")
# ActionKit's documented meanings (Database Reference; Subscription History Data): a user
# whose last change is one of these change ids is unsubscribed (3 is a bounce, not an
# opt-out). Configurable, as an instance may have added its own change types.
UNSUBSCRIBE_CHANGE_IDS = (4, 5, 6)
OPTED_OUT_STATUSES = ("unsubscribed",)


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
    opted_out_statuses: tuple[str, ...] = OPTED_OUT_STATUSES
    unsubscribe_change_ids: tuple[int, ...] = UNSUBSCRIBE_CHANGE_IDS


@dataclass(frozen=True)
class ExportColumns:
    """The column names of one list tool's two CSV exports (people, responses)."""

    people: dict[str, str]
    responses: dict[str, str]
    timezone: str = "UTC"
    timestamp_format: str | None = None  # strptime format; None: the contract's timestamps
    opted_out_statuses: tuple[str, ...] = OPTED_OUT_STATUSES


# What an export mapping names: required, then optional, per file.
PEOPLE_COLUMNS = (("member_id", "state", "signed_up_at"), ("district", "opted_out_at", "status"))
RESPONSE_COLUMNS = (("member_id", "page", "answer", "cast_at"), ("vote_id",))


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
            "unsubscribe_change_ids",
        },
        what,
    )
    change_ids = section.get("unsubscribe_change_ids", list(UNSUBSCRIBE_CHANGE_IDS))
    if not (
        isinstance(change_ids, list)
        and change_ids
        and all(isinstance(i, int) and not isinstance(i, bool) for i in change_ids)
    ):
        raise ConfigError(f"{where.path}: {what} unsubscribe_change_ids must be whole numbers")
    return ActionKit(
        choice_field=where.text(section, "choice_field", what),
        district_geofield=where.text(section, "district_geofield", what, required=False),
        timezone=where.timezone(section, what),
        opted_out_statuses=where.texts(section, "opted_out_statuses", what),
        unsubscribe_change_ids=tuple(change_ids),
    )


def _export(where: _Where, tool: str, section: Any) -> ExportColumns:
    what = f"[{tool}]"
    where.table(section, what)
    where.no_other_keys(
        section,
        {"people", "responses", "timezone", "timestamp_format", "opted_out_statuses"},
        what,
    )
    columns = {}
    for name, (required, optional) in (("people", PEOPLE_COLUMNS), ("responses", RESPONSE_COLUMNS)):
        part = f"[{tool}.{name}]"
        mapping = section.get(name)
        if mapping is None:
            raise ConfigError(f"{where.path}: has no {part} column mapping")
        where.table(mapping, part)
        where.no_other_keys(mapping, {*required, *optional}, part)
        columns[name] = {
            key: value
            for key in (*required, *optional)
            if (value := where.text(mapping, key, part, required=key in required)) is not None
        }
    if "status" in columns["people"] and "opted_out_at" not in columns["people"]:
        raise ConfigError(
            f"{where.path}: [{tool}.people] names a status column but no opted_out_at column: "
            "an opt-out needs the time it happened"
        )
    return ExportColumns(
        people=columns["people"],
        responses=columns["responses"],
        timezone=where.timezone(section, what),
        timestamp_format=where.text(section, "timestamp_format", what, required=False),
        opted_out_statuses=where.texts(section, "opted_out_statuses", what),
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

    def texts(self, table: dict, key: str, what: str) -> tuple[str, ...]:
        values = table.get(key, list(OPTED_OUT_STATUSES))
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

    def timezone(self, table: dict, what: str) -> str:
        name = self.text(table, "timezone", what, required=False) or "UTC"
        try:
            return check_timezone(name)
        except ValueError as err:
            raise ConfigError(f"{self.path}: {what} {err}") from None
