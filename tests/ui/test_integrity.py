"""A damaged database file is found by the booth screen itself, and said until it quits.

The hole: the TUI went on writing scans and leads into a file with a damaged page without a
word; the damage was found only by a `kiosk check` run by hand, or a merge that refused the
file after the show. Now the app runs SQLite's quick_check on its own read-only connection in
quiet time (`kiosk.ui.integrity`), and damage — found so, or by a scan, a lead or a screen
SQLite refused as malformed — puts a lasting line under every screen's header.

The files here are real kiosk databases in tmp_path, one with an index page scribbled over
(as a bad sector or a half-copied file leaves it); the check's delay is a parameter (0: at
the first frame), so nothing waits for a real timer.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from kiosk.db import open_db
from kiosk.ui import integrity
from kiosk.ui.factory import build_app
from kiosk.ui.scanning import QuietWork
from kiosk.ui.screens.lead_form import LeadFormScreen
from kiosk.ui.screens.scan import ScanScreen
from kiosk.ui.screens.search import SearchScreen
from kiosk.ui.services import BoothServices
from tests.factory import CONFIG, NOW
from tests.ui.conftest import keep_every_toast
from tests.ui.helpers import SIZE, press_for, rows, settle, toasts, until

MALFORMED = "database disk image is malformed"


def damaged_copy(path: Path, tmp_path: Path) -> Path:
    """A copy of the kiosk file at `path` with one index's page scribbled over: it opens, and
    scans are recorded, as before; only SQLite's check (or a read of that index) finds it."""
    bad = tmp_path / "damaged.db"
    src = sqlite3.connect(path)
    src.execute("VACUUM INTO ?", [str(bad)])  # one file, no log beside it
    src.close()
    conn = sqlite3.connect(bad)
    [root] = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'contacts_country'"
    ).fetchone()
    [size] = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with open(bad, "r+b") as fh:
        fh.seek((root - 1) * size + 8)
        fh.write(b"\xde\xad\xbe\xef" * 200)
    return bad


def app_on(path: Path, services_class=BoothServices, **options):
    """The app as the CLI builds it, on the file at `path`, its check due at the first frame."""
    db = open_db(path, create=False)
    options.setdefault("integrity_delay", 0.0)
    options.setdefault("card_timeout", None)
    options.setdefault("warm_up", False)
    if services_class is BoothServices:
        app = build_app(db, CONFIG, now=lambda: NOW, **options)
    else:
        from kiosk.ui.app import KioskApp

        app = KioskApp(services_class(db, CONFIG, clock=lambda: NOW), **options)
    keep_every_toast(app)
    return app


def banner(screen) -> str:
    found = screen.query("#damage")
    return str(found.first().render()) if found else ""


async def test_a_damaged_file_is_found_in_quiet_time_and_said_on_every_screen(db_path, tmp_path):
    bad = damaged_copy(db_path, tmp_path)
    app = app_on(bad, role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.integrity_found is not None)
        assert app.integrity_found  # what SQLite found
        await settle(pilot)
        text = banner(app.screen)
        assert "The database file is damaged" in text
        assert "Scans are still recorded" in text
        assert "kiosk backup DEST" in text and "kiosk check" in text
        # nothing is lost: scans go on being recorded into the file as it is
        app.handle_scan("B-100", ended=app.clock())
        await until(pilot, lambda: not app.scans_in_flight)
        await settle(pilot)
        assert app.screen.visit.contact.name == "Yuki Tanaka"
        assert app.screen.visit.checkin_id is not None
        assert banner(app.screen)  # the card came, the warning stayed
        # a screen opened afterwards says it too, in the language switched to
        search = await press_for(pilot, "f2", SearchScreen)
        assert "The database file is damaged" in banner(search)
        await pilot.press("f8")  # English → Chinese
        await settle(pilot)
        assert "数据库文件已损坏" in banner(search)
        assert "kiosk backup" in banner(search) and "kiosk check" in banner(search)
        assert app.return_code is None
    conn = sqlite3.connect(bad)
    assert conn.execute("SELECT count(*) FROM checkins").fetchone() == (1,)


async def test_the_warning_in_spanish(db_path, tmp_path):
    app = app_on(damaged_copy(db_path, tmp_path), lang="es")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.integrity_found is not None)
        await settle(pilot)
        assert "El archivo de la base de datos está dañado" in banner(app.screen)
        assert "kiosk backup DESTINO" in banner(app.screen)
        assert "kiosk check" in banner(app.screen)


async def test_a_sound_file_shows_no_warning(db_path):
    app = app_on(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.integrity_found is not None)
        await settle(pilot)
        assert app.integrity_found == [] and app.damage is None
        assert not app.screen.query("#damage")
        assert app._integrity_timer is not None  # checked again a day later, if still running


async def test_the_check_waits_for_a_quiet_booth(db_path, monkeypatch):
    """A scan running or just come puts the check off by a quiet spell, then it runs."""
    monkeypatch.setattr(integrity, "INTEGRITY_QUIET", 0.05)
    app = app_on(db_path)
    app._last_scan = float("inf")  # a scan "just now", whatever the clock says
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.integrity_found is None and app._integrity_timer is not None
        app._last_scan = 0.0  # the booth has been quiet since
        await until(pilot, lambda: app.integrity_found is not None)
        assert app.integrity_found == []


