"""The README's generated parts: the command table (from the parser's help) and the module
table (from each module's docstring), between their `<!-- generated: ... -->` marks.

Run `python docs/generate.py` after changing a command or a module's docstring;
`--check` (in `make lint` and tests/unit/test_docs.py) fails when the README is stale.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PACKAGE = ROOT / "src" / "endorse_analysis"
# The layers in the order the data flows through them, after the top-level modules.
LAYERS = ("ingest", "rules", "api", "present", "reports", "listtool", "synthetic")
# Folders of files that are not Python, listed by name under their package.
DATA_FOLDERS = ("sql", "templates", "fonts", "notebooks")


def _summary(path: Path, sentence: bool = False) -> str:
    """The docstring's first paragraph on one line (its first sentence with `sentence`)."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(doc.split("\n\n")[0].split())
    if sentence:
        text = re.split(r"(?<=[.:])\s", text, maxsplit=1)[0].rstrip(".:")
    return text.replace("|", "\\|")


def _data_row(folder: Path) -> str:
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return f"| `{folder.relative_to(PACKAGE).as_posix()}/` | {', '.join(files)} |"


def module_table() -> str:
    rows = ["| folder / module | what it holds |", "|---|---|"]
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name != "__init__.py":
            rows.append(f"| `{path.name}` | {_summary(path)} |")
    for layer in LAYERS:
        folder = PACKAGE / layer
        rows.append(f"| **`{layer}/`** | {_summary(folder / '__init__.py', sentence=True)} |")
        for path in sorted(folder.rglob("*.py")):
            name = path.relative_to(PACKAGE).as_posix()
            if path.name == "__init__.py":
                if path.parent != folder:
                    rows.append(f"| **`{path.parent.relative_to(PACKAGE).as_posix()}/`** | "
                                f"{_summary(path, sentence=True)} |")  # fmt: skip
                continue
            rows.append(f"| `{name}` | {_summary(path)} |")
        for data in DATA_FOLDERS:
            if (folder / data).is_dir():
                rows.append(_data_row(folder / data))
    return "\n".join(rows)


def command_table() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from endorse_analysis.cli import build_parser

    rows = ["| command | what it does |", "|---|---|"]
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    helps = {c.dest: c.help for c in commands._choices_actions}
    for name, sub in commands.choices.items():
        rows.append(f"| `{name}` | {helps[name]} |")
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    rows.append(f"| `{name} {choice.dest}` | {choice.help} |")
    return "\n".join(rows)


def generated(text: str) -> str:
    """The README with each generated part replaced by what the code says now."""
    for name, table in (("commands", command_table()), ("modules", module_table())):
        start, end = f"<!-- generated: {name} -->", f"<!-- end: {name} -->"
        found = re.search(re.escape(start) + r".*?" + re.escape(end), text, re.DOTALL)
        if not found:
            raise SystemExit(f"README.md has no {start} ... {end} marks")
        text = text[: found.start()] + f"{start}\n{table}\n{end}" + text[found.end() :]
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the README is stale")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    fresh = generated(current)
    if args.check:
        if fresh != current:
            print("README.md is stale: run python docs/generate.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
