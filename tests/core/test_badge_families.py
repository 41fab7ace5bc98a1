"""parse_badge on every QR family a phone's scanner knows (issue 11), with their edge cases.

The behaviour follows the result parsers of zxing (core/src/main/java/com/google/zxing/client/
result/, Apache-2.0); the payloads and people here are our own.
"""

from __future__ import annotations

import pytest

from kiosk.badges import KINDS, parse_badge

# --- one payload, the fields it gives (and the warning it must raise) -----------------------

CASES = [
    pytest.param("MECARD:N:Tanaka,Yuki;UID:EXPO2026-000910;TEL:+81312345678;;",
                 dict(kind="mecard", payload_format="mecard", name="Yuki Tanaka",
                      badge_id="EXPO2026-000910", country="JP"), None, id="mecard-comma-given-uid"),
    pytest.param("MECARD:NOTE:met at B12;URL:https\\://luz.example;N:Joana Silva;EMAIL:joana@luz.example;;",
                 dict(name="Joana Silva", email="joana@luz.example", url="https://luz.example"),
                 None, id="mecard-any-order-escaped-url"),
    pytest.param("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Inès Moreau\r\n"
                 "TEL;VALUE=uri;TYPE=work:tel:+33-1-23-45-67-89;ext=7\r\n"
                 "EMAIL;VALUE=uri:mailto:ines@moreau.example\r\n"
                 "URL;VALUE=uri:https://moreau.example\r\nEND:VCARD",
                 dict(phone="+33-1-23-45-67-89 ext. 7", email="ines@moreau.example",
                      url="https://moreau.example", country="FR"), None, id="vcard-value-uri"),
    pytest.param("BEGIN:VCARD\r\nVERSION:3.0\r\nN:O\\;Brien;Pat\r\nORG:Smith\\, Sons \\\\ Co;Unit\r\nEND:VCARD",
                 dict(name="Pat O;Brien", company="Smith, Sons \\ Co"), None,
                 id="vcard-escapes-in-structured-values"),
    pytest.param("BIZCARD:N:Liam;X:O'Connor;T:Buyer;C:Emerald Lighting;A:12 Dock Rd,Dublin,Ireland;"
                 "B:+353 1 555 0123;E:liam@emerald.example;;",
                 dict(kind="bizcard", name="Liam O'Connor", title="Buyer", company="Emerald Lighting",
                      phone="+353 1 555 0123", email="liam@emerald.example", country="IE"),
                 None, id="bizcard"),
    pytest.param("MEMORY:met at GLE\r\nNAME1:Kenji Sato\r\nNAME2:サトウケンジ\r\nTEL1:+81-3-1234-5678\r\n"
                 "TEL2:090-1111-2222\r\nMAIL1:kenji@satolight.example\r\nADD:Osaka, Japan\r\n",
                 dict(kind="mecard", payload_format="kddi-au", name="Kenji Sato",
                      phone="+81-3-1234-5678", email="kenji@satolight.example", country="JP"),
                 None, id="kddi-au-address-book"),
    pytest.param("NAME2:ヤマダハナコ\r\nTEL1:090-1234-5678\r\nMEMORY:\r\n",
                 dict(payload_format="kddi-au", name="ヤマダハナコ", phone="090-1234-5678"),
                 "reading", id="kddi-au-reading-as-fallback-name"),
    pytest.param("TEL1:+12125550147\r\nMEMORY:\r\n",
                 dict(name="", phone="+12125550147", country="US"), "no name",
                 id="kddi-au-without-a-name"),
    pytest.param("MEBKM:URL:http\\://expo.example@evil.example/b/12345;;",
                 dict(kind="text", url="", badge_id=None), "evil.example",
                 id="bookmark-to-a-disguised-link"),
    pytest.param("mailto:?subject=hello", dict(kind="email", email=""), "",
                 id="mailto-without-an-address"),
    pytest.param("http://expo.example/badge?id=12345 extra words",
                 dict(kind="text", url="", badge_id=None), "space", id="link-with-a-space"),
    pytest.param("Ana Ruiz\nana@frutas.example\nhttp://frutas.example@evil.example/x",
                 dict(email="ana@frutas.example", url=""), "evil.example",
                 id="disguised-link-in-text"),
]  # fmt: skip


@pytest.mark.parametrize(("payload", "fields", "warning"), CASES)
def test_a_payload_gives_its_fields(payload: str, fields: dict, warning: str | None) -> None:
    """`warning`: a piece of text one warning must contain ('' for any warning at all)."""
    badge = parse_badge(payload)
    assert {name: getattr(badge, name) for name in fields} == fields
    if warning is not None:
        assert any(warning in w for w in badge.warnings), badge.warnings


# --- MECARD ---------------------------------------------------------------------------------


def test_mecard_padded_with_thousands_of_fields_is_still_read() -> None:
    badge = parse_badge("MECARD:N:Ruiz,Ana;" + "NOTE:x;" * 1000 + ";")
    assert badge.name == "Ana Ruiz"


