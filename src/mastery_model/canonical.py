"""The canonical format: JSON-LD 1.1 under the library's context, one document or JSON Lines.

Reading goes: bytes -> JSON -> schemas -> ids -> model -> meaning; every step reports all it
finds, and a document with any problem raises :class:`InvalidDocument` with the whole report.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import orjson

from mastery_model import conversion, identity, validation
from mastery_model.files import write_atomically
from mastery_model.model import Campaign, Catalogue, Event, Organisation, Person, walk_sessions
from mastery_model.problems import InvalidDocument, Problem, Report, located
from mastery_model.schemas import CONTEXT_IRI
from mastery_model.selection import referred

_BOM = b"\xef\xbb\xbf"
_Entity = TypeVar("_Entity", Person, Organisation, Campaign)
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
#: The most bytes a reader takes in as one document: a file read whole, or a line of JSON Lines
#: streamed. About eight times as much memory is needed to read one.
MAX_DOCUMENT_BYTES = 512 << 20


# -- reading -----------------------------------------------------------------------------------


def loads(data: bytes | str, *, lines: bool = False, source: str | None = None) -> Catalogue:
    """The catalogue in a canonical document (or, with ``lines``, in JSON Lines)."""
    catalogue, report = _read(data, lines=lines, source=source)
    if catalogue is None:
        raise InvalidDocument(report)
    return catalogue


def validate(target: Catalogue | bytes, *, lines: bool = False, source: str | None = None) -> Report:
    """Every problem in a model, or in a document's bytes (JSON Lines with ``lines``); empty when valid.

    ``source`` names where the bytes came from, in the report.
    """
    if isinstance(target, Catalogue):
        too_deep = validation.model_depth_problems(target)
        if too_deep:  # deeper models would only exhaust the stack of the conversion
            return Report(tuple(too_deep))
        document = conversion.unstructure_document(target)
        problems = validation.schema_problems(document)
        if not problems:
            problems = validation.meaning_problems(target, conversion.canonical_layout(target))
        return Report(tuple(problems))
    return _read(target, lines=lines, source=source)[1]


def _is_json_lines(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in JSON_LINES_SUFFIXES


def _read(data: bytes | str, *, lines: bool, source: str | None = None) -> tuple[Catalogue | None, Report]:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if lines:
        return _read_lines(raw, source)
    catalogue, _layout, problems = _read_document(raw)
    return catalogue, Report(tuple(located(problems, source)))


def _read_document(raw: bytes) -> tuple[Catalogue | None, conversion.Layout, list[Problem]]:
    with collection_paused():
        return _read_document_now(raw)


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a document is read or written.

    Reading and writing build many objects and no cycles; the collector would walk them all again
    and again (a third of the time of a large load). It runs as before once the work is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_document_now(raw: bytes) -> tuple[Catalogue | None, conversion.Layout, list[Problem]]:
    try:
        document = parse(raw)
    except InvalidDocument as error:
        return None, {}, list(error.report.problems)
    return _checked(document)


def parse(raw: bytes) -> Any:
    """The JSON in ``raw`` (a UTF-8 byte order mark allowed); :class:`InvalidDocument` when it is not JSON."""
    try:
        return orjson.loads(raw.removeprefix(_BOM))
    except orjson.JSONDecodeError as error:
        raise InvalidDocument(Report((_syntax_problem(error, raw),))) from None


def read_document(document: Any, *, source: str | None = None) -> Catalogue:
    """The catalogue in a canonical document given as JSON-ready Python data (not modified).

    Importers of other formats build such a document and hand it here, so that what they read
    passes through the same validation as a canonical file.
    """
    try:
        own = orjson.loads(orjson.dumps(document))  # ids are written into it; the caller's stays as it is
    except (TypeError, orjson.JSONEncodeError) as error:
        raise InvalidDocument(Report((Problem("", f"the document is not JSON data: {error}", None, source),))) from None
    with collection_paused():
        catalogue, _layout, problems = _checked(own)
    if catalogue is None:
        raise InvalidDocument(Report(tuple(located(problems, source))))
    return catalogue


def _checked(document: Any) -> tuple[Catalogue | None, conversion.Layout, list[Problem]]:
    """Schemas, ids, model, meaning: the catalogue, or every problem of the first layer that has any."""
    problems = validation.schema_problems(document) or validation.in_document_order(identity.assign_ids(document))
    if problems:
        return None, {}, problems
    catalogue, layout = conversion.structure_document(document)
    problems = validation.meaning_problems(catalogue, layout)
    if problems:
        return None, layout, problems
    validation.validated.add(catalogue)  # exporting it needs no second check
    return catalogue, layout, problems


def _syntax_problem(error: orjson.JSONDecodeError, raw: bytes) -> Problem:
    if not raw.strip():
        return Problem("", "the document is empty; expected a JSON object", None)
    message = error.msg
    if "UTF-8" in message:
        return Problem("", "the document is not UTF-8 text", None)
    if "depth" in message or "recursion" in message.lower():
        return Problem("", "the JSON nests too deeply to be a document", None, line=error.lineno)
    return Problem(
        "", f"not valid JSON: {message} (line {error.lineno}, column {error.colno})", None, line=error.lineno
    )


def _read_lines(raw: bytes, source: str | None) -> tuple[Catalogue | None, Report]:
    problems: list[Problem] = []
    merged = _Merger()
    with collection_paused():  # merging builds no cycles either; the collector would walk every line's model
        for number, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            catalogue, layout, found = _read_document(line)
            problems.extend(located(found, source, number))
            if catalogue is not None:
                problems.extend(located(merged.add(catalogue, layout, number), source, number))
    if merged.empty and not problems:
        problems.append(Problem("", "no document in the JSON Lines input", None, source))
    if problems:
        return None, Report(tuple(problems))
    whole = merged.catalogue()
    validation.validated.add(whole)  # each line checked, and the lines against each other
    return whole, Report(())


def iter_line_catalogues(path: str | os.PathLike[str]) -> Iterator[Catalogue]:
    """The documents of a JSON Lines file, a line at a time, each validated on its own: memory holds
    one event's document, however many lines there are. The first line with problems raises
    :class:`InvalidDocument`; checks across lines (``load`` makes them) are not made."""
    with line_parts(path) as parts:
        yield from parts()


@contextlib.contextmanager
def line_parts(path: str | os.PathLike[str]) -> Iterator[Callable[[], Iterator[Catalogue]]]:
    """The documents of a JSON Lines file as parts to read as often as a writer needs (see
    :func:`mastery_model.exporting.export_parts`), each pass through the one handle opened here: a
    file replaced meanwhile is not seen, and one changed in place is refused rather than mixed in."""
    try:
        lines = Path(path).open("rb")  # noqa: SIM115 - closed by the ``with`` below; here its failure is reported
    except OSError as error:
        raise InvalidDocument(
            Report((Problem("", f"cannot read the file: {error.strerror}", None, str(path)),))
        ) from None
    with lines:
        opened = _stamp(lines)

        def parts() -> Iterator[Catalogue]:
            _unchanged(lines, opened, path)
            lines.seek(0)
            read = 0
            for number, line in enumerate(iter(lambda: lines.readline(MAX_DOCUMENT_BYTES + 1), b""), start=1):
                if len(line) > MAX_DOCUMENT_BYTES:
                    message = f"the line holds more than the {MAX_DOCUMENT_BYTES:,} bytes a document may have"
                    raise InvalidDocument(Report((Problem("", message, None, str(path), number),)))
                if not line.strip():
                    continue
                catalogue, _layout, problems = _read_document(line)
                if catalogue is None:
                    raise InvalidDocument(Report(tuple(located(problems, str(path), number))))
                read += 1
                yield catalogue
            _unchanged(lines, opened, path)
            if not read:
                raise InvalidDocument(Report((Problem("", "no document in the JSON Lines input", None, str(path)),)))

        yield parts


def _stamp(handle: BinaryIO) -> tuple[int, int]:
    status = os.fstat(handle.fileno())
    return status.st_size, status.st_mtime_ns


def _unchanged(handle: BinaryIO, opened: tuple[int, int], path: str | os.PathLike[str]) -> None:
    if _stamp(handle) != opened:
        message = "the file changed while it was being read; nothing was written"
        raise InvalidDocument(Report((Problem("", message, None, str(path)),)))


class _Merger:
    """Joins the documents of JSON Lines: an entity several lines carry must be the same on each."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.lines: dict[str, int] = {}  # id of an event or what it holds -> its line
        self.shared: dict[str, dict[str, tuple[Any, int]]] = {"people": {}, "organisations": {}, "campaigns": {}}

    @property
    def empty(self) -> bool:
        return not self.events and not any(self.shared.values())

    def add(self, catalogue: Catalogue, layout: conversion.Layout, line: int) -> list[Problem]:
        problems = []
        for event, pointer in zip(catalogue.events, layout["events"], strict=True):
            for identifier in _ids_within(event):
                on = self.lines.setdefault(identifier, line)
                if on != line:
                    problems.append(Problem(pointer, f"an id of this event is used on line {on} too", identifier))
        self.events.extend(catalogue.events)
        for kind, known in self.shared.items():
            for entity, pointer in zip(getattr(catalogue, kind), layout[kind], strict=True):
                known_entity, known_line = known.setdefault(entity.id, (entity, line))
                if known_entity is not entity and known_entity != entity:  # attrs compares field by field
                    message = f"the entity with this id differs from the one on line {known_line}"
                    problems.append(Problem(pointer, message, entity.id))
        return problems

    def catalogue(self) -> Catalogue:
        return Catalogue(
            events=tuple(self.events),
            **{kind: tuple(entity for entity, _line in known.values()) for kind, known in self.shared.items()},
        )


