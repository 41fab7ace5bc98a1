#!/usr/bin/env python3
"""Run the commands the documents show, as a reader would, and fail when one does not work.

The convention (README.md, "Documents that work as written"): a command shown after a `$ `
prompt in a fenced code block of README.md or docs/**/*.md runs as written from a fresh clone
after the Quick start, in order, headless, in under 60 s, and leaves the checkout clean.
Lines after a command that do not start with `$ ` are its example output (not compared); a
command continues on the next line when its line ends with a backslash. Reference examples
with placeholder files carry no prompt and are not run.

For each document that shows commands, this script

- copies the working tree (tracked and untracked-but-not-ignored files, as they are now) into
  a fresh temporary folder, commits it to a throw-away git repository there, and links the
  real checkout's `.venv` into it (the Quick start's result: the doc's commands may use it);
- starts one bash session in that copy, so that `cd`, variables and `source` carry over from
  one command to the next, with HOME, TMPDIR, the XDG folders and KIOSK_DB pointed into the
  temporary folder, KIOSK_NOW and KIOSK_CONFIG unset, and no virtual environment on PATH;
- runs each command there with stdin from /dev/null and a timeout (60 s), and fails on the
  first that exits non-zero or times out, naming the document, its line, the command and
  what it printed;
- afterwards fails if the copy has new untracked or modified files (`git status
  --porcelain`): a document must do its work in a temporary folder.

    scripts/check_docs.py                  every document (README.md, docs/**/*.md)
    scripts/check_docs.py docs/sync.md     only these
    scripts/check_docs.py --list           print the commands, run nothing
    scripts/check_docs.py -v               print each command and its time as it runs
    scripts/check_docs.py -vv              … and what it printed (to compare with the doc)

Exit status: 0 when every command worked, 1 when one did not, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60.0
PROMPT = "$ "
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
_OUTPUT_TAIL = 6000  # characters of a failing command's output to show


@dataclass(frozen=True)
class Command:
    doc: str  # path relative to the checkout
    line: int  # 1-based line of the `$ ` prompt
    text: str  # the command, continuation lines joined with newlines as written


def documents(root: Path = ROOT) -> list[Path]:
    """README.md and every Markdown file under docs/, in a stable order."""
    docs = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
    return [d for d in docs if d.is_file()]


def extract(text: str, doc: str = "") -> list[Command]:
    """The `$ ` commands of the fenced code blocks of a Markdown text, in order."""
    commands: list[Command] = []
    fence: str | None = None
    indent = 0
    current: list[str] = []
    start = 0
    for n, raw in enumerate(text.splitlines(), 1):
        m = _FENCE.match(raw)
        if fence is None:
            if m:
                fence, indent = m.group(2), len(m.group(1))
            continue
        if m and m.group(2).startswith(fence) and not raw.strip().strip(fence[0]):
            fence = None  # the closing fence
            if current:  # a continuation that ran into the fence: keep what there is
                commands.append(Command(doc, start, "\n".join(current)))
                current = []
            continue
        line = raw[indent:] if raw[:indent].strip() == "" else raw.lstrip()
        if current:
            current.append(line)
        elif line.startswith(PROMPT):
            start, current = n, [line[len(PROMPT) :]]
        else:
            continue  # example output
        if not line.endswith("\\"):
            commands.append(Command(doc, start, "\n".join(current)))
            current = []
    return commands


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def working_tree_files(root: Path = ROOT) -> list[str]:
    """Tracked and untracked-but-not-ignored files that exist, as `git ls-files` names them."""
    out = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=root)
    names = sorted({n for n in out.split("\0") if n})
    return [n for n in names if (root / n).is_file() or (root / n).is_symlink()]


def fresh_copy(dest: Path, root: Path = ROOT) -> None:
    """The working tree as it is now, committed in a new repository at `dest`, with the
    checkout's .venv linked in (ignored by the copy's git, as .venv/ is in the checkout)."""
    dest.mkdir(parents=True)
    for name in working_tree_files(root):
        src, dst = root / name, dest / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            dst.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, dst)
    if (root / ".venv").exists():
        (dest / ".venv").symlink_to(root / ".venv", target_is_directory=True)
    quiet = ["-c", "user.name=check-docs", "-c", "user.email=check-docs@kiosk.invalid"]
    _git("init", "-q", cwd=dest)
    with open(dest / ".git" / "info" / "exclude", "a", encoding="utf-8") as fh:
        fh.write("/.venv\n")  # a link, which the checkout's `.venv/` pattern does not match
    _git("add", "-A", cwd=dest)
    _git(*quiet, "commit", "-q", "--no-verify", "-m", "docs check", cwd=dest)


def session_env(home: Path, tmp: Path) -> dict[str, str]:
    """A reader's fresh shell: no activated virtual environment, no kiosk settings, and
    every place a program may write by default inside the temporary folder."""
    env = dict(os.environ)
    for name in ("KIOSK_NOW", "KIOSK_CONFIG", "KIOSK_YEAR_AHEAD", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)
    venvs = {str(ROOT / ".venv" / "bin"), os.path.join(os.environ.get("VIRTUAL_ENV", "?"), "bin")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p and os.path.normpath(p) not in venvs
    )
    env.update(
        HOME=str(home),
        TMPDIR=str(tmp),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        KIOSK_DB=str(home / "kiosk.db"),
        PYTHONDONTWRITEBYTECODE="1",
        TERM="dumb",
        COLUMNS="120",
    )
    return env


class Failure(Exception):
    pass


class Session:
    """One bash process; commands are written to its stdin and end with a marker line
    carrying their exit status, so output can be read per command with a deadline."""

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self.marker = f"__check_docs_{secrets.token_hex(8)}__"
        self.proc = subprocess.Popen(
            ["bash", "--noprofile", "--norc"],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a timeout kills every child
        )
        assert self.proc.stdin and self.proc.stdout
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.stdout, selectors.EVENT_READ)
        self.buffer = b""
        self._send("set -o pipefail\n")

    def _send(self, text: str) -> None:
        self.stdin.write(text.encode())
        self.stdin.flush()

    def run(self, command: str, timeout: float) -> tuple[int | None, str]:
        """(exit status, output); status None when the command timed out or the shell died."""
        self._send(f"{{ {command}\n}} </dev/null\nprintf '\\n{self.marker} %d\\n' \"$?\"\n")
        pattern = re.compile(rb"\n" + self.marker.encode() + rb" (\d+)\n")
        deadline = time.monotonic() + timeout
        while True:
            m = pattern.search(self.buffer)
            if m:
                output, self.buffer = self.buffer[: m.start()], self.buffer[m.end() :]
                return int(m.group(1)), output.decode(errors="replace")
            left = deadline - time.monotonic()
            if left <= 0:
                self.close()
                return None, self.buffer.decode(
                    errors="replace"
                ) + f"\n[timed out after {timeout:g} s]"
            if not self.selector.select(timeout=left):
                continue
            chunk = os.read(self.stdout.fileno(), 65536)
            if not chunk:
                self.close()
                return None, self.buffer.decode(errors="replace") + "\n[the shell exited]"
            self.buffer += chunk

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        self.selector.close()
        for stream in (self.stdin, self.stdout):
            try:
                stream.close()
            except OSError:
                pass


def _tail(text: str) -> str:
    text = text.strip("\n")
    if len(text) > _OUTPUT_TAIL:
        text = "[…]\n" + text[-_OUTPUT_TAIL:]
    return "\n".join("    " + line for line in text.splitlines()) or "    (no output)"


def check_document(
    doc: Path, commands: list[Command], *, timeout: float, verbose: int, keep: bool
) -> float:
    """Run one document's commands in a fresh copy; raise Failure naming what went wrong."""
    work = Path(tempfile.mkdtemp(prefix="kiosk-docs-"))
    started = time.monotonic()
    session = None
    try:
        copy, home, tmp = work / "checkout", work / "home", work / "tmp"
        home.mkdir()
        tmp.mkdir()
        fresh_copy(copy)
        session = Session(copy, session_env(home, tmp))
        for c in commands:
            t0 = time.monotonic()
            status, output = session.run(c.text, timeout)
            took = time.monotonic() - t0
            if verbose:
                print(f"  {c.doc}:{c.line} ({took:.1f} s) $ {c.text}", flush=True)
                if verbose > 1 and output.strip():
                    print(_tail(output), flush=True)
            if status != 0:
                why = "timed out" if status is None else f"exited with status {status}"
                raise Failure(
                    f"{c.doc}:{c.line}: this command {why}:\n"
                    + "\n".join("    $ " + line for line in c.text.splitlines())
                    + f"\n  its output:\n{_tail(output)}"
                )
        session.close()
        dirty = _git("status", "--porcelain", "--untracked-files=all", cwd=copy).rstrip()
        if dirty:
            raise Failure(
                f"{doc.relative_to(ROOT)}: its commands left files in the checkout (work in a "
                f'temporary folder, e.g. cd "$(mktemp -d)" first):\n{_tail(dirty)}'
            )
        return time.monotonic() - started
    finally:
        if session is not None:
            session.close()
        if keep:
            print(f"  kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def ensure_venv() -> None:
    """The Quick start's result: .venv made and up to date (scripts/_setup.sh), in the real
    checkout, so that no document's copy ever installs the project from itself."""
    subprocess.run(["bash", "-c", "source scripts/_setup.sh"], cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", nargs="*", type=Path, help="documents (default: all)")
    parser.add_argument("--list", action="store_true", help="print the commands, run nothing")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="print each command (-vv: and its output)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per command")
    args = parser.parse_args(argv)

    docs = [d.resolve() for d in args.docs] if args.docs else documents()
    for d in docs:
        if not d.is_file() or not d.is_relative_to(ROOT):
            parser.error(f"{d}: not a document of this checkout")
    plan = []
    for d in docs:
        name = str(d.relative_to(ROOT))
        commands = extract(d.read_text(encoding="utf-8"), name)
        if commands:
            plan.append((d, commands))
    if args.list:
        for _, commands in plan:
            for c in commands:
                print(f"{c.doc}:{c.line}: $ {c.text}")
        return 0

    ensure_venv()
    failed = 0
    for d, commands in plan:
        name = str(d.relative_to(ROOT))
        try:
            took = check_document(
                d, commands, timeout=args.timeout, verbose=args.verbose, keep=args.keep
            )
        except Failure as exc:
            failed += 1
            print(f"FAIL {name}\n{exc}", flush=True)
        else:
            print(f"ok   {name}: {len(commands)} commands, {took:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
