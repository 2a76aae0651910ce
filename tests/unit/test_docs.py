"""The documentation keeps up with the code: every command and every module is in the
README, every test that docs/guarantees.md names exists, and the SQL spells the
vocabulary's words (as sqlite-utils fails a build when a command is undocumented)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from endorse_analysis import vocabulary
from endorse_analysis.cli import commands

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "endorse_analysis"
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", commands())
def test_every_command_is_in_the_readme(command):
    assert f"endorse-analysis {command} " in README, command


def modules() -> list[str]:
    return sorted(
        p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"
    )


@pytest.mark.parametrize("module", modules())
def test_every_module_is_in_the_readme_architecture(module):
    assert f"`{module}`" in README, module


def test_the_readme_tables_are_generated():
    """The command and module tables are what docs/generate.py writes from the parser and
    the docstrings (`make lint` checks the same)."""
    generate = _load_generator()
    assert generate.generated(README) == README, "run python docs/generate.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate", ROOT / "docs" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_rules_section_the_code_cites_exists():
    """Every "docs/rules.md §N" in the code names a section of docs/rules.md."""
    rules = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^## (\d+)\.", rules, flags=re.MULTILINE))
    cited = set()
    for path in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.sql"), *(ROOT / "tests").rglob("*.py")]:
        cited |= set(re.findall(r"docs/rules\.md §(\d+)", path.read_text(encoding="utf-8")))
    assert cited and cited <= sections, cited - sections


def test_every_test_the_guarantees_name_exists():
    text = (ROOT / "docs" / "guarantees.md").read_text(encoding="utf-8")
    named = set(re.findall(r"(test_\w+\.py)::(test_\w+)", text))
    assert named
    for filename, test in sorted(named):
        found = list((ROOT / "tests").rglob(filename))
        assert found, filename
        assert re.search(rf"def {test}\b", found[0].read_text(encoding="utf-8")), (filename, test)


def test_the_sql_spells_the_vocabulary():
    """Every quoted status or decision word in the rule macros is one of the vocabulary's,
    and every status and decision is spelled there: the words have one meaning."""
    sql = "\n".join(p.read_text() for p in (PACKAGE / "rules" / "sql").glob("*.sql"))
    words = set(re.findall(r"'([A-Za-z_]+)'", sql))
    assert set(vocabulary.STATUSES) <= words
    assert set(vocabulary.DECISIONS) <= words
    upper = {w for w in words if w.isupper()}
    assert upper <= set(vocabulary.DECISIONS), upper - set(vocabulary.DECISIONS)


def test_every_macro_is_defined_once():
    """Two rule files defining one macro name would leave only the last installed: the
    other file's callers would silently run someone else's rule."""
    names = []
    for path in sorted((PACKAGE / "rules" / "sql").glob("*.sql")):
        names += re.findall(r"CREATE OR REPLACE TEMP MACRO (\w+)\(", path.read_text())
    repeated = sorted({n for n in names if names.count(n) > 1})
    assert repeated == []
