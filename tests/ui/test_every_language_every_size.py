"""Every language, every size (issue 15): Textual's own words in the UI language (the command
palette's prompt and "nothing found", the Ctrl+C quit hint), durations, labels not cut off,
tall CJK letters from the shipped font, and an 80×24 terminal where the header keeps its
title, the login list shows the manager and its key hint, and the footer fits.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.cells import cell_len
from textual.command import CommandInput, CommandPalette
from textual.widgets._footer import FooterKey

from kiosk import booth
from kiosk.ui import bigtext
from kiosk.ui.fmt import minutes
from kiosk.ui.i18n import LANGS, Translator
from kiosk.ui.screens.arrivals import ArrivalsScreen
from kiosk.ui.screens.lead_form import LeadFormScreen
from kiosk.ui.screens.user_picker import UserPickerModal
from kiosk.ui.widgets.big_name import BigName
from kiosk.ui.widgets.card_text import CardText
from tests.factory import CONFIG, NOW
from tests.ui.helpers import cid, press_for, settle
from tests.ui.keys import scan

SMALL = (80, 24)


def toasts(app) -> str:
    return "\n".join(f"{n.title or ''} {n.message}" for n in app._notifications)


# ---------------------------------------------------------------------- Textual's own words
@pytest.mark.parametrize(
    ("lang", "prompt", "nothing", "quit_hint"),
    [
        ("en", "Search for commands…", "No matching command", "Press Ctrl+Q to quit."),
        ("zh", "搜索命令…", "没有匹配的命令", "按 Ctrl+Q 退出。"),
        ("es", "Buscar comandos…", "Ningún comando coincide", "Pulse Ctrl+Q para salir."),
    ],
)
async def test_the_palette_and_the_quit_hint_speak_the_ui_language(
    make_app, lang, prompt, nothing, quit_hint
):
    app = make_app(lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("ctrl+c")  # Textual's "how do I quit" hint
        await settle(pilot)
        assert quit_hint in toasts(app)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == prompt
        for ch in "qqzzxx":
            await pilot.press(ch)
        await settle(pilot, 0.8)
        listed = str(app.screen.query_one("CommandList").get_option_at_index(0).prompt)
        assert nothing in listed
        assert "No matches found" not in listed


def test_durations_are_in_the_ui_language():
    t = {lang: Translator(lang) for lang in LANGS}
    assert [minutes(180, t[lang]) for lang in LANGS] == ["3m", "3分钟", "3 min"]
    assert [minutes(3900, t[lang]) for lang in LANGS] == ["1h05", "1小时05分", "1 h 05"]


async def test_the_arrivals_board_says_how_long_in_chinese(make_app, booth_db):
    booth.check_in(booth_db, CONFIG, cid(booth_db, "C1"), now=NOW - timedelta(minutes=3))
    app = make_app(lang="zh")
    async with app.run_test(size=SMALL) as pilot:
        board = await press_for(pilot, "f4", ArrivalsScreen)
        table = board.query_one("#arrivals-table")
        waited = table.get_row_at(0)[table.get_column_index("waited")]
        assert str(waited) == "3分钟"
        status = table.get_row_at(0)[table.get_column_index("status")]
        # on 80 columns the waiting status and the wait are both in view, no sideways scroll
        right = sum(c.get_render_width(table) for c in list(table.columns.values())[:5])
        assert str(status) == "等待中" and right <= table.size.width


async def test_spanish_rating_labels_are_whole_at_140_columns(make_app):
    app = make_app(lang="es", role="staff", user_id="ana")
    async with app.run_test(size=(140, 45)) as pilot:
        form = await press_for(pilot, "f3", LeadFormScreen)
        for rid, label in (("cold", "Frío"), ("warm", "Tibio"), ("hot", "Caliente")):
            button = form.query_one(f"#rating-{rid}")
            shown = "".join(s.text for s in button.render_line(0)).strip()
            assert shown.endswith(label), shown


# ---------------------------------------------------------------------- tall CJK letters
def test_cjk_text_is_drawn_tall_with_the_shipped_font():
    assert bigtext.cjk_font_found()  # the noto-cjk-sans-otc package is a dependency
    lines = bigtext.render_cjk("请扫描", 16)
    assert lines is not None and 7 <= len(lines) <= 9  # 16 pixels, two per row
    assert max(map(len, lines)) <= 3 * 17
    assert set("".join(lines)) <= set(" ▀▄█")
    smaller = bigtext.render_cjk("请扫描", 12)
    assert smaller is not None and len(smaller) < len(lines)
    assert bigtext.render_cjk("请扫描", 16, max_width=20) is None  # too narrow: plain text
    assert bigtext.render_cjk("Иван Петров", 16) is None  # not in our CJK repertoire
    assert bigtext.render_cjk("Ana", 16) is None  # Latin: the three-row alphabet
    # a mixed name is drawn in Latin letters first ('KENJI WATANABE'), CJK only when alone
    assert bigtext.render_fitting("Kenji Watanabe (渡辺 健二)", 140) == bigtext.render(
        "Kenji Watanabe"
    )
    assert bigtext.render_fitting("渡辺 健二", 200) == bigtext.render_cjk("渡辺 健二", 16)
    narrow = bigtext.render_fitting("渡辺 健二", 60)  # a smaller size, the whole name
    assert narrow in (bigtext.render_cjk("渡辺 健二", 14), bigtext.render_cjk("渡辺 健二", 12))
    assert narrow is not None and max(map(len, narrow)) <= 60
    assert bigtext.render_fitting("渡辺 健二", 60, cjk_sizes=()) is None


def test_without_a_cjk_font_the_name_stays_plain(monkeypatch):
    monkeypatch.setattr(bigtext, "_font_file", lambda: None)
    bigtext._raster.cache_clear()
    try:
        assert bigtext.render_cjk("请扫描", 16) is None
        assert bigtext.render_fitting("王小明", 200) is None
    finally:
        bigtext._raster.cache_clear()


def test_a_prompt_too_wide_for_one_line_goes_on_two():
    lines = bigtext.render_wrapped("LISTO PARA ESCANEAR", 76)
    assert lines is not None and len(lines) == 2 * bigtext.HEIGHT + 1
    assert lines[: bigtext.HEIGHT] != bigtext.render("LISTO")  # not just the first word
    assert bigtext.render_wrapped("READY TO SCAN", 76) == bigtext.render("READY TO SCAN")


@pytest.mark.parametrize(("size", "rows"), [((80, 24), range(6, 8)), ((140, 45), range(7, 10))])
async def test_ready_to_scan_is_tall_in_chinese(make_app, size, rows):
    app = make_app(lang="zh")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        title = app.screen.query_one("#idle-title", BigName)
        assert title.text == "请扫描"
        assert title.content_region.height in rows
        assert "▀" in "".join(s.text for s in title.render_line(1))


async def test_a_chinese_visitor_name_is_tall_on_the_card(make_app, booth_db):
    booth_db.execute("UPDATE contacts SET name = '王小明' WHERE crm_id = 'C1'")
    app = make_app(lang="zh")
    async with app.run_test(size=(140, 45)) as pilot:
        scan(app, "B-100")
        await settle(pilot, 0.3)
        text = app.screen.query_one(CardText)
        _, rows = text.rows_of("visitor-name") or (0, 0)
        assert rows >= 7  # the drawing, and the name in full under it
        assert text.plain("visitor-name").split("\n")[-1].strip() == "王小明"
    # on a short terminal the visitor's name is one bold line: the call must stay in view


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Invitation refused: this show's invitation key did not sign it"),
        ("es", "no la firmó la clave de invitaciones de esta feria"),
        ("zh", "不是用本展会的邀请密钥签发的"),
    ],
)
async def test_a_refused_invitation_says_why_in_the_ui_language_without_accusing(
    make_app, booth_db, lang, said
):
    """The card faces the visitor, who most likely holds a real invitation signed on a
    kiosk with another key: it said "forged or altered invitation", in English."""
    from kiosk.tokens import make_token

    token = make_token(secret="another kiosk's key", show_id=CONFIG.show_id,
                       contact_id=cid(booth_db, "C1"), salesperson_id="luis", issued_at=NOW)  # fmt: skip
    app = make_app(lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        scan(app, token)
        await settle(pilot, 0.3)
        raw = " ".join(app.screen.query_one(CardText).plain("raw").split())
        assert said in raw and "forged" not in raw


# ---------------------------------------------------------------------- 80×24
def footer_keys(screen) -> list[FooterKey]:
    return list(screen.query(FooterKey))


def assert_footer_fits(screen, width: int = 80) -> None:
    keys = footer_keys(screen)
    assert keys
    for key in keys:
        assert key.region.right <= width, (key.description, key.region)
    plain = [k for k in keys if "-command-palette" not in k.classes]
    palette = [k for k in keys if "-command-palette" in k.classes]
    if plain and palette:  # nothing under the palette key: no key cut, no stray letter
        assert max(k.region.right for k in plain) <= palette[0].region.x


@pytest.mark.parametrize("lang", LANGS)
async def test_80x24_header_keeps_the_title_and_footers_fit(make_app, lang):
    app = make_app(lang=lang, role="staff", user_id="ana")
    t = Translator(lang)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for key, title in (
            (None, "title.scan"),
            ("f3", "title.lead"),
            ("f4", "title.arrivals"),
            ("f2", "title.search"),
        ):
            if key:
                await pilot.press("escape") if key != "f3" else None
                await pilot.press(key)
                await settle(pilot)
            header = app.screen.query_one("#hdr-title")
            shown = header.render().plain.strip()
            assert shown == t(title)
            assert header.region.width >= cell_len(shown)
            assert app.screen.query_one("#hdr-lang").region.right <= 80
            assert_footer_fits(app.screen)


@pytest.mark.parametrize("lang", LANGS)
async def test_80x24_login_list_shows_the_manager_and_the_key_hint(make_app, lang):
    app = make_app(lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        picker = await press_for(pilot, "f9", UserPickerModal)
        people = picker.query_one("#people")
        assert [people.get_option_at_index(i).id for i in range(2)] == ["reception", "wei"]
        assert people.region.bottom <= 24
        hint = picker.query_one(".dialog-hint")
        assert hint.region.height == 1 and hint.region.bottom <= 24
        assert hint.render().plain == Translator(lang)("user.hint")


async def test_80x24_manager_view_fits_its_footer(make_app):
    app = make_app(lang="es", role="manager", user_id="wei")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        assert_footer_fits(app.screen)
        table = app.screen.query_one("#mgr-people")
        keys = [str(k.value) for k in table.columns]
        # who, invited and came, own customers, walk-ins, leads, waiting, median: the brief's
        # key figures in short headers (tests/ui/test_manager_columns.py), no sideways scroll
        assert keys == ["person", "invited", "own", "walkins", "leads", "waiting", "median"]
