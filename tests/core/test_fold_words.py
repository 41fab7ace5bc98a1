"""`fold_words` (a name folded word by word through a cache) is `fold` of the whole text.

A first import folds every non-ASCII name; word by word, each distinct word is folded
once. That is only right if folding never looks across a word boundary: these properties
draw text from the characters where it could (marks that NFKD or the mark regex treat
specially, spacing characters whose NFKD starts with a space, Han variants, final sigma,
ligatures, astral marks, Unicode whitespace).
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiosk.contact_rows import contact_search_text
from kiosk.text import fold, fold_words, search_text
from tests.examples import examples

TRICKY = (
    " \t\u00a0\u3000\u2007\x1c\x1f"  # whitespace, Unicode and ASCII separators
    "\u0301\u0308\u0327\u20dd\U0001d167"  # combining marks (one above U+FFFF)
    "\u00a8\u00b4\u02d8\ufdfa"  # NFKD starts with a space / holds spaces
    "ΣσςİıǅŉßẞﬁＡｂ①"  # case and compatibility forms
    "東光乾隆薴王小明ｶﾞ가각"  # Han (traditional → simplified), half-width kana, Hangul
    "aeoAEOzZ09-.'@"
)
TEXT = st.text(alphabet=st.sampled_from(TRICKY), max_size=14) | st.text(max_size=10)


@settings(max_examples=examples(1000), deadline=None)
@given(TEXT)
@example("Zoë  Bäcker")
@example("ΟΔΟΣ Σ")
@example("\u0301 a \u0301")
@example("a\u00a8b \u00a8")
@example("東光 乾隆")
def test_folding_word_by_word_is_folding_the_whole(text):
    assert fold_words(text) == fold(text)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(TEXT, min_size=4, max_size=4))
def test_a_contacts_search_text_with_words_folded_apart_is_search_text(parts):
    assert contact_search_text(*parts) == search_text(*parts)
