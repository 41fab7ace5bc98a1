"""Hostile input, as properties (issue 12 §6): whatever arrives, nothing unsafe comes out.

The badge parser, the merge validator and the CSV reader each have example tests and
properties of their own (`test_badges_properties`, `test_merge_validation`,
`test_csv_encodings`); these add the one promise they share: no control character or bidi
override survives into a field the kiosk shows, stores or writes, and nothing but the
module's own error is raised.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.badges import parse_badge
from kiosk.db import open_db
from kiosk.errors import KioskError
from kiosk.events.validate import BadEvent, check_row
from kiosk.sync.imports import import_csv
from tests.examples import examples

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NASTY = st.sampled_from(
    ["\x1b]0;pwned\x07", "\x1b[2J", "\u202e", "\u2066", "\x00", "\x9b", "\r", "\x7f", "\t", "\n"]
)
TEXT = st.lists(st.one_of(st.text(max_size=8), NASTY), max_size=6).map("".join)


@given(name=TEXT, company=TEXT, email=TEXT, wrap=st.sampled_from(["json", "vcard", "mecard", "^"]))
def test_no_badge_field_holds_a_control_character(name, company, email, wrap):
    """JSON escapes (\\u001b) used to decode into the name after the noise was stripped."""
    if wrap == "json":
        payload = json.dumps({"name": name, "company": company, "email": email})
    elif wrap == "vcard":
        payload = f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nORG:{company}\nEMAIL:{email}\nEND:VCARD"
    elif wrap == "mecard":
        payload = f"MECARD:N:{name};ORG:{company};EMAIL:{email};;"
    else:
        payload = f"GLE26-1234567^{name}^{company}^{email}^DE^CEO^+4930123"
    badge = parse_badge(payload)
    for value in (badge.name, badge.display_name, badge.company, badge.email, badge.phone,
                  badge.title, badge.city, badge.url, badge.badge_id or ""):  # fmt: skip
        assert not UNSAFE.search(value), (wrap, value)


JSONISH = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
CELL = st.one_of(JSONISH, st.binary(max_size=8))
KINDS = st.sampled_from(["checkin", "lead.created", "walkin.arrived", "pin.failed", "nope", ""])


@st.composite
def stored_rows(draw):
    payload = draw(st.one_of(
        TEXT,
        st.dictionaries(st.sampled_from(["contact_id", "contact", "subject", "raw", "notes",
                                         "name", "locked", "failures"]),
                        st.one_of(JSONISH, st.dictionaries(st.sampled_from(["name", "email"]), TEXT)),
                        max_size=5).map(json.dumps),
    ))  # fmt: skip
    ts = draw(st.one_of(st.just("2026-11-24T10:00:00+00:00"), TEXT))
    return (draw(TEXT), draw(TEXT), ts, draw(CELL), draw(CELL), draw(CELL), draw(KINDS), payload)


@given(row=stored_rows())
def test_the_merge_validator_only_ever_refuses_and_what_it_accepts_is_inert(row):
    try:
        stored, event = check_row(row)
    except BadEvent:
        return
    assert not UNSAFE.search(json.dumps(event.payload, ensure_ascii=False).replace("\\n", ""))
    assert stored[6] == event.kind


LINE = st.lists(st.one_of(st.text(max_size=10), NASTY, st.sampled_from([",", '"', "=1+1"])),
                max_size=6).map("".join)  # fmt: skip


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(lines=st.lists(LINE, max_size=6), encoding=st.sampled_from(["utf-8", "gb18030", "latin-1"]))
def test_a_csv_file_is_read_or_refused_and_stores_no_control_character(
    template_db, tmp_path, lines, encoding
):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    db_path = folder / "kiosk.db"
    shutil.copyfile(template_db, db_path)
    src = folder / "crm.csv"
    text = "crm_id,name,company,email\n" + "".join(
        f"P-{i},{line},Co,p{i}@x.example\n" for i, line in enumerate(lines)
    )
    src.write_bytes(text.encode(encoding, "replace"))
    db = open_db(db_path, create=False)
    try:
        report = import_csv(db, "contacts", src)
    except KioskError:
        return
    finally:
        names = db.execute("SELECT name, company FROM contacts WHERE crm_id LIKE 'P-%'").fetchall()
        db.conn.close()
    assert report.rejected >= 0  # read: (a quote may join lines into one row, which is kept)
    for name, company in names:
        assert not UNSAFE.search(name) and not UNSAFE.search(company)
