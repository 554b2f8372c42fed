"""The plugin system: built-ins through the same hooks, third-party plugins, failures kept apart."""

from __future__ import annotations

import inspect
import io
import os
import re
import subprocess
import sys
import types
from collections.abc import Generator, Iterator

import pytest

import mastery_model
from mastery_model import Exporter, MissingData, hookimpl
from mastery_model.exporting import export, export_all
from mastery_model.listing import formats
from mastery_model.plugins import BUILTIN_PLUGINS, Provenance, hookspecs, load_plugins
from mastery_model.problems import BadOptionValue, FormatClash, PluginError, UnknownOption, UnknownPlugin


@pytest.fixture(autouse=True)
def _every_plugin(monkeypatch):
    """These tests choose the entry points themselves: none is left out by the suite's setting. The
    registry they load is forgotten after each, so that later tests see the suite's formats."""
    monkeypatch.delenv("MASTERY_MODEL_PLUGINS", raising=False)
    yield
    mastery_model.plugins.installed.cache_clear()


SAMPLE = mastery_model.sample()


def plugin(name: str, *exporters: Exporter) -> types.ModuleType:
    module = types.ModuleType(name)

    @hookimpl
    def mastery_model_exporters() -> list[Exporter]:
        return list(exporters)

    module.mastery_model_exporters = mastery_model_exporters  # type: ignore[attr-defined]
    return module


def text_exporter(name: str, body: bytes = b"hello\n") -> Exporter:
    return Exporter(
        name, f"{name} text", "text/plain", ".txt", write=lambda catalogue, stream, options: stream.write(body)
    )


def registry_with(*plugins: tuple[str, object]):
    found = load_plugins(only=[], entry_points_group=None)  # no built-ins, nothing installed
    for name, module in plugins:
        found.register(module, Provenance(name, f"{name}-package", "1.0"))
    return found


def test_the_built_in_formats_are_plugins_registered_through_the_hooks():
    loaded = load_plugins(entry_points_group=None)
    assert set(loaded.provenance) == set(BUILTIN_PLUGINS)
    registry = loaded.formats()
    assert {"jsonld", "jsonl", "schemaorg"} <= set(registry.exporters)
    assert registry.exporters["jsonld"].provenance == Provenance("jsonld", "mastery-model", mastery_model.__version__)


def test_a_working_throwaway_plugin_adds_a_format():
    registry = registry_with(("greeter", plugin("greeter", text_exporter("greeting")))).formats()
    stream = io.BytesIO()
    export(SAMPLE, "greeting", stream, registry=registry)
    assert stream.getvalue() == b"hello\n"
    (info,) = formats(registry)
    assert (info.name, info.writes, info.reads, info.plugin, info.package) == (
        "greeting",
        True,
        False,
        "greeter",
        "greeter-package",
    )


def test_two_plugins_claiming_one_name_is_an_error_naming_both_and_the_rest_works():
    registry = registry_with(
        ("first", plugin("first", text_exporter("same"), text_exporter("mine"))),
        ("second", plugin("second", text_exporter("same"))),
    ).formats()
    with pytest.raises(FormatClash, match="first, second"):
        export(SAMPLE, "same", io.BytesIO(), registry=registry)
    export(SAMPLE, "mine", io.BytesIO(), registry=registry)
    assert registry.clashes == {("exporter", "same"): ["first", "second"]}


def test_a_plugin_that_fails_to_import_is_reported_by_name_and_the_others_load(monkeypatch):
    def broken() -> object:
        raise ImportError("No module named 'missing_dependency'")

    entry = types.SimpleNamespace(
        name="broken", load=broken, dist=types.SimpleNamespace(name="broken-pkg", version="2")
    )
    good = types.SimpleNamespace(
        name="good",
        load=lambda: plugin("good", text_exporter("good")),
        dist=types.SimpleNamespace(name="good-pkg", version="3"),
    )
    monkeypatch.setattr("mastery_model.plugins.entry_points", lambda group: [entry, good])
    loaded = load_plugins()
    assert [failure.plugin for failure in loaded.failures] == ["broken"]
    assert "missing_dependency" in str(loaded.failures[0])
    registry = loaded.formats()
    assert registry.exporters["good"].provenance == Provenance("good", "good-pkg", "3")
    assert "jsonld" in registry.exporters


