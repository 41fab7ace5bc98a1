"""Who is this? From a scan or a few typed letters to the contacts it means.

`lookup` is the one entry point for both the scanner and the keyboard. It parses the
input with `kiosk.badges.parse_badge`, then tries, in order, cheapest and surest first:

1. an **invitation token** — verified with `kiosk.tokens.verify_token`; a refused token
   makes the visitor unknown (kind 'none') with the reason in `message`;
2. a **badge id** (a scanned registration code, or any one-word query) — exact;
3. an **e-mail** (case-insensitive, `mailto:` allowed) and a **phone** — exact, through
   their indexes. A phone in international form ('+49 1577 …', '0049 …') reads as E.164
   alone; one written nationally ('01577 7472896', '(03) 1234-5678') is read with the
   visitor's country (from the badge), then with the show's (`default_region`, see
   `show_region`). A scan that is only an address, or only an international number
   ('+…'), asks its own index before the badge ids: one probe for nearly every such scan.
4. a **name/company/e-mail/city search** (`kiosk.fulltext`: name prefixes, substrings in
   any script, CJK fragments of one or two characters);
5. a **country** ('Japan', '日本', 'Alemania'): that country's contacts, so staff can
   see who is from there; the caller routes a new visitor by territory;
6. **typo-tolerant** names ('Jonh Smith', 'Martinz') when nothing else matched. Countries
   come first: 'Alemania' is a country, not a misspelt 'Alejandra'.

A structured badge (vCard, MECARD, JSON, URL, registration id …) goes to `lookup_badge`,
which never guesses by name alone: a name counts only with a matching company, or when it
is the only contact with exactly that name — the wrong person greeting a visitor is the
failure this product exists to prevent. `search` is the search-as-you-type path.

**Who is identified** (`LookupResult.identified`): the identity keys (an invitation, a badge
id, an e-mail, a phone) and a structured badge's name with its company say who the visitor
is; a typed name does only when it is one contact's whole name, and no other contact's
(`_named_exactly`). Every other search result — one match or many, a name inside another
('li na' in 'Ali Nasr'), a typo guess, a word of an e-mail — is a list of candidates, which
`kiosk.visits` shows for a person to choose from and never checks in by itself.

Names that are also countries ('Jordan', 'Chad', 'Georgia'): when some contact's *name*
matches strongly (score ≥ 90: the whole name, its start, a word start or a fragment of
it), kind is 'search' with those people first and the country's contacts after them;
otherwise kind is 'country'. `country` is set either way, so a screen can offer both.

Every result says how many contacts the query matches in all (`total`), so a list can
say "showing 20 of 134": exact when counting is cheap, and otherwise counted up to
`COUNT_CAP` (200) — then `total_is_lower_bound` is set and a screen says "of 200+".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kiosk import fulltext, search_index
from kiosk.countries import country_name
from kiosk.models import Contact, assemble
from kiosk.phones import normalize_phone, timezone_region
from kiosk.store import CONTACT_COLUMNS, contact_from_values
from kiosk.text import cjk_text, close_cjk, fold, normalize_email
from kiosk.tokens import FORGED, own_key_hint, verify_token

if TYPE_CHECKING:  # the badge parsers load with the first lookup (`_parse`)
    import sqlite_utils

    from kiosk.badges import Badge

Kind = str  # 'invitation' | 'badge' | 'email' | 'phone' | 'search' | 'country' | 'none'
COUNTRY_SCORE = 50.0  # a contact listed because of their country, not their name
COUNT_CAP = fulltext.COUNT_CAP  # a total beyond this is "200+" (a lower bound)
_PHONE_LIKE = re.compile(r"(?:tel:)?\s*\+?[\d\s().\-/]{6,}", re.I)
_STRUCTURED = ("vcard", "mecard", "bizcard", "json", "url", "registration", "delimited")
_COLUMNS = "rowid, " + CONTACT_COLUMNS


@dataclass(frozen=True)
class Match:
    """One contact a query found; `how` it matched and how well (0–100)."""

    contact: Contact
    # 'invitation', 'badge id', 'email', 'phone', 'name', 'fuzzy', 'fuzzy company', 'country'
    how: str
    score: float


@dataclass(frozen=True)
class LookupResult:
    """The answer to one scan or query. `matches` is empty exactly when kind is 'none'.

    `total` is how many contacts the query matches in all, of which `matches` are the
    best (at most `limit`): "showing {len(matches)} of {total}". When
    `total_is_lower_bound`, at least that many match (counting stopped at `COUNT_CAP`):
    "of 200+". None only for a result built without counting.
    """

    query: str
    kind: Kind
    matches: tuple[Match, ...] = ()
    badge: Badge | None = None
    country: str | None = None  # alpha-2: the country asked for, or the badge's
    invitation: Any | None = None  # kiosk.tokens.TokenCheck when the input was a token
    message: str = ""
    total: int | None = None
    total_is_lower_bound: bool = False
    index_building: float | None = None  # share of contacts the search index has so far
    # The first match is this visitor, sure enough to check in without a person choosing:
    # an identity key found it (invitation, badge id, e-mail, phone), a structured badge's
    # name with its company, or a typed whole name that is one contact's (`_named_exactly`).
    # False for every other search: its matches are candidates, however few.
    identified: bool = False


def _counted(result: LookupResult, total: int | None = None, more: bool = False) -> LookupResult:
    """The result with its total: `total` when given, else the matches (all there are)."""
    n = len(result.matches) if total is None else max(total, len(result.matches))
    # set on the new result rather than `dataclasses.replace`d: a fifth of an exact lookup
    object.__setattr__(result, "total", n)
    object.__setattr__(result, "total_is_lower_bound", more)
    return result


def _found(
    query: str,
    kind: Kind,
    matches: tuple[Match, ...],
    badge: Badge | None,
    country: str | None,
    message: str,
    total: int = 0,
    more: bool = False,
) -> LookupResult:
    """An exact finder's result, as `_counted(LookupResult(...), total, more)` makes it, built
    without the dataclass `__init__` (`kiosk.models.assemble`): its ten `object.__setattr__`
    calls and the two of `_counted` were ~4 µs of a ~50 µs e-mail or badge lookup, whose bare
    indexed SELECT is ~25 µs at a million contacts (tests/core/test_lookup.py compares both)."""
    return assemble(LookupResult, {
        "query": query, "kind": kind, "matches": matches, "badge": badge, "country": country,
        "invitation": None, "message": message, "total": max(total, len(matches)),
        "total_is_lower_bound": more, "index_building": None, "identified": True,
    })  # fmt: skip


def _count(db: sqlite_utils.Database, where: str, args: list[Any]) -> tuple[int, bool]:
    """Contacts meeting `where`, counted up to COUNT_CAP: (count, whether there are more)."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM contacts WHERE {where} LIMIT {COUNT_CAP + 1})"
    n = int(db.execute(sql, args).fetchone()[0])
    return min(n, COUNT_CAP), n > COUNT_CAP


