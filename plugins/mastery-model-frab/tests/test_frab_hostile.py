"""Hostile and broken input: refused with a report, never expanded, fetched, or parsed at any size."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest
from frab_support import (
    event,
    fuzz_budget,
    links,
    persons,
    problems,
    read_frab,
    schedule,
    written_everywhere,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_frab_properties import CHARACTERS, generated

import mastery_model

BODY = (
    '<schedule><conference><title>{title}</title></conference><day index="1" date="2025-02-01">'
    '<event id="1"><start>10:00</start><duration>01:00</duration><room>R</room><title>{title}</title></event>'
    "</day></schedule>"
)


def refused(data: bytes) -> list[tuple[str, int | None, object]]:
    with pytest.raises(mastery_model.InvalidDocument) as caught:
        read_frab(data)
    return problems(caught.value)


def everything_said(found: list[tuple[str, int | None, object]]) -> str:
    return "\n".join(f"{message} {value!r}" for message, _line, value in found)


def test_billion_laughs_is_refused_unexpanded():
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    data = f'<?xml version="1.0"?>\n<!DOCTYPE schedule [\n{chr(10).join(entities)}\n]>\n'.encode()
    data += BODY.format(title="&lol9;").encode()
    began = time.perf_counter()
    found = refused(data)
    assert time.perf_counter() - began < 2
    assert found
    assert "lollol" not in everything_said(found)


def test_an_external_entity_is_refused_and_the_file_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-4242\n")
    for target in ("file:///etc/passwd", secret.as_uri()):
        data = f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "{target}">]>\n'.encode()
        said = everything_said(refused(data + BODY.format(title="&e;").encode()))
        assert "TOP-SECRET" not in said
        assert "root:" not in said


def test_an_external_dtd_is_refused(tmp_path):
    dtd = tmp_path / "schedule.dtd"
    dtd.write_text('<!ENTITY e "TOP-SECRET-4242">\n')
    data = f'<?xml version="1.0"?>\n<!DOCTYPE schedule SYSTEM "{dtd.as_uri()}">\n'.encode()
    said = everything_said(refused(data + BODY.format(title="&e;").encode()))
    assert "TOP-SECRET" not in said


def test_a_dtd_without_entities_is_refused_too():
    data = b'<?xml version="1.0"?>\n<!DOCTYPE schedule [<!ELEMENT schedule ANY>]>\n' + BODY.format(title="T").encode()
    (found,) = refused(data)
    assert "DTD" in found[0]


def test_an_enormous_input_is_refused_unparsed():
    data = b"<schedule>" + b" " * 100_000_000 + b"</schedule>"
    began = time.perf_counter()
    (found,) = refused(data)
    assert time.perf_counter() - began < 1  # a parse of 100 MB would take longer; the size decides
    assert "100,000,021 bytes" in found[0]


def test_xml_that_is_not_well_formed_is_reported_with_its_line():
    data = schedule(event()).replace(b"</day>", b"</dya>")
    (found,) = refused(data)
    message, line, _value = found
    assert message.startswith("not well-formed XML")
    assert line == data.decode().splitlines().index("  </dya>") + 1


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?>\n<html><body>Not found</body></html>',
        b'<schedule xmlns="urn:example:other"><conference/></schedule>',
        b"<iCalendar/>",
    ],
)
def test_a_document_that_is_no_schedule_says_so(data):
    (found,) = refused(data)
    assert "expected a <schedule> root" in found[0]


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02", b"BEGIN:VCALENDAR\r\n", b"\xef\xbb\xbf", b"<schedule"])
def test_what_is_no_xml_at_all_is_a_problem(data):
    (found,) = refused(data)
    assert found[0].startswith("not well-formed XML")


def test_a_schedule_without_a_conference_says_what_it_lacks():
    said = everything_said(refused(b"<schedule>\n</schedule>\n"))
    assert "<conference>" in said


def problem_lines(data: bytes, **options: str) -> list[tuple[str, int | None, object]]:
    with pytest.raises(mastery_model.InvalidDocument) as caught:
        read_frab(data, **options)
    found = problems(caught.value)
    assert all(line is not None for _message, line, _value in found), found
    return found


def line_of(data: bytes, text: str) -> int:
    (line,) = (number for number, found in enumerate(data.decode().splitlines(), start=1) if text in found)
    return line


@pytest.mark.parametrize("frab_id", ["1" * 5000, "2147483648", "9007199254740993", "000000000000000000002147483648"])
def test_an_event_id_too_large_for_a_schedule_is_refused_at_its_line(frab_id):
    data = schedule(event(id=frab_id))
    began = time.perf_counter()
    ((message, line, value),) = problem_lines(data)
    assert time.perf_counter() - began < 1
    assert "larger than 2147483647" in message
    assert (line, value) == (line_of(data, "<event id="), frab_id)


def test_the_largest_id_a_schedule_carries_is_kept():
    catalogue = read_frab(schedule(event(id="2147483647")))
    ((session,),) = (event.sessions for event in catalogue.events)
    assert [external_id.value for external_id in session.external_ids] == ["2147483647"]


def test_a_person_id_too_large_for_a_schedule_is_refused_at_its_line():
    data = schedule(event(body=persons(("Ada", "9" * 5000))))
    ((message, line, _value),) = problem_lines(data)
    assert "person id is larger than 2147483647" in message
    assert line == line_of(data, "<person id=")


@pytest.mark.parametrize(
    "stated", ["0001-01-01T00:10:00+01:00", "9999-12-31T23:50:00-01:00", "9999-12-31T23:59:59", "3000-01-01T10:00:00Z"]
)
def test_a_date_outside_the_years_a_catalogue_holds_is_refused_at_its_line(stated):
    data = schedule(event(body=f"      <date>{stated}</date>\n"))
    ((message, line, value),) = problem_lines(data)
    assert "years 1000 to 2999" in message
    assert (line, value) == (line_of(data, "<event id="), stated)


def test_a_day_change_past_the_last_day_a_catalogue_holds_is_refused_at_the_day():
    data = schedule(event(start="01:00"), date="9999-12-31", conference="    <day_change>04:00</day_change>\n")
    found = problem_lines(data)
    assert found == [
        ("the <day> date cannot be held: a date is in the years 1000 to 2999", line_of(data, "<day "), "9999-12-31")
    ]


def test_a_session_pushed_past_the_years_a_catalogue_holds_is_refused_at_its_line():
    night = schedule(event(start="01:00"), date="2999-12-31", conference="    <day_change>04:00</day_change>\n")
    long = schedule(event(start="23:00", duration="99:00"), date="2999-12-31")
    for data, which in ((night, "start"), (long, "end")):
        ((message, line, _value),) = problem_lines(data)
        assert message.startswith(f"the event's {which} cannot be held")
        assert line == line_of(data, "<event id=")


@pytest.mark.parametrize("name", ["start", "end"])
def test_a_conference_day_outside_the_years_a_catalogue_holds_is_refused_at_its_line(name):
    data = schedule(event(), conference=f"    <{name}>9999-01-01</{name}>\n")
    ((message, line, _value),) = problem_lines(data)
    assert f"<{name}>" in message
    assert "years 1000 to 2999" in message
    assert line == line_of(data, f"<{name}>9999")


def test_a_clock_offset_of_seconds_is_refused_at_the_event():
    # Brussels kept its local mean time, 17 minutes 30 seconds ahead of UTC, until 1892
    data = schedule(event(), date="1800-01-01")
    ((message, line, value),) = problem_lines(data, **{"time-zone": "Europe/Brussels"})
    assert "whole number of minutes" in message
    assert (line, value) == (line_of(data, "<event id="), "1800-01-01T10:00:00+00:17:30")


@pytest.mark.parametrize(
    ("base_url", "href"),
    [("http://[", "slides.pdf"), ("https://x.example/", "//[x"), ("https://x.example/", "http://[::1/x")],
)
def test_an_address_urllib_cannot_split_is_no_address(base_url, href):
    body = links((href, "Slides")) + f"      <url>{href}</url>\n"
    catalogue = read_frab(schedule(event(body=body), conference=f"    <base_url>{base_url}</base_url>\n"))
    ((session,),) = (event.sessions for event in catalogue.events)
    assert [str(document.name) for document in session.documents] == ["Slides"]
    assert all(document.url is None or document.url.startswith("http") for document in session.documents)


def test_what_only_the_model_finds_wrong_is_said_at_the_element_it_came_from():
    data = schedule(event(id="1"), event(id="2", start="11:00"), conference="    <start>2025-02-02</start>\n")
    starts_before = "the session starts before what it belongs to starts"
    assert [(message, line) for message, line, _value in problem_lines(data)] == [
        ("the end is before the start", line_of(data, "<conference>")),
        (starts_before, line_of(data, '<event id="1"')),
        (starts_before, line_of(data, '<event id="2"')),
    ]


def test_a_time_zone_that_is_no_zone_is_named_apart_from_the_message():
    data = schedule(event(), conference=f"    <time_zone_name>{'Mars/' * 2000}</time_zone_name>\n")
    ((message, line, value),) = problem_lines(data)
    assert len(message) < 100
    assert (line, value) == (line_of(data, "<conference>"), "Mars/" * 2000)


# Hostile schedules: the real ones and generated ones, their texts and attributes replaced by what
# breaks parsers, their elements removed or repeated; nothing but a catalogue or a report comes out.

RAW_CONTROL = "\uf8ffcontrol\uf8ff"  # a placeholder, replaced by raw control characters in the bytes
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "-" + "9" * 30,
    "2147483647",
    "2147483648",
    "9007199254740993",
    "1" * 5000,
    "\u0661\u0662\u0663",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59",
    "1000-01-01T00:00:00+01:00",
    "2999-12-31T23:59:00-01:00",
    "1800-01-01T10:00:00",
    "2025-02-30T10:00:00+01:00",
    "2025-02-01T10:00:00+01:00:30",
    "T",
    "24:00",
    "23:60",
    "99:99",
    "99:59:59",
    "-1:00",
    "1:2:3",
    "10:00:00.5",
    "9" * 5000 + ":00",
    "http://[",
    "http://]",
    "https://[::1",
    "//[x",
    "http://a:99999999/",
    "http://a b/",
    "javascript:alert(1)",
    "ftp://x.example/",
    "Mars/Olympus",
    "../../etc/passwd",
    "\x7f\x85\x9f",
    "\u202e\ufeff",
    RAW_CONTROL,
]
VALUE = st.sampled_from(HOSTILE) | st.text(CHARACTERS, max_size=20)
ATTRIBUTE_NAMES = ["id", "guid", "date", "href", "name", "index"]
#: The elements the reader reads something from, most often picked: most elements of a real
#: schedule are ones it skips (a long list of tracks, abstracts).
TAGS = [
    *("conference", "start", "end", "day_change", "base_url", "time_zone_name", "day", "room", "event"),
    *("date", "duration", "title", "url", "language", "track", "person", "link", "attachment"),
]
EXCERPTS = ["frab/fosdem-2025.xml", "frab/debconf23.xml"]


def excerpt(path: Path, events: int = 20) -> bytes:
    """The conference and the first day of a real schedule, with its first ``events`` events."""
    root = etree.parse(str(path)).getroot()
    for later in root.findall("day")[1:]:
        root.remove(later)
    for extra in list(root.iter("event"))[events:]:
        extra.getparent().remove(extra)
    return etree.tostring(root, encoding="utf-8")


@pytest.fixture(scope="module")
def excerpts(shared_fixture) -> list[bytes]:
    return [excerpt(shared_fixture(relative)) for relative in EXCERPTS]


@st.composite
def mutations(draw: st.DrawFn) -> list[tuple[str, str | None, int, str, str]]:
    """Changes to make to a schedule: (what, the tag of the element or any, which of them, which
    attribute, the value)."""
    change = st.tuples(
        st.sampled_from(["text", "text", "attribute", "attribute", "remove", "duplicate"]),
        st.none() | st.sampled_from(TAGS),
        st.integers(0, 10**6),
        st.sampled_from(ATTRIBUTE_NAMES),
        VALUE,
    )
    return draw(st.lists(change, min_size=1, max_size=6))


def mutated(data: bytes, changes: list[tuple[str, str | None, int, str, str]]) -> bytes:
    root = etree.fromstring(data)
    for what, tag, which, attribute, value in changes:
        elements = list(root.iter(tag)) if tag else []
        elements = elements or list(root.iter())
        element = elements[which % len(elements)]
        parent = element.getparent()
        if what == "text":
            element.text = value
        elif what == "attribute":
            element.set(attribute, value)
        elif parent is not None and what == "remove":
            parent.remove(element)
        elif parent is not None:
            parent.insert(parent.index(element) + 1, copy.deepcopy(element))
    return etree.tostring(root, encoding="utf-8").replace(RAW_CONTROL.encode(), b"\x01\x1b\x00")


def a_catalogue_or_a_located_report(data: bytes) -> None:
    try:
        catalogue = read_frab(data)
    except mastery_model.InvalidDocument as error:
        report = error.report
    else:
        assert isinstance(catalogue, mastery_model.Catalogue)
        written_everywhere(catalogue)
        return
    assert report.problems
    for problem in report:
        assert problem.message
        assert isinstance(problem.line, int), problem


@settings(max_examples=fuzz_budget(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), mutations())
def test_a_real_schedule_made_hostile_gives_a_catalogue_or_a_located_report(excerpts, data, changes):
    a_catalogue_or_a_located_report(mutated(data.draw(st.sampled_from(excerpts)), changes))


@settings(max_examples=fuzz_budget(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated(), mutations())
def test_a_generated_schedule_made_hostile_gives_a_catalogue_or_a_located_report(schedule, changes):
    a_catalogue_or_a_located_report(mutated(schedule.xml(), changes))
