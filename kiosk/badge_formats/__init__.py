"""Format readers behind `kiosk.badges.parse_badge`.

Each module turns one family of badge payloads into a `Draft` (see `draft.py`); the entry point
in `kiosk.badges` picks the reader, then finishes the draft (country, e-mail repair, token) into
a frozen `Badge`. Callers should import `kiosk.badges`, not these modules.
"""
