"""Formats whose file holds one event (frab's schedule of one conference): a catalogue of more is
refused before anything is written, or written a file per event into a folder."""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
import warnings
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mastery_model
from mastery_model import Catalogue, Event, Exporter, Selection, Text, hookimpl
from mastery_model.cli import main
from mastery_model.exporting import event_file_names, export_file, export_parts
from mastery_model.listing import formats
from mastery_model.plugins import Provenance, load_plugins
from mastery_model.plugins.records import Options
from mastery_model.problems import CannotCarry

EVENTS = Catalogue(
    events=(
        Event("urn:uuid:00000000-0000-4000-8000-000000000001", Text.of("Webinar one", "en"), start=date(2025, 3, 20)),
        Event("urn:uuid:00000000-0000-4000-8000-000000000002", Text.of("Webinar two", "en"), start=date(2025, 3, 27)),
        Event("urn:uuid:00000000-0000-4000-8000-000000000003", Text.of("Año nuevo", "es"), start=date(2025, 4, 3)),
    )
)
OLD = b"what was there before\n"


def _names(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    for event in catalogue.events:
        stream.write(f"{event.name}\n".encode())


def _names_of_parts(parts, stream: BinaryIO, options: Options) -> None:
    for part in parts():
        _names(part, stream, options)


def _registry(**exporter_keywords):
    module = type(sys)("single")

    @hookimpl
    def mastery_model_exporters() -> list[Exporter]:
        return [
            Exporter(
                "single", "one event a file", "text/plain", ".txt", write=_names, max_events=1, **exporter_keywords
            ),
            Exporter("pair", "two events a file", "text/plain", ".txt", write=_names, max_events=2),
        ]

    module.mastery_model_exporters = mastery_model_exporters  # type: ignore[attr-defined]
    loaded = load_plugins(entry_points_group=None)  # the built-ins, to read JSON Lines
    loaded.register(module, Provenance("single", "single-package", "1.0"))
    return loaded.formats()


REGISTRY = _registry()
STREAMING = _registry(write_parts=_names_of_parts)  # the same, written a part at a time


def _lines(tmp_path: Path, catalogue: Catalogue = EVENTS) -> Path:
    source = tmp_path / "events.jsonl"
    mastery_model.export(catalogue, "jsonl", source)
    return source


def _untouched(folder: Path, names: list[str]) -> None:
    """Only ``names`` in the folder, and no temporary file beside them."""
    assert sorted(path.name for path in folder.iterdir()) == sorted(names)


def test_a_record_holds_at_least_one_event():
    with pytest.raises(ValueError, match="at least one event"):
        Exporter("none", "no event", "text/plain", ".txt", write=_names, max_events=0)


@pytest.mark.parametrize("registry", [REGISTRY, STREAMING], ids=["whole", "streaming"])
def test_more_events_than_a_file_holds_are_refused_and_an_existing_file_is_left_as_it_was(tmp_path, registry):
    destination = tmp_path / "out.txt"
    destination.write_bytes(OLD)
    with pytest.raises(CannotCarry) as raised:
        mastery_model.export(EVENTS, "single", destination, registry=registry)
    message = str(raised.value)
    assert message.startswith("single cannot carry 3 events in one file, which holds one event: keep one")
    assert "--id ID" in message
    assert "Selection(ids=" in message
    assert "a folder (a path ending in /)" in message
    assert EVENTS.events[0].id in message
    assert isinstance(raised.value, mastery_model.MissingData)  # what skips a format skips it for this too
    assert destination.read_bytes() == OLD
    _untouched(tmp_path, ["out.txt"])


def test_a_format_of_two_events_takes_two_and_refuses_three(tmp_path):
    two = Catalogue(events=EVENTS.events[:2])
    mastery_model.export(two, "pair", tmp_path / "two.txt", registry=REGISTRY)
    assert (tmp_path / "two.txt").read_bytes() == b"Webinar one\nWebinar two\n"
    with pytest.raises(CannotCarry, match="3 events in one file, which holds 2 events: keep fewer"):
        mastery_model.export(EVENTS, "pair", tmp_path / "three.txt", registry=REGISTRY)
    assert not (tmp_path / "three.txt").exists()


@pytest.mark.parametrize("registry", [REGISTRY, STREAMING], ids=["whole", "streaming"])
def test_json_lines_of_more_events_are_refused_before_anything_is_written(tmp_path, registry):
    source = _lines(tmp_path)
    destination = tmp_path / "out.txt"
    destination.write_bytes(OLD)
    with pytest.raises(CannotCarry, match="3 events in one file"):
        export_file(source, "single", destination, registry=registry)
    assert destination.read_bytes() == OLD
    stream = io.BytesIO()  # a stream cannot be taken back: refused before the first part is written
    with pytest.raises(CannotCarry):
        export_parts(lambda: _parts(source), "single", stream, registry=registry)
    assert stream.getvalue() == b""
    _untouched(tmp_path, ["events.jsonl", "out.txt"])


def _parts(source: Path):
    from mastery_model.builtin.jsonld.lines import iter_line_catalogues

    return iter_line_catalogues(source)


@pytest.mark.parametrize("registry", [REGISTRY, STREAMING], ids=["whole", "streaming"])
def test_a_selection_of_one_event_is_written(tmp_path, registry):
    keep = Selection(ids=(EVENTS.events[1].id,))
    mastery_model.export(EVENTS, "single", tmp_path / "one.txt", select=keep, registry=registry)
    export_file(_lines(tmp_path), "single", tmp_path / "streamed.txt", select=keep, registry=registry)
    assert (tmp_path / "one.txt").read_bytes() == (tmp_path / "streamed.txt").read_bytes() == b"Webinar two\n"


@pytest.mark.parametrize("registry", [REGISTRY, STREAMING], ids=["whole", "streaming"])
@pytest.mark.parametrize("spelt", ["ending in a slash", "an existing folder"])
def test_a_folder_gets_a_file_per_event_named_from_it(tmp_path, registry, spelt):
    folder = tmp_path / "out"
    if spelt == "an existing folder":
        folder.mkdir()
        (folder / "notes.txt").write_bytes(OLD)  # not the library's: left as it is
    destination = str(folder) if spelt == "an existing folder" else f"{folder}/"
    mastery_model.export(EVENTS, "single", destination, registry=registry)
    written = {path.name: path.read_bytes() for path in folder.iterdir() if path.suffix == ".txt"}
    expected = {
        "webinar-one.txt": b"Webinar one\n",
        "webinar-two.txt": b"Webinar two\n",
        "ano-nuevo.txt": "Año nuevo\n".encode(),
    }
    if spelt == "an existing folder":
        expected["notes.txt"] = OLD
    assert written == expected
    assert (folder / ".mastery-model.json").is_file()  # what the library wrote there, for the next export
    # from JSON Lines, the same files
    streamed = tmp_path / "streamed"
    export_file(_lines(tmp_path), "single", f"{streamed}/", registry=registry)
    assert {path.name: path.read_bytes() for path in streamed.glob("*.txt")} == {
        name: data for name, data in expected.items() if name != "notes.txt"
    }


def test_a_folder_export_that_fails_leaves_the_folder_as_it_was(tmp_path):
    def failing(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
        if catalogue.events[0].id == EVENTS.events[2].id:
            raise mastery_model.MissingData("failing", ["a room"])
        _names(catalogue, stream, options)

    module = type(sys)("failing")

    @hookimpl
    def mastery_model_exporters() -> list[Exporter]:
        return [Exporter("failing", "fails on the third", "text/plain", ".txt", write=failing, max_events=1)]

    module.mastery_model_exporters = mastery_model_exporters  # type: ignore[attr-defined]
    loaded = load_plugins(only=[], entry_points_group=None)
    loaded.register(module, Provenance("failing", "failing-package", "1.0"))
    folder = tmp_path / "out"
    with pytest.raises(mastery_model.MissingData, match="a room"):
        mastery_model.export(EVENTS, "failing", f"{folder}/", registry=loaded.formats())
    assert not folder.exists()  # made for the output, and removed: nothing was written


def test_export_all_skips_a_format_that_cannot_hold_the_events_with_the_reason(tmp_path):
    results = {written.format: written for written in mastery_model.export_all(EVENTS, tmp_path, registry=REGISTRY)}
    assert results["single"].path is None
    assert "cannot carry 3 events in one file" in (results["single"].reason or "")
    assert results["jsonld"].path == tmp_path / "jsonld.jsonld"
    assert not (tmp_path / "single.txt").exists()


def test_formats_lists_how_many_events_a_file_holds(monkeypatch, capsys):
    info = {row.name: row for row in formats(REGISTRY)}
    assert (info["single"].max_events, info["pair"].max_events, info["jsonld"].max_events) == (1, 2, None)
    for holder in (mastery_model, sys.modules["mastery_model.exporting"]):
        monkeypatch.setattr(holder, "installed", lambda: REGISTRY)
    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    section = out[out.index("events a file holds") :].splitlines()
    assert [line.split() for line in section[1:3]] == [["pair", "2"], ["single", "1"]]


def test_the_command_line_refuses_with_exit_1_and_says_how_to_go_on(tmp_path, monkeypatch, capsys):
    for holder in (mastery_model, sys.modules["mastery_model.exporting"]):
        monkeypatch.setattr(holder, "installed", lambda: REGISTRY)
    source = _lines(tmp_path)
    destination = tmp_path / "out.txt"
    destination.write_bytes(OLD)
    with warnings.catch_warnings():
        assert main(["export", str(source), "--to", "single", "-o", str(destination)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("mastery-model: single cannot carry 3 events in one file, which holds one event")
    assert destination.read_bytes() == OLD
    assert main(["export", str(source), "--to", "single", "-o", str(destination), "--id", EVENTS.events[0].id]) == 0
    assert destination.read_bytes() == b"Webinar one\n"
    assert main(["export", str(source), "--to", "single", "-o", f"{tmp_path / 'each'}/"]) == 0
    assert sorted(path.name for path in (tmp_path / "each").glob("*.txt")) == [
        "ano-nuevo.txt",
        "webinar-one.txt",
        "webinar-two.txt",
    ]


def _event(identifier: str, name: str) -> Event:
    return Event(identifier, Text.of(name, "en"))


def test_names_that_give_no_file_name_or_a_shared_one_get_a_digest_of_the_id():
    events = [
        _event("urn:x:1", "Ευρωπαϊκή εβδομάδα"),  # no ASCII letter
        _event("urn:x:2", "Day one"),
        _event("urn:x:3", "Day  ONE!"),
        _event("urn:x:4", "NUL"),
        _event("urn:x:5", "../../etc/passwd"),
        _event("urn:x:6", "x" * 100),
    ]
    names = event_file_names(events, ".xml")
    assert names["urn:x:1"].startswith("event-")
    assert len(names["urn:x:1"]) == len("event-12345678.xml")
    assert names["urn:x:2"].startswith("day-one-")
    assert names["urn:x:3"].startswith("day-one-")
    assert names["urn:x:2"] != names["urn:x:3"]
    assert names["urn:x:4"].startswith("nul-")
    assert names["urn:x:5"] == "etc-passwd.xml"
    assert names["urn:x:6"] == "x" * 60 + ".xml"


@given(st.lists(st.text(max_size=30), min_size=1, max_size=8), st.randoms())
def test_event_file_names_are_safe_unique_and_the_same_in_any_order(titles, random):
    events = [_event(f"urn:x:{index}", title or "-") for index, title in enumerate(titles)]
    names = event_file_names(events, ".xml")
    assert len(set(names.values())) == len(events)
    for name in names.values():
        stem = name.removesuffix(".xml")
        assert stem
        assert all(character in "abcdefghijklmnopqrstuvwxyz0123456789-" for character in stem)
        assert not stem.startswith("-")
        assert len(name) <= 80
    random.shuffle(events)
    assert event_file_names(events, ".xml") == names


_FRAB = importlib.util.find_spec("mastery_model_frab") is not None


def _schedule(title: str, day: str, talk: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<schedule><conference><title>'
        f"{title}</title><acronym>{title.split()[0].lower()}</acronym></conference>"
        f'<day index="1" date="{day}"><room name="Aula"><event id="1"><title>{talk}</title>'
        "<start>10:00</start><duration>01:00</duration><room>Aula</room><type>lecture</type></event>"
        "</room></day></schedule>\n"
    ).encode()


@pytest.mark.skipif(not _FRAB, reason="the frab plugin is not installed")
def test_frab_refuses_a_catalogue_of_two_conferences_and_writes_a_file_of_each_into_a_folder(tmp_path):
    environment = {**os.environ, "MASTERY_MODEL_PLUGINS": "jsonld,frab"}
    with_frab = load_plugins(only=["jsonld", "frab"]).formats()
    parts = []
    for title, day in (("Alpha Conference", "2025-02-01"), ("Beta Conference", "2025-03-01")):
        (tmp_path / f"{day}.xml").write_bytes(_schedule(title, day, f"A talk at {title}"))
        parts.append(
            mastery_model.load(
                tmp_path / f"{day}.xml", format="frab", registry=with_frab, **{"time-zone": "UTC", "language": "en"}
            )
        )
    both = Catalogue(events=tuple(event for part in parts for event in part.events))
    for name in ("both.jsonl", "both.jsonld"):
        mastery_model.export(both, name.split(".")[1], tmp_path / name)

    def run(*argv: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "mastery_model", *argv],
            capture_output=True,
            env=environment,
            cwd=tmp_path,
            check=False,
        )

    (tmp_path / "out.xml").write_bytes(OLD)
    for source in ("both.jsonl", "both.jsonld"):
        result = run("export", source, "--to", "frab", "-o", "out.xml")
        assert result.returncode == 1, result.stderr
        said = result.stderr.decode()
        assert "frab cannot carry 2 events in one file, which holds one event" in said
        assert "--id" in said
        assert b"Traceback" not in result.stderr
    assert (tmp_path / "out.xml").read_bytes() == OLD
    assert run("export", "both.jsonl", "--to", "frab", "-o", "each/").returncode == 0
    assert run("export", "both.jsonld", "--to", "frab", "-o", "whole/").returncode == 0
    each = sorted(path.name for path in (tmp_path / "each").glob("*.xml"))
    assert each == ["alpha-conference.xml", "beta-conference.xml"]
    for name in each:
        assert (tmp_path / "each" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()
        assert b"<conference>" in (tmp_path / "each" / name).read_bytes()
    assert b"Beta Conference" in (tmp_path / "each" / "beta-conference.xml").read_bytes()
    assert b"Alpha" not in (tmp_path / "each" / "beta-conference.xml").read_bytes()
