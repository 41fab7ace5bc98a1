"""vCard 2.1 / 3.0 / 4.0 → Draft: which of several EMAIL/TEL/ADR lines to believe, and the name.

Business cards carry many phones and addresses; the kiosk needs one of each, so the choice is
explicit: a plausible value before an implausible one (a number before 'BusinessPhone', a fax or
pager last, an address with a country first), then PREF, then card order. The name is FN, else
built from N, else the best identifying thing the card has, with a warning that says so.

`name` built from N leaves out the honorific prefix and suffix (it is what a CRM search
matches); `display_name` keeps them, as a phone shows a card without FN: 'Dr. Jan Kowalski PhD'.
Values written as URIs (vCard 4.0 `VALUE=uri`: 'tel:+44-555;ext=55', 'mailto:a@b.example')
become the plain number or address.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.badge_formats.draft import Draft, join_name, looks_like_email, one_line, strip_mailto
from kiosk.badge_formats.vcard_lines import Prop, first_card, text_parts, text_value

_ID_PROPS = ("X-BADGE-ID", "X-BADGEID", "X-REGISTRATION-ID", "X-REGID", "X-ATTENDEE-ID", "UID")
_FILE_AS = ("X-EVOLUTION-FILE-AS", "X-FILE-AS", "X-ASSEMBLED-NAME")
_USED = frozenset(
    ("FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "ROLE", "URL", "ADR", "LABEL", "NICKNAME")
    + _ID_PROPS
    + _FILE_AS
)
_PER_NAME = 16  # no real card has more of one property; a padded one costs no more


def parse_vcard(text: str) -> Draft:
    """Read the first card in `text` (the payload starts somewhere at 'BEGIN:VCARD')."""
    props, extra = first_card(text, names=_USED, per_name=_PER_NAME)
    draft = Draft(kind="vcard")
    if extra:
        draft.warnings.append(f"{extra + 1} vCards in one payload; only the first was read")
    by_name: dict[str, list[Prop]] = {}
    for prop in props:
        by_name.setdefault(prop.name, []).append(prop)

    draft.email = _best_email(by_name.get("EMAIL", []))
    draft.phone = _best_phone(by_name.get("TEL", []))
    draft.company = _company(by_name.get("ORG", []))
    draft.title = _first_text(by_name, "TITLE") or _first_text(by_name, "ROLE")
    draft.url = _best_url(by_name.get("URL", []))
    for name in _ID_PROPS:
        badge_id = _first_text(by_name, name)
        if badge_id:
            draft.badge_id = badge_id
            break
    draft.city, draft.country_text = _address(by_name.get("ADR", []))
    if not draft.country_text:
        draft.country_hints.extend(_label_last_lines(by_name.get("LABEL", [])))
    draft.name = _name(by_name, draft)
    draft.display_name = _display_name(by_name) or draft.name
    return draft


def _name(by_name: dict[str, list[Prop]], draft: Draft) -> str:
    full = one_line(_first_text(by_name, "FN"))
    if full:
        return full
    from_n = _name_from_n(by_name.get("N", []))
    if from_n:
        return from_n
    fallbacks = (
        ("nickname", one_line(_first_text(by_name, "NICKNAME").split(",")[0])),
        (
            "file-as name",
            next((one_line(_first_text(by_name, n)) for n in _FILE_AS if n in by_name), ""),
        ),
        ("company", draft.company),
        ("e-mail", draft.email),
    )
    for label, value in fallbacks:
        if value:
            draft.warnings.append(f"no personal name on the card; showing its {label}")
            return value
    draft.warnings.append("no name on the card")
    return ""


def _display_name(by_name: dict[str, list[Prop]]) -> str:
    """FN, else N in display order: prefix, given, additional, family, suffix."""
    full = one_line(_first_text(by_name, "FN"))
    if full:
        return full
    for prop in by_name.get("N", []):
        parts = [
            one_line(p.replace(",", " ")) for p in text_parts(prop, structured=True, max_parts=5)
        ]
        parts += [""] * 5
        core = join_name(given=parts[1], family=parts[0], middle=parts[2])
        name = " ".join(p for p in (parts[3], core, parts[4]) if p)
        if core:
            return name
    return ""


def _name_from_n(props: list[Prop]) -> str:
    """N is family;given;additional;prefix;suffix — each a comma list. Prefix/suffix dropped."""
    for prop in props:
        parts = [
            one_line(p.replace(",", " ")) for p in text_parts(prop, structured=True, max_parts=5)
        ]
        parts += [""] * 5
        name = join_name(given=parts[1], family=parts[0], middle=parts[2])
        if name:
            return name
    return ""


def _first_text(by_name: dict[str, list[Prop]], name: str) -> str:
    for prop in by_name.get(name, []):
        value = text_value(prop)
        if value:
            return value
    return ""


def _ranked(props: list[Prop], rank: Callable[[Prop, str], int]) -> list[tuple[Prop, str]]:
    values = [(i, p, text_value(p)) for i, p in enumerate(props)]
    values = [(i, p, v) for i, p, v in values if v]
    values.sort(key=lambda item: (rank(item[1], item[2]), _pref_order(item[1]), item[0]))
    return [(p, v) for _, p, v in values]


def _pref_order(prop: Prop) -> int:
    """vCard 4.0 PREF=1..100 (lower is stronger); 3.0 TYPE=pref counts as 1; none as 101."""
    for value in prop.params.get("PREF", ()):
        if value.isdigit():
            return int(value)
    return 1 if prop.is_pref() else 101


def _best_email(props: list[Prop]) -> str:
    ranked = _ranked(props, lambda p, v: 0 if looks_like_email(v) else 1)
    return strip_mailto(ranked[0][1]) if ranked else ""


def _best_phone(props: list[Prop]) -> str:
    def rank(prop: Prop, value: str) -> int:
        kinds = prop.types()
        if kinds & {"fax", "pager"}:
            return 2
        return 0 if any(ch.isdigit() for ch in value) else 1

    ranked = _ranked(props, rank)
    return _tel_text(ranked[0][1]) if ranked else ""


def _tel_text(value: str) -> str:
    """'tel:+44-555;ext=55' (vCard 4.0 URI form) → '+44-555 ext. 55'."""
    if value[:4].lower() == "tel:":
        number, _, params = value[4:].partition(";")
        ext = next((p[4:] for p in params.split(";") if p.lower().startswith("ext=")), "")
        return f"{number} ext. {ext}" if ext else number
    return value


def _best_url(props: list[Prop]) -> str:
    ranked = _ranked(props, lambda p, v: 0)
    return ranked[0][1] if ranked else ""


def _company(props: list[Prop]) -> str:
    """ORG is 'organisation;unit;sub-unit': the company is the first non-empty component."""
    for prop in props:
        for part in text_parts(prop, structured=True, max_parts=16):
            if part.strip():
                return one_line(part)
    return ""


def _address(props: list[Prop]) -> tuple[str, str]:
    """(city, country) from the preferred ADR: pobox;ext;street;locality;region;code;country."""
    candidates = []
    for i, prop in enumerate(props):
        parts = [one_line(p) for p in text_parts(prop, structured=True, max_parts=7)] + [""] * 7
        city, country = parts[3], parts[6]
        if city or country:
            rank = (not country, _pref_order(prop), "work" not in prop.types(), i)
            candidates.append((rank, city, country))
    if not candidates:
        return "", ""
    _, city, country = min(candidates)
    return city, country


def _label_last_lines(props: list[Prop]) -> list[str]:
    """A formatted LABEL's last line is conventionally the country ('...\\nUSA')."""
    hints = []
    for prop in props:
        lines = [ln.strip() for ln in text_value(prop).splitlines() if ln.strip()]
        if len(lines) > 1:
            hints.append(lines[-1])
    return hints
