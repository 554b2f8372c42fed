"""The ``csv`` format: spreadsheet-ready tables of a catalogue, described by CSVW metadata.

A folder (a zip archive when written to a stream) of one table per kind of thing, keyed by the same
ids as every other format, and ``csv-metadata.json``: a CSV on the Web table group with the
columns, datatypes, required columns, keys and property IRIs. UTF-8, CRLF, RFC 4180 quoting;
options for a BOM and ``;`` as the delimiter. A cell a spreadsheet would run as a formula gets an
apostrophe in front (:func:`mastery_model.tables.neutralised`), which the importer takes off.
"""

from __future__ import annotations

import csv
import decimal
import operator
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias

import attrs
import orjson

from mastery_model import vocabulary
from mastery_model.builtin.csv import DELIMITERS
from mastery_model.builtin.csv.tables import (
    BY_NAME,
    DATE,
    DATE_TIME,
    DECIMAL,
    FIRST,
    INTEGER,
    METADATA,
    SEPARATOR,
    TABLES,
    Column,
    Table,
    language_column,
    neutralised,
    order_column,
    property_iri,
)
from mastery_model.builtin.parts import SeenIds
from mastery_model.conversion import NODE_TYPES, format_date_time
from mastery_model.files import write_zip
from mastery_model.model import Catalogue, Event, Text, walk_sessions
from mastery_model.plugins.records import Options
from mastery_model.problems import CannotCarry, ExportWarning
from mastery_model.reading import collection_paused

#: A row's cells as the csv writer takes them (it writes None as an empty cell, and a number as its
#: digits), but for the multilingual columns: their texts, which the header spreads over its languages.
Value: TypeAlias = str | int | Text | None
Row: TypeAlias = list[Value]
Parts = Callable[[], Iterator[Catalogue]]

#: The most languages one text column may have (the EU has 24 official languages, the UN 6).
MAX_LANGUAGES = 64


# -- rows ----------------------------------------------------------------------------------------

#: How one cell of a row is made: its value taken from the object the row holds, and what turns
#: a value into the cell where it is not one already (None, and a string no spreadsheet would run,
#: are cells as they are: the exporter's inner loop calls nothing for them).
Getter: TypeAlias = Callable[[Any], Any]
Converter: TypeAlias = Callable[[Any], Value]


def _cell_of(column: Column, cls: type) -> tuple[Getter, Converter]:
    """How a column's cell is made from an object of ``cls``, as the column's datatype writes it."""
    if cls is str:  # a table of free text: a row a string
        return _identity, neutralised
    if not column.fields:  # a location: its node's type
        return _constant(NODE_TYPES[cls]), neutralised
    if not attrs.has(cls) or column.fields[0] not in attrs.fields_dict(cls):
        return _constant(None), neutralised  # a column of another class the table holds
    first, *rest = column.fields
    convert = _converter(column)
    if not rest:
        return operator.attrgetter(first), convert
    # an object held on the way (an attendance, an address), which may be None: its value is taken
    # from it by the converter, called only when it is there
    take = operator.attrgetter(".".join(rest)) if len(rest) == 1 else _through(tuple(rest))

    def through(held: Any) -> Value:
        value = take(held)
        return value if value is None or (type(value) is str and value[:1] not in FIRST) else convert(value)

    return operator.attrgetter(first), through


def _converter(column: Column) -> Converter:
    """The cell of a value of a column that is not None (nor a string to write as it is)."""
    if column.text:  # expanded into its languages' columns by the header
        return _identity
    if column.form == "date":
        return _date_of
    if column.form == "time":
        return _time_of
    base = column.datatype
    if base.format is not None:  # codes: the members' values
        return _codes if column.listed else operator.attrgetter("_value_")  # ``.value`` is slower
    if column.listed:
        return SEPARATOR.join
    if base is DATE_TIME:
        return format_date_time
    if base is DATE:
        return date.isoformat
    if base is INTEGER:
        return str
    if base is DECIMAL:
        return _decimal
    return neutralised  # a string that starts like a formula


def _date_of(moment: date) -> str | None:
    """The date of a start or an end given as a date alone (one with a time has none)."""
    return None if type(moment) is datetime else moment.isoformat()


def _time_of(moment: date) -> str | None:
    """The date and time of a start or an end that has one."""
    return format_date_time(moment) if type(moment) is datetime else None


def _decimal(number: float) -> str:
    """A number as CSVW's decimal writes it: digits and a point, no exponent; a whole number
    without the point. Read back as a float it is the number again (the shortest such digits)."""
    number = float(number)  # an int given for a float: 25 for 25.0
    if number.is_integer():
        return str(int(number))
    return format(decimal.Decimal(repr(number)), "f")


