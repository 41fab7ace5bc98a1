"""What every kiosk screen shares: the header, the footer, relabelling, and the app's side
of the conversation with a screen; and what the dialogs share: Esc and the No button, the
title line, the yes/no buttons, and the list-of-people dialog (`PeopleModal`).

Attributes and methods down, messages up: the app tells a screen things by calling the
methods `KioskBase` declares (a scan it may use, the language, the session or the booth's
data changed) and reads its `visit`; a screen tells the app what happened by posting a
message from `kiosk.ui.messages` (a candidate picked, a lead saved, F10 pressed on a card),
handled in `KioskApp` with `@on`. Neither looks the other's methods up by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, OptionList, Static

from kiosk.text import fold
from kiosk.ui.context import kiosk_app
from kiosk.ui.db_errors import DatabaseGuard
from kiosk.ui.messages import CheckInPressed, NotesPressed, ReceivePressed
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.tr import Tr, translate_bindings
from kiosk.visits import Visit

if TYPE_CHECKING:
    from textual.binding import ActiveBinding

    from kiosk.hub.worker import HubStatus
    from kiosk.ui.app import KioskApp


class KioskBase(DatabaseGuard, Screen[Any]):
    """The common base of `KioskScreen` and `KioskModal`: everything the app may ask of one."""

    TITLE_KEY: ClassVar[str] = ""
    # False: keys typed here are never taken for a scanner's burst (the PIN on a number pad)
    CAPTURES_SCANS: ClassVar[bool] = True
    # The visit on screen, if any (F3 on a walk-in's card completes that visit into a lead)
    visit: Visit | None = None

    @property
    def kiosk(self) -> KioskApp:
        """The app, typed: read its session and services (attributes), never call its methods
        beyond Textual's own (`notify`, `push_screen`, `pop_screen`); post a message instead."""
        return kiosk_app(self)

    # what the footer last showed (see `refresh_bindings`)
    _bindings_shown: tuple[object, ...] | None = None

    def refresh_keys(self) -> None:
        """`refresh_bindings` for the scan path: Textual's footer recomposes every key widget
        whenever it hears of a change (~10 ms, measured, and a scan asked twice), so tell it
        only when what it shows — keys, labels, which are enabled, the width they fit in —
        differs from what it was last told here."""
        shown = self._bindings_signature()
        if shown is not None and shown == self._bindings_shown:
            return
        self.refresh_bindings()
        # a footer not yet listening (the app has no focus) must hear of the next one too
        self._bindings_shown = shown if self.app.app_focus else None

    def refresh_bindings(self) -> None:
        self._bindings_shown = None  # told by someone else: the next `refresh_keys` tells too
        super().refresh_bindings()

    def _bindings_signature(self) -> tuple[object, ...] | None:
        try:
            active = self.active_bindings
        except Exception:  # noqa: BLE001 - not mounted yet: always tell
            return None
        keys = tuple(
            (key, b.binding.action, b.binding.description, b.binding.show, b.enabled, b.tooltip)
            for key, b in active.items()
        )
        return (self.size.width, keys)

    def accept_scan(self, payload: str) -> bool:
        """A scan while this screen is on top: True when the screen used it itself (the lead
        form fills in from a badge); False lets the app show the visitor's card."""
        return False

    def booth_changed(self) -> None:
        """Data changed elsewhere (a check-in, a decision): reload what the screen shows."""

    def before_close(self) -> None:
        """The app is about to close this screen (the lock, another screen, quitting): keep
        what must not be lost (the lead form keeps its draft)."""

    def apply_language(self) -> None:
        """The UI language changed: relabel `Tr` widgets, the header and the footer keys."""
        t = self.kiosk.t
        translate_bindings(self, t)
        for tr in self.query(Tr):
            tr.relabel()
        for header in self.query(KioskHeader):
            header.refresh_header(t(self.TITLE_KEY) if self.TITLE_KEY else "")
        self.relabel()

    def relabel(self) -> None:
        """Screens update their own dynamic text (tables, placeholders) here."""

    def refresh_hub(self, status: HubStatus | None) -> None:
        """The hub's status changed (online, lag, waiting to push): the header shows it."""
        for header in self.query(KioskHeader):
            header.refresh_hub(status)

    def show_damage(self) -> None:
        """The database file is damaged (`KioskApp.damage`): full screens say so under their
        header for as long as the kiosk runs (a dialog leaves it to the screen beneath)."""

    def refresh_session(self) -> None:
        """The role or the user changed: the header and the footer follow."""
        t = self.kiosk.t
        for header in self.query(KioskHeader):
            header.refresh_header(t(self.TITLE_KEY) if self.TITLE_KEY else "")
        self.refresh_bindings()


NARROW = 120  # columns: below this the footer drops the app's rarer keys (they still work)
# App keys the footer leaves out, first to last, until the rest fits the terminal's width
FOOTER_DROP = ("my_disputes", "manager", "arrivals", "new_lead", "search", "user", "language")


