"""The `endorse-analysis` command: parse arguments, make one call into the package, print.

Each subcommand is one `_name(args)` function, bound to its parser with
`set_defaults(func=...)`; every option shared by several commands is declared once by an
`_add_*` helper, its default and help read from `parameters.py`. Heavier modules
(rendering, the demo) are imported only by the command that needs them. A user's mistake
is one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from endorse_analysis.api.snapshot import DatabaseError, connect, parse_as_of
from endorse_analysis.api.tally import UnknownWave, audit, choices, tally
from endorse_analysis.files import Busy
from endorse_analysis.imports import skip_iri_parsers
from endorse_analysis.ingest import LoadRefused, LoadResult, load_folder
from endorse_analysis.ingest.problems import shown_name
from endorse_analysis.ingest.target import TargetError
from endorse_analysis.listtool import SourceError
from endorse_analysis.parameters import THRESHOLDS
from endorse_analysis.present import formats
from endorse_analysis.rules.thresholds import ThresholdError, Thresholds
from endorse_analysis.vocabulary import INPUT_FILES_WORDS, PROVISIONAL_WORDS

DEFAULT_DEMO_DB = Path("data/demo.duckdb")
DEFAULT_REPORTS = Path("reports")
DEFAULT_MAILINGS = Path("mailings")
DESCRIPTION = (
    "Tally a grassroots endorsement vote: load the program's CSV files into a database, "
    "tally each wave's contests with their decisions, and render the decision reports."
)


class UsageError(Exception):
    """A mistake in how the command was called, said in one sentence."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2, no usage dump
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _add_db(parser: argparse.ArgumentParser, help: str = "the database (a DuckDB file)") -> None:
    parser.add_argument("--db", required=True, type=Path, help=help)


def _add_wave(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """--wave: required, unless `help` says what leaving it out means."""
    parser.add_argument("--wave", required=help is None, help=help or "the wave's id (2026-03)")


def _add_thresholds(parser: argparse.ArgumentParser) -> None:
    for setting in THRESHOLDS:
        parser.add_argument(
            setting.option,
            default=setting.default,
            metavar=setting.symbol,
            help=setting.help_with_default(),
        )


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=formats.FORMATS, default="table", help=formats.FORMAT_HELP
    )


def _add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        metavar="TIMESTAMP",
        help=f"provisional: {PROVISIONAL_WORDS} this instant (a timestamp without an offset "
        "is read in the load's --timezone, like the files' timestamps)",
    )


def _add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=os.cpu_count() or 1,
        help="reports rendered at once, one kernel each (default: every core)",
    )


def _add_rendering(parser: argparse.ArgumentParser) -> None:
    """The options `report` and `reports` share."""
    _add_db(parser)
    _add_wave(parser)
    parser.add_argument("--out", type=Path, default=DEFAULT_REPORTS, help="output folder")
    parser.add_argument("--cold", action="store_true", help="a fresh kernel per report")
    _add_thresholds(parser)
    _add_as_of(parser)


IMPORT_HELP = (
    "Write the contract's members.csv and votes.csv into --out, from the list tool, "
    "through program.toml (its pages, answers and columns). The other input files (waves, "
    "races, candidates, groups, endorsements, vetting, and the optional rulings) come "
    "from staff's own sheets. A value the program does not map refuses the import, one "
    "line per row, and nothing is written."
)
ACTIONKIT_HELP = (
    "Credentials come from the environment only: ACTIONKIT_DSN "
    "(mysql://user:password@host:port/database), or ACTIONKIT_HOST, ACTIONKIT_PORT, "
    "ACTIONKIT_USER, ACTIONKIT_PASSWORD and ACTIONKIT_DATABASE."
)
LISTS_HELP = (
    "For each contest whose final decision is ENDORSE, write the announcement list (its "
    "potential voters, opted-out members excluded) and the potential volunteers (members "
    "whose counted ballot chose the endorsed candidate), one user_id column each, and a "
    "manifest of counts. These files are the one output that holds member ids: the folder "
    "is owner-only, is never part of a report, and is for the list tool's import only."
)
DEMO_HELP = (
    "Build the synthetic national program: write its CSV files into ./data/demo-csv/ "
    "(beside --db), load them into --db (./data/demo.duckdb), and render --wave's "
    "reports into --out."
)

