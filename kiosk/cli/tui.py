"""Starting the booth TUI from `kiosk` with no sub-command."""

from __future__ import annotations

import click


def run_tui(obj, lang: str | None) -> None:
    try:
        from kiosk.ui.app import run_app
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("kiosk.ui"):
            raise
        ctx = click.get_current_context()
        click.echo(ctx.get_help())
        click.echo()
        ctx.invoke(ctx.command.get_command(ctx, "stats"))
        return
    run_app(obj, lang)
