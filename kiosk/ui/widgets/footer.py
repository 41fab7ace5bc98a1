"""The key bar at the bottom of every screen: Textual's `Footer`, rebuilt only when the keys
it shows change, dimmed in place when only which keys are enabled changes, and without its
leak.

Textual's footer builds its key widgets anew whenever it hears that the screen's keys *may*
have changed — each focus change, each refresh of the bindings, and every time a key is
enabled or disabled: 17 rebuilds before the scan screen's first frame, and on the reception
screen one for about every other card, each a few milliseconds of mounting and styling on
the UI thread and new garbage. `KioskFooter` rebuilds only when the keys shown (which keys,
their labels, their tooltips) differ from the ones its widgets were built for; when only
whether a key is enabled changed, it dims or lights the widgets it has (the reception
screen keeps one set of keys from card to card for this, see `ScanScreen.check_action`).

When it does rebuild, it lets the old widgets go. Each key widget ties itself to the
footer's `compact` setting with `data_bind`, and the footer keeps that tie — and with it
the widget — after the widget is removed, until `compact` changes, which on a kiosk is
never (Textual issue 6666, open in 8.2.8). At a million contacts, after 2,000 scans, that
was some 9,000 ties on one footer, each new one compared with all of them, and a million
objects more for every full garbage collection to walk — single collections of up to
1.3 s on the UI thread, a frozen screen and scans split in two (measured, 2026-12-03).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

_ENABLED = 5  # where `keys_shown` puts whether a key is enabled


def _apart_from_enabled(shown: tuple[Any, ...]) -> tuple[Any, ...]:
    keys, *rest = shown
    return (tuple(key[:_ENABLED] + key[_ENABLED + 1 :] for key in keys), *rest)


class KioskFooter(Footer):
    """`Footer`, rebuilt only when its keys change, dimmed in place, and forgetting the
    key widgets it removed (see the module docstring)."""

    _shown: tuple[Any, ...] | None = None  # `keys_shown` as the widgets on screen show it

    async def recompose(self) -> None:
        shown = self.keys_shown()
        if shown is not None and shown == self._shown and self.children:
            return  # the same keys as now on screen: nothing to rebuild
        await super().recompose()
        self._shown = shown
        self.forget_removed_keys()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        before = self._shown
        if before is not None and screen is self.screen and screen.app.app_focus:
            shown = self.keys_shown()
            if shown is not None and self.children:
                if shown == before:
                    return  # nothing to show differently
                if _apart_from_enabled(shown) == _apart_from_enabled(before):
                    self.enable_keys(screen)  # the same keys, dimmed or lit: no rebuild
                    self._shown = shown
                    return
        super().bindings_changed(screen)

    def keys_shown(self) -> tuple[Any, ...] | None:
        """Everything `Footer.compose` reads to build the keys (None before they are ready):
        each shown binding with whether it is enabled and its tooltip, and the palette key."""
        if not self._bindings_ready or not self.is_attached:
            return None
        keys = tuple(
            (
                binding.key,
                binding.action,
                binding.description,
                binding.key_display,
                binding.group,
                enabled,  # at _ENABLED
                tooltip,
                binding.tooltip,
            )  # fmt: skip
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (keys, self.show_command_palette, self.combine_groups)

    def enable_keys(self, screen: Screen[Any]) -> None:
        """Dim or light each key widget as its binding is now. A widget shows the first
        binding of its action the footer lists (`Footer.compose`), the command palette's
        key the one binding left out of the list; both come first here."""
        enabled: dict[str, bool] = {}
        bindings = sorted(screen.active_bindings.values(), key=lambda b: not b.binding.show)
        for active in bindings:
            enabled.setdefault(active.binding.action, active.enabled)
        for key in self.query(FooterKey):
            on = enabled.get(key.action)
            if on is not None and key._disabled == on:
                key._disabled = not on  # FooterKey's own flag: a click on a dim key rings
                key.set_class(not on, "-disabled")

    def forget_removed_keys(self) -> None:
        """Drop the footer's watchers whose widget is no longer on screen.

        They live where Textual's `reactive._watch` keeps them: the observed object's
        `__watchers`, attribute name → [(watching node, callback)]. Textual prunes them the
        same way (by the node), but only when the watched value changes."""
        watchers = getattr(self, "__watchers", None)
        if not isinstance(watchers, dict):
            return
        for entries in watchers.values():
            entries[:] = [(node, back) for node, back in entries if node.is_attached]
