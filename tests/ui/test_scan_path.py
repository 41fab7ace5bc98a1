"""The scan path never freezes (issue 12 §1) and a failing database loses nothing.

The lookups here are made slow or failing on purpose by an injected service (a subclass of
the real one), so these tests say what the app does, not how fast the machine is.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime

from textual import events

from kiosk.ui.app import KioskApp
from kiosk.ui.screens.scan import ScanScreen
from kiosk.ui.screens.search import SearchScreen
from kiosk.ui.services import BoothServices
from tests.factory import CONFIG, NOW
from tests.ui.helpers import SIZE, rows, settle, toasts, until
from tests.ui.keys import scan


class SlowServices(BoothServices):
    """The real services, with badge B-100's lookup held until the test lets it go (a
    no-match scan falling through to the typo search at a million contacts, say)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.slow_running = threading.Event()
        self.let_go = threading.Event()
        self.threads: set[str] = set()

    def resolve_scan(self, payload, **kwargs):
        self.threads.add(threading.current_thread().name)
        if payload == "B-100":
            self.slow_running.set()
            self.let_go.wait(30)
            self.slow_running.clear()
        return super().resolve_scan(payload, **kwargs)


class FailingServices(BoothServices):
    """The real services on a database that refuses the first `failures` scans."""

    def __init__(self, *args, failures: int = 1, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.failures = failures

    def resolve_scan(self, payload, **kwargs):
        if self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return super().resolve_scan(payload, **kwargs)

    def arrivals(self):
        raise sqlite3.DatabaseError("database disk image is malformed")


class CommitHeldServices(BoothServices):
    """The real services, with a held scan's commit waiting until the test lets it go (a
    slow fsync), and failing `fail_commits` times first (a disk that refuses the write)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.let_go = threading.Event()
        self.fail_commits = 0

    def resolve_scan_held(self, payload, *, actor="", drawn, keep, at=None):
        def keep_when_let_go():
            self.let_go.wait(30)
            if self.fail_commits:
                self.fail_commits -= 1
                raise sqlite3.OperationalError("disk I/O error")
            return keep()

        return super().resolve_scan_held(
            payload, actor=actor, drawn=drawn, keep=keep_when_let_go, at=at
        )


class WritesRefused(BoothServices):
    """The real services on a database that reads but refuses every write (a read-only
    file, a full disk) until `refusing` is cleared."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.refusing = True

    def resolve_scan(self, payload, **kwargs):
        if self.refusing and kwargs.get("check_in") is not False:
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return super().resolve_scan(payload, **kwargs)


def band_text(app) -> str:
    """The card's status line ('' until the card is mounted)."""
    bands = app.screen.query("#band")
    return str(bands.first().render()) if bands else ""


def app_with(services_class, db, **options) -> KioskApp:
    services = services_class(db, CONFIG, clock=lambda: NOW, **options.pop("services", {}))
    options.setdefault("card_timeout", None)
    options.setdefault("warm_up", False)
    return KioskApp(services, **options)


async def test_keys_echo_while_a_slow_lookup_runs_and_the_newest_scan_wins(booth_db):
    """The hole: a slow lookup ran on the UI thread; keys waited and the screen froze."""
    app = app_with(SlowServices, booth_db, role="staff", user_id="ana")
    services = app.services
    async with app.run_test(size=SIZE) as pilot:
        scan(app, "B-100")  # slow
        for _ in range(150):  # the scan thread has started it (however loaded the machine)
            await pilot.pause(0.1)
            if services.slow_running.is_set():
                break
        assert services.slow_running.is_set()
        await pilot.press("f2")
        for key in "luc":
            await pilot.press(key)
        await until(pilot, lambda: not app.scan_input.detector.pending)  # a person's keys
        assert services.slow_running.is_set()  # still looking up …
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#query").value == "luc"  # … and the keys echoed
        scan(app, "B-200")  # a later visitor, scanned while the slow lookup runs
        await pilot.pause(0.2)
        assert services.slow_running.is_set()
        services.let_go.set()  # the slow lookup ends after the later scan arrived
        for _ in range(150):  # both lookups done (however loaded the machine)
            await pilot.pause(0.1)
            if not services.slow_running.is_set() and not app.scans_in_flight:
                break
        await settle(pilot)
        assert isinstance(app.screen, ScanScreen)
        assert app.screen.visit.contact.name == "José Martínez"  # the newest scan's card
        assert threading.main_thread().name not in services.threads  # looked up off the UI
        names = rows(
            booth_db, "SELECT c.name FROM checkins k JOIN contacts c ON c.id = k.contact_id"
        )
        assert sorted(n for (n,) in names) == ["José Martínez", "Yuki Tanaka"], toasts(app)


async def test_a_scan_over_8_kb_is_refused_with_a_message_and_records_nothing(make_app, booth_db):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.handle_scan("B-100 " + "x" * 9000)
        await settle(pilot)
        assert "too long (9,006 bytes; at most 8,192)" in toasts(app)
        assert app.screen.visit is None
        assert rows(booth_db, "SELECT count(*) FROM events") == [(0,)]
        app.handle_scan("B-100 " + "é" * 4094)  # bytes of UTF-8 count, not characters
        await settle(pilot)
        assert "(8,194 bytes; at most 8,192)" in toasts(app)
        assert rows(booth_db, "SELECT count(*) FROM events") == [(0,)]


async def test_a_read_only_database_keeps_the_scan_and_tries_it_again(booth_db):
    """The hole: a database error while the app ran showed Textual's traceback."""
    # The database refuses until the test says it works again: a retry 2 s later could
    # otherwise come before the first checks on a loaded machine (it did at load ~28).
    app = app_with(FailingServices, booth_db, services={"failures": 10**6})
    async with app.run_test(size=SIZE) as pilot:
        app.handle_scan("B-100")
        await settle(pilot)
        assert "The database cannot be used right now (the database file is read-only)" in (
            toasts(app)
        )
        assert app.return_code is None and app.screen.visit is None  # running, scan kept
        assert app.scans_in_flight
        app.services.failures = 0  # the database works again: the next retry records it
        await until(pilot, lambda: app.screen.visit is not None)
        assert app.screen.visit.contact.name == "Yuki Tanaka"
        assert len(rows(booth_db, "SELECT * FROM checkins")) == 1


async def test_a_scan_kept_for_a_retry_is_recorded_as_of_when_it_was_scanned(booth_db):
    """Found with a 45 s lock: the retried scan was stamped when the retry ran, 73 s late on
    the card, the arrivals board and the waiting times."""
    from datetime import timedelta

    clock = {"now": NOW}
    services = FailingServices(booth_db, CONFIG, clock=lambda: clock["now"], failures=10**6)
    app = KioskApp(services, card_timeout=None, warm_up=False)
    async with app.run_test(size=SIZE) as pilot:
        app.handle_scan("B-100")
        await until(pilot, lambda: app.unrecorded_scans() == 1)
        clock["now"] = NOW + timedelta(seconds=73)  # the lock is gone a while later
        services.failures = 0
        await until(pilot, lambda: len(rows(booth_db, "SELECT * FROM checkins")) == 1)
        [(at,)] = rows(booth_db, "SELECT at FROM checkins")
        assert abs(datetime.fromisoformat(at) - NOW) < timedelta(seconds=1), at
        await until(pilot, lambda: not app.scans_in_flight)


async def test_quitting_with_a_kept_scan_asks_first(booth_db):
    """Found with a full disk: the kept scan lives in memory until the database takes it,
    and Ctrl+Q (the manager's PIN typed) quit without a word, losing it."""
    from kiosk.ui.screens.confirm import ConfirmModal

    app = app_with(FailingServices, booth_db, services={"failures": 10**6}, role="manager",
                   user_id="wei")  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        app.handle_scan("B-100")
        await until(pilot, lambda: app.unrecorded_scans() == 1)
        app.action_quit()
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        assert app.screen.question.startswith("1 scan(s) not recorded yet")
        # Enter loses nothing: the focus starts on No
        await until(pilot, lambda: app.focused is not None and app.focused.id == "no")
        await pilot.press("enter")  # no: keep trying
        await settle(pilot)
        assert app.return_code is None and app.is_running
        app.services.failures = 0  # the disk is freed: the next retry records it
        await until(pilot, lambda: len(rows(booth_db, "SELECT * FROM checkins")) == 1)
        await until(pilot, lambda: not app.scans_in_flight)


async def test_a_card_that_cannot_be_drawn_says_so_and_the_scan_stays_recorded(make_app, booth_db):
    """The hole: an error while drawing the card was swallowed by the scan's worker — the
    previous visitor's card stayed up and nobody was told (a benchmark scan with no card)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen

        def broken(visit):
            raise ValueError("card broke")

        screen.show_visit = broken
        app.handle_scan("B-100")
        await settle(pilot)
        assert "This scan was recorded, but its card could not be shown: card broke" in toasts(app)
        assert app.return_code is None and not app.scans_in_flight
        assert len(rows(booth_db, "SELECT * FROM checkins")) == 1


async def test_a_damaged_database_behind_a_screen_is_one_line_not_a_traceback(booth_db):
    app = app_with(FailingServices, booth_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")  # arrivals: reads the database
        await settle(pilot)
        assert "The database cannot be used right now (the database file is damaged)" in (
            toasts(app)
        )
        assert app.return_code is None
        await pilot.press("f12")  # the app still answers keys
        await settle(pilot)
        assert isinstance(app.screen, ScanScreen)


async def test_after_the_first_frame_the_kiosk_learns_which_trigrams_are_rare(booth_db):
    """The warm-up reads the search index's trigram counts on a thread of its own (seconds
    at a million contacts), so the searches that follow ask the index for rare trigrams."""
    from unittest import mock

    from kiosk import fulltext

    path = fulltext._database_file(booth_db.conn)
    with mock.patch.dict(fulltext._FREQUENCIES, clear=True):
        app = app_with(BoothServices, booth_db, warm_up=True)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(300):  # however loaded the machine
                await pilot.pause(0.05)
                if path in fulltext._FREQUENCIES:
                    break
            assert path in fulltext._FREQUENCIES
            assert isinstance(app.screen, ScanScreen)
        rows_counted, _counts = fulltext._FREQUENCIES[path]
    assert rows_counted >= booth_db.execute("SELECT count(*) FROM contacts").fetchone()[0]


async def test_scans_commit_without_a_checkpoint_and_a_quiet_booth_gets_one(booth_db):
    """The commit that crosses SQLite's checkpoint line waits for the whole log to be
    copied (seconds after a big import): the scan thread's connection never does that, and
    the checkpoint thread folds the log in once the booth is quiet."""
    from unittest import mock

    from kiosk.ui import scanning

    app = app_with(BoothServices, booth_db)
    with (
        mock.patch.object(scanning, "CHECKPOINT_EVERY", 0.05),
        mock.patch.object(scanning, "CHECKPOINT_IDLE", 0.2),
    ):
        async with app.run_test(size=SIZE) as pilot:
            scan(app, "B-100")
            await settle(pilot)
            assert rows(booth_db, "SELECT contact_id FROM checkins")
            pool = app._scan_pool
            [(every,)] = pool.submit(
                lambda: app.services.db.execute("PRAGMA wal_autocheckpoint").fetchall()
            ).result()
            assert every == 0
            # nor the UI thread's (a lead saved from the form, a visitor marked received)
            [(ui,)] = app.services.db.execute("PRAGMA wal_autocheckpoint").fetchall()
            assert ui == 0
            for _ in range(200):  # however loaded the machine
                await pilot.pause(0.05)
                done = app._checkpointing
                if done is not None and done.done() and done.result()[1] > 0:
                    break
            busy, frames, copied = app._checkpointing.result()
    assert busy == 0 and frames > 0 and copied == frames


async def test_the_footer_hears_of_a_scan_only_when_its_keys_change(make_app):
    """Textual's footer rebuilds all its keys whenever the screen says its bindings changed;
    two known visitors in a row offer the same keys, so the second card tells it nothing.

    The cards are shown synchronously, with no await between them: Textual also tells the
    footer on its own (a focus change, a timer), and on a loaded machine those tells land at
    any moment (this test failed twice in fresh-clone CI runs when it counted across awaits)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for badge in ("B-100", "B-200"):  # two real scans give the two visits
            scan(app, badge)
            await settle(pilot)
        first, second = app.services.resolve_scan("B-100", actor=app.actor), screen.visit
        assert first.contact.name == "Yuki Tanaka"
        assert second.contact.name == "José Martínez"
        told: list[object] = []
        refresh = screen.refresh_bindings

        def counting():
            told.append(screen)
            refresh()

        screen.refresh_bindings = counting
        screen.show_idle()  # F6 and Esc go away: the footer hears of it
        assert len(told) == 1
        app.show_visit(first)  # F6 and Esc come back
        assert len(told) == 2
        app.show_visit(second)
        assert screen.visit is second
        assert len(told) == 2  # the same keys: no rebuild
        screen.show_idle()
        assert len(told) == 3


