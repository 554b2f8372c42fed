"""Selections keep what matches, with the sessions it is part of, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import catalogues

import mastery_model
from mastery_model import EmptySelection, Selection, SessionKind
from mastery_model.model import walk_sessions

SAMPLE = mastery_model.sample()


def _names(catalogue):
    return [str(session.name) for event in catalogue.events for session in walk_sessions(event.sessions)]


def test_one_country_keeps_its_group_and_the_session_it_is_part_of():
    assert _names(Selection(country="FI").apply(SAMPLE)) == ["National and European brainstorming sessions", "Finland"]


def test_one_person_keeps_their_sessions_and_the_people_and_organisations_they_refer_to():
    giulia = next(person for person in SAMPLE.people if person.name == "Giulia Alessandri")
    selected = Selection(person=giulia.id).apply(SAMPLE)
    assert _names(selected) == [
        "MASTERY Research Findings: A New Perspective of Micro-credentials for Companies and Workers"
    ]
    assert [person.name for person in selected.people] == ["Giulia Alessandri"]
    assert sorted(str(organisation.name) for organisation in selected.organisations) == ["MASTERY", "SSSA"]
    assert selected.campaigns == SAMPLE.campaigns
    assert mastery_model.validate(selected).ok


def test_one_organisation_keeps_the_sessions_of_its_people_and_its_own():
    european_commission = next(
        o for o in SAMPLE.organisations if str(o.name) == "DG Employment, Social Affairs and Inclusion"
    )
    assert _names(Selection(organisation=european_commission.id).apply(SAMPLE)) == [
        "A European Approach to Micro-Credentials for Lifelong Learning and Employability"
    ]
    lipor = next(o for o in SAMPLE.organisations if str(o.name) == "LIPOR Academy")
    assert _names(Selection(organisation=lipor.id).apply(SAMPLE))[-1] == "European session"


def test_kind_topic_and_ids():
    assert _names(Selection(kind=SessionKind.TALK).apply(SAMPLE))[0].startswith("A European Approach")
    assert "Finland" in _names(Selection(topic="digital badges").apply(SAMPLE))  # a recommendation's topic
    spain = next(s for s in walk_sessions(SAMPLE.events[0].sessions) if str(s.name) == "Spain")
    assert _names(Selection(ids=(spain.id,)).apply(SAMPLE)) == ["National and European brainstorming sessions", "Spain"]
    assert Selection(ids=(SAMPLE.events[0].id,)).apply(SAMPLE).events == SAMPLE.events


def test_an_empty_selection_is_an_error_not_an_empty_output():
    with pytest.raises(EmptySelection, match="country DE"):
        Selection(country="DE").apply(SAMPLE)


def test_no_selection_keeps_everything():
    assert Selection().apply(SAMPLE) is SAMPLE


@given(catalogues(), st.data())
def test_a_person_selection_keeps_exactly_their_sessions_and_what_they_are_part_of(catalogue, data):
    if not catalogue.people:
        return
    person = data.draw(st.sampled_from(catalogue.people))
    theirs = {
        session.id
        for event in catalogue.events
        for session in walk_sessions(event.sessions)
        if any(contribution.contributor == person.id for contribution in session.contributions)
    }
    if not theirs:
        with pytest.raises(EmptySelection):
            Selection(person=person.id).apply(catalogue)
        return
    selected = Selection(person=person.id).apply(catalogue)
    kept = {session.id for event in selected.events for session in walk_sessions(event.sessions)}
    assert theirs <= kept
    for event in selected.events:
        for session in walk_sessions(event.sessions):
            inside = {nested.id for nested in walk_sessions(session.sessions)}
            assert session.id in theirs or inside & theirs  # kept for itself, or as context
    assert mastery_model.validate(selected).ok
