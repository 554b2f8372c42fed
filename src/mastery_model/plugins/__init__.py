"""The plugin manager and the registry of formats.

The built-in formats are plugins like any other, registered through the same hooks; third-party
ones load from the entry-point group ``mastery_model``. ``MASTERY_MODEL_PLUGINS`` (a comma-separated
list of plugin names) limits which load; a name there that no plugin has is a usage error. A plugin
that fails to load or raises is reported by name and the others keep working; a format name that two
plugins claim is an error naming both, and neither plugin's format of that name is used. Hooks are
called through pluggy, once for each plugin, so that hook wrappers and pluggy's monitoring see them.
"""

from __future__ import annotations

import functools
import importlib
import os
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import EntryPoint, entry_points, version
from typing import Any, Generic, TypeVar

import pluggy
from attrs import field, frozen

from mastery_model.plugins import hookspecs
from mastery_model.plugins.records import Exporter, Importer
from mastery_model.problems import FormatClash, UnknownFormat, UnknownPlugin

#: Built-in plugins: their names and modules.
BUILTIN_PLUGINS = {
    "csv": "mastery_model.builtin.csv",
    "ical": "mastery_model.builtin.ical",
    "jsonld": "mastery_model.builtin.jsonld",
    "schemaorg": "mastery_model.builtin.schemaorg",
}
ENVIRONMENT_VARIABLE = "MASTERY_MODEL_PLUGINS"
#: The distribution of the built-in plugins.
LIBRARY = "mastery-model"

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
        """Register a plugin under ``provenance.plugin``. One that cannot be (its name taken or
        blocked, the plugin registered already under another name, unhashable, or with hooks the
        library does not know) is a failure, by name, and the plugins registered before it keep
        working."""
        name = provenance.plugin
        refusal = self._refusal(plugin, name)
        if refusal is not None:
            self.failures.append(PluginFailure(name, refusal))
            return
        try:
            self.manager.register(plugin, name=name)
        except Exception as error:
            self._withdraw(plugin, name)  # pluggy before 1.7 keeps what it refused half-way
            self.failures.append(PluginFailure(name, str(error)))
            return
        unknown = self._unknown_hooks(plugin)
        if unknown:
            self._withdraw(plugin, name)
            self.failures.append(PluginFailure(name, f"it has hooks the library does not know: {', '.join(unknown)}"))
            return
        self.provenance[name] = provenance

    def _refusal(self, plugin: object, name: str) -> str | None:
        """Why ``plugin`` cannot be registered as ``name``, or None: checked before pluggy is asked,
        whose messages list every plugin registered."""
        if plugin is None:
            return "None is no plugin"  # which pluggy would take without registering anything
        if name in self.provenance or self.manager.has_plugin(name):
            return "another plugin has this name already"
        if self.manager.is_blocked(name):
            return "plugins of this name are blocked"
        if self.manager.is_registered(plugin):
            return f"it is registered already, as {self.manager.get_name(plugin)!r}"
        try:
            hash(plugin)
        except TypeError:  # each plugin's hooks are called apart from the others', which are kept in a set
            return "a plugin is a module, a class or a hashable object"
        return None

    def _withdraw(self, plugin: object, name: str) -> None:
        """Unregister ``plugin`` if pluggy holds it under ``name``; never another plugin of that name."""
        if self.manager.get_plugin(name) is plugin:
            self.manager.unregister(plugin=plugin, name=name)

    def _unknown_hooks(self, plugin: object) -> list[str]:
        """The hooks of ``plugin`` that no specification has (and that it did not mark optional):
        those of this plugin only, so that no other plugin's can refuse it."""
        return sorted(
            caller.name
            for caller in self.manager.get_hookcallers(plugin) or []
            if not caller.has_spec()
            and any(
                implementation.plugin is plugin and not implementation.optionalhook
                for implementation in caller.get_hookimpls()
            )
        )

    def formats(self) -> Formats:
        formats = Formats(failures=list(self.failures))
        self._collect(formats, "exporter", "mastery_model_exporters", formats.exporters, Exporter)
        self._collect(formats, "importer", "mastery_model_importers", formats.importers, Importer)
        return formats

    def _collect(self, formats: Formats, kind: str, hook: str, found: dict[str, Registered[F]], cls: type[F]) -> None:
        for plugin, given in self._results(formats, hook, cls):
            for item in given:
                key = (kind, item.name)
                registered = Registered(item, self.provenance.get(plugin, Provenance(plugin, "unknown", "unknown")))
                if key in formats.clashes:
                    formats.clashes[key].append(plugin)
                    formats.claims[key].append(registered)
                elif item.name in found:
                    first = found.pop(item.name)  # usable by no one: the user chooses, not the order of loading
                    formats.clashes[key] = [first.provenance.plugin, plugin]
                    formats.claims[key] = [first, registered]
                else:
                    found[item.name] = registered

    def _results(self, formats: Formats, hook: str, cls: type[F]) -> Iterator[tuple[str, list[F]]]:
        """Each plugin's records from ``hook``, by plugin name, in the order the plugins registered.

        The hook is called through pluggy once for each plugin, with the other plugins' implementations
        left out: hook wrappers and monitoring see every call, the records are known to be that
        plugin's, and a plugin that raises loses only its own. A plugin that both wraps the hook and
        implements it is left out of the others' calls, its wrapper too.
        """
        implementations = [
            implementation
            for implementation in getattr(self.manager.hook, hook).get_hookimpls()
            if not (implementation.wrapper or implementation.hookwrapper)
        ]
        for plugin in dict.fromkeys(implementation.plugin_name for implementation in implementations):
            others = {
                implementation.plugin for implementation in implementations if implementation.plugin_name != plugin
            }
            try:
                given = [item for result in self.manager.subset_hook_caller(hook, others)() for item in result]
                if not all(isinstance(item, cls) for item in given):
                    raise TypeError(f"{hook} returned something other than {cls.__name__} records")
            except Exception as error:
                failure = PluginFailure(
                    _raised_by(error, self.manager, hook, plugin), f"{type(error).__name__}: {error}"
                )
                if failure not in formats.failures:  # a wrapper that raises fails every plugin's call alike
                    formats.failures.append(failure)
                continue
            yield plugin, given


