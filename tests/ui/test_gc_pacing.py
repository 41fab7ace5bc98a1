"""Garbage collections between scans (`kiosk.ui.gc_pacing`): the young generations too."""

from __future__ import annotations

import gc

import pytest

from kiosk.ui.gc_pacing import NEVER, YOUNG, FullCollections


@pytest.fixture
def pacing():
    thresholds = gc.get_threshold()
    pacing = FullCollections()
    pacing.take_over()
    yield pacing
    pacing.give_back()
    assert gc.get_threshold() == thresholds


def test_taken_over_the_young_are_collected_seldom_and_the_oldest_never(pacing):
    young, _middle, oldest = gc.get_threshold()
    assert young == YOUNG > 700 and oldest == NEVER


def test_between_scans_the_young_generation_is_emptied(pacing):
    gc.collect()
    kept = [[i] for i in range(500)]  # containers the collector tracks
    assert gc.get_count()[0] >= 500
    assert pacing.now_if_due() is False  # not a full collection…
    assert gc.get_count()[0] < 100  # …but the young one, before the next scan
    assert kept


def test_the_middle_generation_keeps_cpythons_pace(pacing):
    gc.collect()
    _young, middle, _oldest = gc.get_threshold()
    for _ in range(middle):
        pacing.now_if_due()
        assert gc.get_count()[2] == 0  # young collections only, so far
    pacing.now_if_due()  # as many young collections as CPython makes before a middle one
    assert gc.get_count()[1:] == (0, 1)


def test_a_full_collection_comes_as_often_as_cpythons(pacing):
    gc.collect()
    _young, middle, _oldest = gc.get_threshold()
    full = [pacing.now_if_due() for _ in range((middle + 1) * 10 + 1)]
    assert full.count(True) == 1 and full[-1]  # after ten middle collections