# ---------------------------------------------------------------- exact finders


def _contacts(
    db: sqlite_utils.Database, where: str, args: list[Any], limit: int = 20
) -> list[tuple[int, Contact]]:
    return [(r[0], contact_from_values(r[1:])) for r in _rows(db, where, args, limit)]


def _rows(db: sqlite_utils.Database, where: str, args: Sequence[Any], limit: int) -> list[Any]:
    """The rows (rowid, then `CONTACT_COLUMNS`) meeting `where`, at most `limit`.

    An address or number no contact has as its own is asked of `contact_keys` next (the
    others of a CRM cell that held two, `kiosk.sync.cell_lists`): one more probe, on a
    miss only — a hit costs what it did."""
    sql = _SELECTS.get((where, limit))
    if sql is None:
        sql = f"SELECT {_COLUMNS} FROM contacts WHERE {where} LIMIT {int(limit)}"
        if len(_SELECTS) < 256:  # the exact finders' few shapes; `rowid IN (?,…)` vary
            _SELECTS[where, limit] = sql
    rows = db.conn.execute(sql, args).fetchall()
    if not rows and (where is _EMAIL or where is _PHONE) and args[0]:
        rows = db.conn.execute(_BY_KEY + str(int(limit)), args).fetchall()
    return rows


_BY_KEY = (
    f"SELECT {_COLUMNS} FROM contacts WHERE id IN"
    " (SELECT contact_id FROM contact_keys WHERE key = ?) LIMIT "
)


# The statement text of each (condition, limit) once: rebuilt per call, its 400 characters
# were also hashed anew for sqlite3's statement cache on every scan.
_SELECTS: dict[tuple[str, int], str] = {}


