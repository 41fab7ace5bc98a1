"""The kiosk's two themes: a dark one for dim halls and a light one for bright booths.

Registered by the app at start-up and chosen by name (`--theme`, the command palette).
Colours are picked for contrast from a metre away: the status colours (success = known
customer, primary = new visitor, warning = needs a decision, error = unreadable) stay
clearly apart in both themes.
"""

from __future__ import annotations

from textual.theme import Theme

KIOSK_DARK = Theme(
    name="kiosk-dark",
    primary="#3B82F6",
    secondary="#8B5CF6",
    accent="#22D3EE",
    warning="#F59E0B",
    error="#EF4444",
    success="#22C55E",
    foreground="#E5E7EB",
    background="#0B1220",
    surface="#111A2E",
    panel="#1C2740",
    dark=True,
)

KIOSK_LIGHT = Theme(
    name="kiosk-light",
    primary="#1D4ED8",
    secondary="#6D28D9",
    accent="#0E7490",
    warning="#B45309",
    error="#B91C1C",
    success="#15803D",
    foreground="#111827",
    background="#F8FAFC",
    surface="#FFFFFF",
    panel="#E2E8F0",
    dark=False,
)

THEMES = {t.name: t for t in (KIOSK_DARK, KIOSK_LIGHT)}
DEFAULT_THEME = "kiosk-dark"
