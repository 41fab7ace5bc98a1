"""Invitations and what the booth prints or shows for a visitor to scan.

- `invitations` — whom a salesperson invites, minting a signed token each (`kiosk.tokens`
  checks them at the booth), and the `invitation.sent` events;
- `mail` — an invitation as an e-mail in the customer's language, from editable templates;
- `files` — a folder of `.eml` files and a mail-merge CSV for one salesperson;
- `walkin` — a printable badge for a walk-in visitor, with a QR;
- `qr` — QR codes (a salesperson's vCard on the card, invitation links), and `fonts` — the
  CJK font walk-in badges print names with.

A service layer: the front-ends call it; the lower core (lookup, events) never imports it.
"""