def _ids_within(event: Event) -> Iterator[str]:
    yield event.id
    for session in walk_sessions(event.sessions):
        yield session.id
        yield from (document.id for document in session.documents)
        yield from (recommendation.id for recommendation in session.recommendations)


# -- writing -----------------------------------------------------------------------------------


def dumps(catalogue: Catalogue, *, lines: bool = False) -> bytes:
    """The canonical document of a catalogue; the same model always gives the same bytes."""
    with collection_paused():  # node trees hold no cycles: see collection_paused
        return b"".join(iter_lines(catalogue) if lines else iter_document(catalogue))


def iter_document(catalogue: Catalogue) -> Iterator[bytes]:
    """The canonical document in pieces, a node of its ``@graph`` at a time, so that a large one
    streams: the same bytes as the whole document indented by two spaces. (Writers pause the
    collector around it: see :func:`collection_paused`.)"""
    nodes = conversion.unstructure_nodes(catalogue)
    return document_pieces(orjson.dumps(node, option=orjson.OPT_INDENT_2) for node in nodes)


def document_pieces(nodes: Iterable[bytes]) -> Iterator[bytes]:
    """The canonical document around its ``@graph``'s nodes, each given as ``orjson`` writes it
    indented by two spaces."""
    yield b'{\n  "@context": ' + orjson.dumps(CONTEXT_IRI) + b',\n  "@graph": ['
    separator = b"\n    "
    for node in nodes:
        yield separator + node.replace(b"\n", b"\n    ")
        separator = b",\n    "
    yield b"]\n}\n" if separator == b"\n    " else b"\n  ]\n}\n"  # an empty list is written []


