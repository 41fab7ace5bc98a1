"""Search as you type (staff and manager): name, company, email, phone or country, any language.

Each keystroke restarts a short debounce; the search itself runs in a thread worker on its
own database connection (`BoothServices.reader`) and posts `ResultsReady`, so typing never
waits on SQLite. Stale answers (for a query already changed) are dropped.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from kiosk.fulltext import matched_in
from kiosk.ui.fmt import clip, total_text
from kiosk.ui.i18n import Translator
from kiosk.ui.messages import CandidatePicked
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.timers import Later, call_after
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.visitor_card import country_label
from kiosk.visits import Candidate

DEBOUNCE = 0.12


class SearchScreen(KioskScreen):
    TITLE_KEY = "title.search"
    OWN_KEY = "search"
    NARROW_HIDDEN = ("manager", "arrivals")
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("down", "results", "key.results", id="results", show=False),
        Binding("f10", "open_check_in", "key.check_in", id="check_in"),
    ]

    class ResultsReady(Message):
        def __init__(
            self, query: str, kind: str, results: list[Candidate], total: int | None = None,
            more: bool = False,
        ) -> None:  # fmt: skip
            super().__init__()
            self.query = query
            self.kind = kind
            self.results = results
            self.total = total  # every match, when the list shows only the first ones
            self.more = more  # the total is a lower bound ("of 200+")

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.results: list[Candidate] = []
        self.kind = ""  # how the last answered query was read (name, country, email, …)
        self._initial = query
        self._debounce: Later | None = None

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield Input(id="query", value=self._initial)
        yield Static(id="search-status", markup=False)
        yield DataTable(id="results", cursor_type="row", zebra_stripes=True)
        yield KioskFooter()

    def on_mount(self) -> None:
        self.relabel()
        self.query_one("#query", Input).focus()
        if self._initial:
            self._run(self._initial)

    def relabel(self) -> None:
        t = self.kiosk.t
        self.query_one("#query", Input).placeholder = t("search.placeholder")
        self.query_one("#results", DataTable).clear(columns=True)
        self._fill(self.query_one("#query", Input).value, self.kind, self.results)

    @on(Input.Changed, "#query")
    def query_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        text = event.value
        self._debounce = call_after(self, DEBOUNCE, lambda: self._run(text))

    def _run(self, text: str) -> None:
        if not text.strip():
            self.results, self.kind = [], ""
            self._fill(text, "", [])
            return
        self.search(text)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def search(self, text: str) -> None:
        kind, results, total, more = self.kiosk.services.search_counted(text)
        self.post_message(self.ResultsReady(text, kind, results, total, more))

    def on_search_screen_results_ready(self, message: ResultsReady) -> None:
        if message.query != self.query_one("#query", Input).value:
            return  # the person kept typing; a newer search is on its way
        self.results, self.kind = message.results, message.kind
        self._fill(message.query, message.kind, message.results, message.total, message.more)

    def _fill(
        self, query: str, kind: str, results: list[Candidate], total: int | None = None,
        more: bool = False,
    ) -> None:  # fmt: skip
        t, lang = self.kiosk.t, self.kiosk.lang
        table = self.query_one("#results", DataTable)
        # new columns each time: widths fit these results, not the widest ever seen
        table.clear(columns=True)
        for key in ("name", "company", "country", "owner", "match"):
            table.add_column(t(f"search.col_{key}"), key=key)
        for i, cand in enumerate(results):
            c = cand.contact
            owner = (
                Text(cand.owner.name) if cand.owner else Text(t("card.nobody"), style="dim italic")
            )
            table.add_row(
                Text(clip(c.name, 28), style="bold"), Text(clip(c.company, 34)),
                Text(clip(country_label(c.country, lang), 18)),
                owner, Text(_how(t, cand), style="dim"), key=str(i),
            )  # fmt: skip
        status = self.query_one("#search-status", Static)
        if not query.strip():
            status.update(Text(t("search.hint"), style="dim"))
        elif not results:
            status.update(Text(t("search.none", query=query)))
        elif total is not None and (more or total > len(results)):
            status.update(Text(t("search.count_of", n=len(results), kind=t.maybe(f"kind.{kind}", kind),
                                 total=total_text(total, more))))  # fmt: skip
        else:
            status.update(
                Text(t("search.count", n=len(results), kind=t.maybe(f"kind.{kind}", kind)))
            )

    # ------------------------------------------------------------------ opening
    @on(Input.Submitted, "#query")
    def open_first(self) -> None:
        if self.results:
            self._open(0, check_in=False)

    @on(DataTable.RowSelected, "#results")
    def open_row(self, event: DataTable.RowSelected) -> None:
        self._open(int(event.row_key.value or 0), check_in=False)

    def _open(self, index: int, *, check_in: bool) -> None:
        if 0 <= index < len(self.results):
            contact = self.results[index].contact
            self.post_message(CandidatePicked(contact, check_in=check_in, on_card_screen=True))

    def action_open_check_in(self) -> None:
        table = self.query_one("#results", DataTable)
        if self.results:
            self._open(table.cursor_row if table.has_focus else 0, check_in=True)

    def action_results(self) -> None:
        table = self.query_one("#results", DataTable)
        if self.results and not table.has_focus:
            table.focus()

    def action_back(self) -> None:
        table = self.query_one("#results", DataTable)
        if table.has_focus:
            self.query_one("#query", Input).focus()
        else:
            self.kiosk.pop_screen()


def _how(t: Translator, cand: Candidate) -> str:
    """The Match column: how the contact was found — for a text hit, where: 'company' for
    'gmbh', which every text hit was called 'name' before (`fulltext.matched_in`)."""
    how = cand.how.replace(" ", "_")
    if how == "name":
        how = matched_in(cand.score)
    return t.maybe(f"how.{how}", cand.how)
