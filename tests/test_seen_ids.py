"""The compact record of ids already written answers as a set of the ids would."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from mastery_model.builtin.parts import SeenIds


def _as_a_set_answers(identifiers: list[str]) -> list[bool]:
    seen: set[str] = set()
    answers = []
    for identifier in identifiers:
        answers.append(identifier not in seen)
        seen.add(identifier)
    return answers


@given(st.lists(st.text(min_size=1, max_size=12) | st.sampled_from(["urn:uuid:1", "_:a", "é"]), max_size=60))
def test_it_answers_as_a_set_does(identifiers):
    seen = SeenIds()
    assert [seen.first(identifier) for identifier in identifiers] == _as_a_set_answers(identifiers)
    assert len(seen) == len(set(identifiers))


def test_it_answers_as_a_set_does_across_many_merges():
    rng = random.Random(7)
    pool = [f"urn:uuid:00000000-0000-4000-9000-{number:012d}" for number in range(30_000)]
    identifiers = [rng.choice(pool) for _ in range(60_000)]  # about half seen before, in any order
    seen = SeenIds()
    assert [seen.first(identifier) for identifier in identifiers] == _as_a_set_answers(identifiers)
    assert len(seen) == len(set(identifiers))
