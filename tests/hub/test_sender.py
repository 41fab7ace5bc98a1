"""The booth screen's notification process (`kiosk.hub.sender`): a real child process per
kiosk, woken through its pipe, sending through a real hub to a local webhook — one
delivery per arrival across two kiosks, a child that died started again, the pipe's end
ending it, and the hub's URL kept off its command line."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from webhook_sink import WebhookSink  # scripts/, on sys.path through tests/hub/conftest

from kiosk.clock import ENV_VAR as NOW_ENV
from kiosk.hub.connection import ENV_VAR as HUB_ENV
from kiosk.hub.sender import SenderProcess
from tests.factory import NOW
from tests.hub.conftest import kiosk_file
from tests.hub.test_notify import checkin, states, with_channels

pytestmark = pytest.mark.pg


@pytest.fixture
def receiver():
    r = WebhookSink()
    yield r
    r.close()


def until(test, seconds: float = 60.0) -> bool:
    """Real time passes: the child is a process of its own (a test's clock cannot reach it)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return True
        time.sleep(0.05)
    return bool(test())


def kiosks(template_db, tmp_path, receiver, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = kiosk_file(template_db, tmp_path, name)
        with_channels(path, name, f'{{ kenji = ["json://127.0.0.1:{receiver.port}/"] }}')
        paths.append(path)
    return paths


def child_env() -> dict[str, str]:
    return {**os.environ, NOW_ENV: NOW.isoformat()}  # the child's clock, as every front-end's


def settled(path: Path) -> bool:
    return bool(states(path)) and all(state != "pending" for _, state in states(path))


def test_two_kiosks_processes_send_one_notification_for_one_visitor(
    hub_url, template_db, tmp_path, receiver
):
    a, b = kiosks(template_db, tmp_path, receiver, "kiosk-a", "kiosk-b")
    # Yuki Tanaka (Kenji's customer) is scanned at both kiosks before they ever synced
    checkin(a, "kiosk-a", "C1")
    checkin(b, "kiosk-b", "C1", minutes=1)
    senders = [SenderProcess(path, hub_url, env=child_env()) for path in (a, b)]
    try:
        for sender in senders:
            sender.start()
            sender.wake()
        assert until(lambda: settled(a) and settled(b)), (states(a), states(b))
    finally:
        codes = [sender.stop() for sender in senders]
    assert codes == [0, 0]  # the pipe's end ended each child, cleanly
    assert receiver.titles() == ["Yuki Tanaka of Tanaka Shoji is at reception"]
    assert sorted(states(a) + states(b)) == [("kenji", "duplicate"), ("kenji", "sent")]


def test_a_scan_wakes_the_process_and_a_child_that_died_is_started_again(
    hub_url, template_db, tmp_path, receiver
):
    (a,) = kiosks(template_db, tmp_path, receiver, "kiosk-a")
    sender = SenderProcess(a, hub_url, env=child_env())
    try:
        sender.start()
        checkin(a, "kiosk-a", "C1")
        sender.wake()
        # sent and recorded (killed between the two, it would send again: the one
        # "at least once" case the outbox documents)
        assert until(lambda: settled(a)), states(a)
        assert len(receiver.got) == 1
        first = sender.pid
        assert first is not None
        os.kill(first, signal.SIGKILL)  # a crash of the child, not of the booth screen
        assert until(lambda: not sender.alive)
        checkin(a, "kiosk-a", "C1", minutes=11)  # back after the repeat window: a new arrival
        sender.wake()  # finds the child gone: starts a new one, which sends
        assert until(lambda: len(states(a)) == 2 and settled(a)), states(a)
        assert sender.started == 2 and sender.pid != first
    finally:
        assert sender.stop() == 0
    assert [state for _, state in states(a)] == ["sent", "sent"]
    assert len(receiver.got) == 2


def test_the_hubs_url_reaches_the_child_through_its_environment_not_its_command_line(
    hub_url, template_db, tmp_path, receiver
):
    (a,) = kiosks(template_db, tmp_path, receiver, "kiosk-a")
    env = {**child_env(), HUB_ENV: "postgresql://someone-else@192.0.2.1/other"}
    sender = SenderProcess(a, hub_url, env=env)
    try:
        sender.start()
        pid = sender.pid
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    finally:
        assert sender.stop() == 0
    assert not any(hub_url.encode() in part for part in cmdline)
    assert f"{HUB_ENV}={hub_url}".encode() in environ  # this link's hub, not the inherited one


def test_without_a_hub_the_process_sends_on_its_own_word(template_db, tmp_path, receiver):
    (a,) = kiosks(template_db, tmp_path, receiver, "kiosk-a")
    checkin(a, "kiosk-a", "C1")
    sender = SenderProcess(a, None, env={**child_env(), HUB_ENV: "postgresql://x@192.0.2.1/y"})
    try:
        sender.start()
        sender.wake()
        assert until(lambda: settled(a)), states(a)
    finally:
        assert sender.stop() == 0
    assert states(a) == [("kenji", "sent")]
    assert receiver.titles() == ["Yuki Tanaka of Tanaka Shoji is at reception"]
