"""Imperfect real files are read, repaired as documented, every change said in a warning: event
ids and guids held by more than one event, languages that are no tags. With ``repair=no`` such a
file is refused, each problem at its XML line, naming the first's and the option."""

from __future__ import annotations

import warnings
from collections import Counter

import pytest
from frab_support import event, exported, problems, read_frab, schedule
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from test_frab_properties import generated

import mastery_model
from mastery_model import ReadWarning
from mastery_model.model import walk_sessions

GUID = "3a7a0f4e-6f1e-4e4c-9c1b-6b1d2c3e4f50"


def lines_of(data: bytes, text: str) -> list[int]:
    return [number for number, line in enumerate(data.decode().splitlines(), start=1) if text in line]


def read_warned(data: bytes, **options: str) -> tuple[mastery_model.Catalogue, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReadWarning)
        catalogue = read_frab(data, **{"language": "en", "time-zone": "UTC", **options})
    return catalogue, [
        str(w.message) for w in caught if w.category is ReadWarning and "leaves out" not in str(w.message)
    ]


def sessions(catalogue: mastery_model.Catalogue) -> list[mastery_model.Session]:
    return [session for e in catalogue.events for session in walk_sessions(e.sessions)]


def with_guid(text: str, guid: str) -> str:
    return text.replace("<event ", f'<event guid="{guid}" ', 1)


def test_an_event_id_held_twice_is_read_twice_the_first_keeping_it():
    data = schedule(event(id="5", title="First"), event(id="5", title="Second", start="11:00"), event(id="6"))
    first, second = lines_of(data, '<event id="5"')
    catalogue, said = read_warned(data)
    by_title = {str(session.name): session for session in sessions(catalogue)}
    assert set(by_title) == {"First", "Second", "A talk"}
    assert [i.value for i in by_title["First"].external_ids] == ["5"]
    assert by_title["Second"].external_ids == ()
    assert by_title["Second"].id != by_title["First"].id
    assert said == [
        "frab: 1 event ids are held by more than one <event>: each is read, the first keeping it, and the 1 later "
        "ones keep no event id of their own: they are written back with a number derived from their id: "
        f"event id 5 (lines {first}, {second}); give the option repair=no to refuse such a file"
    ]
    written = exported(catalogue)
    ids = [element.get("id") for element in etree.fromstring(written).iter("event")]
    assert len(set(ids)) == 3
    assert "5" in ids
    again, said_again = read_warned(written)
    assert again == catalogue
    assert said_again == []
    assert exported(again) == written


def test_a_guid_held_twice_gives_the_later_event_an_id_of_the_guid_and_its_start():
    data = schedule(
        with_guid(event(id="1", title="Workshop"), GUID),
        with_guid(event(id="2", title="Workshop", start="14:00"), GUID),
    )
    first, second = lines_of(data, f'guid="{GUID}"')
    catalogue, said = read_warned(data)
    morning, afternoon = sessions(catalogue)
    assert morning.id == f"urn:uuid:{GUID}"
    import uuid

    assert afternoon.id == f"urn:uuid:{uuid.uuid5(uuid.UUID(GUID), afternoon.start.isoformat())}"
    assert [i.value for i in afternoon.external_ids] == ["2"]  # its event id is its own
    assert said == [
        "frab: 1 guids are held by more than one <event>: each is read, the first keeping it, and the 1 later ones "
        f"get an id of their own, a UUIDv5 of the guid and their start: guid {GUID} (lines {first}, {second}); "
        "give the option repair=no to refuse such a file"
    ]
    assert read_warned(data)[0] == catalogue  # the same file, the same ids
    written = exported(catalogue)
    assert read_warned(written) == (catalogue, [])


def test_the_same_event_twice_at_the_same_time_is_two_sessions_told_apart_by_their_place():
    twice = with_guid(event(id="7", title="Twice"), GUID)
    catalogue, said = read_warned(schedule(twice, twice))
    first, second = sessions(catalogue)
    assert first.id != second.id
    assert first.start == second.start
    assert len(said) == 2  # the id and the guid, each said once
    assert read_warned(exported(catalogue)) == (catalogue, [])


def test_with_repair_no_each_repeat_is_refused_at_its_line_naming_the_first_and_the_option():
    data = schedule(
        with_guid(event(id="5", title="First"), GUID), with_guid(event(id="5", title="Second", start="11:00"), GUID)
    )
    first, second = lines_of(data, '<event guid="')
    with pytest.raises(mastery_model.InvalidDocument) as caught:
        read_frab(data, repair="no")
    assert problems(caught.value) == [
        (
            f"the event id is the event id of the event on line {first} already "
            "(the option repair=yes reads both, the later with an id of its own)",
            second,
            "5",
        ),
        (
            f"the guid is the guid of the event on line {first} already "
            "(the option repair=yes reads both, the later with an id of its own)",
            second,
            GUID,
        ),
    ]