# --- vCard ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "name", "display"),
    [
        ("Kowalski;Jan;Maria;Dr.;PhD", "Jan Maria Kowalski", "Dr. Jan Maria Kowalski PhD"),
        ("Dubois;Claire;;Mme;", "Claire Dubois", "Mme Claire Dubois"),
        ("Stevenson;John;Philip,Paul;Dr.;Jr.,M.D.", "John Philip Paul Stevenson",
         "Dr. John Philip Paul Stevenson Jr. M.D."),
        (";Rahul;;;", "Rahul", "Rahul"),
        ("王;小明;;;", "王小明", "王小明"),
    ],
)  # fmt: skip
def test_vcard_without_fn_displays_n_with_prefix_and_suffix(
    n: str, name: str, display: str
) -> None:
    badge = parse_badge(f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{n}\r\nEND:VCARD")
    assert (badge.name, badge.display_name) == (name, display)


def test_vcard_fn_is_the_display_name() -> None:
    badge = parse_badge("BEGIN:VCARD\nVERSION:3.0\nN:Kowalski;Jan;;Dr.;\nFN:Jan K.\nEND:VCARD")
    assert (badge.name, badge.display_name) == ("Jan K.", "Jan K.")


def test_vcard_21_quoted_printable_soft_break_and_folded_30_lines() -> None:
    qp = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 =\r\n"
        "P=C3=A9rez\r\nEND:VCARD"
    )
    assert parse_badge(qp).name == "José Pérez"
    folded = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alexandra Konstan\r\n tinidou\r\nORG:Fos\r\n  Hellas\r\nEND:VCARD"
    assert (parse_badge(folded).name, parse_badge(folded).company) == (
        "Alexandra Konstantinidou",
        "Fos Hellas",
    )


def test_vcard_folded_into_thousands_of_pieces() -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A" + "\r\n b" * 2000 + "\r\nEND:VCARD"
    assert parse_badge(card).name == "A" + "b" * 2000


def test_vcard_quoted_printable_folded_head() -> None:
    # The ENCODING parameter itself is folded onto the next line.
    card = "BEGIN:VCARD\nVERSION:2.1\nFN;ENCODING=QUOTED-\n PRINTABLE:Ana =\nRuiz\nEND:VCARD"
    assert parse_badge(card).name == "Ana Ruiz"


# --- BIZCARD --------------------------------------------------------------------------------


# --- KDDI / AU address book -----------------------------------------------------------------


# --- bookmarks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "url", "badge_id", "fmt"),
    [
        ("MEBKM:TITLE:Lanternwell;URL:lanternwell.example/badge/EXPO2026-000123;;",
         "lanternwell.example/badge/EXPO2026-000123", "EXPO2026-000123", "mebkm"),
        ("MEBKM:URL:https\\://expo.example/a?attendee=A-77123;TITLE:Expo;;",
         "https://expo.example/a?attendee=A-77123", "A-77123", "mebkm"),
        ("URLTO:Expo badge:reg.example/b?badge=99001", "reg.example/b?badge=99001", "99001",
         "urlto"),
        ("urlto::https://reg.example/x/GLE26-0012345", "https://reg.example/x/GLE26-0012345",
         "GLE26-0012345", "urlto"),
        ("URL:https://reg.example/v/CIFF26-A00318", "https://reg.example/v/CIFF26-A00318",
         "CIFF26-A00318", "url"),
    ],
)  # fmt: skip
def test_bookmarks_are_read_as_their_url(payload: str, url: str, badge_id: str, fmt: str) -> None:
    badge = parse_badge(payload)
    assert (badge.kind, badge.url, badge.badge_id, badge.payload_format) == (
        "url",
        url,
        badge_id,
        fmt,
    )


# --- e-mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "email", "fmt"),
    [
        ("MATMSG:TO:ana@frutas.example;SUB:Catalogue;BODY:Send it;;", "ana@frutas.example",
         "matmsg"),
        ("MATMSG:SUB:Hi;BODY:x;TO:li.wei@example.cn;;", "li.wei@example.cn", "matmsg"),
        ("mailto:kenji@satolight.example", "kenji@satolight.example", "mailto"),
        ("MAILTO:kenji@satolight.example?subject=Meeting&body=See you", "kenji@satolight.example",
         "mailto"),
        ("mailto:?to=ines@moreau.example&cc=boss@moreau.example", "ines@moreau.example",
         "mailto"),
        ("mailto:olga%2Eivanova@svet.example,boss@svet.example", "olga.ivanova@svet.example",
         "mailto"),
        ("smtp:jonas@nordlys.example:Hello:Body", "jonas@nordlys.example", "smtp"),
        ("jonas.berg@nordlys.example", "jonas.berg@nordlys.example", "email"),
        ('jonas.berg"nordlys.example', "jonas.berg@nordlys.example", "email"),
    ],
)  # fmt: skip
def test_email_codes(payload: str, email: str, fmt: str) -> None:
    badge = parse_badge(payload)
    assert (badge.kind, badge.email, badge.payload_format, badge.name) == ("email", email, fmt, "")


