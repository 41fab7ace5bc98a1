"""Hub commands: `kiosk hub init|publish|status`, `kiosk join`, `kiosk sync` (issue 13).

Every one takes `--hub URL`, else `KIOSK_HUB`, else `[hub] url` in the show file;
`kiosk hub init` and `kiosk join` take the URL as their argument. A hub that cannot be
reached is one line on stderr and exit status 2, like every error a person can fix.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import click

from kiosk.cli.context import KioskContext, pass_ctx, user_errors
from kiosk.hub.url import public_url, resolve_url

HUB_HELP = "The hub, postgresql://[USER@]HOST[:PORT]/DB (default: KIOSK_HUB, then [hub] url)."


def _duration(text: str) -> float:
    """'2s', '500ms', '1m', '1.5' → seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*", text or "")
    if not m:
        raise click.BadParameter(f"{text!r} is not a duration like 2s, 500ms or 1m")
    value, unit = float(m.group(1)), m.group(2) or "s"
    seconds = value / 1000 if unit == "ms" else value * 60 if unit in ("m", "min") else value
    if seconds <= 0:
        raise click.BadParameter("the interval must be more than zero")
    return seconds


def _url(obj: KioskContext, flag: str | None) -> str:
    return resolve_url(flag, obj.config())


@click.group()
def hub() -> None:
    """The PostgreSQL hub kiosks sync through: create it, publish the show, look at it."""


@hub.command("init")
@click.argument("url")
@user_errors
def hub_init(url: str) -> None:
    """Create the hub's tables in the PostgreSQL database at URL (safe to run again)."""
    # measured start-up cost: kiosk.hub.schema (~280 ms), first needed here
    from kiosk.hub.schema import init_hub

    version = init_hub(url)
    click.echo(f"Hub ready at {public_url(url)} (schema {version}).")


# Baseline tables worth a word only when they hold rows: most CRM exports have no cell with
# two addresses or numbers (`contact_keys`).
_QUIET_WHEN_EMPTY = {"contact_keys": "further addresses and numbers"}


def _tables(counts: dict[str, int]) -> str:
    """'13 salespeople, 21 territories, 3200 contacts, …' for a baseline's rows per table."""
    return ", ".join(
        f"{n} {_QUIET_WHEN_EMPTY.get(t) or t.replace('_', ' ')}"
        for t, n in counts.items()
        if n or t not in _QUIET_WHEN_EMPTY
    )


@hub.command("publish")
@click.option("--hub", "hub_url", help=HUB_HELP)
@pass_ctx
@user_errors
def hub_publish(obj: KioskContext, hub_url: str | None) -> None:
    """Push this kiosk's show file and CRM import (the baseline) to the hub, for `kiosk join`."""
    # measured start-up cost: kiosk.hub.baseline (~237 ms), first needed here
    from kiosk.hub.baseline import publish

    url = _url(obj, hub_url)
    counts = publish(obj.db(), url, kiosk_id=obj.config().kiosk_id)
    parts = _tables(counts)
    click.echo(f"Published show {obj.config().show_id!r} to {public_url(url)}: {parts}.")


def _hub_clock():  # noqa: ANN202 - HubClock | None; kiosk.hub.sync loads with the command
    """The hub's clock to compare this computer's with: none when KIOSK_NOW sets the time
    on purpose (a rehearsal, a test), which the hub's real clock would always contradict."""
    # measured start-up cost: kiosk.hub.sync (~358 ms), first needed here
    from kiosk.clock import is_frozen
    from kiosk.hub import sync

    return None if is_frozen() else sync.server_clock


@hub.command("status")
@click.option("--hub", "hub_url", help=HUB_HELP)
@pass_ctx
@user_errors
def hub_status(obj: KioskContext, hub_url: str | None) -> None:
    """What the hub holds for this show, and how far each kiosk has pulled."""
    # measured start-up cost: kiosk.hub.status (~350 ms), first needed here
    from kiosk.hub.status import hub_status as status

    for line in status(_url(obj, hub_url), obj.db(), now=obj.now(), hub_clock=_hub_clock()):
        click.echo(line)


