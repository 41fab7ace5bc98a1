"""Text folding shared by search, lookup and import, so that all three agree on equality."""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Lower-case, strip accents and width differences: 'Müller' → 'muller', 'ＡＢＣ' → 'abc'.

    CJK characters pass through unchanged (NFKD leaves them intact), so a trigram index over
    folded text still finds '王小明' by '小明'.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def normalize_email(email: str | None) -> str:
    """Case-fold and trim an address; '' when it is not plausibly an email."""
    if not email:
        return ""
    e = email.strip().strip("<>").casefold()
    if e.startswith("mailto:"):
        e = e[7:]
    if e.count("@") != 1:
        return ""
    local, domain = e.split("@")
    if not local or "." not in domain:
        return ""
    return f"{local}@{domain}"


def email_domain(email: str | None) -> str:
    e = normalize_email(email)
    return e.split("@", 1)[1] if e else ""


def search_text(*parts: str | None) -> str:
    """The folded text the FTS index holds for one contact."""
    return " ".join(f for f in (fold(p) for p in parts) if f)
