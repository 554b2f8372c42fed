"""The C3VOC JSON schedule (``schedule-json``): the shared examples read, every file written valid
against the C3VOC JSON Schema, the same catalogue from the XML and the JSON of one schedule, and bad
input only ever reported as problems."""

from __future__ import annotations

import functools
import io
import json
import os
import warnings
from pathlib import Path

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mastery_model_frab.reading_json import READS, unread
from mastery_model_frab.writing_json import JSON_ACRONYM
from test_frab_properties import generated

import mastery_model
from mastery_model.importing import read

SCHEMA = Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "c3voc-schedule" / "schema.json"


@functools.cache
def _validator() -> jsonschema.Draft6Validator:
    fixtures = os.environ.get("MASTERY_FIXTURES")
    path = Path(fixtures) / "c3voc-schedule" / "schema.json" if fixtures else SCHEMA
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the C3VOC JSON Schema is absent ({path}; set MASTERY_FIXTURES)")
        pytest.skip(f"the C3VOC JSON Schema is absent ({path}; set MASTERY_FIXTURES)")
    schema = json.loads(path.read_bytes())
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.FormatChecker())


def _written(catalogue: mastery_model.Catalogue, format: str) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mastery_model.export(catalogue, format, out)
    return out.getvalue()


def _quietly(data: bytes, **options: str) -> mastery_model.Catalogue:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read(data, **options)


def _schema_errors(data: bytes) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in _validator().iter_errors(json.loads(data))]


