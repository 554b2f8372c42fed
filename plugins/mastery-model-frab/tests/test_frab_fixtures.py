"""Real schedules (FOSDEM 2007, 2018, 2025; DebConf 23): what they hold, and written again."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from frab_support import exported, read_frab, schema_errors, shape_errors
from lxml import etree

import mastery_model
from mastery_model import Catalogue
from mastery_model.model import walk_sessions

BRUSSELS = {"time-zone": "Europe/Brussels"}


@dataclass(frozen=True)
class Expected:
    sessions: int
    people: int
    rooms: int
    tracks: int
    documents: int
    attachments: int
    options: dict[str, str] = field(default_factory=dict)


#: Counted from the current implementation, and each cross-checked against the XML below.
EXPECTED = {
    "fosdem-2007": Expected(215, 244, 18, 25, 218, 0, BRUSSELS),
    "fosdem-2018": Expected(689, 651, 33, 56, 2792, 0, BRUSSELS),
    "fosdem-2025": Expected(943, 992, 40, 74, 738, 13),
    "debconf23": Expected(117, 87, 5, 12, 0, 0),
}


@dataclass(frozen=True)
class Loaded:
    name: str
    path: Path
    expected: Expected
    catalogue: Catalogue
    exported: bytes

    @property
    def sessions(self) -> list[mastery_model.Session]:
        return [session for event in self.catalogue.events for session in walk_sessions(event.sessions)]


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def loaded(request, shared_fixture) -> Loaded:
    name = request.param
    path = shared_fixture(f"frab/{name}.xml")
    expected = EXPECTED[name]
    catalogue = mastery_model.load(path, format="frab", **expected.options)
    return Loaded(name, path, expected, catalogue, exported(catalogue))


@pytest.fixture(scope="module")
def original(loaded) -> etree._Element:
    return etree.parse(str(loaded.path)).getroot()


def test_the_counts_of_each_file(loaded):
    (event,) = loaded.catalogue.events
    documents = [document for session in loaded.sessions for document in session.documents]
    assert (
        len(loaded.sessions),
        len(loaded.catalogue.people),
        len(event.locations),
        len(event.topics),
        len(documents),
        sum(1 for document in documents if document.media_type),
    ) == (
        loaded.expected.sessions,
        loaded.expected.people,
        loaded.expected.rooms,
        loaded.expected.tracks,
        loaded.expected.documents,
        loaded.expected.attachments,
    )


def test_the_counts_agree_with_the_xml_itself(loaded, original):
    events = original.findall("day//event")
    assert len(events) == len({element.get("id") for element in events}) == loaded.expected.sessions
    people = list(original.iter("person"))
    assert all(person.get("id") for person in people)  # every person has an id in these files
    assert len({person.get("id") for person in people}) == loaded.expected.people
    rooms = {element.findtext("room") for element in events} | {room.get("name") for room in original.iter("room")}
    assert len(rooms - {None}) == loaded.expected.rooms
    tracks = {element.findtext("track") for element in events}
    tracks |= {track.get("name") for track in original.iterfind("conference/track")}
    tracks |= {"".join(track.itertext()) for track in original.iterfind("tracks/track")}
    assert len({track for track in tracks if track and track.strip()}) == loaded.expected.tracks
    documents = [
        {(link.get("href"), "".join(link.itertext())) for link in element.iterfind(f"{kind}s/{kind}")}
        for element in events
        for kind in ("link", "attachment")
    ]
    assert sum(map(len, documents)) == loaded.expected.documents
    assert len(original.findall("day//event/attachments/attachment")) == loaded.expected.attachments


def test_the_model_is_valid(loaded):
    assert list(mastery_model.validate(loaded.catalogue)) == []


def test_written_and_read_again_it_is_the_same_catalogue(loaded):
    assert read_frab(loaded.exported) == loaded.catalogue


def test_the_export_satisfies_the_c3voc_schema(loaded, schedule_schema):
    assert schema_errors(schedule_schema, loaded.exported) == []


def test_the_export_has_what_apps_rely_on(loaded):
    assert shape_errors(loaded.exported) == []


def test_each_guid_is_the_uuid_of_its_session_id(loaded):
    guids = [element.get("guid") for element in etree.fromstring(loaded.exported).iter("event")]
    ids = [session.id for session in loaded.sessions]
    assert all(identifier.startswith("urn:uuid:") for identifier in ids)  # as the importer mints them
    assert len(guids) == len(set(guids)) == len(ids)
    assert {f"urn:uuid:{guid}" for guid in guids} == set(ids)


def test_exporting_twice_gives_the_same_bytes(loaded):
    assert exported(loaded.catalogue) == loaded.exported
    assert exported(read_frab(loaded.exported)) == loaded.exported  # and the export is a fixed point


def test_fosdem_2025_keeps_its_event_ids_guids_and_person_ids(shared_fixture):
    path = shared_fixture("frab/fosdem-2025.xml")
    original = etree.parse(str(path)).getroot()
    written = etree.fromstring(exported(mastery_model.load(path, format="frab")))
    for attribute in ("id", "guid"):
        assert {e.get(attribute).lower() for e in written.iter("event")} == {
            e.get(attribute).lower() for e in original.iter("event")
        }
    assert {p.get("id") for p in written.iter("person")} == {p.get("id") for p in original.iter("person")}
