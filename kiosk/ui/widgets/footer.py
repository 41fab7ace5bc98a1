"""The key bar at the bottom of every screen: Textual's `Footer`, without its leak.

Textual's footer builds its key widgets anew whenever the keys change (on the reception
screen: when a card with other keys comes up, about every other scan), and each key widget
ties itself to the footer's `compact` setting with `data_bind`. The footer keeps that tie —
and with it the key widget — after the widget is removed, until `compact` changes, which on
a kiosk is never (Textual issue 6666, open in 8.2.8). So every scan left a few dead key
widgets behind: at a million contacts, after 2,000 scans, some 9,000 ties on one footer,
each new one compared with all of them, and a million objects more for every full garbage
collection to walk — single collections of up to 1.3 s on the UI thread, a frozen screen
and scans split in two (measured, 2026-12-03). `KioskFooter` drops the ties of the key
widgets it removed each time it rebuilds them.

It also rebuilds only when what it shows changed. Textual asks the footer to rebuild
whenever the keys *may* have changed — each focus change, each screen refresh of its
bindings — and it rebuilt 17 times before the scan screen's first frame, and again on
scans whose card has the same keys as the one before: each time a few milliseconds of
mounting and styling on the UI thread, and new garbage.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KioskFooter(Footer):
    """`Footer`, forgetting the key widgets it removed (see the module docstring)."""

    _shown: tuple[Any, ...] | None = None

    async def recompose(self) -> None:
        shown = self.keys_shown()
        if shown is not None and shown == self._shown and self.children:
            return  # the same keys as now on screen: nothing to rebuild
        await super().recompose()
        self._shown = shown
        self.forget_removed_keys()

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
                enabled,
                tooltip,
                binding.tooltip,
            )  # fmt: skip
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (keys, self.show_command_palette, self.combine_groups)

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
