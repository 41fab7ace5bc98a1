"""`kiosk … | head`: a command whose reader has gone ends quietly, whatever the command.

A real process writes into a pipe whose read end is already closed, so its first write
fails with EPIPE (what `head` does to a long listing once it has its lines)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

KIOSK = [sys.executable, "-c", "from kiosk.cli import main; main()"]


def run_into_closed_pipe(args: list[str]) -> subprocess.CompletedProcess[str]:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([*KIOSK, *args], stdout=write_end, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        ["notify", "outbox"],  # wrapped in user_errors: it used to say "Error: Broken pipe"
        ["proposals"],
        ["lookup", "C1", "--json"],
        ["stats"],
        ["--help"],
    ],
)
def test_a_command_whose_reader_left_ends_quietly(dbpath, args):
    done = run_into_closed_pipe(["--db", str(dbpath), *args])
    assert done.stderr == ""
    assert done.returncode == 1  # click's convention for a closed output: not a success


def test_a_broken_pipe_elsewhere_is_still_an_error():
    """Only standard output's reader leaving is quiet: here stdout is a pipe still read."""
    code = (
        "import errno\n"
        "from kiosk.cli.context import user_errors\n"
        "def cmd():\n"
        "    raise BrokenPipeError(errno.EPIPE, 'Broken pipe')\n"
        "user_errors(cmd)()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == "Error: Broken pipe\n"


def test_output_gone_sees_a_pipe_without_reader():
    code = "from kiosk.cli.context import output_gone; import sys; sys.stderr.write(str(output_gone()))"
    r, w = os.pipe()
    os.close(r)
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], stdout=w, stderr=subprocess.PIPE, text=True
        )
    finally:
        os.close(w)
    assert done.stderr == "True"
    kept = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert kept.stderr == "False"
