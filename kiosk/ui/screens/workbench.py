"""The dispute workbench: one item, both salespeople's evidence side by side, and the decision.

Opened from the manager's queue (Enter). The manager reads who filed the customer, who met
them first, who invited them and whether they came on it, who brought or received them,
last contact and deal, the customer's wish and each side's own case, then decides with one
key: keep the owner (k), give to the other (g), share — the owner keeps it and the other
assists (s), or the other way round (r) — with the split set by ←/→ (5% steps, never above
the show's cap), the customer chose (c), or defer to a day (d). An item with nobody
proposed (a lapsed owner alone on the territory) has one side: g picks the new owner from
the salespeople instead (the CLI's `kiosk decide ID --approve --to SALESPERSON`), and the
keys that need two sides — s, r, c and the split — are neither offered nor shown: the line
of keys and the footer both ask `_offers`. Every decision asks for the
manager's note and is one event (`kiosk.disputes.decide`); a refusal is shown as one line.
A split the core refuses (`routing.arrangement.split_problem`: 0% is no share) is said in
the decision's dialog, which records nothing.

A decided item (the manager's queue lists them after `h`) offers one key instead: undo (u),
which asks first — No is the default, since it changes who holds the customer — then takes
the decision back (`kiosk.disputes.undo`): the item is open again here, to decide anew.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from kiosk.disputes import Choice, Item
from kiosk.events.validate import shown
from kiosk.routing.arrangement import SplitProblem, split_problem
from kiosk.ui.explain import name_of
from kiosk.ui.messages import DecisionUndone, ProposalDecided
from kiosk.ui.screens.assign import AssignModal
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.confirm import ConfirmModal
from kiosk.ui.screens.decision import DecisionModal
from kiosk.ui.screens.pick import PickModal
from kiosk.ui.widgets.evidence import arrangement_line, evidence_table, short_day
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.plain import plain_boxes
from kiosk.ui.widgets.reason import reason_line, refusal_line

STEP = 5  # percentage points per ←/→
# The line of keys, in order: `workbench.hint_<action>` for each the item offers (`_offers`).
HINTS = ("keep", "give", "choose", "share", "share_other", "customer", "defer")
# What the dialog says of a split the core refuses, by `split_problem`'s answer.
SPLIT_ERRORS: dict[SplitProblem, str] = {
    "none": "workbench.split_none",
    "all": "workbench.split_all",
    "cap": "workbench.split_over",
    "number": "workbench.split_number",
}


class WorkbenchScreen(KioskScreen):
    TITLE_KEY = "title.workbench"
    # Under 120 columns the footer keeps k, g, s (the line above it names every key).
    NARROW_HIDDEN = ("search", "new_lead", "arrivals", "manager", "share_other", "customer_chose",
                     "defer", "split_more")  # fmt: skip
    BINDINGS = [
        Binding("escape", "back", "key.back", id="back"),
        Binding("k", "keep", "key.keep", id="keep"),
        Binding("g", "give", "key.give", id="give"),
        # the same key when nobody is proposed: the footer says what it does then
        Binding("g", "choose", "key.choose_owner", id="choose_owner"),
        Binding("s", "share(False)", "key.share", id="share"),
        Binding("r", "share(True)", "key.share_other", id="share_other"),
        Binding("c", "customer", "key.customer_chose", id="customer_chose"),
        Binding("d", "defer", "key.defer", id="defer"),
        Binding("right,plus", f"split({STEP})", "key.split_more", id="split_more"),
        Binding("left,minus", f"split({-STEP})", "key.split_less", id="split_less", show=False),
        Binding("u", "undo", "key.undo", id="undo"),
    ]

    def __init__(self, proposal_id: str) -> None:
        super().__init__()
        self.proposal_id = proposal_id
        self.item: Item | None = None
        self.evidence: Table | None = None  # both sides, as drawn (rich)
        self.split = 0  # percent, for a shared decision
        self.cap = 50

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        with VerticalScroll(id="wb-body"):
            yield from plain_boxes(
                "wb-title", "wb-reason", "wb-evidence", "wb-standing", "wb-split", "wb-keys"
            )
        yield KioskFooter()

    def on_mount(self) -> None:
        super().on_mount()
        services = self.kiosk.services
        self.cap = round(services.split_cap() * 100)
        self.item = services.dispute_item(self.proposal_id)
        proposed = self.item.split if self.item is not None else None
        start = proposed if proposed is not None else services.config.suggested_split
        self.split = min(self.cap, round(start * 100))
        self.relabel()

    def booth_changed(self) -> None:
        self.item = self.kiosk.services.dispute_item(self.proposal_id)
        self.relabel()

    # ------------------------------------------------------------------ showing
    def relabel(self) -> None:
        app, t = self.kiosk, self.kiosk.t
        services, i = app.services, self.item
        q = self.query_one
        today = services.today()
        if i is None:
            q("#wb-title", Static).update(Text(t("workbench.gone"), style="bold"))
            return
        title = Text(i.contact_name, style="bold")
        if i.company:
            title.append(" · " + i.company)
        title.append("   " + t.maybe(f"kind.proposal_{i.kind}", i.kind), style="bold #d97706")
        if i.created_at is not None:
            since = short_day(i.created_at.astimezone(services.zone).date(), t, year_of=today)
            title.append("   " + t("workbench.since", date=since))
        if i.deferred_until is not None:
            key = "workbench.back_today" if i.returned else "workbench.deferred"
            until = short_day(i.deferred_until, t, year_of=today)
            title.append("   " + t(key, date=until), style="italic")
        if i.crm_settled:  # a CRM import gives the customer to someone else
            said = t("workbench.crm_settled", owner=self._person(i.owner_now))
            title.append("   " + said, style="bold #d97706")
        elif i.outdated:  # a later decision left the customer with another owner
            at = (i.decided_at or i.created_at or services.now()).astimezone(services.zone)
            on = short_day(at.date(), t, year_of=today)
            said = t("workbench.outdated", date=on, owner=self._person(i.owner_now))
            title.append("   " + said, style="bold #d97706")
        elif i.status != "open":
            title.append("   " + t("workbench.closed"), style="bold #16a34a")
        q("#wb-title", Static).update(title)
        reason = Text(reason_line(i, t, services.people, services.zone, today), style="dim")
        for d in i.clock_doubts:  # a stamp no honest clock gives decides rule 6 all the same
            stamp = d.at.astimezone(services.zone).strftime("%Y-%m-%d %H:%M")
            said = (
                t("workbench.clock_behind", kiosk=shown(d.kiosk_id), date=stamp, days=d.behind.days)
                if d.behind is not None
                else t("workbench.clock_ahead", kiosk=shown(d.kiosk_id), date=stamp)
            )
            reason.append("\n" + said, style="bold #d97706")
        for k in i.shared_kiosks:  # "filed at kiosk-1" could be either laptop
            reason.append("\n" + t("workbench.shared_kiosk", kiosk=shown(k)), style="bold #d97706")
        q("#wb-reason", Static).update(reason)
        self.evidence = evidence_table(i, t, services.people, services.zone, today)
        q("#wb-evidence", Static).update(self.evidence)
        standing = q("#wb-standing", Static)
        standing.display = i.standing is not None
        if i.standing is not None:
            line = arrangement_line(i.standing, t, services.people, services.zone)
            in_force = Text(t("workbench.standing", what=line))
            if i.standing.note:  # the manager's why, with what they decided
                in_force.append("\n" + t("workbench.note", note=i.standing.note), style="not bold")
            standing.update(in_force)
        split = q("#wb-split", Static)
        # a decided item has no split to set, only undo; a one-sided item none to share
        split.display = i.status == "open" and self._offers("split")
        split.update(self._split_text())
        q("#wb-keys", Static).update(Text(self._keys_text(), style="dim"))
        self.refresh_bindings()

    def _split_text(self) -> Text:
        t = self.kiosk.t
        text = Text(t("workbench.split_label") + "  ")
        text.append(" ◀ ", style="reverse" if self.split > 0 else "dim")
        text.append(f" {self.split}% ", style="bold")
        text.append(" ▶ ", style="reverse" if self.split < self.cap else "dim")
        text.append("   " + t("workbench.split_cap", cap=f"{self.cap}%"), style="dim")
        return text

    def _sides(self) -> tuple[str | None, str | None]:
        i = self.item
        return (i.current_id, i.proposed_id) if i is not None else (None, None)

    def _person(self, sp: str | None) -> str:
        return name_of(self.kiosk.services.people, sp) or self.kiosk.t("card.nobody")

    def _keys_text(self) -> str:
        t = self.kiosk.t
        if self._undoable():
            return t("workbench.keys_decided")
        owner, other = (self._person(s) for s in self._sides())
        names = dict(owner=owner, other=other, split=f"{self.split}%")
        return " · ".join(t(f"workbench.hint_{a}", **names) for a in HINTS if self._offers(a))

    # ------------------------------------------------------------------ deciding
    def _undoable(self) -> bool:
        """A decided item the manager may try to undo (the core says if it cannot)."""
        i = self.item
        return (
            self.kiosk.role == "manager" and i is not None and i.status != "open"
            and not i.outdated
        )  # fmt: skip

    def _offers(self, action: str) -> bool:
        """Whether this item's sides make sense of `action` (the role and the item's state
        aside): sharing, the customer's choice and the split need two sides; giving needs
        someone proposed, else choosing does; keeping needs an owner to keep."""
        i = self.item
        if i is None:
            return False
        if action in ("share", "share_other", "customer", "split"):
            return i.current_id is not None and i.proposed_id is not None
        if action == "give":
            return i.proposed_id is not None
        if action == "choose":
            return i.proposed_id is None
        if action == "keep":
            return i.current_id is not None
        return action == "defer"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self._undoable()
        if action in ("keep", "give", "choose", "share", "customer", "defer", "split"):
            i = self.item
            if self.kiosk.role != "manager" or i is None or i.status != "open":
                return False
            return self._offers(action)
        return True

    def action_split(self, step: int) -> None:
        self.split = max(0, min(self.cap, self.split + step))
        self.query_one("#wb-split", Static).update(self._split_text())
        self.query_one("#wb-keys", Static).update(Text(self._keys_text(), style="dim"))

    def action_keep(self) -> None:
        owner, _ = self._sides()
        self._confirm("workbench.q_keep", Choice(owner_id=owner), owner=self._person(owner))

    def action_give(self) -> None:
        _, other = self._sides()
        if other is None:  # nobody proposed: the manager picks the new owner
            self.action_choose()
            return
        self._confirm("workbench.q_give", Choice(owner_id=other), who=self._person(other))

    def action_choose(self) -> None:
        """g with nobody proposed (a lapse no one else covers): pick the new owner among the
        salespeople, the owner left out, then confirm as for giving."""
        owner, _ = self._sides()

        def picked(who: str | None) -> None:
            if who:
                self._confirm("workbench.q_give", Choice(owner_id=who), who=self._person(who))

        self.kiosk.push_screen(AssignModal(self._customer(), owner), picked)

    def action_share(self, reverse: bool) -> None:
        owner, other = self._sides()
        if reverse:
            owner, other = other, owner
        choice = Choice(owner_id=owner, assistant_id=other, split=self.split / 100)
        problem = split_problem(self.split / 100, self.kiosk.services.split_cap())
        error = (
            self.kiosk.t(SPLIT_ERRORS[problem], split=f"{self.split}%", cap=f"{self.cap}%")
            if problem
            else ""
        )
        self._confirm("workbench.q_share", choice, error=error, owner=self._person(owner),
                      who=self._person(other), split=f"{self.split}%")  # fmt: skip

    def action_customer(self) -> None:
        sides = [(s, self._person(s)) for s in self._sides() if s]

        def picked(who: str | None) -> None:
            if who:
                choice = Choice(owner_id=who, customer_chose=True)
                self._confirm("workbench.q_customer", choice, who=self._person(who))

        title = self.kiosk.t("workbench.pick_customer", name=self._customer())
        self.kiosk.push_screen(PickModal(title, sides), picked)

    def action_defer(self) -> None:
        self._confirm("workbench.q_defer", Choice(), ask_until=True)

    def _customer(self) -> str:
        return self.item.contact_name if self.item is not None else ""

    def _confirm(
        self, key: str, choice: Choice, *, ask_until: bool = False, error: str = "", **names: Any
    ) -> None:
        t = self.kiosk.t
        question = t(key, name=self._customer(), **names)
        detail = t(key + "_detail", name=self._customer(), **names)

        def done(answer: dict[str, Any] | None) -> None:
            if answer is None:
                return
            if ask_until:
                choice_ = Choice(defer_until=answer["until"])
            else:
                choice_ = choice
            self._decide(choice_, answer["note"])

        modal = DecisionModal(
            question, detail, today=self.kiosk.services.today(), ask_until=ask_until, error=error
        )
        self.kiosk.push_screen(modal, done)

    def _decide(self, choice: Choice, note: str) -> None:
        app = self.kiosk
        try:
            a = app.services.decide_item(self.proposal_id, choice, actor=app.actor, note=note)
        except Exception as exc:  # noqa: BLE001 - the core's one-line refusal
            services = app.services
            said = refusal_line(exc, app.t, services.people, services.zone, services.today())
            app.notify(said, severity="error", markup=False)
            return
        line = arrangement_line(a, app.t, app.services.people, app.services.zone)
        app.notify(app.t("workbench.decided", what=line), markup=False, timeout=8)
        self.post_message(ProposalDecided(self.proposal_id, approve=a.outcome != "kept"))
        app.pop_screen()

    # ------------------------------------------------------------------ undoing
    def action_undo(self) -> None:
        app, t = self.kiosk, self.kiosk.t
        if not self._undoable():
            return
        decision = app.services.decision_on(self.proposal_id)
        what = (
            arrangement_line(decision, t, app.services.people, app.services.zone)
            if decision is not None
            else t("workbench.closed")
        )
        question = t("workbench.q_undo", name=self._customer())
        left = app.services.undo_preview(self.proposal_id)
        if left is not None and left.crm_changed_from:  # not "as before": the CRM's owner
            detail = t(
                "workbench.q_undo_detail_crm", name=self._customer(), what=what,
                owner=self._person(left.owner_id), before=self._person(left.crm_changed_from),
            )  # fmt: skip
        else:
            detail = t("workbench.q_undo_detail", name=self._customer(), what=what)

        def answered(yes: bool | None) -> None:
            if yes:
                self._undo()

        app.push_screen(ConfirmModal(question, detail, default_no=True), answered)

    def _undo(self) -> None:
        app = self.kiosk
        try:
            left = app.services.undo_decision(self.proposal_id, actor=app.actor)
        except Exception as exc:  # noqa: BLE001 - the core's one-line refusal, shown as is
            app.notify(str(exc), severity="error", markup=False)
            return
        if left is not None and left.crm_changed_from:  # not "as before": the CRM's owner
            said = app.t(
                "workbench.undone_crm", name=self._customer(), owner=self._person(left.owner_id),
                before=self._person(left.crm_changed_from),
            )  # fmt: skip
        else:
            said = app.t("workbench.undone", name=self._customer())
        app.notify(said, markup=False, timeout=8)
        self.post_message(DecisionUndone(self.proposal_id))
        self.booth_changed()  # open again: the decision keys are back

    def action_back(self) -> None:
        self.kiosk.pop_screen()