def _codes(members: tuple[Any, ...]) -> str:
    return SEPARATOR.join(member._value_ for member in members)


def _through(fields: tuple[str, ...]) -> Getter:
    """The value at the end of a path of fields, None where an object on the way is."""

    def take(item: Any) -> Any:
        for field in fields:
            if item is None:
                return None
            item = getattr(item, field)
        return item

    return take


def _identity(value: Any) -> Any:
    return value


def _constant(value: Value) -> Getter:
    return lambda _item: value


class _Shape:
    """For each table, how its rows are made: the cells of its columns (its parents' aside) for
    each class it holds, and the tables the lists of each class go to."""

    def __init__(self) -> None:
        self.cells: dict[str, dict[type, list[tuple[Getter, Converter]]]] = {}
        self.offset: dict[str, int] = {}  # where the parents' ids go in a row
        #: the multilingual columns of each table, with their getters, for each class it holds
        self.texts: dict[tuple[str, type], list[tuple[str, Getter]]] = {}
        for table in TABLES:
            own = [column for column in table.columns if column.keys]  # the others: the parents' ids
            self.offset[table.name] = next((i for i, column in enumerate(table.columns) if not column.keys), 0)
            self.cells[table.name] = {cls: [_cell_of(column, cls) for column in own] for cls in table.holds}
            for cls in table.holds:
                fields = attrs.fields_dict(cls) if attrs.has(cls) else {}
                self.texts[table.name, cls] = [
                    # a text of an object held on the way (a credential offer's), which may be None
                    (
                        column.name,
                        operator.attrgetter(column.fields[0]) if len(column.fields) == 1 else _through(column.fields),
                    )
                    for column in own
                    if column.text and column.fields[0] in fields
                ]
        #: per class: (field, table) for each of its lists that has a table, in the vocabulary's order
        self.children: dict[type, list[tuple[str, str]]] = {}
        for cls in vocabulary.TERMS:
            for term in vocabulary.TERMS[cls]:
                for table in TABLES:
                    if (cls, term.field) in table.within:
                        self.children.setdefault(cls, []).append((term.field, table.name))
        #: per class: those of its lists whose rows, or the rows below them, hold texts
        with_texts = {cls for (_table, cls), columns in self.texts.items() if columns}
        reaching = set(with_texts)
        for _round in range(len(self.children) + 1):  # until no class is added: the lists nest a few levels
            reaching |= {
                cls
                for cls, lists in self.children.items()
                if any(held in reaching for _field, child in lists for held in BY_NAME[child].holds)
            }
        #: per class and table whose parents are alternatives: the parents' cells of a row in a list of the class
        self.alternatives: dict[tuple[type, str], tuple[bool, ...]] = {}
        for table in TABLES:
            if not table.alternatives:
                continue
            for cls, _field in table.within:
                holder = next(other.name for other in TABLES if cls in other.holds)
                slot = next(i for i, parent in enumerate(table.parents) if holder in parent.references)
                self.alternatives[cls, table.name] = tuple(i == slot for i in range(len(table.parents)))
        self.text_children = {
            cls: [(field, child) for field, child in lists if any(h in reaching for h in BY_NAME[child].holds)]
            for cls, lists in self.children.items()
        }


_SHAPE = _Shape()


#: What writes a row of a table, by the table's name (``identifiers:people``: a spool of the table).
Sinks: TypeAlias = dict[str, Callable[[Row], object]]


class _Rows:
    """Writes the rows of each table, a part of the catalogue at a time; people, organisations
    and campaigns that several parts share are written once."""

    def __init__(self, sinks: Sinks) -> None:
        self.seen = SeenIds()
        self.sinks = sinks

    def write(self, part: Catalogue) -> None:
        first = self.seen.first
        for kind in ("campaigns", "organisations", "people"):
            _write_rows(kind, (entity for entity in getattr(part, kind) if first(entity.id)), kind, self.sinks)
        _write_rows("events", iter(part.events), None, self.sinks)


