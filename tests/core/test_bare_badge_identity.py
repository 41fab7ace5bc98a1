"""A walk-in scanned from a bare badge id has no name: its badge id names them on the card,
the arrivals board and the salesperson's notice (which read "已到前台", has arrived, with
nobody named), live and after `kiosk rebuild`."""

from __future__ import annotations

import pytest

from kiosk import events
from kiosk.notify.kinds import NOTIFIERS, EventRow
from kiosk.reports.dashboard import arrivals
from kiosk.store import get_contact
from kiosk.visits import VisitService
from tests.factory import CONFIG, NOW

CODE = "GLE26-0954321"


def walk_in(db):
    visit = VisitService(db, CONFIG, clock=lambda: NOW).resolve(CODE, record=True)
    assert visit.walkin and visit.recorded and visit.contact.name == ""
    return visit


def test_the_walk_ins_card_carries_its_badge_id(db):
    visit = walk_in(db)
    assert visit.contact.badge_id == CODE
    # and so does the contact read again (the arrivals board opens it, a lead completes it)
    assert get_contact(db, visit.contact.id).badge_id == CODE


def test_a_named_contact_is_read_as_before(db):
    cid = db.execute("SELECT id FROM contacts WHERE crm_id = 'C1'").fetchone()[0]
    assert get_contact(db, cid).badge_id is None  # no extra read for a contact with a name


def test_the_arrivals_board_names_the_walk_in_by_badge_live_and_rebuilt(db):
    visit = walk_in(db)

    def board():
        return [(a.checkin_id, a.name, a.badge_id) for a in arrivals(db, now=NOW)]

    live = board()
    assert (visit.checkin_id, "", CODE) in live
    assert all(badge == "" for _, name, badge in live if name)
    events.rebuild(db)
    assert board() == live


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", f"the visitor with badge {CODE} is at reception"),
        ("es", f"el visitante con la acreditación {CODE} está en recepción"),
        ("zh", f"胸卡号 {CODE} 的访客已到前台"),
    ],
)
def test_the_salespersons_notice_names_the_badge_in_their_language(db, lang, title):
    visit = walk_in(db)
    owner = visit.decision.salesperson_id
    db.execute("UPDATE salespeople SET languages = ? WHERE id = ?", [lang, owner])
    kind, kiosk_id, ts, payload = db.execute(
        "SELECT kind, kiosk_id, ts_utc, payload FROM events WHERE uuid = ?", [visit.checkin_id]
    ).fetchone()
    [notice] = NOTIFIERS[kind](db, EventRow(visit.checkin_id, kind, kiosk_id, ts, payload), "en")
    assert notice.recipient == owner
    assert notice.title == title
    assert CODE in notice.body
