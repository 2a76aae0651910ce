"""The `endorse-analysis` command: parse arguments, call the package, print. Nothing else."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from endorse_analysis import formats
from endorse_analysis.database import DatabaseError, connect
from endorse_analysis.load import load_folder
from endorse_analysis.problems import LoadRefused
from endorse_analysis.rules import ThresholdError, Thresholds
from endorse_analysis.tally import UnknownWave, audit, choices, tally


class UsageError(Exception):
    """A mistake in how the command was called, said in one sentence."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2, no usage dump
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _add_thresholds(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--support-threshold",
        default="0.6",
        metavar="S",
        help="share of ballots the top choice needs, in (0, 1] (default 0.6)",
    )
    parser.add_argument(
        "--min-turnout",
        default="0.1",
        metavar="T",
        help="ballots / potential voters needed to endorse, in [0, 1] (default 0.1)",
    )
    parser.add_argument(
        "--min-votes",
        default="1",
        metavar="M",
        help="ballots needed to endorse, 0 or more (default 1)",
    )


def _thresholds(args: argparse.Namespace) -> Thresholds:
    return Thresholds.from_text(args.support_threshold, args.min_turnout, args.min_votes)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="endorse-analysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = commands.add_parser("load", help="validate a folder of CSV files and replace the database")
    p.add_argument("folder", type=Path)
    p.add_argument("--db", required=True, type=Path)

    p = commands.add_parser("tally", help="one row per contest of a wave, with its decision")
    p.add_argument("--db", required=True, type=Path)
    p.add_argument("--wave", required=True)
    p.add_argument("--format", choices=formats.FORMATS, default="table")
    _add_thresholds(p)

    p = commands.add_parser("audit", help="vote counts per contest and status")
    p.add_argument("--db", required=True, type=Path)
    p.add_argument("--wave")
    p.add_argument("--format", choices=formats.FORMATS, default="table")
    return parser


def _load(args: argparse.Namespace) -> int:
    result = load_folder(args.folder, args.db)
    for table, columns in result.dropped.items():
        print(f"{table}.csv: dropped columns not stored: {', '.join(columns)}", file=sys.stderr)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(result.summary())
    return 0


def _tally(args: argparse.Namespace) -> int:
    thresholds = _thresholds(args)
    with connect(args.db) as con:
        frame = tally(con, args.wave, thresholds)
        options = choices(con, args.wave)
    sys.stdout.write(formats.tally_output(args.format, args.wave, thresholds, frame, options))
    return 0


def _audit(args: argparse.Namespace) -> int:
    with connect(args.db) as con:
        frame = audit(con, args.wave)
    sys.stdout.write(formats.audit_output(args.format, frame))
    return 0


COMMANDS = {"load": _load, "tally": _tally, "audit": _audit}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code. User mistakes print one line, no traceback."""
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except LoadRefused as refusal:
        for line in refusal.lines():
            print(line, file=sys.stderr)
        print(
            f"load refused: {refusal.total} problem(s); the database was not changed",
            file=sys.stderr,
        )
        return 1
    except (UsageError, ThresholdError, DatabaseError, UnknownWave) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as err:  # a file or folder that can't be read or written
        print(f"error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1


def run() -> None:
    sys.exit(main())
