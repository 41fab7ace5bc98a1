"""The dispute workbench: settle "whose customer is this" the way a good sales manager does.

The routing engine flags the cases (first contact against filing, brought by a colleague,
stated preference, lapsed owner, two kiosks filing one visitor) as items for the manager.
Here the manager sees both salespeople's evidence side by side (`evidence`), each of them
may state their case first (`add_case`), and the decision is one of the real outcomes —
kept, given, shared with a capped split, the customer chose, or deferred — recorded as one
event (`decide`), which the manager may take back while it is still the latest change to
the customer (`undo`). A decision is reviewed after the show's lapse days: with no deal by then
a new lapse proposal is raised (`raise_due_reviews`). `standing` says what arrangement is
in force for a customer, and `tallies` counts outcomes per salesperson for the report.

The pure rules (what a choice means, the split cap, the review clock) are
`kiosk.routing.arrangement`; the appliers are `kiosk.events.disputes`.
"""

from __future__ import annotations

from kiosk.disputes.actions import (
    AfterUndo,
    DisputeError,
    add_case,
    after_undo,
    decide,
    raise_due_reviews,
    today_of,
    undo,
    undo_preview,
)
from kiosk.disputes.evidence import Item, Side, item, open_by_person, queue
from kiosk.disputes.standing import (
    Arrangement,
    Tally,
    arrangement_dict,
    arrangements,
    describe,
    standing,
    standing_dict,
    tallies,
)
from kiosk.routing.arrangement import OUTCOMES, Choice

__all__ = [
    "OUTCOMES",
    "AfterUndo",
    "Arrangement",
    "Choice",
    "DisputeError",
    "Item",
    "Side",
    "Tally",
    "add_case",
    "after_undo",
    "arrangement_dict",
    "arrangements",
    "decide",
    "describe",
    "item",
    "open_by_person",
    "queue",
    "raise_due_reviews",
    "standing",
    "standing_dict",
    "tallies",
    "today_of",
    "undo",
    "undo_preview",
]
