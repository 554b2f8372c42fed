"""JSON Lines in, a format that writes a part at a time out: an event at a time, the same bytes."""

from __future__ import annotations

import io
import warnings
import weakref

import attrs
import orjson
import pytest
from hypothesis import given, settings
from strategies import catalogues

import mastery_model
from mastery_model import InvalidDocument, conversion
from mastery_model.builtin.jsonld.lines import iter_line_catalogues
from mastery_model.exporting import export_parts


def _whole_and_parts(catalogue, format, tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_bytes(mastery_model.dumps(catalogue, lines=True))
    whole, parts = io.BytesIO(), io.BytesIO()
    mastery_model.export(mastery_model.load(path), format, whole)
    export_parts(lambda: iter_line_catalogues(path), format, parts)
    return whole.getvalue(), parts.getvalue()


@settings(max_examples=25)
@given(catalogues(max_events=3))
def test_a_calendar_written_a_part_at_a_time_is_the_calendar_of_the_whole(tmp_path_factory, catalogue):
    if not any(e.start for e in catalogue.events) and not any(
        s.start for e in catalogue.events for s in mastery_model.model.walk_sessions(e.sessions)
    ):
        return
    whole, parts = _whole_and_parts(catalogue, "ical", tmp_path_factory.mktemp("ical"))
    assert parts == whole


@settings(max_examples=15)
@given(catalogues(max_events=3))
def test_json_lines_written_a_part_at_a_time_are_the_same_lines(tmp_path_factory, catalogue):
    whole, parts = _whole_and_parts(catalogue, "jsonl", tmp_path_factory.mktemp("jsonl"))
    assert parts == whole


@pytest.mark.parametrize("options", [{}, {"html": "yes"}])
@settings(max_examples=15)
@given(catalogue=catalogues(max_events=3))
def test_markup_written_a_part_at_a_time_is_the_markup_of_the_whole(tmp_path_factory, catalogue, options):
    path = tmp_path_factory.mktemp("schemaorg") / "events.jsonl"
    path.write_bytes(mastery_model.dumps(catalogue, lines=True))
    whole, parts = io.BytesIO(), io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mastery_model.ExportWarning)
        mastery_model.export(mastery_model.load(path), "schemaorg", whole, **options)
        export_parts(lambda: iter_line_catalogues(path), "schemaorg", parts, **options)
    assert parts.getvalue() == whole.getvalue()


@settings(max_examples=15)
@given(catalogues(max_events=3))
def test_a_canonical_document_written_a_part_at_a_time_is_the_document_of_the_whole(tmp_path_factory, catalogue):
    whole, parts = _whole_and_parts(catalogue, "jsonld", tmp_path_factory.mktemp("jsonld"))
    assert parts == whole
    assert mastery_model.loads(parts) == mastery_model.loads(whole)


def test_every_built_in_format_writes_a_part_at_a_time():
    registry = mastery_model.plugins.installed()
    assert all(registry.exporter(name).write_parts is not None for name in registry.exporters)


def test_a_bad_line_stops_the_stream_and_leaves_no_file(tmp_path):
    good = mastery_model.dumps(mastery_model.sample(), lines=True)
    path = tmp_path / "events.jsonl"
    path.write_bytes(good + b'{"@context": 1}\n')
    with pytest.raises(InvalidDocument) as raised:
        export_parts(lambda: iter_line_catalogues(path), "ical", tmp_path / "out.ics")
    assert raised.value.report.problems[0].line == 2
    assert raised.value.report.problems[0].source == str(path)
    assert not (tmp_path / "out.ics").exists()


