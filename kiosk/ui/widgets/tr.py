"""Labels that know their catalog key, so switching language relabels the whole app at once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.dom import DOMNode
from textual.widgets import Label

from kiosk.ui.context import kiosk_app


class Tr(Label):
    """A label showing `t(key, **values)`; `KioskApp.set_language` calls `relabel` on all."""

    def __init__(
        self,
        key: str,
        *,
        id: str | None = None,  # noqa: A002 - Textual convention
        classes: str | None = None,
        **values: Any,
    ) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.key = key
        self.values = values

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self, key: str | None = None, **values: Any) -> None:
        if key is not None:
            self.key = key
            self.values = values
        self.update(kiosk_app(self).t(self.key, **self.values))


def translate_bindings(node: DOMNode, t) -> None:
    """Footer text in the UI language: each binding with an id shows `t('key.<id>')`."""
    mapping = node._bindings.key_to_bindings
    for key, bindings in mapping.items():
        mapping[key] = [
            replace(b, description=t(f"key.{b.id}"), tooltip="") if b.id else b for b in bindings
        ]