def by_badge_id(db: sqlite_utils.Database, badge_id: str) -> Contact | None:
    """The contact a badge id belongs to; ids are matched as given, upper- and lower-case."""
    raw = fulltext.scrub(badge_id or "").strip()
    if not raw or len(raw) > 200:
        return None
    # The id as scanned first (nearly every hit): one index probe. Only a miss asks again
    # in upper- and lower-case, in one statement — three probes on every scan were a third
    # of an exact lookup at a million contacts.
    cur = db.conn.execute(_BY_BADGE[1], [raw])
    row = cur.fetchone()
    if row is None:
        keys = [k for k in dict.fromkeys((raw.upper(), raw.lower())) if k != raw]
        if not keys:
            return None
        cur = db.conn.execute(_BY_BADGE[len(keys)], keys)
        row = cur.fetchone()
        if row is None:
            return None
    return contact_from_values(row[1:], badge_id=row[0])


_BY_BADGE = {
    n: f"SELECT b.badge_id, {', '.join('c.' + c.strip() for c in CONTACT_COLUMNS.split(','))}"
    " FROM contact_badges b JOIN contacts c ON c.id = b.contact_id"
    f" WHERE b.badge_id IN ({','.join('?' * n)}) LIMIT 1"
    for n in (1, 2)
}

# `email_norm <> ''` (`phone_e164 <> ''`) lets SQLite use the partial index.
_EMAIL = "email_norm = ? AND email_norm <> ''"
_PHONE = "phone_e164 = ? AND phone_e164 <> ''"
_CRM_FIRST = " ORDER BY source = 'booth', rowid"


def _exact(
    db: sqlite_utils.Database, where: str, key: str, limit: int, found: list[Any] | None = None
) -> tuple[list[Contact], int, bool]:
    """(contacts with this key, CRM rows first; how many in all; whether more than that).

    The rows of a key are read straight from its index and put in order here when they are
    all there (nearly always one): SQLite's ORDER BY set up a sorter for every lookup, a
    fifth of the bare indexed SELECT's time (measured at a million contacts). `found`: the
    rows `_rows(db, where, (key,), limit + 1)` returned already."""
    if found is None:
        found = _rows(db, where, (key,), limit + 1)
    if len(found) == 1:  # nearly every scan: its Contact, and nothing else built
        return [contact_from_values(found[0][1:])], 1, False
    rows = [(r[0], contact_from_values(r[1:])) for r in found]
    if len(rows) <= limit:
        rows.sort(key=lambda row: (row[1].source == "booth", row[0]))
        return [c for _, c in rows], len(rows), False
    found = [c for _, c in _contacts(db, where + _CRM_FIRST, [key], limit)]
    total, more = _count(db, where, [key])
    return found, total, more


def by_email(db: sqlite_utils.Database, email: str, limit: int = 20) -> list[Contact]:
    """Contacts with this address (normalised), CRM rows before booth-made ones."""
    norm = normalize_email(fulltext.scrub(email or ""))
    return _exact(db, _EMAIL, norm, limit)[0] if norm else []


def by_phone(
    db: sqlite_utils.Database, phone: str, country: str | None = None, limit: int = 20
) -> list[Contact]:
    """Contacts with this number, compared in E.164 ('+49 30 123' = '0049-30-123').

    `country` (alpha-2) reads a number written nationally ('030 1234567' in DE).
    """
    return _by_phone(db, phone, (country,), limit)[0]


def _by_phone(
    db: sqlite_utils.Database,
    phone: str,
    regions: Sequence[str | None],
    limit: int,
    e164: str = "",
) -> tuple[list[Contact], int, bool]:
    """The contacts a number means, read in the first region under which any are found
    (the visitor's country, then the show's): a national number means a different line in
    each country, so the regions are tried one at a time, never merged. `e164` is the
    number already read (`Badge.e164`: an international number means one line in every
    region): asked for as it is, not parsed again."""
    if e164:
        return _exact(db, _PHONE, e164, limit)
    text = fulltext.scrub(phone or "")
    tried: set[str] = set()
    for region in dict.fromkeys(regions):
        e164 = normalize_phone(text, region)
        if not e164 or e164 in tried:
            continue
        tried.add(e164)
        found = _exact(db, _PHONE, e164, limit)
        if found[0]:
            return found
    return [], 0, False


def country_contacts(db: sqlite_utils.Database, alpha2: str, limit: int = 20) -> list[Match]:
    """Contacts in one country (alpha-2), in import order — an index walk, never a sort."""
    return _country_contacts(db, alpha2, limit)[0]


def _country_contacts(
    db: sqlite_utils.Database, alpha2: str, limit: int
) -> tuple[list[Match], int, bool]:
    code = (alpha2 or "").strip().upper()
    if len(code) != 2:
        return [], 0, False
    rows = _contacts(db, "country = ? ORDER BY rowid", [code], limit)
    ms = [Match(c, "country", COUNTRY_SCORE) for _, c in rows]
    if len(ms) < limit:
        return ms, len(ms), False
    total, more = _count(db, "country = ?", [code])
    return ms, total, more


