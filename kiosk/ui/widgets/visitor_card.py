"""The visitor card: who this is, whom to call (big), why, and a QR of the salesperson.

Built to be read from a metre away: a coloured status band (green known customer, blue
new visitor, amber needs a decision, red unreadable), the salesperson's name in
three-row letters on a solid block, the evidence in the UI language, and flag chips.
Every piece of visitor or CRM text goes in as a rich `Text`, never as markup, so a badge
that says ``[bold red]Evil[/]`` is shown exactly like that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import tzinfo
from functools import lru_cache
from typing import Any, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.styles import RenderStyles, RulesMap
from textual.css.stylesheet import Stylesheet
from textual.widget import Widget
from textual.widgets import Static

from kiosk.countries import country_name
from kiosk.models import Salesperson
from kiosk.tokens import ANOTHER_SHOW, FORGED, NOT_A_TOKEN
from kiosk.ui import explain
from kiosk.ui.i18n import Translator
from kiosk.ui.widgets.card_text import Block, CardText
from kiosk.ui.widgets.plain import KeptPart, OneLayout, Part, show_text
from kiosk.visits import STATUSES, Visit, visible

CHIP_STYLE = {
    "good": "bold #052e16 on #86efac",
    "info": "bold #0c1a3d on #93c5fd",
    "warn": "bold #3b2300 on #fcd34d",
    "bad": "bold #ffffff on #dc2626",
}
QR_STYLE = "#ffffff on #000000"
# The parts that kiosk.tcss styles by the card's status classes (`-known`, `-no-qr` …).
STATUS_STYLED = ("#band", "#card-text")


@lru_cache(maxsize=64)
def qr_for(sp: Salesperson, company: str = "") -> str:
    """Half-block QR of the salesperson's vCard, with the exhibitor's name as its company
    (`[show] exhibitor`; cached: encoding costs ~10 ms)."""
    # measured start-up cost: kiosk.invites.qr (~33 ms), first needed here
    from kiosk.invites.qr import qr_text, vcard_for

    return qr_text(vcard_for(sp, company), border=1, ecc="L")


def country_label(code: str | None, lang: str) -> str:
    if not code:
        return ""

    return country_name(code, lang)


def action_hint(visit: Visit, t: Translator, *, role: str, card_screen: bool) -> Text:
    """The keys that do something for this visit now, e.g. 'F6 mark received · Esc next visitor'.

    Built from the visit's state, so a received visitor is not offered F6 again.
    """
    parts = []
    known = visit.contact.known and visit.decision is not None
    # a check-in the kiosk is still trying to write: nothing to record or receive yet
    waiting = visit.pending and visit.checkin_id is None
    if card_screen and known and visit.checkin_id is None and not waiting:
        parts.append(t("hint.f10"))
    if known and not visit.received_by and not waiting:
        parts.append(t("hint.f6"))
    if card_screen and known and role != "reception":
        parts.append(t("hint.f7"))
    parts.append(t("hint.esc_back" if card_screen else "hint.esc_next"))
    return Text(t("hint.sep").join(parts))


# Characters of one visitor field the card shows. A badge can carry up to 8 KB: a 5,000-
# character name filled the card, and whom to call fell below the screen.
FIELD_SHOWN = 80


def shortened(text: str, limit: int = FIELD_SHOWN) -> str:
    """`text` cut to `limit` characters, the cut marked with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def qr_in_room(lines: list[str], columns: int, rows: int) -> Text:
    """A QR's lines (white on black) centred in `columns`, padded to `rows` with blank lines
    in the card's colours ('': nothing to show yet)."""
    out = Text(no_wrap=True, end="")
    for row in range(rows):
        if row:
            out.append("\n")
        line = lines[row] if row < len(lines) else ""
        left = (columns - cell_len(line)) // 2
        out.append(" " * left)
        out.append(line, style=QR_STYLE)
        out.append(" " * (columns - cell_len(line) - left))
    return out


def _room_with(room: tuple[int, int], lines: list[str]) -> tuple[int, int]:
    """The QR column's room (columns, rows), grown to hold a QR of these lines."""
    wide = max((cell_len(line) for line in lines), default=0)
    return max(room[0], wide), max(room[1], len(lines))


class _Look(NamedTuple):
    """What the stylesheet resolved a node's styles to in one look of the card: its rules
    and its component classes' styles (CardText's call block takes its colour there)."""

    rules: RulesMap
    components: dict[str, RenderStyles]


