"""Textual's CSS parsed once per test process, not once per app.

Every `App` builds its own `Stylesheet`, and a stylesheet parses each of its sources (every
widget class's DEFAULT_CSS, kiosk.tcss, later.tcss) the first time it is asked, then again
in full on each `reparse()` (a screen with its own CSS, a theme change). Textual caches a
parse per stylesheet only; the suite starts some 300 apps per process, and measured with
cProfile on tests/ui/test_workbench.py the parsing was ~4 % of a UI test's CPU.

`install()` puts a per-process cache in front of the two functions `textual.css.stylesheet`
calls for it, so that the same input gives the same rule sets without parsing again:

- `tokenize_values(variables)`: the CSS variables (a theme's colours) as tokens. Equal
  variables give the same tokens dict, and the dict is remembered as standing for them.
- `parse(scope, css, read_from, variable_tokens=..., is_default_rules=..., tie_breaker=...)`:
  keyed by all of its arguments, the variables by what their tokens dict stands for. A call
  with a tokens dict the cache did not make is passed through uncached.

A parse that raises is not cached (it raises again next time); rule sets with errors are
cached like any others, as Textual's own per-stylesheet cache does. The rule sets are shared
between apps as Textual already shares them between the nodes and the parses of one app:
nothing writes to a `RuleSet` after its parse. Neither function is given a different answer,
only an earlier one: a test that wraps `textual.css.stylesheet.parse` (tests/ui/test_startup.py
records which sources get parsed) still sees every parse a stylesheet asks for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def install() -> None:
    from textual.css import stylesheet

    if getattr(stylesheet.parse, "kiosk_test_cache", False):
        return
    tokenize_values = stylesheet.tokenize_values
    parse = stylesheet.parse
    tokens_for: dict[tuple[tuple[str, str], ...], dict[str, Any]] = {}
    stands_for: dict[int, tuple[tuple[str, str], ...]] = {}  # id(tokens dict) -> variables
    parsed: dict[tuple[Any, ...], list[Any]] = {}

    def cached_tokenize_values(values: dict[str, str]) -> dict[str, Any]:
        key = tuple(sorted(values.items()))
        tokens = tokens_for.get(key)
        if tokens is None:
            tokens = tokens_for[key] = tokenize_values(values)
            stands_for[id(tokens)] = key  # kept alive by tokens_for: the id stays its own
        return tokens

    def cached_parse(
        scope: str,
        css: str,
        read_from: tuple[str, str],
        variables: dict[str, str] | None = None,
        variable_tokens: dict[str, Any] | None = None,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
    ) -> Iterable[Any]:
        arguments = (scope, css, read_from, variables, variable_tokens, is_default_rules)
        if variables is not None or (
            variable_tokens is not None and id(variable_tokens) not in stands_for
        ):
            return parse(*arguments, tie_breaker=tie_breaker)
        known = None if variable_tokens is None else stands_for[id(variable_tokens)]
        key = (scope, css, read_from, known, is_default_rules, tie_breaker)
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = list(parse(*arguments, tie_breaker=tie_breaker))
        return iter(rules)

    cached_parse.kiosk_test_cache = True  # type: ignore[attr-defined]
    stylesheet.tokenize_values = cached_tokenize_values
    stylesheet.parse = cached_parse