def raising_plugin() -> types.ModuleType:
    """A plugin whose exporters' hook raises."""
    module = types.ModuleType("raising")

    @hookimpl
    def mastery_model_exporters() -> list[Exporter]:
        raise RuntimeError("boom")

    module.mastery_model_exporters = mastery_model_exporters  # type: ignore[attr-defined]
    return module


def test_a_plugin_whose_hook_raises_is_reported_and_the_others_keep_their_formats():
    module = raising_plugin()
    registry = registry_with(("raising", module), ("fine", plugin("fine", text_exporter("fine")))).formats()
    assert list(registry.exporters) == ["fine"]
    assert [(failure.plugin, "boom" in failure.message) for failure in registry.failures] == [("raising", True)]


def test_a_plugin_with_a_misspelt_hook_is_refused_by_name():
    module = types.ModuleType("typo")

    @hookimpl
    def mastery_model_exporter() -> list[Exporter]:  # the hook is mastery_model_exporters
        return []

    module.mastery_model_exporter = mastery_model_exporter  # type: ignore[attr-defined]
    loaded = registry_with(("typo", module))
    assert [failure.plugin for failure in loaded.failures] == ["typo"]
    assert "typo" not in loaded.provenance


def test_an_exporter_that_raises_while_exporting_is_named_and_skipped_by_export_all(tmp_path):
    def explode(catalogue, stream, options):
        raise ZeroDivisionError("division by zero")

    registry = registry_with(
        ("bad", plugin("bad", Exporter("bad", "Bad", "text/plain", ".txt", write=explode))),
        ("fine", plugin("fine", text_exporter("fine"))),
    ).formats()
    with pytest.raises(PluginError, match=re.escape("'bad' of the plugin 'bad' (bad-package 1.0)")):
        export(SAMPLE, "bad", tmp_path / "bad.txt", registry=registry)
    assert not (tmp_path / "bad.txt").exists()  # nothing half-written
    results = {written.format: written for written in export_all(SAMPLE, tmp_path / "all", registry=registry)}
    assert results["bad"].path is None
    assert "ZeroDivisionError" in results["bad"].reason
    assert results["fine"].path.read_bytes() == b"hello\n"


def test_an_exporter_that_needs_missing_data_is_skipped_with_the_fields(tmp_path):
    def needs_times(catalogue, stream, options):
        raise MissingData("timed", ["/@graph/0/startTime: a start time"])

    registry = registry_with(
        ("timed", plugin("timed", Exporter("timed", "Timed", "text/plain", ".txt", write=needs_times)))
    ).formats()
    (written,) = export_all(SAMPLE, tmp_path, registry=registry)
    assert written.path is None
    assert "a start time" in written.reason
    assert list(tmp_path.iterdir()) == []


def test_the_environment_variable_limits_which_plugins_load(monkeypatch):
    monkeypatch.setenv("MASTERY_MODEL_PLUGINS", "schemaorg")
    assert set(load_plugins().formats().exporters) == {"schemaorg"}


def test_an_unknown_name_in_the_environment_variable_is_a_usage_error_listing_the_plugins(monkeypatch):
    monkeypatch.setenv("MASTERY_MODEL_PLUGINS", "schemaorg, shcemaorg-reader")
    with pytest.raises(UnknownPlugin) as raised:
        load_plugins()
    assert isinstance(raised.value, mastery_model.UsageError)
    message = str(raised.value)
    assert "MASTERY_MODEL_PLUGINS names 'shcemaorg-reader', which is no plugin's name" in message
    for name in BUILTIN_PLUGINS:
        assert name in message.partition("(the plugins: ")[2]
    assert "'schemaorg'," not in message  # the name that is right is not blamed


def test_an_installed_plugin_named_in_the_environment_variable_is_known(monkeypatch):
    good = types.SimpleNamespace(
        name="good",
        load=lambda: plugin("good", text_exporter("good")),
        dist=types.SimpleNamespace(name="good-pkg", version="3"),
    )
    monkeypatch.setattr("mastery_model.plugins.entry_points", lambda group: [good])
    monkeypatch.setenv("MASTERY_MODEL_PLUGINS", "good,jsonld")
    assert set(load_plugins().formats().exporters) == {"good", "jsonl", "jsonld"}
    monkeypatch.setenv("MASTERY_MODEL_PLUGINS", "good,bad,worse")
    with pytest.raises(UnknownPlugin, match=r"names 'bad', 'worse', which are no plugins' names .*jsonld.*good\)"):
        load_plugins()


