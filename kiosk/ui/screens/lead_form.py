"""Filing a new visitor as a lead (staff and manager), prefilled from their badge.

While the form is filled, the right-hand panel shows whom the lead will be routed to (the
same engine as a scan, re-run as country, email or company change) and any existing
contact it may duplicate (searched in a worker as name and email are typed). A scan while
the form is open fills it from the badge instead of typing into the focused field — only
the fields still empty once something is typed, saying which. Notes are only kept with the
visitor's consent: without it the notes box is disabled and empty.

A typed lead is never lost: it is kept as a draft of its author (the person logged in) in
the kiosk database as it is typed, and the form opens on it again for that person — after
the lock, a closed app or a power cut. Esc on a form with typed content asks first; saving
or discarding removes the draft.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from kiosk.badges import parse_badge
from kiosk.booth import BoothError, LeadInput
from kiosk.models import RATINGS, Contact
from kiosk.ui import explain
from kiosk.ui.db_errors import DB_ERRORS, damage_seen, describe
from kiosk.ui.messages import CandidatePicked, LeadSaved
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.confirm import ConfirmModal
from kiosk.ui.screens.known_contact import KnownContactModal
from kiosk.ui.timers import Later, call_after
from kiosk.ui.widgets.country_field import CountryField
from kiosk.ui.widgets.footer import KioskFooter
from kiosk.ui.widgets.header import KioskHeader
from kiosk.ui.widgets.tr import Tr
from kiosk.ui.widgets.visitor_card import country_label
from kiosk.visits import Candidate, DuplicateLead, OnDuplicate, Visit, visitor_from_badge

TEXT_FIELDS = ("name", "company", "email", "phone")
DRAFT_DELAY = 0.3  # seconds after the last change before the draft is written


class LeadFormScreen(KioskScreen):
    TITLE_KEY = "title.lead"
    OWN_KEY = "new_lead"
    NARROW_HIDDEN = ("manager", "arrivals")
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="save", priority=True),
        Binding("ctrl+o", "open_existing", "key.open_existing", id="open_existing", priority=True),
        Binding("escape", "cancel", "key.cancel", id="cancel"),
    ]

    class DuplicatesFound(Message):
        def __init__(self, key: tuple[str, str], found: list[Candidate]) -> None:
            super().__init__()
            self.key = key
            self.found = found

    def __init__(self, prefill: Visit | None = None) -> None:
        super().__init__()
        self.prefill = prefill
        c = prefill.contact if prefill is not None else None
        # the walk-in this form completes into a lead (no second contact is made)
        self.walkin_id = c.id if c is not None and c.known and c.source == "booth" else None
        self.extra: dict[str, str | None] = {"title": "", "city": "", "badge_id": None}
        self.duplicates: list[Candidate] = []
        self._route_timer: Later | None = None
        self._dupe_timer: Later | None = None
        self._draft_timer: Later | None = None
        self.author = ""  # whose draft this form is: set on mount, kept if the session changes
        self._baseline: dict[str, Any] = {}  # the form as opened: unchanged means nothing typed
        self._owns_draft = False  # the stored draft is this form's (written or restored here)
        self._finished = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield KioskHeader()
        with Horizontal(id="lead-body"):
            with VerticalScroll(id="lead-form"):
                with Grid(id="lead-grid"):
                    for name in TEXT_FIELDS:
                        with Vertical(classes="field"):
                            yield Tr(f"lead.{name}", classes="field-label")
                            yield Input(id=f"f-{name}")
                yield Tr("lead.country", classes="field-label")
                yield CountryField(id="f-country")
                with Horizontal(id="lead-choices"):
                    with Vertical(classes="field"):
                        yield Tr("lead.rating", classes="field-label")
                        with RadioSet(id="f-rating"):
                            for r in RATINGS:
                                yield RadioButton(r, value=(r == "warm"), id=f"rating-{r}")
                    with Vertical(classes="field", id="products-field"):
                        yield Tr("lead.products", classes="field-label")
                        yield SelectionList[str](id="f-products")
                yield Checkbox(id="f-consent")
                yield TextArea(id="f-notes", disabled=True)
                yield Static(id="notes-why", markup=False)
                with Horizontal(id="receiving-row"):
                    yield Checkbox(id="f-receiving")
                    yield Select[str]([], id="f-receiver", allow_blank=True)
                yield Static(id="form-error", markup=False)
                with Horizontal(id="form-buttons"):
                    yield Button("", id="save", variant="success")
                    yield Button("", id="cancel")
            with Vertical(id="lead-side"):
                yield Tr("lead.routed_to", classes="side-title")
                yield Static(id="route-owner", markup=False)
                yield Static(id="route-why", markup=False)
                yield Tr("lead.duplicates", id="dupes-title", classes="side-title")
                yield OptionList(id="dupes")
                yield Static(id="dupes-hint", markup=False)
        yield KioskFooter()

    def on_mount(self) -> None:
        app = self.kiosk
        self.author = app.user.id if app.user is not None else app.role
        self.relabel()
        self._fill_static_choices()
        if self.prefill is not None:
            self._fill_from_contact(self.prefill.contact, self.prefill.badge)
        self.query_one("#f-name", Input).focus()
        self._baseline = self.form_data()
        draft = app.services.lead_draft(self.author)
        if draft and draft != self._baseline:
            if self.prefill is None:
                self._restore(draft)
            else:
                self._ask_about_draft(draft)
        self._route_now()
        self._show_duplicates([])

    def _fill_static_choices(self) -> None:
        products = self.kiosk.services.config.products
        sel = self.query_one("#f-products", SelectionList)
        sel.clear_options()
        sel.add_options([(Text(p), p) for p in products])
        # Tab into the list lands on the first product: the first Space selects it
        sel.highlighted = 0 if products else None
        self.query_one("#products-field").display = bool(products)
        staff = self.kiosk.services.sales_staff()
        receiver = self.query_one("#f-receiver", Select)
        receiver.set_options([(Text(sp.name), sp.id) for sp in staff])
        if self.kiosk.user is not None:
            receiver.value = self.kiosk.user.id
        receiver.disabled = True

    def relabel(self) -> None:
        t = self.kiosk.t
        for name in TEXT_FIELDS:
            self.query_one(f"#f-{name}", Input).placeholder = t(f"lead.{name}_placeholder")
        self.query_one(CountryField).relabel()
        for r in RATINGS:
            self.query_one(f"#rating-{r}", RadioButton).label = t(f"rating.{r}")
        self.query_one("#f-consent", Checkbox).label = t("lead.consent")
        self.query_one("#f-receiving", Checkbox).label = t("lead.receiving")
        self.query_one("#f-receiver", Select).prompt = t("lead.receiver_prompt")
        self.query_one("#save", Button).label = t("lead.save")
        self.query_one("#cancel", Button).label = t("lead.cancel")
        self._show_notes_why()
        self._route_now()
        self._show_duplicates(self.duplicates)

    # ------------------------------------------------------------------ filling
    def _fill_from_contact(self, c: Contact, badge=None) -> None:
        for name in TEXT_FIELDS:
            value = getattr(c, name, "") or ""
            if value:
                self.query_one(f"#f-{name}", Input).value = value
        country = c.country or (badge.country if badge is not None else None)
        if country:
            self.query_one(CountryField).set_country(country)
        self.extra = {"title": c.title or "", "city": c.city or "", "badge_id": c.badge_id}

    def accept_scan(self, payload: str) -> bool:
        """A badge scanned while the form is open fills it (never types into a field).

        Once something is typed, only the empty fields are filled, and the person is told
        which — a scan never overwrites what they typed."""
        t = self.kiosk.t
        badge = parse_badge(payload, field_order=self.kiosk.services.config.badge_fields)
        visitor = visitor_from_badge(badge)
        if not (visitor.name or visitor.email or visitor.company):
            self.kiosk.notify(t("lead.scan_empty"), severity="warning")
            return True
        typed = [n for n in TEXT_FIELDS if self.query_one(f"#f-{n}", Input).value.strip()]
        country = self.query_one(CountryField)
        if country.alpha2 or country.input.value.strip():
            typed.append("country")
        if not typed:
            self._fill_from_contact(visitor, badge)
            self.kiosk.notify(
                t("lead.scan_filled", name=visitor.name or visitor.email), markup=False
            )
            return True
        filled = self._fill_empty(visitor, badge)
        names = t("lead.list_sep").join(t(f"lead.field_{n}") for n in filled)
        kept = t("lead.list_sep").join(t(f"lead.field_{n}") for n in typed)
        if filled:
            self.kiosk.notify(t("lead.scan_filled_empty", filled=names, kept=kept), markup=False)
        else:
            self.kiosk.notify(t("lead.scan_nothing_new", kept=kept), severity="warning")
        return True

    def _fill_empty(self, c: Contact, badge) -> list[str]:
        """Fill only the empty fields from a badge; the names of the fields filled."""
        filled = []
        for name in TEXT_FIELDS:
            box = self.query_one(f"#f-{name}", Input)
            value = getattr(c, name, "") or ""
            if value and not box.value.strip():
                box.value = value
                filled.append(name)
        field = self.query_one(CountryField)
        country = c.country or (badge.country if badge is not None else None)
        if country and not field.alpha2 and not field.input.value.strip():
            field.set_country(country)
            filled.append("country")
        for key, value in (("title", c.title), ("city", c.city), ("badge_id", c.badge_id)):
            if value and not self.extra.get(key):
                self.extra[key] = value
        return filled

    # ------------------------------------------------------------------ the draft
    def form_data(self) -> dict[str, Any]:
        """Everything typed, as the draft stores it (JSON-ready)."""
        rating = "warm"
        pressed = self.query_one("#f-rating", RadioSet).pressed_button
        if pressed is not None and pressed.id:
            rating = pressed.id.removeprefix("rating-")
        country = self.query_one(CountryField)
        receiver = self.query_one("#f-receiver", Select).value
        return {
            "fields": {n: self.query_one(f"#f-{n}", Input).value for n in TEXT_FIELDS},
            "country": country.alpha2,
            "country_text": country.input.value,
            "rating": rating,
            "products": list(self.query_one("#f-products", SelectionList).selected),
            "consent": self.query_one("#f-consent", Checkbox).value,
            "notes": self.query_one("#f-notes", TextArea).text,
            "receiving": self.query_one("#f-receiving", Checkbox).value,
            "receiver": receiver if isinstance(receiver, str) else None,
            "extra": dict(self.extra),
            "walkin_id": self.walkin_id,
        }

    def typed(self) -> bool:
        """Has anything been typed since the form opened (a restored draft counts)?"""
        return bool(self._baseline) and self.form_data() != self._baseline

    def _restore(self, draft: dict[str, Any]) -> None:
        """Put a draft back into the form."""
        fields = draft.get("fields") or {}
        for name in TEXT_FIELDS:
            self.query_one(f"#f-{name}", Input).value = str(fields.get(name) or "")
        country = self.query_one(CountryField)
        if draft.get("country") or draft.get("country_text"):
            country.set_country(draft.get("country"), str(draft.get("country_text") or ""))
        rating = draft.get("rating")
        if rating in RATINGS:
            self.query_one(f"#rating-{rating}", RadioButton).value = True
        products = self.query_one("#f-products", SelectionList)
        for product in draft.get("products") or []:
            if product in self.kiosk.services.config.products:
                products.select(product)
        consent = bool(draft.get("consent"))
        self.query_one("#f-consent", Checkbox).value = consent
        notes = self.query_one("#f-notes", TextArea)
        notes.disabled = not consent
        notes.text = str(draft.get("notes") or "") if consent else ""
        self.query_one("#f-receiving", Checkbox).value = bool(draft.get("receiving"))
        receiver = draft.get("receiver")
        if receiver and self.kiosk.services.person(receiver) is not None:
            self.query_one("#f-receiver", Select).value = receiver
        extra = draft.get("extra") or {}
        self.extra = {k: extra.get(k) or ("" if k != "badge_id" else None) for k in self.extra}
        self.walkin_id = draft.get("walkin_id") or None
        self._owns_draft = True
        name = str(fields.get("name") or fields.get("email") or "")
        self.kiosk.notify(self.kiosk.t("lead.draft_restored", name=name), markup=False)

    def _ask_about_draft(self, draft: dict[str, Any]) -> None:
        """F3 on a new visitor's card while this person has an unsaved lead: which one?"""
        t = self.kiosk.t
        fields = draft.get("fields") or {}
        name = str(fields.get("name") or fields.get("email") or "…")

        def answered(keep: bool | None) -> None:
            if keep:
                for box in self.query(Input):
                    box.value = ""
                self._restore(draft)
            else:
                self.kiosk.services.drop_lead_draft(self.author)

        question = t("lead.draft_question", name=name)
        self.kiosk.push_screen(ConfirmModal(question, t("lead.draft_question_detail")), answered)

    def _draft_changed(self) -> None:
        if self._finished or not self._baseline:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = call_after(self, DRAFT_DELAY, self.save_draft)

    def save_draft(self) -> None:
        """Write the draft now (or remove this form's draft when everything was erased)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self._finished or not self._baseline or not self.author:
            return
        services = self.kiosk.services
        if self.typed():
            services.save_lead_draft(self.author, self.form_data())
            self._owns_draft = True
        elif self._owns_draft:
            services.drop_lead_draft(self.author)
            self._owns_draft = False

    def before_close(self) -> None:
        # locked, another screen opened, the app quitting: keep what was typed
        self.save_draft()

    @on(RadioSet.Changed)
    @on(SelectionList.SelectedChanged)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(CountryField.Changed)
    def _something_changed(self) -> None:
        self._draft_changed()

    def refresh_session(self) -> None:
        super().refresh_session()
        app = self.kiosk
        if (app.user.id if app.user is not None else app.role) != self.author:
            # someone else logged in: the draft stays its author's, and so does the form
            self.save_draft()
            if self.is_current:
                app.pop_screen()

    # ------------------------------------------------------------------ live routing
    def _visitor(self) -> Contact:
        v = {name: self.query_one(f"#f-{name}", Input).value.strip() for name in TEXT_FIELDS}
        return Contact(
            id=None, name=v["name"], company=v["company"], email=v["email"], phone=v["phone"],
            country=self.query_one(CountryField).alpha2, title=self.extra["title"] or "",
            city=self.extra["city"] or "", badge_id=self.extra["badge_id"],
        )  # fmt: skip

    def _receiver(self) -> str | None:
        if not self.query_one("#f-receiving", Checkbox).value:
            return None
        value = self.query_one("#f-receiver", Select).value
        return value if isinstance(value, str) else None

    @on(Input.Changed)
    def field_changed(self, event: Input.Changed) -> None:
        self._draft_changed()
        if event.input.id in ("f-email", "f-company", "f-name"):
            self._schedule_route()
        if event.input.id in ("f-email", "f-name"):
            self._schedule_duplicates()

    @on(CountryField.Changed)
    def country_changed(self) -> None:
        self._schedule_route()

    def _schedule_route(self) -> None:
        if self._route_timer is not None:
            self._route_timer.stop()
        self._route_timer = call_after(self, 0.08, self._route_now)

    def _route_now(self) -> None:
        app = self.kiosk
        walkin = self.walkin_id
        # A walk-in being completed keeps the salesperson reception called for them.
        visitor = (app.services.contact(walkin) if walkin else None) or self._visitor()
        try:
            decision = app.services.route(visitor, brought_by=self._receiver())
        except Exception as exc:  # noqa: BLE001 - the preview must never break the form
            self.query_one("#route-why", Static).update(Text(str(exc)))
            return
        owner = app.services.person(decision.salesperson_id)
        text = Text()
        if owner is not None:
            text.append(owner.name, style="bold")
            if owner.phone:
                text.append(f"\n☎ {owner.phone}")
            if owner.languages:
                text.append("\n" + app.t("card.speaks", langs=explain.languages(owner, app.t)))
        else:
            text.append(app.t("card.call_nobody"), style="bold")
        self.query_one("#route-owner", Static).update(text)
        why = Text(explain.rule_title(decision.rule, app.t), style="italic")
        for line in explain.why_lines(decision, visitor, app.services.people, app.t):
            why.append("\n• " + line)
        self.query_one("#route-why", Static).update(why)

    # ------------------------------------------------------------------ duplicates
    def _schedule_duplicates(self) -> None:
        if self._dupe_timer is not None:
            self._dupe_timer.stop()
        self._dupe_timer = call_after(self, 0.25, self._find_duplicates)

    def _dupe_key(self) -> tuple[str, str]:
        return (self.query_one("#f-name", Input).value, self.query_one("#f-email", Input).value)

    def _find_duplicates(self) -> None:
        name, email = self._dupe_key()
        if len(name.strip()) < 4 and "@" not in email:
            self._show_duplicates([])
            return
        self.search_duplicates(name, email, self.query_one("#f-company", Input).value)

    @work(thread=True, exclusive=True, group="dupes", exit_on_error=False)
    def search_duplicates(self, name: str, email: str, company: str) -> None:
        found = self.kiosk.services.duplicates(name=name, email=email, company=company)
        self.post_message(self.DuplicatesFound((name, email), found))

    def on_lead_form_screen_duplicates_found(self, message: DuplicatesFound) -> None:
        if message.key == self._dupe_key():
            self._show_duplicates(message.found)

    def _show_duplicates(self, found: list[Candidate]) -> None:
        walkin = self.walkin_id  # the visitor this form completes is no duplicate of itself
        found = [c for c in found if c.contact.id != walkin]
        self.duplicates = found
        t = self.kiosk.t
        box = self.query_one("#dupes", OptionList)
        box.clear_options()
        for cand in found:
            c = cand.contact
            line = Text(c.name, style="bold")
            for part in (c.company, c.email, country_label(c.country, self.kiosk.lang)):
                if part:
                    line.append("\n  " + part)
            owner = cand.owner.name if cand.owner else t("card.nobody")
            line.append("\n  → " + owner, style="italic")
            box.add_option(Option(line))
        for w in ("#dupes-title", "#dupes"):
            self.query_one(w).display = bool(found)
        self.query_one("#dupes-hint", Static).update(
            Text(t("lead.duplicates_hint") if found else "")
        )
        self.query_one("#lead-side").set_class(bool(found), "-duplicate")
        self.refresh_bindings()  # Ctrl+O appears in the footer only when there is a duplicate

    @on(OptionList.OptionSelected, "#dupes")
    def open_duplicate(self, event: OptionList.OptionSelected) -> None:
        self._open_duplicate(event.option_index)

    def action_open_existing(self) -> None:
        """Ctrl+O: the highlighted (else the first) possible duplicate instead of a new lead."""
        box = self.query_one("#dupes", OptionList)
        self._open_duplicate(box.highlighted or 0)

    def _open_duplicate(self, index: int) -> None:
        if 0 <= index < len(self.duplicates):
            check_in = self.kiosk.services.config.checkin_on_scan
            self.post_message(CandidatePicked(self.duplicates[index].contact, check_in=check_in))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_existing":
            return bool(self.duplicates)
        return True

    def on_resize(self, event: events.Resize) -> None:
        # rating and products side by side need ~120 columns; below that, one under the other
        self.set_class(self.size.width < 120, "-narrow")

    # ------------------------------------------------------------------ consent, receiving
    @on(Checkbox.Changed, "#f-consent")
    def consent_changed(self, event: Checkbox.Changed) -> None:
        notes = self.query_one("#f-notes", TextArea)
        notes.disabled = not event.value
        if not event.value and notes.text.strip():
            notes.text = ""
            self.kiosk.notify(self.kiosk.t("lead.notes_cleared"), severity="warning")
        self._show_notes_why()

    def _show_notes_why(self) -> None:
        consent = self.query_one("#f-consent", Checkbox).value
        key = "lead.notes_with_consent" if consent else "lead.notes_need_consent"
        self.query_one("#notes-why", Static).update(Text(self.kiosk.t(key), style="dim italic"))

    @on(Checkbox.Changed, "#f-receiving")
    def receiving_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#f-receiver", Select).disabled = not event.value
        self._schedule_route()

    @on(Select.Changed, "#f-receiver")
    def receiver_changed(self) -> None:
        self._schedule_route()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if event.input.id and event.input.id.startswith("f-"):
            self.focus_next()

    # ------------------------------------------------------------------ saving
    def lead_input(self) -> LeadInput:
        v = self._visitor()
        rating = "warm"
        pressed = self.query_one("#f-rating", RadioSet).pressed_button
        if pressed is not None and pressed.id:
            rating = pressed.id.removeprefix("rating-")
        consent = self.query_one("#f-consent", Checkbox).value
        return LeadInput(
            name=v.name, company=v.company, email=v.email, phone=v.phone, country=v.country,
            city=v.city, title=v.title, badge_id=v.badge_id, rating=rating,
            products=tuple(self.query_one("#f-products", SelectionList).selected),
            notes=self.query_one("#f-notes", TextArea).text if consent else "", consent=consent,
            brought_by=self._receiver(), contact_id=self.walkin_id,
        )  # fmt: skip

    @on(Button.Pressed, "#save")
    def action_save(self, duplicate: OnDuplicate = "ask") -> None:
        app = self.kiosk
        error = self.query_one("#form-error", Static)
        try:
            visit = app.services.file_lead(self.lead_input(), actor=app.actor, duplicate=duplicate)
        except DuplicateLead as exc:
            # the same question `kiosk lead add` asks: that contact, or another person?
            def answered(choice: OnDuplicate | None) -> None:
                if choice is not None:
                    self.action_save(choice)

            known = KnownContactModal(exc.known, app.services.people, exc.by_name)
            app.push_screen(known, answered)
            return
        except BoothError as exc:
            error.update(Text(app.t("lead.error", error=str(exc)), style="bold"))
            error.add_class("-shown")
            app.notify(str(exc), severity="error", markup=False)
            return
        except DB_ERRORS as exc:
            # the database refused the write (locked, read-only, damaged): the form stays
            # as typed — the guard's toast spoke of a scan kept and retried, and a lead is not
            self.log.error(f"lead not saved: {exc!r}")
            said = app.t("lead.not_saved_db", error=describe(exc))
            error.update(Text(said, style="bold"))
            error.add_class("-shown")
            app.notify(said, severity="error", markup=False)
            damage_seen(self, exc)
            return
        self._finished = True  # filed: no draft to keep
        app.services.drop_lead_draft(self.author)
        owner = visit.owner.name if visit.owner else app.t("card.nobody")
        app.notify(app.t("lead.saved", name=visit.contact.name, owner=owner), markup=False)
        receiver = self._receiver()
        proposals = None
        if receiver and visit.checkin_id:
            # the one filling the form is with the visitor: they are received, not waiting
            try:
                proposals = app.services.mark_received(
                    visit.checkin_id, by=receiver, actor=app.actor
                )
            except BoothError as exc:
                app.notify(str(exc), severity="warning", markup=False)
            else:
                visit = replace(visit, received_by=receiver)
        self.post_message(LeadSaved(visit, proposals))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Esc: close the form — asking first when something was typed (the draft goes)."""
        if not self.typed():
            self._discard()
            return
        t = self.kiosk.t
        name = self.query_one("#f-name", Input).value.strip() or t("lead.this_visitor")

        def answered(discard: bool | None) -> None:
            if discard:
                self._discard()

        question = t("lead.discard_question")
        self.kiosk.push_screen(
            ConfirmModal(question, t("lead.discard_detail", name=name)), answered
        )

    def _discard(self) -> None:
        self._finished = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.kiosk.services.drop_lead_draft(self.author)
        self.kiosk.pop_screen()
