"""Hostile data on its way out: what reaches a terminal cannot drive it, and what reaches an
exporter has been validated, even when the catalogue was built in code.

A terminal acts on control characters (ESC starts the sequences that clear the screen, set the
window title or write the clipboard with OSC 52) and bidirectional overrides reorder what it
shows: ``show``, ``validate`` and the command's messages write them as visible escapes.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mastery_model
from mastery_model import embedded, exporting, plugins
from mastery_model.cli import main
from mastery_model.model import Catalogue, Text
from mastery_model.outlining import outline
from mastery_model.problems import InvalidDocument, Problem, printable

CLEAR_SCREEN = "\x1b[2J\x1b[H"
SET_TITLE = "\x1b]0;owned\x07"
CLIPBOARD = "\x1b]52;c;ZWNobyBvd25lZA==\x07"  # OSC 52: the clipboard, base64
BIDI = "\u202e\u2066\u2069\u202a"
HOSTILE = f"Evil{CLEAR_SCREEN}{SET_TITLE}{CLIPBOARD}{BIDI}\x85\x9b\x7f\u2028end"
ORDINARY = "Ladrón Ñandú · 東京の会議 · مؤتمر التعليم"
FORMATS = sorted(plugins.installed().exporters)


def _unsafe(character: str) -> bool:
    """What a terminal acts on, said independently of the code under test."""
    return unicodedata.category(character) in ("Cc", "Cs") or character in "\u202a\u202b\u202c\u202d\u202e" + (
        "\u2066\u2067\u2068\u2069\u2028\u2029"
    )


def _raw_unsafe(data: bytes) -> list[str]:
    """The unsafe characters in a command's output, but its own newlines."""
    return sorted({c for c in data.decode("utf-8") if _unsafe(c) and c != "\n"})


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "mastery_model", *args],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def _hostile_document() -> dict[str, Any]:
    document = orjson.loads(embedded.sample_bytes())
    graph = document["@graph"]
    graph[0]["name"] = {"en": f"{HOSTILE} {ORDINARY}"}
    graph[0]["subEvent"][0]["name"] = {"en": HOSTILE}
    person = next(node for node in graph if node["@type"] == "Person")
    person["name"] = f"Isabel{SET_TITLE}{BIDI}"
    return document


# -- show, validate, messages ------------------------------------------------------------------


