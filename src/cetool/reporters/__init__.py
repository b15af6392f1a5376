"""Reporters turn a Report into a string. They never print; the CLI writes what they return."""

from __future__ import annotations

from typing import Callable

from cetool.reporters import github, json_report, junit, text

ProblemReporter = Callable[..., str]

PROBLEM_REPORTERS: dict[str, ProblemReporter] = {
    "text": text.render,
    "json": json_report.render,
    "github": github.render,
    "junit": junit.render,
}