# ---------------------------------------------------------------- search


def _matches_for(db: sqlite_utils.Database, hits: list[fulltext.Hit]) -> list[Match]:
    if not hits:
        return []
    marks = ",".join("?" * len(hits))
    found = dict(_contacts(db, f"rowid IN ({marks})", [h.rowid for h in hits], len(hits)))
    return [Match(found[h.rowid], h.how, h.score) for h in hits if h.rowid in found]


def search(db: sqlite_utils.Database, text: str, *, limit: int = 20) -> list[Match]:
    """Contacts whose name, company, e-mail or city contains `text`, best first.

    Accents, case and width are ignored, and traditional and simplified Chinese are one
    (東光 finds 东光); any script works, including one- and two-character Chinese,
    Japanese and Korean fragments. When nothing contains the text, names one typo away
    are offered (how='fuzzy'). See `kiosk.fulltext`.
    """
    return search_total(db, text, limit=limit)[0]


def search_total(
    db: sqlite_utils.Database, text: str, *, limit: int = 20
) -> tuple[list[Match], int, bool]:
    """`search`, with how many contacts match in all and whether that is a lower bound
    (counted up to COUNT_CAP): (matches, total, total_is_lower_bound)."""
    if not isinstance(text, str):
        return [], 0, False
    found = fulltext.matches(db.conn, text, limit)
    ms = _matches_for(db, found.hits)
    return ms, max(found.total, len(ms)), found.more


@lru_cache(maxsize=16)
def show_region(timezone: str | None, venue: str | None = "") -> str | None:
    """The show's country (alpha-2), the region for phone numbers written nationally.

    A show file has no country, but its `timezone` is the local time of one: the tz
    database says whose ('Europe/Berlin' → 'DE', 'Asia/Shanghai' → 'CN',
    `kiosk.phones.timezone_region`). A zone of no country ('UTC', the default) falls back
    to the last comma-separated part of the `venue`, where an address names its country
    ('Canton Fair Complex, Guangzhou, China' → 'CN'). None when neither says.
    """
    if (code := timezone_region(timezone)) is not None:
        return code
    last = (venue or "").rsplit(",", 1)[-1].strip()
    return _resolve_country(last) if last else None


def _resolve_country(text: str) -> str | None:
    if not any(ch.isalpha() for ch in text) or any(ch.isdigit() or ch == "@" for ch in text):
        return None
    # measured start-up cost: kiosk.countries.resolve (~6 ms), first needed here (the
    # warm-up thread loads it after the first frame)
    from kiosk.countries.resolve import resolve_country

    try:
        return resolve_country(text)
    except Exception:  # a country guess must never break a lookup
        return None


def _country_name(code: str) -> str:
    try:
        return f"{country_name(code)} ({code})"
    except Exception:  # the name is decoration; the code is enough
        return code


def _by_text(
    db: sqlite_utils.Database, query: str, text: str, badge: Badge | None, limit: int
) -> LookupResult:
    """Search, then country, then typos, for something typed (or scanned as plain text);
    while a new search index is being built (after a big import), the result says so."""
    result = _searched(db, query, text, badge, limit)
    building = search_index.state(db)
    if building is None:
        return result
    note = f"the search index is still being built ({building:.0%}); names may be missing"
    message = f"{result.message} — {note}" if result.message else note
    return replace(result, message=message, index_building=building)


