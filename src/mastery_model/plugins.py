"""The plugin manager and the registry of formats.

The built-in formats are plugins like any other, registered through the same hooks; third-party
ones load from the entry-point group ``mastery_model``. ``MASTERY_MODEL_PLUGINS`` (a comma-separated
list of plugin names) limits which load; a name there that no plugin has is a usage error. A plugin
that fails to load or raises is reported by name and the others keep working; a format name that two
plugins claim is an error naming both, and neither plugin's format of that name is used.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

import pluggy
from attrs import field, frozen

from mastery_model import hookspecs
from mastery_model.formats import Exporter, Importer
from mastery_model.problems import MasteryError, UsageError

#: Built-in plugins: their names and modules.
BUILTIN_PLUGINS = {
    "csv": "mastery_model.exporters.csv",
    "csv-reader": "mastery_model.importers.csv",
    "ical": "mastery_model.exporters.ical",
    "jsonld": "mastery_model.exporters.jsonld",
    "schemaorg": "mastery_model.exporters.schemaorg",
    "schemaorg-reader": "mastery_model.importers.schemaorg",
}
ENVIRONMENT_VARIABLE = "MASTERY_MODEL_PLUGINS"

F = TypeVar("F", Exporter, Importer)


@frozen
class Provenance:
    """Where a plugin comes from."""

    plugin: str
    package: str
    version: str


@frozen
class Registered(Generic[F]):
    format: F
    provenance: Provenance


@frozen
class PluginFailure:
    plugin: str
    message: str

    def __str__(self) -> str:
        return f"the plugin {self.plugin!r} failed: {self.message}"


class UnknownFormat(UsageError):
    """No loaded plugin provides the format asked for."""


class PluginError(MasteryError):
    """A plugin's code raised: the plugin is named, and the other plugins keep working."""


class FormatClash(UsageError):
    """Two plugins claim one format name: neither is chosen for the user."""

    def __init__(self, kind: str, name: str, plugins: Sequence[str]) -> None:
        super().__init__(f"the {kind} format {name!r} is claimed by more than one plugin: {', '.join(plugins)}")


class UnknownPlugin(UsageError):
    """A plugin asked for by name (in ``$MASTERY_MODEL_PLUGINS``) that no built-in or installed plugin has:
    a typing mistake there would otherwise leave formats out without a word."""

    def __init__(self, where: str, unknown: Sequence[str], available: Sequence[str]) -> None:
        self.unknown = list(unknown)
        self.available = list(available)
        names = ", ".join(map(repr, unknown))
        which = "which is no plugin's name" if len(unknown) == 1 else "which are no plugins' names"
        super().__init__(f"{where} names {names}, {which} (the plugins: {', '.join(available) or 'none'})")


@frozen
class Formats:
    """The formats the loaded plugins provide.

    ``exporters`` and ``importers`` hold the formats that can be used. A name that more than one
    plugin claims is in neither: ``clashes`` gives its plugins, in the order they registered, and
    ``claims`` what each of them registered under it, so that a listing can still show it.
    """

    exporters: dict[str, Registered[Exporter]] = field(factory=dict)
    importers: dict[str, Registered[Importer]] = field(factory=dict)
    clashes: dict[tuple[str, str], list[str]] = field(factory=dict)  # (kind, name) -> plugins
    failures: list[PluginFailure] = field(factory=list)
    claims: dict[tuple[str, str], list[Registered[Any]]] = field(factory=dict)  # (kind, name) -> each claim

    def exporter(self, name: str) -> Exporter:
        return self._get("exporter", self.exporters, name).format

    def importer(self, name: str) -> Importer:
        return self._get("importer", self.importers, name).format

    def _get(self, kind: str, found: dict[str, Registered[F]], name: str) -> Registered[F]:
        if (kind, name) in self.clashes:
            raise FormatClash(kind, name, self.clashes[kind, name])
        if name not in found:
            known = ", ".join(sorted(found)) or "none"
            raise UnknownFormat(f"no plugin provides the {kind} {name!r} (installed: {known})")
        return found[name]


