"""The model's own rules and helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from mastery_model import Session, Text
from mastery_model.model import moment_error, timing_error, walk_sessions


def test_a_text_has_a_default_language_and_falls_back_to_it():
    text = Text({"en": "Spain", "es": "España"})
    assert (str(text), text.language, text.languages) == ("Spain", "en", ("en", "es"))
    assert text.get("es") == "España"
    assert text.get("fi") == "Spain"
    assert Text.of("España", "es") == Text({"es": "España"})


@pytest.mark.parametrize("translations", [(), (("en", "a"), ("en", "b"))])
def test_a_text_needs_one_entry_per_language_and_at_least_one(translations):
    with pytest.raises(ValueError, match="text"):
        Text(translations)


def test_moments_need_an_offset_in_whole_minutes_and_a_year_from_1000_to_2999():
    assert moment_error(datetime(2024, 10, 15, 10)) == "a date-time needs a UTC offset"
    odd = timezone(timedelta(minutes=-14, seconds=-44))  # Madrid's local mean time
    assert "whole number of minutes" in moment_error(datetime(1900, 1, 1, tzinfo=odd))
    assert "1000 to 2999" in moment_error(date(999, 12, 31))
    assert moment_error(datetime(2024, 10, 15, 10, tzinfo=UTC)) is None


def test_timing_rules():
    day, later = date(2024, 10, 15), date(2024, 10, 16)
    moment = datetime(2024, 10, 15, 10, tzinfo=UTC)
    assert timing_error(day, later, None) is None
    assert timing_error(later, day, None) == "the end is before the start"
    assert "both" in timing_error(day, moment, None)
    assert "time zone" in timing_error(day, None, "Europe/Madrid")
    assert timing_error(moment, None, "Europe/Madrid") is None


def test_walk_sessions_goes_depth_first_in_programme_order():
    def session(name, *children):
        return Session(id=f"urn:x:{name}", name=Text.of(name, "en"), sessions=children)

    tree = (session("1", session("1.1", session("1.1.1")), session("1.2")), session("2"))
    assert [str(s.name) for s in walk_sessions(tree)] == ["1", "1.1", "1.1.1", "1.2", "2"]
