"""Reading CSV files as people's tools actually write them.

CRM exports reach the kiosk through Excel more often than not, so a file may be UTF-8 with
or without a BOM, UTF-16 ("Unicode text"), GB18030/GBK from a Chinese Windows, or cp1252
from a European one; separated by commas, semicolons (Excel in most of Europe) or tabs;
with line breaks inside quoted notes. Every record keeps the *physical* line number it
starts on, because "line 4817: unknown country 'Atlantis'" is only useful if line 4817 is
where the person's editor shows it.

A file is never decoded in an encoding some of its lines are not in (`JosÃ© MÃ¼ller`).
Two exports pasted together mix encodings line by line, so the choice is made per line:

- a BOM says UTF-8 or UTF-16;
- a file that is valid UTF-8 throughout is UTF-8 (one fast pass, the usual case);
- otherwise each line with non-ASCII bytes is looked at: when most of them are valid
  UTF-8 the file is UTF-8, else its single legacy encoding is detected (charset-normalizer,
  over the lines that are not UTF-8);
- every line that does not fit the chosen encoding — not valid in it, UTF-8 text in a
  legacy file, Chinese GB18030 text in a Western one — is flagged with its line number,
  and the importer rejects the record holding it (`CsvFile.problem`), naming the reason,
  with the line decoded in its own encoding in the rejects file. So is a line with a NUL
  byte, wherever it is in the file.

Nothing here loads the whole file: the encoding checks stream it in 1 MiB blocks, and
rows are yielded one at a time.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from charset_normalizer import from_bytes

from kiosk.sync import CsvFileError
from kiosk.sync.runaway import Runaway, first_line_cells, odd_quotes, suspect

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
# Legacy encodings CRM exports come in, in the order a tie between them is settled: a
# Western text reads the same in several code pages, and cp1252 is the one Excel writes.
CANDIDATES = (
    "cp1252", "gb18030", "big5", "cp932", "cp949", "cp1251", "cp1250", "cp1253", "cp1254",
    "cp1255", "cp1256", "cp1257", "cp1258", "cp874", "koi8_r",
)  # fmt: skip
_CJK = ("gb18030", "big5", "cp932", "cp949")
# What charset-normalizer may call them: supersets, and Latin-1 read as cp1252 (its
# 0x80–0x9F are C1 controls no CRM means; cp1252 has quotes and the euro sign there).
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "shift_jis": "cp932",
    "euc_jp": "cp932", "euc_kr": "cp949", "johab": "cp949", "big5hkscs": "big5",
    "latin_1": "cp1252", "iso8859_1": "cp1252", "iso8859_15": "cp1252", "ascii": "cp1252",
}  # fmt: skip
_SAMPLE_LINES = 4000  # lines that are not UTF-8, for the detector
_SAMPLE_BYTES = 256 * 1024
_MIXED = "the file mixes encodings; save it as 'CSV UTF-8' and import it again"

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
    # Lines with bytes in another encoding than `encoding` (their records are rejected).
    mixed: bool = False


@dataclass(frozen=True)
class Encoding:
    """The encoding chosen for a file, and whether its lines must be checked one by one."""

    name: str
    per_line: bool = False  # some lines may not fit (mixed encodings, NUL bytes)
    mixed: bool = False  # non-ASCII lines in more than one encoding were seen


def describe_encoding(encoding: str) -> str:
    known = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "utf-16": "UTF-16",
             "gb18030": "GB18030", "big5": "Big5", "cp932": "Shift-JIS (cp932)",
             "cp949": "Korean (cp949)", "koi8_r": "KOI8-R"}  # fmt: skip
    if encoding in known:
        return known[encoding]
    if encoding.startswith("cp") and encoding[2:].isdigit():
        return f"Windows-{encoding[2:]}"
    return encoding


def _refuse_binary(name: str, head: bytes) -> None:
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise CsvFileError(f"{name} is not a CSV file: it looks like {what}")
    # A stray NUL rejects its row (see the module doc); many of them are not text at all.
    if head.count(b"\x00") > max(8, len(head) // 1000):
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


def physical_lines(fh: BinaryIO) -> Iterator[bytes]:
    """The file's lines as bytes with their endings, split at LF, CR LF and a lone CR —
    as a text file opened with newline='' splits them, so line numbers agree with csv's."""
    carry = b""
    while block := fh.read(BLOCK):
        lines = (carry + block).splitlines(keepends=True)
        carry = lines.pop()
        if carry.endswith(b"\n"):  # complete (a lone CR may yet be followed by its LF)
            lines.append(carry)
            carry = b""
        yield from lines
    if carry:
        yield carry


