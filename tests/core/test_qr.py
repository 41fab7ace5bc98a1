"""QR codes (PNG and terminal text) and the salesperson's vCard: they must scan back exactly."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
import zxingcpp
from PIL import Image

from kiosk.badges import parse_badge
from kiosk.invites.qr import qr_image, qr_matrix, qr_png, qr_text, split_name, vcard_for
from kiosk.models import Salesperson

ANA = Salesperson(
    id="ana",
    name="Ana Ruiz",
    email="ana@lumen.example",
    phone="+34 911 234 567",
    title="Sales, Iberia",
)
WEI = Salesperson(
    id="wei", name="张伟", email="wei@lumen.example", phone="+8613800000006", title="销售经理"
)


def decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_matrix_is_square_with_finder_patterns_and_no_border():
    m = qr_matrix("KV1.abc.def")
    assert len(m) == 21 and all(len(row) == 21 for row in m)
    for top, left in ((0, 0), (0, 14), (14, 0)):  # the three 7×7 finder squares
        assert all(m[top][left + i] and m[top + 6][left + i] for i in range(7))
        assert all(m[top + i][left] and m[top + i][left + 6] for i in range(7))


@pytest.mark.parametrize(
    "data", ["KV1.dGVzdA.c2ln", "https://kiosk.invalid/i/KV1.x.y", vcard_for(WEI)]
)
def test_png_decodes_to_the_same_text(data):
    buf = io.BytesIO()
    width, height = qr_png(data, buf, scale=4, border=4)
    image = Image.open(io.BytesIO(buf.getvalue()))
    assert image.format == "PNG" and image.size == (width, height)
    assert decode(image) == [data]


def test_png_has_the_requested_quiet_zone():
    image = qr_image("x", scale=2, border=4).convert("L")
    assert image.size == ((21 + 8) * 2,) * 2
    assert all(image.getpixel((x, y)) == 255 for x in range(image.width) for y in range(8))
    assert image.getpixel((8, 8)) == 0  # the first finder module is dark


def text_to_image(text: str, scale: int = 4) -> Image.Image:
    """Rasterise half-block text as a terminal shows it: glyphs light, blanks dark."""
    lines = text.split("\n")
    halves = {"█": (1, 1), "▀": (1, 0), "▄": (0, 1), " ": (0, 0)}
    width, height = len(lines[0]), 2 * len(lines)
    small = Image.new("L", (width, height), 0)
    for y, line in enumerate(lines):
        for x, ch in enumerate(line):
            top, bottom = halves[ch]
            small.putpixel((x, 2 * y), 255 * top)
            small.putpixel((x, 2 * y + 1), 255 * bottom)
    return small.resize((width * scale, height * scale), Image.Resampling.NEAREST)


@pytest.mark.parametrize("data", ["KV1.dGVzdA.c2ln", vcard_for(ANA, "Lumen Lighting Co., Ltd.")])
def test_terminal_text_scans_when_shown_light_on_dark(data):
    text = qr_text(data)
    lines = text.split("\n")
    assert set(text) <= set("█▀▄ \n")
    assert len({len(line) for line in lines}) == 1
    assert lines[0] == lines[1] == "█" * len(lines[0])  # quiet zone: 4 light module rows
    assert all(line.startswith("████") and line.endswith("████") for line in lines)
    assert decode(text_to_image(text)) == [data]


def test_terminal_text_is_half_as_tall_as_wide():
    n = len(qr_matrix("KV1.dGVzdA.c2ln"))
    lines = qr_text("KV1.dGVzdA.c2ln", border=2).split("\n")
    assert len(lines[0]) == n + 4 and len(lines) == (n + 4 + 1) // 2


def test_vcard_is_3_0_with_crlf_and_escaped_text():
    sp = replace(ANA, phone="+34 911", title="Sales; Iberia\nand LATAM")
    card = vcard_for(sp, "Lumen, S.L.; Iluminación")
    assert card.endswith("\r\n") and "\n" not in card.replace("\r\n", "")
    lines = card.split("\r\n")[:-1]
    assert lines[:2] == ["BEGIN:VCARD", "VERSION:3.0"] and lines[-1] == "END:VCARD"
    assert "N:Ruiz;Ana;;;" in lines
    assert "FN:Ana Ruiz" in lines
    assert "ORG:Lumen\\, S.L.\\; Iluminación" in lines
    assert "TITLE:Sales\\; Iberia\\nand LATAM" in lines
    assert "TEL;TYPE=WORK,VOICE:+34 911" in lines
    assert "EMAIL;TYPE=INTERNET,WORK:ana@lumen.example" in lines


def test_vcard_leaves_out_empty_fields():
    card = vcard_for(Salesperson(id="b", name="Ben Carter"))
    assert [line.split(":")[0] for line in card.split("\r\n") if line] == [
        "BEGIN", "VERSION", "N", "FN", "END",
    ]  # fmt: skip


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    sp = Salesperson(id="w", name="王" * 40, email="w@x.example")
    card = vcard_for(sp, "明亮照明" * 12)
    for line in card.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")  # whole characters on each line
    unfolded = card.replace("\r\n ", "")
    assert "FN:" + "王" * 40 in unfolded.split("\r\n")


def test_badge_parser_reads_our_vcard_back():
    for sp, company in ((ANA, "Lumen Lighting; Co."), (WEI, "明亮照明有限公司")):
        badge = parse_badge(vcard_for(sp, company))
        assert badge.kind == "vcard"
        assert (badge.name, badge.email, badge.company) == (sp.name, sp.email, company)
        assert badge.phone.replace(" ", "") == sp.phone.replace(" ", "")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("王小明", ("王", "小明")),
        ("Ana María Ruiz", ("Ruiz", "Ana María")),
        ("Madonna", ("Madonna", "")),
        ("  ", ("", "")),
        ("Zhang Wei", ("Wei", "Zhang")),
        ("佐藤 健", ("佐藤", "健")),  # family name first, space or not
        ("김 민준", ("김", "민준")),
        # the other form after the name is not part of it (N read "健二);Kenji Watanabe (渡辺")
        ("Kenji Watanabe (渡辺 健二)", ("Watanabe", "Kenji")),
        ("Ludwig van der Berg", ("van der Berg", "Ludwig")),
        # forms of address and degrees are neither ('Dr. Hans Meier' exported "Dr. Hans")
        ("Dr. Hans Meier", ("Meier", "Hans")),
        ("Prof. Dr. Ana María Ruiz", ("Ruiz", "Ana María")),
        ("Jan Kowalski PhD", ("Kowalski", "Jan")),
        ("Jan Kowalski, MBA", ("Kowalski", "Jan")),
        ("Herr Müller", ("Müller", "")),
    ],
)
def test_split_name(name, expected):
    assert split_name(name) == expected


def test_crm_exports_split_names_the_same_way():
    """Before, the CRM exports made 佐藤 the first name and 健 the last."""
    from kiosk.sync.exports import split_name as first_last

    assert first_last("佐藤 健") == ("健", "佐藤")
    assert first_last("王小明") == ("小明", "王")
    assert first_last("Ana María Ruiz") == ("Ana María", "Ruiz")
    assert first_last("Madonna") == ("", "Madonna")