def _matched_on(node: Widget) -> tuple[object, ...]:
    """What kiosk.tcss's rules for the status-styled parts can match on, besides the card's
    ancestors (whose changes restyle the card itself): the node's classes and its
    pseudo-classes."""
    return (node.classes, node.mouse_hover, node.has_focus, node.is_disabled)


def _resolved(node: Widget) -> _Look:
    # `_component_styles` is where Textual keeps a node's component classes' styles (8.x):
    # read here once per look, put back by `_put_back`; the screenshot tests in
    # tests/ui/test_visitor_card_styles.py compare the result with a full restyle.
    return _Look(node.styles.base.get_rules(), dict(node._component_styles))


def _put_back(node: Widget, look: _Look) -> None:
    """Give `node` the styles of a look seen before, as Textual's restyle would have."""
    changed = node._component_styles != look.components
    node._component_styles = dict(look.components)
    Stylesheet.replace_rules(node, look.rules)  # (calls notify_style_update; a rule that
    if changed:  # changes refreshes the node, as Textual's restyle does)
        node.refresh()


class Row(OneLayout, Horizontal):
    """The card's columns side by side, laid out once per change of size (`OneLayout`)."""


class Column(OneLayout, Vertical):
    """A column of card parts, laid out once per change of size (`OneLayout`)."""


