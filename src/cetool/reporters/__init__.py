"""Reporters turn a Report into a string (text, json, github, junit, sarif). They never print; the CLI writes what they return."""

from __future__ import annotations

from typing import Callable

from cetool.reporters import github, json_report, junit, sarif, text

ProblemReporter = Callable[..., str]

PROBLEM_REPORTERS: dict[str, ProblemReporter] = {
    "text": text.render,
    "json": json_report.render,
    "github": github.render,
    "junit": junit.render,
    "sarif": sarif.render,
}
