"""The ical exporter: strict conformance on every output, and three parsers that agree with the model."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta, timezone

import attrs
import icalendar
import orjson
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from ical_conformance import problems
from strategies import catalogues

import mastery_model
from mastery_model import Selection, Text
from mastery_model.model import walk_sessions

SAMPLE = mastery_model.sample()

GOOD = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//test//EN\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Madrid\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20241001T000000Z\r\n"
    "DTSTART;TZID=Europe/Madrid:20241015T100000\r\nDTEND;TZID=Europe/Madrid:20241015T110000\r\n"
    "SUMMARY:Spain\\, Finland\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
BAD = {
    "rule 1": GOOD.replace("VERSION:2.0\r\n", "VERSION:2.0\n"),
    "rule 2": GOOD.replace("SUMMARY:Spain", "SUMMARY:" + "x" * 80),
    "rule 2 (a fold splits a UTF-8 sequence)": GOOD.replace(
        "SUMMARY:Spain\\, Finland\r\n", "SUMMARY:" + "x" * 66 + "\xe9\r\n"
    ),
    "rule 3 (a raw control character)": GOOD.replace("Spain", "Sp\x07ain"),
    "rule 3 (an unescaped comma)": GOOD.replace("Spain\\, Finland", "Spain, Finland"),
    "rule 3 (an unescaped line break)": GOOD.replace("SUMMARY:Spain\\, Finland", "SUMMARY:Spain\r\nand Finland"),
    "rule 4": GOOD.replace("VERSION:2.0\r\n", "VERSION:2.0\r\nVERSION:2.0\r\n"),
    "rule 5 (no DTSTAMP)": GOOD.replace("DTSTAMP:20241001T000000Z\r\n", ""),
    "rule 5 (a DTSTAMP not in UTC)": GOOD.replace("DTSTAMP:20241001T000000Z", "DTSTAMP:20241001T000000"),
    "rule 5 (a UID twice)": GOOD.replace(
        "END:VEVENT\r\n", "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20241001T000000Z\r\nEND:VEVENT\r\n"
    ),
    "rule 6": GOOD.replace("DTEND;TZID=Europe/Madrid:20241015T110000", "DTEND;TZID=Europe/Madrid:20241015T090000"),
    "rule 7": GOOD.replace("TZID=Europe/Madrid:20241015T100000", "TZID=Europe/Rome:20241015T100000"),
    "rule 8": GOOD.replace("Europe/Madrid", "Central European Time"),
    "rule 9": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//test//EN\r\nEND:VCALENDAR\r\n",
}


def ics(catalogue, **options) -> bytes:
    stream = io.BytesIO()
    mastery_model.export(catalogue, "ical", stream, **options)
    return stream.getvalue()


def test_the_check_accepts_a_good_calendar():
    assert problems(GOOD.encode()) == []


@pytest.mark.parametrize("rule", sorted(BAD))
def test_the_check_rejects_each_bad_calendar_for_its_rule(rule):
    data = BAD[rule].encode("utf-8")
    if "fold" in rule:  # fold after the first octet of é
        line = ("SUMMARY:" + "x" * 66 + "\xe9").encode()
        data = GOOD.encode().replace(b"SUMMARY:Spain\\, Finland\r\n", line[:75] + b"\r\n " + line[75:] + b"\r\n")
    found = problems(data)
    assert any(problem.startswith(rule.split(" (")[0]) for problem in found), found


def _parsed(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.errors == []
    assert all(component.errors == [] for component in calendar.walk())
    checked = vobject.readOne(data.decode("utf-8"))
    checked.validate()
    IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return calendar


def _dated(catalogue):
    for event in catalogue.events:
        if event.start is not None:
            yield event
        yield from (session for session in walk_sessions(event.sessions) if session.start is not None)


def _clean(text: str) -> str:
    """The text as iCalendar carries it: line breaks as LF, the other controls but tab dropped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", lines)


def test_the_sample_is_a_conformant_calendar_every_parser_reads():
    data = ics(SAMPLE)
    assert problems(data) == []
    (vevent,) = _parsed(data).walk("VEVENT")
    assert str(vevent["UID"]) == SAMPLE.events[0].id
    assert vevent["DTSTART"].dt == date(2024, 10, 15)
    assert vevent["DTEND"].dt == date(2024, 10, 16)  # the end is exclusive for a whole day
    assert "Giulia Alessandri" in str(vevent["DESCRIPTION"])  # an undated session, listed in its parent


