"""Start-up: the scan screen's first frame comes before anything it does not need.

The PostgreSQL driver (the hub) and apprise (notifications) cost ~0.3 s of a kiosk's
start-up, phonenumbers ~15 ms, Pillow (drawing CJK names) ~30 ms; they load after the first
frame (the warm-up thread loads phonenumbers and Pillow before the first scan), and the hub
link is made only then. `kiosk` itself (the CLI on its way to the TUI) loads no CSV
importer (kiosk.sync, ~90 ms), and the first frame parses only the scan screen's rules
(kiosk.tcss): every other screen's (later.tcss) are parsed right after it. The badge parsers,
the event log and the disputes (~40 ms together) load after the first frame too (the
warm-up thread loads them before the first scan), and the visitor card and the candidate
list, hidden until a scan, are mounted right after it.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from textual.widgets import OptionList

from kiosk.ui.app import LATER_CSS
from kiosk.ui.widgets.card_text import CardText
from kiosk.ui.widgets.visitor_card import VisitorCard
from tests.factory import CONFIG, NOW, SHOW
from tests.ui.helpers import SIZE, settle, toasts
from tests.ui.keys import scan

ROOT = Path(__file__).resolve().parents[2]
AFTER_FIRST_FRAME = ("psycopg", "apprise", "kiosk.hub", "kiosk.notify", "kiosk.ui.hub_link",
                     "phonenumbers", "PIL", "qrcode", "rapidfuzz", "pycountry", "babel",
                     "opencc", "kiosk.badges", "kiosk.badge_formats", "kiosk.events",
                     "kiosk.disputes")  # fmt: skip
# What `kiosk` (no sub-command) loads on its way to the booth screen must not include these
# either (only the hub's URL rules, kiosk.hub.url, which `kiosk` reads for the hub link), nor
# the CSV importer and its encoding detection (`kiosk init`'s and `kiosk import`'s).
NOT_FOR_THE_TUI = (*(m for m in AFTER_FIRST_FRAME if m != "kiosk.hub"), "kiosk.hub.sync",
                   "kiosk.hub.worker", "kiosk.hub.connection", "kiosk.sync",
                   "charset_normalizer")  # fmt: skip


def loaded(imports: str, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` (or a sub-module of one) a fresh interpreter has after `imports`."""
    code = (
        f"import sys, {imports}; "
        f"print(sorted({{m for m in sys.modules for w in {modules!r}"
        " if m == w or m.startswith(w + '.')}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return eval(out.stdout)  # noqa: S307 - our own subprocess's printed list


# What the kiosk's first frame itself (not only its imports) is drawn without, on a database
# opened as `kiosk` opens it (`kiosk.db.connect`): sqlite-utils (~56 ms) and the country
# resolver (~6 ms; kiosk.lookup imports it where a text may name a country) load after it,
# the manager's reports (~6 ms) when a screen showing them opens.
NOT_AT_THE_FIRST_FRAME = ("sqlite_utils", "kiosk.countries.resolve", "pycountry", "babel",
                          "kiosk.reports", "statistics")  # fmt: skip

_FIRST_FRAME = """
import asyncio, sys, tomllib
from datetime import datetime
from kiosk.config import parse_config
from kiosk.db import connect
from kiosk.ui.factory import build_app

WATCH = {watch!r}
CONFIG, NOW = parse_config(tomllib.loads({show!r})), datetime.fromisoformat({now!r})

async def main():
    app = build_app(connect({path!r}, create=False), CONFIG, now=lambda: NOW)
    first_frame, seen = app._first_frame, []

    def recording():
        seen.extend(sorted({{m for m in sys.modules for w in WATCH
                             if m == w or m.startswith(w + ".")}}))
        seen.append("(first frame)")
        first_frame()

    app._first_frame = recording
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    print(seen)

asyncio.run(main())
"""


def loaded_at_first_frame(path: Path, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh interpreter running the app headless on the database at
    `path` has when the scan screen's first frame is drawn."""
    code = _FIRST_FRAME.format(watch=modules, path=str(path), show=SHOW, now=NOW.isoformat())
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)  # fmt: skip
    seen = eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own subprocess's list
    assert seen[-1:] == ["(first frame)"], out.stdout  # the frame was drawn, and once
    return seen[:-1]


def test_the_first_frame_is_drawn_without_what_only_later_screens_and_writes_need(db_path):
    assert loaded_at_first_frame(db_path, NOT_AT_THE_FIRST_FRAME) == []


async def test_an_app_given_a_bare_connection_scans_and_checks_in(db_path):
    """`kiosk` starts the app on `kiosk.db.connect`'s bare connection; after the first frame
    the booth's writers get sqlite-utils' `Database` over that same connection."""
    from kiosk.db import connect
    from kiosk.ui.factory import build_app

    conn = connect(db_path, create=False)
    app = build_app(conn, CONFIG, now=lambda: NOW, card_timeout=None, warm_up=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.first_frame_at is not None
        scan(app, "B-100")
        await settle(pilot)
        assert app.screen.visit is not None
        assert app.screen.visit.contact.name == "Yuki Tanaka"
        assert app.services.db.conn is conn
    checked_in = conn.execute(
        "SELECT count(*) FROM checkins k JOIN contacts c ON c.id = k.contact_id"
        " WHERE c.name = 'Yuki Tanaka'"
    ).fetchone()[0]
    assert checked_in == 1


async def test_the_manager_figures_load_when_their_screen_opens(make_app):
    """The arrivals board (and the manager's view) read `kiosk.reports.dashboard`, which the
    services import when first asked: the board shows today's check-in all the same."""
    from kiosk.ui.screens.arrivals import ArrivalsScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.services.resolve("B-100", record=True)
        app.action_arrivals()
        await settle(pilot)
        assert isinstance(app.screen, ArrivalsScreen)
        assert [a.name for a in app.screen.rows] == ["Yuki Tanaka"]


_KIOSK_COMMAND = """
import sys
import kiosk.cli.tui as tui
from kiosk.cli import main

class App:  # stands in for the booth screen: says what `kiosk` gave it
    def run(self):
        print(type(given[0]).__name__,
              sorted(m for m in sys.modules if m.split(".")[0] == "sqlite_utils"))

given = []
tui.build_app = lambda db, config, **options: given.append(db) or App()
main(["--db", {path!r}], standalone_mode=False)
"""


def test_the_kiosk_command_starts_the_booth_screen_on_a_bare_connection(dbpath):
    """`kiosk` opens the database with `kiosk.db.connect` and checks it is fit for the booth
    (PINs, the invitation key) on that connection: sqlite-utils is not loaded yet."""
    from kiosk import pins
    from kiosk.db import open_db

    db = open_db(dbpath, create=False)
    pins.set_pin(db, "wei", "739104", now=NOW)  # the manager's, not a default one
    db.conn.close()
    code = _KIOSK_COMMAND.format(path=str(dbpath))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.split("\n")[-2] == "Connection []", out.stdout + out.stderr


def test_the_app_module_loads_no_hub_and_no_notification_code():
    assert loaded("kiosk.ui.app, kiosk.ui.factory", AFTER_FIRST_FRAME) == []


def test_the_kiosk_command_loads_no_csv_importer_on_its_way_to_the_booth_screen():
    """`kiosk` imports kiosk.setup for `check_ready`; the importer is `init_db`'s alone."""
    assert loaded("kiosk.cli, kiosk.cli.tui", NOT_FOR_THE_TUI) == []


async def test_the_first_frame_parses_only_the_scan_screens_rules(make_app, monkeypatch):
    """later.tcss is parsed once, after the first frame, and the other screens get it."""
    from textual.css import stylesheet

    parsed: list[tuple[str, bool]] = []  # (file, parsed after the first frame)
    parse = stylesheet.parse  # what a stylesheet calls for a source it has not parsed yet

    def recording(scope, css, read_from, *args, **kwargs):
        parsed.append((read_from[0], app.first_frame_at is not None))
        return parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(stylesheet, "parse", recording)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.first_frame_at is not None
        later = [after for path, after in parsed if path == str(LATER_CSS)]
        assert later == [True]
        assert any(path.endswith("kiosk.tcss") and not after for path, after in parsed)
        assert app.stylesheet.has_source(str(LATER_CSS))
        selectors = {name for rule in app.stylesheet.rules for name in rule.selector_names}
        assert "#search-status" in selectors and "KioskModal" in selectors


async def test_no_later_rule_changes_the_scan_screen_and_the_first_scan_works(make_app):
    """The scan screen was styled before later.tcss was parsed: restyled with every rule, it
    looks the same (idle, and with a card); and a scan straight after the first frame (the
    kiosk says it is ready) shows its card."""
    app = make_app(warm_up=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.first_frame_at is not None
        scan(app, "B-100")
        await settle(pilot)
        card = app.screen.query_one(VisitorCard)
        assert card.display and app.screen.visit is not None
        assert app.screen.visit.contact.name == "Yuki Tanaka"  # badge B-100 (tests.factory)
        for shown_now in ("card", "idle"):
            shown = app.export_screenshot()
            app.stylesheet.update(app.screen)  # Textual's own restyle, with every rule
            await settle(pilot)
            assert app.export_screenshot() == shown, shown_now
            app.scan_screen().show_idle()
            await settle(pilot)


async def test_the_card_and_the_candidate_list_are_mounted_hidden_right_after_the_first_frame(
    make_app, monkeypatch
):
    """The first frame styles and lays out the idle screen only; the card and the list (both
    hidden until a scan) are on the screen, hidden, once it is drawn."""
    from kiosk.ui.app import KioskApp

    at_first_frame: list[list[str]] = []
    first_frame = KioskApp._first_frame

    def recording(self) -> None:
        at_first_frame.append([w.id or "" for w in self.screen.walk_children()])
        first_frame(self)

    monkeypatch.setattr(KioskApp, "_first_frame", recording)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.first_frame_at is not None
        (ids,) = at_first_frame
        assert "idle" in ids and not {"card", "choose", "candidates"} & set(ids)
        screen = app.scan_screen()
        order = [w.id for w in screen.children]
        assert order.index("idle") < order.index("choose") < order.index("card")
        assert not screen.query_one("#card").display and not screen.query_one("#choose").display
        assert screen.query_one("#candidates", OptionList).option_count == 0


async def test_a_visit_shown_before_the_first_frame_shows_its_card_or_its_list(make_app):
    """A visit drawn before the card and the list were mounted (a scan in the first instant)
    mounts them itself: the card shows the visitor, the list its candidates."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.scan_screen()
        assert app.first_frame_at is None and not screen.query("#card")
        screen.show_visit(app.services.resolve("B-100", record=False))
        await settle(pilot)
        card = screen.query_one(VisitorCard)
        names = [b.text for b in card.query_one(CardText).blocks if b.kind == "name"]
        assert card.display and names == ["Yuki Tanaka"]
        assert len(screen.query("#card")) == 1  # the first frame mounted no second one
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.scan_screen()
        assert app.first_frame_at is None
        visit = app.services.resolve("example", record=False)  # everyone's e-mail domain
        assert visit.status == "choose"
        screen.show_visit(visit)
        box = screen.query_one("#candidates", OptionList)
        assert box.option_count == len(visit.candidates) > 1
        await settle(pilot)
        assert screen.query_one("#choose").display and not screen.query_one("#card").display


async def test_a_visit_shown_while_the_card_is_half_mounted_is_shown_once_it_is(
    make_app, monkeypatch
):
    """The card's parts mount a level at a time: a scan landing when its band is mounted
    but its text is not yet (seen under load: 'its card could not be shown: No nodes match
    #card-text') is kept and shown when every part is there."""
    from kiosk.ui.widgets.plain import Part

    seen: list[bool] = []

    def on_mount(self) -> None:  # the band's Mount: the card's text is not mounted yet
        if self.id == "band":
            screen = self.app.scan_screen()
            seen.append(bool(screen.query("#card-text")))
            screen.show_visit(self.app.services.resolve("B-100", record=False))

    monkeypatch.setattr(Part, "on_mount", on_mount, raising=False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert seen == [False]
        card = app.scan_screen().query_one(VisitorCard)
        names = [b.text for b in card.query_one(CardText).blocks if b.kind == "name"]
        assert card.display and names == ["Yuki Tanaka"] and not toasts(app)


class _Link:
    """A stand-in hub link: records when the app starts it (no network in this test)."""

    def __init__(self) -> None:
        self.started_after_first_frame: bool | None = None

    def start(self, app, on_status) -> None:
        self.started_after_first_frame = app.first_frame_at is not None

    def wake(self) -> None:
        pass

    def stop(self) -> None:
        pass


async def test_the_hub_link_is_made_and_started_after_the_first_frame(make_app):
    made: list[_Link] = []

    def connect() -> _Link:
        link = _Link()
        made.append(link)
        return link

    app = make_app(config=CONFIG, connect_hub=connect)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            await pilot.pause(0.02)
            if made and made[0].started_after_first_frame is not None:
                break
        assert app.first_frame_at is not None
        assert len(made) == 1 and made[0].started_after_first_frame is True
        assert app.hub is made[0]


def colours(theme) -> dict[str, str]:
    """The CSS variables a theme's colours make (what the stylesheet is parsed with)."""
    return theme.to_color_system().generate()


async def test_the_kiosk_theme_is_in_force_from_the_first_parse_and_never_parsed_again(
    make_app, monkeypatch
):
    """The stylesheet is parsed with the kiosk's dark colours from the start: a theme set
    after Textual had parsed everything made it parse all of it once more."""
    from textual.css.stylesheet import Stylesheet

    from kiosk.ui.themes import KIOSK_DARK

    reparsed: list[int] = []
    reparse = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: reparsed.append(1) or reparse(self))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.first_frame_at is not None
        assert app.theme == "kiosk-dark" and app.current_theme is KIOSK_DARK
        parsed_with = app.stylesheet._variables
        assert {k: parsed_with[k] for k in colours(KIOSK_DARK)} == colours(KIOSK_DARK)
        assert app.screen.styles.background.hex.upper() == KIOSK_DARK.background.upper()
        assert reparsed == []


async def test_the_light_theme_asked_for_at_start_is_the_one_drawn(make_app):
    from kiosk.ui.themes import KIOSK_LIGHT

    app = make_app(theme="kiosk-light")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "kiosk-light"
        assert app.stylesheet._variables["primary"] == colours(KIOSK_LIGHT)["primary"]
        assert app.screen.styles.background.hex.upper() == KIOSK_LIGHT.background.upper()
        app.action_toggle_theme()
        await pilot.pause()
        assert app.theme == "kiosk-dark"
        assert app.screen.styles.background.hex.upper() != KIOSK_LIGHT.background.upper()


async def test_kiosk_pauses_the_collector_until_the_first_frame_then_freezes_and_resumes(
    make_app,
):
    """What loads before the first frame lives as long as the app: no collections walk it
    while it loads (kiosk.ui.gc_pacing); after the frame it is frozen, the collector back."""
    from kiosk.ui import gc_pacing

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    gc_pacing.pause_until_first_frame()
    try:
        assert not gc.isenabled()
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.first_frame_at is not None
            assert gc.isenabled()
            assert gc.get_freeze_count() > frozen
    finally:
        gc_pacing.resume_at_first_frame()  # (a no-op unless the app never drew a frame)
        gc.enable()
        gc.unfreeze()


async def test_an_app_started_otherwise_leaves_the_collector_alone(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.first_frame_at is not None and gc.isenabled()


def test_the_kiosk_command_pauses_the_collector_before_it_loads_the_tui(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import kiosk.cli.tui
    from kiosk.cli import main
    from kiosk.ui import gc_pacing

    seen: list[bool] = []
    monkeypatch.setattr(kiosk.cli.tui, "run_tui", lambda obj, lang: seen.append(gc.isenabled()))
    try:
        result = CliRunner().invoke(main, ["--db", str(tmp_path / "k.db")])
    finally:
        gc_pacing.end_pause()
        gc.enable()
    assert result.exit_code == 0, result.output
    assert seen == [False] and gc.isenabled()


def test_a_kiosk_refused_before_its_first_frame_leaves_the_collector_on(tmp_path):
    """`kiosk` on a database that does not exist: one line, status 2, and the collector is
    not left paused (for whoever called `main` in-process: a test, a wrapper)."""
    from click.testing import CliRunner

    from kiosk.cli import main

    try:
        result = CliRunner().invoke(main, ["--db", str(tmp_path / "missing.db")])
        enabled = gc.isenabled()
    finally:
        gc.enable()
    assert result.exit_code == 2, result.output
    assert enabled


async def test_the_warm_up_builds_what_the_first_scans_would_build_on_the_scan_path(
    make_app,
):
    """The tables that folding (accents, Han), the country resolver (names, typos) and the
    phone reader (a calling code shared by 25 regions) build at their first use cost the
    first such scan 70–450 ms at a million contacts (the slowest card of the benchmark):
    the warm-up thread builds them before the first scan."""
    from kiosk import phone_validity, text
    from kiosk.countries import resolve

    caches = (text._combining, text._simplified, resolve._names, resolve._fuzzy_index)
    for cache in caches:
        cache.cache_clear()
    phone_validity._judges.clear()
    app = make_app(warm_up=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert [cache.cache_info().currsize for cache in caches] == [1] * len(caches)
        assert (1, 10) in phone_validity._judges  # +1 and ten digits: every NANP number
