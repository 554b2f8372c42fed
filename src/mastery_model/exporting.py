"""Exporting a catalogue through the installed format plugins, and what the plugins offer."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import attrs
from attrs import frozen

from mastery_model import files, reading, validation, vocabulary
from mastery_model.builtin.jsonld import lines
from mastery_model.model import Catalogue, Event
from mastery_model.plugins import Formats, installed
from mastery_model.plugins.records import Exporter, checked_options
from mastery_model.problems import (
    CannotCarry,
    EmptySelection,
    ExportWarning,
    FormatClash,
    MasteryError,
    MissingData,
    OutputIsInput,
    PluginError,
)
from mastery_model.selection import Selection

Destination = str | os.PathLike[str] | BinaryIO


#: The format whose empty output is the template to fill in (see :func:`write_template`).
TEMPLATE_FORMAT = "csv"
#: The job under which :func:`export_all` lists, in its folder's manifest, what it wrote there.
ALL = "all"
#: What every format needs: a catalogue without events would be written as something no reader accepts.
NO_EVENT = "an event (the catalogue holds none)"

#: The format of JSON Lines, which :func:`export_file` reads a line at a time.
LINES_FORMAT = "jsonl"

Parts = Callable[[], Iterator[Catalogue]]


def export(
    catalogue: Catalogue,
    format: str,
    destination: Destination,
    *,
    select: Selection | None = None,
    registry: Formats | None = None,
    inputs: Collection[str | os.PathLike[str]] = (),
    **options: str,
) -> None:
    """Write ``catalogue`` (or the part ``select`` keeps) in ``format`` to ``destination``.

    The destination is a binary stream, ``"-"`` (standard output), or a path: a file (replaced
    whole, or not at all; a device or a FIFO is written to directly; a symlink's target is
    replaced), or a folder for a format of several files (each of its files replaced, the folder's
    other files left as they are; see docs/exporting.md). ``inputs`` are what the catalogue was read
    from: an output that would overwrite one is refused (:class:`~mastery_model.problems.OutputIsInput`).
    Raises :class:`~mastery_model.InvalidDocument` with the report when the catalogue is not valid
    (one built in code is checked as a document read is: exporters are given valid data only),
    :class:`~mastery_model.MissingData` when the catalogue lacks what the format
    needs (any event at all, to begin with), :class:`~mastery_model.problems.CannotCarry` (a kind of
    it) when the catalogue has more events than a file of the format holds (``Exporter.max_events``;
    a folder given to such a format gets a file per event, see :func:`event_file_names`),
    :class:`~mastery_model.problems.EmptySelection` when the selection keeps nothing, and
    :class:`OSError` naming ``destination`` when it cannot be written.
    """
    registry = registry or installed()
    exporter = registry.exporter(format)
    values = checked_options(exporter.name, options, exporter.options)
    if catalogue.events:  # without events it is refused below, whatever it holds
        # Exporters are given a valid catalogue: one built in code may hold what breaks a format's
        # syntax (a language tag or a URL with a line break starts a property of its own in iCalendar).
        # One the library read, or an export checked, is known valid: checking costs more than writing.
        validation.validated.ensure(catalogue, reading.validate_catalogue)
    chosen = select.apply(catalogue) if select else catalogue
    if not chosen.events:
        raise MissingData(exporter.name, [NO_EVENT])
    _refuse_too_many(exporter, destination, [event.id for event in chosen.events])
    with _KeptWarnings() as caught:
        _write(registry, exporter, destination, inputs, values, whole=chosen)
    _warn_at_caller(caught)


def write_template(destination: Destination, *, registry: Formats | None = None, **options: str) -> None:
    """The empty tables of the csv format, with their metadata, to fill in a spreadsheet and read
    back (the one output of a catalogue without events); ``destination`` as for :func:`export`."""
    registry = registry or installed()
    exporter = registry.exporter(TEMPLATE_FORMAT)
    _write(registry, exporter, destination, (), checked_options(exporter.name, options, exporter.options), Catalogue())


def export_parts(
    parts: Parts,
    format: str,
    destination: Destination,
    *,
    select: Selection | None = None,
    registry: Formats | None = None,
    inputs: Collection[str | os.PathLike[str]] = (),
    **options: str,
) -> None:
    """Write a catalogue given in parts (an event each, as
    :func:`~mastery_model.builtin.jsonld.lines.line_parts` reads JSON Lines): formats that can hold
    one part at a time do; the others get it whole. A selection applies to each part; one that
    keeps nothing of any part is an error. Destinations as for :func:`export`."""
    registry = registry or installed()
    exporter = registry.exporter(format)
    if not exporter.writes_parts(_to_folder(exporter, destination)):
        # :func:`export` checks the whole before its exporter sees it
        whole = list((_selected(parts, select) if select else parts)())
        merged = Catalogue(
            events=tuple(event for part in whole for event in part.events),
            **{
                kind: tuple({e.id: e for part in whole for e in getattr(part, kind)}.values())
                for kind in ("people", "organisations", "campaigns")
            },
        )
        forwarded: dict[str, Any] = dict(options)
        with _KeptWarnings() as caught:
            export(merged, format, destination, registry=registry, inputs=inputs, **forwarded)
        _warn_at_caller(caught)
        return
    values = checked_options(exporter.name, options, exporter.options)

    def checked() -> Iterator[Catalogue]:
        """Each part checked as :func:`export` checks a catalogue, before it is selected from: one
        the library read is known valid; an invalid one is refused, a path then left as it was (a
        stream has had the parts before it)."""
        for part in parts():
            if part.events or part.people or part.organisations or part.campaigns:
                validation.validated.ensure(part, reading.validate_catalogue)
            yield part

    kept = _selected(checked, select) if select else checked
    if exporter.max_events is not None and not _per_event(exporter, destination):
        # a pass of its own: a stream has had what was written before a later part could be refused
        _refuse_too_many(exporter, destination, [event.id for part in kept() for event in part.events])
    with _KeptWarnings() as caught:
        _write(registry, exporter, destination, inputs, values, parts=_with_events(kept, exporter.name))
    _warn_at_caller(caught)


def export_file(
    source: str | os.PathLike[str],
    format: str,
    destination: Destination,
    *,
    source_format: str | None = None,
    source_options: Mapping[str, str] | None = None,
    select: Selection | None = None,
    registry: Formats | None = None,
    **options: str,
) -> None:
    """Write the catalogue of the file (or folder) ``source`` in ``format`` to ``destination``;
    ``source_options`` are those of its importer, ``options`` those of the exporter.

    JSON Lines (``source_format="jsonl"``, or a file named ``.jsonl`` or ``.ndjson`` when
    ``source_format`` is None) go to a format that writes a part at a time an event at a time:
    memory follows the largest event and the number of ids, not the events themselves. Every line
    is checked, and the lines against each other, as :func:`~mastery_model.load` does, before
    anything is written (keeping a digest of each id and of each shared entity): in a pass of its
    own to a stream, in the writer's first pass to a file or folder, put in place only when whole.
    Any other input is loaded (``source_format`` names its format; else it is recognised) and
    written as :func:`export` writes a catalogue. The output is the same bytes either way.

    ``select``, ``options`` (the exporter's), ``destination`` and the errors are those of
    :func:`export`; an output that would overwrite ``source`` is refused.
    """
    from mastery_model import importing  # here, not above: importing imports this module

    registry = registry or installed()
    registry.exporter(format)  # an unknown format is refused before the input is read
    if source_format is not None:
        registry.importer(source_format)
    inputs = [source]
    with _KeptWarnings() as caught:
        if _streams(source, source_format, format, destination, registry):
            # an output put in place only when complete needs no pass of its own to check the input first
            whole_or_nothing = isinstance(destination, (str, os.PathLike)) and not (
                files.is_stdout(destination) or files.is_special(destination)
            )
            checked_options(LINES_FORMAT, dict(source_options or {}), registry.importer(LINES_FORMAT).options)
            with lines.checked_line_parts(source, ahead=not whole_or_nothing) as parts:
                export_parts(parts, format, destination, select=select, registry=registry, inputs=inputs, **options)
        else:
            catalogue = importing.load(source, format=source_format, registry=registry, **(source_options or {}))
            export(catalogue, format, destination, select=select, registry=registry, inputs=inputs, **options)
    _warn_at_caller(caught)


def _streams(
    source: str | os.PathLike[str], source_format: str | None, format: str, destination: Destination, registry: Formats
) -> bool:
    """Whether the input is JSON Lines, by its format's name or else by its own name alone, going
    to a format that writes a part at a time. A file so named is read as lines whatever it holds:
    telling a document apart would mean reading it first."""
    from mastery_model import importing  # see export_file

    if importing.is_folder(source):
        return False
    as_lines = source_format == LINES_FORMAT or (
        source_format is None and Path(source).suffix.lower() in lines.JSON_LINES_SUFFIXES
    )
    return as_lines and writes_parts(format, destination, registry)


def writes_parts(format: str, destination: Destination, registry: Formats | None = None) -> bool:
    """Whether ``format`` writes a catalogue given in parts to ``destination`` a part at a time."""
    exporter = (registry or installed()).exporter(format)
    return exporter.writes_parts(_to_folder(exporter, destination))


def _write(
    registry: Formats,
    exporter: Exporter,
    destination: Destination,
    inputs: Collection[str | os.PathLike[str]],
    options: Mapping[str, str],
    whole: Catalogue | None = None,
    parts: Parts | None = None,
) -> None:
    """``whole``, or ``parts``, written to ``destination`` by the rules of :mod:`mastery_model.files`;
    then a warning, with counts, of the values of fields the format has no place for."""
    losses: dict[str, int] = dict.fromkeys(exporter.leaves_out, 0)
    if parts is not None:
        parts = _counting(parts, losses)
    elif whole is not None and losses:
        losses = vocabulary.count_set([whole], exporter.leaves_out)
    try:
        if not isinstance(destination, (str, os.PathLike)):  # a stream
            _write_stream(exporter, destination, options, whole, parts)
        elif _per_event(exporter, destination):
            with files.output_folder(destination, job=exporter.name, inputs=inputs) as folder:
                _write_per_event(exporter, folder, options, parts or (lambda: iter((whole,) if whole else ())))
        elif _to_folder(exporter, destination):
            with files.output_folder(
                destination, job=exporter.name, last=exporter.written_last, inputs=inputs
            ) as folder:
                if parts is not None and exporter.write_folder_parts is not None:
                    exporter.write_folder_parts(parts, folder, options)
                else:
                    assert exporter.write_folder is not None
                    assert whole is not None
                    exporter.write_folder(whole, folder, options)
        else:
            with files.output_stream(destination, inputs=inputs) as stream:
                _write_stream(exporter, stream, options, whole, parts)
    except (MasteryError, OSError):
        raise
    except Exception as error:  # a fault in the plugin's code, not in the data
        plugin = registry.exporters[exporter.name].provenance
        raise PluginError(
            f"the exporter {exporter.name!r} of the plugin {plugin.plugin!r} ({plugin.package} {plugin.version}) "
            f"failed: {type(error).__name__}: {error}"
        ) from error
    _warn_of_losses(exporter, losses)


# -- formats of one event -------------------------------------------------------------------------


def _per_event(exporter: Exporter, destination: Destination) -> bool:
    """Whether ``destination`` is a folder given to a format of one file that holds a bounded
    number of events (``Exporter.max_events``): a path ending in ``/``, or an existing folder."""
    if exporter.max_events is None or exporter.write_folder is not None:
        return False
    if not isinstance(destination, (str, os.PathLike)) or files.is_stream_path(destination):
        return False
    given = os.fspath(destination)
    return given.endswith(("/", os.sep)) or os.path.isdir(given)


#: How many of the events' ids a refusal names: enough to pick one with ``--id``.
_NAMED_EVENTS = 3


def _refuse_too_many(exporter: Exporter, destination: Destination, events: Sequence[str]) -> None:
    """:class:`CannotCarry` when one file of the format would get more events than it holds."""
    most = exporter.max_events
    if most is None or len(events) <= most or _per_event(exporter, destination):
        return
    named = ", ".join(events[:_NAMED_EVENTS]) + (
        f" and {len(events) - _NAMED_EVENTS:,} more" if len(events) > _NAMED_EVENTS else ""
    )
    holds = "one event" if most == 1 else f"{most:,} events"
    raise CannotCarry(
        exporter.name,
        f"{len(events):,} events in one file, which holds {holds}: keep {'one' if most == 1 else 'fewer'} with a "
        f"selection (--id ID on the command line, select=Selection(ids=...) from Python; the events: {named}), "
        f"or give a folder (a path ending in /) to write a file per event",
    )


def _write_per_event(exporter: Exporter, folder: Path, options: Mapping[str, str], parts: Parts) -> None:
    """Each event of ``parts`` in a file of its own in ``folder``, with what it refers to, named by
    :func:`event_file_names`."""
    names = event_file_names([event for part in parts() for event in part.events], exporter.extension)
    for part in parts():
        for event in part.events:
            single = Selection(ids=(event.id,)).apply(part)
            with (folder / names[event.id]).open("wb") as stream:
                _write_stream(exporter, stream, options, single, None)


#: What an event's file name keeps of its name, at most.
_NAME_LENGTH = 60
_NOT_NAME = re.compile(r"[^a-z0-9]+")
#: Names Windows keeps for its devices, whatever the extension.
_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))})


def event_file_names(events: Iterable[Event], extension: str) -> dict[str, str]:
    """The file of each event (by id) when a format of one event is written to a folder: its name
    in its default language, in ASCII letters and digits, lower case, words joined by hyphens, at
    most 60 characters, then ``extension`` (``webinar-one.xml``). A name that gives nothing, a
    device's name, and a name two events share get the first 8 hexadecimal digits of the SHA-256
    of their id after it (``event-1f0e3d2c.xml``): the same events give the same names in any order."""
    slugs = {event.id: _slug(str(event.name)) for event in events}
    shared = Counter(slugs.values())
    names: dict[str, str] = {}
    for identifier, slug in slugs.items():
        if not slug or slug in _DEVICES or shared[slug] > 1:
            slug = f"{slug or 'event'}-{hashlib.sha256(identifier.encode()).hexdigest()[:8]}"
        names[identifier] = slug + extension
    if len(set(names.values())) < len(names):  # a name with a digest another event's name spells
        names = {key: f"{hashlib.sha256(key.encode()).hexdigest()}{extension}" for key in names}
    return names


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _NOT_NAME.sub("-", ascii_name).strip("-")[:_NAME_LENGTH].rstrip("-")


def _counting(parts: Parts, losses: dict[str, int]) -> Parts:
    """The parts, counting in ``losses``, on the first pass, the values of the fields it names."""
    passes = 0
    seen: set[str] = set()

    def counted() -> Iterator[Catalogue]:
        nonlocal passes
        passes += 1
        for part in parts():
            if passes == 1 and losses:
                for name, count in vocabulary.count_set([part], losses, seen).items():
                    losses[name] += count
            yield part

    return counted


def _warn_of_losses(exporter: Exporter, losses: Mapping[str, int]) -> None:
    if not losses:  # a lossless format
        return
    dropped = [f"{name} ({count:,})" for name, count in losses.items() if count]
    if dropped:
        message = f"{exporter.name} leaves out what it has no place for (how many hold a value): {', '.join(dropped)}"
        warnings.warn(ExportWarning(message), stacklevel=2)


def _write_stream(
    exporter: Exporter, stream: BinaryIO, options: Mapping[str, str], whole: Catalogue | None, parts: Parts | None
) -> None:
    if parts is not None and exporter.write_parts is not None:
        exporter.write_parts(parts, stream, options)
    elif exporter.write is not None:
        assert whole is not None
        exporter.write(whole, stream, options)
    else:
        assert exporter.write_folder is not None
        assert whole is not None
        with tempfile.TemporaryDirectory() as scratch:
            exporter.write_folder(whole, Path(scratch), options)
            files.write_zip(Path(scratch), stream)


def _to_folder(exporter: Exporter, destination: Destination) -> bool:
    """A path, for a format of several files: a folder, unless the path names its archive (``.zip``)
    or a stream (``-``, a device, a FIFO), which gets the archive."""
    return (
        isinstance(destination, (str, os.PathLike))
        and exporter.write_folder is not None
        and not os.fspath(destination).endswith(exporter.extension)
        and not files.is_stream_path(destination)
    )


def _part_name(exporter: Exporter) -> str:
    """The file (or folder) :func:`export_all` writes a format to."""
    return exporter.name if exporter.write_folder is not None else f"{exporter.name}{exporter.extension}"


def _with_events(parts: Parts, format: str) -> Parts:
    """``parts``, refused (at the end of a pass, before the output is in place) when none has an event."""

    def checked() -> Iterator[Catalogue]:
        seen = False
        for part in parts():
            seen = seen or bool(part.events)
            yield part
        if not seen:
            raise MissingData(format, [NO_EVENT])

    return checked


class _KeptWarnings(warnings.catch_warnings):
    """The warnings raised inside, kept (each :class:`ExportWarning`, however often) to be said again
    by :func:`_warn_at_caller`. A class: a generator-based context manager costs more than a small
    export's checks."""

    def __init__(self) -> None:
        super().__init__(record=True)

    def __enter__(self) -> list[warnings.WarningMessage]:
        caught = super().__enter__()
        assert caught is not None  # recording
        warnings.simplefilter("always", ExportWarning)
        return caught


def _warn_at_caller(caught: list[warnings.WarningMessage]) -> None:
    """The warnings of an export, said again: an :class:`ExportWarning` at the line of the code that
    called the library (the exporter's own line would tell its user nothing), the others as they came."""
    for warning in caught:
        if issubclass(warning.category, ExportWarning):
            warnings.warn(warning.message, stacklevel=3)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)