def _searched(
    db: sqlite_utils.Database, query: str, text: str, badge: Badge | None, limit: int
) -> LookupResult:
    words: fulltext.Seen = {}  # words looked for once, not again by the typo fallback
    found = fulltext.matches(db.conn, text, limit, typos=False, seen=words)
    hits = found.hits
    country = _resolve_country(text)
    strong = [h for h in hits if h.score >= fulltext.STRONG]
    if country is not None:
        people = _matches_for(db, strong)
        seen = {m.contact.id for m in people}
        listed, in_country, more = _country_contacts(db, country, limit)
        others = [m for m in listed if m.contact.id not in seen]
        where = _country_name(country)
        if people:
            msg = f"{len(people)} name match(es) for '{text}'; also contacts in {where}"
            matches = (people + others)[:limit]
            # Strong names beyond the hits read may exist when the last one read was strong.
            names_cut = found.more or (len(hits) == limit and hits[-1].score >= fulltext.STRONG)
            both = sum(1 for m in people if m.contact.country == country)
            result = LookupResult(query, "search", tuple(matches), badge, country, None, msg)
            total = len(people) + in_country - both
            return _counted(result, total, more or names_cut)
        if others:
            msg = f"Contacts in {where}"
            result = LookupResult(query, "country", tuple(others), badge, country, None, msg)
            return _counted(result, in_country, more)
        msg = f"No contacts in {where} yet — a new visitor from there is routed by territory"
        return _counted(LookupResult(query, "none", (), badge, country, None, msg))
    if not hits:
        found = fulltext.fuzzy_matches(db.conn, text, limit, seen=words)
    matches = _matches_for(db, found.hits)
    if not matches:
        return _counted(LookupResult(query, "none", (), badge, _badge_country(badge), None,
                                     f"No contact matches '{text}'"))  # fmt: skip
    sure = None
    if matches[0].how in (fulltext.FUZZY, fulltext.FUZZY_COMPANY):
        msg = f"No exact match for '{text}'; similar: {matches[0].contact.name}"
    else:
        # All the query matches, as "showing 10 of 12" says below it: "10 matches" (the
        # ones shown) read as a contradiction of it
        total = max(found.total, len(matches))
        plural = "es" if total > 1 or found.more else ""
        msg = f"{total:,}{'+' if found.more else ''} match{plural} for '{text}'"
        sure = _named_exactly(db, text, matches)
    result = LookupResult(query, "search", sure or tuple(matches), badge, None, None, msg,
                          identified=sure is not None)  # fmt: skip
    return _counted(result, found.total, found.more)


def _named_exactly(
    db: sqlite_utils.Database, text: str, matches: list[Match]
) -> tuple[Match, ...] | None:
    """`matches` with the one contact whom the typed `text` names by their whole name first,
    or None when it names no one contact so (its matches are then candidates to choose from).

    A typed name is no identity key: 'li na' is inside 'Ali Nasr', 'wang wei' inside the
    address wangwei@…, and "Li Na" and "Wang Wei" are among the commonest names on earth.
    Checked in on a loose match, the wrong person was greeted and the wrong salesperson
    called — what the booth exists to prevent. So text identifies a visitor only when:

    - folded (case, accents, width, traditional or simplified Chinese), it is a contact's
      whole name, every word and no more: 'maria garcia ruiz' is 'María García Ruiz';
      'Marta García' is not 'Marta García Ruiz', nor 'li na' 'Li Nana';
    - in the name's word order, or with the family name moved from last to first or back
      (the words rotated: 'Wei Wang' is 'Wang Wei', 'García Ruiz Marta' is 'Marta García
      Ruiz'); other orders are no way of writing a name. Nothing is transliterated: 'Wang
      Wei' is not '王伟' (pinyin spells a dozen names so);
    - a whole name: two words or more, or Chinese, Japanese or Korean written without a
      space ('王伟'). One Latin word ('Müller') is a surname, though a CRM row may hold only it;
    - for such a name, spaced any way: '高橋直樹' is '高橋 直樹', and a contact stored as
      '王 伟' shares the name of one stored as '王伟' (`fulltext.spellings`: without a space,
      with one anywhere, or with one between every two characters);
    - no other contact has that name in any of those orders (`fulltext.named`, one index
      probe each): a name two contacts share is never exact ('Chen Jing' and 'Jing Chen'
      included), nor one too common to count (`fulltext.NAMED_CAP`).

    A badge id, an e-mail, a phone or a structured badge is asked before any of this, and
    costs nothing more. A person confirms everything else with one key on the list."""
    q = fold(text)
    words = q.split()
    if len(words) < 2 and not (len(q) >= 2 and cjk_text(q)):
        return None
    names = dict.fromkeys(" ".join(words[i:] + words[:i]) for i in range(len(words)))
    spelt: Callable[[str], str] = str
    asked = list(names)
    if cjk_text(q):  # spaces inside the name do not matter
        spelt = close_cjk
        names = dict.fromkeys(map(close_cjk, names))
        asked = list(dict.fromkeys(s for n in names for s in fulltext.spellings(n)))
    at = [
        i for i, m in enumerate(matches) if m.how == "name" and spelt(fold(m.contact.name)) in names
    ]
    if len(at) != 1:
        return None  # no one by that whole name among the best matches, or two already
    ids: list[str] = []
    for name in asked:
        found, complete = fulltext.named(db.conn, name)
        if not complete:
            return None
        ids += found
    first = matches[at[0]]
    if ids != [first.contact.id]:
        return None
    return (first, *matches[: at[0]], *matches[at[0] + 1 :])