def _utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _strict(line: bytes, encoding: str) -> bool:
    try:
        line.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _chinese_share(text: str) -> float:
    """The share of non-ASCII characters that are common Chinese (GB2312) ones."""
    counts = Counter(ch for ch in text if ord(ch) > 0x7F)
    total = sum(counts.values())
    if not total:
        return 0.0
    common = 0
    for ch, n in counts.items():
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += n
    return common / total


def _reads_as_chinese(line: bytes) -> bool:
    """A line of GB18030 Chinese: decodes strictly, into mostly common Chinese characters.

    Latin-1 accents next to ASCII letters are valid GB18030 pairs too, but they land in
    GBK's rare-character rows (or fail at a line end), while real Chinese text is almost
    all GB2312 (the 6,763 common characters and CJK punctuation).
    """
    try:
        text = line.decode("gb18030")
    except UnicodeDecodeError:
        return False
    non_ascii = sum(1 for ch in text if ord(ch) > 0x7F)
    return non_ascii >= 2 and _chinese_share(text) >= 0.8


def _all_utf8(fh: BinaryIO) -> tuple[bool, bool]:
    """(valid UTF-8 throughout, has a NUL byte): one pass at C speed, block by block."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    fh.seek(0)
    nul = False
    try:
        while block := fh.read(BLOCK):
            nul = nul or b"\x00" in block
            if not block.isascii():
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False, nul
    return True, nul


def _detect(lines: list[bytes]) -> str:
    """The single legacy encoding of these lines (none of them UTF-8).

    Chinese first: when most lines read as common Chinese in GB18030 (`_reads_as_chinese`)
    the file is GB18030. The general detector (charset-normalizer) is not asked then,
    because it judges CRM data badly there: names are full of characters it counts as rare
    (娜, 婷, 鑫 …), so it reads Chinese names as Korean. (The price: a Korean EUC-KR export,
    whose bytes are common Chinese too, reads as GB18030; Korean CRMs export UTF-8.)

    Otherwise charset-normalizer decides among `CANDIDATES`. It needs its whole sample to
    decode, so a few broken lines would hide a CJK encoding from it: when most lines decode
    in one, it is shown those lines only. A tie (a Western text reads the same in several
    code pages; names are too short for its language model to tell Czech from French) goes
    to the first of `CANDIDATES`; no answer at all (a line or two) to cp1252.
    """
    chinese = [line for line in lines if _reads_as_chinese(line)]
    if len(chinese) * 2 > len(lines):
        return "gb18030"

    # a few Chinese lines in another file are rejected anyway: they must not sway the rest
    sample = [line for line in lines if line not in chinese] if chinese else lines
    lines = sample
    for enc in _CJK:
        fit = [line for line in lines if _strict(line, enc)]
        if len(fit) < len(lines) and len(fit) * 10 >= len(lines) * 9:
            sample = fit
            break
    matches = list(from_bytes(b"".join(sample), cp_isolation=list(CANDIDATES)))
    if not matches:
        return "cp1252"
    chaos = min(m.chaos for m in matches)
    calm = [m for m in matches if m.chaos <= chaos + 0.02]
    coherence = max(m.coherence for m in calm)
    tied = [m for m in calm if m.coherence >= coherence - 0.1]
    names = {_ALIASES.get(n, n) for m in tied for n in (m.encoding, *m.could_be_from_charset)}
    best = _ALIASES.get(tied[0].encoding, tied[0].encoding)
    return next((c for c in CANDIDATES if c in names), best)


def choose_encoding(path: Path, fh: BinaryIO) -> Encoding:
    """How to read the file: see the module doc. Raises CsvFileError for an empty or
    binary file."""
    fh.seek(0)
    head = fh.read(BLOCK)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise CsvFileError(f"{path.name} is empty")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Encoding("utf-16")
    _refuse_binary(path.name, head)
    valid, nul = _all_utf8(fh)
    if head.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8-sig", per_line=nul or not valid, mixed=not valid)
    if valid:
        return Encoding("utf-8", per_line=nul)
    # Some line is not UTF-8: count the non-ASCII lines that are, and sample the others.
    fh.seek(0)
    utf8 = other = 0
    sample: list[bytes] = []
    size = 0
    for line in physical_lines(fh):
        if line.isascii():
            continue
        if _utf8(line):
            utf8 += 1
        else:
            other += 1
            if len(sample) < _SAMPLE_LINES and size < _SAMPLE_BYTES:
                sample.append(line)
                size += len(line)
    if utf8 > other:  # most non-ASCII lines are UTF-8: the others are rejected
        return Encoding("utf-8", per_line=True, mixed=True)
    return Encoding(_detect(sample), per_line=True, mixed=utf8 > 0)


def sniff_encoding(path: Path, fh: BinaryIO) -> str:
    """The codec `choose_encoding` picks for the file."""
    return choose_encoding(path, fh).name


class _LineDecoder:
    """The file as text, decoded line by line, noting each line that does not fit.

    Used when some lines may be in another encoding or hold a NUL byte: a line that fits
    is decoded in the file's encoding; one that does not is decoded in the encoding it
    seems to be in (so the rejects file shows it readably) and its number is noted in
    `problems` with the reason. Iterates like a text file opened with newline=''.
    """

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        self.encoding = encoding
        self.problems: dict[int, str] = {}
        self.foreign = 0  # lines found in another encoding than the file's
        self._lines = physical_lines(raw)
        self._n = 0
        self._utf8 = encoding in ("utf-8", "utf-8-sig")
        self._single_byte = encoding not in _CJK and not self._utf8
        self._what = describe_encoding(encoding)

    def __iter__(self) -> _LineDecoder:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._n += 1
        if self._n == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        if b"\x00" in line:
            self.problems[self._n] = "has a NUL byte (binary data in a text file)"
        if line.isascii():
            return line.decode("ascii")
        text, problem = self._decode(line)
        if problem:
            self.foreign += 1
            self.problems.setdefault(self._n, problem)
        return text

    def readline(self) -> str:
        return next(self, "")

    def _decode(self, line: bytes) -> tuple[str, str | None]:
        enc, what = self.encoding, self._what
        if self._utf8:
            try:
                return line.decode("utf-8"), None
            except UnicodeDecodeError:
                own = "gb18030" if _reads_as_chinese(line) else "cp1252"
                text = line.decode(own, "kiosk-latin1" if own == "cp1252" else "replace")
                return text, f"has bytes that are not valid {what} ({_MIXED})"
        if _utf8(line):
            return line.decode("utf-8"), f"is UTF-8 text in a {what} file ({_MIXED})"
        try:
            text = line.decode(enc)
        except UnicodeDecodeError:
            errors = "kiosk-latin1" if enc == "cp1252" else "replace"
            return line.decode(enc, errors), (
                f"has bytes that are not valid {what} (was the file saved in two encodings?)"
            )
        if self._single_byte and _reads_as_chinese(line):
            return line.decode("gb18030"), f"reads as Chinese (GB18030) in a {what} file ({_MIXED})"
        if enc == "gb18030" and _chinese_share(text) < 0.3:  # Latin-1 read as GBK
            return text, f"does not read as {what} text ({_MIXED})"
        return text, None


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


def _reader(lines: Iterable[str], delimiter: str) -> Any:
    """The csv reader every part of an import reads records with."""
    return csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)


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
        chosen = self._chosen = choose_encoding(self.path, self._raw)
        encoding = chosen.name
        self._raw.seek(0)
        self._text = self._stream(self._raw)
        self.runaways: list[Runaway] = []  # unclosed quotes found so far (`kiosk.sync.runaway`)
        self._problems: dict[int, str] = {}  # record start line → why it cannot be used
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
        self._reader = _reader(itertools.chain([first], self._text), delimiter)
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
        return CsvInfo(self.path, encoding, delimiter, header, header_line, size, chosen.mixed)

    def _stream(self, raw: BinaryIO) -> io.TextIOWrapper | _LineDecoder:
        """The file's text, from `raw`'s start, decoded as the chosen encoding says."""
        encoding = self._chosen.name
        if self._chosen.per_line:
            return _LineDecoder(raw, encoding)
        # Broken bytes become U+FFFD and the importer rejects those rows (line and
        # reason); cp1252's five undefined bytes are read as Latin-1 instead.
        errors = "kiosk-latin1" if encoding == "cp1252" else "replace"
        return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")

    def _lines_from(self, line: int) -> tuple[BinaryIO, io.TextIOWrapper | _LineDecoder]:
        """A second handle on the file, its text stream past physical line `line`."""
        raw: BinaryIO = open(self.path, "rb")  # noqa: SIM115 - the caller keeps or closes it
        text = self._stream(raw)
        for _ in range(line):
            if not text.readline():
                break
        return raw, text

    def _reopen(self, line: int) -> None:
        """Read on from physical line `line` + 1 with a fresh reader: the lines an
        unclosed quote swallowed (`kiosk.sync.runaway`) are read again as records. Rare,
        so the file is simply read again up to there."""
        raw, text = self._lines_from(line)
        self._raw.close()
        self._raw, self._text = raw, text
        self._offset = line
        self._reader = _reader(text, self.info.delimiter)

    def _quotes_open_from(self, line: int) -> bool:
        """Whether the file's lines from `line` to its end leave a quote open."""
        raw, text = self._lines_from(line - 1)
        try:
            return odd_quotes(list(text))
        finally:
            raw.close()

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
        """(line the record starts on, cells); blank records (',,,' too) are skipped.

        A record on a line that does not fit the file's encoding, or holds a NUL byte, is
        yielded too: `problem(line)` says why it cannot be used (an importer rejects it).
        So is the first line of a quote that is never closed, alone, and the lines the
        quote swallowed are read again as records (`kiosk.sync.runaway`, `runaways`).
        """
        while (first := (yield from self._records())) is not None:
            yield self._pending
            self._problems.pop(first, None)
            self._reopen(first)

    def _records(self) -> Generator[tuple[int, list[str]], None, int | None]:
        """`rows` with the current reader; returns the line to read on from after a
        runaway quote (`_reopen`), None at the end of the file."""
        reader, offset = self._reader, self._offset
        flagged = getattr(self._text, "problems", None)
        width = len(self.info.header)
        start = offset + reader.line_num + 1
        held: tuple[int, int, list[str]] | None = None  # a multi-line last record?
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                if held is not None:  # the last record: a quote left open swallowed it?
                    first, last, cells = held
                    if self._quotes_open_from(first):
                        return self._runaway(first, last, True, cells)
                    yield first, cells
                return None
            except UnicodeDecodeError:
                raise self._decode_error() from None
            except csv.Error as exc:
                raise CsvFileError(f"{self.path.name}: line {start}: {exc}") from None
            if held is not None:  # not the last record: what it held was closed
                yield held[0], held[2]
                self._problems.pop(held[0], None)
                held = None
            end = offset + reader.line_num
            if flagged:
                for n in [n for n in flagged if n <= end]:
                    reason = flagged.pop(n)
                    if n >= start and start not in self._problems:
                        self._problems[start] = f"line {n}: {reason}" if n != start else reason
            if end > start and suspect(cells, width):
                if len(cells) != width:
                    return self._runaway(start, end, False, cells)
                held = (start, end, cells)
            elif cells and "".join(cells).strip():
                yield start, cells
            if held is None:
                self._problems.pop(start, None)
            start = end + 1

    def _runaway(self, first: int, last: int, at_end: bool, cells: list[str]) -> int:
        """Note the runaway quote, flag its first line (yielded next, alone) and return
        where to read on from."""
        found = Runaway(first, last, at_end or self._at_end())
        self.runaways.append(found)
        self._problems[first] = found.reason
        self._pending = (first, first_line_cells(cells, self.info.delimiter))
        return first

    def _at_end(self) -> bool:
        """Whether the reader has consumed the whole file (the stream is read on from
        here no more: `_reopen` follows)."""
        return not self._text.readline()

    def lines_read(self) -> int:
        """Physical lines the reader has consumed: the last line of the record `rows`
        yielded last (a big import checks where it split the file with this)."""
        return int(self._offset + self._reader.line_num)

    @property
    def foreign_lines(self) -> int:
        """Lines read so far that are not in the file's encoding (their records rejected)."""
        return int(getattr(self._text, "foreign", 0))

    def problem(self, line: int) -> str | None:
        """Why the record starting on `line` (just yielded by `rows`) cannot be used, if so:
        a line of it is in another encoding than the file's, or holds a NUL byte."""
        return self._problems.get(line)

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
