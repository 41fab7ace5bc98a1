"""The keys a contacts import knows a record by, shared by the importer and its second
process (`kiosk.sync.parallel_import`): the id of a contact with no CRM id, and the keys an
import into an empty table has written so far."""

from __future__ import annotations

import hashlib


def email_id(email: str) -> str:
    """The contact id of a record with no CRM id: stable across imports of its e-mail."""
    return "E-" + hashlib.sha1(email.encode("utf-8")).hexdigest()[:16]


def record_keys(crm: str | None, email: str) -> tuple[str, ...]:
    """The distinct keys a record is known by: its CRM id (also its contact id) and
    normalised e-mail; without a CRM id, the e-mail and the contact id made from it."""
    if crm:
        return (crm, email) if email and email != crm else (crm,)
    return (email, email_id(email))


class Seen:
    """The keys (CRM ids, e-mails, contact ids) an import into an empty table has written
    so far, as a Bloom filter (8 MB for any size): "not seen" is certain, so such a row is
    a new contact and needs no query; "maybe" sends it down the ordinary path, which asks
    the database. A set of a million keys would cost ~100 MB; this costs ~0.3 % of rows
    a needless (and harmless) query."""

    BITS = 1 << 26
    _MASK = BITS - 1

    def __init__(self) -> None:
        self.bits = bytearray(self.BITS >> 3)

    def __contains__(self, key: str) -> bool:
        h = hash(key)
        a, b, bits = h & self._MASK, (h >> 27) & self._MASK, self.bits
        return bool(bits[a >> 3] >> (a & 7) & 1 and bits[b >> 3] >> (b & 7) & 1)

    def first(self, keys: tuple[str, ...]) -> bool:
        """True when none of `keys` (distinct) was seen before; adds them all either way.
        One call a record instead of a membership test and an add per key: a first import
        asks this of every record, and the per-key method calls were ~5 µs of its ~40 µs
        of Python (measured over 500,000 records: 4.8 → 2.4 µs)."""
        bits, mask = self.bits, self._MASK
        new = True
        for key in keys:
            h = hash(key)
            a, b = h & mask, (h >> 27) & mask
            at, a_bit, bt, b_bit = a >> 3, 1 << (a & 7), b >> 3, 1 << (b & 7)
            if bits[at] & a_bit and bits[bt] & b_bit:
                new = False
            else:
                bits[at] |= a_bit
                bits[bt] |= b_bit
        return new

    def add(self, key: str) -> None:
        h = hash(key)
        a, b = h & self._MASK, (h >> 27) & self._MASK
        self.bits[a >> 3] |= 1 << (a & 7)
        self.bits[b >> 3] |= 1 << (b & 7)
