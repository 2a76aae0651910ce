# ruff: noqa: S608, E501  (experiments: SQL built from constants and file paths given on the command line)
"""pytest plugin: run the project's tests with the proposed regexp parsers (load_patched.py).

PYTHONPATH=bench/experiments .venv/bin/python -m pytest -p patch_parsers_plugin tests/...
"""

from load_patched import patched_sql

import endorse_analysis.load as load

load.sql = patched_sql