def test_a_second_plugin_of_a_name_taken_is_refused_and_the_first_keeps_working():
    loaded = registry_with(("greeter", plugin("greeter", text_exporter("greeting", b"first\n"))))
    loaded.register(plugin("greeter", text_exporter("other", b"second\n")), Provenance("greeter", "other-package", "9"))
    assert [(failure.plugin, "already" in failure.message) for failure in loaded.failures] == [("greeter", True)]
    assert loaded.provenance["greeter"] == Provenance("greeter", "greeter-package", "1.0")
    registry = loaded.formats()
    assert set(registry.exporters) == {"greeting"}
    stream = io.BytesIO()
    export(SAMPLE, "greeting", stream, registry=registry)
    assert stream.getvalue() == b"first\n"


def test_a_refused_plugin_never_takes_another_down():
    module = types.ModuleType("typo")

    @hookimpl
    def mastery_model_exporter() -> list[Exporter]:  # misspelt: refused when checked
        return []

    module.mastery_model_exporter = mastery_model_exporter  # type: ignore[attr-defined]
    first = plugin("first", text_exporter("first"))
    loaded = registry_with(("first", first))
    loaded.register(first, Provenance("again", "first-package", "1.0"))  # the same module under another name
    loaded.register(module, Provenance("typo", "typo-package", "1.0"))
    assert [failure.plugin for failure in loaded.failures] == ["again", "typo"]
    assert set(loaded.formats().exporters) == {"first"}


def test_a_built_in_format_claimed_by_a_plugin_too_stays_listed_as_a_clash():
    loaded = load_plugins(entry_points_group=None)
    loaded.register(plugin("impostor", text_exporter("jsonld")), Provenance("impostor", "impostor-package", "2"))
    registry = loaded.formats()
    assert registry.clashes == {("exporter", "jsonld"): ["jsonld", "impostor"]}
    claims = registry.claims["exporter", "jsonld"]
    assert [(claim.provenance.plugin, claim.provenance.package) for claim in claims] == [
        ("jsonld", "mastery-model"),
        ("impostor", "impostor-package"),
    ]
    assert claims[0].format.title != claims[1].format.title  # each claim as its plugin made it
    assert "jsonld" not in registry.exporters  # usable by neither...
    assert "jsonld" in registry.importers  # ...while what no one else claims keeps working
    with pytest.raises(FormatClash, match="jsonld, impostor"):
        export(SAMPLE, "jsonld", io.BytesIO(), registry=registry)


def test_unknown_and_invalid_options_are_refused_as_usage_errors():
    with pytest.raises(UnknownOption, match="no option 'colour'"):
        export(SAMPLE, "schemaorg", io.BytesIO(), colour="red")
    with pytest.raises(BadOptionValue, match="one of yes, no, not 'maybe'"):
        export(SAMPLE, "schemaorg", io.BytesIO(), html="maybe")
    assert issubclass(UnknownOption, mastery_model.UsageError)
    assert issubclass(BadOptionValue, mastery_model.UsageError)


def test_an_options_check_says_what_it_expects():
    def shout(value: str) -> str | None:
        return None if value.isupper() else "in capitals"

    exporter = Exporter(
        "loud",
        "Loud",
        "text/plain",
        ".txt",
        write=lambda catalogue, stream, options: stream.write(options["word"].encode()),
        options=(mastery_model.Option("word", "a word", check=shout),),
    )
    registry = registry_with(("loud", plugin("loud", exporter))).formats()
    stream = io.BytesIO()
    export(SAMPLE, "loud", stream, registry=registry, word="HEY")
    assert stream.getvalue() == b"HEY"
    with pytest.raises(BadOptionValue, match=r"^loud: the option word is in capitals, not 'hey'$") as raised:
        export(SAMPLE, "loud", io.BytesIO(), registry=registry, word="hey")
    assert (raised.value.option, raised.value.value, raised.value.expected) == ("word", "hey", "in capitals")


