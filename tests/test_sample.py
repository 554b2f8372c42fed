"""The embedded sample holds every fact the article about the webinar gives, and nothing more."""

from __future__ import annotations

from datetime import date

import mastery_model
from mastery_model import AttendanceMode, OrganisationKind, Qualifier, Role, SessionKind
from mastery_model.model import EUROPE, walk_sessions

CATALOGUE = mastery_model.sample()
(EVENT,) = CATALOGUE.events
PEOPLE = {person.name: person for person in CATALOGUE.people}
ORGANISATIONS = {str(organisation.name): organisation for organisation in CATALOGUE.organisations}
ORGANISATION_NAMES = {organisation.id: str(organisation.name) for organisation in CATALOGUE.organisations}
SESSIONS = {str(session.name): session for session in walk_sessions(EVENT.sessions)}


def test_the_event_its_day_and_how_it_ran():
    assert str(EVENT.name) == "Greening the Future: Micro-Credentials Empowering Sustainable Skills"
    assert EVENT.start == EVENT.end == date(2024, 10, 15)  # the article gives the day, no times
    assert EVENT.time_zone is None
    assert EVENT.attendance_mode is AttendanceMode.ONLINE
    assert EVENT.attendance is not None
    assert (EVENT.attendance.count, EVENT.attendance.qualifier) == (70, Qualifier.MORE_THAN)
    (campaign,) = CATALOGUE.campaigns
    assert EVENT.campaign == campaign.id
    assert str(campaign.name) == "Erasmus Days"
    assert [ORGANISATION_NAMES[identifier] for identifier in EVENT.organisers] == ["MASTERY"]
    assert ORGANISATIONS["MASTERY"].kind is OrganisationKind.PROJECT


def test_each_speaker_with_role_and_organisation():
    expected = {
        "Isabel Ladrón Arroyo": "DG Employment, Social Affairs and Inclusion",
        "Stefano Tirati": "EfVET",
        "Oonagh McGirr": "WAM",
        "Silvia Toneva": "NAVET",
        "Giulia Alessandri": "SSSA",
    }
    assert {name: [ORGANISATION_NAMES[o] for o in person.affiliations] for name, person in PEOPLE.items()} == {
        name: [organisation] for name, organisation in expected.items()
    }
    dg = ORGANISATIONS["DG Employment, Social Affairs and Inclusion"]
    assert ORGANISATION_NAMES[dg.parent] == "European Commission"
    speakers = {
        contribution.contributor
        for session in SESSIONS.values()
        for contribution in session.contributions
        if contribution.role is Role.SPEAKER
    }
    assert {person.id for person in PEOPLE.values()} <= speakers
    assert str(PEOPLE["Silvia Toneva"].job_title) == "Chief Expert"
    assert str(PEOPLE["Giulia Alessandri"].job_title) == "Researcher"


def test_the_three_slide_decks_with_their_authors():
    decks = {str(document.name): document for session in SESSIONS.values() for document in session.documents}
    assert set(decks) == {
        "A European Approach to Micro-Credentials for Lifelong Learning and Employability",
        "Excellence in Policy Making for Micro-credentials – Guidelines for Decision Makers",
        "MASTERY Research Findings: A New Perspective of Micro-credentials for Companies and Workers",
    }
    authors = {
        title: [person.name for person in PEOPLE.values() if person.id in deck.authors] for title, deck in decks.items()
    }
    assert sorted(name for names in authors.values() for name in names) == [
        "Giulia Alessandri",
        "Isabel Ladrón Arroyo",
        "Silvia Toneva",
    ]
    assert all(deck.url is None for deck in decks.values())  # the article links them without an address


def test_the_national_groups_and_the_european_session():
    groups = SESSIONS["National and European brainstorming sessions"].sessions
    assert [(str(group.name), group.country, group.kind) for group in groups] == [
        ("Spain", "ES", SessionKind.BREAKOUT),
        ("Finland", "FI", SessionKind.BREAKOUT),
        ("Italy", "IT", SessionKind.BREAKOUT),
        ("Bulgaria", "BG", SessionKind.BREAKOUT),
        ("European session", None, SessionKind.BREAKOUT),
    ]
    european = groups[-1]
    assert [ORGANISATION_NAMES[c.contributor] for c in european.contributions] == ["LIPOR Academy"]


def test_each_recommendation_is_an_item_of_its_own_with_its_scope_and_topics():
    counts = {str(group.name): len(group.recommendations) for group in SESSIONS.values() if group.recommendations}
    assert counts == {"Spain": 4, "Finland": 4, "Italy": 3, "Bulgaria": 1, "European session": 3}
    for session in SESSIONS.values():
        for position, recommendation in enumerate(session.recommendations, start=1):
            assert recommendation.scope == (session.country or EUROPE)
            assert recommendation.topics
            assert recommendation.position == position


def test_nothing_the_article_does_not_say():
    for session in walk_sessions(EVENT.sessions):
        assert session.start is None
        assert session.end is None
        assert session.url is None
        assert not session.locations
    assert EVENT.url is None
    assert not EVENT.locations
    assert not EVENT.languages
    assert all(
        organisation.acronym is None and organisation.country is None for organisation in CATALOGUE.organisations
    )
    assert all(person.country is None and not person.external_ids for person in CATALOGUE.people)


def test_the_shipped_file_is_canonical():
    data = mastery_model.embedded.sample_bytes()
    assert mastery_model.dumps(mastery_model.loads(data)) == data
