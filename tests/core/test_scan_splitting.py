"""One burst, several badges: `separate_scans` splits a burst into its lines only when the
whole reads as nobody and every line alone identifies a person (two badges scanned back to
back, a scanner emptying its memory); a multi-line badge stays one scan."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from kiosk.badges import parse_badge
from kiosk.visits.model import identifies, separate_scans, unreadable

# Registration ids as shows print them: a prefix, a year or hall, a number.
badge_ids = st.from_regex(r"[A-Z]{1,5}[0-9]{0,2}-[0-9]{4,8}", fullmatch=True)
names = st.sampled_from(["José Martínez", "Ana Ruiz", "欧阳明华", "Lumen Ltd", "佐藤 健"])
emails = st.from_regex(r"[a-z]{2,8}\.[a-z]{2,8}@[a-z]{3,8}\.example", fullmatch=True)


@given(st.lists(badge_ids, min_size=2, max_size=6))
@example(["GLE26-0300115", "GLE26-0577760"])  # the exploratory tester's pair
def test_badge_ids_scanned_back_to_back_are_separate_scans_in_order(ids):
    assert separate_scans("\n".join(ids), parse_badge) == ids


@given(st.lists(badge_ids, min_size=2, max_size=4), st.sampled_from(["\n\n", "\n \n", "\n"]))
def test_blank_lines_and_a_trailing_enter_between_them_are_no_scan(ids, between):
    assert separate_scans(between.join(ids) + "\n", parse_badge) == ids


@given(badge_ids, names, emails)
@example("B-100", "José Martínez", "jose@luces.example")
def test_a_plain_text_badge_stays_one_scan(badge_id, name, email):
    """Its name line identifies nobody alone: the badge id is its first line, not a scan."""
    for payload in (f"{badge_id}\n{name}\n{email}", f"{email}\n{name}", f"{badge_id}\n{name}"):
        assert separate_scans(payload, parse_badge) == [payload]


@given(names, emails, badge_ids)
def test_vcards_and_mecards_stay_one_scan(name, email, badge_id):
    vcard = f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nEMAIL:{email}\nNOTE:{badge_id}\nEND:VCARD"
    mecard = f"MECARD:N:{name};\nEMAIL:{email};\nNOTE:{badge_id};;"
    for payload in (vcard, mecard):
        assert separate_scans(payload, parse_badge) == [payload]


@given(st.text(alphabet=st.sampled_from("AB12-@.x\n \t"), max_size=40))
def test_a_split_gives_each_line_and_only_when_the_whole_names_nobody(payload):
    parts = separate_scans(payload, parse_badge)
    if parts == [payload]:
        return
    assert unreadable(parse_badge(payload))
    assert all(identifies(parse_badge(part)) for part in parts)
    assert parts == [line.strip() for line in payload.split("\n") if line.strip()]


def test_one_line_is_never_read():
    """The single-line scan path does no reading here (a scan's card within one frame)."""

    def parse(_payload: str):
        raise AssertionError("read")

    assert separate_scans("GLE26-0300115", parse) == ["GLE26-0300115"]