@settings(max_examples=40)
@given(catalogues())
def test_any_catalogue_gives_a_conformant_calendar_with_its_titles_times_and_ids(catalogue):
    if not list(_dated(catalogue)):
        with pytest.raises(mastery_model.MissingData, match="has no start"):
            ics(catalogue)
        return
    data = ics(catalogue)
    assert problems(data) == []
    vevents = {str(vevent["UID"]): vevent for vevent in _parsed(data).walk("VEVENT")}
    dated = list(_dated(catalogue))
    assert set(vevents) == {entity.id for entity in dated}
    for entity in dated:
        vevent = vevents[entity.id]
        assert str(vevent["SUMMARY"]) == _clean(str(entity.name))
        start = vevent["DTSTART"].dt
        if isinstance(entity.start, datetime):
            assert start == entity.start.replace(microsecond=0)  # the same instant, to the second
            if entity.time_zone:  # in its zone; a bare offset is written in UTC
                assert start.utcoffset() == entity.start.utcoffset()
        else:
            assert start == entity.start


@settings(max_examples=15)
@given(
    st.text(min_size=1, max_size=60).map(lambda piece: (piece * 5000)[:5000]),
    st.sampled_from([",;\\\r\n\x00\x1b", "😀é漢", "END:VCALENDAR\r\n"]),
)
def test_hostile_and_long_texts_cannot_break_the_calendar(text, hostile):
    event = attrs.evolve(
        SAMPLE.events[0], name=Text.of(hostile + text[:50], "en"), description=Text.of(text + hostile, "en")
    )
    data = ics(attrs.evolve(SAMPLE, events=(event,)))
    assert problems(data) == []
    (vevent,) = _parsed(data).walk("VEVENT")
    assert str(vevent["DESCRIPTION"]).startswith(_clean(text + hostile))


def test_zones_get_their_vtimezone_and_offsets_only_are_utc():
    madrid = datetime(2024, 10, 15, 10, tzinfo=timezone(timedelta(hours=2)))
    timed = attrs.evolve(SAMPLE.events[0], start=madrid, end=madrid + timedelta(hours=2), time_zone="Europe/Madrid")
    data = ics(attrs.evolve(SAMPLE, events=(timed,)))
    assert b"DTSTART;TZID=Europe/Madrid:20241015T100000\r\n" in data
    assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/Madrid\r\n" in data
    assert problems(data) == []
    utc_only = attrs.evolve(timed, time_zone=None)
    assert b"DTSTART:20241015T080000Z\r\n" in ics(attrs.evolve(SAMPLE, events=(utc_only,)))


def test_the_same_data_gives_the_same_bytes_and_updates_show():
    assert ics(SAMPLE) == ics(SAMPLE)
    assert b"DTSTAMP:19700101T000000Z" in ics(SAMPLE)  # no modification time in the data: a fixed stand-in
    modified = datetime(2024, 10, 20, 9, tzinfo=UTC)
    updated = attrs.evolve(SAMPLE.events[0], modified=modified, revision=3, status=mastery_model.Status.CANCELLED)
    data = ics(attrs.evolve(SAMPLE, events=(updated,)))
    for line in (b"DTSTAMP:20241020T090000Z", b"LAST-MODIFIED:20241020T090000Z", b"SEQUENCE:3", b"STATUS:CANCELLED"):
        assert line + b"\r\n" in data


def test_feed_options_and_a_personal_selection():
    giulia = next(person for person in SAMPLE.people if person.name == "Giulia Alessandri")
    stream = io.BytesIO()
    mastery_model.export(
        SAMPLE,
        "ical",
        stream,
        select=Selection(person=giulia.id),
        name="Giulia's sessions",
        refresh="PT12H",
        source="https://example.org/giulia.ics",
        language="en",
    )
    data = stream.getvalue()
    assert b"NAME:Giulia's sessions\r\n" in data
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in data
    assert b"SOURCE;VALUE=URI:https://example.org/giulia.ics\r\n" in data
    assert b"SUMMARY;LANGUAGE=en:" in data
    assert problems(data) == []
    description = str(_parsed(data).walk("VEVENT")[0]["DESCRIPTION"])
    assert "Giulia Alessandri" in description
    assert "Isabel" not in description


def test_a_large_catalogue_gives_a_conformant_calendar(tmp_path):
    import importlib.util

    from support import ROOT

    spec = importlib.util.spec_from_file_location("catalogue_generator", ROOT / "benchmarks" / "catalogue.py")
    assert spec is not None
    assert spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    catalogue = mastery_model.loads(orjson.dumps(generator.generate(1000)))
    data = ics(catalogue)
    assert problems(data) == []
    vevents = _parsed(data).walk("VEVENT")
    assert len(vevents) == len(list(_dated(catalogue)))
    assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\n" in data