def _phone_like(text: str | None) -> str:
    """`text` when it is written like a phone number (digits, spaces, + ( ) - . /), else ''."""
    return text if text and _PHONE_LIKE.fullmatch(text) else ""


def _badge_country(badge: Badge | None) -> str | None:
    return getattr(badge, "country", None) if badge is not None else None


# ---------------------------------------------------------------- entry points


def _parse(query: str, field_order: Sequence[str] | None = None) -> Badge:
    """`kiosk.badges.parse_badge`, imported at the first lookup and kept: an import statement
    run on every scan (even of a module already loaded) was ~0.7 µs of an exact lookup whose
    Python costs ~8 µs beside a ~12 µs indexed SELECT (measured at a million contacts)."""
    if not _PARSER:
        # measured start-up cost: kiosk.badges (~21 ms), first needed here
        from kiosk.badges import parse_badge

        _PARSER.append(parse_badge)
    return _PARSER[0](query, field_order=field_order)


_PARSER: list[Callable[..., Badge]] = []  # `parse_badge`, once `_parse` has imported it


def lookup(
    db: sqlite_utils.Database,
    query: str,
    *,
    secret: str = "",
    show_id: str = "",
    limit: int = 20,
    field_order: Sequence[str] | None = None,
    default_region: str | None = None,
) -> LookupResult:
    """Resolve one scan or typed query (see the module docstring for the order).

    `field_order` is the show's delimited badge layout (`[badges] fields`), so a caret or
    pipe badge is read the same way by the scan path and the lead form.
    `default_region` (alpha-2) is the show's country, for phone numbers written
    nationally when the badge names no country: `show_region(config.timezone,
    config.venue)`.
    """
    raw = fulltext.scrub(query if isinstance(query, str) else "" if query is None else str(query))
    badge = _parse(raw, field_order)
    asked = ""
    if badge.e164 or badge.kind == "email":  # an international number or an address alone
        hit, asked = _asked_first(db, raw, badge, limit)
        if hit is not None:
            return hit
    kind = badge.kind
    if kind == "invitation":
        return _invitation(db, raw, badge, secret, show_id)
    if kind == "empty" or not raw.strip():
        # A refused scan (over 8 KB) says why; an empty one has nothing to say.
        too_long = getattr(badge, "payload_format", "") == "too_long" and badge.warnings
        msg = badge.warnings[-1] if too_long else "Nothing to look up"
        return _counted(LookupResult(raw, "none", (), badge, None, None, msg))
    if kind in _STRUCTURED:
        return lookup_badge(db, badge, limit=limit, query=raw, default_region=default_region)
    return _plain(db, raw, badge, limit, default_region, asked)


def _asked_first(
    db: sqlite_utils.Database, raw: str, badge: Badge, limit: int
) -> tuple[LookupResult | None, str]:
    """`_plain`'s first question for a scan that is an international number alone (read
    into `Badge.e164`) or an address alone, asked without `_plain`'s reading of every other
    shape (a sixth of an exact e-mail lookup at a million contacts, measured call by call
    against the bare indexed SELECT): (the result when some contact has it, else None; the
    key asked, which `_plain` then does not ask again). `tests/core/test_lookup_quick.py`
    checks that both ways answer alike."""
    # Only the quick read of a number alone sets it ('+…', digits, blanks): `_plain` asks
    # the phone index for the number first (`phone_first`), and for nothing else under
    # any region (a number in international form reads the same in all of them).
    key = badge.e164
    if key:
        where, kind = _PHONE, "phone"
    elif badge.email != raw or " ".join(raw.split()) != raw:  # not only an address: `_plain`
        return None, ""
    else:
        key = normalize_email(raw)
        if not key:
            return None, ""
        where, kind = _EMAIL, "email"
    found = _rows(db, where, (key,), limit + 1)
    if len(found) == 1:
        # Nearly every scan: its one contact, and its result built here, not through
        # `_exact`, `_matched` and `_found` (their calls were ~0.5 µs of ~7 µs of Python).
        contact = contact_from_values(found[0][1:])
        msg = f"Phone {contact.phone}" if kind == "phone" else f"E-mail {key}"
        return assemble(LookupResult, {
            "query": raw, "kind": kind,
            "matches": (assemble(Match, {"contact": contact, "how": kind, "score": 100.0}),),
            "badge": badge, "country": None, "invitation": None, "message": msg, "total": 1,
            "total_is_lower_bound": False, "index_building": None, "identified": True,
        }), key  # fmt: skip
    if not found:
        return None, key
    contacts, total, more = _exact(db, where, key, limit, found)
    msg = f"Phone {contacts[0].phone}" if kind == "phone" else f"E-mail {key}"
    return _found(raw, kind, _matched(contacts, kind), badge, None, msg, total, more), key