def _write_rows(table: str, items: Iterator[Any], spool: str | None, sinks: Sinks) -> None:
    """The rows of the objects of a table, each followed by those of the lists it holds, depth
    first, each given to its table's sink (rather than yielded: this is the exporter's inner loop).
    A stack of the lists being written (rather than recursion): an object's lists go on top of the
    rest of its own."""
    stack: list[tuple[str, Iterator[Any], tuple[str | None, ...]]] = [(table, items, ())]
    children, alternatives = _SHAPE.children, _SHAPE.alternatives
    while stack:
        table, items, parents = stack.pop()
        sink = sinks.get(table if spool in (None, table) else f"{table}:{spool}")  # None: a table not written
        cells, at = _SHAPE.cells[table], _SHAPE.offset[table]
        for item in items:
            if sink is not None:
                row = [
                    value
                    if (value := get(item)) is None or (type(value) is str and value[:1] not in FIRST)
                    else convert(value)
                    for get, convert in cells[type(item)]
                ]
                if parents:
                    row[at:at] = parents
                sink(row)
            lists = children.get(type(item))
            if not lists:
                continue
            below = []
            for field, child in lists:
                values = getattr(item, field)
                if values:
                    # a session's parents: its event, and the session it is part of
                    above: tuple[str | None, ...]
                    if child == "sessions":
                        above = (item.id, None) if type(item) is Event else (parents[0], item.id)
                    elif (slots := alternatives.get((type(item), child))) is not None:  # the one it names
                        above = tuple(item.id if slot else None for slot in slots)
                    else:
                        above = (item.id,)
                    below.append((child, iter(values), above))
            if below:
                stack.append((table, items, parents))  # the rest of this list, after the lists below
                stack += reversed(below)
                break


#: The identifiers of organisations and of people: rows of identifiers.csv, after those of the events.
_SPOOLED = ("identifiers:organisations", "identifiers:people")


# -- headers -------------------------------------------------------------------------------------


class _Texts:
    """For each multilingual column: its languages, in the order they first appear, and whether
    some text has its languages in another order (its order then has a column of its own)."""

    def __init__(self, wanted: Sequence[str]) -> None:
        self.wanted = wanted  # languages given columns first, used or not
        self.languages: dict[tuple[str, str], dict[str, None]] = {}
        self.reordered: set[tuple[str, str]] = set()

    def add(self, part: Catalogue) -> None:
        for key, text in _texts_of(part):
            if text is None:
                continue
            known = self.languages.get(key)
            if known is None:
                known = self.languages[key] = dict.fromkeys(self.wanted)
            for language, _text in text.translations:
                if language not in known:
                    known[language] = None
            if len(text.translations) > 1 and key not in self.reordered:
                order = list(known)
                positions = [order.index(language) for language, _text in text.translations]
                if positions != sorted(positions):
                    self.reordered.add(key)

    def check(self) -> None:
        """Refuses a column of more languages than :data:`MAX_LANGUAGES`: each is a column of
        every row, so that a table would grow with the square of its rows."""
        for (table, column), languages in self.languages.items():
            if len(languages) > MAX_LANGUAGES:
                raise CannotCarry(
                    "csv",
                    f"{len(languages):,} languages in the {column!r} of {table} (each language is a column: at most"
                    f" {MAX_LANGUAGES}); the option language=TAG writes one, or export to jsonld",
                )


def _texts_of(part: Catalogue) -> Iterator[tuple[tuple[str, str], Text | None]]:
    """The multilingual texts of a part, each with its table and column: what :class:`_Rows`
    writes in them, in the order of the rows (only the lists that lead to texts are walked)."""
    stack = [(kind, entity) for kind in _KINDS[::-1] for entity in reversed(getattr(part, kind))]
    texts, text_children = _SHAPE.texts, _SHAPE.text_children
    while stack:
        table, item = stack.pop()
        for column, get in texts[table, type(item)]:
            yield (table, column), get(item)
        lists = text_children.get(type(item))
        if lists:
            stack += reversed([(child, value) for field, child in lists for value in getattr(item, field)])


#: The lists of a catalogue that have tables, in the order their rows are written.
_KINDS = ("campaigns", "organisations", "people", "events")


