"""`cetool matrix` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="matrix commands.", no_args_is_help=True)