def test_text_with_at_signs_is_not_an_address() -> None:
    assert parse_badge("Let's meet @ 2").kind == "text"
    assert parse_badge("TO:ana@x.example;SUB:x;;").kind != "email"  # no MATMSG prefix


# --- tel / sms / geo ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "kind", "phone", "country"),
    [
        ("tel:+34612345678", "tel", "+34612345678", "ES"),
        ("TEL:+1-212-555-0147", "tel", "+1-212-555-0147", "US"),
        ("tel:030 1234567", "tel", "030 1234567", None),
        ("tel:+44-20-7946-0018;ext=12", "tel", "+44-20-7946-0018 ext. 12", "GB"),
        ("sms:+4915112345678?body=Hello", "sms", "+4915112345678", "DE"),
        ("SMSTO:+4915112345678:Call me: today", "sms", "+4915112345678", "DE"),
        ("mms:+33612345678;via=999333", "sms", "+33612345678", "FR"),
        ("MMSTO:+33612345678:What's up?", "sms", "+33612345678", "FR"),
        ("sms:+5215512345678,+5215587654321", "sms", "+5215512345678", "MX"),
    ],
)
def test_tel_and_sms(payload: str, kind: str, phone: str, country: str | None) -> None:
    badge = parse_badge(payload)
    assert (badge.kind, badge.phone, badge.country) == (kind, phone, country)


@pytest.mark.parametrize("payload", ["geo:35.6586,139.7454", "GEO:-33.8568,151.2153,50?q=Opera"])
def test_geo_is_a_place_not_a_person(payload: str) -> None:
    badge = parse_badge(payload)
    assert (badge.kind, badge.name, badge.phone, badge.badge_id) == ("geo", "", "", None)
    assert any("map location" in w for w in badge.warnings)


@pytest.mark.parametrize(
    "payload", ["tel", "telephone", "geo", "geography", "geo:95,200", "tel:abc"]
)
def test_words_and_bad_values_are_not_those_families(payload: str) -> None:
    assert parse_badge(payload).kind in ("text", "registration")


def test_the_new_kinds_are_declared() -> None:
    assert {"email", "tel", "sms", "geo"} <= set(KINDS)


# --- URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "badge_id"),
    [
        ("expo.example:443/checkin/EXPO2026-000481", "EXPO2026-000481"),
        ("reg.example.com/scan?attendee=GLE26-0012345", "GLE26-0012345"),
        ("lanternwell.example:8080", None),
        ("https://reg.expo.example/visitor?attendee=EXPO2026-000481", "EXPO2026-000481"),
        ("https://x.example/c?uid=U-99812", "U-99812"),
        ("https://x.example/c?badge=CIFF26-A00318&lang=zh", "CIFF26-A00318"),
        ("https://x.example/r?regid=GLE26-0012345", "GLE26-0012345"),
        ("https://x.example/r?id=55&attendee=9", "55"),
        ("https://x.example/attendees/view?event=GLE26&attendee=55512", "55512"),
        ("https://x.example/v/EXPO2026-000481?utm_source=badge", "EXPO2026-000481"),
        ("https://app.example/e/a/8f3c2d1e-77aa-4b1c-9d3e-0a1b2c3d4e5f",
         "8f3c2d1e-77aa-4b1c-9d3e-0a1b2c3d4e5f"),
        ("https://x.example/profile/index.html", None),
        ("https://x.example/people?attendee=Ana%20Ruiz", None),
        ("http://expo.example/people/ana@x", None),  # an @ in the path is fine
    ],
)  # fmt: skip
def test_ids_inside_urls(payload: str, badge_id: str | None) -> None:
    badge = parse_badge(payload)
    assert (badge.kind, badge.url, badge.badge_id) == ("url", payload, badge_id)


@pytest.mark.parametrize("payload", ["acme.example", "Sato.Kenji", "12756.501", "google.50"])
def test_a_bare_host_without_port_or_path_is_not_a_link(payload: str) -> None:
    # Typed into the search box, 'acme.example' is a company to look for, not a link.
    assert parse_badge(payload).kind != "url"


@pytest.mark.parametrize(
    "payload",
    [
        "http://lanternwell.example@evil.example/badge?id=555",
        "https://expo.example:@evil.example/i",
        "https://evil@expo.example:443/b/77123",
        "www.bank.example@evil.example/login",
    ],
)
def test_a_user_name_before_the_host_is_not_a_link(payload: str) -> None:
    badge = parse_badge(payload)
    assert (badge.kind, badge.url, badge.badge_id) == ("text", "", None)
    assert any("not used as a link" in w for w in badge.warnings)
