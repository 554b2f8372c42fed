"""The ``csv`` format: spreadsheet-ready tables of a catalogue, described by CSVW metadata.

A folder (a zip archive when written to a stream) of one table per kind of thing, keyed by the same
ids as every other format, and ``csv-metadata.json``: a CSV on the Web table group with the
columns, datatypes, required columns, keys and property IRIs. UTF-8, CRLF, RFC 4180 quoting;
options for a BOM and ``;`` as the delimiter. A cell a spreadsheet would run as a formula gets an
apostrophe in front (:func:`mastery_model.tables.neutralised`), which the importer takes off.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias, cast

import orjson

from mastery_model.builtin.csv.tables import (
    BY_NAME,
    FIRST,
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
from mastery_model.conversion import format_date_time
from mastery_model.files import write_zip
from mastery_model.model import (
    Catalogue,
    Event,
    ExternalId,
    Location,
    Moment,
    Place,
    Session,
    Text,
    VirtualLocation,
    walk_sessions,
)
from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.plugins.records import Exporter, Option, Options, language_tag, language_tags
from mastery_model.problems import CannotCarry

Value: TypeAlias = str | int | Text | tuple[str, ...] | None
Row: TypeAlias = tuple[Value, ...]
Parts = Callable[[], Iterator[Catalogue]]

DELIMITERS = {"comma": ",", "semicolon": ";"}
#: The most languages one text column may have (the EU has 24 official languages, the UN 6).
MAX_LANGUAGES = 64


# -- rows ----------------------------------------------------------------------------------------


def _timing(start: Moment | None, end: Moment | None, zone: str | None) -> tuple[Value, ...]:
    """startDate, endDate, startTime, endTime, timeZone."""
    (start_date, start_time), (end_date, end_time) = _date(start), _date(end)
    return start_date, end_date, start_time, end_time, zone


def _date(moment: Moment | None) -> tuple[str | None, str | None]:
    """The cells of a start or an end: the date alone, or the date and time."""
    if isinstance(moment, datetime):
        return None, format_date_time(moment)
    return (None, None) if moment is None else (moment.isoformat(), None)


def _stamp(moment: datetime | None) -> str | None:
    return None if moment is None else format_date_time(moment)


def _day(moment: date | None) -> str | None:
    return None if moment is None else moment.isoformat()


class _Rows:
    """The rows of each table, a part of the catalogue at a time; people, organisations and
    campaigns that several parts share are written once."""

    def __init__(self) -> None:
        self.seen = SeenIds()

    def __call__(self, part: Catalogue) -> Iterator[tuple[str, Row]]:
        for campaign in part.campaigns:
            if self.seen.first(campaign.id):
                yield "campaigns", (campaign.id, campaign.name, campaign.url, _day(campaign.start), _day(campaign.end))
        for organisation in part.organisations:
            if self.seen.first(organisation.id):
                yield (
                    "organisations",
                    (
                        organisation.id,
                        organisation.kind.value,
                        organisation.name,
                        organisation.acronym,
                        organisation.country,
                        organisation.url,
                        organisation.parent,
                    ),
                )
                yield from _identifiers(organisation.id, organisation.external_ids, _SPOOLED[0])
        for person in part.people:
            if self.seen.first(person.id):
                yield (
                    "people",
                    (
                        person.id,
                        person.name,
                        person.given_name,
                        person.family_name,
                        person.job_title,
                        person.affiliations,
                        person.country,
                    ),
                )
                yield from _identifiers(person.id, person.external_ids, _SPOOLED[1])
        for event in part.events:
            yield from _event(event)


def _event(event: Event) -> Iterator[tuple[str, Row]]:
    attendance = event.attendance
    yield (
        "events",
        (
            event.id,
            event.name,
            event.description,
            *_timing(event.start, event.end, event.time_zone),
            None if event.attendance_mode is None else event.attendance_mode.value,
            None if event.status is None else event.status.value,
            event.campaign,
            event.organisers,
            event.funders,
            tuple(audience.value for audience in event.audience),
            event.languages,
            event.url,
            None if attendance is None else attendance.count,
            None if attendance is None else attendance.qualifier.value,
            _stamp(event.modified),
            event.revision,
        ),
    )
    yield from _locations(event.id, event.locations)
    yield from _identifiers(event.id, event.external_ids)
    for topic in event.topics:
        yield "topics", (event.id, topic)
    for keyword in event.keywords:
        yield "keywords", (event.id, keyword)
    stack: list[tuple[str | None, Session]] = [(None, session) for session in reversed(event.sessions)]
    while stack:  # depth first, in programme order
        parent, session = stack.pop()
        yield from _session(event.id, parent, session)
        stack.extend((session.id, child) for child in reversed(session.sessions))


def _session(event: str, parent: str | None, session: Session) -> Iterator[tuple[str, Row]]:
    yield (
        "sessions",
        (
            session.id,
            event,
            parent,
            session.name,
            session.description,
            None if session.kind is None else session.kind.value,
            *_timing(session.start, session.end, session.time_zone),
            session.position,
            None if session.status is None else session.status.value,
            session.url,
            session.language,
            session.country,
            _stamp(session.modified),
            session.revision,
        ),
    )
    yield from _locations(session.id, session.locations)
    yield from _identifiers(session.id, session.external_ids)
    for topic in session.topics:
        yield "topics", (session.id, topic)
    for contribution in session.contributions:
        yield "contributions", (session.id, contribution.contributor, contribution.role.value)
    for document in session.documents:
        yield (
            "documents",
            (
                document.id,
                session.id,
                document.name,
                document.url,
                document.media_type,
                document.language,
                document.authors,
                document.license,
            ),
        )
    for recommendation in session.recommendations:
        yield (
            "recommendations",
            (
                recommendation.id,
                session.id,
                recommendation.position,
                recommendation.scope,
                tuple(audience.value for audience in recommendation.audience),
                recommendation.text,
            ),
        )
        for topic in recommendation.topics:
            yield "topics", (recommendation.id, topic)


def _locations(subject: str, locations: tuple[Location, ...]) -> Iterator[tuple[str, Row]]:
    for location in locations:
        if isinstance(location, VirtualLocation):
            yield "locations", (subject, "VirtualLocation", location.url, location.platform, None, *(None,) * 5)
        else:
            yield "locations", (subject, "Place", None, None, location.name, *_address(location))


def _address(place: Place) -> tuple[str | None, ...]:
    address = place.address
    if address is None:
        return (None,) * 5
    return address.street, address.locality, address.region, address.postal_code, address.country


#: The identifiers of organisations and of people: rows of identifiers.csv, after those of the events.
_SPOOLED = ("identifiers:organisations", "identifiers:people")


def _identifiers(
    subject: str, external_ids: tuple[ExternalId, ...], name: str = "identifiers"
) -> Iterator[tuple[str, Row]]:
    for external_id in external_ids:
        yield name, (subject, external_id.scheme, external_id.value)


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
    writes in them, gathered without building the rows."""
    for campaign in part.campaigns:
        yield ("campaigns", "name"), campaign.name
    for organisation in part.organisations:
        yield ("organisations", "name"), organisation.name
    for person in part.people:
        yield ("people", "jobTitle"), person.job_title
    for event in part.events:
        yield ("events", "name"), event.name
        yield ("events", "description"), event.description
        yield from _place_names(event.locations)
        for session in walk_sessions(event.sessions):
            yield ("sessions", "name"), session.name
            yield ("sessions", "description"), session.description
            yield from _place_names(session.locations)
            for document in session.documents:
                yield ("documents", "name"), document.name
            for recommendation in session.recommendations:
                yield ("recommendations", "text"), recommendation.text


