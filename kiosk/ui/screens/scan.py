"""The reception screen: "ready to scan", then the visitor card, then ready again.

It is the bottom of the screen stack and where every scan lands (the app pops back here).
Idle, it shows only the prompt and today's counts — never other visitors' names, because
the screen faces the aisle. A card clears itself after `card_timeout` seconds (the show's
`[kiosk] card_seconds`) for the same reason. A line warns when the show's dates have passed
or not begun (a kiosk left on last year's show file); keys a person types here, which go
nowhere, get a hint on how to search instead.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.geometry import Region
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kiosk.ui import bigtext
from kiosk.ui.fmt import show_dates_warning, total_text
from kiosk.ui.messages import CandidatePicked
from kiosk.ui.screens.base import VisitScreen
from kiosk.ui.timers import Later, call_after
from kiosk.ui.widgets.big_name import BigName
from kiosk.ui.widgets.evidence import arrangement_of
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.tr import Tr
from kiosk.ui.widgets.visitor_card import VisitorCard, action_hint, country_label
from kiosk.visits import Candidate, Visit


class ScanScreen(VisitScreen):
    TITLE_KEY = "title.scan"
    BINDINGS = [
        Binding("escape", "clear", "key.clear", id="clear"),
        Binding("f6", "receive", "key.receive", id="receive"),
        Binding("f7", "notes", "key.notes", id="notes"),
        Binding("f10", "check_in", "key.check_in", id="check_in"),
    ]

    def __init__(self) -> None:
        super().__init__(id="scan")
        self.visit = None
        self._clear_timer: Later | None = None
        self._hinted = False  # the typing hint is showing (once per burst of typing)
        self._lists = 0  # candidate lists shown so far (their options' ids)
        self._choices: dict[str, Candidate] = {}  # the list on screen: option id → candidate
        self._hidden_mounted = False  # the candidate list and the card (`mount_hidden`)

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        with Vertical(id="idle"):  # each line centres its own text: no Center each (kiosk.tcss)
            yield Static(id="idle-mark", markup=False)
            with Center():  # the title's block is centred, with its background
                yield BigName(id="idle-title", wrap=True)
            yield Tr("scan.prompt", id="idle-prompt")
            yield Static(id="idle-today", markup=False)
            yield Static(id="idle-keys", markup=False)
            yield Static(id="idle-dates", markup=False)
        # the candidate list and the visitor card come after the first frame (`mount_hidden`)
        yield KioskFooter()

    def on_mount(self) -> None:
        self.relabel()

    def mount_hidden(self) -> None:
        """The candidate list and the visitor card, hidden until a scan needs them: mounted
        right after the first frame (the app's `_first_frame`), which then has eleven
        widgets fewer to style and lay out and no OptionList rules to parse (~17 ms of the
        cold start, measured), or by a visit shown before it. Both go where `compose` had
        them, before the footer; the list's parts are mounted at once, so `#candidates`
        is there when this returns (the card's parts come with its own compose: a visit
        shown before then is kept until they are, `VisitorCard.show`)."""
        if self._hidden_mounted or not self.is_attached:
            return  # (not attached: the app is quitting, e.g. Ctrl+Q before the first frame)
        self._hidden_mounted = True
        choose = Vertical(id="choose")
        card = VisitorCard(id="card")
        choose.display = card.display = False
        self.mount(choose, card, before=self.query_one(KioskFooter))
        choose.mount(Tr("scan.choose", id="choose-title"), OptionList(id="candidates"))

    # ------------------------------------------------------------------ showing
    def mark_frame(self) -> None:
        """Make sure a frame follows a scan (a repeat scan may change nothing on screen): one
        cell of the card's band is repainted when a card is up — a frame that carries the
        card, and no more work than that cell (the header repainted instead cost its five
        widgets' lines, ~0.7 ms of every card's frame, and is not what the visitor reads);
        else (a candidate list, or a card whose parts are not mounted yet) the header."""
        card = self.query_one("#card") if self._hidden_mounted else None
        band = card.query("#band") if card is not None and card.display else None
        if band:
            band.first().refresh(Region(0, 0, 1, 1))
        else:
            self.query_one(KioskHeader).refresh()

    def show_idle(self) -> None:
        self.visit = None
        self._stop_clear_timer()
        if self._hidden_mounted:
            self.query_one("#card").display = False
            self.query_one("#choose").display = False
        self.query_one("#idle").display = True
        self.relabel()
        self.refresh_keys()

    def show_visit(self, visit: Visit) -> None:
        """Draw a visit (card or candidate list). Called on the scan path: keep it fast."""
        self.visit = visit
        app = self.kiosk
        self.mount_hidden()  # (a visit before the first frame: see `mount_hidden`)
        if not self._hidden_mounted:
            return  # the app is quitting
        self.query_one("#idle").display = False
        if visit.status == "choose":
            self.query_one("#card").display = False
            self._show_candidates(visit)
        else:
            self.query_one("#choose").display = False
            card = self.query_one(VisitorCard)
            card.show(
                visit, t=app.t, people=app.services.people, zone=app.services.zone,
                role=app.role, hint=self._hint(visit), arrangement=arrangement_of(app, visit),
                company=app.services.config.exhibitor,
            )  # fmt: skip
            card.display = True
        self.refresh_keys()
        self._restart_clear_timer()

    def _show_candidates(self, visit: Visit) -> None:
        # Each list's options get ids of their own: a pick from a list no longer shown (Enter
        # on it, then a scan replaced it before the pick was handled) names no candidate.
        self._lists += 1
        self._choices = {f"{self._lists}-{i}": cand for i, cand in enumerate(visit.candidates)}
        options = []
        for option_id, cand in self._choices.items():
            c = cand.contact
            line = Text(c.name, style="bold")
            for part in (c.company, country_label(c.country, self.kiosk.lang)):
                if part:
                    line.append(" · " + part)
            owner = cand.owner.name if cand.owner else self.kiosk.t("card.nobody")
            line.append("   → " + owner, style="italic")
            options.append(Option(line, id=option_id))
        box = self.query_one("#candidates", OptionList)
        box.clear_options()
        box.add_options(options)
        # more match than the list holds: say so, as `kiosk lookup` does ("10 of 12")
        found = visit.found
        total = found.total if found is not None and found.total is not None else len(options)
        title = self.query_one("#choose-title", Tr)
        if total > len(options):
            more = found is not None and found.total_is_lower_bound
            title.relabel("scan.choose_some", shown=len(options), total=total_text(total, more))
        elif len(options) == 1:  # a near match ('li na' finding Ali Nasr): confirm, not choose
            title.relabel("scan.confirm")
        else:
            title.relabel("scan.choose")
        self.query_one("#choose").display = True
        box.highlighted = 0 if options else None
        box.focus()

    @on(OptionList.OptionSelected, "#candidates")
    def open_candidate(self, event: OptionList.OptionSelected) -> None:
        """A candidate picked from the list on screen; a pick that comes after a scan has
        replaced that list is dropped (it once stopped the app: an index past the new
        visit's candidates, seen at a million contacts under load)."""
        shown = self.visit is not None and self.visit.status == "choose"
        cand = self._choices.get(event.option_id or "") if shown else None
        if cand is None:
            return
        check_in = self.kiosk.services.config.checkin_on_scan
        self.post_message(CandidatePicked(cand.contact, check_in=check_in))

    def _hint(self, visit: Visit) -> Text:
        t, staff = self.kiosk.t, self.kiosk.role != "reception"
        status = visit.status
        if status in ("unreadable", "refused"):
            return Text(t("hint.by_hand_staff" if staff else "hint.by_hand_reception"))
        filed = visit.lead_id is not None  # its lead was just filed: no second one to offer
        if not filed and (status == "new" or (status == "decision" and not visit.contact.known)):
            return Text(t("hint.new_staff" if staff else "hint.new_reception"))
        return action_hint(visit, t, role=self.kiosk.role, card_screen=False)

    def _restart_clear_timer(self) -> None:
        self._stop_clear_timer()
        timeout = self.kiosk.card_timeout
        if timeout:
            self._clear_timer = call_after(self, timeout, self.show_idle, name="card-timeout")

    def _stop_clear_timer(self) -> None:
        if self._clear_timer is not None:
            self._clear_timer.stop()
            self._clear_timer = None

    def relabel(self) -> None:
        if self.visit is not None:
            self.show_visit(self.visit)
            return
        app = self.kiosk
        mark = Text("▌▌▐ ▌▐▐▌▌ ▐▌▐▐ ▌▐", style="bold")
        self.query_one("#idle-mark", Static).update(mark)
        self.query_one("#idle-title", BigName).set_name(app.t("scan.ready"))
        self.query_one("#idle-today", Static).update(Text(self._today_line()))
        keys = app.t("scan.keys_staff" if app.role != "reception" else "scan.keys_reception")
        self.query_one("#idle-keys", Static).update(Text(keys, style="dim"))
        dates = show_dates_warning(
            app.services.show_dates(), app.t, app.services.config.name, app.services.today()
        )
        self.query_one("#idle-dates", Static).update(Text(dates, style="bold #d97706"))
        self.query_one("#idle-dates").display = bool(dates)

    def on_resize(self, event: events.Resize) -> None:
        # tall CJK letters need eight rows at 16 pixels; a short terminal gets smaller ones
        height = event.size.height
        sizes = bigtext.CJK_SIZES if height >= 32 else (14, 12) if height >= 24 else (12,)
        self.query_one("#idle-title", BigName).set_cjk_sizes(sizes)

    def _today_line(self) -> str:
        try:
            stats = self.kiosk.services.today_counts()
        except Exception:  # noqa: BLE001 - counts are a nicety; never block the scan screen
            return ""
        return self.kiosk.t("scan.today", checked_in=stats[0], waiting=stats[1])

    def booth_changed(self) -> None:
        if self.visit is None:
            self.query_one("#idle-today", Static).update(Text(self._today_line()))

    def on_key(self, event: events.Key) -> None:
        """A person typing a name here (not a scanner: its keys never arrive one by one) types
        into nothing: say how to search instead of ignoring them."""
        if not event.is_printable or not event.character or event.character.isspace():
            return
        if self._hinted:
            return
        self._hinted = True
        call_after(self, 4.0, self._hint_done)
        staff = self.kiosk.role != "reception"
        self.kiosk.notify(self.kiosk.t("scan.typed_staff" if staff else "scan.typed_reception"))

    def _hint_done(self) -> None:
        self._hinted = False

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The card's keys keep their places from one visitor to the next: a key this card
        has no use for is shown dimmed (None) rather than left out (False). Textual's footer
        rebuilds every key widget when the set of keys changes — with F6 shown for a known
        visitor and gone for a walk-in, that was about every other scan, and the dead key
        widgets made the full garbage collections that froze a million-contact kiosk for a
        third of a second (measured, 2026-12-03); a key that only dims is redrawn in place
        (`KioskFooter`). On a narrow terminal (below `NARROW` columns) the footer has no room
        for dim keys: they are left out, as the app's rarer keys are, so F9 and F12 stay.
        F7 depends on who is logged in, not on the card: reception never reads notes."""
        v = self.visit
        known = v is not None and v.contact.known
        dim = False if self._narrow else None  # a key of no use on this card
        if action == "clear":
            return v is not None or dim
        if action == "receive":
            ok = v is not None and known and v.decision is not None and not v.received_by
            return ok or dim
        if action == "notes":
            return False if self.kiosk.role == "reception" else known or dim
        if action == "check_in":
            return (v is not None and known and v.checkin_id is None) or dim
        return True

    def action_clear(self) -> None:
        self.show_idle()
