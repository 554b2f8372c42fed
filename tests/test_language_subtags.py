"""The tags known valid without langcodes are those langcodes holds valid."""

from __future__ import annotations

import itertools
import string

import langcodes
from hypothesis import given
from hypothesis import strategies as st

from mastery_model import language_subtags
from mastery_model.validation import _valid_language

LETTER_PAIRS = ["".join(pair) for pair in itertools.product(string.ascii_lowercase, repeat=2)]


def test_the_languages_are_the_two_letter_subtags_langcodes_holds_valid() -> None:
    assert {code for code in LETTER_PAIRS if langcodes.tag_is_valid(code)} == language_subtags.LANGUAGES


def test_the_regions_are_those_langcodes_holds_valid() -> None:
    candidates = [code.upper() for code in LETTER_PAIRS] + [f"{number:03d}" for number in range(1000)]
    assert {code for code in candidates if langcodes.tag_is_valid(f"en-{code}")} == language_subtags.REGIONS


def test_every_language_with_every_region_is_valid() -> None:
    invalid = [
        f"{language}-{region}"
        for language in language_subtags.LANGUAGES
        for region in language_subtags.REGIONS
        if not langcodes.tag_is_valid(f"{language}-{region}")
    ]
    assert invalid == []


@given(st.from_regex(r"[a-zA-Z]{1,4}(-[a-zA-Z0-9]{1,8}){0,3}", fullmatch=True) | st.text(max_size=12))
def test_a_tag_is_valid_as_langcodes_says(tag: str) -> None:
    assert _valid_language(tag) == langcodes.tag_is_valid(tag)
    if language_subtags.known_valid(tag):
        assert langcodes.tag_is_valid(tag)