class _Header:
    """The columns one table is written with, and how a row's values fill them: runs of plain
    columns, and the multilingual columns between them."""

    def __init__(self, table: Table, texts: _Texts, options: Options) -> None:
        self.table = table
        language = options.get("language")
        self.titles: list[str] = []
        self.columns: list[tuple[Column, str | None]] = []  # a column and the language it holds
        self.runs: list[tuple[int, int]] = []  # plain columns: row[start:stop]
        self.texts: list[tuple[int, tuple[str, ...], bool]] = []  # after each run: index, languages, reordered
        start = 0
        for index, column in enumerate(table.columns):
            if not column.text:
                self._add(column, None, column.name)
                continue
            self.runs.append((start, index))
            start = index + 1
            if language is not None:
                self._add(column, language, column.name)
                self.texts.append((index, (language,), False))
                continue
            key = (table.name, column.name)
            languages = tuple(texts.languages.get(key) or texts.wanted or ("en",))
            reordered = key in texts.reordered
            for tag in languages:
                self._add(column, tag, language_column(column.name, tag))
            if reordered:
                self._add(column, None, order_column(column.name))
            self.texts.append((index, languages, reordered))
        self.runs.append((start, len(table.columns)))
        self.one_language = language is not None
        self.segments = [(*text, *run) for text, run in zip(self.texts, self.runs[1:], strict=True)]

    def _add(self, column: Column, language: str | None, title: str) -> None:
        self.titles.append(title)
        self.columns.append((column, language))

    def cells(self, row: Row) -> list[Value]:
        """The cells of a row of a table with multilingual columns: each text spread over its languages."""
        start, stop = self.runs[0]
        out = row[start:stop]
        for index, languages, reordered, start, stop in self.segments:
            text = row[index]
            if type(text) is not Text:  # None: no text (a test of the type narrows it without a call to cast)
                out += [""] * (len(languages) + reordered)
            elif self.one_language:
                out.append(neutralised(text.get(languages[0])))
            elif len(text.translations) == 1:  # most texts: one language, in its own order
                ((language, value),) = text.translations
                value = neutralised(value)
                out += [value if tag == language else "" for tag in languages]
                if reordered:
                    out.append("")
            else:
                found = dict(text.translations)
                out += [neutralised(found[tag]) if tag in found else "" for tag in languages]
                if reordered:
                    out.append(_order(text, languages))
            out += row[start:stop]
        return out


def _order(text: Text, columns: tuple[str, ...]) -> str:
    """The languages of a text, where their order is not the columns' (else nothing)."""
    languages = text.languages
    in_columns = [tag for tag in columns if tag in languages]
    return "" if list(languages) == in_columns else SEPARATOR.join(languages)


# -- metadata ------------------------------------------------------------------------------------


def metadata(headers: Sequence[_Header], options: Options) -> dict[str, Any]:
    """The CSVW table group describing the tables written."""
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": "mastery-model catalogue",
        "dc:description": (
            "Tables of educational events, keyed by the ids of the mastery-model JSON-LD documents. "
            "A cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage "
            "return, after any apostrophes of its own) has one apostrophe added in front."
        ),
        "dialect": {
            "delimiter": DELIMITERS[options.get("delimiter", "comma")],
            "encoding": "utf-8",
            "lineTerminators": ["\r\n"],
            "doubleQuote": True,
            "header": True,
            "trim": False,
        },
        "tables": [_table_metadata(header) for header in headers],
    }