@click.command()
@click.argument("url")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to create the kiosk database (default: --db of kiosk, or KIOSK_DB).")  # fmt: skip
@click.option("--kiosk-id", help="This laptop's kiosk id (default: kiosk-<random>).")
@click.option("--show", "show_id", help="Which show, when the hub holds several.")
@pass_ctx
@user_errors
def join(
    obj: KioskContext, url: str, db_path: Path | None, kiosk_id: str | None, show_id: str | None
) -> None:
    """Make this laptop a kiosk of the hub's show: its baseline and every event, in one go."""
    # measured start-up cost: kiosk.hub.baseline (~237 ms), first needed here
    from kiosk.hub.baseline import join as do_join

    report = do_join(url, db_path or obj.db_path, now=obj.now(), kiosk_id=kiosk_id, show_id=show_id)
    rows = _tables(report.rows)
    click.echo(
        f"Joined show {report.show_id!r} from {public_url(url)} as {report.kiosk_id}: {rows};"
        f" {report.events.applied} events."
    )
    click.echo(f"Kiosk database: {report.path}")
    if report.key_note:
        click.echo(f"Invitations: {report.key_note}.")


@click.command()
@click.option("--hub", "hub_url", help=HUB_HELP)
@click.option("--every", "every", help="Keep syncing: a round at least this often (e.g. 2s).")
@pass_ctx
@user_errors
def sync(obj: KioskContext, hub_url: str | None, every: str | None) -> None:
    """Push this kiosk's new events to the hub, pull the others', apply them as a merge does.

    Without --every: one round, exit 0 (or 2 with one line when the hub cannot be reached).
    With it: rounds until interrupted, woken at once when another kiosk pushes.
    """
    # measured start-up cost: kiosk.hub.sync (~358 ms), first needed here
    from kiosk.hub.sync import sync_once

    url = _url(obj, hub_url)
    config = obj.config()
    if every is None:
        # measured start-up cost: kiosk.hub.notifying (~340 ms), first needed here
        from kiosk.hub.notifying import notification_pass

        db = obj.db()
        sent: list[int] = []

        def notify(conn) -> None:
            done = notification_pass(
                db, conn, obj.now(), config=config, db_path=obj.db_path, url=url
            )
            sent.append(done.sent)

        report = sync_once(
            db, url, kiosk_id=config.kiosk_id, now=obj.now(), after=notify, hub_clock=_hub_clock()
        )
        notified = f", notified {sent[0]}" if sent and sent[0] else ""
        click.echo(f"Synced with {public_url(url)}: {report.line()}{notified}.")
        if warning := report.clock_warning():
            click.echo(warning, err=True)
        return
    _sync_forever(obj, url, _duration(every))


def _sync_forever(obj: KioskContext, url: str, every: float) -> None:
    # measured start-up cost: kiosk.db (~44 ms), kiosk.hub.notifying (~340 ms),
    # kiosk.hub.worker (~466 ms), first needed here
    from kiosk.db import open_db
    from kiosk.hub.notifying import NotifyLoop
    from kiosk.hub.sync import clock_news
    from kiosk.hub.worker import HubStatus, SyncWorker

    config = obj.config()
    last: list[str] = []
    warned: list[str] = []  # which clock warning was said last ('' none)

    def show(status: HubStatus) -> None:
        if status.online:
            r = status.last_round
            line = f"online: {r.line()}" if r and (r.pushed or r.pulled) else ""
            state, said = clock_news(warned[-1] if warned else "", r.clock_offset if r else None)
            if said:
                click.echo(said, err=True)
            warned[:] = [state]
        else:
            line = f"offline ({status.pending} to push): {status.error}"
        if line and (not last or line != last[-1] or status.online):
            click.echo(line)
            last[:] = [line]

    def notified(done) -> None:
        if done.sent or done.failed:
            click.echo(f"notified {done.sent}" + (f", failed {done.failed}" if done.failed else ""))

    def reader():
        return open_db(obj.db_path, create=False)

    worker = SyncWorker(
        reader, url, kiosk_id=config.kiosk_id, clock=obj.clock, every=every, on_status=show,
        hub_clock=_hub_clock(),
    )  # fmt: skip
    notifier = NotifyLoop(
        reader, url, config=config, db_path=obj.db_path, clock=obj.clock, on_pass=notified
    )
    click.echo(f"Syncing with {public_url(url)} every {every:g} s (Ctrl+C stops).")
    stop = threading.Event()
    side = threading.Thread(target=notifier.run, args=(stop,), daemon=True)
    side.start()
    try:
        worker.run(stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        side.join(timeout=10)
