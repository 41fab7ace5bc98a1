"""The app as its own type, for the widgets and screens that read its attributes.

Textual types `node.app` as a plain `App`; the kiosk's screens and widgets read the session
(`role`, `user`, `lang`, `t`) and the `services` from it, so they go through `kiosk_app`,
which says which app it is without importing it at run time (`kiosk.ui.app` imports the
screens).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.app import App

    from kiosk.ui.app import KioskApp


class HasApp(Protocol):
    """A DOM node, a command provider: anything Textual gives an `app`."""

    @property
    def app(self) -> App[object]: ...


def kiosk_app(node: HasApp) -> KioskApp:
    """`node.app`, typed as the kiosk's app (the only app these widgets ever run in)."""
    return cast("KioskApp", node.app)