def _matched(found: list[Contact], how: str) -> tuple[Match, ...]:
    """The exact finders' matches (nearly always one)."""
    if len(found) == 1:
        return (_match(found[0], how),)
    return tuple(Match(c, how, 100.0) for c in found)


def _match(contact: Contact, how: str) -> Match:
    """An exact finder's `Match(contact, how, 100.0)`, built without its `__init__`."""
    return assemble(Match, {"contact": contact, "how": how, "score": 100.0})


def _plain(
    db: sqlite_utils.Database,
    raw: str,
    badge: Badge | None,
    limit: int,
    default_region: str | None = None,
    asked: str = "",
) -> LookupResult:
    """A scan or query read as plain text (an address, a number, an id, a name …). `asked`
    is the address or E.164 number `_asked_first` has asked its index for already, in vain."""
    text = " ".join(raw.split())
    badge_email = getattr(badge, "email", "")
    email = normalize_email(badge_email or text) if badge_email or "@" in text else ""
    only_address = bool(email) and (badge_email == text or normalize_email(text) == email)
    phone_only = _PHONE_LIKE.fullmatch(text) is not None
    badge_phone = getattr(badge, "phone", "")
    phone = badge_phone or (text if phone_only else "")
    e164 = getattr(badge, "e164", "") if badge_phone else ""
    regions = (_badge_country(badge), default_region)
    # A scanned address, or an international number alone, is looked up as what it is
    # first (one probe, not a badge-id miss and then the address or number); an id that
    # happens to look like one still finds its contact when no contact has it.
    if (
        only_address
        and email != asked
        and (hit := _by_email_result(db, raw, badge, email, limit)) is not None
    ):
        return hit
    phone_first = phone_only and text[:1] == "+"
    if (
        phone_first
        and not (asked and asked == getattr(badge, "e164", ""))
        and (hit := _by_phone_result(db, raw, badge, phone, regions, limit, e164))
    ):
        return hit
    if " " not in text and (contact := by_badge_id(db, text)) is not None:
        msg = f"Badge {contact.badge_id}"
        return _found(raw, "badge", (_match(contact, "badge id"),), badge, None, msg)
    if only_address:
        msg = f"No contact with e-mail {email} — new visitor"
        return _counted(LookupResult(raw, "none", (), badge, _badge_country(badge), None, msg))
    if email and (hit := _by_email_result(db, raw, badge, email, limit)) is not None:
        return hit
    if phone and not phone_first:
        if (hit := _by_phone_result(db, raw, badge, phone, regions, limit, e164)) is not None:
            return hit
    if phone_only:
        msg = f"No contact with phone {text}"
        return _counted(LookupResult(raw, "none", (), badge, _badge_country(badge), None, msg))
    return _by_text(db, raw, text, badge, limit)


def _by_email_result(
    db: sqlite_utils.Database, raw: str, badge: Badge | None, email: str, limit: int
) -> LookupResult | None:
    """The contacts with this (normalised) address as a result, or None when none has it."""
    found, total, more = _exact(db, _EMAIL, email, limit)
    if not found:
        return None
    return _found(
        raw, "email", _matched(found, "email"), badge, None, f"E-mail {email}", total, more
    )


def _by_phone_result(
    db: sqlite_utils.Database,
    raw: str,
    badge: Badge | None,
    phone: str,
    regions: Sequence[str | None],
    limit: int,
    e164: str = "",
) -> LookupResult | None:
    """The contacts with this number (see `_by_phone`) as a result, or None when none has it."""
    found, total, more = _by_phone(db, phone, regions, limit, e164)
    if not found:
        return None
    msg = f"Phone {found[0].phone}"
    return _found(raw, "phone", _matched(found, "phone"), badge, None, msg, total, more)


