"""A country input with autocomplete in any language, naming countries in the UI language.

Typing 'ja', '日本', 'Alemania' or 'Frnace' lists matching countries below the field
(`kiosk.countries.resolve.suggest_countries`); ↓/↑ move through them and Enter picks one. Text that
names exactly one country resolves by itself; ambiguous text ('Korea') waits for a pick.
The chosen ISO code is `alpha2`, announced with `CountryField.Changed`. A click on a list
that typing has replaced since (the click is handled after the key that changed the list)
is dropped: it names no country on screen now.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kiosk.countries import country_name
from kiosk.countries.resolve import resolve_country, suggest_countries
from kiosk.ui.context import kiosk_app


class CountryField(Vertical):
    DEFAULT_CSS = """
    CountryField { height: auto; }
    CountryField OptionList { height: auto; max-height: 7; display: none; }
    CountryField OptionList.-open { display: block; }
    CountryField #country-resolved { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    class Changed(Message):
        def __init__(self, field: CountryField, alpha2: str | None) -> None:
            super().__init__()
            self.field = field
            self.alpha2 = alpha2

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual convention
        super().__init__(id=id)
        self.alpha2: str | None = None
        self._codes: list[str] = []  # the options shown, in order (↓/↑ and Enter)
        self._lists = 0  # option lists shown so far (their options' ids)
        self._choices: dict[str, str] = {}  # the list on screen: option id → ISO code
        self._set_value: str | None = None  # a value we set ourselves (not typed)

    def compose(self) -> ComposeResult:
        yield Input(id="country-input")
        yield OptionList(id="country-options")
        yield Static(id="country-resolved", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one("#country-input", Input)

    def set_country(self, alpha2: str | None, text: str = "") -> None:
        """Fill from a badge or a visit: the code if known, else the raw text to resolve."""
        value = country_name(alpha2, kiosk_app(self).lang) if alpha2 else text
        self._set_value = value
        self.input.value = value
        self._choose(alpha2) if alpha2 else self._resolve(text)
        self._close()

    def relabel(self) -> None:
        self.input.placeholder = kiosk_app(self).t("lead.country_placeholder")
        if self.alpha2:
            self.set_country(self.alpha2)
        else:
            self._show_resolved()

    @on(Input.Changed, "#country-input")
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._set_value is not None and event.value == self._set_value:
            self._set_value = None
            return
        self._set_value = None

        text = event.value
        options = suggest_countries(text, kiosk_app(self).lang, 6) if text.strip() else []
        box = self.query_one(OptionList)
        box.clear_options()
        self._codes = [o.alpha2 for o in options]
        # Each list's options get ids of their own, so a click on an earlier list names
        # nothing here (by its index it picked whatever the new list had in that place).
        self._lists += 1
        self._choices = {f"{self._lists}-{i}": o.alpha2 for i, o in enumerate(options)}
        for option_id, o in zip(self._choices, options, strict=True):
            line = Text(o.name, style="bold")
            line.append(f"  {o.alpha2}", style="dim")
            if o.matched_as and o.matched_as != o.name:
                line.append(f"  ← {o.matched_as}", style="dim italic")
            box.add_option(Option(line, id=option_id))
        box.set_class(bool(options), "-open")
        box.highlighted = 0 if options else None
        self._resolve(text)

    def _resolve(self, text: str) -> None:
        self._choose(resolve_country(text) if text.strip() else None)

    def _choose(self, alpha2: str | None) -> None:
        changed = alpha2 != self.alpha2
        self.alpha2 = alpha2
        self._show_resolved()
        if changed:
            self.post_message(self.Changed(self, alpha2))

    def _show_resolved(self) -> None:
        t = kiosk_app(self).t
        label = self.query_one("#country-resolved", Static)
        if self.alpha2:
            label.update(
                Text(
                    t(
                        "lead.country_is",
                        name=country_name(self.alpha2, kiosk_app(self).lang),
                        code=self.alpha2,
                    )
                )
            )
        elif self.input.value.strip():
            label.update(Text(t("lead.country_unknown")))
        else:
            label.update(Text(""))

    def _close(self) -> None:
        self.query_one(OptionList).remove_class("-open")

    def action_move(self, step: int) -> None:
        box = self.query_one(OptionList)
        if not box.has_class("-open") or not self._codes:
            self.screen.focus_next() if step > 0 else self.screen.focus_previous()
            return
        current = box.highlighted or 0
        box.highlighted = max(0, min(len(self._codes) - 1, current + step))

    @on(Input.Submitted, "#country-input")
    def pick(self, event: Input.Submitted) -> None:
        box = self.query_one(OptionList)
        if box.has_class("-open") and box.highlighted is not None and self._codes:
            event.stop()
            self.set_country(self._codes[box.highlighted])

    @on(OptionList.OptionSelected, "#country-options")
    def clicked(self, event: OptionList.OptionSelected) -> None:
        """A country clicked in the list on screen; a click on a list that typing replaced
        before the click was handled is dropped (its index once pointed past the new list
        — an IndexError that stopped the app — or at another country)."""
        event.stop()
        code = self._choices.get(event.option_id or "")
        if code is None:
            return
        self.set_country(code)
        self.input.focus()