MAILINGS_HELP = (
    "Write the program's own mailings for a wave into a new owner-only folder: 'ballot' "
    "(per contest with a candidate on its ballot, a draft email and its recipients), "
    "'results' (per contest that went to a vote, a draft announcement, its recipients and, "
    "for an endorsement, the volunteers; a contest awaiting a ruling is listed, and the "
    "exit code is 1 unless --allow-pending) or 'endorsed' (the public list of endorsed "
    "candidates of every wave so far: csv, json and an offline page). Recipients hold "
    "member ids: the folder is never part of a report."
)


def _add_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", required=True, type=Path, help="program.toml")
    parser.add_argument(
        "--out", required=True, type=Path, help="folder for members.csv and votes.csv"
    )


def _as_of(args: argparse.Namespace) -> datetime | None:
    """The --as-of instant, read like the files' timestamps in the snapshot's time zone."""
    if not getattr(args, "as_of", None):
        return None
    with connect(args.db) as con:
        return parse_as_of(con, args.as_of)


def _thresholds(args: argparse.Namespace) -> Thresholds:
    return Thresholds.from_text(*(getattr(args, s.name) for s in THRESHOLDS))


def _jobs(text: str) -> int:
    jobs = int(text)
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


def _command(
    commands: argparse._SubParsersAction,
    name: str,
    func: Callable[[argparse.Namespace], int],
    help: str,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand that runs `func`; its --help opens with `description`, else `help`."""
    description = description or help[:1].upper() + help[1:] + "."
    parser = commands.add_parser(name, help=help, description=description)
    parser.set_defaults(func=func)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand and its options."""
    parser = _Parser(prog="endorse-analysis", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = _command(commands, "load", _load, "validate a folder of CSV files and replace the database")
    p.add_argument("folder", type=Path, help=f"folder holding {INPUT_FILES_WORDS}")
    _add_db(p, help="DuckDB file to replace")
    p.add_argument(
        "--timezone",
        default="UTC",
        help="IANA zone for timestamps without an offset, and dates (default UTC)",
    )
    p.add_argument(
        "--threads",
        help="DuckDB threads for the load (default: every core; or $ENDORSE_THREADS)",
    )
    p.add_argument(
        "--memory-limit",
        help="DuckDB memory for the load, e.g. 4GB (default: twice the input, at most a "
        "quarter of the machine; or $ENDORSE_MEMORY_LIMIT); beyond it DuckDB spills to disk",
    )

    p = _command(commands, "tally", _tally, "one row per contest of a wave, with its decision")
    _add_db(p)
    _add_wave(p)
    _add_format(p)
    _add_thresholds(p)
    _add_as_of(p)

    p = _command(commands, "audit", _audit, "vote counts per contest and status")
    _add_db(p)
    _add_wave(p, "only this wave (default: every wave_id in the votes)")
    _add_format(p)
    _add_as_of(p)

    p = _command(commands, "docket", _docket, "the vetting docket: every requested candidate")
    _add_db(p)
    _add_wave(p)
    _add_format(p)

    p = _command(commands, "report", _report, "one race's decision report (notebook and HTML)")
    p.add_argument("--race", required=True, help="the race's id (CA-12)")
    _add_rendering(p)

    p = _command(commands, "reports", _reports, "every contest's report of a wave, overview, index")
    _add_jobs(p)
    p.add_argument("--force", action="store_true", help="re-render unchanged reports too")
    _add_rendering(p)

    p = _command(commands, "results", _results, "the wave's results, ready to announce")
    _add_db(p)
    _add_wave(p)
    _add_format(p)
    p.add_argument("--by-group", action="store_true", help="one row per local group")
    _add_thresholds(p)

    p = _command(commands, "diff", _diff, "contests that changed between two loads")
    p.add_argument("old", type=Path, help="the earlier database")
    p.add_argument("new", type=Path, help="the later database")
    _add_wave(p, "only this wave (default: every wave of either)")
    _add_format(p)
    _add_thresholds(p)

    p = _command(commands, "verify", _verify, "check a rendered wave against its manifest")
    p.add_argument("folder", type=Path, help="a rendered wave folder (holds manifest.json)")

    p = _command(
        commands,
        "import",
        _import,
        "write members.csv and votes.csv from the list tool (ActionKit, exports)",
        IMPORT_HELP,
    )
    sources = p.add_subparsers(dest="source", required=True, parser_class=_Parser)
    q = sources.add_parser(
        "actionkit",
        help="read an ActionKit reporting database (MySQL protocol, read-only)",
        description=IMPORT_HELP + " " + ACTIONKIT_HELP,
    )
    _add_import(q)
    for tool, name in (("actionnetwork", "Action Network"), ("van", "EveryAction/VAN")):
        q = sources.add_parser(
            tool,
            help=f"read {name} CSV exports through the [{tool}] column mapping",
            description=IMPORT_HELP,
        )
        q.add_argument("--people", required=True, type=Path, help="the people export (CSV)")
        q.add_argument("--responses", required=True, type=Path, help="the responses export (CSV)")
        _add_import(q)

    p = _command(
        commands,
        "lists",
        _lists,
        "member lists of the endorsed contests, for the list tool (holds member ids)",
        LISTS_HELP,
    )
    _add_db(p)
    _add_wave(p)
    p.add_argument(
        "--out", required=True, type=Path, help="a new folder (owner-only) for the lists"
    )
    _add_thresholds(p)

    p = _command(
        commands,
        "mailings",
        _mailings,
        "the ballot and results emails, and the public list of endorsements",
        MAILINGS_HELP,
    )
    p.add_argument(
        "kind",
        choices=("ballot", "results", "endorsed"),
        help="the ballot email, the results emails, or the public list of endorsements",
    )
    _add_db(p)
    _add_wave(p)
    p.add_argument(
        "--out", required=True, type=Path, help="a new folder (owner-only) for the mailings"
    )
    p.add_argument(
        "--templates", type=Path, help="a folder of your own templates, with the same names"
    )
    p.add_argument(
        "--allow-pending", action="store_true", help="exit 0 with contests awaiting a ruling"
    )
    p.add_argument(
        "--provisional",
        action="store_true",
        help="with --as-of: write drafts of the provisional tally, which say so",
    )
    p.add_argument(
        "--with-figures", action="store_true", help="endorsed: add each contest's vote counts"
    )
    _add_thresholds(p)
    _add_as_of(p)

    p = _command(
        commands,
        "demo",
        _demo,
        "build the synthetic national program into ./data/ and render it",
        DEMO_HELP,
    )
    p.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_REPORTS,
        help=f"output folder (default {DEFAULT_REPORTS})",
    )
    p.add_argument(
        "--db",
        type=Path,
        default=DEFAULT_DEMO_DB,
        help=f"DuckDB file to build (default {DEFAULT_DEMO_DB})",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=2026,
        help="the random seed: the same seed gives the same files (default 2026)",
    )
    p.add_argument(
        "--members", type=int, default=500_000, help="members on the list (default 500,000)"
    )
    p.add_argument("--votes", type=int, default=None, help="exact number of votes")
    p.add_argument("--wave", default="2026-03", help="the wave to render (default 2026-03)")
    _add_jobs(p)
    p.add_argument("--no-render", action="store_true", help="only build and load the data")
    p.add_argument(
        "--mailings",
        type=Path,
        default=DEFAULT_MAILINGS,
        help="folder for the wave's mailings, never beside the reports (default mailings)",
    )
    return parser


def commands() -> list[str]:
    """The subcommands, as the parser knows them."""
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return list(action.choices)


def _print_load(result: LoadResult) -> None:
    """A load's dropped columns and warnings on stderr, its summary on stdout."""
    for table, columns in result.dropped.items():
        names = ", ".join(shown_name(c) for c in columns)
        print(f"{table}.csv: dropped columns not stored: {names}", file=sys.stderr)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary())