class VisitorCard(Vertical):
    """Shows one `Visit`; `show()` replaces everything at once (no flicker between visitors)."""

    def compose(self) -> ComposeResult:
        yield Part(id="band")
        with Row(id="card-body"):
            with Column(id="card-main"):
                # one widget: a card of another shape is a repaint, not a layout
                yield CardText(id="card-text")
            with Column(id="card-qr"):
                yield KeptPart(id="qr")
                yield KeptPart(id="qr-caption")

    _pending: tuple[Visit, dict] | None = None
    _ready = False  # every part is mounted (the card's Mount comes after its parts')

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._looks = {}

    def on_mount(self) -> None:
        # A scan can arrive before the card has composed its parts (right at start-up, when
        # the scan screen mounts the card: `ScanScreen.mount_hidden`). Its parts mount a
        # level at a time: the band and the row can be there while the text is not yet.
        self._ready = True
        if self._pending is not None:
            visit, options = self._pending
            self._pending = None
            self.show(visit, **options)

    _people: Mapping[str, Salesperson] = {}
    _short = False
    _named = False  # the visitor has a name (not the '(no name)' placeholder)

    def on_resize(self) -> None:
        # The QR needs ~50 columns and ~26 rows; on a small terminal the call block wins.
        self.set_class(self.size.width < 120 or self.size.height < 34, "-narrow")
        # On a short terminal (a 13" laptop, a split screen) the visitor's name in big
        # letters would push the evidence and the flags off the card: only the call is big.
        short = self.size.height < 36
        if short != self._short:
            self._short = short
            self.set_class(short, "-short")
            if self._ready:  # (else the card shown once it is uses `_short`)
                text = self.query_one(CardText)
                text.show(self._short_blocks(text.blocks), short=short)

    def show(
        self,
        visit: Visit,
        *,
        t: Translator,
        people: Mapping[str, Salesperson],
        zone: tzinfo,
        role: str,
        hint: Text | None = None,
        arrangement: str = "",
        company: str = "",
    ) -> None:
        """`arrangement`: the manager's standing decision on this customer, in words;
        `company`: the exhibitor, on the salesperson's vCard QR."""
        if not self._ready:
            self._pending = (visit, dict(t=t, people=people, zone=zone, role=role, hint=hint,
                                         arrangement=arrangement, company=company))  # fmt: skip
            return
        self._company = company
        # Reception's screen faces the aisle: whom to call, not the house's commercial
        # matters (splits, lapses, the manager's decisions; `explain.why_lines`).
        public = role == "reception"
        status = visit.status
        classes = {f"-{s}": s == status for s in STATUSES}
        classes["-no-qr"] = visit.owner is None or status in ("unreadable", "refused", "choose")
        self._set_status_classes(classes)
        c = visit.contact
        q = self.query_one
        self._people = people
        self._named = bool(c.name)
        show_text(q("#band", Static), self._band(visit, t, zone))
        blocks: list[Block] = []
        if status not in ("unreadable", "refused") or c.name:
            name = shortened(c.name) or t("card.no_name")
            blocks.append(Block("visitor-name", "name", name, big=self._named and not self._short))
        org = Text(shortened(c.company), style="bold")
        if c.title:
            org.append((" · " if c.company else "") + shortened(c.title))
        if not c.name.strip():  # an email or an id is all reception has to go on: show it
            ids = " · ".join(shortened(x) for x in (c.email, c.phone, c.badge_id) if x)
            org.append(("\n" if org.plain else "") + ids)
        if org.plain:
            blocks.append(Block("visitor-org", "text", org))
        where = " · ".join(x for x in (country_label(c.country, t.lang), shortened(c.city)) if x)
        if where:
            blocks.append(Block("visitor-where", "text", Text(where), "card-text--muted"))
        call = self._call(visit, t, people)
        if call is not None:
            blocks.append(call)
        why = Text()
        if visit.decision is not None and status not in ("unreadable", "refused"):
            why.append(explain.rule_title(visit.decision.rule, t), style="bold")
            for line in explain.why_lines(visit.decision, c, people, t, public=public):
                why.append("\n• ")
                why.append(line)
        if why.plain:
            blocks.append(Block("why", "text", why))
        chips = Text()
        if visit.decision is not None and status != "unreadable":
            for chip in explain.chips(visit.decision, people, t, visit.invited_by, public=public):
                chips.append(f" {chip.text} ", style=CHIP_STYLE[chip.css])
                chips.append("  ")
        if chips.plain:
            blocks.append(Block("chips", "text", chips))
        if arrangement and status not in ("unreadable", "refused") and not public:
            shown = Text(t("card.arrangement", what=arrangement), style="bold")
            blocks.append(Block("arrangement", "text", shown))
        raw = Text()
        if status in ("unreadable", "refused"):
            if visit.refused:
                raw.append(t("card.refused_why", why=_refusal(t, visit.refused)) + "\n",
                           style="bold")  # fmt: skip
            elif visit.unlike is not None:
                raw.append(t("card.unlike", example=visit.unlike) + "\n", style="bold")
            raw.append(t("card.raw_label") + "\n", style="dim")
            raw.append(visible(visit.payload) or "∅")
            blocks.append(Block("raw", "raw", raw))
        blocks.append(Block("hint", "text", hint or Text(), "card-text--muted"))
        q(CardText).show(blocks, short=self._short)
        self._show_qr(visit, t)

    def _short_blocks(self, blocks: tuple[Block, ...]) -> list[Block]:
        """`blocks` with the visitor's name big or not as the terminal's height allows."""
        big = self._named and not self._short
        return [b._replace(big=big) if b.kind == "name" else b for b in blocks]

    def _set_status_classes(self, classes: Mapping[str, bool]) -> None:
        """The status classes, restyling only the parts they style (`STATUS_STYLED`), and
        each look once.

        Textual restyles a node and every widget inside it when its classes change: the
        card's twenty parts, ~8 ms of the scan path's main thread at every change of status
        (profiled at 20,000 contacts). Only the card itself (its border) and the parts
        kiosk.tcss styles by these classes can change; a part whose background changes
        repaints its own children (`tests/ui/test_visitor_card_styles.py` checks the list
        against the stylesheet, and the colours on screen).

        Even those three cost ~2.7 ms of matching rules, and their repaint ~3 ms more, at
        every change of status — half the scans at a booth, whose statuses alternate
        (known, new, known …): a status-changing scan's card came 5 ms later (p95 18.5 ms
        against 13.6, 2026-12-04). So the styles each look resolved to are kept (`_looks`,
        keyed by what the stylesheet matches on these nodes) and put back as they were;
        the card's text keeps its drawings per look too (`CardText.next_look`). A restyle
        the card did not ask for (a theme, the terminal's size) drops what was kept."""
        before = self.classes
        self.update_classes(classes, update=False)
        if self.classes == before:
            return
        parts = [self, *(self.query_one(selector) for selector in STATUS_STYLED)]
        key = tuple(_matched_on(node) for node in parts)
        for node in parts:
            if isinstance(node, CardText):
                node.next_look(key)
        kept = self._looks.get(key)
        self._restyling = True
        try:
            if kept is None:
                self.app.stylesheet.update_nodes(parts)
                self._looks[key] = [_resolved(node) for node in parts]
            else:
                for node, look in zip(parts, kept, strict=True):
                    _put_back(node, look)
        finally:
            self._restyling = False

    def notify_style_update(self) -> None:
        if not self._restyling:
            self._looks.clear()  # restyled from outside: a kept look may be stale
        super().notify_style_update()

    _restyling = False
    _looks: dict[tuple[object, ...], list[_Look]]
    _company = ""

    def _band(self, visit: Visit, t: Translator, zone: tzinfo) -> Text:
        band = Text(f" {t(f'status.{visit.status}')} ", style="bold")
        if visit.checked_in_at is not None:
            at = visit.checked_in_at.astimezone(zone).strftime("%H:%M")
            key = "card.checked_in_again" if visit.repeat else "card.checked_in"
            band.append("   ✓ " + t(key, time=at))
        elif visit.pending:
            band.append("   ⟳ " + t("card.pending"))
        elif visit.contact.known:
            band.append("   " + t("card.not_checked_in"))
        if visit.received_by:
            who = explain.name_of(self._people, visit.received_by)
            band.append("   " + t("card.received_by", who=who))
        return band

    def _call(self, visit: Visit, t: Translator, people: Mapping[str, Salesperson]) -> Block | None:
        """The salesperson to call, in big letters, with phone and languages (None: no call
        block on this card)."""
        sp = visit.owner
        if visit.decision is None or visit.status in ("unreadable", "refused"):
            return None
        if sp is None:
            label = Text(t("card.call_nobody"), style="bold")
            return Block("call", "call", (label, "", Text(t("card.call_nobody_hint"))))
        details = Text()
        details.append(sp.name, style="bold")
        if sp.phone:
            details.append("   ☎ " + sp.phone)
        if sp.languages:
            details.append("   " + t("card.speaks", langs=explain.languages(sp, t)))
        if sp.away:
            details.append("   " + t("card.away"), style="bold")
        return Block("call", "call", (Text(t("card.call"), style="bold"), sp.name, details))

    def _show_qr(self, visit: Visit, t: Translator) -> None:
        """The salesperson's QR and its caption; a card with none leaves the column blank.

        The column keeps the room of the biggest QR shown so far: a smaller one is centred
        in it, a card without one blanks it. So the text column beside it keeps its width,
        and the card is a repaint — hiding the column (a card without a QR after one with)
        or a QR of another size (another salesperson's vCard needing another QR version)
        laid out the whole screen, ~1 card in 4 in the benchmark's mix."""
        q = self.query_one
        sp = visit.owner
        shown = ("", "")
        if sp is not None and not self.has_class("-no-qr"):  # (set with the status classes)
            shown = (qr_for(sp, self._company), t("card.qr_caption", name=sp.name))
        if shown == self._qr_shown:
            return  # the same salesperson's QR: drawing its ~26 lines again cost ~2.5 ms a scan
        self._qr_shown = shown
        lines = shown[0].split("\n") if shown[0] else []
        self._qr_room = _room_with(self._qr_room, lines)
        show_text(q("#qr", Static), qr_in_room(lines, *self._qr_room))
        show_text(q("#qr-caption", Static), Text(shown[1]))

    def reserve_qr_room(self, qrs: Iterable[str]) -> None:
        """Take the room of the biggest of these QRs now (the app gives its salespeople's,
        drawn by its warm-up): the column's one growth is then a layout while nothing waits,
        not inside the scan of the first customer whose salesperson has the biggest QR —
        that frame laid out the screen, 13–25 ms of the slowest scans at a million contacts
        (2026-12-04). A QR shown already is centred again in the new room."""
        room = self._qr_room
        for qr in qrs:
            room = _room_with(room, qr.split("\n") if qr else [])
        if room == self._qr_room:
            return
        self._qr_room = room
        if self._ready:
            shown = self._qr_shown[0]
            show_text(
                self.query_one("#qr", Static), qr_in_room(shown.split("\n") if shown else [], *room)
            )

    _qr_room: tuple[int, int] = (0, 0)  # columns and rows of the biggest QR shown or reserved
    _qr_shown: tuple[str, str] = ("", "")


def _refusal(t: Translator, why: str) -> str:
    """Why an invitation was refused, in the UI language when it is one of the token
    checker's verdicts (`kiosk.tokens`); other reasons as the core words them."""
    if why.startswith(FORGED):  # with `own_key_hint`'s advice for staff, kept as it is
        return t("card.refused_key") + why[len(FORGED) :]
    if why == NOT_A_TOKEN:
        return t("card.refused_not_token")
    if why.startswith(ANOTHER_SHOW + " (") and why.endswith(")"):
        return t("card.refused_other_show", show=why[len(ANOTHER_SHOW) + 2 : -1])
    return why
