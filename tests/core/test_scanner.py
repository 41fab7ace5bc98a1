"""The burst detector on synthetic timestamps: scanners vs people, and nothing lost."""

from __future__ import annotations

import random

import pytest

from kiosk.scanner import (
    BurstDetector,
    Early,
    Replay,
    Scan,
    Timing,
    Withdraw,
    key_kind,
    looks_complete,
)


def keys_for(text: str) -> list[tuple[str, str | None]]:
    """Text as (key, char) pairs the way Textual names them ('\\n' → enter, '\\t' → tab)."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append(("enter", "\r"))
        elif ch == "\t":
            out.append(("tab", "\t"))
        elif ch == " ":
            out.append(("space", " "))
        else:
            out.append((ch, ch))
    return out


class Run:
    """Feeds keys with timestamps and collects outputs, expiring like the UI timer would."""

    def __init__(self, gap_ms: int = 50) -> None:
        self.d: BurstDetector[int] = BurstDetector(Timing.from_gap_ms(gap_ms))
        self.out: list = []
        self.n = 0

    def type(self, text: str, start: float, interval: float | list[float]) -> float:
        t = start
        for i, (key, char) in enumerate(keys_for(text)):
            if i:
                t += interval[i - 1] if isinstance(interval, list) else interval
            self.tick(t)
            self.out += self.d.feed(self.n, key, char, t)
            self.n += 1
        return t

    def key(self, key: str, t: float) -> None:
        self.tick(t)
        self.out += self.d.feed(self.n, key, None, t)
        self.n += 1

    def tick(self, t: float) -> None:
        deadline = self.d.deadline()
        if deadline is not None and deadline <= t:
            self.out += self.d.expire(deadline)

    def settle(self, t: float = 1e6) -> None:
        self.tick(t)

    def scans(self) -> list[Scan]:
        return [o for o in self.out if isinstance(o, Scan)]

    def replayed(self) -> list[int]:
        return [i for o in self.out if isinstance(o, Replay) for i in o.items]

    def all_items(self) -> list[int]:
        return [i for o in self.out if isinstance(o, Replay | Scan) for i in o.items]

    def earlies(self) -> list[str]:
        return [o.payload for o in self.out if isinstance(o, Early)]

    def each_early_is_settled(self) -> None:
        """Every Early is followed, before any Replay, by a newer Early, by a Withdraw (more
        characters came after it) or by the Scan that settles it: the same payload (it was
        complete) or a longer one (more lines came)."""
        for i, o in enumerate(self.out):
            if isinstance(o, Early):
                later = next(x for x in self.out[i + 1 :] if not isinstance(x, Early))
                if isinstance(later, Withdraw):
                    continue
                assert isinstance(later, Scan) and later.payload.startswith(o.payload)


@pytest.mark.parametrize(
    ("typed", "interval", "payload", "terminator"),
    [
        ("B-100\n", 0.004, "B-100", "enter"),
        ("jose@luces.example\t", 0.006, "jose@luces.example", "tab"),
        # a plain multi-line payload (name, company, e-mail) stays one scan, not three
        (
            "Ana Ruiz\nLumen Ltd\nana@lumen.example\n",
            0.004,
            "Ana Ruiz\nLumen Ltd\nana@lumen.example",
            "enter",
        ),
    ],
)
def test_a_scanners_burst_is_one_scan(typed, interval, payload, terminator):
    r = Run()
    end = r.type(typed, 0.0, interval)
    r.settle()
    [scan] = r.scans()
    assert (scan.payload, scan.terminator, scan.ended) == (payload, terminator, end)
    assert r.replayed() == []


def test_scanner_burst_without_terminator_ends_after_the_gap():
    r = Run()
    end = r.type("B-300", 10.0, 0.003)
    assert r.out == []  # held back until the gap has passed
    assert r.d.deadline() == end + 0.050
    assert r.d.expire(end + 0.049) == []
    r.out += r.d.expire(end + 0.050)
    [scan] = r.scans()
    assert scan.payload == "B-300" and scan.terminator == "gap"


def test_a_terminator_queued_after_a_busy_app_closed_its_scan_is_swallowed():
    """The app closed the burst at its gap before the driver had queued the scanner's Enter
    (a slow frame): that Enter, stamped within the gap, must not reach the focused widget
    (a candidate list would check in whoever is highlighted)."""
    r = Run()
    end = r.type("B-300", 10.0, 0.003)
    r.out += r.d.expire(end + 0.080)  # the timer ran late; the Enter was not queued yet
    [scan] = r.scans()
    assert scan.payload == "B-300" and scan.terminator == "gap"
    assert r.d.feed(99, "enter", "\r", end + 0.004) == []  # stamped 4 ms after the last key
    assert r.d.feed(100, "enter", "\r", end + 0.006) == [Replay((100,))]  # only one is its
    # a person's Enter, later than the gap, and a Tab after a scan its Enter ended, go through
    end = r.type("B-301", 20.0, 0.003)
    r.out += r.d.expire(end + 0.050)
    assert r.d.feed(101, "enter", "\r", end + 0.051) == [Replay((101,))]
    end = r.type("B-302\n", 30.0, 0.003)
    r.out += r.d.expire(end + 1)
    assert r.d.feed(102, "tab", "\t", end + 0.004) == [Replay((102,))]
    # a character in between: the Enter after it is its own
    end = r.type("B-303", 40.0, 0.003)
    r.out += r.d.expire(end + 0.060)
    r.out += r.d.feed(103, "up", None, end + 0.002)
    assert r.d.feed(104, "enter", "\r", end + 0.004) == [Replay((104,))]


def test_multiline_vcard_arrives_as_one_scan_and_finishes_on_end():
    vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Yuki Tanaka\nORG:Tanaka Shoji\nEND:VCARD\n"
    r = Run()
    end = r.type(vcard, 0.0, 0.005)
    # complete at END:VCARD + Enter: no settle wait
    [scan] = r.scans()
    assert scan.payload == vcard.rstrip("\n")
    assert scan.ended == end
    assert r.d.deadline() is None


def test_vcard_waits_for_more_lines_even_after_a_pause_shorter_than_the_gap():
    r = Run()
    t = r.type("BEGIN:VCARD\nFN:Ana\n", 0.0, 0.004)
    r.type("EMAIL:a@b.example\nEND:VCARD\n", t + 0.045, 0.004)
    [scan] = r.scans()
    assert "FN:Ana" in scan.payload and scan.payload.endswith("END:VCARD")


def test_slow_typing_is_replayed_key_by_key_and_never_a_scan():
    r = Run()
    r.type("japan\n", 0.0, 0.180)
    r.settle()
    assert r.scans() == []
    assert r.replayed() == list(range(6))


def test_fast_typist_around_80ms_is_not_a_scan():
    rng = random.Random(7)
    r = Run()
    gaps = [max(0.025, rng.gauss(0.080, 0.020)) for _ in range(400)]
    r.type("the quick brown fox jumps over the lazy dog " * 5, 0.0, gaps)
    r.settle()
    assert r.scans() == []
    assert r.replayed() == list(range(r.n))


def test_two_quick_keys_from_a_person_are_held_then_replayed_in_order():
    r = Run()
    r.type("ab", 0.0, 0.020)
    assert r.out == []
    r.settle()
    assert r.out == [Replay((0, 1))]


def test_burst_followed_by_typing():
    r = Run()
    t = r.type("B-200\n", 0.0, 0.004)
    r.type("tanaka", t + 0.5, 0.150)
    r.settle()
    [scan] = r.scans()
    assert scan.payload == "B-200"
    assert r.replayed() == list(range(6, 12))


def test_typing_followed_by_a_burst():
    r = Run()
    t = r.type("ab", 0.0, 0.200)
    r.type("B-100\n", t + 0.3, 0.003)
    r.settle()
    assert [s.payload for s in r.scans()] == ["B-100"]
    assert r.replayed() == [0, 1]


def test_other_key_interrupts_a_scan_and_is_replayed_after_it():
    r = Run()
    r.type("B-100", 0.0, 0.003)
    r.key("f2", 0.015)
    assert [type(o).__name__ for o in r.out] == ["Scan", "Replay"]
    assert r.out[0].terminator == "interrupted"
    assert r.out[1].items == (5,)


def test_enter_alone_and_function_keys_pass_straight_through():
    r = Run()
    r.key("enter", 0.0)
    r.key("f12", 0.001)
    assert r.out == [Replay((0,)), Replay((1,))]


def test_a_late_key_closes_the_previous_burst_even_without_a_timer():
    r = Run()
    r.d.feed(0, "B", "B", 0.0)
    r.d.feed(1, "-", "-", 0.003)
    r.d.feed(2, "1", "1", 0.006)
    r.d.feed(3, "0", "0", 0.009)
    out = r.d.feed(4, "x", "x", 1.0)  # no expire() call in between
    assert out and isinstance(out[0], Scan) and out[0].payload == "B-10"
    assert r.d.pending


def test_no_key_is_ever_lost_or_reordered():
    rng = random.Random(42)
    r = Run()
    t = 0.0
    for _ in range(300):
        if rng.random() < 0.3:
            t = r.type(f"B-{rng.randint(1, 9999)}\n", t + rng.uniform(0.06, 1), 0.004)
        elif rng.random() < 0.2:
            r.key(rng.choice(["up", "down", "f2", "escape"]), t + rng.uniform(0.0, 0.3))
            t += 0.3
        else:
            t = r.type(rng.choice("abcdefgh "), t + rng.uniform(0.01, 0.4), 0.1)
    r.settle()
    assert r.all_items() == list(range(r.n))
    assert len(r.earlies()) == len(r.scans()) > 50  # every badge was offered early
    r.each_early_is_settled()


def test_a_single_line_badge_is_offered_at_its_enter_and_confirmed_by_its_scan():
    r = Run()
    end = r.type("B-100\n", 0.0, 0.004)
    [early] = r.out  # at the Enter, before the settle wait
    assert early == Early("B-100", 0.0, end)
    assert r.d.pending and r.scans() == []
    r.settle()
    [scan] = r.scans()
    assert scan.payload == early.payload and scan.ended == early.ended


def test_more_lines_after_an_early_enter_make_one_longer_scan():
    """A text badge whose first line is an e-mail: offered early at each Enter, and the
    scan that ends the burst is the whole badge, which withdraws those offers."""
    r = Run()
    r.type("ana@lumen.example\nAna Ruiz\nLumen Ltd\n", 0.0, 0.004)
    r.settle()
    assert r.earlies() == ["ana@lumen.example", "ana@lumen.example\nAna Ruiz",
                           "ana@lumen.example\nAna Ruiz\nLumen Ltd"]  # fmt: skip
    [scan] = r.scans()
    assert scan.payload == "ana@lumen.example\nAna Ruiz\nLumen Ltd"
    r.each_early_is_settled()


def test_a_character_after_an_early_enter_withdraws_it_at_once():
    """The line offered at its Enter (or Tab) was not the whole badge as soon as another
    character comes: the offer is withdrawn then, not when the burst ends."""
    r = Run()
    r.type("ana@lumen.example\tAna", 0.0, 0.004)
    assert [type(o) for o in r.out] == [Early, Withdraw]  # the Withdraw at the "A"
    assert r.earlies() == ["ana@lumen.example"]
    assert r.d.pending  # the burst goes on
    r.type("\n", 0.084, 0.004)
    r.settle()
    assert [type(o) for o in r.out] == [Early, Withdraw, Early, Scan]
    assert r.scans()[0].payload == "ana@lumen.example\tAna"
    r.each_early_is_settled()


def test_a_payload_that_says_it_is_complete_or_not_is_never_offered_early():
    r = Run()
    r.type("BEGIN:VCARD\nFN:Yuki Tanaka\nEND:VCARD\n", 0.0, 0.004)
    r.type("MECARD:N:Ruiz,Ana;;\n", 1.0, 0.004)
    r.settle()
    assert r.earlies() == [] and len(r.scans()) == 2


def test_a_key_that_interrupts_after_an_early_enter_confirms_it():
    r = Run()
    end = r.type("B-100\n", 0.0, 0.004)
    r.key("f2", end + 0.002)
    assert [type(o) for o in r.out] == [Early, Scan, Replay]
    assert r.out[1].payload == "B-100" and r.out[1].terminator == "interrupted"


def test_a_held_down_key_is_typing_not_a_scan():
    r = Run()
    r.type("aaaaaaaaaaaa", 0.0, 0.025)  # auto-repeat at 40 keys a second
    r.settle()
    assert r.scans() == [] and r.replayed() == list(range(12))


def test_helpers():
    assert key_kind("enter", "\r") == "enter"
    assert key_kind("tab", "\t") == "tab"
    assert key_kind("a", "a") == "char"
    assert key_kind("王", "王") == "char"
    assert key_kind("f2", None) == "other"
    assert looks_complete("BEGIN:VCARD\nFN:x") is False
    assert looks_complete("BEGIN:VCARD\nEND:VCARD") is True
    assert looks_complete('{"name": "x"}') is True
    assert looks_complete("MECARD:N:x;;") is True
    assert looks_complete("B-100") is None


TOKEN = "KV1.eyJzIjoic2hvdyJ9.c2lnbmF0dXJlX18"


@pytest.mark.parametrize("line", [TOKEN, f"https://expo.example/i/{TOKEN}"])
def test_an_invitation_token_is_a_whole_badge_at_its_enter(line):
    """The kiosk's own invitation QR is one line, never the first of several: its scan ends
    at its Enter, with no settle wait for a further line and no early offer."""
    r = Run()
    end = r.type(line + "\n", 0.0, 0.001)
    [scan] = r.out
    assert isinstance(scan, Scan)
    assert (scan.payload, scan.terminator, scan.ended) == (line, "enter", end)
    assert r.d.deadline() is None and not r.d.pending


def test_a_damaged_token_or_an_id_or_email_line_still_waits_for_more_lines():
    """Only the token's exact shape is whole: 'KV1.' cut short, a badge id and an e-mail
    address may each be the first line of a plain-text badge, so they are offered early and
    the burst waits its settle time."""
    for line in ("KV1.eyJzIjoic2hvdyJ9", "B00000003", "ana@lumen.example"):
        r = Run()
        end = r.type(line + "\n", 0.0, 0.001)
        assert r.out == [Early(line, 0.0, end)]
        assert r.d.deadline() is not None and r.d.deadline() > end
        r.settle()
        assert [s.payload for s in r.scans()] == [line]


def test_looks_complete_knows_the_invitation_token():
    assert looks_complete(TOKEN) is True
    assert looks_complete(f"http://expo.example/i/{TOKEN}/") is True
    assert looks_complete("KV1.eyJzIjoic2hvdyJ9") is None  # cut short: cannot tell
    assert looks_complete(f"{TOKEN}\nAna Ruiz") is None  # more than the token: not ours