def test_a_folder_format_writes_a_folder_or_a_zip(tmp_path):
    import zipfile

    def write_folder(catalogue, folder, options):
        (folder / "events.csv").write_text("id\r\n" + "".join(f"{e.id}\r\n" for e in catalogue.events))
        (folder / "notes").mkdir()
        (folder / "notes" / "readme.txt").write_text("hi")

    registry = registry_with(
        ("tables", plugin("tables", Exporter("tables", "Tables", "application/zip", ".zip", write_folder=write_folder)))
    ).formats()
    export(SAMPLE, "tables", tmp_path / "out", registry=registry)
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")) == [
        ".mastery-model.json",  # what the library wrote there
        "events.csv",
        "notes",
        "notes/readme.txt",
    ]
    stream, again = io.BytesIO(), io.BytesIO()
    export(SAMPLE, "tables", stream, registry=registry)
    assert sorted(zipfile.ZipFile(stream).namelist()) == ["events.csv", "notes/readme.txt"]
    export(SAMPLE, "tables", again, registry=registry)
    assert again.getvalue() == stream.getvalue()  # the same data, the same archive


def test_every_hook_is_documented():
    hooks = [
        function
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("mastery_model_")
    ]
    assert hooks
    for hook in hooks:
        doc = inspect.getdoc(hook) or ""
        assert ":return:" in doc, hook.__name__
        assert "collected" in doc, hook.__name__


