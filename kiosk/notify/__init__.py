"""Telling the owner their visitor is here (issue 13): the outbox and its channels.

- `kinds`: which events notify whom, in one literal table (`NOTIFIERS`): an arrival tells
  the visitor's owner and approved assistant; a dispute decision tells both salespeople.
- `outbox`: one recorded item per (event, recipient, channel), raised only by the kiosk
  that recorded the event, sent once through apprise with back-off, its state (sent,
  failed and why, paused, duplicate) visible to the manager.
- `channels`: apprise URLs from the show file (only secret-free ones) and the salesperson's
  profile, secrets in the 0600 key file beside the database or the environment.
- `screen`: the notices a logged-in salesperson sees on their own kiosk.

UI-free; the hub's claims (one notification per visitor and repeat window across kiosks)
come in as a function (`outbox.Claimer`), so this package needs no network of its own.
"""

from kiosk.notify.outbox import Delivery, deliver, enqueue, items

__all__ = ["Delivery", "deliver", "enqueue", "items"]
