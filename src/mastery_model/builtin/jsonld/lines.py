"""JSON Lines of canonical documents, an event a line: read whole, or a line at a time for a
writer that takes a catalogue in parts, with the checks between lines that :func:`load` makes."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import orjson

from mastery_model import conversion, validation
from mastery_model import reading as pipeline
from mastery_model.model import Campaign, Catalogue, Event, Organisation, Person, walk_sessions
from mastery_model.problems import InvalidDocument, Problem, Report, located
from mastery_model.reading import checked, collection_paused, parse, read_json, trusted
from mastery_model.selection import referred

_Entity = TypeVar("_Entity", Person, Organisation, Campaign)
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")


def is_json_lines(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in JSON_LINES_SUFFIXES


def read_lines(raw: bytes, source: str | None) -> tuple[Catalogue | None, Report]:
    merged = _Merger()
    problems = _lines_problems(enumerate(raw.splitlines(), start=1), merged, source)
    if problems:
        return None, Report(tuple(problems))
    whole = merged.catalogue()
    validation.validated.add(whole)  # each line checked, and the lines against each other
    return whole, Report(())


def _lines_problems(
    lines: Iterable[tuple[int, bytes]], across: _AcrossLines, source: str | None, *, streamed: bool = False
) -> list[Problem]:
    """Every problem of the numbered lines of JSON Lines (see :func:`_checked_lines`)."""
    problems: list[Problem] = []
    for _catalogue in _checked_lines(lines, across, source, problems, streamed=streamed):
        pass
    return problems


def _checked_lines(
    lines: Iterable[tuple[int, bytes]],
    across: _AcrossLines,
    source: str | None,
    problems: list[Problem],
    *,
    streamed: bool = False,
) -> Iterator[Catalogue]:
    """The catalogues of the numbered lines of JSON Lines while none has a problem; every problem
    is added to ``problems``: each line's own, then those ``across`` finds between it and the
    lines before. Lines ``streamed`` are not kept: the collector is paused a line at a time, as when
    they are written (whatever a line leaves for it is then collected before the next, not at the
    end of the file), and no problem is looked for after a line that is not JSON (a file read as
    lines by its name alone may hold no lines of JSON at all)."""
    # merging builds no cycles either: paused over all the lines kept, the collector would otherwise
    # walk every line's model again and again
    with contextlib.nullcontext() if streamed else collection_paused():
        for number, line in lines:
            if not line.strip():
                continue
            with collection_paused() if streamed else contextlib.nullcontext():
                try:
                    document = parse(line)
                except InvalidDocument as error:
                    problems.extend(located(error.report.problems, source, number))
                    if streamed:
                        break
                    continue
                catalogue, layout, found = checked(document)
                problems.extend(located(found, source, number))
                if catalogue is not None:
                    problems.extend(located(across.add(catalogue, layout, number), source, number))
            if catalogue is not None and not problems:
                yield catalogue
    if across.empty and not problems:
        problems.append(Problem("", "no document in the JSON Lines input", None, source))


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
    with _opened_lines(path) as numbered:
        yield _parts(numbered, path)


@contextlib.contextmanager
def checked_line_parts(
    path: str | os.PathLike[str], *, ahead: bool = True
) -> Iterator[Callable[[], Iterator[Catalogue]]]:
    """:func:`line_parts`, once a first pass through the same handle has found the file to be what
    :func:`~mastery_model.load` accepts: every line valid, and the lines consistent with each other
    (an entity several lines carry the same on each, no id within an event used on another line);
    else :class:`InvalidDocument` with every problem, as ``load`` reports them, up to the first line
    that is not JSON. The first pass keeps digests of the ids and of each shared entity, not the
    events: memory still follows the largest event.

    Not ``ahead``, the checks are made in the writer's first pass instead, which ends in the
    report once a line has a problem (every problem of the file found): for an output that is put
    in place only when complete, as a file or a folder is, that writes nothing all the same, and
    saves a pass."""
    with _opened_lines(path) as numbered:
        trusted = _parts(numbered, path, checked=True)
        if ahead:
            problems = _lines_problems(numbered(), _AcrossLines(), str(path), streamed=True)
            if problems:
                raise InvalidDocument(Report(tuple(problems)))
            yield trusted
            return
        passes = 0

        def checking_first() -> Iterator[Catalogue]:
            nonlocal passes
            passes += 1
            if passes > 1:
                yield from trusted()
                return
            problems: list[Problem] = []
            yield from _checked_lines(numbered(), _AcrossLines(), str(path), problems, streamed=True)
            if problems:
                raise InvalidDocument(Report(tuple(problems)))

        yield checking_first


def _parts(
    numbered: Callable[[], Iterator[tuple[int, bytes]]], path: str | os.PathLike[str], *, checked: bool = False
) -> Callable[[], Iterator[Catalogue]]:
    """The documents of the numbered lines, a pass each call; the first line with problems raises.
    Lines a first pass ``checked`` (the file unchanged since, as each pass makes sure) are only
    parsed, given their ids and structured: checking them again would double a pass's time."""

    def parts() -> Iterator[Catalogue]:
        read = 0
        for number, line in numbered():
            if not line.strip():
                continue
            if checked:
                yield trusted(line)
                read += 1
                continue
            catalogue, _layout, problems = read_json(line)
            if catalogue is None:
                raise InvalidDocument(Report(tuple(located(problems, str(path), number))))
            read += 1
            yield catalogue
        if not read:
            raise InvalidDocument(Report((Problem("", "no document in the JSON Lines input", None, str(path)),)))

    return parts