class Plugins:
    """A plugin manager with the library's hooks, and what loading its plugins gave."""

    def __init__(self) -> None:
        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        self.manager.add_hookspecs(hookspecs)
        self.provenance: dict[str, Provenance] = {}
        self.failures: list[PluginFailure] = []

    def register(self, plugin: object, provenance: Provenance) -> None:
        """Register a plugin; one with a hook the library does not know, or with the name of a
        plugin registered already, is refused (and the one registered first keeps working)."""
        if provenance.plugin in self.provenance:
            self.failures.append(PluginFailure(provenance.plugin, "another plugin has this name already"))
            return
        try:
            self.manager.register(plugin, name=provenance.plugin)
        except Exception as error:  # nothing was registered: there is nothing to undo
            self.failures.append(PluginFailure(provenance.plugin, str(error)))
            return
        try:
            self.manager.check_pending()
        except Exception as error:
            self.manager.unregister(plugin=plugin)  # this plugin, never another of its name
            self.failures.append(PluginFailure(provenance.plugin, str(error)))
            return
        self.provenance[provenance.plugin] = provenance

    def formats(self) -> Formats:
        formats = Formats(failures=list(self.failures))
        self._collect(formats, "exporter", self.manager.hook.mastery_model_exporters, formats.exporters, Exporter)
        self._collect(formats, "importer", self.manager.hook.mastery_model_importers, formats.importers, Importer)
        return formats

    def _collect(self, formats: Formats, kind: str, hook: Any, found: dict[str, Registered[F]], cls: type[F]) -> None:
        for implementation in hook.get_hookimpls():  # in the order the plugins were registered
            plugin = implementation.plugin_name
            try:
                given = list(implementation.function())
                if not all(isinstance(item, cls) for item in given):
                    raise TypeError(f"mastery_model_{kind}s returned something other than {cls.__name__} records")
            except Exception as error:
                formats.failures.append(PluginFailure(plugin, f"{type(error).__name__}: {error}"))
                continue
            for item in given:
                key = (kind, item.name)
                registered = Registered(item, self.provenance[plugin])
                if key in formats.clashes:
                    formats.clashes[key].append(plugin)
                    formats.claims[key].append(registered)
                elif item.name in found:
                    first = found.pop(item.name)  # usable by no one: the user chooses, not the order of loading
                    formats.clashes[key] = [first.provenance.plugin, plugin]
                    formats.claims[key] = [first, registered]
                else:
                    found[item.name] = registered


def load_plugins(only: Sequence[str] | None = None, *, entry_points_group: str | None = hookspecs.PROJECT) -> Plugins:
    """The built-in plugins and those installed, limited to ``only`` (or ``$MASTERY_MODEL_PLUGINS``);
    :class:`UnknownPlugin` when these name a plugin that is neither built in nor installed."""
    from mastery_model import __version__

    allowed = _allowed(only)
    installed = [] if entry_points_group is None else list(entry_points(group=entry_points_group))
    if allowed is not None:
        entry_names = {entry_point.name for entry_point in installed}
        available = [*BUILTIN_PLUGINS, *sorted(entry_names - set(BUILTIN_PLUGINS))]
        unknown = sorted(allowed - set(available))
        if unknown:
            raise UnknownPlugin(
                "the plugins asked for" if only is not None else ENVIRONMENT_VARIABLE, unknown, available
            )
    plugins = Plugins()
    for name, module in BUILTIN_PLUGINS.items():
        if allowed is None or name in allowed:
            loaded = _load(functools.partial(importlib.import_module, module), name, plugins.failures)
            if loaded is not None:
                plugins.register(loaded, Provenance(name, "mastery-model", __version__))
    for entry_point in installed:
        if allowed is not None and entry_point.name not in allowed:
            continue
        distribution = entry_point.dist
        provenance = Provenance(
            entry_point.name,
            distribution.name if distribution else "unknown",
            distribution.version if distribution else "unknown",
        )
        if entry_point.name in plugins.provenance:  # refused before its code runs
            plugins.failures.append(PluginFailure(entry_point.name, "another plugin has this name already"))
            continue
        loaded = _load(entry_point.load, entry_point.name, plugins.failures)
        if loaded is not None:
            plugins.register(loaded, provenance)
    return plugins


def _allowed(only: Sequence[str] | None) -> set[str] | None:
    if only is not None:
        return set(only)
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured is None:
        return None
    return {name.strip() for name in configured.split(",") if name.strip()}


def _load(load: Callable[[], object], name: str, failures: list[PluginFailure]) -> object | None:
    try:
        return load()
    except Exception as error:  # a broken plugin must not take the others down
        failures.append(PluginFailure(name, f"it could not be imported: {type(error).__name__}: {error}"))
        return None
