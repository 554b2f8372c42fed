"""JSON Lines in, a format that writes a part at a time out: an event at a time, the same bytes."""

from __future__ import annotations

import io
import warnings

import attrs
import pytest
from hypothesis import given, settings
from strategies import catalogues

import mastery_model
from mastery_model import InvalidDocument
from mastery_model.canonical import iter_line_catalogues
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
    registry = mastery_model.exporting.installed()
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
    registry = mastery_model.exporting.installed()
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
