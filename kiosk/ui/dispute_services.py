"""The dispute workbench as the screens use it (`kiosk.disputes` bound to the kiosk's
database, config and clock): the queue, one item's evidence, the decision and its undo, each
side's case, the standing arrangement, and the decisions a salesperson has not seen yet. No
Textual here.

Mixed into `kiosk.ui.services.BoothServices`, which provides `db`, `config` and `now`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from kiosk.config import ShowConfig
from kiosk.db import get_meta, set_meta
from kiosk.routing.arrangement import split_cap
from kiosk.store import iso, parse_ts

if TYPE_CHECKING:  # kiosk.disputes loads where it is first used, after the first frame
    import sqlite_utils

    from kiosk import disputes
    from kiosk.disputes import AfterUndo, Arrangement, Choice, Item

SEEN_KEY = "disputes.seen."  # + a salesperson's id: when they last saw the decisions about them


class DisputeServices:
    """The workbench half of the screens' services."""

    db: sqlite_utils.Database
    config: ShowConfig

    def now(self) -> datetime:  # provided by `VisitService` (first in BoothServices' bases)
        raise NotImplementedError

    def today(self) -> date:
        """The show's calendar day: deferrals and reviews are by day."""
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        return disputes.today_of(self.config, self.now())

    def split_cap(self) -> float:
        return split_cap(self.config.max_split)

    def workbench_queue(self, *, include_decided: bool = False) -> list[Item]:
        """The manager's queue (raising the reviews that came due first); with
        `include_decided`, the items decided already follow it, the latest decided first
        (where a decision is undone: `undo_decision`), then those closed as out of date (a
        decision on another item, or a CRM import, settled them): nobody decided them, but
        an item that left the queue by itself was nowhere to be found on screen."""
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        disputes.raise_due_reviews(self.db, self.config, now=self.now())
        waiting = disputes.queue(self.db, today=self.today(), evidence=False)
        if not include_decided:
            return waiting
        every = disputes.queue(self.db, today=self.today(), evidence=False, include_decided=True)

        def latest_first(items: list[Item]) -> list[Item]:
            return sorted(items, key=lambda i: (i.decided_at is not None, i.decided_at),
                          reverse=True)  # fmt: skip

        decided = [i for i in every if i.status != "open" and not i.outdated]
        outdated = [i for i in every if i.status != "open" and i.outdated]
        return waiting + latest_first(decided) + latest_first(outdated)

    def dispute_item(self, proposal_id: str) -> Item | None:
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        return disputes.item(self.db, proposal_id, today=self.today(), show=self.config)

    def decide_item(
        self, proposal_id: str, choice: Choice | None, *, actor: str, note: str = "",
        approve: bool | None = None, assign_to: str | None = None,
    ) -> Arrangement:  # fmt: skip
        """Record the manager's decision; the arrangement it made."""
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        disputes.decide(
            self.db, self.config, proposal_id, choice, actor=actor, now=self.now(), note=note,
            approve=approve, assign_to=assign_to,
        )  # fmt: skip
        return disputes.arrangements(self.db, proposal_id=proposal_id, limit=1)[0]

    def decision_on(self, proposal_id: str) -> Arrangement | None:
        """The decision in force on an item (its latest settlement), None when there is none."""
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        found = [
            a for a in disputes.arrangements(self.db, proposal_id=proposal_id, limit=5)
            if a.outcome != "deferred"
        ]  # fmt: skip
        return found[0] if found else None

    def undo_preview(self, proposal_id: str) -> AfterUndo | None:
        """What undoing the decision on an item would leave (`kiosk.disputes.undo_preview`)."""
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        return disputes.undo_preview(self.db, proposal_id)

    def undo_decision(self, proposal_id: str, *, actor: str, reason: str = "") -> AfterUndo | None:
        """Take back the manager's decision on an item (`kiosk.disputes.undo`, which refuses
        with one line what cannot be undone); whom it left holding the customer."""
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        event = disputes.undo(
            self.db, self.config, proposal_id, actor=actor, now=self.now(), reason=reason
        )
        return disputes.after_undo(self.db, event)

    def add_case(self, proposal_id: str, *, by: str, text: str) -> None:
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        disputes.add_case(self.db, self.config, proposal_id, by=by, text=text, now=self.now())

    def standing(self, contact_id: str | None) -> Arrangement | None:
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        return disputes.standing(self.db, contact_id)

    def my_items(self, person: str) -> list[Item]:
        """Open items where `person` is a side: theirs to state a case on."""
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        return disputes.queue(self.db, today=self.today(), person=person, show=self.config)

    def my_decisions(self, person: str, limit: int = 30) -> list[tuple[Arrangement, str]]:
        """Decisions concerning `person`, newest first, with the customer's name."""
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        out = []
        for a in disputes.arrangements(self.db, person=person, limit=limit):
            row = self.db.execute(
                "SELECT name FROM contacts WHERE id = ?", [a.contact_id or ""]
            ).fetchone()
            out.append((a, row[0] if row else (a.contact_id or "")))
        return out

    def unseen_decisions(self, person: str) -> list[Arrangement]:
        """Decisions about `person` made since they last opened their disputes screen."""
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        seen = parse_ts(get_meta(self.db, SEEN_KEY + person))
        return [
            a for a in disputes.arrangements(self.db, person=person, limit=50)
            if seen is None or a.decided_at > seen
        ]  # fmt: skip

    def mark_decisions_seen(self, person: str) -> None:
        set_meta(self.db, SEEN_KEY + person, iso(self.now()) or "")

    def dispute_tallies(self) -> tuple[dict[str, disputes.Tally], dict[str, int]]:
        # measured start-up cost: kiosk.disputes (~18 ms), first needed here
        from kiosk import disputes

        return disputes.tallies(self.db)
