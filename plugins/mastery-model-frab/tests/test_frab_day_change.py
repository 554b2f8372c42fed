"""``<day_change>``: a conference day ends at that clock time, not at midnight. A ``<start>`` before
it on a ``<day date=D>`` is after midnight of that conference day: on D + 1, on every day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from frab_support import exported, read_frab
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import mastery_model
from mastery_model.model import walk_sessions

DAYS = [date(2023, 9, 10) + timedelta(days=offset) for offset in range(4)]


@st.composite
def nights(draw: st.DrawFn) -> tuple[time, list[tuple[int, time]]]:
    """A day change and the events of four days: (the day's index, the start)."""
    change = time(draw(st.integers(1, 8)), draw(st.sampled_from([0, 30])))
    clocks = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
    return change, draw(st.lists(st.tuples(st.integers(0, 3), clocks), min_size=1, max_size=12))


def _schedule(change: time, events: list[tuple[int, time]]) -> bytes:
    root = etree.Element("schedule")
    conference = etree.SubElement(root, "conference")
    etree.SubElement(conference, "title").text = "Night Conference"
    etree.SubElement(conference, "day_change").text = change.strftime("%H:%M")
    etree.SubElement(conference, "time_zone_name").text = "Asia/Kolkata"
    days = {
        index: etree.SubElement(root, "day", index=str(index + 1), date=day.isoformat())
        for index, day in enumerate(DAYS)
    }
    for number, (index, start) in enumerate(events, start=1):
        event = etree.SubElement(etree.SubElement(days[index], "room", name="Hall"), "event", id=str(number))
        for name, value in (
            ("start", start.strftime("%H:%M")),
            ("duration", "00:30"),
            ("room", "Hall"),
            ("title", f"T{number}"),
        ):
            etree.SubElement(event, name).text = value
    return etree.tostring(root, encoding="utf-8")


@given(nights())
def test_a_start_before_the_day_change_is_the_next_calendar_day_on_every_day(night):
    change, events = night
    catalogue = read_frab(_schedule(change, events), language="en")
    starts = {
        int(session.external_ids[0].value): session.start for session in walk_sessions(catalogue.events[0].sessions)
    }
    for number, (index, start) in enumerate(events, start=1):
        day = DAYS[index] + timedelta(days=1) if start < change else DAYS[index]
        assert starts[number].replace(tzinfo=None) == datetime.combine(day, start)
        assert starts[number].utcoffset() == timedelta(hours=5, minutes=30)
    (event,) = catalogue.events
    # no day is made up: the conference lasts from its first <day> to its last, and the night after it
    nights_end = max(DAYS[index] + timedelta(days=start < change) for index, start in events)
    assert (event.start, event.end) == (DAYS[0], max(DAYS[-1], nights_end))
    assert read_frab(exported(catalogue), language="en") == catalogue


def test_fosdem_s_day_change_moves_none_of_its_sessions(shared_fixture):
    """FOSDEM 2018 and 2025 say <day_change>09:00:00</day_change>, and no session starts before it:
    every session is on the date of its <day>, and the conference is its two days."""
    for name in ("fosdem-2018", "fosdem-2025"):
        path = shared_fixture(f"frab/{name}.xml")
        root = etree.parse(str(path)).getroot()
        assert root.findtext("conference/day_change") == "09:00:00"
        day_of = {element.get("id"): day.get("date") for day in root.iter("day") for element in day.iter("event")}
        catalogue = mastery_model.load(path, format="frab", **{"time-zone": "Europe/Brussels"})
        sessions = list(walk_sessions(catalogue.events[0].sessions))
        assert len(sessions) == len(day_of)
        assert all(session.start.time() >= time(9) for session in sessions)
        assert {session.start.date().isoformat() for session in sessions} == set(day_of.values())
        assert all(session.start.date().isoformat() == day_of[session.external_ids[0].value] for session in sessions)
        days = sorted(date.fromisoformat(day.get("date")) for day in root.iter("day"))
        assert (catalogue.events[0].start, catalogue.events[0].end) == (days[0], days[-1])