def _selected(parts: Callable[[], Iterator[Catalogue]], select: Selection) -> Callable[[], Iterator[Catalogue]]:
    def kept() -> Iterator[Catalogue]:
        matched = False
        for part in parts():
            try:
                chosen = select.apply(part)
            except EmptySelection:
                continue
            matched = True
            yield chosen
        if not matched:
            select.apply(Catalogue())  # says what was asked for, and that nothing matches

    return kept


@frozen
class Written:
    format: str
    path: Path | None  # None when skipped
    reason: str | None = None  # why it was skipped
    warnings: tuple[str, ...] = ()  # what the output lacks, and what was removed or left in the folder


def export_all(
    catalogue: Catalogue,
    folder: str | os.PathLike[str],
    *,
    select: Selection | None = None,
    registry: Formats | None = None,
    inputs: Collection[str | os.PathLike[str]] = (),
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[Written]:
    """Every installed format into ``folder``, as ``<name><extension>`` (a format of several files
    as a folder ``<name>``), each by the rules of :func:`export`; the folder's other files are left
    as they are. A format that needs data the catalogue lacks, whose plugin fails, or whose name two
    plugins claim is skipped with the reason, never padded; the file an earlier call wrote for it is
    removed while unchanged. An output that would overwrite an input is refused before anything is
    written. ``on_progress(done, total, format)`` is called before each format."""
    registry = registry or installed()
    chosen = select.apply(catalogue) if select else catalogue
    clashing = {name for kind, name in registry.clashes if kind == "exporter"}
    names = sorted(set(registry.exporters) | clashing)
    planned = {name: _part_name(registry.exporters[name].format) for name in names if name not in clashing}
    given = Path(folder)
    target = files.real_target(given)
    files.refuse_inputs([target / part for part in planned.values()], inputs)
    for part in planned.values():  # a folder part holding an input would have it replaced
        for source in inputs:
            if Path(os.path.realpath(source)).is_relative_to(os.path.realpath(target / part)):
                raise OutputIsInput(f"the output {given / part} holds the input {source}: choose another folder")
    with files.said_of(os.fspath(folder)):
        made = files.make_folder(target)
    results: list[Written] = []
    entries: files.Entries = {}
    try:
        for done, name in enumerate(names):
            if on_progress is not None:
                on_progress(done, len(names), name)
            if name in clashing:
                results.append(
                    Written(name, None, str(FormatClash("exporter", name, registry.clashes["exporter", name])))
                )
                continue
            with _KeptWarnings() as caught:
                try:
                    export(chosen, name, given / planned[name], registry=registry, inputs=inputs)
                except (MissingData, PluginError) as error:
                    results.append(Written(name, None, str(error)))
                    continue
            said = tuple(str(warning.message) for warning in caught if issubclass(warning.category, ExportWarning))
            written = target / planned[name]
            entries[planned[name]] = f"{files.FOLDER_ENTRY}{name}" if written.is_dir() else files.digest(written)
            results.append(Written(name, given / planned[name], None, said))
    except BaseException:
        if made:
            files.remove_if_empty(target)  # nothing written, nothing made
        raise
    removed, left = files.forget(target, ALL, set(entries), inputs)
    files.record(target, ALL, entries)
    if made:
        files.remove_if_empty(target)  # every format skipped
    formats_of = {part: name for name, part in planned.items()}
    return _with_notes(results, given, formats_of, removed, left)


def _with_notes(
    results: list[Written], folder: Path, formats_of: Mapping[str, str], removed: list[str], left: list[str]
) -> list[Written]:
    """The results, each with what was removed from (or left in) the folder of its format's earlier
    output; a format no longer installed gets a result of its own for it."""
    notes: dict[str, list[str]] = {}
    for names, said in (
        (removed, "removed {}, which an earlier export wrote"),
        (left, "left {} as it is: it changed since an earlier export wrote it"),
    ):
        for name in names:
            notes.setdefault(formats_of.get(name, name.split(".")[0]), []).append(said.format(folder / name))
    noted = [
        attrs.evolve(written, warnings=written.warnings + tuple(notes.pop(written.format, ()))) for written in results
    ]
    noted += [Written(name, None, "no plugin provides it now", tuple(said)) for name, said in sorted(notes.items())]
    return noted
