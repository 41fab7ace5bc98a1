"""Reading CSV files as people's tools actually write them.

CRM exports reach the kiosk through Excel more often than not, so a file may be UTF-8 with
or without a BOM, UTF-16 ("Unicode text"), GB18030/GBK from a Chinese Windows, or cp1252
from a European one; separated by commas, semicolons (Excel in most of Europe) or tabs;
with line breaks inside quoted notes. Every record keeps the *physical* line number it
starts on, because "line 4817: unknown country 'Atlantis'" is only useful if line 4817 is
where the person's editor shows it.

Nothing here loads the whole file: the encoding check streams it once in 1 MiB blocks,
and rows are yielded one at a time.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kiosk.sync import CsvFileError

BLOCK = 1 << 20
DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r"^sep=(.)\s*$", re.IGNORECASE)
# Magic numbers of files people save as .csv by mistake, and what to tell them.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip file; save it as CSV first"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls); save it as CSV first"),
    (b"SQLite format 3\x00", "a SQLite database; use 'kiosk merge' for kiosk databases"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
)

csv.field_size_limit(16 * 1024 * 1024)  # long notes are real; a 16 MB cell is not a CSV


def _latin1_fallback(err: UnicodeError) -> tuple[str, int]:
    """cp1252 leaves five bytes undefined; read them as Latin-1 rather than fail."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("latin-1"), err.end


codecs.register_error("kiosk-latin1", _latin1_fallback)


@dataclass(frozen=True)
class CsvInfo:
    """What sniffing found out about a file."""

    path: Path
    encoding: str
    delimiter: str
    header: tuple[str, ...]
    header_line: int  # physical line of the header (2 after an Excel 'sep=;' line)
    size: int


def describe_encoding(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "utf-16": "UTF-16",
            "gb18030": "GB18030", "cp1252": "Windows-1252"}.get(encoding, encoding)  # fmt: skip


def _refuse_binary(name: str, head: bytes) -> None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise CsvFileError(f"{name} is not a CSV file: it looks like {what}")
    if b"\x00" in head:
        raise CsvFileError(f"{name} is not a CSV file: it contains binary data")
    controls = sum(1 for b in head[:4096] if b < 9 or 13 < b < 32)
    if controls > 8:
        raise CsvFileError(f"{name} is not a CSV file: it contains binary data")
    start = head.lstrip(codecs.BOM_UTF8).lstrip()[:15].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        raise CsvFileError(
            f"{name} is not a CSV file: it is HTML/XML (some CRMs save reports that way);"
            " export it as CSV"
        )


