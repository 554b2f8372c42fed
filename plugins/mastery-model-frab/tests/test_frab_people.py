"""People are who the schedule says: a person is one id *and* one name. Merged schedules (several
sub-schedules combined, as conference apps publish them) reuse ids for different people; each
name under a shared id is a person of its own, and a warning names the ids."""

from __future__ import annotations

import warnings
from collections import Counter

import pytest
from frab_support import event, exported, persons, read_frab, schedule
from lxml import etree

import mastery_model
from mastery_model import ReadWarning
from mastery_model.model import walk_sessions


def _read(data: bytes, **options: str) -> tuple[mastery_model.Catalogue, list[str]]:
    """The catalogue, and the warnings of people (the zone and language are given, as a user who
    knows them does: what is assumed without them is tests/test_frab_assumed.py's)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReadWarning)
        catalogue = read_frab(data, **{"time-zone": "Europe/Brussels", "language": "en", **options})
    said = [str(warning.message) for warning in caught if warning.category is ReadWarning]
    return catalogue, [message for message in said if "person ids" in message]  # the others: their own tests


def _speakers(catalogue: mastery_model.Catalogue) -> Counter[tuple[str, tuple[str, ...]]]:
    """Each session's title with its speakers' names."""
    names = {person.id: person.name for person in catalogue.people}
    return Counter(
        (str(session.name), tuple(names[contribution.contributor] for contribution in session.contributions))
        for event in catalogue.events
        for session in walk_sessions(event.sessions)
    )


def test_one_id_with_two_names_is_two_people_and_a_warning_names_them():
    data = schedule(
        event(id="1", title="Compilers", body=persons(("Grace Hopper", "7"))),
        event(id="2", title="Engines", start="11:00", body=persons(("Ada Lovelace", "7"))),
        event(id="3", title="Again", start="12:00", body=persons(("grace  hopper", "7"))),
    )
    catalogue, said = _read(data)
    assert sorted(person.name for person in catalogue.people) == ["Ada Lovelace", "Grace Hopper"]
    assert _speakers(catalogue) == Counter(
        {("Compilers", ("Grace Hopper",)): 1, ("Engines", ("Ada Lovelace",)): 1, ("Again", ("Grace Hopper",)): 1}
    )
    assert said == [
        "frab: 1 person ids carry more than one name (as merged schedules reuse them); each name is read "
        "as a person of its own, 2 people in all: id 7: 'Grace Hopper', 'Ada Lovelace'"
    ]
    # both keep the schedule's id, written back as it was read
    assert {person.external_ids[0].value for person in catalogue.people} == {"7"}


def test_a_schedule_whose_ids_are_its_own_reads_with_no_warning():
    catalogue, said = _read(schedule(event(body=persons(("Grace Hopper", "7"), ("Ada Lovelace", "8")))))
    assert (len(catalogue.people), said) == (2, [])


def _merged(first: etree._Element, second: etree._Element) -> bytes:
    """The second schedule's days appended to the first's, as apps merge sub-schedules: its events
    renumbered past the first's, its people's ids kept."""
    merged = etree.fromstring(etree.tostring(first))
    for day in second.iterfind("day"):
        for element in day.iter("event"):
            element.set("id", str(100_000 + int(element.get("id"))))
        merged.append(day)
    return etree.tostring(merged, xml_declaration=True, encoding="utf-8")


@pytest.fixture(scope="module")
def merged_schedule(shared_fixture) -> tuple[bytes, etree._Element]:
    # FOSDEM 2007 and DebConf 23 both number their people from small integers
    first = etree.parse(str(shared_fixture("frab/fosdem-2007.xml"))).getroot()
    second = etree.parse(str(shared_fixture("frab/debconf23.xml"))).getroot()
    data = _merged(first, second)
    return data, etree.fromstring(data)


def test_a_merged_schedule_keeps_every_sessions_speakers(merged_schedule):
    data, root = merged_schedule
    catalogue, said = _read(data)
    assert read_frab(exported(catalogue), **{"time-zone": "Europe/Brussels", "language": "en"}) == catalogue
    in_the_xml = Counter(
        (
            element.findtext("title"),
            tuple(dict.fromkeys("".join(person.itertext()) for person in element.iterfind("persons/person"))),
        )
        for element in root.iter("event")
    )
    assert _speakers(catalogue) == in_the_xml
    names_of_id: dict[str, set[str]] = {}
    for person in root.iter("person"):
        names_of_id.setdefault(person.get("id"), set()).add(" ".join("".join(person.itertext()).split()).casefold())
    shared = [person_id for person_id, names in names_of_id.items() if len(names) > 1]
    # every person of both files (244 and 87), none merged with another
    assert len(catalogue.people) == sum(map(len, names_of_id.values())) == 244 + 87
    assert len(shared) == 10
    (warning,) = said
    assert warning.startswith(f"frab: {len(shared)} person ids carry more than one name")
    assert warning.endswith(f"; and {len(shared) - 5} more")
