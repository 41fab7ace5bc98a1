"""`kiosk report` away from a terminal: the whole table, however wide (CliRunner is no tty)."""

from __future__ import annotations

from kiosk.db import open_db
from kiosk.sync.report import LABELS
from tests.cli.common import run

LONG_NAME = "Maximiliane Alexandra von Hohenzollern-Sigmaringen (Max), Key Accounts DACH"


def add_long_named_salesperson(dbpath) -> None:
    db = open_db(dbpath)
    db.execute(
        "INSERT INTO salespeople(id, name, email, phone, role, languages) VALUES (?,?,?,?,?,?)",
        ["max", LONG_NAME, "max@lumen.example", "+8613800000009", "sales", "de,en"],
    )
    db.conn.commit()
    db.conn.close()


def test_report_to_a_pipe_prints_the_whole_table_untruncated(dbpath):
    add_long_named_salesperson(dbpath)
    result = run("report", db=dbpath)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "…" not in result.output, result.output
    assert max(len(line) for line in lines) > 80  # not cut to 80 columns
    assert any(LONG_NAME in line for line in lines)  # the name on one line, not wrapped
    header = "\n".join(lines[:6])
    for key in ("name", "invited_came", "own_checked_in", "leads_hot", "median_wait_min"):
        assert LABELS[key] in header, (key, header)
    assert "Marta Díaz" in result.output and "Total" in result.output
    assert "\x1b[" not in result.output  # no colour codes in a pipe
    # one line per salesperson (nothing wrapped), and the totals
    people = len(run("report", "--format", "csv", db=dbpath).output.splitlines()) - 1
    assert len([line for line in lines if line.startswith("│")]) == people + 1


def test_report_to_a_file_is_whole_too(dbpath, tmp_path):
    add_long_named_salesperson(dbpath)
    out = tmp_path / "report.txt"
    result = run("report", "-o", out, db=dbpath)
    assert result.output == f"Report written to {out}\n"
    text = out.read_text(encoding="utf-8")
    assert LONG_NAME in text and "Median wait (min)" in text and "…" not in text


def test_csv_and_markdown_stay_behind_format(dbpath):
    table = run("report", db=dbpath).output
    assert "┃ Salesperson" in table and "| Salesperson |" not in table and "id,name," not in table
    assert "| Salesperson |" in run("report", "--format", "markdown", db=dbpath).output
    assert run("report", "--format", "csv", db=dbpath).output.startswith("id,name,")


def test_report_csv_to_a_pipe_is_the_same_csv_as_a_file(dbpath, tmp_path):
    """Before, each line sent to stdout ended in a literal '\\u000d' (the CR of CRLF shown
    as an escape), which a CSV reader took for a last column's text."""
    import csv
    import io

    piped = run("report", "--format", "csv", db=dbpath)
    assert piped.exit_code == 0, piped.output
    assert "\\u000d" not in piped.output
    out = tmp_path / "r.csv"
    assert run("report", "--format", "csv", "-o", str(out), db=dbpath).exit_code == 0
    from_file = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    from_pipe = list(csv.reader(io.StringIO(piped.output, newline="")))
    assert from_pipe == from_file and from_pipe[0][0] == "id"