def _place_names(locations: tuple[Location, ...]) -> Iterator[tuple[tuple[str, str], Text | None]]:
    for location in locations:
        if isinstance(location, Place):
            yield ("locations", "name"), location.name


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

    def cells(self, row: Row) -> list[str]:
        # the common cells (empty, or text no spreadsheet would run) without a call: this is the
        # exporter's inner loop
        start, stop = self.runs[0]
        out = [value if type(value) is str and value[:1] not in FIRST else _cell(value) for value in row[start:stop]]
        for index, languages, reordered, start, stop in self.segments:
            text = cast("Text | None", row[index])
            if text is None:
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
            out += [
                value if type(value) is str and value[:1] not in FIRST else _cell(value) for value in row[start:stop]
            ]
        return out


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if type(value) is str:
        return neutralised(value)
    if type(value) is tuple:
        return SEPARATOR.join(value)
    return str(value)


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
        for part in parts():
            texts.add(part)
        texts.check()
    headers = [_Header(table, texts, options) for table in tables]
    by_name = {header.table.name: header for header in headers}
    delimiter = DELIMITERS[options.get("delimiter", "comma")]
    with ExitStack() as stack:
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
        sinks = {name: (writer.writerow, by_name[name].cells) for name, writer in writers.items()}
        # Parts interleave the identifiers of organisations and people with those of the events: they
        # wait in spools and follow the events', so that parts and the whole write the same table.
        spools = []
        if "identifiers" in writers:
            for name in _SPOOLED:
                spool = stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", newline=""))
                spools.append(spool)
                spooled = csv.writer(spool, delimiter=delimiter, lineterminator="\r\n")
                sinks[name] = (spooled.writerow, by_name["identifiers"].cells)
        rows = _Rows()
        for part in parts():
            for name, row in rows(part):
                sink = sinks.get(name)
                if sink is not None:
                    sink[0](sink[1](row))
        for spool in spools:
            spool.seek(0)
            shutil.copyfileobj(spool, streams["identifiers"])
    (folder / METADATA).write_bytes(orjson.dumps(metadata(headers, options), option=orjson.OPT_INDENT_2) + b"\n")


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


@hookimpl
def mastery_model_exporters() -> Sequence[Exporter]:
    return [
        Exporter(
            "csv",
            "CSV tables for spreadsheets, described by CSV on the Web metadata",
            "application/zip",
            ".zip",
            write=write,
            write_folder=write_folder,
            write_parts=write_parts,
            write_folder_parts=write_folder_parts,
            written_last=(METADATA,),
            options=(
                Option(
                    "delimiter", "comma, or semicolon as many European spreadsheets expect", "comma", tuple(DELIMITERS)
                ),
                Option(
                    "bom",
                    "yes: start each table with a byte order mark, which Excel needs to read UTF-8",
                    "no",
                    ("yes", "no"),
                ),
                Option(
                    "language",
                    "write texts in this language only (a BCP 47 tag), else a column per language",
                    check=language_tag,
                ),
                Option(
                    "languages",
                    "languages that have columns even where no text uses them (comma-separated)",
                    check=language_tags,
                ),
                Option(
                    "table",
                    "write only this table: to a stream, as one CSV file",
                    None,
                    tuple(table.name for table in TABLES),
                ),
            ),
        )
    ]
