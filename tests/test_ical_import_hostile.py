"""Hostile calendars: any bytes, generated calendars, huge fields, deep nesting and long chains of
RELATED-TO read to a catalogue or to problems, never to another exception."""

from __future__ import annotations

import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import fuzz_budget

from mastery_model import Catalogue, InvalidDocument
from mastery_model.importing import read as read_bytes


def outcome(data: bytes, **options: str) -> Catalogue | list[str]:
    """The catalogue read, or the problems, each with a line where it is at one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return read_bytes(data, format="ical", **options)
        except InvalidDocument as error:
            problems = [str(problem) for problem in error.report]
    assert problems  # a refusal always says why
    return problems


NAMES = ["BEGIN", "END", "SUMMARY", "DTSTART", "DTEND", "DURATION", "UID", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"]
NAMES += ["ATTENDEE", "ORGANIZER", "CATEGORIES", "RELATED-TO", "STATUS", "SEQUENCE", "LOCATION", "URL", "X-WR-TIMEZONE"]
PARAMETERS = ["", ";TZID=Europe/Madrid", ";TZID=W. Europe Standard Time", ";TZID=Nowhere", ";VALUE=DATE", ";CN=Ana"]
PARAMETERS += [";ROLE=CHAIR", ";LANGUAGE=xx-!!", ";RELTYPE=CHILD", ";;", ';CN="a:b"']
VALUES = ["VCALENDAR", "VEVENT", "VALARM", "VTIMEZONE", "20240101T100000", "20240101T100000Z", "20240101", "99991231"]
VALUES += ["FREQ=DAILY", "FREQ=DAILY;COUNT=3", "FREQ=SECONDLY;COUNT=999999", "P1D", "-PT1H", "PT", "a@x", "b@x"]
VALUES += ["CANCELLED", "TENTATIVE", "<b>bold</b> &amp;", "mailto:a@x", "https://example.org/x", "\x00\x1b", ""]

lines = st.builds(
    lambda name, parameters, value: f"{name}{parameters}:{value}",
    st.sampled_from(NAMES),
    st.sampled_from(PARAMETERS),
    st.sampled_from(VALUES) | st.text(max_size=30),
)


@settings(max_examples=fuzz_budget(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(lines, max_size=40), st.sampled_from(["\r\n", "\n", "\r"]))
def test_generated_calendars_read_or_give_problems(body: list[str], newline: str) -> None:
    data = newline.join(["BEGIN:VCALENDAR", "BEGIN:VEVENT", *body, "END:VEVENT", "END:VCALENDAR"]).encode(
        "utf-8", "surrogatepass"
    )
    outcome(data)


@settings(max_examples=fuzz_budget(150), deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_after_a_calendar_s_first_line_give_problems_or_a_catalogue(tail: bytes) -> None:
    outcome(b"BEGIN:VCALENDAR\r\n" + tail)


def test_huge_fields_deep_nesting_and_long_chains_give_problems_or_a_catalogue() -> None:
    event = "BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{summary}\r\nDTSTART:20240101T100000Z\r\n{more}END:VEVENT\r\n"
    huge = event.format(uid="a@x", summary="x" * 2_000_000, more="DESCRIPTION:" + "é" * 1_000_000 + "\r\n")
    assert isinstance(outcome(f"BEGIN:VCALENDAR\r\n{huge}END:VCALENDAR\r\n".encode()), Catalogue)
    nested = "BEGIN:VEVENT\r\n" * 2000 + "END:VEVENT\r\n" * 2000
    found = outcome(f"BEGIN:VCALENDAR\r\n{nested}END:VCALENDAR\r\n".encode())
    assert isinstance(found, list)
    assert "holds another VEVENT" in found[0]
    chain = "".join(
        event.format(uid=f"e{n}@x", summary=f"E{n}", more=f"RELATED-TO:e{n - 1}@x\r\n" if n else "") for n in range(60)
    )
    assert outcome(f"BEGIN:VCALENDAR\r\n{chain}END:VCALENDAR\r\n".encode())
    cycle = event.format(uid="a@x", summary="A", more="RELATED-TO:b@x\r\n") + event.format(
        uid="b@x", summary="B", more="RELATED-TO:a@x\r\n"
    )
    assert isinstance(outcome(f"BEGIN:VCALENDAR\r\n{cycle}END:VCALENDAR\r\n".encode()), Catalogue)
