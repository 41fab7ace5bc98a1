#!/usr/bin/env python3
"""A throwaway PostgreSQL server on a loopback port: for the hub's tests, its benchmark and
the README's two-kiosk walk-through.

    python scripts/pg_local.py start DIR [--port PORT]   # prints the hub URL and PGPASSFILE
    python scripts/pg_local.py stop DIR
    python scripts/pg_local.py remove DIR                # stop it and delete its files

The server runs from PostgreSQL's own binaries (`pg_config --bindir`, else the newest
/usr/lib/postgresql/*/bin; Debian package `postgresql`, which ./scripts/test installs when
missing). `initdb` refuses to run as root, so as root the server runs as the `postgres`
system user through `runuser`. Local socket connections are trusted; TCP connections need
the password, which is written to DIR/pgpass (mode 0600) for libpq to find through
PGPASSFILE — the way a booth's laptops would hold it, never in a URL or a show file.
"""

from __future__ import annotations

import argparse
import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

USER = "postgres"
_FAKED = ("LD_PRELOAD", "FAKETIME", "FAKETIME_DONT_FAKE_MONOTONIC")


def bindir() -> Path:
    """The folder of initdb and pg_ctl, or SystemExit naming the package to install."""
    try:
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if (Path(out) / "initdb").exists():
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if found:
        return Path(found[-1]).parent
    raise SystemExit(
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed: install the Debian"
        " package 'postgresql' (./scripts/test does so when run as root)"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalPostgres:
    """One server: its folder, port and password. `start()` initialises on first use."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = Path(folder)
        # The server's own files: in FOLDER, or — when the postgres user cannot reach FOLDER
        # (a root-only temporary folder) — in a folder of its own under /var/tmp, named in
        # FOLDER/serverdir so that `stop` finds it.
        pointer = self.folder / "serverdir"
        self.server_dir = Path(pointer.read_text().strip()) if pointer.exists() else self.folder
        self.data = self.server_dir / "data"
        port_file = self.folder / "port"
        if port is None and port_file.exists():
            port = int(port_file.read_text())
        self.port = port or free_port()
        self.pgpass = self.folder / "pgpass"
        self._bin = bindir()

    @property
    def as_root(self) -> bool:
        return os.geteuid() == 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(self._bin / args[0]), *args[1:]]
        env = None
        if self.as_root:
            cmd = ["runuser", "-u", USER, "--", *cmd]
            # Under libfaketime (the suite's year-ahead run) a root process hands its children
            # the name of a semaphore only root may open (FAKETIME_SHARED); the postgres user's
            # psql then failed now and then ("sem_open failed: Permission denied"). Without
            # it, the preloaded library shifts the clock the same way in a state of its own.
            env = {k: v for k, v in os.environ.items() if k != "FAKETIME_SHARED"}
        return subprocess.run(
            cmd, capture_output=True, text=True, check=check, stdin=subprocess.DEVNULL, env=env
        )

    def url(self, dbname: str = "postgres") -> str:
        """The hub URL, without the password (libpq reads it from PGPASSFILE)."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{dbname}"

    def env(self) -> dict[str, str]:
        return {"PGPASSFILE": str(self.pgpass)}

    def _reachable_by_server(self, folder: Path) -> bool:
        if not self.as_root:
            return True
        probe = ["runuser", "-u", USER, "--", "test", "-x", str(folder.parent)]
        return subprocess.run(probe, stdin=subprocess.DEVNULL).returncode == 0

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self._reachable_by_server(self.folder):
            self.server_dir = Path(tempfile.mkdtemp(prefix="kiosk-pg-", dir="/var/tmp"))
            (self.folder / "serverdir").write_text(str(self.server_dir))
            self.data = self.server_dir / "data"
        password = secrets.token_hex(16)
        pwfile = self.server_dir / "pw"
        pwfile.write_text(password + "\n")
        if self.as_root:
            shutil.chown(self.server_dir, USER, USER)
            shutil.chown(pwfile, USER, USER)
        os.chmod(self.server_dir, 0o700)
        os.chmod(pwfile, 0o600)
        self._run(
            "initdb", "-D", str(self.data), "-U", USER, "--auth-local=trust",
            "--auth-host=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8", "--no-locale",
        )  # fmt: skip
        pwfile.unlink()
        self.pgpass.write_text(f"127.0.0.1:{self.port}:*:{USER}:{password}\n")
        os.chmod(self.pgpass, 0o600)  # libpq ignores a password file others can read
        (self.folder / "port").write_text(str(self.port))

    def start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            self.init()
        opts = (
            f"-p {self.port} -c listen_addresses=127.0.0.1"
            f" -c unix_socket_directories={self.server_dir}"
            " -c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        result = self._run(
            "pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.server_dir / "log"), "-w",
            "-t", "60", "start", check=False,
        )  # fmt: skip
        if result.returncode != 0:
            log = (self.server_dir / "log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"PostgreSQL did not start: {result.stderr}\n{log}")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; mode 'immediate' is a crash (no shutdown checkpoint)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def remove(self) -> None:
        """Stop the server and delete its files (FOLDER too)."""
        self.stop("immediate")
        shutil.rmtree(self.server_dir, ignore_errors=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        return self._run(
            "psql", "-h", str(self.server_dir), "-p", str(self.port), "-U", USER, "-d", dbname,
            "-v", "ON_ERROR_STOP=1", "-Atc", sql,
        ).stdout  # fmt: skip

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("action", choices=("start", "stop", "remove"))
    ap.add_argument("folder", type=Path)
    ap.add_argument("--port", type=int)
    args = ap.parse_args()
    server = LocalPostgres(args.folder.resolve(), args.port)
    if args.action == "stop":
        server.stop()
        return
    if args.action == "remove":
        server.remove()
        return
    server.start()
    print(f"export KIOSK_HUB={server.url()}")
    print(f"export PGPASSFILE={server.pgpass}")


if __name__ == "__main__":
    sys.exit(main())
