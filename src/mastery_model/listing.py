"""The list of installed formats: what ``mastery-model formats`` and :func:`mastery_model.formats`
show. It needs only the registry, not the modules that read and write."""

from __future__ import annotations

from typing import Any

import attrs
from attrs import frozen

from mastery_model.plugins import Formats, Registered, installed
from mastery_model.problems import FormatClash


@frozen
class FormatInfo:
    name: str
    title: str
    reads: bool
    writes: bool
    plugin: str
    package: str
    version: str
    #: Set when more than one plugin claims the name: the format is listed, and not used.
    clash: str | None = None
    #: The names of the options its importer and its exporter take.
    read_options: tuple[str, ...] = ()
    write_options: tuple[str, ...] = ()
    #: The most events a file of it holds (``Exporter.max_events``); None for any number.
    max_events: int | None = None


def formats(registry: Formats | None = None) -> list[FormatInfo]:
    """Every installed format, by name: whether it reads, writes or both, and which plugins give it
    (a name claimed by more than one plugin is listed too, with the clash)."""
    registry = registry or installed()
    found: dict[str, FormatInfo] = {}
    rows: list[tuple[bool, Registered[Any]]] = [(True, registered) for registered in registry.exporters.values()]
    rows += [(False, registered) for registered in registry.importers.values()]
    rows += [(kind == "exporter", claim) for (kind, _name), claimed in registry.claims.items() for claim in claimed]
    for writes, registered in rows:
        found[registered.format.name] = _listed(found.get(registered.format.name), registered, writes)
    for (kind, name), plugins in registry.clashes.items():
        found[name] = attrs.evolve(found[name], clash=str(FormatClash(kind, name, plugins)))
    return [found[name] for name in sorted(found)]


def _listed(known: FormatInfo | None, registered: Registered[Any], writes: bool) -> FormatInfo:
    """A format's row, with one more plugin that reads or writes it."""
    where, title = registered.provenance, registered.format.title
    if known is None:
        known = FormatInfo(registered.format.name, title, False, False, where.plugin, where.package, where.version)
    plugins = known.plugin.split(", ")
    names = tuple(option.name for option in registered.format.options)
    return attrs.evolve(
        known,
        reads=known.reads or not writes,
        writes=known.writes or writes,
        plugin=", ".join(plugins if where.plugin in plugins else [*plugins, where.plugin]),
        package=_joined(known.package, where.package),
        version=_joined(known.version, where.version),
        read_options=known.read_options if writes else names,
        write_options=names if writes else known.write_options,
        max_events=registered.format.max_events if writes else known.max_events,
    )


def _joined(known: str, more: str) -> str:
    return known if more in known.split(", ") else f"{known}, {more}"
