"""What the UI tests share: the terminal size, waiting for the app, reading rows and toasts."""

from __future__ import annotations

SIZE = (160, 48)


def rows(db, sql, params=()):
    return [tuple(r) for r in db.execute(sql, list(params)).fetchall()]


def toasts(app) -> str:
    """Every notification the app showed, one a line."""
    return "\n".join(str(n.message) for n in app._notifications)


async def settle(pilot, seconds: float = 0.12) -> None:
    """Let timers, workers and the next frame run."""
    await pilot.pause(seconds)
    await pilot.pause()


def cid(db, crm_id: str) -> str:
    return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm_id]).fetchone()[0]