def _raised_by(error: BaseException, manager: pluggy.PluginManager, hook: str, called: str) -> str:
    """The plugin whose implementation of ``hook`` raised ``error`` (the innermost in its traceback):
    a wrapper of another plugin's, else the plugin ``called``."""
    plugins = {
        code: implementation.plugin_name
        for implementation in getattr(manager.hook, hook).get_hookimpls()
        if (code := getattr(implementation.function, "__code__", None)) is not None
    }
    culprit = called
    traceback = error.__traceback__
    while traceback is not None:
        culprit = plugins.get(traceback.tb_frame.f_code, culprit)
        traceback = traceback.tb_next
    return culprit


def load_plugins(only: Sequence[str] | None = None, *, entry_points_group: str | None = hookspecs.PROJECT) -> Plugins:
    """The built-in plugins and those installed, limited to ``only`` (or ``$MASTERY_MODEL_PLUGINS``);
    :class:`UnknownPlugin` when these name a plugin that is neither built in nor installed."""
    library = version(LIBRARY)
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
                plugins.register(loaded, Provenance(name, LIBRARY, library))
    for entry_point in installed:
        if allowed is not None and entry_point.name not in allowed:
            continue
        provenance = Provenance(entry_point.name, *_distribution(entry_point))
        if entry_point.name in plugins.provenance:  # refused before its code runs
            plugins.failures.append(PluginFailure(entry_point.name, "another plugin has this name already"))
            continue
        loaded = _load(entry_point.load, entry_point.name, plugins.failures)
        if loaded is not None:
            plugins.register(loaded, provenance)
    return plugins


def _distribution(entry_point: EntryPoint) -> tuple[str, str]:
    """The name and version of the distribution that has ``entry_point``: the plugin's own, which
    its formats are listed with (never the library's)."""
    distribution = entry_point.dist
    if distribution is None:
        return "unknown", "unknown"
    # None when its metadata lacks them, whatever the annotations say; the listing needs text
    return distribution.name or "unknown", distribution.version or "unknown"


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


@functools.cache
def installed() -> Formats:
    """The formats of the installed plugins, loaded once (by the readers and the writers alike)."""
    return load_plugins().formats()
