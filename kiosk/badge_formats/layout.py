"""Which field is in which column of a delimited badge, read from the values themselves.

Registration vendors print the same few fields in their own order ('ID^First^Last^Company^
Title^Email^Country', 'Name|Company|Email|Phone|Country|ID', …). When the show's layout does
not fit a badge, the columns are read by content, surest first:

1. an address with '@' is the e-mail;
2. a value the country resolver accepts, in the latter half of the columns, is the country
   (the rightmost one; a two- or three-letter code only in capitals, so 'Li' stays a name);
3. a phone number by `phonenumbers` (with the country found above as its region);
4. the registration id by its shape ('EXPO2026-000481', 'CIFF26-A00318', 'GLE26-0012345',
   'REG:123', a number; short numbers only in the first or last column);
5. the remaining text by position and wording: the given and family name (or one full name),
   the company (legal forms such as 'GmbH', 'S.A. de C.V.', '有限公司'), the job title
   ('Purchasing Manager', 'Directora de Compras', '采购经理'), then a city. A family name in
   capitals ('ROSSI^Marco') is read as the family name.

`check_layout` says whether a configured layout fits (the settled rule of issue 11: it is used
when every typed field checks out), `infer_fields` reads one badge, and `propose_fields`
learns a show's layout from several badges (`kiosk.badges.propose_layout` takes the scans),
for the manager to confirm and save.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kiosk.badge_formats.draft import (
    is_family_first,
    looks_like_email,
    looks_like_swapped_email,
)
from kiosk.badge_formats.geo import resolve_country_text
from kiosk.badge_formats.ids import strip_id_label

__all__ = [
    "MAX_COLUMNS",
    "Fit",
    "Inference",
    "LayoutProposal",
    "check_layout",
    "infer_fields",
    "propose_fields",
]

MAX_COLUMNS = 32  # more columns than this is not a badge layout; nothing is inferred
TYPED = ("badge_id", "email", "country", "phone")
_TEXT_LIMIT = 120  # longer values are never a name, company or title worth scoring

# --- value shapes -------------------------------------------------------------------------

_ID_CHARS_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/#:-]{0,63}$")
# EXPO2026-000481, CIFF26-A00318, GLE26-0012345, REG-00012345, BADGE/2026/0042
_ID_STRONG_RE = re.compile(r"^[A-Za-z]{2,12}\d{0,4}(?:[-_/][A-Za-z]{0,3}\d{3,}[A-Za-z]?)+$")
_PHONE_RE = re.compile(r"^\+?[\d\s().\-/]{6,28}$")
_PHONE_LOOSE_RE = re.compile(r"^\+?[\d\s().\-/]{3,40}$")
_CODE_RE = re.compile(r"^[A-Z]{2,3}$")
_DIGIT_RE = re.compile(r"\d")

# Legal forms, matched with their case ('AG', 'Co.', 'S.A.'), and words that only a company
# name carries; both as whole words.
_LEGAL_FORMS_RE = re.compile(
    r"(?<![\w.])(?:GmbH|AG|KG|OHG|UG|KGaA|Ltd|LTD|Limited|LIMITED|LLC|L\.L\.C|LLP|Inc|INC|"
    r"Corp|CORP|Corporation|Co|CO|Company|PLC|Plc|Pty|PTY|Pvt|PVT|Pte|PTE|S\.?A|SA|S\.?L|SL|"
    r"S\.?L\.?U|S\.?r\.?l|SRL|Srl|S\.?p\.?A|SpA|SPA|S\.?A\.?S|SAS|SARL|Sarl|SASU|SNC|EURL|"
    r"B\.?V|BV|N\.?V|NV|AB|AS|ASA|A/S|ApS|Oy|Oyj|KK|K\.K|JSC|PJSC|OOO|ZAO|Sp\.? ?z ?o\.? ?o|"
    r"s\.r\.o|a\.s|Kft|Zrt|d\.o\.o|Ltda|LTDA|Cia|C\.?V|SAC|FZE|FZCO|FZ-LLC|WLL|Bhd|BHD|Sdn|"
    r"SDN|Tbk|PT|A\.Ş|AŞ|Şti|ŞTİ|e\.K|GesmbH|SE|Group|GROUP|Holdings?|HOLDINGS?)(?![\w])\.?"
)
_COMPANY_WORDS_RE = re.compile(
    r"\b(?:industr\w*|trading|trade|international|intl|enterprises?|electronics?|electrical|"
    r"electric|technolog\w*|tech|solutions|systems|studio|imports?|exports?|manufactur\w*|"
    r"factory|works|lighting|lights|leuchten|licht|lumière|iluminaci\w*|illuminazione|"
    r"éclairage|luminarias|elektro|hellas|partners|associates|agency|import-export)\b",
    re.I,
)
_CJK_COMPANY = (
    "公司", "有限", "集团", "集團", "株式会社", "株式會社", "有限会社", "合同会社", "商事",
    "商会", "商會", "工業", "工业", "電機", "电机", "電器", "电器", "科技", "实业", "實業",
    "贸易", "貿易", "㈜", "(주)", "주식회사", "기업", "그룹",
)  # fmt: skip
_TITLE_STEMS = (
    "direct", "dirett", "diret", "direkt", "dyrekt", "manag", "purchas", "procur", "sourcing",
    "engineer", "ingeni", "ingénie", "einkauf", "einkäuf", "geschäftsführ", "leiter",
    "verkauf", "vertrieb", "coordinat", "coordinad", "consult", "specialist", "especialista",
    "assistant", "asistente", "represent", "administr", "architect", "architekt", "arquitect",
    "presiden", "gerente", "marketing", "acheteu", "achat", "compra", "inköp", "indkøb",
    "inkoop", "inkoper", "kierown", "müdür", "propriet", "supervis", "execut", "analyst",
    "advis", "technici", "develop", "founder", "owner", "partner", "designer", "buyer",
    "sales", "export", "responsab", "officer", "chief", "head", "lead", "chair", "secretar",
    "professor", "research", "student", "intern", "trainee", "titolare", "acquist",
    "eigenaar", "inhaber", "właściciel", "директор", "менеджер", "руковод", "giám", "vice",
    "comprador", "jefe", "jefa", "directeur", "directrice", "dueño", "socio", "ventas",
    "vendas", "gestor", "gestion", "employee", "staff", "account", "product", "project",
    "operations", "logistic", "quality", "planner", "estimator", "installer", "electrician",
    "contractor", "distribut", "dealer", "wholesal", "retail", "agent", "press", "journalist",
    "editor", "visitor", "exhibitor", "delegate",
)  # fmt: skip
_TITLE_WORDS = frozenset(
    ("ceo", "cto", "cfo", "coo", "cmo", "cio", "cpo", "cso", "vp", "svp", "evp", "avp", "gm",
     "md", "pm", "it", "hr", "r&d", "bd")
)  # fmt: skip
_CJK_TITLE = (
    "经理", "經理", "总监", "總監", "主管", "主任", "采购", "採購", "部長", "部长", "課長",
    "课长", "社長", "社长", "代表", "取締役", "董事", "总裁", "總裁", "工程师", "工程師",
    "设计师", "設計師", "营销", "销售", "銷售", "バイヤー", "マネージャー", "부장", "과장",
    "팀장", "대표", "이사", "사장", "구매",
)  # fmt: skip
_HONORIFICS = frozenset(
    ("dr", "mr", "mrs", "ms", "miss", "prof", "sr", "sra", "srta", "mme", "mlle", "herr",
     "frau", "ing", "dipl", "sir", "dame", "dott", "dra", "lic")
)  # fmt: skip
_WORD_RE = re.compile(r"[^\W\d_]+")


def looks_like_id(value: str) -> int:
    """How much `value` looks like a registration id: 3 (vendor shape), 2, 1 (short number)
    or 0 (not an id: spaces, no digit, a URL, an address)."""
    v = strip_id_label(value).lstrip("#")
    if not v or "://" in v or not _ID_CHARS_RE.match(v) or not any(c.isdigit() for c in v):
        return 0
    if _ID_STRONG_RE.match(v):
        return 3
    if v.isdigit():
        return 2 if len(v) >= 4 else 1
    return 2


def looks_like_phone(value: str, region: str | None) -> bool:
    """A phone number written as one: '+34 612 345 678', '0049 711 123456', '01 42 68 53 00'
    (national form: only with separators or a leading 0, and checked against the country
    when there is one). A bare run of digits is an id, not a phone."""
    if len(value) > 40 or not _PHONE_RE.match(value):
        return False
    digits = sum(ch.isdigit() for ch in value)
    if not 6 <= digits <= 17:
        return False
    international = value.startswith(("+", "00"))
    separated = any(ch in value for ch in " ().-/")
    if not (international or separated or value.startswith("0")):
        return False
    if not international and region is None:
        return separated and digits >= 7
    return _possible_number(value, region)


def loose_phone(value: str) -> bool:
    """What a column the show declares as the phone may hold ('+34 600', '555 0100')."""
    return bool(_PHONE_LOOSE_RE.match(value)) and sum(ch.isdigit() for ch in value) >= 3


def _possible_number(value: str, region: str | None) -> bool:
    # measured start-up cost: phonenumbers (~13 ms), first needed here
    import phonenumbers  # 35 ms to import: only once a delimited badge has a phone-like column

    text = "+" + value[2:] if value.startswith("00") else value
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else region)
    except Exception:  # noqa: BLE001 - NumberParseException and odd input alike
        return False
    return bool(phonenumbers.is_possible_number(number))


def looks_like_country(value: str) -> str | None:
    """The country code of a value that is clearly a country: codes only in capitals."""
    if not value or len(value) > 60 or any(ch.isdigit() or ch in "@/:" for ch in value):
        return None
    if len(value) <= 3 and value.isascii() and not _CODE_RE.match(value):
        return None  # 'Li', 'de': names and words; codes are written in capitals
    return resolve_country_text(value)


def is_email(value: str) -> bool:
    return looks_like_email(value) or looks_like_swapped_email(value)


# --- text roles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Features:
    words: int
    letters: bool  # only letters, spaces and name punctuation
    digits: bool
    cjk: int  # number of CJK/kana/hangul letters when the text is written in such a script
    caps: bool  # a Latin word in capitals ('ROSSI'): a family name by convention
    honorific: bool
    legal: bool  # a legal form or a CJK company word
    company_word: bool
    title: bool


def _features(value: str) -> _Features:
    words = value.split()
    lower = value.casefold()
    tokens = _WORD_RE.findall(lower)
    cjk = sum(ch.isalpha() for ch in value) if is_family_first(value) else 0
    alpha = sum(ch.isalpha() for ch in value)
    title = any(t in _TITLE_WORDS or t.startswith(_TITLE_STEMS) for t in tokens) or any(
        w in value for w in _CJK_TITLE
    )
    return _Features(
        words=len(words),
        letters=all(ch.isalpha() or ch in " .'’-‐" for ch in value) and alpha > 0,
        digits=any(ch.isdigit() for ch in value),
        cjk=cjk,
        caps=not cjk and alpha >= 2 and value.isupper(),
        honorific=bool(tokens) and tokens[0] in _HONORIFICS and len(words) > 1,
        legal=bool(_LEGAL_FORMS_RE.search(value)) or any(w in value for w in _CJK_COMPANY),
        company_word=bool(_COMPANY_WORDS_RE.search(value)),
        title=title,
    )


def _role_scores(value: str) -> dict[str, float]:
    """How well `value` fits each text role (positive: fits; negative: does not)."""
    f = _features(value)
    marked = f.legal or f.company_word or f.title
    if f.digits:
        name = -3.0
    elif f.cjk:
        name = 2.0 if 2 <= f.cjk <= 5 else 0.5
    elif f.letters and 2 <= f.words <= 4:
        name = 2.5 if f.honorific else 2.0
    elif f.letters and f.words == 1:
        name = 0.5
    else:
        name = -1.0
    name -= 3 if f.legal else 1.5 if f.company_word else 0
    name -= 2 if f.title else 0

    single = f.letters and f.words == 1 and not f.honorific
    pair = f.letters and f.words == 2 and not f.honorific
    if f.cjk:
        first = last = 1.0 if f.cjk <= 3 else -1.0
    else:
        first = 1.5 if single else 0.0 if pair else -2.0
        last = 1.5 if single else 1.0 if pair else -2.0
    if f.caps:
        first, last = first - 1, last + 1
    if marked:
        first, last = first - 3, last - 3

    company = 3.0 if f.legal else 1.5 if f.company_word else 0.0
    if f.title and not f.legal:
        company -= 2
    if f.honorific:
        company -= 2
    title = 3.0 if f.title else -0.5
    if f.legal:
        title -= 2.5
    elif f.company_word and f.title:
        title -= 0.5
    if f.honorific:
        title -= 2
    city = -1.0 if f.letters and f.words <= 3 and not marked else -3.0
    return {
        "name": name,
        "first_name": first,
        "last_name": last,
        "company": company,
        "title": title,
        "city": city,
    }


# The orders vendors print the text fields in, with a small preference for the common ones.
_TEMPLATES: tuple[tuple[tuple[str, ...], float], ...] = (
    (("name", "company", "title", "city"), 0.6),
    (("first_name", "last_name", "company", "title", "city"), 0.6),
    (("last_name", "first_name", "company", "title", "city"), 0.0),
    (("name", "title", "company", "city"), 0.2),
    (("first_name", "last_name", "title", "company", "city"), 0.2),
    (("company", "name", "title", "city"), 0.0),
    (("company", "first_name", "last_name", "title", "city"), 0.0),
)
_SKIP_PENALTY = 0.25
_MAX_TEXT = 5


def _text_roles(texts: Sequence[str]) -> tuple[tuple[str, ...], float]:
    """The best roles for the text values in column order, and the margin over the runner-up."""
    k = len(texts)
    if k == 0:
        return (), 3.0
    scores = [_role_scores(t) for t in texts]
    best: dict[tuple[str, ...], float] = {}
    for template, prior in _TEMPLATES:
        if k > len(template):
            continue
        for picks in itertools.combinations(range(len(template)), k):
            roles = tuple(template[i] for i in picks)
            if ("first_name" in roles) != ("last_name" in roles) and "first_name" in template:
                continue  # a given name without the family name (or the reverse) is not a layout
            skipped = picks[-1] + 1 - k
            total = prior - _SKIP_PENALTY * skipped
            total += sum(s[r] for s, r in zip(scores, roles, strict=True))
            if total > best.get(roles, float("-inf")):
                best[roles] = total
    if not best:
        return ("ignore",) * k, 0.0
    ranked = sorted(best.items(), key=lambda item: -item[1])
    margin = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else 3.0
    return ranked[0][0], margin


# --- one badge ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Inference:
    """How one badge's columns read by content.

    `fields` has one name from `FIELD_NAMES` per column ('ignore' for empty or unused ones);
    `typed` counts the values a check confirms (an id's shape, the e-mail's '@', a country
    the resolver knows, a phone number); `margin` is how clearly the text columns chose their
    roles (0: a coin toss; 3 or more: clear).
    """

    fields: tuple[str, ...]
    typed: int
    country: str | None
    margin: float


def infer_fields(values: Sequence[str]) -> Inference | None:
    """Read a badge's columns by content; None when there is nothing to read."""
    n = len(values)
    filled = [i for i, v in enumerate(values) if v]
    if not filled or n > MAX_COLUMNS:
        return None
    fields = ["ignore"] * n
    free = set(filled)

    email = next((i for i in filled if is_email(values[i])), None)
    if email is not None:
        fields[email] = "email"
        free.discard(email)

    country = None
    last_filled = filled[-1]
    for i in reversed(filled):
        if i not in free or (i < (n - 1) / 2 and i != last_filled) or i == filled[0]:
            continue
        code = looks_like_country(values[i])
        if code is not None:
            fields[i], country = "country", code
            free.discard(i)
            break

    phones = [i for i in sorted(free) if looks_like_phone(values[i], country)]
    if phones:
        fields[phones[0]] = "phone"
        free.difference_update(phones)
        for extra in phones[1:]:
            fields[extra] = "ignore"

    ids = []
    for i in sorted(free):
        score = looks_like_id(values[i])
        edge = i in (filled[0], filled[-1])
        if score >= 2 or (score == 1 and edge):
            ids.append((score, edge, -i, i))
    if ids:
        index = max(ids)[3]
        fields[index] = "badge_id"
        free.discard(index)
        for _, _, _, other in ids:  # a second number (an order or seat number) is no text
            if other != index and not any(ch.isalpha() for ch in values[other]):
                free.discard(other)

    texts = [i for i in sorted(free) if len(values[i]) <= _TEXT_LIMIT]
    roles, margin = _text_roles([values[i] for i in texts[:_MAX_TEXT]])
    for i, role in zip(texts, roles, strict=False):
        fields[i] = role
    typed = sum(1 for f in fields if f in TYPED)
    return Inference(tuple(fields), typed, country, margin)