def test_an_installed_distribution_is_loaded_through_its_entry_point(tmp_path):
    (tmp_path / "shouting_plugin.py").write_text(
        "from mastery_model import Exporter, hookimpl\n"
        "@hookimpl\n"
        "def mastery_model_exporters():\n"
        "    return [Exporter('shout', 'Names in capitals', 'text/plain', '.txt',\n"
        "                     write=lambda c, s, o: s.write(str(c.events[0].name).upper().encode()))]\n"
    )
    info = tmp_path / "shouting_plugin-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shouting-plugin\nVersion: 1.2\n")
    (info / "entry_points.txt").write_text("[mastery_model]\nshout = shouting_plugin\n")
    # the plugin, before the library under test wherever this run found it
    path = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    environment = {"PYTHONPATH": path, "PATH": "/usr/bin:/bin"}
    listed = subprocess.run(
        [sys.executable, "-m", "mastery_model", "formats"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        cwd=tmp_path,
    )
    row = next(line for line in listed.stdout.splitlines() if line.startswith("shout "))
    assert row.split()[-3:] == ["shout", "shouting-plugin", "1.2"]
    exported = subprocess.run(
        [sys.executable, "-m", "mastery_model", "export", "--to", "shout"],
        capture_output=True,
        env=environment,
        check=True,
        cwd=tmp_path,
    )
    assert exported.stdout == b"GREENING THE FUTURE: MICRO-CREDENTIALS EMPOWERING SUSTAINABLE SKILLS"


def test_a_folder_is_read_by_the_importer_that_recognises_it(tmp_path):
    from mastery_model import Importer
    from mastery_model.importing import load

    def read_folder(folder, options):
        return mastery_model.loads((folder / "event.jsonld").read_bytes())

    module = types.ModuleType("folders")

    @hookimpl
    def mastery_model_importers() -> list[Importer]:
        return [
            Importer(
                "folder-of-one",
                "A folder with event.jsonld",
                ("inode/directory",),
                (),
                sniff_folder=lambda folder: (folder / "event.jsonld").exists(),
                read_folder=read_folder,
            )
        ]

    module.mastery_model_importers = mastery_model_importers  # type: ignore[attr-defined]
    registry = registry_with(("folders", module)).formats()
    (tmp_path / "event.jsonld").write_bytes(mastery_model.embedded.sample_bytes())
    assert load(tmp_path, registry=registry) == SAMPLE
    with pytest.raises(mastery_model.MasteryError, match="no installed importer reads the folder"):
        load(tmp_path / "..", registry=registry)
    (tmp_path / "event.jsonld").write_bytes(b"{}")
    with pytest.raises(mastery_model.InvalidDocument) as raised:
        load(tmp_path, registry=registry)
    assert raised.value.report.problems[0].source == str(tmp_path)


def test_an_importer_reads_files_or_folders():
    with pytest.raises(ValueError, match="reads files"):
        mastery_model.Importer("nothing", "Nothing", (), ())


def test_a_name_or_a_plugin_registered_again_leaves_the_first_registration_as_it_was():
    first = plugin("first", text_exporter("first"))
    loaded = registry_with(("first", first))
    before = loaded.manager.list_name_plugin()
    loaded.register(plugin("other", text_exporter("other")), Provenance("first", "other-package", "2"))
    loaded.register(first, Provenance("again", "first-package", "1.0"))
    assert loaded.manager.list_name_plugin() == before == [("first", first)]
    assert [(failure.plugin, failure.message) for failure in loaded.failures] == [
        ("first", "another plugin has this name already"),
        ("again", "it is registered already, as 'first'"),  # pluggy's own message lists every plugin
    ]
    assert loaded.provenance == {"first": Provenance("first", "first-package", "1.0")}
    assert set(loaded.formats().exporters) == {"first"}


def test_a_plugin_refused_half_way_leaves_its_name_to_the_next():
    """pluggy before 1.7 (the library takes 1.5 and later) kept the name, and the hooks it had
    checked already, of a plugin whose later hook it refused."""
    module = plugin("half", text_exporter("half"))

    @hookimpl
    def mastery_model_importers(unexpected: object) -> list[object]:  # an argument the hook does not give
        return []

    module.mastery_model_importers = mastery_model_importers  # type: ignore[attr-defined]
    loaded = registry_with(("half", module), ("half", plugin("whole", text_exporter("whole"))))
    assert [failure.plugin for failure in loaded.failures] == ["half"]
    assert [name for name, _ in loaded.manager.list_name_plugin()] == ["half"]
    assert set(loaded.formats().exporters) == {"whole"}  # none of the refused plugin's hooks runs


def test_a_blocked_name_or_none_is_refused_and_nothing_is_recorded():
    loaded = registry_with()
    loaded.manager.set_blocked("blocked")
    loaded.register(plugin("blocked", text_exporter("blocked")), Provenance("blocked", "blocked-package", "1"))
    loaded.register(None, Provenance("nothing", "nothing-package", "1"))
    assert [failure.plugin for failure in loaded.failures] == ["blocked", "nothing"]
    assert loaded.provenance == {}
    assert loaded.formats().exporters == {}


def test_a_plugin_is_refused_for_its_own_unknown_hooks_only():
    module = types.ModuleType("typo")

    @hookimpl
    def mastery_model_exporter() -> list[Exporter]:  # misspelt
        return []

    module.mastery_model_exporter = mastery_model_exporter  # type: ignore[attr-defined]
    loaded = registry_with()
    loaded.manager.register(module, name="typo")  # straight through pluggy: nothing checks it
    loaded.register(plugin("good", text_exporter("good")), Provenance("good", "good-package", "1"))
    assert loaded.failures == []
    assert set(loaded.formats().exporters) == {"good"}


def test_an_unhashable_plugin_is_refused_by_name():
    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        @hookimpl
        def mastery_model_exporters(self) -> list[Exporter]:
            return [text_exporter("unhashable")]

    loaded = registry_with(("unhashable", Unhashable()), ("fine", plugin("fine", text_exporter("fine"))))
    assert [failure.plugin for failure in loaded.failures] == ["unhashable"]
    assert set(loaded.formats().exporters) == {"fine"}


def watcher(seen: list[list[str]], *, old_style: bool = False) -> types.ModuleType:
    """A plugin that only wraps the exporters' hook: it records each call's format names, and drops
    those named ``hidden``."""
    module = types.ModuleType("watcher")
    if old_style:

        @hookimpl(hookwrapper=True)
        def mastery_model_exporters() -> Iterator[None]:
            outcome = yield
            results = outcome.get_result()
            seen.append([exporter.name for result in results for exporter in result])
            outcome.force_result([[exporter for exporter in result if exporter.name != "hidden"] for result in results])

    else:

        @hookimpl(wrapper=True)
        def mastery_model_exporters() -> Generator[None, list[list[Exporter]], list[list[Exporter]]]:
            results = yield
            seen.append([exporter.name for result in results for exporter in result])
            return [[exporter for exporter in result if exporter.name != "hidden"] for result in results]

    module.mastery_model_exporters = mastery_model_exporters  # type: ignore[attr-defined]
    return module


@pytest.mark.parametrize("old_style", [False, True], ids=["wrapper", "hookwrapper"])
def test_a_hook_wrapper_of_another_plugin_sees_each_plugins_call_and_its_result_counts(old_style):
    seen: list[list[str]] = []
    registry = registry_with(
        ("first", plugin("first", text_exporter("one"), text_exporter("hidden"))),
        ("watcher", watcher(seen, old_style=old_style)),
        ("second", plugin("second", text_exporter("two"))),
    ).formats()
    assert seen == [["one", "hidden"], ["two"]]  # one call for each plugin, in the order they registered
    assert {name: registered.provenance.plugin for name, registered in registry.exporters.items()} == {
        "one": "first",
        "two": "second",
    }
    assert registry.failures == []


def test_hook_call_monitoring_sees_each_plugins_call():
    loaded = registry_with(
        ("first", plugin("first", text_exporter("one"))), ("second", plugin("second", text_exporter("two")))
    )
    calls: list[tuple[str, list[str]]] = []
    results: list[object] = []
    undo = loaded.manager.add_hookcall_monitoring(
        lambda hook, implementations, kwargs: calls.append((hook, [each.plugin_name for each in implementations])),
        lambda outcome, hook, implementations, kwargs: results.append(outcome.get_result()),
    )
    try:
        registry = loaded.formats()
    finally:
        undo()
    assert calls == [
        ("mastery_model_exporters", ["first"]),
        ("mastery_model_exporters", ["second"]),
    ]  # the importers' hook has no implementation here: nothing to call
    assert results == [[[registry.exporters["one"].format]], [[registry.exporters["two"].format]]]


def test_a_plugin_that_raises_is_named_and_the_wrappers_and_the_others_keep_working():
    module = raising_plugin()
    seen: list[list[str]] = []
    registry = registry_with(
        ("raising", module), ("watcher", watcher(seen)), ("fine", plugin("fine", text_exporter("fine")))
    ).formats()
    assert [(failure.plugin, failure.message) for failure in registry.failures] == [("raising", "RuntimeError: boom")]
    assert seen == [["fine"]]
    assert list(registry.exporters) == ["fine"]


def test_a_wrapper_that_raises_is_named_once_not_the_plugins_it_wraps():
    module = types.ModuleType("breaking")

    @hookimpl(wrapper=True)
    def mastery_model_exporters() -> Generator[None, list[list[Exporter]], list[list[Exporter]]]:
        yield
        raise LookupError("the wrapper broke")

    module.mastery_model_exporters = mastery_model_exporters  # type: ignore[attr-defined]
    registry = registry_with(
        ("first", plugin("first", text_exporter("one"))),
        ("breaking", module),
        ("second", plugin("second", text_exporter("two"))),
    ).formats()
    assert [(failure.plugin, failure.message) for failure in registry.failures] == [
        ("breaking", "LookupError: the wrapper broke")
    ]
    assert registry.exporters == {}


def test_an_installed_plugins_formats_are_listed_with_its_distribution_not_the_library(monkeypatch):
    named = types.SimpleNamespace(
        name="named",
        load=lambda: plugin("named", text_exporter("named")),
        dist=types.SimpleNamespace(name="named-pkg", version="7.1"),
    )
    bare = types.SimpleNamespace(  # metadata without a name and a version
        name="bare",
        load=lambda: plugin("bare", text_exporter("bare")),
        dist=types.SimpleNamespace(name=None, version=None),
    )
    monkeypatch.setattr("mastery_model.plugins.entry_points", lambda group: [named, bare])
    listed = {info.name: (info.plugin, info.package, info.version) for info in formats(load_plugins().formats())}
    assert listed["named"] == ("named", "named-pkg", "7.1")
    assert listed["bare"] == ("bare", "unknown", "unknown")
    assert listed["jsonld"] == ("jsonld", "mastery-model", mastery_model.__version__)
