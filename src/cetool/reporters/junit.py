"""JUnit XML, as GitLab (artifacts:reports:junit) and Jenkins (junit step) read it.

One testsuite per run, one testcase per file checked: a file with errors gets ONE <failure> that
lists every error (and, under --strict, every warning), since some consumers show only a test
case's first failure; other warnings and info go in the testcase's <system-out> so they are
visible but do not fail. The output validates against Jenkins' junit-10.xsd (tests/schemas/),
which is why a testcase carries no `file` attribute: its name is the file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby
from pathlib import PurePosixPath
from typing import Any, Iterable

from cetool.core.findings import Problem, Report
from cetool.core.textsafe import xml_safe


def _line(problem: Problem) -> str:
    where = f"{problem.file}:{problem.line}:{problem.column or 1}" if problem.line else problem.file
    return f"{where}: {problem.severity}: {problem.message} [{problem.code}]"


def render(report: Report, *, files: Iterable[str] | None = None, suite: str = "cetool", strict: bool = False,
           **_: Any) -> str:
    by_file = {file: list(problems) for file, problems in groupby(report.sorted(), key=lambda p: p.file)}
    names = list(dict.fromkeys([*(files or []), *by_file]))  # files checked, then any others with problems
    root = ET.Element("testsuites", name=suite)
    testsuite = ET.SubElement(root, "testsuite", name=suite)
    failures = 0
    for name in names:
        problems = by_file.get(name, [])
        # GitLab and Jenkins group test cases by classname: one group per folder (packets, runbooks...).
        folder = PurePosixPath(name).parent.name
        case = ET.SubElement(testsuite, "testcase", classname=f"{suite}.{folder}" if folder else suite, name=name)
        errors = [p for p in problems if p.fails(strict)]
        if errors:
            first = errors[0]
            message = f"line {first.line}: {first.message}" if first.line else first.message
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            failure = ET.SubElement(case, "failure", type=", ".join(dict.fromkeys(str(p.code) for p in errors)),
                                    message=f"{len(errors)} problem(s): {message}{more}")
            failure.text = "\n".join(_line(p) for p in errors)
            failures += 1
        notes = [p for p in problems if not p.fails(strict)]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(_line(p) for p in notes)
    count = str(len(names))
    for element in (root, testsuite):
        element.set("tests", count)
        element.set("failures", str(failures))
        element.set("errors", "0")
    for element in root.iter():  # file names and messages may hold characters XML 1.0 forbids
        element.attrib.update({key: xml_safe(value) for key, value in element.attrib.items()})
        if element.text:
            element.text = xml_safe(element.text)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
