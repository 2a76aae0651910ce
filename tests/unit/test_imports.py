"""Importing the package changes nothing outside it; the processes that chart or render
skip jsonschema's IRI parsers themselves (endorse_analysis.imports)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_package_has_no_side_effect():
    code = (
        "import sys, endorse_analysis, endorse_analysis.cli\n"
        "assert 'rfc3987_syntax' not in sys.modules or sys.modules['rfc3987_syntax'] is not None"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_command_line_skips_the_iri_parsers():
    code = (
        "import sys\n"
        "from endorse_analysis import cli\n"
        "cli.main = lambda: 0\n"
        "try:\n    cli.run()\nexcept SystemExit:\n    pass\n"
        "assert sys.modules['rfc3987_syntax'] is None"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