# --- a configured layout ------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """How a configured layout reads one badge: `ok` typed values that check out, `soft`
    typed values that do not (a misspelt country), `hard` misfits no spelling explains (an
    e-mail address in the company column, a badge id without a digit)."""

    ok: int
    soft: tuple[str, ...]
    hard: tuple[str, ...]

    @property
    def fits(self) -> bool:
        return not self.soft and not self.hard


def check_layout(values: Sequence[str], order: Sequence[str]) -> Fit:
    """Check every value against the field the layout gives its column (`order` holds
    normalised names from FIELD_NAMES)."""
    ok = 0
    soft: list[str] = []
    hard: list[str] = []
    country = None
    if "country" in order:
        i = order.index("country")
        country = resolve_country_text(values[i]) if i < len(values) and values[i] else None
    for i, value in enumerate(values[:MAX_COLUMNS]):
        if not value:
            continue
        name = order[i] if i < len(order) else None
        where = f"field {i + 1}"
        if name == "email":
            if is_email(value):
                ok += 1
            else:
                soft.append(f"{where} should be the e-mail but holds {_short(value)}")
        elif name == "country":
            if country is not None:
                ok += 1
            else:
                soft.append(f"{where} should be the country but holds {_short(value)}")
        elif name == "phone":
            if looks_like_phone(value, country) or loose_phone(value):
                ok += 1
            else:
                soft.append(f"{where} should be the phone but holds {_short(value)}")
        elif name == "badge_id":
            if _DIGIT_RE.search(value):
                ok += 1
            else:
                hard.append(f"the badge id in {where}, {_short(value)}, has no digits")
        elif is_email(value) and name != "ignore":
            what = f"the {name.replace('_', ' ')}" if name else "no field, past the layout's end"
            hard.append(f"an e-mail address in {where}, where the layout has {what}")
    return Fit(ok, tuple(soft), tuple(hard))


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "…")


# --- learning a show's layout -------------------------------------------------------------


@dataclass(frozen=True)
class LayoutProposal:
    """A layout learnt from a show's first delimited scans, for the manager to confirm.

    `fields` is ready for the show file's `[badges] fields` (trailing unused columns left
    out); `confidence` is 0..1: the scans' agreement with it, discounted for few scans
    (n / (n + 1): one scan is never more than 0.5, five at most 0.83). `scans` counts the
    delimited scans used, `agreeing` those whose every filled column reads as proposed, and
    `columns` the agreement per column. Offer it when confidence ≥ 0.75 (e.g. three scans
    that all agree, or nine of ten).
    """

    fields: tuple[str, ...]
    confidence: float
    scans: int
    agreeing: int
    delimiter: str
    columns: tuple[float, ...]

    def as_config(self) -> list[str]:
        return list(self.fields)


def propose_fields(rows: Iterable[tuple[str, Sequence[str]]]) -> LayoutProposal | None:
    """Propose a show's field order from several delimited badges, given as (separator,
    values) pairs (`kiosk.badges.propose_layout` makes them from scans).

    The badges with the most common separator count. Each is read by content, then each
    column takes the field most badges gave it; a field wins one column only (the column
    where more badges agree). None when there is no badge to learn from.
    """
    readings: dict[str, list[tuple[Sequence[str], Inference]]] = {}
    for delimiter, values in rows:
        inference = infer_fields(values)
        if inference is not None:
            readings.setdefault(delimiter, []).append((values, inference))
    if not readings:
        return None
    delimiter, group = max(readings.items(), key=lambda item: len(item[1]))
    width = max(len(values) for values, _ in group)
    votes: list[Counter[str]] = [Counter() for _ in range(width)]
    for values, inference in group:
        for i, name in enumerate(inference.fields):
            if values[i]:
                votes[i][name] += 1
    fields = _assign_columns(votes)
    while fields and fields[-1] == "ignore":
        fields.pop()
    agreements = []
    agreeing = 0
    for values, inference in group:
        checked = [i for i in range(len(values)) if values[i]]
        same = [i for i in checked if inference.fields[i] == _at(fields, i)]
        share = len(same) / len(checked) if checked else 0.0
        agreements.append(share)
        agreeing += share == 1.0
    n = len(group)
    confidence = sum(agreements) / (n + 1)  # the mean agreement, times n / (n + 1)
    columns = tuple(
        round(v[_at(fields, i)] / total, 2) if (total := sum(v.values())) else 0.0
        for i, v in enumerate(votes[: len(fields)])
    )
    return LayoutProposal(
        fields=tuple(fields),
        confidence=round(confidence, 2),
        scans=n,
        agreeing=agreeing,
        delimiter=delimiter,
        columns=columns,
    )


def _at(fields: Sequence[str], i: int) -> str:
    return fields[i] if i < len(fields) else "ignore"


def _assign_columns(votes: list[Counter[str]]) -> list[str]:
    """Each column its most voted field, each field in one column only (the surest one);
    a full name and its parts never both (the reading more scans gave wins)."""
    fields = ["ignore"] * len(votes)
    taken: set[str] = set()
    candidates = sorted(
        ((count, -i, i, name) for i, v in enumerate(votes) for name, count in v.items()),
        reverse=True,
    )
    for _, _, i, name in candidates:
        if fields[i] == "ignore" and name != "ignore" and name not in taken:
            fields[i] = name
            taken.add(name)
    won: Counter[str] = Counter()
    for i, name in enumerate(fields):
        won[name] += votes[i][name]
    if won["name"] and (won["first_name"] or won["last_name"]):
        parts = (won["first_name"] + won["last_name"]) / 2
        drop = {"first_name", "last_name"} if won["name"] >= parts else {"name"}
        fields = ["ignore" if f in drop else f for f in fields]
    return fields
