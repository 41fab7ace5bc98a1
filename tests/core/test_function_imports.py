"""No import inside a function in `kiosk/` unless it saves measured start-up time, and says so.

The kiosk's cold start (`import kiosk.ui.app`, then the first frame) and `kiosk --help` are
budgeted; a module they do not need may be imported where it is first used, with a comment
above the import (or its block of imports) of the form

    # measured start-up cost: <module> (~N ms), first needed here

N is what deferring it saves: the time `import <module>` takes in a fresh process after
`import kiosk.ui.app` (the core and the UI) or `import kiosk.cli` (the CLI), best of three.
Any other import belongs at the top of its module: an import hidden in a function to dodge
a cycle is a cycle all the same (tests/core/test_import_cycles.py).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import kiosk

MARK = re.compile(r"measured start-up cost: .+\(~\d+ ms\).*first needed here")


def unexplained_imports(source: str) -> list[int]:
    """Line numbers of the imports inside functions of `source` with no such comment."""
    tree = ast.parse(source)
    lines = source.splitlines()
    inside: list[ast.Import | ast.ImportFrom] = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            inside += [n for n in ast.walk(fn) if isinstance(n, ast.Import | ast.ImportFrom)]
    spans = {i for n in inside for i in range(n.lineno, (n.end_lineno or n.lineno) + 1)}
    missing = set()
    for node in inside:
        # What is above it: imports, comments and blank lines, up to the code before them.
        i, above = node.lineno - 1, []
        while i >= 1 and (
            i in spans or not lines[i - 1].strip() or lines[i - 1].lstrip()[:1] == "#"
        ):
            if lines[i - 1].lstrip()[:1] == "#":
                above.insert(0, lines[i - 1].strip().lstrip("#").strip())
            i -= 1
        if not MARK.search(" ".join(above)):
            missing.add(node.lineno)
    return sorted(missing)


def test_every_import_inside_a_function_says_what_it_saves():
    root = Path(kiosk.__file__).parent
    found = [
        f"{path.relative_to(root.parent)}:{line}"
        for path in sorted(root.rglob("*.py"))
        for line in unexplained_imports(path.read_text(encoding="utf-8"))
    ]
    assert not found, (
        "imports inside functions without '# measured start-up cost: <module> (~N ms), first"
        " needed here' (move them to the top of the module, or measure them):\n" + "\n".join(found)
    )


def test_the_check_tells_an_explained_import_from_a_bare_one():
    source = """
import json


def bare():
    from kiosk import lookup

    return lookup


def explained():
    # measured start-up cost: kiosk.hub (psycopg) (~110 ms),
    # first needed here
    import secrets

    from kiosk import hub

    return hub, secrets


def vague():
    # imported here: it is slow
    from kiosk import hub

    return hub
"""
    assert unexplained_imports(source) == [6, 23]