EXAMPLES = {
    # file: sessions, people, places, topics, start, end
    "pretalx-democon.json": (36, 27, 2, 2, "2020-12-14", "2020-12-16"),
    "hub-schedule2.json": (2, 4, 5, 7, "2024-12-27", "2024-12-30"),
    "invalid-example.json": (1, 1, 1, 1, "2022-12-28", "2022-12-30"),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_shared_examples_are_recognised_and_read(name: str, shared_fixture) -> None:
    catalogue = _quietly(shared_fixture(f"c3voc-schedule/examples/{name}").read_bytes())
    (event,) = catalogue.events
    found = (len(event.sessions), len(catalogue.people), len(event.locations), len(event.topics))
    assert (*found, str(event.start), str(event.end)) == EXAMPLES[name]


def test_what_pretalx_writes_that_the_model_has_no_place_for_is_said_once(shared_fixture) -> None:
    data = shared_fixture("c3voc-schedule/examples/pretalx-democon.json").read_bytes()
    with pytest.warns(mastery_model.ReadWarning) as said:
        read(data)
    (left_out,) = [str(w.message) for w in said if "leaves out" in str(w.message)]
    assert left_out == (
        "schedule-json: leaves out what the model has no place for (how many): schedule/version (1), "
        "schedule/conference/daysCount (1), schedule/conference/timeslot_duration (1), "
        "schedule/conference/rooms/guid (2), day/index (3), day/day_start (3), day/day_end (3)"
    )
    assert all(path not in READS for path in unread(json.loads(data)))


def test_the_hub_s_events_have_their_tracks_by_slug_and_participants(shared_fixture) -> None:
    catalogue = _quietly(shared_fixture("c3voc-schedule/examples/hub-schedule2.json").read_bytes())
    opening = catalogue.events[0].sessions[0]
    assert opening.topics == ("CCC",)
    assert str(opening.start) == "2024-12-27 10:30:00+01:00"
    assert str(opening.end) == "2024-12-27 11:00:00+01:00"


@pytest.mark.parametrize("name", ["fosdem-2025", "debconf23"])
def test_a_real_schedule_written_as_json_validates_and_reads_as_its_xml(name: str, shared_fixture) -> None:
    catalogue = _quietly(shared_fixture(f"frab/{name}.xml").read_bytes(), format="frab")
    data = _written(catalogue, "schedule-json")
    assert _schema_errors(data) == []
    from_json = _quietly(data)
    from_xml = _quietly(_written(catalogue, "frab"), format="frab")
    if name == "fosdem-2025":  # an acronym the JSON schema refuses (fosdem-2025) is written fosdem_2025
        assert [i.value for i in from_json.events[0].external_ids] == ["fosdem_2025"]
        (event,) = from_json.events
        from_json = attrs.evolve(from_json, events=(attrs.evolve(event, external_ids=from_xml.events[0].external_ids),))
    assert from_json == from_xml


@given(generated())
def test_a_generated_catalogue_reads_the_same_from_xml_and_json(schedule) -> None:
    catalogue = _quietly(schedule.xml(), format="frab")
    data = _written(catalogue, "schedule-json")
    assert _schema_errors(data) == []
    from_json, from_xml = _quietly(data), _quietly(_written(catalogue, "frab"), format="frab")
    if schedule.acronym and not JSON_ACRONYM.match(schedule.acronym):
        return  # written fitted to the schema's pattern: the rest is compared on the fixtures
    assert from_json == from_xml
    assert _written(from_json, "schedule-json") == data


def _only_problems(data: bytes) -> None:
    try:
        _quietly(data, format="schedule-json")
    except mastery_model.InvalidDocument as error:
        report = list(error.report)
    else:
        return
    assert report
    assert all(problem.message for problem in report)


@given(st.binary(max_size=600))
def test_random_bytes_give_only_problems(data: bytes) -> None:
    _only_problems(data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)
EVENT_KEYS = st.sampled_from(["id", "guid", "date", "start", "duration", "room", "title", "persons", "links", "track"])


@given(st.dictionaries(EVENT_KEYS, JSON_VALUES, max_size=6), st.sampled_from(["days", "events", "tracks", "rooms"]))
def test_wrong_values_anywhere_give_only_problems(event: dict, where: str) -> None:
    conference = {"title": "T", "acronym": "tttt", "start": "2025-02-01", "end": "2025-02-01"}
    schedule: dict = {"version": "1", "conference": conference}
    if where == "days":
        conference["days"] = [{"date": "2025-02-01", "rooms": {"A": [event]}}]
    elif where == "events":
        schedule["events"] = [event]
    else:
        conference[where] = [event]
    _only_problems(json.dumps({"$schema": "https://c3voc.de/schedule/schema.json", "schedule": schedule}).encode())


def test_deep_nesting_and_huge_fields_give_only_problems() -> None:
    _only_problems(b'{"schedule": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    huge = json.dumps({"schedule": {"conference": {"title": "x" * 5_000_000, "days": []}}}).encode()
    _only_problems(huge)


def test_a_problem_is_said_at_its_json_pointer() -> None:
    day = {"date": "2025-02-01", "rooms": {"A": [{"id": 1, "title": "x", "start": "10:00", "duration": "1h"}]}}
    data = json.dumps({"schedule": {"conference": {"title": "T", "days": [day]}}}).encode()
    with pytest.raises(mastery_model.InvalidDocument) as raised:
        _quietly(data, format="schedule-json")
    assert [(p.pointer, p.message) for p in raised.value.report] == [
        ("/schedule/conference/days/0/rooms/A/0", 'the "duration" is not H:MM, HH:MM or HH:MM:SS')
    ]


def test_repair_no_refuses_a_repeated_id_naming_where_the_first_is() -> None:
    events = [{"id": 7, "title": "x", "start": start, "duration": "00:30"} for start in ("10:00", "11:00")]
    day = {"date": "2025-02-01", "rooms": {"A": events}}
    data = json.dumps({"schedule": {"conference": {"title": "T", "days": [day]}}}).encode()
    assert len(_quietly(data, format="schedule-json").events[0].sessions) == 2
    with pytest.raises(mastery_model.InvalidDocument) as raised:
        _quietly(data, format="schedule-json", repair="no")
    (problem,) = raised.value.report
    assert problem.pointer == "/schedule/conference/days/0/rooms/A/1"
    assert "at /schedule/conference/days/0/rooms/A/0" in problem.message


def _export_warnings(catalogue: mastery_model.Catalogue) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mastery_model.export(catalogue, "schedule-json", io.BytesIO())
    return [str(w.message) for w in caught if issubclass(w.category, mastery_model.ExportWarning)]


def test_documents_the_json_schema_cannot_hold_are_counted_in_a_warning(shared_fixture) -> None:
    catalogue = _quietly(shared_fixture("frab/fosdem-2018.xml").read_bytes(), format="frab", **{"time-zone": "UTC"})
    sessions = [s for event in catalogue.events for s in mastery_model.model.walk_sessions(event.sessions)]
    without_url = sum(1 for session in sessions for document in session.documents if not document.url)
    assert without_url == 14
    expected = "schedule-json leaves out 14 documents without an address: the C3VOC JSON Schema requires the url"
    assert [m for m in _export_warnings(catalogue) if "without an address" in m] == [
        expected + " of every link and attachment"
    ]


def test_an_acronym_the_json_schema_refuses_is_said_as_it_is_written(shared_fixture) -> None:
    catalogue = _quietly(shared_fixture("frab/fosdem-2025.xml").read_bytes(), format="frab")
    assert [m for m in _export_warnings(catalogue) if "acronym" in m] == [
        "schedule-json writes the conference's acronym 'fosdem-2025' as 'fosdem_2025': "
        "the C3VOC JSON Schema's pattern takes no other"
    ]