def test_a_language_that_is_no_tag_is_read_as_none_or_refused_at_its_line():
    body = "      <language>English</language>\n"
    data = schedule(event(id="1", body=body), event(id="2", start="11:00"))
    (line,) = lines_of(data, "<language>")
    catalogue, said = read_warned(data)
    assert all(session.language is None for session in sessions(catalogue))
    assert said == [
        "frab: 1 events' <language> is no BCP 47 language tag: their texts are read as of the schedule's language "
        f"('en'), the event as of none: line {line}: 'English'; give the option repair=no to refuse such a file"
    ]
    with pytest.raises(mastery_model.InvalidDocument) as caught:
        read_frab(data, repair="no")
    ((message, at, value),) = problems(caught.value)
    assert (at, value) == (line, "English")
    assert "repair=yes" in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # a session before the conference starts: found by the model, said at the event's line
        (
            schedule(event(id="1"), conference="    <start>2025-02-02</start>\n"),
            [
                ("the end is before the start", "<conference>"),
                ("the session starts before what it belongs to starts", '<event id="1"'),
            ],
        ),
    ],
)
def test_every_problem_the_model_finds_is_at_a_line_of_the_xml(data, expected):
    """What the reader finds is at its line (the tests above, and test_frab_quirks); what only the
    model finds, in the document built of the XML, is said at the element it came from."""
    with pytest.raises(mastery_model.InvalidDocument) as caught:
        read_frab(data)
    found = [(message, line) for message, line, _value in problems(caught.value)]
    assert len(found) == len(expected), found
    for (message, line), (start, marker) in zip(found, expected, strict=True):
        assert message.startswith(start), found
        assert line == lines_of(data, marker)[0], found


def _merged_with_repeats(schedule_xml: bytes, repeat: list[tuple[int, bool]]) -> bytes:
    """The schedule with some of its events repeated on a later day, as merged schedules hold
    them: the same id, the same guid, the same people's ids, and (``renamed``) other people
    under those ids, as sub-schedules that number their people alike give."""
    root = etree.fromstring(schedule_xml)
    events = list(root.iter("event"))
    day = etree.SubElement(root, "day", index="9", date="2025-02-03")
    for which, renamed in repeat:
        copy = etree.fromstring(etree.tostring(events[which % len(events)]))
        if renamed:
            for person in copy.iter("person"):
                person.text = f"{person.text} Jr"
        day.append(copy)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _speaker(person: etree._Element) -> tuple[str, str]:
    """Who a <person> is: an id and a name (compared without case or spacing), or a name alone."""
    same = " ".join(person.text.split()).casefold() if person.get("id") else person.text
    return (person.get("id") or "", same), person.text  # type: ignore[return-value]


@given(generated(), st.lists(st.tuples(st.integers(0, 50), st.booleans()), min_size=1, max_size=4))
def test_a_merged_schedule_with_repeated_ids_guids_and_person_ids_keeps_every_session(schedule, repeat):
    data = _merged_with_repeats(schedule.xml(), repeat)
    root = etree.fromstring(data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReadWarning)
        catalogue = read_frab(data)
    said = [str(w.message) for w in caught]
    read = sessions(catalogue)
    assert len(read) == len(root.findall(".//event")) == len({session.id for session in read})
    assert Counter(str(session.name) for session in read) == Counter(e.findtext("title") for e in root.iter("event"))
    repeated_ids = Counter(e.get("id") for e in root.iter("event"))
    assert any(message.startswith(f"frab: {sum(c > 1 for c in repeated_ids.values())} event ids ") for message in said)
    kept = Counter(i.value for session in read for i in session.external_ids)
    assert kept == Counter(set(repeated_ids))  # each id kept once, by its first event
    names = {person.id: person.name for person in catalogue.people}
    assert Counter((str(s.name), tuple(names[c.contributor] for c in s.contributions)) for s in read) == Counter(
        (e.findtext("title"), tuple(name for _id, name in dict.fromkeys(_speaker(p) for p in e.iter("person"))))
        for e in root.iter("event")
    )
    names_of_id: dict[str, set[str]] = {}
    for person in root.iter("person"):
        if person.get("id"):
            names_of_id.setdefault(person.get("id"), set()).add(" ".join(person.text.split()).casefold())
    shared = sum(len(names) > 1 for names in names_of_id.values())
    assert any(m.startswith(f"frab: {shared} person ids carry more than one name") for m in said) == (shared > 0)
    assert read_frab(data) == catalogue  # the repair is the same on every read
    written = exported(catalogue)
    assert read_frab(written) == catalogue
    assert exported(read_frab(written)) == written