def _invitation(
    db: sqlite_utils.Database, raw: str, badge: Any, secret: str, show_id: str
) -> LookupResult:
    """A scanned invitation: trusted only when its signature verifies for this show."""
    token = getattr(badge, "token", None) or raw.strip()
    try:
        check = verify_token(token, secret=secret, show_id=show_id)
    except Exception as exc:  # a checker that fails refuses; the scan path must not crash
        msg = f"Invitation refused: could not be checked ({type(exc).__name__})"
        return _counted(LookupResult(raw, "none", (), badge, None, None, msg))
    if not getattr(check, "ok", False):
        reason = getattr(check, "error", None) or "not valid"
        if reason == FORGED and (hint := own_key_hint(db)):
            reason += hint
            check = replace(check, error=reason)
        msg = f"Invitation refused: {reason}"
        return _counted(LookupResult(raw, "none", (), badge, None, check, msg))
    contact_id = getattr(check, "contact_id", None) or ""
    found = _contacts(db, "id = ?", [contact_id], 1)
    if not found:
        alias = db.execute(
            "SELECT contact_id FROM contact_aliases WHERE alias = ?", [contact_id]
        ).fetchone()
        found = _contacts(db, "id = ?", [alias[0]], 1) if alias else []
    if not found:  # kind 'none', but `invitation` still says who invited them
        msg = f"Valid invitation, but contact {contact_id} is not in this kiosk's list"
        return _counted(LookupResult(raw, "none", (), badge, None, check, msg))
    contact = found[0][1]
    msg = f"Invitation for {contact.name}"
    return _counted(LookupResult(raw, "invitation", (Match(contact, "invitation", 100.0),),
                                 badge, None, check, msg, identified=True))  # fmt: skip


def lookup_badge(
    db: sqlite_utils.Database,
    badge: Badge,
    *,
    limit: int = 20,
    query: str | None = None,
    secret: str = "",
    show_id: str = "",
    default_region: str | None = None,
) -> LookupResult:
    """The scan path for a parsed badge: badge id, then e-mail, then phone, then name.

    A name is trusted only with a matching company (or, with no company on the badge,
    when exactly one contact has that exact name); anything weaker is an unknown
    visitor, with the near misses named in the message for staff to check. An
    invitation badge is verified with `secret` and `show_id`, as `lookup` does. A phone
    written nationally is read with the badge's country, then `default_region`.
    """
    raw = query if query is not None else getattr(badge, "raw", "")
    if badge.kind == "invitation":
        return _invitation(db, raw, badge, secret, show_id)
    country = _badge_country(badge)
    if badge.badge_id and (contact := by_badge_id(db, badge.badge_id)) is not None:
        msg = f"Badge {badge.badge_id}"
        return _found(raw, "badge", (_match(contact, "badge id"),), badge, country, msg)
    email = normalize_email(fulltext.scrub(badge.email or ""))
    if email and (by_mail := _exact(db, _EMAIL, email, limit))[0]:
        found, total, more = by_mail
        ms = tuple(Match(c, "email", 100.0) for c in found)
        msg = f"E-mail {found[0].email}"
        return _found(raw, "email", ms, badge, country, msg, total, more)
    regions = (country, default_region)
    # A number alone reads as a registration id when written with dashes ('090-1234-5678').
    phone = badge.phone or (_phone_like(badge.badge_id) if badge.kind == "registration" else "")
    e164 = badge.e164 if badge.phone else ""
    if phone and (by_tel := _by_phone(db, phone, regions, limit, e164))[0]:
        found, total, more = by_tel
        ms = tuple(Match(c, "phone", 100.0) for c in found)
        msg = f"Phone {found[0].phone}"
        return _found(raw, "phone", ms, badge, country, msg, total, more)
    people, near = _by_name(db, badge, limit)
    if people:
        msg = f"Known by name and company: {people[0].contact.name}"
        result = LookupResult(raw, "search", tuple(people), badge, country, None, msg,
                              identified=len(people) == 1)  # fmt: skip
        return _counted(result)
    msg = "Unknown badge — new visitor"
    if near:
        msg += " (similar name on file: " + "; ".join(near[:3]) + ")"
    return _counted(LookupResult(raw, "none", (), badge, country, None, msg))


def _by_name(db: sqlite_utils.Database, badge: Badge, limit: int) -> tuple[list[Match], list[str]]:
    """(contacts the badge's name and company identify, descriptions of near misses)."""
    name, company = fold(badge.name), fold(badge.company)
    if len(name) < 2:
        return [], []
    hits = fulltext.find(db.conn, badge.name, limit, typos=False)
    named = [m for m in _matches_for(db, hits) if m.score >= 93]  # the name, or its start
    if company:
        sure = [
            m for m in named
            if m.contact.company and fulltext.similar(company, fold(m.contact.company)) >= 80
        ]  # fmt: skip
    else:
        exact = [m for m in named if fold(m.contact.name) == name]
        sure = exact if len(exact) == 1 else []
    near = [f"{m.contact.name}, {m.contact.company}".rstrip(", ") for m in named]
    return sure, [] if sure else near
