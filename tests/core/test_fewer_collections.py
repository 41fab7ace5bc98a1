"""A bulk load collects rarely and freezes what was there before it — never undoing a
freeze that is not its own."""

from __future__ import annotations

import gc

from kiosk.bulk import fewer_collections


def test_a_load_freezes_what_exists_and_thaws_it_after():
    gc.unfreeze()  # this test process starts from nothing frozen
    thresholds = gc.get_threshold()
    with fewer_collections(first=12_345):
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == 12_345
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds


def test_a_load_leaves_what_the_app_froze_frozen():
    """The TUI freezes what its first frame loaded (`kiosk.ui.gc_pacing`). No load runs
    inside it today, but one that unfroze on its way out would hand all of that back to
    the collector, whose full collections would walk it between scans again."""
    gc.unfreeze()
    kept = [[i] for i in range(1000)]  # objects the app keeps for good
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        with fewer_collections():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert kept
