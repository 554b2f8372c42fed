"""Exporting a catalogue through the installed format plugins, and what the plugins offer."""

from __future__ import annotations

import functools
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import attrs
from attrs import frozen

from mastery_model.files import atomic_folder, atomic_stream, write_zip
from mastery_model.formats import Exporter, MissingData, checked_options
from mastery_model.model import Catalogue
from mastery_model.plugins import Formats, PluginError, load_plugins
from mastery_model.problems import MasteryError
from mastery_model.selection import EmptySelection, Selection

Destination = str | os.PathLike[str] | BinaryIO


class ExportWarning(UserWarning):
    """The output is written, but lacks something its readers expect (the message says what)."""


@functools.cache
def installed() -> Formats:
    """The formats of the installed plugins (loaded once; see :mod:`mastery_model.plugins`)."""
    return load_plugins().formats()


@frozen
class FormatInfo:
    name: str
    title: str
    reads: bool
    writes: bool
    plugin: str
    package: str
    version: str


def formats(registry: Formats | None = None) -> list[FormatInfo]:
    """Every installed format, by name: whether it reads, writes or both, and which plugins give it."""
    registry = registry or installed()
    found: dict[str, FormatInfo] = {}
    for writes, table in ((True, registry.exporters), (False, registry.importers)):
        for name, registered in table.items():
            where, title = registered.provenance, registered.format.title
            known = found.get(name)
            if known is None:
                found[name] = FormatInfo(name, title, not writes, writes, where.plugin, where.package, where.version)
            else:  # the same name read and written, by one plugin or two
                plugins = known.plugin if known.plugin == where.plugin else f"{known.plugin}, {where.plugin}"
                found[name] = attrs.evolve(known, reads=True, plugin=plugins)
    return [found[name] for name in sorted(found)]


def export(
    catalogue: Catalogue,
    format: str,
    destination: Destination,
    *,
    select: Selection | None = None,
    registry: Formats | None = None,
    **options: str,
) -> None:
    """Write ``catalogue`` (or the part ``select`` keeps) in ``format`` to ``destination``.

    The destination is a path (a file, or a folder for a format of several files, written whole or
    not at all) or a binary stream (a folder format is then written as a zip archive). Raises
    :class:`~mastery_model.formats.MissingData` when the catalogue lacks what the format needs,
    :class:`~mastery_model.selection.EmptySelection` when the selection keeps nothing.
    """
    registry = registry or installed()
    exporter = registry.exporter(format)
    values = checked_options(exporter.name, options, exporter.options)
    chosen = select.apply(catalogue) if select else catalogue
    try:
        if isinstance(destination, (str, os.PathLike)):
            _export_to_path(exporter, chosen, Path(destination), values)
        else:
            _export_to_stream(exporter, chosen, destination, values)
    except (MasteryError, OSError):
        raise
    except Exception as error:  # a fault in the plugin's code, not in the data
        plugin = registry.exporters[format].provenance
        raise PluginError(
            f"the exporter {format!r} of the plugin {plugin.plugin!r} ({plugin.package} {plugin.version}) failed: "
            f"{type(error).__name__}: {error}"
        ) from error


def _export_to_stream(exporter: Exporter, catalogue: Catalogue, stream: BinaryIO, options: Mapping[str, str]) -> None:
    if exporter.write is not None:
        exporter.write(catalogue, stream, options)
        return
    assert exporter.write_folder is not None
    with tempfile.TemporaryDirectory() as scratch:
        exporter.write_folder(catalogue, Path(scratch), options)
        write_zip(Path(scratch), stream)


def _export_to_path(exporter: Exporter, catalogue: Catalogue, path: Path, options: Mapping[str, str]) -> None:
    if _to_folder(exporter, path):
        assert exporter.write_folder is not None
        with atomic_folder(path) as folder:
            exporter.write_folder(catalogue, folder, options)
        return
    with atomic_stream(path) as stream:  # streamed, and all or nothing
        _export_to_stream(exporter, catalogue, stream, options)


def export_parts(
    parts: Callable[[], Iterator[Catalogue]],
    format: str,
    destination: str | os.PathLike[str] | BinaryIO,
    *,
    select: Selection | None = None,
    registry: Formats | None = None,
    **options: str,
) -> None:
    """Write a catalogue given in parts (an event each, as :func:`canonical.iter_line_catalogues`
    reads JSON Lines): formats that can hold one part at a time do; the others get it whole. A
    selection applies to each part; one that keeps nothing of any part is an error."""
    if select:
        parts = _selected(parts, select)
    registry = registry or installed()
    exporter = registry.exporter(format)
    to_folder = _to_folder(exporter, destination)
    if not exporter.writes_parts(to_folder):
        whole = list(parts())
        merged = Catalogue(
            events=tuple(event for part in whole for event in part.events),
            **{
                kind: tuple({e.id: e for part in whole for e in getattr(part, kind)}.values())
                for kind in ("people", "organisations", "campaigns")
            },
        )
        forwarded: dict[str, Any] = dict(options)
        export(merged, format, destination, registry=registry, **forwarded)
        return
    values = checked_options(exporter.name, options, exporter.options)
    if to_folder:
        assert exporter.write_folder_parts is not None
        assert isinstance(destination, (str, os.PathLike))
        with atomic_folder(destination) as folder:
            exporter.write_folder_parts(parts, folder, values)
        return
    write_parts = exporter.write_parts
    assert write_parts is not None
    if isinstance(destination, (str, os.PathLike)):
        with atomic_stream(destination) as stream:
            write_parts(parts, stream, values)
    else:
        write_parts(parts, destination, values)


def writes_parts(format: str, destination: Destination, registry: Formats | None = None) -> bool:
    """Whether ``format`` writes a catalogue given in parts to ``destination`` a part at a time."""
    exporter = (registry or installed()).exporter(format)
    return exporter.writes_parts(_to_folder(exporter, destination))


def _to_folder(exporter: Exporter, destination: Destination) -> bool:
    """A path, for a format of several files: a folder, unless the path names its archive (``.zip``)."""
    return (
        isinstance(destination, (str, os.PathLike))
        and exporter.write_folder is not None
        and not os.fspath(destination).endswith(exporter.extension)
    )


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
    warnings: tuple[str, ...] = ()


def export_all(
    catalogue: Catalogue,
    folder: str | os.PathLike[str],
    *,
    select: Selection | None = None,
    registry: Formats | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[Written]:
    """Every installed format into ``folder``, as ``<name><extension>``; a format that needs data the
    catalogue lacks is skipped with the reason, never padded. ``on_progress(done, total, format)``
    is called before each format."""
    registry = registry or installed()
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    chosen = select.apply(catalogue) if select else catalogue
    results = []
    names = sorted(registry.exporters)
    for done, name in enumerate(names):
        if on_progress is not None:
            on_progress(done, len(names), name)
        exporter = registry.exporter(name)
        path = target / (name if exporter.write_folder else f"{name}{exporter.extension}")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExportWarning)
            try:
                export(chosen, name, path, registry=registry)
            except (MissingData, PluginError) as error:
                results.append(Written(name, None, str(error)))
                continue
        said = tuple(str(warning.message) for warning in caught if issubclass(warning.category, ExportWarning))
        results.append(Written(name, path, None, said))
    return results
