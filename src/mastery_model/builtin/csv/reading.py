"""Reads the ``csv`` format back: the folder of tables, or its zip archive, into the model.

Made for tables edited by hand in a spreadsheet: every mistake only tables can have (a header
renamed or missing, a cell of the wrong kind, an id used twice, a row that belongs to no row) is
reported with its file, row and column, all of them at once. Tables that pass become the canonical
document, a node a row, which the reading pipeline checks like any document; what it finds is
reported at the row, and column, the node comes from.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import lzma
import os
import stat
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from attrs import frozen

from mastery_model import conversion, vocabulary
from mastery_model import reading as pipeline
from mastery_model.builtin.csv.tables import BY_NAME, METADATA, ORDER, TABLES, Column, Table, restored
from mastery_model.model import MAX_SESSION_DEPTH, Catalogue, Organisation, OrganisationKind
from mastery_model.plugins.records import Options
from mastery_model.problems import InvalidDocument, Problem, ReadWarning, Report, _shorten
from mastery_model.schemas import CONTEXT_IRI

# Limits on what the reader takes in, each checked before the work it bounds (docs/csv.md, "Limits").
# A catalogue of 100,000 sessions has tables of at most 38 MB, 127 MB in all, 403,001 rows and
# 2.8 million cells in one table, and zips at most 19 to 1: these leave it a margin of 7 to 10.
#: The most a table may hold: a file of the folder, or an archive member once unzipped.
MAX_TABLE_BYTES = 256 << 20
#: The most all the tables together may hold.
MAX_TOTAL_BYTES = 1 << 30
#: The most an archive member may unzip to, per byte zipped (a zip bomb's is about 1,000) ...
MAX_RATIO = 200
#: ... once it is larger than this: a small member is no bomb, whatever its ratio.
RATIO_FLOOR = 1 << 20
#: The most rows, and cells, one table may have.
MAX_ROWS = 4_000_000
MAX_CELLS = 25_000_000
#: The most files a folder may hold named like tables (``*.csv``), and the most bytes an archive's
#: directory may take (about 20,000 members): each name found is kept, so their number is bounded.
MAX_TABLE_FILES = 1_000
MAX_DIRECTORY_BYTES = 1 << 20
#: The most characters of a header or a cell that a problem quotes.
EXCERPT = 80
#: The rows a warning of rows out of the order of their position names, at most.
SHOWN_ROWS = 5
#: What is unzipped or read at a time, so that a limit stops the reading, not the end of the file.
_CHUNK = 1 << 20
#: The compression methods the reader unzips: those of the exporter (deflated) and of no compression.
#: The others decompress in blocks too large to stop within a limit (bzip2 gets a million to one).
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
#: What a damaged, truncated or unusual archive makes :mod:`zipfile` raise, where it is read.
_DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
    struct.error,
    OverflowError,
    IndexError,
    KeyError,
)
#: The files the reader reads; another ``.csv`` file is reported by name, its content never read.
_READ = {table.file for table in TABLES} | {METADATA}


class _Refused(Exception):
    """A file or archive member not read: why, as a problem says it."""


def _excerpt(text: str) -> str:
    """A header, or a name from the archive, as a problem may quote it: at most ``EXCERPT`` characters."""
    return text if len(text) <= EXCERPT else _shorten(text, EXCERPT)


def _quoted(value: Any) -> Any:
    """A cell's text as a problem keeps it: at most ``EXCERPT`` characters of it."""
    return value[:EXCERPT] + "…" if isinstance(value, str) and len(value) > EXCERPT else value


@frozen
class Record:
    """A row read: the document's node it gives, and the ids of what it belongs to (its parents)."""

    row: int
    node: Any  # a dict with the document's keys; a table of free text's: the value
    links: dict[str, str]  # a parent column's name -> the id it names


