"""A fixed booth for snapshot tests: the test company, a fixed clock, a morning of visits.

`python -m tests.ui.snapshot_apps.booth_app` shows the same app by hand. Everything is
deterministic: the clock is `tests.factory.NOW`, no card timeout, no warm-up thread, and
(through `steady_cursors`, which every snapshot runs last) text cursors that do not blink.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from kiosk import booth
from kiosk import events as ev
from kiosk.booth import LeadInput
from kiosk.db import open_db
from kiosk.invites.invitations import issue, record_sent
from kiosk.store import get_contact, load_salespeople
from kiosk.ui.factory import build_app
from tests.factory import CONFIG, NOW, build_db


def booth_db(path: Path):
    """The factory company after a morning at the booth, in a fresh file at `path`: a copy
    of the morning built once per process (~0.2 s of CPU each time it was built; the
    snapshot tests start 26 apps)."""
    global _morning
    if _morning is None:
        template = Path(tempfile.mkdtemp(prefix="kiosk-snap-morning-")) / "kiosk.db"
        atexit.register(shutil.rmtree, template.parent, True)  # each test process left one
        db = build_morning(template)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()
        _morning = template
    shutil.copyfile(_morning, path)
    return open_db(path, create=False)


_morning: Path | None = None  # the file booth_db copies, once built


def build_morning(path: Path):
    """The factory company after a morning at the booth (events in time order)."""
    db = build_db(path)

    def cid(crm: str) -> str:
        return db.execute("SELECT id FROM contacts WHERE crm_id = ?", [crm]).fetchone()[0]

    people = load_salespeople(db)
    invited = [get_contact(db, cid(c)) for c in ("C1", "C3")]
    sent = issue(db, CONFIG, people["kenji"], invited, now=NOW - timedelta(days=20))
    record_sent(db, CONFIG, sent)
    yuki = booth.check_in(db, CONFIG, cid("C1"), invited="kenji", now=NOW - timedelta(minutes=80))
    received = ev.new_event(
        "checkin.received", {"checkin_id": yuki.event.uuid, "by": "kenji"},
        kiosk_id=CONFIG.kiosk_id, ts=NOW - timedelta(minutes=74),
    )  # fmt: skip
    ev.record(db, received)
    hana = LeadInput(name="Hana Mori", company="Mori Denki", country="JP", rating="hot")
    booth.add_lead(db, CONFIG, hana, now=NOW - timedelta(minutes=40))
    kai = LeadInput(name="Carlos Ruiz", company="Luz Andina", country="PE", rating="warm")
    booth.add_lead(db, CONFIG, kai, now=NOW - timedelta(minutes=25))
    booth.check_in(db, CONFIG, cid("C2"), brought_by="luis", now=NOW - timedelta(minutes=10))
    return db


def steady_cursors(app) -> None:
    """Stop every text cursor blinking, shown, on all screens. A blinking cursor is on or off
    depending on when the screenshot lands (a 0.5 s timer), which made the lead form's Name
    field flip one cell at random. Run it last, just before the screenshot: a widget mounted
    afterwards would blink again."""
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if hasattr(widget, "cursor_blink"):
                widget.cursor_blink = False  # Textual pauses the timer and shows the cursor


def build(lang: str = "en", *, folder: Path | None = None, **options):
    """The app on a fresh copy of the morning (in `folder`, else a new temporary folder)."""
    path = (folder or Path(tempfile.mkdtemp(prefix="kiosk-snap-"))) / "kiosk.db"
    options.setdefault("card_timeout", None)
    options.setdefault("warm_up", False)
    return build_app(booth_db(path), CONFIG, lang=lang, now=lambda: NOW, **options)


if __name__ == "__main__":
    build().run()
