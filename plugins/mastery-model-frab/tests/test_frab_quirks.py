"""What real schedules get wrong or leave out, on small schedules written by hand."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from frab_support import event, exported, links, persons, problems, read_frab, schedule, schema_errors
from lxml import etree

import mastery_model


def only_session(catalogue: mastery_model.Catalogue) -> mastery_model.Session:
    (session,) = catalogue.events[0].sessions
    return session


def lines_of(data: bytes, text: str) -> list[int]:
    return [number for number, line in enumerate(data.decode().splitlines(), start=1) if text in line]


@pytest.mark.parametrize(
    ("duration", "length"),
    [
        ("1:00", timedelta(hours=1)),
        ("01:00", timedelta(hours=1)),
        ("0:45:00", timedelta(minutes=45)),
        ("00:05:30", timedelta(minutes=5, seconds=30)),
        ("12:15", timedelta(hours=12, minutes=15)),
    ],
)
def test_durations_in_each_way_schedules_write_them(duration, length):
    session = only_session(read_frab(schedule(event(duration=duration))))
    assert session.end - session.start == length


@pytest.mark.parametrize("duration", ["1:5", "one hour", "", "1:60", "-1:00", "01:00:00:00"])
def test_a_duration_that_is_none_of_them_is_reported_with_its_line(duration):
    """Regression: the events' problems were found after the check for problems, and dropped."""
    data = schedule(event(id="1"), event(id="2", start="11:00", duration=duration))
    with pytest.raises(mastery_model.InvalidDocument) as caught:
        read_frab(data)
    (found,) = problems(caught.value)
    assert "<duration>" in found[0]
    assert found[1:] == (lines_of(data, '<event id="2"')[0], duration)


def test_persons_without_ids_are_one_person_by_name_and_written_back_with_a_number():
    data = schedule(
        event(id="1", body=persons("Ada Lovelace")),
        event(id="2", start="11:00", body=persons("Ada Lovelace", ("Grace Hopper", "77"))),
    )
    catalogue = read_frab(data)
    assert sorted(person.name for person in catalogue.people) == ["Ada Lovelace", "Grace Hopper"]
    first, second = catalogue.events[0].sessions
    ada = next(person.id for person in catalogue.people if person.name == "Ada Lovelace")
    assert [c.contributor for c in first.contributions] == [ada] == [c.contributor for c in second.contributions[:1]]
    written = exported(catalogue)
    ids = {(person.text, person.get("id")) for person in etree.fromstring(written).iter("person")}
    assert len(ids) == 2  # Ada has the same number in both events
    assert ("Grace Hopper", "77") in ids
    assert all(re.fullmatch(r"[1-9][0-9]*", number) for _name, number in ids)
    again = read_frab(written)
    assert again == catalogue
    assert exported(again) == written


def test_the_same_event_id_twice_is_reported_naming_both_lines_when_repairs_are_refused():
    data = schedule(event(id="5", title="First"), event(id="5", title="Second", start="11:00"), event(id="6"))
    with pytest.raises(mastery_model.InvalidDocument) as caught:
        read_frab(data, repair="no")
    first, second = lines_of(data, '<event id="5"')
    (found,) = problems(caught.value)
    message, line, value = found
    assert (line, value) == (second, "5")
    assert f"on line {first}" in message
    assert "repair=yes" in message


def test_an_event_without_an_id_is_reported():
    data = schedule(event(id=None))
    with pytest.raises(mastery_model.InvalidDocument) as caught:
        read_frab(data)
    assert [(message, line) for message, line, _value in problems(caught.value)] == [
        ("an <event> has no id", lines_of(data, "<event>")[0])
    ]


@pytest.mark.parametrize("frab_id", ["0", "007"])
def test_an_event_id_that_is_no_positive_integer_is_read_and_written_as_one(frab_id):
    catalogue = read_frab(schedule(event(id=frab_id, title="Zero")))
    assert str(only_session(catalogue).name) == "Zero"
    assert only_session(catalogue).external_ids == ()  # it cannot be written back as it is: it is not kept
    written = exported(catalogue)
    (element,) = etree.fromstring(written).iter("event")
    assert re.fullmatch(r"[1-9][0-9]*", element.get("id"))
    assert int(element.get("id")) < 2**31
    assert read_frab(written) == catalogue
    assert exported(read_frab(written)) == written


def test_day_change_puts_an_early_event_on_the_next_calendar_day():
    night, morning = event(id="1", start="02:00"), event(id="2", start="10:00")
    catalogue = read_frab(schedule(night, morning, conference="    <day_change>09:00</day_change>\n"))
    starts = {
        str(external_id.value): session.start
        for session in catalogue.events[0].sessions
        for external_id in session.external_ids
    }
    assert starts["1"].isoformat() == "2025-02-02T02:00:00+00:00"
    assert starts["2"].isoformat() == "2025-02-01T10:00:00+00:00"
    assert catalogue.events[0].end == date(2025, 2, 2)  # the conference lasts until the night is over
    assert read_frab(exported(catalogue)) == catalogue
    without = read_frab(schedule(night, morning))
    assert min(session.start for session in without.events[0].sessions).isoformat() == "2025-02-01T02:00:00+00:00"


