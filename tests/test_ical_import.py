"""The ical importer: the library's own calendars read back as written, every shared calendar read
(or refused) with its counts, and what real feeds get wrong read with a warning each."""

from __future__ import annotations

import io
import re
import warnings
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from strategies import catalogues
from support import fixture_path

import mastery_model
from mastery_model import Catalogue, Event, Place, Session, SessionKind, Status, Text, VirtualLocation
from mastery_model.builtin.ical import writing
from mastery_model.html_text import holds_html
from mastery_model.importing import read as read_bytes
from mastery_model.model import walk_sessions

KINDS = {kind.value for kind in SessionKind}


def ics(catalogue: Catalogue, **options: str) -> bytes:
    stream = io.BytesIO()
    mastery_model.export(catalogue, "ical", stream, **options)
    return stream.getvalue()


def read(data: bytes, **options: str) -> tuple[Catalogue, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        catalogue = read_bytes(data, format="ical", **options)
    return catalogue, [
        str(warning.message) for warning in caught if issubclass(warning.category, mastery_model.ReadWarning)
    ]


# -- what iCalendar carries, read back equal ---------------------------------------------------------


def _clean(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", lines)


def _text(text: Text | None, language: str) -> Text | None:
    """A text as a calendar carries it: one language (the name's), controls dropped, no markup."""
    if text is None:
        return None
    value = _clean(text.translations[0][1]).replace("<", "").replace("&", "")
    return Text({language: value}) if value.strip() else None


def _moment(moment, zone_name):
    if isinstance(moment, datetime):
        moment = moment.replace(microsecond=0)
        return moment if zone_name else moment.astimezone(UTC)
    return moment


def _carried(entity, language: str | None = None):
    """The entity as the library's calendar carries it (see docs/ical.md, "What cannot be carried")."""
    name = _text(entity.name, entity.name.translations[0][0]) or Text({entity.name.translations[0][0]: "x"})
    language = name.translations[0][0]
    start, end = _moment(entity.start, entity.time_zone), _moment(entity.end, entity.time_zone)
    if isinstance(start, datetime):
        end = end if isinstance(end, datetime) and end > start else None
    else:
        end = end if isinstance(end, date) and not isinstance(end, datetime) else start
    places = [writing._Calendar(Catalogue(), {}).place(p) for p in entity.locations if isinstance(p, Place)]
    places = [_clean(place) for place in places]
    locations = [Place(name=Text({language: "; ".join(places)}))] if any(p.strip() for p in places) else []
    for location in entity.locations:
        if isinstance(location, VirtualLocation):
            platform = writing._parameter(location.platform)[1:-1].strip() if location.platform else ""
            locations.append(VirtualLocation(writing.uri(location.url), platform or None))
    topics = tuple(dict.fromkeys(t for t in (_clean(topic).strip() for topic in entity.topics) if t and t not in KINDS))
    status = {Status.RESCHEDULED: Status.SCHEDULED, Status.MOVED_ONLINE: Status.SCHEDULED, Status.POSTPONED: None}
    fields = {
        "name": name,
        "description": _text(entity.description, language),
        "start": start,
        "end": end,
        "time_zone": entity.time_zone if isinstance(start, datetime) else None,
        "status": status.get(entity.status, entity.status),
        "locations": tuple(dict.fromkeys(locations)),
        "url": writing.uri(entity.url) if entity.url else None,  # a URI: iCalendar takes no IRI
        "topics": topics,
        "modified": entity.modified.astimezone(UTC).replace(microsecond=0) if entity.modified else None,
        "revision": entity.revision,
        "sessions": tuple(_carried(s) for s in entity.sessions if s.start is not None),
    }
    if isinstance(entity, Session):
        return Session(id=entity.id, kind=entity.kind, **fields)
    return Event(id=entity.id, **fields)


def carried(catalogue: Catalogue) -> Catalogue:
    events = tuple(_carried(event) for event in catalogue.events if event.start is not None)
    return Catalogue(events=events)


@settings(max_examples=40, deadline=None)
@given(catalogues(max_events=1))
def test_what_the_calendar_carries_reads_back_equal(catalogue: Catalogue) -> None:
    expected = carried(catalogue)
    if not expected.events:
        return
    back, _said = read(ics(expected))
    assert back == expected


@settings(max_examples=20, deadline=None)
@given(catalogues(max_events=3))
def test_a_calendar_of_several_events_reads_back_with_events_each(catalogue: Catalogue) -> None:
    expected = carried(catalogue)
    if not expected.events:
        return
    back, _said = read(ics(expected), events="each")
    assert back == expected


def test_the_sample_reads_back_with_its_dated_sessions_and_ids() -> None:
    sample = mastery_model.sample()
    back, said = read(ics(sample))
    (event,) = back.events
    assert event.id == sample.events[0].id
    assert event.name == sample.events[0].name
    assert (event.start, event.end) == (date(2024, 10, 15), date(2024, 10, 15))
    assert said == []


# -- every shared calendar: read with its counts, or refused -----------------------------------------

#: Each shared calendar: (events, sessions, people, warnings) read, or the first problem's line and
#: the start of its message.
READ = {
    "allenporter-ical/compat__office_365_invalid_timezone.ics": (1, 0, 0, 3),
    "allenporter-ical/datetime_vtimezone.ics": (1, 0, 0, 3),
    "allenporter-ical/duration_negative.ics": (1, 0, 0, 2),
    "allenporter-ical/event_attendee.ics": (1, 0, 1, 2),
    "allenporter-ical/event_properties.ics": (1, 0, 0, 3),
    "allenporter-ical/examples__apple_ical.ics": (1, 407, 0, 4),
    "allenporter-ical/examples__google_calendar_public_holidays.ics": (1, 111, 0, 2),
    "allenporter-ical/examples__recurring_with_single_change.ics": (1, 3, 0, 3),
    "allenporter-ical/parsing__valid__languages.ics": (1, 9, 0, 2),
    "collective-icalendar/calendars__america_new_york.ics": (1, 0, 0, 2),
    "collective-icalendar/calendars__example.ics": (1, 3, 0, 3),
    "collective-icalendar/calendars__issue_722_missing_VTIMEZONE_custom.ics": (1, 0, 0, 4),
    "collective-icalendar/calendars__multiple_calendar_components.ics": (2, 2, 0, 4),
    "collective-icalendar/calendars__timezoned.ics": (1, 0, 0, 2),
    "collective-icalendar/events__event_with_unicode_fields.ics": (1, 0, 0, 3),
    "conference-exports/kielux_2020.ics": (1, 24, 20, 3),
}
REFUSED = {
    "allenporter-ical/parsing__invalid__invalid_param_value.ics": (2, "not an iCalendar content line"),
    "allenporter-ical/parsing__invalid__missing_colon.ics": (2, "not an iCalendar content line"),
    "allenporter-ical/parsing__valid__fold.ics": (1, "the VEVENT has no DTSTART"),
    "allenporter-ical/timezone_ny.ics": (1, "the file holds no VEVENT"),
    "collective-icalendar/alarms__rfc_5545_absolute_alarm_example.ics": (
        None,
        "this is an iCalendar component that holds no event",
    ),
    "collective-icalendar/calendars__big_bad_calendar.ics": (1, "the VCALENDAR begun here is not ended"),
    "collective-icalendar/calendars__broken_ical.ics": (4, "not an iCalendar content line"),
    "collective-icalendar/calendars__invalid_duration.ics": (8, "the DURATION cannot be read"),
    "collective-icalendar/calendars__parsing_error.ics": (18, "the EXDATE cannot be read"),
    "collective-icalendar/calendars__rfc_5545_RDATE_example.ics": (2, "the VEVENT has no DTSTART"),
    "collective-icalendar/calendars__rfc_7986_conferences.ics": (2, "the VEVENT has no DTSTART"),
    "collective-icalendar/events__event_with_escaped_characters.ics": (1, "the VEVENT has no DTSTART"),
}


def test_every_shared_calendar_has_its_outcome() -> None:
    folder = fixture_path("ics")
    assert sorted(str(path.relative_to(folder)) for path in folder.glob("**/*.ics")) == sorted([*READ, *REFUSED])


@pytest.mark.parametrize("name", sorted(READ))
def test_a_shared_calendar_reads_with_its_counts(name: str) -> None:
    path = fixture_path(f"ics/{name}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        catalogue = mastery_model.load(path)
    said = [str(w.message) for w in caught if issubclass(w.category, mastery_model.ReadWarning)]
    sessions = sum(1 for event in catalogue.events for _ in walk_sessions(event.sessions))
    assert (len(catalogue.events), sessions, len(catalogue.people), len(said)) == READ[name], said
    assert all(message.startswith("ical: ") for message in said)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_shared_calendar_that_holds_no_readable_event_is_refused_at_its_line(name: str) -> None:
    path = fixture_path(f"ics/{name}")
    report = mastery_model.validate(path)
    line, message = REFUSED[name]
    first = report.problems[0]
    assert (first.line, first.source) == (line, str(path))
    assert first.message.startswith(message), first.message


def test_a_conference_export_keeps_its_speakers_urls_and_plain_texts() -> None:
    catalogue = mastery_model.load(fixture_path("ics/conference-exports/kielux_2020.ics"))
    (event,) = catalogue.events
    assert str(event.name) == "18. Kieler Open Source und Linux Tage"
    first = event.sessions[0]
    assert first.external_ids[0].value == "460@KOLT20"
    assert first.url == "https://kielux.de/programm/KOLT20#460"
    assert first.start == datetime(2020, 9, 18, 11, tzinfo=UTC)
    assert [p.name for p in catalogue.people if p.id == first.contributions[0].contributor] == ["Jakob Semere"]
    assert first.contributions[0].role.value == "speaker"
    assert not any(holds_html(str(s.description)) for s in event.sessions if s.description)


# -- what feeds get wrong ----------------------------------------------------------------------------------------------


def _calendar(*vevents: str, head: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{vevent}END:VEVENT\r\n" for vevent in vevents)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n{head}{body}END:VCALENDAR\r\n".encode()


ONE = "UID:a@x\r\nSUMMARY:One\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\n"


def test_a_windows_zone_name_is_read_as_its_iana_zone_with_a_warning() -> None:
    data = _calendar(ONE.replace("DTSTART:20240101T100000Z", "DTSTART;TZID=W. Europe Standard Time:20240101T100000"))
    catalogue, said = read(data)
    (event,) = catalogue.events
    assert event.time_zone == "Europe/Berlin"
    assert event.start == datetime(2024, 1, 1, 9, tzinfo=UTC)
    assert any("TZID 'W. Europe Standard Time', read as Europe/Berlin" in message for message in said)


def test_floating_times_take_the_option_else_x_wr_timezone_else_utc_with_a_warning() -> None:
    floating = ONE.replace("100000Z", "100000").replace("110000Z", "110000")
    catalogue, said = read(_calendar(floating), **{"time-zone": "Europe/Madrid"})
    assert catalogue.events[0].start == datetime(2024, 1, 1, 9, tzinfo=UTC)
    assert not any("floating" in message for message in said)
    catalogue, said = read(_calendar(floating, head="X-WR-TIMEZONE:Europe/Helsinki\r\n"))
    assert catalogue.events[0].start == datetime(2024, 1, 1, 8, tzinfo=UTC)
    assert any("floating" in message and "X-WR-TIMEZONE, Europe/Helsinki" in message for message in said)
    catalogue, said = read(_calendar(floating))
    assert catalogue.events[0].start == datetime(2024, 1, 1, 10, tzinfo=UTC)
    assert any("floating" in message and "read in UTC" in message for message in said)


def test_a_fold_without_its_space_and_bytes_not_utf8_are_repaired_and_said() -> None:
    data = _calendar(ONE + "DESCRIPTION:Caf\r\nXX au lait\r\n").replace(
        b"XX au lait", "\xe9 au lait \xe9t\xe9".encode("latin-1")
    )
    catalogue, said = read(data)
    assert str(catalogue.events[0].description) == "Café au lait été"
    assert any("without the space that folds a line (lines 10)" in message for message in said)
    assert any("1 lines are not UTF-8 (lines 10): decoded as windows-1252" in message for message in said)


def test_duplicate_uids_and_a_missing_end_are_read_and_said() -> None:
    other = ONE.replace("SUMMARY:One", "SUMMARY:Other")
    catalogue, said = read(_calendar(ONE, ONE, other, "UID:b@x\r\nSUMMARY:Open\r\nDTSTART:20240102T100000Z\r\n"))
    (event,) = catalogue.events
    assert [str(s.name) for s in event.sessions] == ["One", "Other", "Open"]
    assert len({s.id for s in event.sessions}) == 3
    assert event.sessions[2].end is None
    assert any("1 VEVENTs repeat an earlier one" in message for message in said)
    assert any("1 VEVENTs have the UID of an earlier, different one" in message for message in said)
    assert any("1 VEVENTs have no DTEND or DURATION" in message for message in said)


def test_uids_that_are_iris_or_uuids_are_ids_and_others_external_ids() -> None:
    uuid = "6D0A3855-9577-40D3-AE87-9624657C7561"
    catalogue, _said = read(_calendar(ONE.replace("a@x", "https://example.org/talk/1"), ONE.replace("a@x", uuid), ONE))
    ids = [s.id for s in catalogue.events[0].sessions]
    assert ids[:2] == ["https://example.org/talk/1", f"urn:uuid:{uuid.lower()}"]
    assert ids[2] == mastery_model.mint("ical-event", "a@x")
    assert catalogue.events[0].sessions[2].external_ids[0].value == "a@x"


def test_all_day_items_cancelled_ones_chairs_and_categories() -> None:
    vevent = (
        "UID:c@x\r\nSUMMARY:Days\r\nDTSTART;VALUE=DATE:20240101\r\nDTEND;VALUE=DATE:20240103\r\n"
        "STATUS:CANCELLED\r\nCATEGORIES:workshop,green skills\r\n"
        "ATTENDEE;CN=Ana;ROLE=CHAIR:mailto:ana@example.org\r\nATTENDEE;ROLE=OPT-PARTICIPANT;CN=Bo:mailto:b@x\r\n"
    )
    catalogue, said = read(_calendar(vevent, ONE))
    days = catalogue.events[0].sessions[0]
    assert (days.start, days.end, days.status, days.kind) == (
        date(2024, 1, 1),
        date(2024, 1, 2),
        Status.CANCELLED,
        SessionKind.WORKSHOP,
    )
    assert days.topics == ("green skills",)
    assert [p.name for p in catalogue.people] == ["Ana"]
    assert days.contributions[0].role.value == "moderator"
    assert any("ATTENDEE (optional" in message for message in said)


def test_an_open_ended_rule_is_expanded_to_the_calendar_s_last_day_or_the_option_until() -> None:
    weekly = "UID:w@x\r\nSUMMARY:Weekly\r\nDTSTART:20240101T100000Z\r\nDTEND:20240101T110000Z\r\nRRULE:FREQ=WEEKLY\r\n"
    last = ONE.replace("a@x", "l@x").replace("20240101", "20240129")
    catalogue, said = read(_calendar(weekly, last))
    assert len(catalogue.events[0].sessions) == 5 + 1
    assert any("expanded up to 2024-01-29" in message for message in said)
    catalogue, said = read(_calendar(weekly, last), until="2024-03-31")
    assert len(catalogue.events[0].sessions) == 13 + 1


def test_the_size_limits_refuse_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    from mastery_model.builtin.ical import reading

    monkeypatch.setattr(reading, "MAX_VEVENTS", 2)
    report = mastery_model.validate(_calendar(ONE, ONE, ONE), format="ical")
    assert report.problems[0].message == "the calendar has 3 VEVENTs; calendars of more than 2 are refused"
    monkeypatch.setattr(reading, "MAX_BYTES", 10)
    report = mastery_model.validate(_calendar(ONE), format="ical")
    assert "bytes are refused" in report.problems[0].message
