"""Inputs of formats no installed importer reads are refused naming the format, not reported as
broken JSON-LD: iCalendar components that hold no event, the shared C3VOC JSON schedules, a frab
schedule without the frab plugin, and an HTML page."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import fixture_path, fixtures_dir

import mastery_model
from mastery_model import recognised
from mastery_model.plugins import load_plugins

CALENDARS = sorted(fixtures_dir().glob("ics/**/*.ics"))
SCHEDULES_JSON = ["hub-schedule2.json", "pretalx-democon.json", "invalid-example.json"]


def _messages(report: mastery_model.Report) -> list[str]:
    return [problem.message for problem in report.problems]


def test_the_shared_calendars_are_all_recognised() -> None:
    # 28 files: calendars and events saved alone go to the ical importer, an alarm saved alone is refused
    fixture_path("ics")
    from mastery_model.builtin.ical import sniff

    unrecognised = [
        path.name
        for path in CALENDARS
        if not sniff(path.read_bytes()[:4096]) and recognised.refusal(path.read_bytes()[:4096]) is None
    ]
    assert (len(CALENDARS), unrecognised) == (28, [])


def test_a_component_that_holds_no_event_is_refused_as_icalendar() -> None:
    path = fixture_path("ics/collective-icalendar/alarms__rfc_5545_absolute_alarm_example.ics")
    report = mastery_model.validate(path)
    assert _messages(report) == [
        "this is an iCalendar component that holds no event (a to-do, journal, free/busy time, zone or alarm "
        "saved alone), which no installed importer reads: the ical importer reads calendars (BEGIN:VCALENDAR) "
        "and the events (BEGIN:VEVENT) in them"
    ]
    assert report.problems[0].source == str(path)


@pytest.mark.parametrize("name", SCHEDULES_JSON)
def test_a_c3voc_json_schedule_without_the_plugin_is_refused_naming_the_plugin(name) -> None:
    data = fixture_path(f"c3voc-schedule/examples/{name}").read_bytes()
    builtin_only = load_plugins(entry_points_group=None).formats()
    (message,) = _messages(mastery_model.validate(data, registry=builtin_only))
    assert message.startswith("this is a C3VOC JSON schedule")
    assert "schedule-json" in message
    assert "mastery-model-frab" in message


@pytest.mark.parametrize("name", SCHEDULES_JSON)
def test_a_c3voc_json_schedule_is_recognised_by_its_schema_and_schedule(name) -> None:
    head = fixture_path(f"c3voc-schedule/examples/{name}").read_bytes()[:4096]
    assert recognised.is_c3voc_schedule_json(head)
    assert not recognised.is_c3voc_schedule_json(b'{"schedule": {"conference": {}}}')  # no C3VOC $schema


def test_a_frab_schedule_without_the_plugin_is_refused_naming_the_plugin() -> None:
    data = fixture_path("frab/fosdem-2018.xml").read_bytes()
    builtin_only = load_plugins(entry_points_group=None).formats()
    report = mastery_model.validate(data, registry=builtin_only)
    assert _messages(report) == [
        "this is a frab schedule (XML), which no installed importer reads: "
        "install the frab plugin: pip install mastery-model-frab"
    ]


PAGE = b"<!DOCTYPE html>\n<html><head><title>Webinar</title></head></html>"


def test_an_html_page_goes_to_the_schemaorg_reader_which_names_what_it_lacks() -> None:
    (message,) = _messages(mastery_model.validate(PAGE))
    assert message.startswith('the HTML page holds no JSON-LD (no <script type="application/ld+json">')


def test_an_html_page_without_the_schemaorg_format_is_refused_as_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MASTERY_MODEL_PLUGINS", "jsonld")
    (message,) = _messages(mastery_model.validate(PAGE, registry=load_plugins(entry_points_group=None).formats()))
    assert message.startswith("this is an HTML page, which no installed importer reads")
    assert "schemaorg" in message


def test_a_named_format_is_still_read_as_named() -> None:
    # asked for explicitly, the reader says what is wrong in its own terms
    report = mastery_model.validate(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", format="jsonld")
    assert "not valid JSON" in str(report)


def test_json_of_no_known_format_gets_the_canonical_readers_report() -> None:
    assert "'@graph' is required" in str(mastery_model.validate(b'{"name": "x"}'))


@given(st.binary(max_size=300))
def test_any_bytes_are_recognised_or_not_without_error(head: bytes) -> None:
    refusal = recognised.refusal(head)
    assert refusal is None or refusal.startswith("this is ")