class KioskScreen(KioskBase):
    """A full screen. `accept_scan` lets a screen use a scan itself (the lead form does).

    `OWN_KEY` is the app binding that opens this very screen (not worth a footer slot here);
    `NARROW_HIDDEN` are app bindings left out of the footer on a narrow terminal, so the
    screen's own keys and F12 Lock stay visible; below that, `FOOTER_DROP` goes key by key
    until the footer fits (a cut-off footer used to leave a stray letter at 80 columns).
    Hidden keys keep working, and the command palette lists them all.
    """

    OWN_KEY: ClassVar[str] = ""
    NARROW_HIDDEN: ClassVar[tuple[str, ...]] = ()
    _narrow = False

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        # what the footer shows; key dispatch does not read this
        bindings = super().active_bindings
        hidden = {self.OWN_KEY, *(self.NARROW_HIDDEN if self._narrow else ())}
        shown = {k: b for k, b in bindings.items() if b.binding.id not in hidden}
        width = self.size.width
        for drop in FOOTER_DROP:
            if not width or self._footer_width(shown, compact=width < 140) <= width:
                break
            shown = {k: b for k, b in shown.items() if b.binding.id != drop}
        return shown

    def _footer_width(self, bindings: dict[str, ActiveBinding], *, compact: bool) -> int:
        """Columns Textual's footer takes for these keys (its layout, measured)."""
        app = self.app
        total, actions = 0, set()
        for key, active in bindings.items():
            b = active.binding
            if key == app.COMMAND_PALETTE_BINDING:
                total += 2 + cell_len(app.get_key_display(b)) + cell_len(b.description)
                total += 0 if compact else 1
            elif b.show and b.action not in actions:
                actions.add(b.action)
                total += cell_len(app.get_key_display(b)) + cell_len(b.description)
                total += 2 if compact else 3
        return total

    def on_mount(self) -> None:
        t = self.kiosk.t
        translate_bindings(self, t)
        for header in self.query(KioskHeader):
            header.refresh_header(t(self.TITLE_KEY) if self.TITLE_KEY else "")
        if self.kiosk.damage is not None:  # found before this screen opened
            self.show_damage()

    def show_damage(self) -> None:
        """A lasting line under the header (`kiosk.ui.integrity`): in the UI language (a
        `Tr`, relabelled with the rest), never a toast that goes while nobody looks."""
        if self.query("#damage"):
            return
        banner = Tr("damage.banner", id="damage")
        headers = self.query(KioskHeader)
        if headers and isinstance(parent := headers.first().parent, Widget):
            parent.mount(banner, after=headers.first())
        else:
            self.mount(banner, before=0)

    def on_resize(self, event: events.Resize) -> None:
        # Textual calls this as well as a screen's own on_resize (handlers run up the MRO)
        for footer in self.query(Footer):
            footer.compact = event.size.width < 140  # keep F12 Lock on a 100-column screen
        self._narrow = event.size.width < NARROW
        self.refresh_bindings()  # the footer refits to the new width


class VisitScreen(KioskScreen):
    """A screen showing one visitor's card (reception's, or a card opened from search).

    F10, F6 and F7 on the card are told to the app (`CheckInPressed`, `ReceivePressed`,
    `NotesPressed`), which records them and redraws the visit here with `show_visit`.
    """

    def show_visit(self, visit: Visit) -> None:
        raise NotImplementedError

    def action_check_in(self) -> None:
        if self.visit is not None:
            self.post_message(CheckInPressed(self.visit))

    def action_receive(self) -> None:
        if self.visit is not None:
            self.post_message(ReceivePressed(self.visit))

    def action_notes(self) -> None:
        if self.visit is not None:
            self.post_message(NotesPressed(self.visit))


class KioskModal(KioskBase, ModalScreen[Any]):
    """A dialog; a scan while it is open closes it and shows the card (unless it opts out).

    A modal screen hides the app's bindings, so F8 is repeated here: a visitor who reads
    only Chinese can switch the dialog in front of them too (subclasses' BINDINGS add to it).
    """

    BINDINGS = [
        Binding("f8", "app.switch_language", "key.language", id="language", show=False),
    ]

    def on_mount(self) -> None:
        translate_bindings(self, self.kiosk.t)

    def action_cancel(self) -> None:
        """Esc (`CANCEL`): close the dialog with no answer."""
        self.dismiss(None)

    @on(Button.Pressed, "#no")
    def no_pressed(self) -> None:
        """The `#no` button of `yes_no_buttons` is Esc (the subclass's `action_cancel`)."""
        self.action_cancel()


# Esc in a dialog that may be left without an answer (`KioskModal.action_cancel`)
CANCEL = Binding("escape", "cancel", "key.cancel", id="cancel")


def dialog_title(text: str) -> Static:
    """A dialog's first line, in bold; names in it are shown as typed, never read as markup."""
    return Static(Text(text, style="bold"), classes="dialog-title")


def yes_no_buttons(yes: str, no: str) -> Horizontal:
    """A dialog's two buttons: `#yes` (the default, highlighted) and `#no`."""
    return Horizontal(
        Button(yes, id="yes", variant="primary"), Button(no, id="no"), id="confirm-buttons"
    )


class PeopleModal(KioskModal):
    """A dialog that is a list of people to pick from (its one `OptionList`, filled by
    `relabel`): Enter returns the highlighted person's id, a letter jumps to the next name
    starting with it (`jump_to_letter`), Esc returns None."""

    BINDINGS = [CANCEL]

    def on_mount(self) -> None:
        self.relabel()
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)

    def on_key(self, event: events.Key) -> None:
        if jump_to_letter(self.query_one(OptionList), event.character):
            event.stop()


def jump_to_letter(box: OptionList, character: str | None) -> bool:
    """Type-to-find in a list of people: 'k' highlights the next name starting with K.

    Returns True when the key was used. Names are folded ('é' finds 'É'), so a receptionist
    need not scroll through thirteen salespeople with the arrow keys.
    """
    if not character or not character.isprintable() or character.isspace():
        return False
    wanted = fold(character)
    count = box.option_count
    start = (box.highlighted or 0) + 1
    for step in range(count):
        index = (start + step) % count
        prompt = box.get_option_at_index(index).prompt
        text = prompt.plain if isinstance(prompt, Text | Content) else str(prompt)
        if fold(text).startswith(wanted):
            box.highlighted = index
            return True
    return False
