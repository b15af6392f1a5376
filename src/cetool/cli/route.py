"""`cetool route CATEGORY`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Optional

import typer

from cetool.cli.common import MATRIX_OPTION_HELP, argv_text, resolve_matrix_path, setup_errors, write_err, write_out
from cetool.core.errors import ExitCode
from cetool.core.textsafe import json_text


class RouteFormat(StrEnum):
    text = "text"
    json = "json"


def route(
    category: str = typer.Argument(..., metavar="CATEGORY", callback=argv_text, help="A category key of the ownership matrix."),
    matrix: Optional[Path] = typer.Option(None, "--matrix", help=MATRIX_OPTION_HELP),
    fmt: RouteFormat = typer.Option(RouteFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """Who owns CATEGORY: the owning team, the teams that consult on it, the teams that must not
    own it, the escalation gates on the way to the owner, and the matrix version that says so.
    An unknown category exits 1 and suggests the closest keys; exit 2 when the matrix has errors.

    Examples:

      cetool route confirmed-bug

      cetool route suspected-bug --format json
    """
    with setup_errors(fmt):
        from cetool.cli.matrix import _stop
        from cetool.matrix.load import closest_categories, load_matrix
        from cetool.matrix.load import route as find_route
        from cetool.matrix.page import route_text

        load = load_matrix(resolve_matrix_path(matrix))
    if load.matrix is None:
        _stop(load, fmt)
    found = find_route(load.matrix, category)
    if found is None:
        close = closest_categories(load.matrix, category)
        hint = (f"did you mean {', '.join(close)}?" if close
                else f"the categories are {', '.join(load.matrix.categories)}")
        message = f"unknown category {category!r}; {hint}"
        if fmt == RouteFormat.json:
            write_out(json_text({"error": message, "suggestions": close}, indent=None) + "\n")
        else:
            write_err(f"cetool: {message}")
        raise typer.Exit(int(ExitCode.FINDINGS))
    from cetool.core.textsafe import visible_lines

    write_out(json_text(found.to_dict()) + "\n" if fmt == RouteFormat.json else visible_lines(route_text(found)))