def dump(catalogue: Catalogue, path: str | os.PathLike[str]) -> None:
    """Write the canonical document to ``path`` atomically (JSON Lines for ``.jsonl``)."""
    lines = _is_json_lines(path)
    with collection_paused():
        write_atomically(path, iter_lines(catalogue) if lines else [dumps(catalogue)])


def iter_lines(catalogue: Catalogue) -> Iterator[bytes]:
    """One JSON Lines line per event: a whole document with the entities the event refers to,
    sorted by id, so that a line is the same however the catalogue it came from was ordered.
    (Writers pause the collector around it, once: resumed after each event, it would walk the
    whole model.)"""
    people = {person.id: person for person in catalogue.people}
    organisations = {organisation.id: organisation for organisation in catalogue.organisations}
    campaigns = {campaign.id: campaign for campaign in catalogue.campaigns}
    for event in catalogue.events:
        wanted = referred((event,), people, organisations)
        alone = Catalogue(
            events=(event,),
            people=_sorted_by_id(people[i] for i in wanted if i in people),
            organisations=_sorted_by_id(organisations[i] for i in wanted if i in organisations),
            campaigns=(campaigns[event.campaign],) if event.campaign in campaigns else (),
        )
        yield orjson.dumps(conversion.unstructure_document(alone)) + b"\n"


def _sorted_by_id(entities: Iterable[_Entity]) -> tuple[_Entity, ...]:
    return tuple(sorted(entities, key=lambda entity: entity.id))