def test_show_prints_no_control_or_bidi_character_of_the_data_and_ordinary_text_as_it_is(tmp_path):
    path = tmp_path / "hostile.jsonld"
    path.write_bytes(orjson.dumps(_hostile_document()))
    mastery_model.load(path)  # the document is valid: the data itself is what is hostile

    result = _run("show", str(path), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert _raw_unsafe(result.stdout) == []
    shown = result.stdout.decode("utf-8")
    assert "Evil\\x1b[2J\\x1b[H\\x1b]0;owned\\x07\\x1b]52;c;ZWNobyBvd25lZA==\\x07\\u202e\\u2066" in shown
    assert "\\x85\\x9b\\x7f\\u2028end" in shown
    assert ORDINARY in shown
    assert "Isabel\\x1b]0;owned\\x07" in shown


def test_the_outline_escapes_each_line_and_keeps_its_own_line_breaks():
    document = _hostile_document()
    document["@graph"][0]["name"] = {"en": "two\nlines\r\x1b"}
    text = outline(mastery_model.read_document(document))
    assert text.splitlines()[0] == "two\\nlines\\r\\x1b"
    assert _raw_unsafe(text.encode()) == []
    assert text.endswith("\n")


@pytest.fixture
def hostile_tables(tmp_path: Path) -> Path:
    """The sample's csv tables, events.csv given a header whose title drives a terminal."""
    folder = tmp_path / "tables"
    mastery_model.export(mastery_model.sample(), "csv", folder)
    events = folder / "events.csv"
    header, rest = events.read_bytes().split(b"\r\n", 1)
    title = f"evil{SET_TITLE}{CLIPBOARD}\u202e".encode()
    events.write_bytes(header + b',"' + title + b'"\r\n' + rest)
    return folder


def test_validate_writes_a_hostile_header_of_a_table_escaped_and_json_exactly(hostile_tables, tmp_path):
    result = _run("validate", str(hostile_tables), cwd=tmp_path)

    assert result.returncode == 1, result.stderr
    assert _raw_unsafe(result.stdout) == []
    assert "column evil\\x1b]0;owned\\x07\\x1b]52;c;ZWNobyBvd25lZA==\\x07\\u202e: " in result.stdout.decode()

    report = _run("validate", "--format", "json", str(hostile_tables), cwd=tmp_path)
    columns = [problem["column"] for problem in orjson.loads(report.stdout)["documents"][0]["problems"]]
    assert f"evil{SET_TITLE}{CLIPBOARD}\u202e" in columns  # the JSON report is the data as it is


def test_an_error_message_quoting_the_data_is_escaped(hostile_tables, tmp_path):
    result = _run("export", str(hostile_tables), "--to", "jsonld", "-o", str(tmp_path / "out.jsonld"), cwd=tmp_path)

    assert result.returncode == 1
    said = result.stderr.decode()
    assert said.startswith("mastery-model: ")
    assert len(said.splitlines()) > 2  # the message's own lines stay lines
    assert _raw_unsafe(result.stderr) == []
    assert "evil\\x1b]0;owned\\x07" in said
    assert not (tmp_path / "out.jsonld").exists()


def test_a_problem_quotes_a_short_escaped_excerpt_of_a_value():
    problem = Problem("/name", "is too long", f"{CLEAR_SCREEN}{'x' * 1_000_000}", column=f"c{SET_TITLE}")
    said = str(problem)
    assert len(said) < 200
    assert _raw_unsafe(said.encode()) == []
    assert "column c\\x1b]0;owned\\x07" in said
    assert "(found '\\x1b[2J\\x1b[Hxxx" in said


# -- the escaping function ---------------------------------------------------------------------

_ANY = st.characters(codec=None, exclude_categories=())  # every code point, surrogates too
_CONTROLS = [*range(0x20), *range(0x7F, 0xA0), 0x202A, 0x202E, 0x2066, 0x2069, 0x2028, 0x2029, 0xD800, 0xDFFF]
_UNSAFE = st.sampled_from([chr(code) for code in _CONTROLS])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(_ANY, _UNSAFE, st.sampled_from(list(ORDINARY)))))
def test_escaped_text_has_no_control_or_bidi_character_and_text_without_any_is_unchanged(text):
    for lines in (False, True):
        shown = printable(text, lines=lines)
        assert not [c for c in shown if _unsafe(c) and not (lines and c == "\n")]
        if not any(_unsafe(c) for c in text):
            assert shown == text
        assert shown.count("\n") == (text.count("\n") if lines else 0)
        assert printable(shown, lines=lines) == shown  # escaping twice changes nothing more
    printable(text).encode("utf-8")  # what is escaped can always be written (no lone surrogate)


# -- exporting a catalogue built in code -------------------------------------------------------


def _with_event(**changes: Any) -> Catalogue:
    """The sample rebuilt in code, its event changed."""
    sample = mastery_model.sample()
    return attrs.evolve(sample, events=(attrs.evolve(sample.events[0], **changes),))


def _with_session(**changes: Any) -> Catalogue:
    sample = mastery_model.sample()
    event = sample.events[0]
    sessions = (attrs.evolve(event.sessions[0], **changes), *event.sessions[1:])
    return attrs.evolve(sample, events=(attrs.evolve(event, sessions=sessions),))


INJECTED = {
    "a language tag with a line break": lambda: _with_event(name=Text({"en\r\nX-INJECT:1": "a"})),
    "an event's URL with a line break": lambda: _with_event(url="https://example.org/\r\nX-INJECT:1"),
    "a session's URL with a line break": lambda: _with_session(url="https://example.org/\r\nX-INJECT:1"),
}


def _destination(folder: Path, format: str) -> Path:
    return folder / f"out{plugins.installed().exporter(format).extension}"


