"""What the schemas accept, the parser reads exactly; what they reject never reaches it.

Date-times follow a strict subset of RFC 3339: upper-case T and Z, at most six digits of
fraction (what Python keeps), no leap second, years 1000 to 2999, an offset always.
"""

from __future__ import annotations

from datetime import date, datetime

import orjson
from hypothesis import example, given, settings
from hypothesis import strategies as st

import mastery_model
from mastery_model import schemas
from mastery_model.conversion import format_date_time


def _two(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda number: f"{number:02d}")


dates = st.builds(
    lambda year, month, day: f"{year:04d}-{month}-{day}",
    st.integers(0, 9999) | st.integers(990, 3010),
    _two(0, 13),
    _two(0, 32),
)
offsets = st.one_of(
    st.sampled_from(["Z", "z", "", "-00:00", "+00:00", "+0200", "+02", "+24:00"]),
    st.builds(lambda sign, hours, minutes: f"{sign}{hours}:{minutes}", st.sampled_from("+-"), _two(0, 25), _two(0, 61)),
)
date_times = st.builds(
    lambda day, separator, hours, minutes, seconds, fraction, offset: (
        f"{day}{separator}{hours}:{minutes}:{seconds}{fraction}{offset}"
    ),
    dates,
    st.sampled_from(["T", "T", "t", " "]),
    _two(0, 25),
    _two(0, 60),
    _two(0, 61),
    st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=9).map(lambda digits: f".{digits}")),
    offsets,
)


def _document(**timing: str) -> bytes:
    event = {"@type": "EducationEvent", "@id": "urn:x-test:e", "name": {"en": "E"}, **timing}
    return orjson.dumps({"@context": schemas.CONTEXT_IRI, "@graph": [event]})


@settings(max_examples=500)
@given(date_times)
@example("2024-10-15t10:00:00z")  # lower case: rejected
@example("2024-10-15T10:00:00.1234567Z")  # finer than microseconds: rejected
@example("2016-12-31T23:59:60Z")  # a leap second: rejected
@example("2024-02-29T10:00:00.000001-00:00")
@example("2023-02-29T10:00:00Z")  # no such day
def test_a_date_time_is_read_exactly_when_the_schema_accepts_it(text):
    report = mastery_model.validate(_document(startTime=text))
    if not report.ok:
        assert [problem.pointer for problem in report] == ["/@graph/0/startTime"]
        return
    moment = mastery_model.loads(_document(startTime=text)).events[0].start
    expected = datetime.fromisoformat(text)
    assert isinstance(moment, datetime)
    assert (moment.replace(tzinfo=None), moment.utcoffset()) == (expected.replace(tzinfo=None), expected.utcoffset())
    written = orjson.loads(mastery_model.dumps(mastery_model.loads(_document(startTime=text))))["@graph"][0][
        "startTime"
    ]
    assert written == format_date_time(expected)  # the same value, written canonically (.0 dropped, Z for UTC)
    assert mastery_model.validate(_document(startTime=written)).ok


@settings(max_examples=300)
@given(dates)
def test_a_date_is_read_exactly_when_the_schema_accepts_it(text):
    report = mastery_model.validate(_document(startDate=text))
    if not report.ok:
        assert [problem.pointer for problem in report] == ["/@graph/0/startDate"]
        return
    assert mastery_model.loads(_document(startDate=text)).events[0].start == date.fromisoformat(text)
    assert 1000 <= date.fromisoformat(text).year <= 2999


def test_lower_case_leap_seconds_and_nanoseconds_are_rejected_with_the_rule():
    for text in (
        "2024-10-15t10:00:00z",
        "2024-10-15T10:00:00.123456789Z",
        "2016-12-31T23:59:60Z",
        "2024-10-15T10:00:00",
    ):
        (problem,) = mastery_model.validate(_document(startTime=text)).problems
        assert "upper-case T and Z" in problem.message
        assert problem.value == text