def _table_metadata(header: _Header) -> dict[str, Any]:
    table = header.table
    columns = []
    names: set[str] = set()
    for title, (column, language) in zip(header.titles, header.columns, strict=True):
        name = _variable(title, names)
        described: dict[str, Any] = {"name": name, "titles": title}
        if column.text and title == order_column(column.name):
            described["datatype"] = "string"
            described["separator"] = SEPARATOR
            described["dc:description"] = f"the languages of {column.name}, where their order is not the columns'"
            described["suppressOutput"] = True
            columns.append(described)
            continue
        datatype: dict[str, Any] | str = column.datatype.base
        if column.datatype.format is not None:
            datatype = {"base": column.datatype.base, "format": column.datatype.format}
        described["datatype"] = datatype
        if column.required and not column.text:
            described["required"] = True
        if column.listed:
            described["separator"] = SEPARATOR
        if language is not None and not header.one_language:  # one language: a text lacking it gives its default
            described["lang"] = language
        if column.term is not None:
            described["propertyUrl"] = property_iri(column.term)
        else:
            described["suppressOutput"] = True
        columns.append(described)
    schema: dict[str, Any] = {"columns": columns}
    if table.key is not None:
        schema["primaryKey"] = table.key
    foreign = [
        {
            "columnReference": column.name,
            "reference": {"resource": BY_NAME[column.references[0]].file, "columnReference": "id"},
        }
        for column in table.columns
        if len(column.references) == 1 and not column.listed
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    return {"url": table.file, "dc:description": table.description, "tableSchema": schema}


def _variable(title: str, taken: set[str]) -> str:
    """A column name CSVW accepts (letters, digits and underscores), unique in its table."""
    name = "".join(
        character if character.isascii() and (character.isalnum() or character == "_") else "_" for character in title
    )
    while name in taken:
        name += "_"
    taken.add(name)
    return name


# -- writing -------------------------------------------------------------------------------------


def write_folder_parts(parts: Parts, folder: Path, options: Options) -> None:
    """The tables of a catalogue given in parts: a first pass finds the languages of the texts
    (their columns), a second writes the rows, a part at a time."""
    chosen = options.get("table")
    tables = [BY_NAME[chosen]] if chosen else list(TABLES)
    texts = _Texts(list(dict.fromkeys((options.get("languages") or "").replace(",", " ").split())))
    if options.get("language") is None:
        with collection_paused():  # the walk builds no cycles: see collection_paused
            for part in parts():
                texts.add(part)
        texts.check()
    headers = [_Header(table, texts, options) for table in tables]
    by_name = {header.table.name: header for header in headers}
    delimiter = DELIMITERS[options.get("delimiter", "comma")]
    with ExitStack() as stack:
        stack.enter_context(collection_paused())  # rows are tuples and lists: no cycles to find
        writers = {}
        streams = {}
        for header in headers:
            stream = stack.enter_context((folder / header.table.file).open("w", encoding="utf-8", newline=""))
            if options.get("bom") == "yes":
                stream.write("\ufeff")
            writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
            writer.writerow(header.titles)
            writers[header.table.name] = writer
            streams[header.table.name] = stream
        sinks: Sinks = {name: _sink(writer, by_name[name]) for name, writer in writers.items()}
        # Parts interleave the identifiers of organisations and people with those of the events: they
        # wait in spools and follow the events', so that parts and the whole write the same table.
        spools = []
        if "identifiers" in writers:
            for name in _SPOOLED:
                spool = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", newline=""))
                spools.append(spool)
                spooled = csv.writer(spool, delimiter=delimiter, lineterminator="\r\n")
                sinks[name] = _sink(spooled, by_name["identifiers"])
        rows = _Rows(sinks)
        out_of_order = [0, 0]  # sessions, recommendations
        for part in parts():
            rows.write(part)
            for index, count in enumerate(_out_of_order(part)):
                out_of_order[index] += count
        for spool in spools:
            spool.seek(0)
            shutil.copyfileobj(spool, streams["identifiers"])
    (folder / METADATA).write_bytes(orjson.dumps(metadata(headers, options), option=orjson.OPT_INDENT_2) + b"\n")
    _warn_of_order(*out_of_order)


def _moved(positions: Sequence[int | None]) -> int:
    """How many of a list's items that have a position are elsewhere than their position puts them
    among those places (what the reader, where position wins, would move)."""
    given = [position for position in positions if position is not None]
    return sum(1 for found, wanted in zip(given, sorted(given), strict=True) if found != wanted)


def _out_of_order(part: Catalogue) -> tuple[int, int]:
    """The sessions, and the recommendations, of a part out of the order of their positions."""
    sessions = recommendations = 0
    for event in part.events:
        sessions += _moved([session.position for session in event.sessions])
        for session in walk_sessions(event.sessions):
            if len(session.sessions) > 1:
                sessions += _moved([inner.position for inner in session.sessions])
            if len(session.recommendations) > 1:
                recommendations += _moved([item.position for item in session.recommendations])
    return sessions, recommendations


def _warn_of_order(sessions: int, recommendations: int) -> None:
    """A row's place in its table is its place in its list, and the reader puts the rows of a list
    in the order of their position: a list whose order contradicts it cannot come back as it was."""
    counted = [
        f"{count:,} {what if count == 1 else what + 's'}"
        for count, what in ((sessions, "session"), (recommendations, "recommendation"))
        if count
    ]
    if counted:
        warnings.warn(
            ExportWarning(
                f"csv: {' and '.join(counted)} out of the order of their position: the rows keep the catalogue's"
                " order, and read back are put in the order of position"
            ),
            stacklevel=2,
        )


def _sink(writer: Any, header: _Header) -> Callable[[Row], object]:
    """What writes a row of a table: the csv writer itself, where no multilingual column has to be spread."""
    write: Callable[[Row], object] = writer.writerow
    if not header.texts:
        return write
    cells = header.cells
    return lambda row: write(cells(row))


def write_folder(catalogue: Catalogue, folder: Path, options: Options) -> None:
    write_folder_parts(lambda: iter((catalogue,)), folder, options)


def write_parts(parts: Parts, stream: BinaryIO, options: Options) -> None:
    """One table as a CSV file (with the option ``table``), else the folder as a zip archive."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        write_folder_parts(parts, folder, options)
        if options.get("table"):
            with (folder / BY_NAME[options["table"]].file).open("rb") as table:
                while chunk := table.read(1 << 16):
                    stream.write(chunk)
        else:
            write_zip(folder, stream)


def write(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    write_parts(lambda: iter((catalogue,)), stream, options)