@contextlib.contextmanager
def _opened_lines(path: str | os.PathLike[str]) -> Iterator[Callable[[], Iterator[tuple[int, bytes]]]]:
    """The numbered lines of a file, to read as often as needed through the one handle opened here."""
    try:
        lines = Path(path).open("rb")  # noqa: SIM115 - closed by the ``with`` below; here its failure is reported
    except OSError as error:
        raise InvalidDocument(
            Report((Problem("", f"cannot read the file: {error.strerror}", None, str(path)),))
        ) from None
    with lines:
        opened = _stamp(lines)

        def numbered() -> Iterator[tuple[int, bytes]]:
            _unchanged(lines, opened, path)
            lines.seek(0)
            limit = pipeline.MAX_DOCUMENT_BYTES
            for number, line in enumerate(iter(lambda: lines.readline(limit + 1), b""), start=1):
                if len(line) > limit:
                    message = f"the line holds more than the {limit:,} bytes a document may have"
                    raise InvalidDocument(Report((Problem("", message, None, str(path), number),)))
                yield number, line
            _unchanged(lines, opened, path)

        yield numbered


def _stamp(handle: BinaryIO) -> tuple[int, int]:
    status = os.fstat(handle.fileno())
    return status.st_size, status.st_mtime_ns


def _unchanged(handle: BinaryIO, opened: tuple[int, int], path: str | os.PathLike[str]) -> None:
    if _stamp(handle) != opened:
        message = "the file changed while it was being read; nothing was written"
        raise InvalidDocument(Report((Problem("", message, None, str(path)),)))


class _AcrossLines:
    """The checks between the documents of JSON Lines, without keeping them: an id within an event
    is on one line only, and an entity several lines carry is the same on each. Ids are kept as
    128-bit digests, entities as the digest of their canonical bytes, which equal entities share
    (their fields hold no values that compare equal written differently): what grows with the
    number of events is a few dozen bytes an id."""

    def __init__(self) -> None:
        self.lines: dict[Any, int] = {}  # id of an event or what it holds -> its line
        self.shared: dict[str, dict[Any, tuple[Any, int]]] = {"people": {}, "organisations": {}, "campaigns": {}}
        self.events = 0

    @property
    def empty(self) -> bool:
        return not self.events and not any(self.shared.values())

    def add(self, catalogue: Catalogue, layout: conversion.Layout, line: int) -> list[Problem]:
        problems = []
        for event, pointer in zip(catalogue.events, layout["events"], strict=True):
            for identifier in _ids_within(event):
                on = self.lines.setdefault(self.key(identifier), line)
                if on != line:
                    problems.append(Problem(pointer, f"an id of this event is used on line {on} too", identifier))
        self.events += len(catalogue.events)
        for kind, known in self.shared.items():
            for entity, pointer in zip(getattr(catalogue, kind), layout[kind], strict=True):
                kept = self.kept(entity)
                known_entity, known_line = known.setdefault(self.key(entity.id), (kept, line))
                if known_entity is not kept and known_entity != kept:
                    message = f"the entity with this id differs from the one on line {known_line}"
                    problems.append(Problem(pointer, message, entity.id))
        return problems

    def key(self, identifier: str) -> Any:
        """What an id is remembered by."""
        return _digest(identifier.encode("utf-8", "surrogatepass"))

    def kept(self, entity: Person | Organisation | Campaign) -> Any:
        """What is kept of an entity to compare with its namesakes on later lines."""
        return _digest(orjson.dumps(conversion.converter.unstructure(entity)))


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class _Merger(_AcrossLines):
    """Joins the documents of JSON Lines, checked as :class:`_AcrossLines` checks them."""

    def __init__(self) -> None:
        super().__init__()
        self.all_events: list[Event] = []

    def add(self, catalogue: Catalogue, layout: conversion.Layout, line: int) -> list[Problem]:
        self.all_events.extend(catalogue.events)
        return super().add(catalogue, layout, line)

    def key(self, identifier: str) -> Any:
        return identifier  # the catalogue is held whole anyway: no digest to compute

    def kept(self, entity: Person | Organisation | Campaign) -> Any:
        return entity  # the entity itself, to be part of the catalogue; attrs compares field by field

    def catalogue(self) -> Catalogue:
        return Catalogue(
            events=tuple(self.all_events),
            **{kind: tuple(entity for entity, _line in known.values()) for kind, known in self.shared.items()},
        )


def _ids_within(event: Event) -> Iterator[str]:
    yield event.id
    for session in walk_sessions(event.sessions):
        yield session.id
        yield from (document.id for document in session.documents)
        yield from (recommendation.id for recommendation in session.recommendations)


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
