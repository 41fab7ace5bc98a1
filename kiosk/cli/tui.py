"""Starting the booth TUI from `kiosk` with no sub-command.

Textual is imported only here, when the app actually starts, so every other `kiosk`
command (and `kiosk --help`) starts without paying for the UI.
"""

from __future__ import annotations


def run_tui(obj, lang: str | None) -> None:
    """Run the app on the configured database; `lang` (--lang) beats the show's language."""
    from kiosk.ui.app import run_app

    run_app(obj, lang)
