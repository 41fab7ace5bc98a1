"""What the manager reads: the day per salesperson, the show's summary, the database's figures.

- `dashboard` — each salesperson's day (invited customers who came, own customers, walk-ins,
  leads by rating, waiting and received, median wait), arrivals per hour, the open items;
- `stats` — a summary of the kiosk database (`kiosk stats`).

The post-show report (`kiosk report`) reads the same figures for the whole show
(`kiosk.sync.report`). Plain data; the CLI and the TUI draw it.
"""
