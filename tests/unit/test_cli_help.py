"""The command line's help is for people: what the tool does, not how it is built; every
option says what it is; demo says where it writes."""

from __future__ import annotations

import argparse

import pytest

from endorse_analysis.cli import build_parser, commands


def _subparser(name: str) -> argparse.ArgumentParser:
    action = next(a for a in build_parser()._actions if a.dest == "command")
    return action.choices[name]


def test_the_top_help_says_what_the_tool_does():
    text = build_parser().format_help()
    assert "parse arguments" not in text and "Tally a grassroots endorsement vote" in text


@pytest.mark.parametrize("name", commands())
def test_every_option_has_help(name):
    for action in _subparser(name)._actions:
        if action.option_strings and action.dest != "help":
            assert action.help, (name, action.option_strings)


def test_demo_says_it_writes_data():
    text = _subparser("demo").format_help()
    assert "./data/" in text
