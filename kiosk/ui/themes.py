"""The kiosk's two themes: a dark one for dim halls and a light one for bright booths.

Registered by the app at start-up and chosen by name (`--theme`, the command palette).
Colours are picked for contrast from a metre away: the status colours (success = known
customer, primary = new visitor, warning = needs a decision, error = unreadable) stay
clearly apart in both themes.
"""

from __future__ import annotations

from typing import Any

from textual.theme import Theme

# Each colour role in the dark and in the light theme, side by side: a colour changed in one
# theme is weighed against the other, and the status roles stay apart in both.
PALETTE: dict[str, tuple[str, str]] = {
    # role: (dark, light)
    "primary": ("#3B82F6", "#1D4ED8"),  # a new visitor
    "secondary": ("#8B5CF6", "#6D28D9"),
    "accent": ("#22D3EE", "#0E7490"),
    "warning": ("#F59E0B", "#B45309"),  # needs a decision
    "error": ("#EF4444", "#B91C1C"),  # unreadable
    "success": ("#22C55E", "#15803D"),  # a known customer
    "foreground": ("#E5E7EB", "#111827"),
    "background": ("#0B1220", "#F8FAFC"),
    "surface": ("#111A2E", "#FFFFFF"),
    "panel": ("#1C2740", "#E2E8F0"),
}


def _theme(name: str, *, dark: bool) -> Theme:
    colours: dict[str, Any] = {role: pair[0 if dark else 1] for role, pair in PALETTE.items()}
    return Theme(name=name, dark=dark, **colours)


KIOSK_DARK = _theme("kiosk-dark", dark=True)
KIOSK_LIGHT = _theme("kiosk-light", dark=False)

THEMES = {t.name: t for t in (KIOSK_DARK, KIOSK_LIGHT)}
DEFAULT_THEME = "kiosk-dark"
