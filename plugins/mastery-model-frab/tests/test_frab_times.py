"""Times as schedules give them: a zone named or not, a UTC <date> beside a local <start>."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest
from frab_support import event as frab_event
from frab_support import read_frab, schedule
from lxml import etree

import mastery_model
from mastery_model.model import walk_sessions


def by_frab_id(catalogue: mastery_model.Catalogue) -> dict[str, mastery_model.Session]:
    return {
        external_id.value: session
        for event in catalogue.events
        for session in walk_sessions(event.sessions)
        for external_id in session.external_ids
        if external_id.scheme == "frab"
    }


def test_fosdem_2025_names_its_zone(shared_fixture):
    path = shared_fixture("frab/fosdem-2025.xml")
    session = by_frab_id(mastery_model.load(path, format="frab"))["6592"]
    assert str(session.name) == "Welcome to the Radio Devroom"
    assert session.start.isoformat() == "2025-02-01T10:30:00+01:00"
    assert session.end - session.start == timedelta(minutes=15)
    assert session.time_zone == "Europe/Brussels"
    # the zone in the file wins over the option, which is for files that name none
    assert by_frab_id(mastery_model.load(path, format="frab", **{"time-zone": "Asia/Tokyo"}))["6592"] == session


@pytest.fixture(scope="module")
def debconf(shared_fixture):
    path = shared_fixture("frab/debconf23.xml")
    return etree.parse(str(path)).getroot(), mastery_model.load(path, format="frab")


def test_debconf23_dates_are_utc_but_its_sessions_are_in_kolkata(debconf):
    _root, catalogue = debconf
    opening = by_frab_id(catalogue)["35"]
    assert str(opening.name) == "Opening Ceremony"
    assert opening.start.isoformat() == "2023-09-10T10:30:00+05:30"  # <date>2023-09-10T05:00:00+00:00
    assert opening.end - opening.start == timedelta(minutes=20)
    assert opening.time_zone == "Asia/Kolkata"


def test_every_debconf23_session_is_at_its_date_and_shows_its_local_start(debconf):
    root, catalogue = debconf
    sessions = by_frab_id(catalogue)
    for element in root.iter("event"):
        session = sessions[element.get("id")]
        assert session.start == datetime.fromisoformat(element.findtext("date"))  # the same instant
        assert session.start.strftime("%H:%M") == element.findtext("start")  # shown at the local clock
        assert session.start.utcoffset() == timedelta(hours=5, minutes=30)


def test_fosdem_2007_names_no_zone_utc_unless_the_option_says(shared_fixture):
    path = shared_fixture("frab/fosdem-2007.xml")
    in_utc = mastery_model.load(path, format="frab")
    in_brussels = mastery_model.load(path, format="frab", **{"time-zone": "Europe/Brussels"})
    aiglx = next(s for s in walk_sessions(in_utc.events[0].sessions) if str(s.name) == "AIGLX")
    assert aiglx.start.isoformat() == "2007-02-25T15:00:00+00:00"
    assert aiglx.time_zone == "UTC"
    utc_sessions = list(walk_sessions(in_utc.events[0].sessions))
    brussels_sessions = {s.id: s for s in walk_sessions(in_brussels.events[0].sessions)}
    assert brussels_sessions[aiglx.id].start.isoformat() == "2007-02-25T15:00:00+01:00"
    assert len(utc_sessions) == len(brussels_sessions) == 215
    for session in utc_sessions:  # the same wall clock everywhere, an hour earlier in absolute time
        there = brussels_sessions[session.id]
        assert there.time_zone == "Europe/Brussels"
        assert there.start.replace(tzinfo=None) == session.start.replace(tzinfo=None)
        assert there.end.replace(tzinfo=None) == session.end.replace(tzinfo=None)
        assert session.start - there.start == timedelta(hours=1)


def test_an_unknown_zone_option_is_a_usage_error():
    with pytest.raises(mastery_model.UsageError, match="Europe/Atlantis"):
        read_frab(schedule(frab_event()), **{"time-zone": "Europe/Atlantis"})


def test_a_time_zone_name_in_the_file_is_used():
    data = schedule(frab_event(start="09:15"), conference="    <time_zone_name>America/New_York</time_zone_name>\n")
    session = read_frab(data).events[0].sessions[0]
    assert session.start.isoformat() == "2025-02-01T09:15:00-05:00"
    assert session.time_zone == "America/New_York"
    assert read_frab(data).events[0].start == date(2025, 2, 1)


def test_a_date_without_an_offset_is_the_conference_s_wall_clock_whatever_the_machine_s_zone(monkeypatch):
    data = schedule(
        frab_event(id="1", start="10:00", body="      <date>2025-02-01T10:00:00</date>\n"),
        conference="    <time_zone_name>Europe/Berlin</time_zone_name>\n",
    )
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        (session,) = read_frab(data).events[0].sessions
    finally:
        monkeypatch.undo()
        time.tzset()
    assert session.start.isoformat() == "2025-02-01T10:00:00+01:00"
