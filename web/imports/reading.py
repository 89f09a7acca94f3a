"""Reading what CRMs really export: the encoding, the delimiter, the header row, the report footer Salesforce
appends after the data, and a place in the file to go on reading from a chunk at a time."""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from typing import NamedTuple

import charset_normalizer
from flask_babel import lazy_gettext as _l

from .models import ImportJob

MAX_ROWS = 100_000


class UnreadableFile(ValueError):
    """A file that cannot be imported at all, with the reader's reason."""


# Code pages spreadsheets and CRMs save in, the commonest first (a tie goes to the earlier one): the Windows
# page of each script, then East Asian and Unix ones. DOS and Mac pages are left out: on a short file
# charset-normalizer often ranks them first (Spanish "Compañía" read as Baltic DOS cp775), and exports are
# not written in them.
LEGACY_ENCODINGS = (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "cp1258", "cp1255", "cp1256", "cp874",
    "cp932", "shift_jis", "euc_jp", "gb18030", "gb2312", "big5", "cp950", "cp949", "euc_kr",
    "koi8_r", "koi8_u", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "iso8859_15", "latin_1",
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-16 or UTF-8 by their marks, else UTF-8, else what charset-normalizer finds."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_l("This is not a text file. Save the spreadsheet as CSV and upload that."))
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _legacy(data)


def _legacy(data: bytes) -> tuple[str, str]:
    """A file in a one-country code page, as charset-normalizer ranks them, judged again where it is unsure."""
    ranked = []
    for match in charset_normalizer.from_bytes(data):
        # A match lists every code page that reads the bytes as the same text; name it by the commonest.
        names = [name for name in match.could_be_from_charset if name in LEGACY_ENCODINGS]
        if not names:
            continue
        name = min(names, key=LEGACY_ENCODINGS.index)
        # On a few short lines its scores tie or mislead (Polish read as Windows-1252 scores a little better), so
        # symbols inside words count first, then its scores, then how common the code page is.
        sample = data[:65536].decode(name, errors="ignore")  # not str(match): that keeps a copy of the whole file
        ranked.append((_stray_symbols(sample), round(match.chaos, 2), -round(match.coherence, 2),
                       LEGACY_ENCODINGS.index(name), name))
    for *_scores, name in sorted(ranked):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:  # it judged a sample; the rest of the file may not fit
            continue
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _stray_symbols(text: str) -> int:
    """How often a symbol touches a letter (Spó³ka, £ódzka): what a wrong code page makes of letters."""
    count = 0
    for found in _NON_ASCII.finditer(text):
        kind = unicodedata.category(found.group())
        if kind[0] in "SC" or kind == "No":
            at = found.start()
            if (at > 0 and text[at - 1].isalpha()) or (at + 1 < len(text) and text[at + 1].isalpha()):
                count += 1
    return count


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same, largest number of columns."""
    sample = text[:65536]
    best, best_score = ",", 0.0
    for delimiter in (",", ";", "\t", "|"):
        try:
            rows = [r for r in islice(csv.reader(io.StringIO(sample), delimiter=delimiter), 30) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        if len(rows) > 1:
            rows = rows[:-1]  # the sample may cut the last record in half
        widths = Counter(len(r) for r in rows)
        if not widths:
            continue
        width, agreeing = widths.most_common(1)[0]
        if width < 2:
            continue
        score = width * agreeing / len(rows)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class Position(NamedTuple):
    """A place in the decoded file where a record begins: its character offset and its line."""

    offset: int = 0
    line: int = 1


_LINE_END = re.compile(r"\r\n|\r|\n")


def records(text: str, delimiter: str, at: Position = Position()) -> Iterator[tuple[int, list[str], Position]]:
    """Each record from `at` on: the line it starts on, its cells, and where the record after it begins."""
    offset = at.offset

    def lines() -> Iterator[str]:
        # Lines cut where io.StringIO(text, newline="") would cut them, ends kept, without copying the whole
        # text for every chunk. csv asks for a line only when a record needs it, so after each record
        # `offset` is where the next one begins.
        nonlocal offset
        while offset < len(text):
            end = _LINE_END.search(text, offset)
            stop = end.end() if end else len(text)
            line, offset = text[offset:stop], stop
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    start = at.line
    for record in reader:
        after = Position(offset, at.line + reader.line_num)
        yield start, record, after
        start = after.line


def read_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Every record with the line it starts on (quoted values may span lines)."""
    rows = []
    after = Position()
    try:
        for line, record, after in records(text, delimiter):
            rows.append((line, record))
            if len(rows) > MAX_ROWS + 50:
                raise UnreadableFile(_l("The file has more than %(num)d rows. Split it into smaller files.", num=MAX_ROWS))
    except csv.Error as exc:
        raise UnreadableFile(_l("The file could not be read as CSV near line %(line)d: %(error)s",
                              line=after.line, error=str(exc))) from exc
    return rows


def _filled(record: list[str]) -> int:
    return sum(1 for c in record if c.strip())


def find_header(rows: list[tuple[int, list[str]]]) -> int:
    """The index of the header: the first of the opening rows that is as wide as the data and not numbers."""
    widths = [_filled(r) for _, r in rows[:40]]
    if not widths:
        return 0
    typical = max(widths)
    for index, (_line, record) in enumerate(rows[:10]):
        cells = [c for c in record if c.strip()]
        if len(cells) >= 2 and len(cells) >= typical * 0.5 and sum(_is_number(c) for c in cells) <= len(cells) // 3:
            return index
    return 0


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[\s\d.,:/+\-]+", text))


FOOTER_MARKS = ("copyright", "confidential information", "generated by", "salesforce.com", "all rights reserved")


def data_end(rows: list[tuple[int, list[str]]], header: int) -> int:
    """Where the data stops: before a report footer (a blank line, then lines of one cell each)."""
    end = len(rows)
    for index in range(len(rows) - 1, header, -1):
        record = rows[index][1]
        if _filled(record) == 0:
            tail = rows[index + 1:]
            if tail and all(_filled(r) <= 1 for _, r in tail) and any(
                    any(mark in " ".join(r).lower() for mark in FOOTER_MARKS) for _, r in tail):
                end = index
            break
        if _filled(record) > 1:
            break
    return end


def table_rows(rows: list[tuple[int, list[str]]], header: int) -> list[tuple[int, list[str]]]:
    """(line, cells) of the data rows of a whole file: after the header, before any footer, blank lines left out."""
    # How many there are becomes the job's total: all a later reading needs to stop before the footer.
    return [(line, record) for line, record in rows[header + 1:data_end(rows, header)] if _filled(record)]


def data_start(text: str, delimiter: str, header: int) -> Position:
    """Where the first data row begins: just after the header (one of the first records)."""
    after = Position()
    for _line, _record, after in islice(records(text, delimiter), header + 1):
        pass
    return after


def rows_from(job: ImportJob, at: Position, count: int) -> tuple[list[tuple[int, list[str]]], Position]:
    """The next `count` data rows from `at` (blank lines left out) and where the row after them begins."""
    taken: list[tuple[int, list[str]]] = []
    if count <= 0:
        return taken, at
    for line, record, after in records(job.raw, job.delimiter, at):
        at = after
        if _filled(record):
            taken.append((line, record))
            if len(taken) == count:
                break
    return taken, at


def next_position(job: ImportJob) -> Position:
    """Where the job's next unread data row begins: as stored, else found by reading past the rows done."""
    if job.read_offset is not None and job.read_line is not None:
        return Position(job.read_offset, job.read_line)
    # A job uploaded before positions were kept: one read from the top, then its claims store the place.
    return rows_from(job, data_start(job.raw, job.delimiter, job.header_line), job.processed)[1]


def data_rows(job: ImportJob) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of the data rows from the top, lazily: `job.total` of them, so never into a footer."""
    left = job.total
    if left <= 0:
        return
    for line, record, _after in records(job.raw, job.delimiter, data_start(job.raw, job.delimiter, job.header_line)):
        if _filled(record):
            yield line, record
            left -= 1
            if left == 0:
                return
