"""Properties: generated schedules read exactly and write back the same; nothing else escapes."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from frab_support import exported, read_frab, schema_errors, shape_errors
from hypothesis import assume, given
from hypothesis import strategies as st
from lxml import etree

import mastery_model
from mastery_model.html_text import holds_html
from mastery_model.model import walk_sessions

#: What XML 1.0 cannot hold (control characters other than tab, newline and carriage return, the
#: two non-characters) and surrogates, which no UTF-8 document holds either.
NOT_XML = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r"] + ["\ufffe", "\uffff"]
CHARACTERS = st.characters(exclude_categories=("Cs",), exclude_characters=NOT_XML)
#: Texts a schedule means: with something in them besides white space (which schedules leave blank),
#: and no markup, which is read as HTML (tests/test_frab_unread.py).
TEXTS = st.text(CHARACTERS, min_size=1, max_size=20).filter(lambda text: text.strip() and not holds_html(text))
#: Ids below the numbers the exporter derives for entities without one (from 1,000,000).
IDS = st.integers(1, 999_999)
ZONES = st.sampled_from([None, "Europe/Brussels", "Asia/Kolkata", "America/New_York", "UTC"])


@dataclass(frozen=True)
class Person:
    name: str
    id: int | None


@dataclass(frozen=True)
class Talk:
    id: int
    guid: str | None
    day: int
    start: str
    duration: str
    title: str
    room: str
    track: str
    persons: tuple[Person, ...]


@dataclass(frozen=True)
class Generated:
    title: str
    acronym: str | None
    zone: str | None
    tracks: tuple[str, ...]  # the conference's own list
    talks: tuple[Talk, ...]

    def xml(self) -> bytes:
        root = etree.Element("schedule")
        conference = etree.SubElement(root, "conference")
        etree.SubElement(conference, "title").text = self.title
        if self.acronym:
            etree.SubElement(conference, "acronym").text = self.acronym
        if self.zone:
            etree.SubElement(conference, "time_zone_name").text = self.zone
        for track in self.tracks:
            etree.SubElement(conference, "track", name=track)
        for index, day in enumerate(("2025-02-01", "2025-02-02"), start=1):
            day_element = etree.SubElement(root, "day", index=str(index), date=day)
            for talk in (talk for talk in self.talks if talk.day == index):
                attributes = {"id": str(talk.id)} | ({"guid": talk.guid} if talk.guid else {})
                element = etree.SubElement(etree.SubElement(day_element, "room", name=talk.room), "event", attributes)
                for name in ("start", "duration", "room", "title", "track"):
                    etree.SubElement(element, name).text = getattr(talk, name)
                people = etree.SubElement(element, "persons")
                for person in talk.persons:
                    etree.SubElement(people, "person", {"id": str(person.id)} if person.id else {}).text = person.name
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def clock(hours: int, minutes: int, padded: bool) -> str:
    return f"{hours:02d}:{minutes:02d}" if padded else f"{hours}:{minutes:02d}"


@st.composite
def generated(draw: st.DrawFn) -> Generated:
    people = draw(
        st.lists(st.builds(Person, TEXTS, st.none() | IDS), max_size=6, unique_by=lambda p: p.id if p.id else p.name)
    )
    rooms = draw(st.lists(TEXTS, min_size=1, max_size=3, unique=True))
    tracks = draw(st.lists(TEXTS, max_size=3, unique=True))
    ids = draw(st.lists(IDS, min_size=1, max_size=6, unique=True))
    guids = draw(st.lists(st.uuids().map(str), min_size=len(ids), max_size=len(ids), unique=True))
    talks = tuple(
        Talk(
            id=number,
            guid=draw(st.sampled_from([None, guid, guid.upper()])),
            day=draw(st.sampled_from([1, 2])),
            start=f"{draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}",
            duration=clock(draw(st.integers(0, 23)), draw(st.integers(0, 59)), draw(st.booleans())),
            title=draw(TEXTS),
            room=draw(st.sampled_from(rooms)),
            track=draw(st.just("") | st.sampled_from(tracks) if tracks else st.just("")),
            persons=tuple(draw(st.lists(st.sampled_from(people), unique=True, max_size=3))) if people else (),
        )
        for number, guid in zip(ids, guids, strict=True)
    )
    acronym = draw(st.none() | st.from_regex(r"[a-z0-9_-]{4,12}", fullmatch=True))
    conference_tracks = tuple(draw(st.lists(st.sampled_from(tracks), unique=True))) if tracks else ()
    return Generated(draw(TEXTS), acronym, draw(ZONES), conference_tracks, talks)


def sessions_by_id(catalogue: mastery_model.Catalogue) -> dict[int, mastery_model.Session]:
    found = {}
    for event in catalogue.events:
        for session in walk_sessions(event.sessions):
            (external_id,) = (i for i in session.external_ids if i.scheme == "frab")
            found[int(external_id.value)] = session
    return found


@given(generated())
def test_a_generated_schedule_is_read_exactly_and_written_back_the_same(schedule_schema, schedule):
    catalogue = read_frab(schedule.xml())
    (event,) = catalogue.events
    assert str(event.name) == schedule.title
    sessions = sessions_by_id(catalogue)
    assert sessions.keys() == {talk.id for talk in schedule.talks}
    for talk in schedule.talks:
        session = sessions[talk.id]
        assert str(session.name) == talk.title
        assert [str(place.name) for place in session.locations] == [talk.room]
        assert session.topics == ((talk.track,) if talk.track else ())
        assert session.start.strftime("%H:%M") == talk.start
        hours, minutes = map(int, talk.duration.split(":"))
        assert (session.end - session.start).total_seconds() == hours * 3600 + minutes * 60
        assert session.time_zone == (schedule.zone or "UTC")
        if talk.guid:
            assert session.id == f"urn:uuid:{talk.guid.lower()}"
        speakers = {person.id: person for person in catalogue.people}
        assert [speakers[c.contributor].name for c in session.contributions] == [p.name for p in talk.persons]
    assert {str(place.name) for place in event.locations} == {talk.room for talk in schedule.talks}
    assert set(event.topics) == {talk.track for talk in schedule.talks if talk.track} | set(schedule.tracks)
    used = {person for talk in schedule.talks for person in talk.persons}
    assert sorted(person.name for person in catalogue.people) == sorted(person.name for person in used)

    written = exported(catalogue)
    assert schema_errors(schedule_schema, written) == []
    assert shape_errors(written) == []
    assert read_frab(written) == catalogue


def garbled(data: bytes, at: int, length: int, replacement: bytes) -> bytes:
    at %= len(data) + 1
    return data[:at] + replacement + data[at + length :]


def only_invalid_documents(data: bytes) -> None:
    """Reading gives a valid model (written again, or refused by name) or raises InvalidDocument."""
    try:
        catalogue = read_frab(data)
    except mastery_model.InvalidDocument as error:
        report = list(error.report)
    else:
        with contextlib.suppress(mastery_model.MissingData):
            exported(catalogue)
        return
    assert report
    assert all(isinstance(problem.message, str) and problem.message for problem in report)


@given(st.binary(max_size=600))
def test_random_bytes_raise_nothing_but_invalid_document(data):
    only_invalid_documents(data)


@given(generated(), st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=40))
def test_a_garbled_schedule_raises_nothing_but_invalid_document(schedule, at, length, replacement):
    data = garbled(schedule.xml(), at, length, replacement)
    assume(data != schedule.xml())
    only_invalid_documents(data)


#: Values a field of a schedule takes, right and wrong.
VALUES = st.text(CHARACTERS, max_size=30) | st.sampled_from(
    [
        "0",
        "-1",
        "2025-02-01",
        "2025-02-01T10:00:00",
        "2025-02-30T10:00:00+01:00",
        "2025-02-01T10:00:00+01:00",
        "24:00",
        "99:99",
        "1:00",
        "00:00:60",
        "Europe/Brussels",
        "Mars/Olympus",
        "../../etc/passwd",
        "2147483648",
        "99999999999999999999",
        "550e8400-e29b-41d4-a716-446655440000",
        "https://x.example/a[b]",
        "javascript:alert(1)",
        "//x.example/a",
        "9999-12-31",
        "0001-01-01",
    ]
)
CONFERENCE_FIELDS = {
    "title": "Conference",
    "acronym": "",
    "start": "",
    "end": "",
    "day_change": "",
    "base_url": "",
    "time_zone_name": "",
}
EVENT_FIELDS = {
    "date": "",
    "start": "10:00",
    "duration": "01:00",
    "room": "R",
    "title": "Talk",
    "language": "",
    "type": "",
}
ATTRIBUTES = {"day-date": "2025-02-01", "id": "1", "guid": "", "person-id": "3", "href": "https://x.example/"}
FIELD_NAMES = [f"conference/{name}" for name in CONFERENCE_FIELDS] + [f"event/{name}" for name in EVENT_FIELDS]


@given(st.dictionaries(st.sampled_from(FIELD_NAMES + list(ATTRIBUTES)), VALUES))
def test_wrong_values_in_any_field_raise_nothing_but_invalid_document(values):
    given_values = {**{f"conference/{k}": v for k, v in CONFERENCE_FIELDS.items()}, **ATTRIBUTES}
    given_values |= {f"event/{k}": v for k, v in EVENT_FIELDS.items()} | values
    root = etree.Element("schedule")
    conference = etree.SubElement(root, "conference")
    for name in CONFERENCE_FIELDS:
        etree.SubElement(conference, name).text = given_values[f"conference/{name}"]
    day = etree.SubElement(root, "day", index="1", date=given_values["day-date"])
    room = etree.SubElement(day, "room", name="R")
    event = etree.SubElement(room, "event", id=given_values["id"], guid=given_values["guid"])
    for name in EVENT_FIELDS:
        etree.SubElement(event, name).text = given_values[f"event/{name}"]
    etree.SubElement(etree.SubElement(event, "persons"), "person", id=given_values["person-id"]).text = "Ann"
    etree.SubElement(etree.SubElement(event, "links"), "link", href=given_values["href"]).text = "Slides"
    only_invalid_documents(etree.tostring(root))