def test_an_event_past_midnight_on_the_last_day_is_read():
    """Regression: the conference ended on its last <day>, and such a session was refused."""
    catalogue = read_frab(schedule(event(start="23:00", duration="02:00")))
    session = only_session(catalogue)
    assert session.end.isoformat() == "2025-02-02T01:00:00+00:00"
    assert read_frab(exported(catalogue)) == catalogue


def link_urls(catalogue: mastery_model.Catalogue) -> list[tuple[str, str | None]]:
    return [(str(document.name), document.url) for document in only_session(catalogue).documents]


def test_relative_links_are_resolved_against_the_base_url():
    body = links(("/2025/slides.pdf", "slides"), ("notes/a.html", "notes"), ("https://other.org/x", "other"))
    data = schedule(event(body=body), conference="    <base_url>https://conf.example/2025/schedule/</base_url>\n")
    assert link_urls(read_frab(data)) == [
        ("slides", "https://conf.example/2025/slides.pdf"),
        ("notes", "https://conf.example/2025/schedule/notes/a.html"),
        ("other", "https://other.org/x"),
    ]
    assert link_urls(read_frab(data, **{"base-url": "https://mirror.example/"})) == [
        ("slides", "https://mirror.example/2025/slides.pdf"),
        ("notes", "https://mirror.example/notes/a.html"),
        ("other", "https://other.org/x"),
    ]
    without = schedule(event(body=body))
    assert link_urls(read_frab(without)) == [("slides", None), ("notes", None), ("other", "https://other.org/x")]


def test_an_ftp_link_keeps_its_text_without_an_address(schedule_schema):
    catalogue = read_frab(schedule(event(body=links(("ftp://ftp.example/pub/talk.ogg", "The recording")))))
    assert link_urls(catalogue) == [("The recording", None)]
    written = exported(catalogue)
    assert schema_errors(schedule_schema, written) == []
    assert read_frab(written) == catalogue


def test_brackets_in_a_query_are_percent_encoded(schedule_schema):
    href = "https://conf.example/search?tag[]=rust&amp;tag[1]=go#results"
    catalogue = read_frab(schedule(event(body=links((href, "search")))))
    assert link_urls(catalogue) == [("search", "https://conf.example/search?tag%5B%5D=rust&tag%5B1%5D=go#results")]
    written = exported(catalogue)
    assert schema_errors(schedule_schema, written) == []
    assert read_frab(written) == catalogue


def test_attachments_are_documents_with_a_media_type():
    body = links(("https://conf.example/a.pdf", "Slides"), ("https://conf.example/b.bin", "Data"), tag="attachment")
    documents = only_session(read_frab(schedule(event(body=body)))).documents
    assert [(str(d.name), d.media_type) for d in documents] == [
        ("Slides", "application/pdf"),
        ("Data", "application/octet-stream"),
    ]


def test_the_same_link_twice_is_one_document():
    body = links(("https://conf.example/a.pdf", "Slides"), ("https://conf.example/a.pdf", "Slides"))
    assert len(only_session(read_frab(schedule(event(body=body)))).documents) == 1


@pytest.mark.parametrize("start", ["10:00:60", "24:00", "10:60", "ten"])
def test_a_start_that_is_no_clock_time_is_reported_with_its_line(start):
    """Regression: a start of 60 seconds raised ValueError instead of being reported."""
    data = schedule(event(start=start))
    with pytest.raises(mastery_model.InvalidDocument) as caught:
        read_frab(data)
    (found,) = problems(caught.value)
    assert "no start" in found[0]
    assert found[1] == lines_of(data, "<event id=")[0]


def test_a_day_change_that_is_no_clock_time_is_ignored():
    catalogue = read_frab(schedule(event(start="02:00"), conference="    <day_change>09:00:60</day_change>\n"))
    assert only_session(catalogue).start.isoformat() == "2025-02-01T02:00:00+00:00"


@pytest.mark.parametrize("acronym", ["FOSDEM", "x"])
def test_an_acronym_the_schema_refuses_is_not_kept_and_the_export_stays_valid(acronym, schedule_schema):
    data = schedule(event(id="1", body=persons(("Ana", "5")))).replace(
        b"<acronym>quirks<", f"<acronym>{acronym}<".encode()
    )
    catalogue = read_frab(data)
    assert catalogue.events[0].external_ids == ()
    written = exported(catalogue)
    assert schema_errors(schedule_schema, written) == []
    assert read_frab(written) == catalogue