def _load(args: argparse.Namespace) -> int:
    result = load_folder(
        args.folder, args.db, args.timezone, threads=args.threads, memory_limit=args.memory_limit
    )
    _print_load(result)
    return 0


def _tally(args: argparse.Namespace) -> int:
    from endorse_analysis.api.calendar import race_calendar

    thresholds, as_of = _thresholds(args), _as_of(args)
    with connect(args.db, as_of=as_of, waves=[args.wave]) as con:
        frame = tally(con, args.wave, thresholds)
        options = choices(con, args.wave)
        calendar = race_calendar(con, args.wave)
    if as_of is not None and args.format == "csv":
        print(formats.provisional_note(as_of).strip(), file=sys.stderr)
    sys.stdout.write(
        formats.tally_output(args.format, args.wave, thresholds, frame, options, as_of, calendar)
    )
    return 0


def _audit(args: argparse.Namespace) -> int:
    as_of = _as_of(args)
    with connect(args.db, as_of=as_of, waves=[args.wave] if args.wave else None) as con:
        frame = audit(con, args.wave)
    if as_of is not None and args.format != "table":
        print(formats.provisional_note(as_of).strip(), file=sys.stderr)
    sys.stdout.write(formats.audit_output(args.format, frame, as_of))
    return 0


def _docket(args: argparse.Namespace) -> int:
    from endorse_analysis.api.docket import docket

    with connect(args.db) as con:
        frame = docket(con, args.wave)
    sys.stdout.write(formats.docket_output(args.format, frame))
    return 0


