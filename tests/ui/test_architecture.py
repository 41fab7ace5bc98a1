"""Attributes down, messages up: how the app and its screens talk, checked on the source.

The app tells a screen things only through the methods `KioskBase` declares, never by
looking a method up by name (`getattr`/`hasattr`); a screen tells the app what happened
with a message from `kiosk.ui.messages`, never by calling the app's own methods. A new
screen or a quick fix that reintroduces either fails here.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.message import Message
from textual.screen import Screen

import kiosk.ui.screens
from kiosk.ui import messages
from kiosk.ui.screens.base import KioskBase

UI = Path(kiosk.ui.screens.__file__).parent.parent

# What a screen or widget may use on the app: its session and services (read), and
# Textual's own screen stack and toasts. Anything else is a message.
APP_ATTRIBUTES = {"services", "t", "lang", "role", "user", "actor", "card_timeout", "console"}
APP_ATTRIBUTES |= {"clock"}  # the app's monotonic time (the PIN back-off reads it)
APP_ATTRIBUTES |= {"pin_pool"}  # the thread a PIN is checked on (its write may wait for a lock)
APP_ATTRIBUTES |= {"hub_status"}  # the last round's status: a new screen's header shows it
APP_ATTRIBUTES |= {"damage"}  # the file found damaged: a new screen shows the warning too
APP_METHODS = {"notify", "push_screen", "pop_screen"}
# Textual's own footer API, read to fit the footer to the terminal and to tell it of new keys
# only when it listens (kiosk.ui.screens.base)
APP_METHODS |= {"get_key_display", "COMMAND_PALETTE_BINDING", "app_focus"}
# Textual's stylesheet, to restyle only the card parts its status classes style (Textual's
# own restyle walks every widget inside the card: widgets/visitor_card.py)
APP_ATTRIBUTES |= {"stylesheet"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_app(node: ast.expr) -> bool:
    """`self.app`, `self.kiosk`, `kiosk_app(self)`, or a local named `app`/`kiosk`."""
    if isinstance(node, ast.Attribute):
        return node.attr in ("app", "kiosk") and isinstance(node.value, ast.Name)
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "kiosk_app"
    return isinstance(node, ast.Name) and node.id in ("app", "kiosk")


def _front_modules() -> list[Path]:
    return sorted([*(UI / "screens").glob("*.py"), *(UI / "widgets").glob("*.py")])


@pytest.mark.parametrize("path", _front_modules(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_screens_and_widgets_use_only_the_apps_session_services_and_screen_stack(path: Path):
    used = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Attribute) and _is_app(node.value):
            used.add((node.attr, node.lineno))
    wrong = sorted((line, name) for name, line in used if name not in APP_ATTRIBUTES | APP_METHODS)
    assert not wrong, (
        f"{path.name} reaches into the app ({wrong}): post a message from kiosk.ui.messages "
        "and handle it in KioskApp with @on"
    )


@pytest.mark.parametrize("name", ["app.py", "session.py"])
def test_the_app_never_looks_screen_methods_up_by_name(name: str):
    calls = [
        (node.lineno, node.func.id)
        for node in ast.walk(_tree(UI / name))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("getattr", "hasattr")
    ]
    assert not calls, f"{name}: duck typing {calls}; declare the method on KioskBase"


def test_every_kiosk_screen_has_the_common_base():
    """The app calls `accept_scan`, `booth_changed`, … on `KioskBase` screens only."""
    screens = []
    for info in pkgutil.iter_modules(kiosk.ui.screens.__path__):
        module = importlib.import_module(f"kiosk.ui.screens.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                screens.append(cls)
    assert len(screens) >= 10
    assert [s.__name__ for s in screens if not issubclass(s, KioskBase)] == []


def test_every_message_is_handled_by_the_app():
    """A message nobody handles would be a key that silently does nothing."""
    defined = [
        cls
        for _, cls in inspect.getmembers(messages, inspect.isclass)
        if issubclass(cls, Message) and cls.__module__ == messages.__name__
    ]
    handled, methods = set(), set()
    for node in ast.walk(_tree(UI / "app.py")):
        if isinstance(node, ast.FunctionDef):
            methods.add(node.name)
            for deco in node.decorator_list:
                if isinstance(deco, ast.Call) and isinstance(deco.func, ast.Name):
                    if deco.func.id == "on":
                        handled |= {a.id for a in deco.args if isinstance(a, ast.Name)}
    handled |= {cls.__name__ for cls in defined if cls.handler_name in methods}
    bases = {messages.VisitKeyPressed.__name__}  # only its subclasses are posted
    assert sorted(c.__name__ for c in defined if c.__name__ not in handled | bases) == []