def test_a_format_without_parts_gets_the_whole_catalogue(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_bytes(mastery_model.dumps(mastery_model.sample(), lines=True))
    seen = []
    exporter = mastery_model.Exporter(
        "whole", "Whole", "text/plain", ".txt", write=lambda catalogue, stream, options: seen.append(catalogue)
    )
    registry = mastery_model.plugins.installed()
    registry = attrs.evolve(
        registry, exporters={**registry.exporters, "whole": attrs.evolve(registry.exporters["jsonld"], format=exporter)}
    )
    export_parts(lambda: iter_line_catalogues(path), "whole", io.BytesIO(), registry=registry)
    assert seen == [mastery_model.load(path)]


def test_a_selection_applies_to_each_part(tmp_path):
    from mastery_model import Selection
    from mastery_model.cli import main

    path = tmp_path / "events.jsonl"
    path.write_bytes(mastery_model.dumps(mastery_model.sample(), lines=True))
    finland = io.BytesIO()
    export_parts(lambda: iter_line_catalogues(path), "jsonl", finland, select=Selection(country="FI"))
    expected = mastery_model.dumps(Selection(country="FI").apply(mastery_model.load(path)), lines=True)
    assert finland.getvalue() == expected
    with pytest.raises(mastery_model.EmptySelection, match="country DE"):
        export_parts(lambda: iter_line_catalogues(path), "jsonl", io.BytesIO(), select=Selection(country="DE"))
    assert main(["export", str(path), "--to", "jsonl", "--country", "FI", "-o", str(tmp_path / "fi.jsonl")]) == 0
    assert (tmp_path / "fi.jsonl").read_bytes() == expected


# -- export_file: the public streaming export -------------------------------------------------------

_CONTEXT = "https://w3id.org/mastery-model/v1/context.jsonld"
_ANA = "https://example.org/people/ana"


def _line(name, person_name="Ana", event_id=None):
    """A JSON Lines line: an event organised by Ana, who is on the line too."""
    event = {"@type": "EducationEvent", "name": {"en": name}, "organizer": [_ANA], "startDate": "2025-03-20"}
    if event_id is not None:
        event["@id"] = event_id
    person = {"@type": "Person", "@id": _ANA, "name": person_name}
    return orjson.dumps({"@context": _CONTEXT, "@graph": [event, person]}) + b"\n"


@pytest.mark.parametrize(
    ("lines", "said"),
    [
        pytest.param([_line("One"), _line("Two", "Ana B")], "differs from the one on line 1", id="person-differs"),
        pytest.param(
            [
                _line("One", event_id="https://example.org/events/1"),
                _line("Two", event_id="https://example.org/events/1"),
            ],
            "used on line 1 too",
            id="event-id-twice",
        ),
    ],
)
@pytest.mark.parametrize("format", ["jsonl", "jsonld", "ical", "schemaorg", "csv"])
def test_a_streamed_export_refuses_what_load_refuses_across_lines_and_writes_nothing(tmp_path, lines, said, format):
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"".join(lines))
    output = tmp_path / "out"
    assert mastery_model.exporting.writes_parts(format, output)  # the streamed path is the one tried
    with pytest.raises(InvalidDocument, match=said) as raised:
        mastery_model.export_file(path, format, output)
    assert raised.value.report == mastery_model.validate(path)  # the report load gives, line by line
    assert list(tmp_path.iterdir()) == [path]


def test_a_streamed_export_reports_every_line_with_problems_before_writing(tmp_path):
    path = tmp_path / "events.jsonl"
    path.write_bytes(_line("One") + b'{"@context": 1}\n' + _line("Three", "Ana C"))
    stream = io.BytesIO()
    with pytest.raises(InvalidDocument) as raised:
        mastery_model.export_file(path, "jsonl", stream)
    assert [problem.line for problem in raised.value.report] == [line.line for line in mastery_model.validate(path)]
    assert {problem.line for problem in raised.value.report} == {2, 3}
    assert stream.getvalue() == b""  # checked before the first event goes out, to a stream too


def _live_events(monkeypatch):
    """The most events alive at once while lines are read, and how many lines were read."""
    alive: list[weakref.ref] = []
    seen = {"most": 0, "read": 0}
    structure = conversion.structure_document  # what every line's document goes through, on every pass

    def counted(document):
        alive[:] = [ref for ref in alive if ref() is not None]
        seen["most"] = max(seen["most"], len(alive))
        catalogue, layout = structure(document)
        seen["read"] += 1
        alive.extend(weakref.ref(event) for event in catalogue.events)
        return catalogue, layout

    monkeypatch.setattr(conversion, "structure_document", counted)
    return seen


@pytest.mark.parametrize("format", ["jsonl", "jsonld", "ical"])
def test_a_streamed_export_holds_an_event_at_a_time(tmp_path, monkeypatch, format):
    events = 30
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"".join(_line(f"Webinar {number}") for number in range(events)))
    expected = io.BytesIO()
    mastery_model.export(mastery_model.load(path), format, expected)
    seen = _live_events(monkeypatch)
    streamed = io.BytesIO()
    mastery_model.export_file(path, format, streamed)
    assert seen["read"] >= 2 * events  # to a stream: the checking pass, then the writing pass(es)
    assert seen["most"] <= 2  # the event being written, and the one read before it
    assert streamed.getvalue() == expected.getvalue()

    seen["read"] = 0
    mastery_model.export_file(path, format, tmp_path / f"out.{format}")
    passes = 2 if format == "ical" else 1  # to a file: the checks made in the writer's first pass
    assert seen["read"] == passes * events
    assert (tmp_path / f"out.{format}").read_bytes() == expected.getvalue()