def _is_utf8(fh: BinaryIO) -> bool:
    """Whether the file is UTF-8, checked block by block over the whole file.

    A few broken bytes in a file full of valid UTF-8 (two exports pasted together) still
    make it UTF-8: the rows holding them are rejected one by one rather than the whole
    file read as cp1252 mojibake. Text in a legacy code page almost never forms valid
    multi-byte sequences, so it fails this test.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    fh.seek(0)
    valid = bad = 0
    while block := fh.read(BLOCK):
        text = decoder.decode(block)
        if not text.isascii():
            n_bad = text.count("\ufffd")
            bad += n_bad
            valid += len(text) - len(text.encode("ascii", "ignore")) - n_bad
            if bad > 100 and valid < 20 * bad:
                return False  # a legacy code page: no need to read on
    tail = decoder.decode(b"", final=True)
    bad += tail.count("\ufffd")
    return bad == 0 or valid >= 20 * bad


def _looks_chinese(head: bytes) -> bool:
    """GB18030 decodes much Latin-1 text too; accept it only if it reads as common Chinese.

    Latin-1 accents next to ASCII land in GBK's rare-character rows, while real Chinese
    text is almost all GB2312 (the 6,763 common characters and CJK punctuation).
    """
    text = codecs.getincrementaldecoder("gb18030")("replace").decode(head, final=False)
    counts = Counter(ch for ch in text if ord(ch) > 0x7F)
    bad = counts.pop("\ufffd", 0)
    total = sum(counts.values())
    if not total or bad * 100 > total:  # a stray broken byte is tolerated, not more
        return False
    common = 0
    for ch, n in counts.items():
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += n
    return common / total >= 0.8


def sniff_encoding(path: Path, fh: BinaryIO) -> str:
    """UTF-8 (BOM or strict), UTF-16 by BOM, GB18030 if it reads as Chinese, else cp1252."""
    fh.seek(0)
    head = fh.read(BLOCK)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise CsvFileError(f"{path.name} is empty")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    _refuse_binary(path.name, head)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if _is_utf8(fh):
        return "utf-8"
    if _looks_chinese(head):
        return "gb18030"
    return "cp1252"


def count_outside_quotes(line: str, quote: str = '"') -> Counter[str]:
    inside = False
    counts: Counter[str] = Counter()
    for ch in line:
        if ch == quote:
            inside = not inside
        elif not inside and ch in DELIMITERS:
            counts[ch] += 1
    return counts


def sniff_delimiter(header_line: str) -> str:
    """The candidate the header uses most (headers rarely hold quotes or separators)."""
    counts = count_outside_quotes(header_line)
    if not counts:
        return ","
    best = max(counts.values())
    return next(d for d in DELIMITERS if counts[d] == best)


def _clean_header(cells: list[str]) -> tuple[str, ...]:
    return tuple(" ".join(c.replace("\ufeff", "").split()) for c in cells)


class CsvFile:
    """An open CSV: `info` once sniffed, then `rows()` yields (line, cells) after the header.

    Use as a context manager. `position()` is the byte offset read so far, for progress bars.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self._raw: BinaryIO = open(self.path, "rb")  # noqa: SIM115 - closed in close()
        except IsADirectoryError:
            raise CsvFileError(f"{self.path} is a folder, not a CSV file") from None
        except FileNotFoundError:
            raise CsvFileError(f"file not found: {self.path}") from None
        try:
            self.info = self._open()
        except BaseException:
            self._raw.close()
            raise

    def _open(self) -> CsvInfo:
        size = os.fstat(self._raw.fileno()).st_size
        encoding = sniff_encoding(self.path, self._raw)
        self._raw.seek(0)
        # Broken bytes become U+FFFD and the importer rejects those rows (line and reason);
        # cp1252's five undefined bytes are read as Latin-1 instead.
        errors = "kiosk-latin1" if encoding == "cp1252" else "replace"
        self._text = io.TextIOWrapper(self._raw, encoding=encoding, errors=errors, newline="")
        self._line = 0  # physical lines consumed so far
        first = self._readline()
        match = _SEP_LINE.match(first)
        if match:  # Excel's "sep=;" hint line
            delimiter = match.group(1)
            first = self._readline()
        else:
            delimiter = sniff_delimiter(first)
        header_line = self._line
        while not first.strip() and first:  # blank lines before the header
            first = self._readline()
            header_line = self._line
        # From the header on, csv.reader reads the text stream directly (C speed); its
        # line_num counts physical lines, quoted line breaks included.
        self._offset = header_line - 1
        self._reader = csv.reader(
            itertools.chain([first], self._text),
            delimiter=delimiter, quotechar='"', doublequote=True, strict=False,
        )  # fmt: skip
        try:
            header = _clean_header(next(self._reader))
        except StopIteration:
            raise CsvFileError(f"{self.path.name} has no header row") from None
        except UnicodeDecodeError:
            raise self._decode_error() from None
        except csv.Error as exc:
            raise CsvFileError(f"{self.path.name} is not a readable CSV file: {exc}") from None
        if not any(header):
            raise CsvFileError(f"{self.path.name} has an empty header row")
        return CsvInfo(self.path, encoding, delimiter, header, header_line, size)

    def _readline(self) -> str:
        """One physical line before the header (the reader takes over after it)."""
        try:
            line = self._text.readline()
        except UnicodeDecodeError:
            raise self._decode_error() from None
        if line:
            self._line += 1
        return line

    def _decode_error(self) -> CsvFileError:
        reader = getattr(self, "_reader", None)
        line = self._offset + reader.line_num + 1 if reader is not None else self._line + 1
        enc = describe_encoding(self._text.encoding)
        return CsvFileError(
            f"{self.path.name}: near line {line}: not valid {enc} text;"
            " save the file as 'CSV UTF-8' and try again"
        )

    def position(self) -> int:
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return 0

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line the record starts on, cells); blank records (',,,' too) are skipped."""
        reader, offset = self._reader, self._offset
        start = offset + reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise self._decode_error() from None
            except csv.Error as exc:
                raise CsvFileError(f"{self.path.name}: line {start}: {exc}") from None
            if cells and "".join(cells).strip():
                yield start, cells
            start = offset + reader.line_num + 1

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def with_progress(
    rows: Iterator[tuple[int, list[str]]],
    source: CsvFile,
    progress: Callable[[int, int], None] | None,
    every: int = 2000,
) -> Iterator[tuple[int, list[str]]]:
    """Pass rows through, reporting (bytes read, file size) every `every` rows."""
    if progress is None:
        yield from rows
        return
    total = source.info.size
    n = 0
    for item in rows:
        n += 1
        if n % every == 0:
            progress(source.position(), total)
        yield item
    progress(total, total)