def _results(args: argparse.Namespace) -> int:
    from endorse_analysis.api.results import results, results_by_group

    with connect(args.db) as con:
        if args.by_group:
            frame = results_by_group(con, args.wave, _thresholds(args))
        else:
            frame = results(con, args.wave, _thresholds(args))
    sys.stdout.write(formats.frame_output(args.format, frame))
    return 0


def _diff(args: argparse.Namespace) -> int:
    from endorse_analysis.api.diff import diff

    with connect(args.old) as old, connect(args.new) as new:
        frame = diff(old, new, args.wave, _thresholds(args))
    sys.stdout.write(formats.frame_output(args.format, frame))
    if args.format == "table" and frame.empty:
        print("no contest changed")
    return 0


def _rendering(args: argparse.Namespace) -> dict[str, object]:
    """What `report` and `reports` share: thresholds, instant and kernel choice, with a
    clear error for a bad instant before any kernel starts."""
    _as_of(args)
    return {"thresholds": _thresholds(args), "cold": args.cold, "as_of": args.as_of}


def _report(args: argparse.Namespace) -> int:
    from endorse_analysis import reports

    path = reports.render_race(args.db, args.wave, args.race, args.out, **_rendering(args))
    print(f"report: {path}")
    return 0


def _reports(args: argparse.Namespace) -> int:
    from endorse_analysis import reports

    index = reports.render_wave(
        args.db, args.wave, args.out, jobs=args.jobs, force=args.force, **_rendering(args)
    )
    print(f"index: {index}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from endorse_analysis import reports

    changed = reports.verify(args.folder)
    for line in changed:  # paths come from the manifest: show them, never run them
        print(formats.terminal_text(line))
    if changed:
        print(f"verify: {len(changed)} file(s) differ from the manifest", file=sys.stderr)
        return 1
    print(f"verify: every file in {args.folder} matches its manifest")
    return 0


def _import(args: argparse.Namespace) -> int:
    from endorse_analysis.listtool.config import read_config

    config = read_config(args.config)
    if args.source == "actionkit":
        from endorse_analysis.listtool.actionkit import import_actionkit

        result = import_actionkit(config, args.out)
    else:
        from endorse_analysis.listtool.exports import import_export

        result = import_export(config, args.source, args.people, args.responses, args.out)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary())
    return 0


def _lists(args: argparse.Namespace) -> int:
    from endorse_analysis.listtool.lists import write_lists

    with connect(args.db) as con:
        contests = write_lists(con, args.wave, args.out, _thresholds(args))
    for c in contests:
        counts = ", ".join(f"{kind} {n:,}" for kind, n in c.members.items())
        print(f"{c.race_id} ({c.candidate_id}): {counts}")
    print(
        f"lists: {len(contests)} endorsed contest(s) in {args.out} (owner-only; member ids: "
        "for the list tool's import only, never for a report)"
    )
    return 0