def test_export_file_gives_the_bytes_of_exporting_the_loaded_catalogue(tmp_path):
    lines = tmp_path / "events.jsonl"
    lines.write_bytes(b"".join(_line(f"Webinar {number}") for number in range(3)))
    document = tmp_path / "events.jsonld"
    mastery_model.dump(mastery_model.load(lines), document)
    for source in (lines, document):
        for format in ("jsonl", "jsonld", "ical", "schemaorg"):
            loaded, exported = io.BytesIO(), io.BytesIO()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", mastery_model.ExportWarning)
                mastery_model.export(mastery_model.load(source), format, loaded)
                mastery_model.export_file(source, format, exported)
            assert exported.getvalue() == loaded.getvalue(), (source.name, format)


@pytest.mark.parametrize("format", ["jsonl", "jsonld", "ical", "schemaorg", "csv"])
def test_the_command_line_and_export_file_write_the_same_bytes(tmp_path, format):
    from mastery_model.cli import main

    path = tmp_path / "events.jsonl"
    path.write_bytes(b"".join(_line(f"Webinar {n}", event_id=f"https://example.org/events/{n}") for n in range(3)))
    chosen = "https://example.org/events/1"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mastery_model.ExportWarning)
        mastery_model.export_file(path, format, tmp_path / "api", select=mastery_model.Selection(ids=(chosen,)))
    assert main(["export", str(path), "--to", format, "--id", chosen, "-o", str(tmp_path / "cli")]) == 0
    api, cli = tmp_path / "api", tmp_path / "cli"
    if api.is_dir():  # a format of several files: the folder's files, the manifest aside
        assert {f.name: f.read_bytes() for f in api.iterdir() if f.name != mastery_model.files.MANIFEST} == {
            f.name: f.read_bytes() for f in cli.iterdir() if f.name != mastery_model.files.MANIFEST
        }
    else:
        assert api.read_bytes() == cli.read_bytes()


@pytest.mark.parametrize("name", ["events.jsonl", "events.jsonld"])
def test_export_file_refuses_to_overwrite_its_source(tmp_path, name):
    path = tmp_path / name
    mastery_model.dump(mastery_model.sample(), path)
    before = path.read_bytes()
    with pytest.raises(mastery_model.problems.OutputIsInput):
        mastery_model.export_file(path, "jsonl" if name.endswith(".jsonl") else "jsonld", path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_export_file_reads_a_file_named_as_json_lines_as_lines_unless_its_format_is_named(tmp_path):
    path = tmp_path / "event.jsonl"  # one document over several lines
    path.write_bytes(
        orjson.dumps(orjson.loads(mastery_model.dumps(mastery_model.sample())), option=orjson.OPT_INDENT_2)
    )
    with pytest.raises(InvalidDocument, match="line 1") as raised:
        mastery_model.export_file(path, "ical", tmp_path / "event.ics")
    assert len(raised.value.report) == 1  # the first line is not JSON: the lines after it are not listed
    assert not (tmp_path / "event.ics").exists()
    mastery_model.export_file(path, "ical", tmp_path / "event.ics", source_format="jsonld")
    expected = io.BytesIO()
    mastery_model.export(mastery_model.sample(), "ical", expected)
    assert (tmp_path / "event.ics").read_bytes() == expected.getvalue()


def test_export_file_refuses_an_unknown_format_before_reading(tmp_path):
    with pytest.raises(mastery_model.UsageError):
        mastery_model.export_file(tmp_path / "missing.jsonl", "nothing", io.BytesIO())
    with pytest.raises(mastery_model.UsageError):
        mastery_model.export_file(tmp_path / "missing.jsonl", "jsonl", io.BytesIO(), source_format="nothing")


def test_an_export_file_warning_points_at_the_callers_line(tmp_path):
    path = tmp_path / "events.jsonl"
    mastery_model.dump(mastery_model.sample(), path)
    with pytest.warns(mastery_model.ExportWarning) as caught:
        mastery_model.export_file(path, "schemaorg", tmp_path / "markup.jsonld")
    assert {warning.filename for warning in caught} == {__file__}


@settings(max_examples=15)
@given(catalogues(max_events=3))
def test_export_file_of_any_json_lines_is_the_export_of_the_loaded_catalogue(tmp_path_factory, catalogue):
    path = tmp_path_factory.mktemp("export-file") / "events.jsonl"
    path.write_bytes(mastery_model.dumps(catalogue, lines=True))
    for format in ("jsonld", "jsonl"):
        whole, streamed = io.BytesIO(), io.BytesIO()
        mastery_model.export(mastery_model.load(path), format, whole)
        mastery_model.export_file(path, format, streamed)
        assert streamed.getvalue() == whole.getvalue()