def test_a_scan_stops_a_running_check_at_once():
    """The check is a long read on its own thread: a scan interrupts it (sqlite3_interrupt
    from the UI thread) rather than share the two cores with it; a scan that came before
    it began means it does not begin."""
    work = QuietWork()
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    stale = work.ticket()
    work.scan_came()
    try:
        with work.reading(conn, stale):
            raise AssertionError("a check whose ticket is stale must not start")
    except sqlite3.OperationalError:
        pass
    ticket = work.ticket()
    said: list[str] = []
    running = threading.Event()

    def check() -> None:  # a read that runs for minutes unless stopped
        try:
            with work.reading(conn, ticket):
                running.set()
                conn.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                    " LIMIT 1000000000) SELECT count(*) FROM n"
                ).fetchone()
        except sqlite3.OperationalError as exc:
            said.append(str(exc))

    thread = threading.Thread(target=check, daemon=True)
    thread.start()
    assert running.wait(10)
    for _ in range(1000):  # a scan; more if the first came before the read's first step
        work.scan_came()
        thread.join(0.01)
        if not thread.is_alive():
            break
    assert not thread.is_alive() and said == ["interrupted"]


async def test_a_check_a_scan_stopped_waits_for_the_next_quiet_spell(db_path):
    app = app_on(db_path, integrity_delay=3600.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ticket = app.quiet_work.ticket()
        app.quiet_work.scan_came()  # came while it ran
        app._integrity_timer.stop()
        app._integrity_ended(sqlite3.OperationalError("interrupted"), ticket)
        assert app.integrity_put_off == 1 and app.integrity_found is None
        assert app._integrity_timer is not None  # looks again a quiet spell later
        assert app.damage is None and not app.screen.query("#damage")


async def test_no_check_when_asked_for_none_nor_for_a_file_that_cannot_be_read(db_path, tmp_path):
    app = app_on(db_path, integrity_delay=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app._integrity_timer is None and app.integrity_found is None
    # no verdict (the file gone): nothing said, tried again later, never a traceback
    assert integrity.file_problems(db_path) == []
    gone = tmp_path / "gone.db"
    try:
        integrity.file_problems(gone)
    except sqlite3.Error:
        pass
    else:
        raise AssertionError("a missing file has no verdict")


class MalformedWrites(BoothServices):
    """The real services on a file whose pages a write reaches are damaged: reads work,
    a check-in or a lead is refused as malformed, as SQLite says it."""

    def resolve_scan(self, payload, **kwargs):
        if kwargs.get("check_in") is not False:
            raise sqlite3.DatabaseError(MALFORMED)
        return super().resolve_scan(payload, **kwargs)

    def file_lead(self, *args, **kwargs):
        raise sqlite3.DatabaseError(MALFORMED)

    def arrivals(self):
        raise sqlite3.DatabaseError(MALFORMED)


async def test_a_scan_the_damaged_file_refuses_stays_on_screen_with_the_warning(db_path):
    app = app_on(db_path, MalformedWrites, integrity_delay=None)
    async with app.run_test(size=SIZE) as pilot:
        app.handle_scan("B-100", ended=app.clock())
        await until(pilot, lambda: app.screen.visit is not None)
        await settle(pilot)
        visit = app.screen.visit
        assert visit.contact.name == "Yuki Tanaka" and visit.pending  # not recorded yet
        assert app.unrecorded_scans() == 1  # kept, tried again
        assert "The database file is damaged" in banner(app.screen)
        assert "the database file is damaged" in toasts(app)
        assert app.return_code is None


async def test_a_lead_the_damaged_file_refuses_stays_in_its_form(db_path):
    app = app_on(db_path, MalformedWrites, integrity_delay=None, role="staff", user_id="ana")
    async with app.run_test(size=SIZE) as pilot:
        form = await press_for(pilot, "f3", LeadFormScreen)
        form.query_one("#f-name").value = "Hana Mori"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and form.query_one("#f-name").value == "Hana Mori"
        said = str(form.query_one("#form-error").render())
        assert "Not saved (the database file is damaged)" in said
        assert "What you typed stays in this form" in said
        assert "scan is kept" not in toasts(app)  # not the scan's words for a lead
        assert "The database file is damaged" in banner(form)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")  # throw it away: the scan screen carries the warning too
        await settle(pilot)
        assert isinstance(app.screen, ScanScreen) and banner(app.screen)
    assert rows(sqlite3.connect(db_path), "SELECT count(*) FROM leads") == [(0,)]


async def test_a_screen_read_refused_as_malformed_brings_the_warning(db_path):
    app = app_on(db_path, MalformedWrites, integrity_delay=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")  # arrivals: reads the database
        await settle(pilot)
        assert "the database file is damaged" in toasts(app)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, ScanScreen) and banner(app.screen)


class MalformedCheckIn(BoothServices):
    def check_in(self, visit, **kwargs):
        raise sqlite3.DatabaseError(MALFORMED)


async def test_f10_the_damaged_file_refuses_says_so_in_the_kiosks_words(db_path):
    """F10 on a card showed SQLite's own words as the whole toast ("database disk image is
    malformed"): now the database line every other failure shows, and the warning."""
    app = app_on(db_path, MalformedCheckIn, integrity_delay=None)
    async with app.run_test(size=SIZE) as pilot:
        visit = app.services.resolve_scan("B-100", check_in=False)
        app.show_visit(visit)
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        said = toasts(app)
        assert "The database cannot be used right now (the database file is damaged)" in said
        assert "nothing was changed" in said and "scan is kept" not in said
        assert "The database file is damaged" in banner(app.screen)
        assert app.return_code is None