def _mailings(args: argparse.Namespace) -> int:
    from endorse_analysis.listtool.mailings import write_mailings

    done = write_mailings(
        args.db,
        args.kind,
        args.wave,
        args.out,
        _thresholds(args),
        as_of=args.as_of,
        templates=args.templates,
        provisional=args.provisional,
        with_figures=args.with_figures,
    )
    for race_id, counts in done.members.items():
        listed = ", ".join(f"{name} {n:,}" for name, n in counts.items())
        print(formats.terminal_text(f"{race_id}: {listed}"))
    for race_id in done.pending:
        print(formats.terminal_text(f"{race_id}: awaiting a staff ruling, no draft"))
    what = (
        f"{done.endorsed} endorsement(s)"
        if args.kind == "endorsed"
        else (f"{len(done.drafts)} draft(s)")
    )
    print(f"mailings {args.kind}: {what} in {args.out} (owner-only)")
    if done.own_templates:
        print(f"mailings: your templates for {', '.join(done.own_templates)}")
    if done.pending and not args.allow_pending:
        print(
            f"mailings: {len(done.pending)} contest(s) await a staff ruling and have no draft "
            "(--allow-pending to accept)",
            file=sys.stderr,
        )
        return 1
    return 0


def _demo(args: argparse.Namespace) -> int:
    from endorse_analysis.synthetic import write_demo
    from endorse_analysis.synthetic.times import EASTERN

    data = args.db.parent / (args.db.stem + "-csv")
    rows = write_demo(data, seed=args.seed, members=args.members, votes=args.votes)
    print(f"demo: wrote {sum(rows.values()):,} rows into {data}")
    # The demo program keeps Eastern time: its snapshot says so, and the analyst's
    # notebooks show its deadlines in that zone beside UTC.
    _print_load(load_folder(data, args.db, EASTERN.key))
    if args.no_render:
        return 0
    from endorse_analysis import reports

    index = reports.render_wave(args.db, args.wave, args.out, Thresholds(), jobs=args.jobs)
    print(f"index: {index}")
    from endorse_analysis.listtool.mailings import write_mailings_of_wave

    folders = write_mailings_of_wave(args.db, args.wave, args.mailings / args.wave)
    print(f"mailings: {', '.join(str(f) for f in folders)} (owner-only, apart from the reports)")
    return 0


# What a refused load or import did not change, by command.
REFUSED = {
    "import": "import refused: {total} problem(s); no file was written",
    "load": "load refused: {total} problem(s); the database was not changed",
}


def _check_text(argv: Sequence[str]) -> None:
    """Refuse an argument that is not UTF-8 text (the shell passes bytes; Python keeps the
    bad ones as surrogates): DuckDB names files and ids in UTF-8 only."""
    for position, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = repr(os.fsencode(arg))
            raise UsageError(
                f"endorse-analysis: argument {position} ({shown}) is not valid UTF-8 text"
            ) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code. User mistakes print one line, no traceback."""
    command = "load"
    try:
        argv = list(sys.argv[1:] if argv is None else argv)
        _check_text(argv)
        args = build_parser().parse_args(argv)
        command = args.command
        return args.func(args)
    except LoadRefused as refusal:
        for line in refusal.lines():
            print(line, file=sys.stderr)
        summary = REFUSED.get(command, REFUSED["load"])
        print(summary.format(total=refusal.total), file=sys.stderr)
        return 1
    except (
        UsageError,
        ThresholdError,
        DatabaseError,
        TargetError,
        UnknownWave,
        Busy,
        ValueError,
    ) as err:
        print(f"error: {formats.terminal_text(str(err))}", file=sys.stderr)
        return 2
    except SourceError as err:  # the list tool could not be reached or read
        print(f"error: {formats.terminal_text(str(err))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as err:  # a file or folder that can't be read or written
        where = f": {err.filename}" if err.filename else ""
        print(formats.terminal_text(f"error: {err.strerror or err}{where}"), file=sys.stderr)
        return 1
    except Exception as err:  # a bug of ours: still one line, the trace on request
        if os.environ.get("ENDORSE_DEBUG"):
            raise
        kind = type(err).__name__
        print(
            f"internal error ({kind}): {err}; run with ENDORSE_DEBUG=1 for details",
            file=sys.stderr,
        )
        return 70


def run() -> None:
    """The console script. Its objects are frozen out of the collector before it exits:
    the interpreter's last collection would otherwise walk the whole heap of a report's
    imports for nothing (about 0.4 s)."""
    skip_iri_parsers()
    code = main()
    gc.freeze()
    sys.exit(code)