class _Tables:
    """The tables read and checked: every problem found, in file and row order."""

    def __init__(self, files: Mapping[str, bytes], options: Options) -> None:
        self.problems: list[Problem] = []
        self.language = options.get("language", "und")
        self.encoding = codecs.lookup(options.get("encoding", "utf-8")).name  # checked as an option
        self.undecoded = False  # a table not in the encoding: what it holds is not known
        self.records: dict[str, list[Record]] = {}
        known = {table.file for table in TABLES} | {METADATA}
        for name in sorted(set(files) - known):
            if name.lower().endswith(".csv"):  # Sessions.CSV too: no table is left unread without a word
                tables = ", ".join(table.file for table in TABLES)
                named = next((table.file for table in TABLES if table.file == name.lower()), None)
                hint = f"; did you mean {named}? (names are lower case)" if named else ""
                self.problem(name, None, None, f"is not one of the tables ({tables}){hint}")
        if "events.csv" not in files:
            self.problem("events.csv", None, None, "is missing: the events are the tables' starting point")
        for table in TABLES:
            self.records[table.name] = self.read(table, files[table.file]) if table.file in files else []
        if not self.undecoded:  # else rows naming the unread ones would be reported too
            self.check_keys()

    def problem(self, file: str, row: int | None, column: str | None, message: str, value: Any = None) -> None:
        column = None if column is None else _excerpt(column)
        self.problems.append(Problem("", message, _quoted(value), _excerpt(file), None, row, column))

    # -- cells

    def read(self, table: Table, data: bytes) -> list[Record]:
        try:
            text = data.decode("utf-8-sig" if self.encoding == "utf-8" else self.encoding)
        except UnicodeDecodeError as error:
            self.undecoded = True
            line = data.count(b"\n", 0, error.start) + 1
            where = f"line {line}, byte {error.start}: {data[error.start : error.start + 1]!r}"
            if self.encoding == "utf-8":
                fix = (
                    'save it as "CSV UTF-8", or read the tables with the option encoding=NAME, the '
                    "encoding it was saved in (such as cp1252, a Western European spreadsheet's CSV)"
                )
                self.problem(table.file, None, None, f"is not UTF-8 ({where}): {fix}")
            else:
                self.problem(table.file, None, None, f"is not {self.encoding} ({where})")
            return []
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if ";" in first_line and "," not in first_line else ","
        csv.field_size_limit(MAX_TABLE_BYTES)  # a cell may be as long as a text the model holds
        rows: list[list[str]] = []
        cells_read = 0
        try:
            for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
                cells_read += len(cells)
                if len(rows) >= MAX_ROWS or cells_read > MAX_CELLS:  # before a row too many is kept
                    most = f"{MAX_ROWS} rows" if len(rows) >= MAX_ROWS else f"{MAX_CELLS} cells"
                    self.problem(table.file, None, None, f"has more than {most}, the most a table may have")
                    return []
                rows.append(cells)
        except csv.Error as error:
            self.problem(table.file, None, None, f"is not CSV: {error}")
            return []
        if not rows:
            self.problem(table.file, 1, None, "has no header row")
            return []
        header = self.header(table, rows[0])  # a header's mistakes do not hide those of its rows
        records = []
        for number, cells in enumerate(rows[1:], start=2):
            if not any(cells):  # an empty row, as spreadsheets leave them
                continue
            if len(cells) != len(rows[0]):
                self.problem(table.file, number, None, f"has {len(cells)} cells; the header has {len(rows[0])}")
                continue
            node, links = self.values(table, header, cells, number)
            value: Any = node.get(table.columns[-1].name) if table.holds == (str,) else node
            records.append(Record(number, value, links))
        return records

    def header(self, table: Table, titles: list[str]) -> list[tuple[Column, str | None] | None]:
        """Each header's column and the language it holds (``ORDER`` for a text's order); None for
        a header that names no column (reported, and its cells left unread)."""
        found: list[tuple[Column, str | None] | None] = []
        seen: dict[tuple[str, str | None], str] = {}  # a column and language -> the header holding it
        for index, title in enumerate(titles):
            name, at, language = title.partition("@")
            column = table.column(name)
            if column is None or (at and not column.text) or (at and not language):
                names = [c.name + ("@<language>" if c.text else "") for c in table.columns]
                # a close match is sought for a renamed header, not for a line of data taken for one
                close = difflib.get_close_matches(title, names, n=1) if len(title) <= EXCERPT else []
                hint = f"; did you mean {close[0]}?" if close else ""
                self.problem(
                    table.file, 1, title, f"is not a column of {table.file} (its columns: {', '.join(names)}){hint}"
                )
                found.append(None)
                continue
            held = (column, language if at else (self.language if column.text else None))
            first = seen.setdefault((column.name, held[1]), title)
            if first != title or title in titles[:index]:
                message = "appears twice in the header" if first == title else f"holds what {_excerpt(first)} holds"
                self.problem(table.file, 1, title, message)
                found.append(None)
                continue
            found.append(held)
        present = {known[0].name for known in found if known is not None}
        for column in table.columns:
            if column.required and column.name not in present:
                what = f"{column.name}@<language>" if column.text else column.name
                self.problem(table.file, 1, what, "is a required column, missing from the header")
        return found

    def values(
        self, table: Table, header: list[tuple[Column, str | None] | None], cells: list[str], row: int
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The node of a row, with the document's keys, and the ids its parent columns name."""
        node_type = _node_type(table.holds[0])
        node: dict[str, Any] = {} if node_type is None else {"@type": node_type}  # a type column's, when given
        links: dict[str, str] = {}
        texts: dict[Column, dict[str, str]] = {}
        orders: dict[str, list[str]] = {}
        filled: set[str] = set()
        failed: set[str] = set()  # columns whose cell is reported already
        for known, raw in zip(header, cells, strict=True):
            if known is None:
                continue
            column, language = known
            cell = restored(raw)
            if not cell:
                continue
            if column.text:
                if language == ORDER:
                    orders[column.name] = cell.split()
                else:
                    texts.setdefault(column, {})[language or self.language] = cell
                continue
            try:
                if column.listed:
                    value: Any = list(dict.fromkeys(column.datatype.parse(part) for part in cell.split()))
                else:
                    value = column.datatype.parse(cell)
            except ValueError:
                self.problem(table.file, row, column.name, f"expected {column.datatype.expected}", cell)
                failed.add(column.name)
                continue
            filled.add(column.name)
            if not column.keys:
                links[column.name] = value
            else:
                _put(node, column.keys, value)
        for bound in ("start", "end"):
            if f"{bound}Date" in filled and f"{bound}Time" in filled:
                self.problem(table.file, row, f"{bound}Time", f"goes with {bound}Date: give one of them, not both")
        for column, translations in texts.items():
            order = orders.pop(column.name, None)
            if order is not None:
                if sorted(order) != sorted(translations):
                    self.problem(
                        table.file,
                        row,
                        f"{column.name}@{ORDER}",
                        f"lists the languages of {column.name} given in this row",
                        " ".join(order),
                    )
                    failed.add(column.name)
                    continue
                translations = {tag: translations[tag] for tag in order}
            filled.add(column.name)
            _put(node, column.keys, translations)
        present = {known[0].name for known in header if known is not None}  # the header says what else lacks
        if table.alternatives and len(links) != 1 and not failed & {parent.name for parent in table.parents}:
            named = " or ".join(parent.name for parent in table.parents)
            if links:
                self.problem(table.file, row, table.parents[-1].name, f"names one of {named}, not both")
            else:
                self.problem(table.file, row, table.parents[0].name, f"is empty: a row names one of {named}")
        for column in table.columns:
            if column.required and column.name in present and column.name not in filled and column.name not in failed:
                self.problem(table.file, row, column.name + ("@<language>" if column.text else ""), "is required")
        return node, links

    # -- keys

    def check_keys(self) -> None:
        """Ids once across the keyed tables (rows are linked by them), and each id a column names
        the id of a row of a table it may name."""
        tables_of: dict[str, str] = {}
        origins: dict[str, tuple[str, int]] = {}
        for table in TABLES:
            if table.key is None:
                continue
            for record in self.records[table.name]:
                identifier = record.node.get("@id")
                if identifier is None:
                    continue
                if identifier in origins:
                    first, row = origins[identifier]
                    self.problem(
                        table.file,
                        record.row,
                        "id",
                        f"is the id of {BY_NAME[first].file} row {row} already",
                        identifier,
                    )
                    continue
                origins[identifier] = (table.name, record.row)
                tables_of[identifier] = table.name
        for table in TABLES:
            for column in table.columns:  # the others' references: checked with the document
                if not column.references or column.keys:
                    continue
                for record in self.records[table.name]:
                    value = record.links.get(column.name)
                    for identifier in () if value is None else value if column.listed else (value,):
                        if tables_of.get(identifier) not in column.references:
                            where = " or ".join(BY_NAME[name].file for name in column.references)
                            self.problem(
                                table.file,
                                record.row,
                                column.name,
                                f"names an id that no row of {where} has",
                                identifier,
                            )


def _put(node: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


class _Document:
    """The canonical document of tables that passed their checks: each row's node put in the list
    of what it belongs to, every node marked with its table and row."""

    def __init__(self, tables: _Tables) -> None:
        self.tables = tables
        self.origins = pipeline.Origins()
        self.nodes: dict[str, dict[str, Any]] = {}  # by id: the nodes rows may belong to
        #: per table with a position column: the rows its order put elsewhere than their position
        self.moved: dict[str, list[int]] = {}
        for table in TABLES:
            names = {column.name for column in table.columns}
            # the node's keys that are a column's name: those of its cells, and an object's such as attendance
            columns = frozenset(column.keys[0] for column in table.columns if column.keys and column.keys[0] in names)
            nested: dict[str, frozenset[str]] = {}
            for column in table.columns:
                if len(column.keys) == 2 and column.keys[1] == column.name:
                    nested[column.keys[0]] = nested.get(column.keys[0], frozenset()) | {column.name}
            for record in tables.records[table.name]:
                node = record.node
                if not isinstance(node, dict):
                    continue
                place = pipeline.Origin(source=table.file, row=record.row, columns=columns)
                self.origins.mark(node, place)
                for key, inner in nested.items():  # an address: its keys are columns too
                    if isinstance(node.get(key), dict):
                        self.origins.mark(node[key], pipeline.Origin(source=table.file, row=record.row, columns=inner))
                if table.key is not None and "@id" in node:
                    self.nodes[node["@id"]] = node

    def document(self) -> dict[str, Any]:
        records = self.tables.records
        self.session_tree()
        for table in TABLES:
            if table.name == "sessions" or not table.parents:
                continue
            (parent, *_rest) = table.parents
            listed = records[table.name]
            if table.column("position") is not None:
                listed = self.in_position_order(table.file, listed, parent.name)
            for record in listed:
                # the parent a row names: the first, or the one of the alternatives it names
                owner = self.nodes[
                    next(iter(record.links.values())) if table.alternatives else record.links[parent.name]
                ]
                key = _list_key(table, owner)
                owner.setdefault(key, []).append(record.node)
        graph = [r.node for name in ("events", "campaigns", "organisations", "people") for r in records[name]]
        return {"@context": CONTEXT_IRI, "@graph": graph}

    def session_tree(self) -> None:
        """Each session in its parent's list, in table order; sessions of another event's session, in
        a loop, or too deep are reported."""
        records = self.tables.records["sessions"]
        by_id = {r.node["@id"]: r for r in records}
        ok: list[Record] = []
        for r in records:
            chain, current = [r.node["@id"]], r
            while current.links.get("superEvent") is not None and len(chain) <= MAX_SESSION_DEPTH + 1:
                parent = by_id[current.links["superEvent"]]
                if parent.links["event"] != r.links["event"]:
                    self.tables.problem(
                        "sessions.csv", r.row, "superEvent", "names a session of another event", parent.node["@id"]
                    )
                    break
                if parent.node["@id"] in chain:
                    message = (
                        "makes a loop: the session is part of itself"
                        if parent is r
                        else "puts the session under a loop of sessions, each part of the next"
                    )
                    self.tables.problem("sessions.csv", r.row, "superEvent", message, parent.node["@id"])
                    break
                chain.append(parent.node["@id"])
                current = parent
            else:
                if len(chain) > MAX_SESSION_DEPTH:
                    self.tables.problem(
                        "sessions.csv",
                        r.row,
                        "superEvent",
                        f"nests the session more than {MAX_SESSION_DEPTH} deep",
                        r.links["superEvent"],
                    )
                    continue
                ok.append(r)
        if self.tables.problems:
            raise InvalidDocument(Report(tuple(self.tables.problems)))
        for r in self.in_position_order("sessions.csv", ok, "superEvent", "event"):
            owner = self.nodes[r.links.get("superEvent") or r.links["event"]]
            owner.setdefault("subEvent", []).append(r.node)

    def in_position_order(self, file: str, records: list[Record], *parents: str) -> list[Record]:
        """The rows, those of each list (the rows with the same parent, the first of ``parents``
        that a row names) that have a position put in its order, in the places such rows take in
        the table; the rows this moves are kept to be warned of (see :func:`_warn_of_order`)."""
        lists: dict[str, list[int]] = {}
        for index, record in enumerate(records):
            if isinstance(record.node.get("position"), int):
                owner = next(record.links[name] for name in parents if record.links.get(name) is not None)
                lists.setdefault(owner, []).append(index)
        ordered = list(records)
        moved: list[int] = []
        for places in lists.values():
            by_position = sorted(places, key=lambda index: records[index].node["position"])  # stable: ties as they are
            for place, index in zip(places, by_position, strict=True):
                ordered[place] = records[index]
                if place != index:
                    moved.append(records[index].row)
        if moved:
            self.moved[file] = sorted(moved)
        return ordered


def _node_type(cls: type) -> str | None:
    """The ``@type`` the canonical document gives a node of the class (an organisation's, its kind's)."""
    if cls is Organisation:
        return conversion.ORGANISATION_TYPES[OrganisationKind.ORGANISATION]  # the type column's, when given
    return conversion.NODE_TYPES.get(cls)


def _list_key(table: Table, owner: dict[str, Any]) -> str:
    """The document's key of the list of the owner's that the table's rows go in (an event's and a
    session's lists of one table have one key: their nodes' types are alike)."""
    owner_type = owner.get("@type")
    for cls, field in table.within:
        if _node_type(cls) == owner_type or (cls is Organisation and owner_type in conversion.ORGANISATION_KINDS):
            return vocabulary.terms(cls)[field].key
    raise AssertionError(owner_type)


def read_tables(files: Mapping[str, bytes], options: Options) -> Catalogue:
    """The catalogue in tables (file name -> bytes), or every problem found in them."""
    tables = _Tables(files, options)
    if tables.problems:
        raise InvalidDocument(Report(tuple(tables.problems)))
    if not any(tables.records.values()):  # the empty template: nothing to check yet
        return Catalogue()
    built = _Document(tables)
    document = built.document()
    catalogue = pipeline.read_document(document, origins=built.origins)  # checked, and blank ids minted
    _warn_of_order(built.moved)
    return catalogue


def _warn_of_order(moved: Mapping[str, list[int]]) -> None:
    """A warning for each table whose rows contradict their position column (a table sorted in a
    spreadsheet by another column): how many rows were read elsewhere than their place, and which."""
    for file, rows in moved.items():
        shown = ", ".join(map(str, rows[:SHOWN_ROWS])) + (", ..." if len(rows) > SHOWN_ROWS else "")
        count = f"{len(rows):,} row{'s' if len(rows) != 1 else ''}"
        warnings.warn(
            ReadWarning(
                f"csv: {file}: {count} out of the order of the position column (rows {shown}): read in the order of"
                " position, which wins over the rows' order; sort the table by position to keep the two alike"
            ),
            stacklevel=4,
        )


def read_folder(folder: Path, options: Options) -> Catalogue:
    """The tables of a folder: its own regular files only, each within the limits."""
    names = _table_files(folder)
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    room = MAX_TOTAL_BYTES
    for name in names:
        path = folder / name
        if name not in _READ:  # an unknown table is reported by its name alone
            files[name] = b""
            continue
        try:
            content = _read_regular(path, room)
        except _Refused as refusal:
            problems.append(Problem("", str(refusal), None, name))
            continue
        except OSError as error:
            problems.append(Problem("", f"cannot be read: {error.strerror or type(error).__name__}", None, name))
            continue
        room -= len(content)
        files[name] = content
    if problems:
        raise InvalidDocument(Report(tuple(problems)))
    return read_tables(files, options)


def _table_files(folder: Path) -> list[str]:
    """The names in the folder that may be tables, in order; the folder is listed an entry at a
    time, so that one of millions of files costs no memory for the files that are no table."""
    names: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.lower().endswith(".csv") or entry.name == METADATA:
                    names.append(entry.name)
                    if len(names) > MAX_TABLE_FILES:
                        message = f"holds more than {MAX_TABLE_FILES:,} files named *.csv: it is not read"
                        raise InvalidDocument(Report((Problem("", message),)))
    except OSError as error:
        raise InvalidDocument(Report((Problem("", f"cannot be listed: {error.strerror}"),))) from None
    return sorted(names)


_OPEN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_regular(path: Path, room: int) -> bytes:
    """The bytes of a regular file in the folder, never of what a link points to (it may be anything
    on the machine, and a problem would quote it), nor of a FIFO or device (which may never end)."""
    status = os.lstat(path)
    refusal = _irregular(status)
    if refusal:
        raise _Refused(refusal)
    _check_size(status.st_size, room, "has")  # a sparse file may claim gigabytes it never stored
    # O_NOFOLLOW and the second look, at what was opened: the file may be swapped after the first
    descriptor = os.open(path, _OPEN)
    with open(descriptor, "rb", buffering=0) as file:
        refusal = _irregular(os.fstat(descriptor))
        if refusal:
            raise _Refused(refusal)
        return _bounded(file.read, room)


def _irregular(status: os.stat_result) -> str | None:
    if stat.S_ISLNK(status.st_mode):
        return "is a symbolic link: a folder's tables are its own files, and links are not followed"
    if not stat.S_ISREG(status.st_mode):
        return "is not a regular file (a folder, FIFO, socket or device): it is not read"
    return None


def _check_size(size: int, room: int, verb: str) -> None:
    if size > MAX_TABLE_BYTES:
        raise _Refused(f"{verb} {size} bytes, more than the {MAX_TABLE_BYTES} a table may have")
    if size > room:
        raise _Refused(f"{verb} {size} bytes: with the tables before it, more than the {MAX_TOTAL_BYTES} allowed")


def _bounded(read: Callable[[int], bytes], room: int, zipped: int | None = None) -> bytes:
    """What ``read`` gives, a chunk at a time, stopped as soon as it passes a limit."""
    chunks: list[bytes] = []
    size = 0
    while chunk := read(_CHUNK):
        size += len(chunk)
        if size > MAX_TABLE_BYTES:
            raise _Refused(f"holds more than the {MAX_TABLE_BYTES} bytes a table may have")
        if size > room:
            raise _Refused(f"holds more than the {MAX_TOTAL_BYTES} bytes the tables may have together")
        if zipped is not None and size > RATIO_FLOOR and size > MAX_RATIO * zipped:
            raise _Refused(f"unzips to more than {MAX_RATIO} times its zipped size: a zip bomb, or damaged")
        chunks.append(chunk)
    return b"".join(chunks)


def read_archive(data: bytes, options: Options) -> Catalogue:
    """The tables in a zip archive: at its top, or in one folder of it."""
    directory = _directory_bytes(data)
    if directory is not None and directory > MAX_DIRECTORY_BYTES:
        message = f"has a directory of {directory:,} bytes, more than the {MAX_DIRECTORY_BYTES:,} an archive may have"
        raise InvalidDocument(Report((Problem("", message),)))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile as error:
        raise InvalidDocument(Report((Problem("", f"is not a zip archive: {_said(error)}"),))) from None
    except _DAMAGED as error:
        raise InvalidDocument(Report((Problem("", f"is a damaged zip archive: {_said(error)}"),))) from None
    with archive:  # closed however the reading ends
        files = _unzipped(archive, entries)
    return read_tables(files, options)


_END = b"PK\x05\x06"  # the end of the central directory (EOCD): 22 bytes and a comment
_END_64 = b"PK\x06\x06"  # the zip64 EOCD, which a locator just before the EOCD points to
_LOCATOR_64 = b"PK\x06\x07"


def _directory_bytes(data: bytes) -> int | None:
    """The size of the archive's directory, which ``zipfile`` reads whole into entries, as the
    record it reads says it; ``None`` where there is none (``zipfile`` then says the archive is bad)."""
    end = len(data) - 22 if data[-22:-18] == _END else data.rfind(_END, max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or end + 22 > len(data):
        return None
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    locator = end - 20
    if size == 0xFFFFFFFF and locator >= 0 and data[locator : locator + 4] == _LOCATOR_64:
        at = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if data[at : at + 4] == _END_64:
            size = int.from_bytes(data[at + 40 : at + 48], "little")
    return size


def _unzipped(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    """The tables' members, each checked against the limits before and while it is unzipped."""
    chosen: dict[str, zipfile.ZipInfo] = {}
    files: dict[str, bytes] = {}
    for entry in entries:
        name = entry.filename.rsplit("/", 1)[-1]
        if not name or not (name.lower().endswith(".csv") or name == METADATA):  # a folder, or a nameless member
            continue
        if name in files:  # tables of two folders: which to read is not for the reader to guess
            message = f"holds {_excerpt(name)} twice: the tables belong at the top of the archive or in one folder"
            raise InvalidDocument(Report((Problem("", message, None, _excerpt(entry.filename)),)))
        files[name] = b""  # an unknown table is reported by its name alone, never unzipped
        if name in _READ:
            chosen[name] = entry
    # the first member refused refuses the archive: what the rest hold is not worth unzipping
    room = MAX_TOTAL_BYTES
    for entry in chosen.values():  # what the directory claims, before anything is unzipped
        try:
            _check_entry(entry, room)
        except _Refused as refusal:
            raise InvalidDocument(Report((Problem("", str(refusal), None, _excerpt(entry.filename)),))) from None
        room -= entry.file_size
    room = MAX_TOTAL_BYTES
    for name, entry in chosen.items():
        try:
            with archive.open(entry) as member:
                files[name] = _bounded(member.read, room, entry.compress_size)
        except _Refused as refusal:
            message = str(refusal)
        except _DAMAGED as error:
            # damaged (a size, offset or checksum that does not match), or encrypted
            message = f"cannot be unzipped: {_said(error)}"
        else:
            room -= len(files[name])
            continue
        raise InvalidDocument(Report((Problem("", message, None, _excerpt(entry.filename)),))) from None
    return files


def _check_entry(entry: zipfile.ZipInfo, room: int) -> None:
    if entry.compress_type not in _METHODS:
        methods = " or ".join(_METHODS.values())
        raise _Refused(f"is compressed with method {entry.compress_type}: the reader takes members {methods}")
    if entry.flag_bits & 0x1:
        raise _Refused("is encrypted")
    _check_size(entry.file_size, room, "unzips to")
    if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * entry.compress_size:
        raise _Refused(
            f"unzips to {entry.file_size} bytes from {entry.compress_size}, more than {MAX_RATIO} times its"
            " zipped size: a zip bomb, or damaged"
        )


def _said(error: Exception) -> str:
    """An error's message, which may quote names from the archive, cut short."""
    return _excerpt(str(error) or type(error).__name__)
