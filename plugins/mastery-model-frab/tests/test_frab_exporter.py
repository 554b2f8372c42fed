"""What the exporter refuses, names, or leaves out."""

from __future__ import annotations

import attrs
import pytest
from frab_support import event, exported, read_frab, schedule, schema_errors
from lxml import etree

import mastery_model
from mastery_model import Text
from mastery_model.model import walk_sessions


def test_a_catalogue_without_times_is_refused_naming_each_session():
    sample = mastery_model.sample()
    with pytest.raises(mastery_model.MissingData) as caught:
        exported(sample)
    assert caught.value.format_name == "frab"
    untimed = [
        str(session.name)
        for event_ in sample.events
        for session in walk_sessions(event_.sessions)
        if session.start is None and not session.sessions
    ]
    assert untimed
    assert len(caught.value.fields) == len(untimed)
    for name, field in zip(untimed, caught.value.fields, strict=True):
        assert name in field
        assert "has no date and time" in field


def small() -> mastery_model.Catalogue:
    return read_frab(schedule(event(id="7", title="Talk", room="Aula")))


def with_session(catalogue: mastery_model.Catalogue, **changes) -> mastery_model.Catalogue:
    (event_,) = catalogue.events
    (session,) = event_.sessions
    event_changes = {"locations": ()} if "locations" in changes else {}
    changed = attrs.evolve(event_, sessions=(attrs.evolve(session, **changes),), **event_changes)
    return attrs.evolve(catalogue, events=(changed,))


def test_a_timed_session_without_a_room_is_refused_naming_the_room():
    roomless = with_session(small(), locations=())
    assert list(mastery_model.validate(roomless)) == []  # a valid model: the format needs the room
    with pytest.raises(mastery_model.MissingData) as caught:
        exported(roomless)
    (field,) = caught.value.fields
    assert "'Talk'" in field
    assert "room" in field


def test_a_timed_session_without_an_end_is_refused_naming_the_duration():
    endless = with_session(small(), end=None)
    with pytest.raises(mastery_model.MissingData) as caught:
        exported(endless)
    (field,) = caught.value.fields
    assert "'Talk'" in field
    assert "duration" in field


def test_the_events_only_room_is_the_room_of_its_sessions():
    (event_,) = small().events
    catalogue = attrs.evolve(
        small(), events=(attrs.evolve(event_, sessions=(attrs.evolve(event_.sessions[0], locations=()),)),)
    )
    written = etree.fromstring(exported(catalogue))
    (room,) = written.iterfind("day/room")
    assert room.get("name") == "Aula"
    assert written.findtext("day/room/event/room") == "Aula"


def test_characters_xml_cannot_hold_are_left_out_and_the_output_validates(schedule_schema):
    title = "Bad\x00 \x01title\x08\x0b\x0c\x1f\ufffe\uffff with\ttab and\nnewline"
    dirty = with_session(small(), name=Text.of(title, "und"))
    written = exported(dirty)
    assert schema_errors(schedule_schema, written) == []
    (element,) = etree.fromstring(written).iter("event")
    assert element.findtext("title") == "Bad title with\ttab and\nnewline"
    assert str(read_frab(written).events[0].sessions[0].name) == "Bad title with\ttab and\nnewline"


def test_the_language_option_picks_the_texts_written():
    catalogue = with_session(small(), name=Text((("en", "Talk"), ("fr", "Exposé"))))
    assert etree.fromstring(exported(catalogue, language="fr")).findtext(".//event/title") == "Exposé"
    assert etree.fromstring(exported(catalogue)).findtext(".//event/title") == "Talk"


@pytest.mark.parametrize("title", ["T", "!!", "日本語", "a-b"])
def test_slugs_of_short_or_unwritable_titles_satisfy_the_schema(schedule_schema, title):
    """Regression: ``quirks-1-t`` has fewer than the 4 characters the schema wants after the prefix."""
    catalogue = read_frab(schedule(event(id="1", title=title)))
    written = exported(catalogue)
    assert schema_errors(schedule_schema, written) == []
    assert etree.fromstring(written).findtext(".//event/slug").startswith("quirks-1")
    assert read_frab(written) == catalogue


@pytest.mark.parametrize("value", ["9" * 5000, "٣", "0", "2147483648"])
def test_a_frab_id_the_writer_cannot_keep_is_replaced_by_a_derived_number(value):
    (event_,) = small().events
    session = event_.sessions[0]
    kept = attrs.evolve(session, external_ids=(mastery_model.ExternalId("frab", value),))
    catalogue = attrs.evolve(small(), events=(attrs.evolve(event_, sessions=(kept,)),))
    written = etree.fromstring(exported(catalogue))
    number = int(written.find("day/room/event").get("id"))
    assert 0 < number <= 2**31 - 1
    assert str(number) != value
