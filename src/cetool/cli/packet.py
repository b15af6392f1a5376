"""`cetool packet` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="packet commands.", no_args_is_help=True)