async def test_the_card_takes_its_status_classes_in_one_restyle_of_the_parts_they_style(make_app):
    """Textual restyles every widget inside a node whose classes change: the card's twenty
    parts, ~8 ms of the scan path each time the status changed. Only the card and the parts
    its status classes style are restyled, once per change (tests/ui/test_visitor_card_styles.py:
    the screen is the same as after a full restyle)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        from kiosk.ui.widgets.visitor_card import STATUS_STYLED, VisitorCard

        await pilot.pause()  # the card is mounted right after the first frame
        card = app.screen.query_one(VisitorCard)
        restyled: list[list[object]] = []
        update_nodes = app.stylesheet.update_nodes

        def counting(nodes, animate: bool = False) -> None:
            nodes = list(nodes)
            if card in nodes:
                restyled.append(nodes)
            update_nodes(nodes, animate=animate)

        app.stylesheet.update_nodes = counting
        scan(app, "B-100")  # a known customer: -known (or the like) on, -no-qr off
        await settle(pilot)
        scan(app, "MECARD:N:Visitor,New;EMAIL:new.visitor@example.org;;")
        await settle(pilot)
        assert app.screen.visit.status != "known" or not app.screen.visit.contact.known
        assert 1 <= len(restyled) <= 2  # one per scan whose status changed
        assert all(len(nodes) == 1 + len(STATUS_STYLED) for nodes in restyled)
        statuses = [c for c in card.classes if c != "-no-qr"]
        assert len([c for c in statuses if c.startswith("-") and c[1:] in _statuses()]) == 1


def _statuses() -> tuple[str, ...]:
    from kiosk.visits import STATUSES

    return tuple(STATUSES)


async def test_keys_queued_behind_a_busy_app_stay_in_their_scan(booth_db):
    """The hole: the gap timer runs beside the app's message queue. An app busy for longer
    than the gap (drawing a card on a loaded machine) found the timer overdue and closed the
    burst before reading the scanner's next keys, already queued and stamped in time: one
    badge became typed keys (or a scan of its first half) and no card."""
    now = [1000.0]
    app = app_with(BoothServices, booth_db, clock=lambda: now[0])

    def key(char: str, at: float) -> events.Key:
        event = events.Key("enter" if char == "\n" else char, "\r" if char == "\n" else char)
        event.time = at
        event.set_sender(app)
        return event

    async with app.run_test(size=SIZE) as pilot:
        for i, char in enumerate("B-1"):
            app.post_message(key(char, 1000.0 + i * 0.004))
        await pilot.pause()  # read: the burst is held, its gap timer armed
        now[0] = 1001.0  # the app was busy for a second …
        for i, char in enumerate("00\n", start=3):  # … while the scanner's keys queued up
            app.post_message(key(char, 1000.0 + i * 0.004))
        await app.scan_input.expire()  # the overdue timer, before the queue is read
        await settle(pilot)
        assert app.scan_input.scans == 1, toasts(app)
        assert app.screen.visit is not None and app.screen.visit.contact.name == "Yuki Tanaka"


async def test_a_quiet_booth_merges_the_walk_ins_into_the_search_index(booth_db):
    """No booth write merges the search index's segments (a walk-in's insert once merged a
    million contacts' index: `kiosk.db.serving_merges`); the checkpoint thread does, in
    short steps, once the booth is quiet."""
    from unittest import mock

    from kiosk.db import fts_segments
    from kiosk.ui import scanning

    app = app_with(BoothServices, booth_db)
    with (
        mock.patch.object(scanning, "CHECKPOINT_EVERY", 0.05),
        mock.patch.object(scanning, "CHECKPOINT_IDLE", 3600.0),  # never quiet …
        mock.patch.object(scanning, "CHECKPOINT_FORCE", 1 << 40),
    ):
        async with app.run_test(size=SIZE) as pilot:
            for i in range(8):  # eight walk-ins: eight new segments, none merged
                scan(app, f"MECARD:N:Visitor,New {i};EMAIL:new{i}@visitor.example;;")
                await settle(pilot)
            assert len(rows(booth_db, "SELECT * FROM contacts WHERE source = 'booth'")) == 8
            before = fts_segments(booth_db.conn)
            assert before >= 8
            assert app._index_untidy
            scanning.CHECKPOINT_IDLE = 0.2  # … until now (restored by the patch)
            await until(pilot, lambda: not app._index_untidy)  # merged, then nothing left
    assert fts_segments(booth_db.conn) <= before - 4  # FTS5 merges a level of four or more


async def test_a_scan_stops_the_quiet_booths_merge_step(booth_db):
    """A merge step of the search index holds the write lock (tens of milliseconds at a
    million contacts, and its commit waits for the disk): a scan that comes meanwhile stops
    it — rolled back, done again when next quiet — rather than queue its check-in behind
    it. Here the step is held at its first write to the index until the scan has come."""
    from unittest import mock

    from kiosk.db import fts_segments
    from kiosk.ui import scanning

    merging, let_go = threading.Event(), threading.Event()

    def hold_first_write(sql: str) -> None:  # on the checkpoint thread, inside the merge
        if "contacts_fts_data" in sql and not merging.is_set():
            merging.set()
            let_go.wait(30)

    app = app_with(BoothServices, booth_db)
    with mock.patch.object(scanning, "CHECKPOINT_EVERY", 3600.0):  # no merge but this one
        async with app.run_test(size=SIZE) as pilot:
            for i in range(8):  # eight walk-ins: eight segments, enough for a merge step
                scan(app, f"MECARD:N:Visitor,New {i};EMAIL:new{i}@visitor.example;;")
                await settle(pilot)
            before = fts_segments(booth_db.conn)
            pool = app._checkpoint_pool
            pool.submit(lambda: app.services.db.conn.set_trace_callback(hold_first_write))
            step = pool.submit(app._checkpoint, True)
            await until(pilot, merging.is_set)
            seq = app._scan_seq
            scan(app, "B-100")
            await until(pilot, lambda: app._scan_seq > seq)  # the scan has come
            let_go.set()
            step.result(30)
            await settle(pilot)
            assert app._index_untidy  # to be merged when next quiet
            assert app.screen.visit.contact.name == "Yuki Tanaka"
    assert fts_segments(booth_db.conn) == before  # the step was rolled back
    yuki = "(SELECT id FROM contacts WHERE name = 'Yuki Tanaka')"
    assert rows(booth_db, f"SELECT count(*) FROM checkins WHERE contact_id = {yuki}") == [(1,)]


async def test_a_due_full_garbage_collection_waits_until_the_card_is_up(make_app):
    """CPython collects its oldest generation wherever it happens to be allocating — inside
    a scan, 25–70 ms on the UI thread at a million contacts. After its first frame the app
    takes that generation over and collects it, when due, right after a card is drawn; and
    gives it back when it stops."""
    import gc
    from unittest import mock

    from kiosk.ui import scanning

    thresholds = gc.get_threshold()
    full: list[int] = []  # cards drawn when each full collection began

    def watch(phase: str, info: dict) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(len(app.scan_latencies))

    app = make_app(warm_up=True)
    with mock.patch.object(scanning, "CHECKPOINT_EVERY", 3600.0):  # no quiet-time collection
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.first_frame_at is not None)
            await pilot.pause()
            await app.workers.wait_for_complete()  # warmed up: frozen, the oldest taken over
            gc.callbacks.append(watch)
            try:
                for _ in range(thresholds[2] + 1):
                    gc.collect(1)  # young collections enough: a full one is due
                scan(app, "B-100")
                await settle(pilot)
                assert app.scan_latencies
            finally:
                gc.callbacks.remove(watch)
            assert full[:1] == [1]  # the first one after the card, none before
    assert gc.get_threshold() == thresholds


async def test_a_huge_log_is_checkpointed_while_scans_keep_coming(booth_db):
    """Past `CHECKPOINT_FORCE` bytes the log is folded in however busy the booth is: that
    checkpoint does not give way to scans as the quiet-time work does."""
    from unittest import mock

    from kiosk.ui import scanning

    app = app_with(BoothServices, booth_db)
    with (
        mock.patch.object(scanning, "CHECKPOINT_EVERY", 3600.0),  # the test calls it
        mock.patch.object(scanning, "CHECKPOINT_IDLE", 3600.0),  # never quiet
        mock.patch.object(scanning, "CHECKPOINT_FORCE", 1),  # any log is huge
    ):
        async with app.run_test(size=SIZE) as pilot:
            scan(app, "B-100")  # a check-in: the log has frames
            await settle(pilot)
            busy_thread = threading.Event()
            app._checkpoint_pool.submit(busy_thread.wait, 30)  # its job waits its turn
            app.when_quiet()
            job = app._checkpointing
            assert job is not None
            scan(app, "B-200")  # scans keep coming meanwhile
            await settle(pilot)
            busy_thread.set()
            busy, frames, copied = job.result(30)
            # The log file keeps its size once folded in (SQLite writes it again from
            # its start): only a file grown past that size is forced again.
            app.when_quiet()  # grown by B-200's check-in since the last one: forced
            again = app._checkpointing
            assert again is not job
            again.result(30)
            app.when_quiet()  # no bigger since: not forced, however big the file
            assert app._checkpointing is again
            app._log_size_checkpointed -= 1  # as if the log had grown since
            app.when_quiet()
            assert app._checkpointing is not again
            app._checkpointing.result(30)
    assert busy == 0 and frames > 0 and copied == frames


async def test_a_whole_scans_card_is_drawn_while_its_check_in_commits(booth_db):
    """A scan known to be complete (a vCard, a MECARD, a burst the detector closed) is
    drawn as soon as its visit is known, before its check-in's COMMIT: the frame is
    composed while the fsync runs, and the card is timed once both are done."""
    app = app_with(CommitHeldServices, booth_db)
    async with app.run_test(size=SIZE) as pilot:
        app.handle_scan("B-100", ended=app.clock())
        await until(pilot, lambda: app.screen.visit is not None)
        assert app.screen.visit.contact.name == "Yuki Tanaka"
        assert app.screen.visit.checkin_id is not None and app.screen.query_one("#card").display
        await pilot.pause(0.2)  # frames drawn (not `settle`: it waits for the scan's worker)
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(0,)]  # not committed yet
        assert app.scan_latencies == []  # timed once the check-in is written too
        app.services.let_go.set()
        await until(pilot, lambda: not app.scans_in_flight)
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(1,)]
        assert len(app.scan_latencies) == 1


async def test_a_commit_that_fails_after_the_card_is_up_says_so_and_keeps_the_scan(booth_db):
    """The card is up, then the disk refuses the commit: rolled back, the card no longer
    says "checked in", a line says why, and the scan is tried again like any scan the
    database refused — recorded once, never lost."""
    app = app_with(CommitHeldServices, booth_db)
    app.services.fail_commits = 1
    async with app.run_test(size=SIZE) as pilot:
        app.handle_scan("B-100", ended=app.clock())
        await until(pilot, lambda: app.screen.visit is not None)
        assert app.screen.visit.checkin_id is not None  # the card came first
        app.services.let_go.set()
        await until(pilot, lambda: "The database cannot be used right now" in toasts(app))
        assert app.screen.visit.contact.name == "Yuki Tanaka"
        assert app.screen.visit.checkin_id is None  # the card says it is not checked in
        await until(pilot, lambda: "Not recorded yet: the kiosk keeps trying" in band_text(app))
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(0,)]
        assert app.return_code is None and app.scans_in_flight  # kept for a retry
        await until(pilot, lambda: not app.scans_in_flight)  # the retry, 2 s later
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(1,)]
        assert rows(booth_db, "SELECT count(*) FROM events") == [(1,)]
        assert app.screen.visit.contact.name == "Yuki Tanaka"
        assert app.screen.visit.checkin_id is not None


async def test_while_another_program_holds_the_write_lock_the_card_shows_at_once(booth_db):
    """Found with a merge holding the write lock: the scan waited the 5 s busy timeout with
    the screen blank, then showed only a database error — though reads worked all along.
    Now the card comes from a lookup that writes nothing, marked not recorded yet, and the
    check-in is written (and the card says so) as soon as the lock is free."""
    from kiosk.db import connect
    from kiosk.keyfile import database_file

    app = app_with(BoothServices, booth_db)
    holder = connect(database_file(booth_db))
    holder.execute("BEGIN IMMEDIATE")  # another program writing: a merge, the CLI
    try:
        async with app.run_test(size=SIZE) as pilot:
            app.handle_scan("B-100", ended=app.clock())
            await until(pilot, lambda: app.screen.visit is not None)
            # drawn while the write still waits for the lock, not after it gave up
            assert "cannot be used" not in toasts(app) and app.unrecorded_scans() == 1
            assert app.screen.visit.contact.name == "Yuki Tanaka"
            assert app.screen.visit.pending and app.screen.visit.checkin_id is None
            await until(pilot, lambda: "Not recorded yet: the kiosk keeps trying" in band_text(app))
            await pilot.press("f6")  # would wait out the same lock on the UI thread
            await until(pilot, lambda: "still being recorded" in toasts(app))
            holder.execute("ROLLBACK")  # the other program is done
            await until(pilot, lambda: not app.scans_in_flight)
            assert rows(booth_db, "SELECT count(*) FROM checkins") == [(1,)]
            assert not app.screen.visit.pending and app.screen.visit.checkin_id is not None
            await until(pilot, lambda: "✓" in band_text(app))
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()


async def test_a_scan_the_database_refuses_still_shows_whom_to_call(booth_db):
    """A read-only file or a full disk refused the check-in before its card was drawn: the
    screen showed nothing but the error line. The card comes from a read; the retry
    records the scan once the database takes writes again."""
    app = app_with(WritesRefused, booth_db)
    async with app.run_test(size=SIZE) as pilot:
        app.handle_scan("B-100", ended=app.clock())
        await until(pilot, lambda: app.screen.visit is not None)
        assert "The database cannot be used right now" in toasts(app)
        assert app.screen.visit.contact.name == "Yuki Tanaka" and app.screen.visit.pending
        await until(pilot, lambda: "Not recorded yet" in band_text(app))
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(0,)]
        app.services.refusing = False
        await until(pilot, lambda: not app.scans_in_flight)  # the retry, 2 s later
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(1,)]
        assert app.screen.visit.checkin_id is not None and not app.screen.visit.pending


async def test_quitting_folds_the_last_scans_into_the_database_file(booth_db, tmp_path):
    """Found copying a kiosk onto a USB stick right after quitting the booth screen: the
    copy lacked the last scan. The scan thread's connection is never closed, so SQLite's
    checkpoint at the last close never ran and the scan stayed in the -wal file."""
    import shutil

    from kiosk.keyfile import database_file

    app = app_with(BoothServices, booth_db)
    async with app.run_test(size=SIZE) as pilot:
        app.handle_scan("B-100", ended=app.clock())
        await until(pilot, lambda: rows(booth_db, "SELECT count(*) FROM checkins") == [(1,)])
        await until(pilot, lambda: not app.scans_in_flight)
    copy = tmp_path / "copied.db"
    shutil.copy(database_file(booth_db), copy)  # the file alone, as a file manager copies it
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM checkins").fetchone() == (1,)
    conn.close()


async def test_a_retried_scan_updates_the_card_underneath_what_was_opened_since(booth_db):
    """Found quitting during a lock: the manager's PIN dialog for quitting closed by itself
    when the kept scan was recorded on its retry (the card closed whatever was on top), and
    a lead form or the arrivals board would have gone the same way."""
    from kiosk.ui.screens.arrivals import ArrivalsScreen

    app = app_with(WritesRefused, booth_db)
    async with app.run_test(size=SIZE) as pilot:
        app.handle_scan("B-100", ended=app.clock())
        await until(pilot, lambda: app.screen.visit is not None)  # the card, not recorded
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, ArrivalsScreen))
        app.services.refusing = False
        await until(pilot, lambda: not app.scans_in_flight)  # the retry records it
        assert rows(booth_db, "SELECT count(*) FROM checkins") == [(1,)]
        await settle(pilot)
        assert isinstance(app.screen, ArrivalsScreen)  # left open
        card = app.scan_screen().visit
        assert card.contact.name == "Yuki Tanaka" and card.checkin_id is not None
