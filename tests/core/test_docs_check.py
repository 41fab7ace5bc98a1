"""scripts/check_docs.py: which lines of a document are commands, and how they are run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load():
    spec = importlib.util.spec_from_file_location("check_docs", ROOT / "scripts" / "check_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_docs"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


check_docs = _load()

DOC = """\
# Title

$ echo not in a code block: prose

```
$ cd "$(mktemp -d)"
$ kiosk --db a.db lead add --name "Bruno Costa" \\
      --country BR
Lead saved (L-…). Owner: Sofía Ramírez.
$ echo done   # a comment
done
```

```toml
key = "$ not a prompt: no space-dollar at the start"
```

1. In a list:

   ```
   $ echo indented
   indented
   ```

~~~sh
./scripts/demo     # no prompt: not run
~~~
"""


def test_extract_finds_prompted_commands_in_fenced_blocks_only():
    found = check_docs.extract(DOC, "x.md")
    assert [(c.line, c.text) for c in found] == [
        (6, 'cd "$(mktemp -d)"'),
        (7, 'kiosk --db a.db lead add --name "Bruno Costa" \\\n      --country BR'),
        (10, "echo done   # a comment"),
        (21, "echo indented"),
    ]
    assert {c.doc for c in found} == {"x.md"}


def test_the_documents_are_the_readme_and_docs():
    names = [str(p.relative_to(ROOT)) for p in check_docs.documents()]
    assert names[0] == "README.md" and "docs/sync.md" in names
    assert all(n == "README.md" or n.startswith("docs/") for n in names)


def test_prompted_commands_in_the_documents_have_no_placeholders():
    """An id or a path written as '…' cannot run as written: such an example takes no prompt."""
    for doc in check_docs.documents():
        for c in check_docs.extract(doc.read_text(encoding="utf-8"), doc.name):
            assert "…" not in c.text and "<" not in c.text.replace("<<", ""), (doc, c)


@pytest.fixture
def session(tmp_path):
    s = check_docs.Session(tmp_path, check_docs.session_env(tmp_path, tmp_path))
    yield s
    s.close()


def test_one_session_per_document_keeps_directory_and_variables(session, tmp_path):
    (tmp_path / "sub").mkdir()
    assert session.run("cd sub && name=kiosk", 10) == (0, "")
    status, out = session.run('echo "$name in $(basename "$PWD")"', 10)
    assert (status, out.strip()) == (0, "kiosk in sub")
    status, out = session.run("ls /nonexistent-folder", 10)
    assert status == 2 and "nonexistent-folder" in out  # stderr is part of the output
    status, out = session.run("false | cat", 10)
    assert status == 1  # pipefail: a failing command in a pipe fails the command
    status, out = session.run("cat", 10)
    assert status == 0  # stdin is /dev/null: a command that reads it cannot hang


def test_a_command_that_runs_too_long_is_stopped(session):
    status, out = session.run("sleep 30", 0.5)
    assert status is None and "timed out after 0.5 s" in out


def test_a_reader_shell_has_no_venv_and_writes_in_the_temporary_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_NOW", "2026-11-24T10:00:00+01:00")
    monkeypatch.setenv("PATH", f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin")
    env = check_docs.session_env(tmp_path / "home", tmp_path / "tmp")
    assert "KIOSK_NOW" not in env and str(ROOT / ".venv") not in env["PATH"]
    assert env["KIOSK_DB"].startswith(str(tmp_path)) and env["HOME"] == str(tmp_path / "home")
    assert env["TMPDIR"] == str(tmp_path / "tmp")


@pytest.mark.slow
def test_a_document_that_leaves_files_in_the_checkout_fails():
    readme = ROOT / "README.md"
    commands = [check_docs.Command("README.md", 1, "touch left-behind.txt")]
    with pytest.raises(check_docs.Failure, match="left-behind.txt"):
        check_docs.check_document(readme, commands, timeout=30, verbose=0, keep=False)
    commands = [check_docs.Command("README.md", 1, 'cd "$(mktemp -d)" && touch fine.txt')]
    assert check_docs.check_document(readme, commands, timeout=30, verbose=0, keep=False) > 0


@pytest.mark.slow
def test_a_failing_command_is_named_with_its_output():
    readme = ROOT / "README.md"
    commands = [
        check_docs.Command("README.md", 3, "true"),
        check_docs.Command("README.md", 7, "echo about to fail; exit_status_42() { return 42; }"),
        check_docs.Command("README.md", 9, "exit_status_42"),
    ]
    with pytest.raises(check_docs.Failure) as failure:
        check_docs.check_document(readme, commands, timeout=30, verbose=0, keep=False)
    text = str(failure.value)
    assert text.startswith("README.md:9: this command exited with status 42:")
    assert "$ exit_status_42" in text
