"""Every example of the README runs as written: each command line parses, those that read
the sample or the demo run on them (the small demo has the demo's races: they are drawn
before the members), and the Python example runs on the sample."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from helpers import run_cli

from endorse_analysis.cli import UsageError, build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Examples that read what the README's two commands make, run on the fixtures.
RUN = ("load", "tally", "audit", "docket", "results", "report")
FIXTURES = ("data/sample", "data/sample.duckdb", "data/demo.duckdb")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def examples() -> list[str]:
    """Each `endorse-analysis ...` line of the shell examples, continuation lines joined,
    without comments and optional [parts], the first of {one|other}."""
    found = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            line = line.split("  #")[0].rstrip().rstrip("\\").rstrip()
            if line.startswith("endorse-analysis "):
                found.append(line)
            elif line.startswith(" ") and found:
                found[-1] += " " + line.strip()
    cleaned = []
    for example in found:
        while re.search(r"\[[^\[\]]*\]", example):
            example = re.sub(r"\s*\[[^\[\]]*\]", "", example)
        cleaned.append(re.sub(r"\{([^{}|]+)\|[^{}]*\}", r"\1", example))  # {a|b}: a
    return cleaned


def test_the_readme_has_examples():
    assert len(examples()) >= 15


@pytest.mark.parametrize("example", examples())
def test_every_example_parses(example):
    try:
        build_parser().parse_args(shlex.split(example)[1:])
    except UsageError as err:
        pytest.fail(f"{example}: {err}")


def test_the_examples_on_the_sample_and_the_demo_run(sample_db, small_demo_db, tmp_path):
    out = tmp_path / "reports"
    ran = set()
    for example in examples():
        argv = shlex.split(example)[1:]
        if argv[0] not in RUN or not set(FIXTURES) & set(argv):
            continue
        swap = {
            "data/sample": str(ROOT / "data" / "sample"),
            "data/sample.duckdb": str(tmp_path / "s.duckdb" if argv[0] == "load" else sample_db),
            "data/demo.duckdb": str(small_demo_db),
        }
        argv = [swap.get(a, a) for a in argv]
        if argv[0] == "report":
            argv += ["--out", str(out)]
        run = run_cli(*argv)
        assert run.code == 0, (example, run.err)
        ran.add(argv[0])
    assert ran == set(RUN)
    verify = next(e for e in examples() if e.startswith("endorse-analysis verify "))
    folder = shlex.split(verify)[2].replace("reports", str(out), 1)
    assert run_cli("verify", folder).code == 0


def test_the_python_example_runs(sample_db):
    (code,) = [b for b in _blocks("python") if "import endorse_analysis as ea" in b]
    exec(code.replace('"data/sample.duckdb"', repr(str(sample_db))), {})


def test_an_unknown_race_or_wave_says_what_exists(small_demo_db, tmp_path):
    """A race in the wrong case is named as it is spelled; another race, and a wave that
    is not loaded, get the ids there are."""
    report = ["report", "--db", small_demo_db, "--wave", "2026-03", "--out", tmp_path]
    run = run_cli(*report, "--race", "ca-22")
    assert run.code != 0 and "did you mean 'CA-22'?" in run.err, run.err
    run = run_cli(*report, "--race", "CA-12")
    assert run.code != 0 and "its contests: AK-AL, " in run.err, run.err
    run = run_cli("tally", "--db", small_demo_db, "--wave", "2026-3")
    assert run.code != 0 and "its waves: 2026-03, " in run.err, run.err
