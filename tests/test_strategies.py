"""The generated catalogues really reach what the properties claim to cover."""

from __future__ import annotations

import pytest
from hypothesis import Phase, find, settings
from strategies import catalogues

from mastery_model.model import walk_sessions

SEARCH = settings(max_examples=300, database=None, phases=[Phase.generate])  # found is enough: no shrinking


def _depth(sessions, level=1):
    return max((_depth(session.sessions, level + 1) for session in sessions), default=level - 1)


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # the deep example is large
def test_sessions_nest_at_least_three_deep():
    found = find(catalogues(), lambda c: any(_depth(event.sessions) >= 3 for event in c.events), settings=SEARCH)
    assert max(_depth(event.sessions) for event in found.events) >= 3


def test_people_are_shared_between_sessions():
    def shared(catalogue):
        for person in catalogue.people:
            sessions = [
                s
                for e in catalogue.events
                for s in walk_sessions(e.sessions)
                if any(c.contributor == person.id for c in s.contributions)
            ]
            if len(sessions) >= 2:
                return True
        return False

    assert shared(find(catalogues(), shared, settings=SEARCH))
