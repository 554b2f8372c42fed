"""`--to all` and folder formats: what an earlier export wrote is removed only when provably the
library's and unchanged; skipped formats are said; what is said to be written reads back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import catalogues

import mastery_model
from mastery_model import Exporter, MissingData, files
from mastery_model.exporting import export_all
from mastery_model.listing import formats
from mastery_model.plugins import Provenance, load_plugins
from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.problems import OutputIsInput

SAMPLE = mastery_model.sample()


def _registry(*exporters: tuple[str, Exporter], builtins: bool = False):
    found = load_plugins(only=None if builtins else [], entry_points_group=None)
    for name, exporter in exporters:
        found.register(_plugin(exporter), Provenance(name, f"{name}-package", "1.0"))
    return found.formats()


def _plugin(exporter: Exporter) -> object:
    class Plugin:
        @hookimpl
        def mastery_model_exporters(self) -> list[Exporter]:
            return [exporter]

    return Plugin()


def _text(name: str, refuse: bool = False) -> Exporter:
    def write(catalogue, stream, options):
        if refuse:
            raise MissingData(name, ["a room"])
        stream.write(f"{name}\n".encode())

    return Exporter(name, name, "text/plain", ".txt", write=write)


def test_a_skipped_formats_earlier_file_is_removed_when_unchanged_and_said(tmp_path):
    folder = tmp_path / "out"
    export_all(SAMPLE, folder, registry=_registry(("a", _text("a")), ("b", _text("b"))))
    (folder / "notes.txt").write_bytes(b"mine")
    results = export_all(SAMPLE, folder, registry=_registry(("a", _text("a")), ("b", _text("b", refuse=True))))
    assert sorted(path.name for path in folder.iterdir()) == [files.MANIFEST, "a.txt", "notes.txt"]
    (skipped,) = (written for written in results if written.format == "b")
    assert skipped.path is None
    assert skipped.warnings == (f"removed {folder / 'b.txt'}, which an earlier export wrote",)


def test_a_skipped_formats_earlier_file_the_user_changed_is_left_and_said(tmp_path):
    folder = tmp_path / "out"
    export_all(SAMPLE, folder, registry=_registry(("b", _text("b"))))
    (folder / "b.txt").write_bytes(b"edited by hand")
    (skipped,) = export_all(SAMPLE, folder, registry=_registry(("b", _text("b", refuse=True))))
    assert (folder / "b.txt").read_bytes() == b"edited by hand"
    assert skipped.warnings == (f"left {folder / 'b.txt'} as it is: it changed since an earlier export wrote it",)


def test_a_format_no_longer_installed_has_its_earlier_file_removed(tmp_path):
    folder = tmp_path / "out"
    export_all(SAMPLE, folder, registry=_registry(("a", _text("a")), ("gone", _text("gone"))))
    results = export_all(SAMPLE, folder, registry=_registry(("a", _text("a"))))
    assert not (folder / "gone.txt").exists()
    assert [(written.format, written.path, written.warnings) for written in results][-1] == (
        "gone",
        None,
        (f"removed {folder / 'gone.txt'}, which an earlier export wrote",),
    )


def test_a_skipped_folder_format_has_its_earlier_folder_removed_file_by_file(tmp_path):
    folder = tmp_path / "out"
    export_all(SAMPLE, folder)
    assert (folder / "csv" / "events.csv").exists()
    (folder / "csv" / "budget.xlsx").write_bytes(b"the user's")
    export_all(SAMPLE, folder, registry=_without("csv"))
    assert sorted(path.name for path in (folder / "csv").iterdir()) == ["budget.xlsx"]


def _without(name: str):
    loaded = load_plugins(only=[plugin for plugin in mastery_model.plugins.BUILTIN_PLUGINS if plugin != name])
    return loaded.formats()


def test_a_plugin_claiming_a_builtin_name_leaves_the_builtin_listed_and_export_all_says_why_it_skipped(tmp_path):
    registry = _registry(("impostor", _text("ical")), builtins=True)
    listed = {info.name: info for info in formats(registry)}
    assert "ical" in listed
    assert "impostor" in listed["ical"].plugin
    assert "ical" in listed["ical"].plugin.split(", ")
    results = {written.format: written for written in export_all(SAMPLE, tmp_path / "all", registry=registry)}
    assert results["ical"].path is None
    assert "claimed by more than one plugin: ical, impostor" in results["ical"].reason
    assert results["jsonld"].path is not None


def test_an_empty_catalogue_is_refused_by_every_format_and_export_all_says_wrote_for_none(tmp_path):
    results = export_all(mastery_model.Catalogue(), tmp_path / "all")
    assert results
    assert all(written.path is None and "an event" in (written.reason or "") for written in results)
    assert not (tmp_path / "all").exists()  # made for the output, and nothing was written


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(catalogue=catalogues())
def test_whatever_export_all_says_it_wrote_in_a_readable_format_reads_back(tmp_path_factory, catalogue):
    folder = tmp_path_factory.mktemp("all")
    readable = {info.name for info in formats() if info.reads}
    for written in export_all(catalogue, folder):
        if written.path is not None and written.format in readable:
            report = mastery_model.validate(written.path)
            assert report.ok, (written.format, str(report))


def test_export_all_refuses_to_overwrite_its_input_before_writing_anything(tmp_path):
    folder = tmp_path / "all"
    export_all(SAMPLE, folder)
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    with pytest.raises(OutputIsInput):
        export_all(SAMPLE, folder, inputs=[Path(f"{folder}/../all/jsonld.jsonld")])
    with pytest.raises(OutputIsInput):
        export_all(SAMPLE, folder, inputs=[folder / "csv"])
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == before
