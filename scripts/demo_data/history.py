"""A customer's ownership history: who filed them and when, who talked to them since.

The shares below are what make the demo interesting at the booth: about one customer in six
has lapsed (no deal, no contact in the 90 days before the show), one in twenty-five was first
met by a colleague before the owner filed them, one in twenty still belongs to whoever filed
them years ago rather than to today's territory desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from .show import HISTORY_END, HISTORY_START, LAPSE_CUTOFF
from .staff import BY_ID, DEFAULT_OWNER, SALES
from .timeline import between, filing_time, stamp

LAPSED = 0.16
NEW_LEAD = 0.03  # filed in the last weeks, nobody has called yet
LEGACY = 0.01  # imported from an old spreadsheet, no dates at all
CONFLICT = 0.04
HISTORICAL = 0.05
ASSISTANT = 0.05
PREFERRED = 0.02
DEAL_BY_GRADE = {"A": 0.9, "B": 0.6, "C": 0.25}
SPLITS = ("0.2", "0.25", "0.3", "0.4", "0.5")


@dataclass(frozen=True)
class History:
    owner: str
    filed: datetime | None = None
    first_contact_by: str = ""
    first_contact: datetime | None = None
    last_contact: datetime | None = None
    last_deal: datetime | None = None
    assistant: str = ""
    split: str = ""
    preferred: str = ""

    def columns(self) -> dict[str, str]:
        """The CSV columns, each timestamp in the offset of the person who wrote it."""
        tz = BY_ID[self.owner].tz
        first_tz = BY_ID[self.first_contact_by].tz if self.first_contact_by else tz
        return {
            "owner": self.owner,
            "assistant": self.assistant,
            "split": self.split,
            "filed_at": stamp(self.filed, tz),
            "first_contact_by": self.first_contact_by,
            "first_contact_at": stamp(self.first_contact, first_tz),
            "last_contact_at": stamp(self.last_contact, tz),
            "last_deal_at": stamp(self.last_deal, tz),
            "preferred": self.preferred,
        }


def _other(rng: Random, *exclude: str) -> str:
    return rng.choice([s for s in SALES if s not in exclude])


def random_history(rng: Random, owner: str, grade: str, *, fixed_owner: bool = False) -> History:
    """A plausible history for a customer whose territory desk is `owner`.

    `fixed_owner` (key accounts) rules out a historical owner different from `owner`.
    """
    if not fixed_owner and rng.random() < HISTORICAL:
        # Mostly the export director, who filed everyone before the desks existed.
        if owner != DEFAULT_OWNER and rng.random() < 0.5:
            owner = DEFAULT_OWNER
        else:
            owner = _other(rng, owner)
    state = rng.random()
    if state < LEGACY:
        return History(owner)
    if state < LEGACY + NEW_LEAD:
        filed = between(rng, HISTORY_END - timedelta(days=50), HISTORY_END)
        return History(owner, filed)
    lapsed = state < LEGACY + NEW_LEAD + LAPSED
    if lapsed:
        filed = filing_time(rng, latest=LAPSE_CUTOFF - timedelta(days=20))
        last_contact = between(rng, filed + timedelta(days=1), LAPSE_CUTOFF - timedelta(days=2))
    else:
        filed = filing_time(rng)
        last_contact = between(rng, max(filed, LAPSE_CUTOFF + timedelta(days=2)), HISTORY_END)
    last_contact = max(last_contact, filed)
    last_deal = None
    if rng.random() < DEAL_BY_GRADE[grade] and last_contact > filed:
        last_deal = between(rng, filed, last_contact)
    first_by, first_at = _first_contact(rng, owner, filed)
    assistant = split = preferred = ""
    if rng.random() < ASSISTANT:
        assistant, split = _other(rng, owner), rng.choice(SPLITS)
    if rng.random() < PREFERRED:
        preferred = _other(rng, owner, assistant)
    return History(owner, filed, first_by, first_at, last_contact, last_deal, assistant, split,
                   preferred)  # fmt: skip


def _first_contact(rng: Random, owner: str, filed: datetime) -> tuple[str, datetime | None]:
    """Usually the owner, on the filing day or a few days before; sometimes a colleague
    who met the customer months earlier and never filed them (an ownership conflict)."""
    gap = (filed - HISTORY_START).days
    if rng.random() < CONFLICT and gap > 30:
        earlier = filed - timedelta(days=rng.randint(10, min(420, gap - 1)))
        return _other(rng, owner), between(rng, earlier, earlier + timedelta(hours=10))
    roll = rng.random()
    if roll < 0.15:
        return "", None
    if roll < 0.5:
        return owner, filed
    days = rng.randint(1, 10)
    moment = between(rng, filed - timedelta(days=days), filed - timedelta(days=days - 1))
    return owner, min(moment, filed)


def is_lapsed(columns: dict[str, str]) -> bool:
    """Whether the owner had neither a deal nor a contact in the lapse window before the show.

    Rows without any contact or deal date (legacy imports, brand-new leads) are not counted:
    the kiosk cannot tell, and the demo does not claim they lapsed.
    """
    times = [columns[k] for k in ("last_contact_at", "last_deal_at") if columns[k]]
    if not times:
        return False
    latest = max(datetime.fromisoformat(t) for t in times)
    cutoff = LAPSE_CUTOFF.replace(tzinfo=latest.tzinfo)
    return latest < cutoff
