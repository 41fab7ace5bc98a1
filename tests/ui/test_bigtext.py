"""Which characters the big-letter drawing treats as CJK (drawn with the CJK font)."""

from __future__ import annotations

import re

from kiosk.ui import bigtext

# The ranges as a character class, as bigtext had them before comparing code points (the
# class cost ~4.5 ms to compile at every start of the kiosk).
CJK_CLASS = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def test_every_character_is_cjk_exactly_when_the_character_class_says_so():
    for code in range(0x30000):
        ch = chr(code)
        assert bigtext._han(ch) == bool(CJK_CLASS.match(ch)), hex(code)


def test_cjk_names_with_ascii_beside_them_are_drawable_others_not():
    assert bigtext.cjk_drawable("王小明")
    assert bigtext.cjk_drawable("김민준 (Kim)")
    assert bigtext.cjk_drawable("ＡＢＣ 東光")
    assert not bigtext.cjk_drawable("Ana Ruiz")
    assert not bigtext.cjk_drawable("王小明 Müller")  # ü: not ASCII, not CJK
    assert not bigtext.cjk_drawable("Иван 王")


def test_the_warm_up_loads_the_cjk_font_at_every_size_a_name_is_tried_at():
    bigtext._raster.cache_clear()
    assert bigtext.prepare_cjk()  # the noto-cjk-sans-otc package is a dependency
    assert bigtext._raster.cache_info().currsize == len(bigtext.CJK_SIZES)
    assert bigtext.render_cjk("日", 16) is not None