@pytest.mark.parametrize("case", sorted(INJECTED))
@pytest.mark.parametrize("format", FORMATS)
def test_an_invalid_catalogue_built_in_code_is_refused_with_its_report_and_nothing_written(tmp_path, format, case):
    catalogue = INJECTED[case]()
    stream = io.BytesIO()
    with pytest.raises(InvalidDocument) as raised:
        mastery_model.export(catalogue, format, stream)
    assert raised.value.report.problems
    assert stream.getvalue() == b""

    for destination in (_destination(tmp_path, format), tmp_path / "folder"):
        with pytest.raises(InvalidDocument):
            mastery_model.export(catalogue, format, destination)
    with pytest.raises(InvalidDocument):
        exporting.export_parts(lambda: iter([catalogue]), format, tmp_path / "parts")
    assert list(tmp_path.iterdir()) == []


def test_export_all_of_an_invalid_catalogue_built_in_code_writes_nothing(tmp_path):
    with pytest.raises(InvalidDocument):
        exporting.export_all(INJECTED["a language tag with a line break"](), tmp_path / "all")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.filterwarnings("ignore::mastery_model.ExportWarning")
@pytest.mark.parametrize("format", FORMATS)
def test_a_valid_catalogue_built_in_code_exports_as_the_one_read(format):
    read = mastery_model.sample()
    built = attrs.evolve(read, events=tuple(attrs.evolve(event) for event in read.events))
    assert built is not read

    expected, written, in_parts = io.BytesIO(), io.BytesIO(), io.BytesIO()
    mastery_model.export(read, format, expected)
    mastery_model.export(built, format, written)
    exporting.export_parts(lambda: iter([attrs.evolve(built)]), format, in_parts)

    if format != "csv":  # a zip archive: its entries carry the time they were written
        assert written.getvalue() == expected.getvalue()
        assert in_parts.getvalue() == expected.getvalue()
    assert written.getvalue()


@pytest.mark.filterwarnings("ignore::mastery_model.ExportWarning")
def test_a_catalogue_built_in_code_is_checked_once_however_many_formats_it_is_exported_to(tmp_path, monkeypatch):
    from mastery_model import reading
    from mastery_model.validation import validated

    checked: list[int] = []
    check = reading.validate_catalogue

    def counted(catalogue: Catalogue) -> mastery_model.Report:
        checked.append(id(catalogue))
        return check(catalogue)

    monkeypatch.setattr(reading, "validate_catalogue", counted)
    built = _with_event(url="https://example.org/webinar")

    results = exporting.export_all(built, tmp_path / "all")
    mastery_model.export(built, "ical", io.BytesIO())

    assert [written.format for written in results if written.path] == FORMATS
    assert checked == [id(built)]
    assert built in validated
    assert attrs.evolve(built) not in validated  # an equal catalogue is another one: known by identity only
    key = id(built)
    del built
    assert key not in validated._known  # forgotten with its catalogue


def test_a_line_break_in_a_name_never_begins_a_line_of_a_message(tmp_path, capsys):
    document = orjson.loads(embedded.sample_bytes())
    document["@graph"][0]["name"] = {"en": "Webinar\nmastery-model: forged\r\x1b[1A"}
    path = tmp_path / "forged.jsonld"
    path.write_bytes(orjson.dumps(document))
    output = tmp_path / "out\nmastery-model: forged\x1b]0;owned\x07.json"  # a file's name is data too

    assert main(["export", str(path), "--to", "schemaorg", "-o", str(output)]) == 0

    said = capsys.readouterr().err
    assert output.exists()
    assert "Webinar\\nmastery-model: forged\\r\\x1b[1A" in said  # the warning that the event has no location
    assert "out\\nmastery-model: forged\\x1b]0;owned\\x07.json" in said
    assert not [line for line in said.splitlines() if line.startswith("mastery-model: forged")]
    assert _raw_unsafe(said.encode()) == []


def test_validate_reports_each_input_even_one_that_cannot_be_read_as_asked(tmp_path, capsys):
    good = tmp_path / "good.jsonld"
    good.write_bytes(embedded.sample_bytes())
    folder = tmp_path / "folder"
    folder.mkdir()

    assert main(["validate", str(good), str(folder), str(good), "--from", "jsonld"]) == 1

    said = capsys.readouterr().out.splitlines()
    assert said[0] == f"{good}: valid"
    assert said[1] == f"{folder}: 1 problem"
    assert said[-1] == f"{good}: valid"
