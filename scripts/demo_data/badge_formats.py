"""Writers for the payload formats badge scanners deliver, as printed on real show badges."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .show import BADGE_FIELDS


def delimited(values: dict[str, str], sep: str, fields: Sequence[str] = BADGE_FIELDS) -> str:
    """A vendor layout: the show's fields in order, joined by '^', '|', a tab or ';'."""
    return sep.join(values.get(f, "") for f in fields)


def _vcard(version: str, v: dict[str, str], properties: Sequence[str]) -> str:
    """A vCard of this version: the properties, then the badge id when the badge has one."""
    lines = ["BEGIN:VCARD", f"VERSION:{version}", *properties]
    if v.get("badge_id"):
        lines.append(f"X-BADGE-ID:{v['badge_id']}")
    return "\n".join([*lines, "END:VCARD"])


def vcard3(v: dict[str, str], given: str, family: str) -> str:
    """vCard 3.0, as most badge apps and phones write it."""
    properties = [
        f"N:{family};{given};;;",
        f"FN:{v['name']}",
        f"ORG:{v['company']}",
        f"TITLE:{v['title']}",
        f"TEL;TYPE=WORK,VOICE:{v['phone']}",
        f"EMAIL;TYPE=INTERNET:{v['email']}",
        f"ADR;TYPE=WORK:;;;{v['city']};;;{v['country_name']}",
    ]
    return _vcard("3.0", v, properties)


def _qp(text: str) -> str:
    """Quoted-printable of UTF-8 text: every byte outside printable ASCII (and '=') as =XX."""
    out = []
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        out.append(ch if 33 <= byte <= 126 and ch not in "=;" else f"={byte:02X}")
    return "".join(out)


def _soft_wrap(line: str, width: int = 75) -> str:
    """Break a long quoted-printable line with soft breaks ('=' at the end of a line),
    never inside an =XX escape, as vCard 2.1 writers do."""
    parts = []
    while len(line) > width:
        cut = width - 1
        while line[cut - 2] == "=" or line[cut - 1] == "=":
            cut -= 1
        parts.append(line[:cut] + "=")
        line = line[cut:]
    parts.append(line)
    return "\n".join(parts)


def vcard21_qp(v: dict[str, str], given: str, family: str) -> str:
    """vCard 2.1 with CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE, as older phones export it."""
    enc = ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
    properties = [
        f"N{enc}{_qp(family)};{_qp(given)};;;",
        f"FN{enc}{_qp(v['name'])}",
        _soft_wrap(f"ORG{enc}{_qp(v['company'])}"),
        _soft_wrap(f"TITLE{enc}{_qp(v['title'])}"),
        f"TEL;WORK;VOICE:{v['phone']}",
        f"EMAIL;INTERNET:{v['email']}",
    ]
    return _vcard("2.1", v, properties)


def _me_escape(text: str) -> str:
    for ch in "\\;:,":
        text = text.replace(ch, "\\" + ch)
    return text


def mecard(v: dict[str, str], given: str, family: str) -> str:
    """MECARD (the QR business-card format): 'N:family,given' and escaped ';', ':', ','."""
    fields = [
        f"N:{_me_escape(family)},{_me_escape(given)}",
        f"ORG:{_me_escape(v['company'])}",
        f"TEL:{v['phone']}",
        f"EMAIL:{_me_escape(v['email'])}",
        f"ADR:{_me_escape(v['city'] + ', ' + v['country_name'])}",
    ]
    return "MECARD:" + ";".join(fields) + ";;"


def bizcard(v: dict[str, str], given: str, family: str) -> str:
    """BIZCARD: N first name, X last name, T title, C company, A address, B phone, E e-mail."""
    fields = [f"N:{given}", f"X:{family}", f"T:{v['title']}", f"C:{v['company']}",
              f"A:{v['city']}", f"B:{v['phone']}", f"E:{v['email']}"]  # fmt: skip
    return "BIZCARD:" + ";".join(fields) + ";;"


def json_badge(v: dict[str, str], given: str, family: str) -> str:
    """The JSON some registration apps put in their QR codes."""
    data = {
        "badgeId": v.get("badge_id", ""),
        "firstName": given,
        "lastName": family,
        "company": v["company"],
        "jobTitle": v["title"],
        "email": v["email"],
        "country": v["country"],
    }
    return json.dumps(data, ensure_ascii=False)
