"""The command palette (ctrl+p): the rarer actions, in the UI language.

It replaces Textual's own (English-only) system commands: language, theme, lock, switch
user, the screens, marking someone away or back, quit; its prompt (`KioskApp.
action_command_palette`) and its "nothing found" line are in the UI language too. Names of people are data, so hits
are built as plain `Content` and highlighted by offsets — never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from kiosk.ui.context import kiosk_app
from kiosk.ui.i18n import LANG_NAMES, LANGS

Command = tuple[str, str, Callable[[], object]]


class KioskCommands(Provider):
    def _commands(self) -> Iterator[Command]:
        app = kiosk_app(self)
        t = app.t
        for lang in LANGS:
            if lang != app.lang:
                yield (
                    t("cmd.language", name=LANG_NAMES[lang]),
                    t("cmd.language_help"),
                    partial(app.action_switch_language, lang),
                )
        yield t("cmd.theme"), t("cmd.theme_help"), app.action_toggle_theme
        yield t("cmd.lock"), t("cmd.lock_help"), app.action_lock
        yield t("cmd.user"), t("cmd.user_help"), app.action_switch_user
        yield t("cmd.arrivals"), t("cmd.arrivals_help"), app.action_arrivals
        yield t("cmd.manager"), t("cmd.manager_help"), app.action_manager
        # the manager's queue: its decided items too (`h`), where a decision is undone
        if (toggle := getattr(self.screen, "action_toggle_decided", None)) is not None:
            yield t("cmd.decided"), t("cmd.decided_help"), toggle
        if app.user is not None and app.user.role == "sales":
            yield t("cmd.my_disputes"), t("cmd.my_disputes_help"), app.action_my_disputes
        if app.role != "reception":
            yield t("cmd.search"), t("cmd.search_help"), app.action_search
            yield t("cmd.new_lead"), t("cmd.new_lead_help"), app.action_new_lead
            people = app.services.sales_staff()
            if app.role != "manager":
                people = [p for p in people if app.user is not None and p.id == app.user.id]
            for sp in people:
                key = "cmd.back" if sp.away else "cmd.away"
                yield (
                    t(key, name=sp.name),
                    t("cmd.away_help"),
                    partial(app.action_set_away, sp.id, not sp.away),
                )
        yield t("cmd.quit"), t("cmd.quit_help"), app.action_quit

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for name, help_text, callback in self._commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, name)
            if score > 0:
                found = True
                content = Content(name)
                for offset in offsets:
                    content = content.stylize("bold underline", offset, offset + 1)
                yield Hit(score, content, callback, text=name, help=help_text)
        if not found and query.strip():
            # Textual's own "No matches found" is English-only: say it in the UI language
            nothing = kiosk_app(self).t("cmd.no_matches")
            yield Hit(0.0, Content(nothing), _nothing, text=nothing)


def _nothing() -> None:
    """Choosing "no matching command" just closes the palette."""
