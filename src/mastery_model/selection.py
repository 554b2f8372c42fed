"""Selections: the part of a catalogue one person, organisation, country, kind or topic concerns.

A session is kept when it matches or when a session nested in it is kept (then it stands as
context for what it holds); an event is kept when one of its sessions is, or when its own id is
selected. People, organisations and campaigns are trimmed to those the kept events refer to.

A person or an organisation is given by its id or by its name (as ``show`` writes it; any case); a
name that two of them share is refused with their ids, never taken for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

import attrs
from attrs import frozen

from mastery_model import vocabulary
from mastery_model.model import Campaign, Catalogue, Event, Organisation, Person, Session, SessionKind
from mastery_model.problems import BadSelection, EmptySelection

_E = TypeVar("_E", Person, Organisation, Campaign)


@frozen
class Selection:
    """What to keep; each criterion given narrows the selection further."""

    person: str | None = None  # the id or name of a person: the sessions they take part in
    organisation: str | None = None  # the id or name of an organisation: its sessions and its people's
    country: str | None = None  # ISO 3166-1 alpha-2: sessions that speak for it, or nested in one that does
    kind: SessionKind | None = None
    topic: str | None = None  # sessions with this topic, or with a recommendation about it
    ids: tuple[str, ...] = ()  # sessions or events, by id

    def __attrs_post_init__(self) -> None:
        if self.country is not None:  # refused at once: it could match nothing in any catalogue
            problem = _country_problem(self.country)
            if problem:
                raise BadSelection(problem)

    def __bool__(self) -> bool:
        return self != Selection()

    def apply(self, catalogue: Catalogue) -> Catalogue:
        """The catalogue with only what the selection keeps; :class:`EmptySelection` when nothing."""
        if not self:
            return catalogue
        matches = self._predicate(catalogue)
        events = tuple(
            kept for kept in (_kept_event(event, matches, set(self.ids)) for event in catalogue.events) if kept
        )
        if not events:
            raise EmptySelection(f"no session matches the selection ({self._described()})")
        return trimmed(attrs.evolve(catalogue, events=events))

    def _predicate(self, catalogue: Catalogue) -> Callable[[Session, str | None], bool]:
        person = None if self.person is None else _resolved("person", self.person, catalogue.people)
        organisation = (
            None if self.organisation is None else _resolved("organisation", self.organisation, catalogue.organisations)
        )
        members = {organisation} if organisation else set()
        if organisation:
            members |= {someone.id for someone in catalogue.people if organisation in someone.affiliations}
        wanted = set(self.ids)

        def matches(session: Session, country: str | None) -> bool:
            contributors = {contribution.contributor for contribution in session.contributions}
            return all(
                (
                    person is None or person in contributors,
                    self.organisation is None or bool(members & contributors),
                    self.country is None or (session.country or country) == self.country,
                    self.kind is None or session.kind is self.kind,
                    self.topic is None
                    or self.topic in session.topics
                    or any(self.topic in recommendation.topics for recommendation in session.recommendations),
                    not wanted or session.id in wanted,
                )
            )

        return matches

    def _described(self) -> str:
        given = {name: value for name, value in attrs.asdict(self, recurse=False).items() if value}
        return ", ".join(f"{name} {value}" for name, value in given.items())


def _resolved(kind: str, given: str, entities: Iterable[Person | Organisation]) -> str:
    """The id ``given`` stands for: an id as it is; else the one entity whose name is ``given``
    (exactly, or else in any case); else ``given`` itself, which then matches nothing."""
    candidates = list(entities)
    if any(entity.id == given for entity in candidates):
        return given
    for same in (str.__eq__, _same_in_any_case):
        named = sorted({entity.id for entity in candidates if any(same(name, given) for name in _names(entity))})
        if len(named) == 1:
            return named[0]
        if named:
            many = "people" if kind == "person" else "organisations"
            raise BadSelection(
                f"{len(named)} {many} are called {given!r}: give the id of the one meant ({', '.join(named)})"
            )
    return given


def _names(entity: Person | Organisation) -> list[str]:
    if isinstance(entity, Person):
        return [entity.name]
    return [text for _language, text in entity.name.translations]


def _same_in_any_case(name: str, given: str) -> bool:
    return name.casefold() == given.casefold()


def _country_problem(code: str) -> str | None:
    """Why ``code`` is no ISO 3166-1 alpha-2 code, or None when it is one."""
    from mastery_model.validation import _COUNTRY_HINTS, _valid_country  # the data's codes are checked so

    upper = code.upper()
    if code == upper and _valid_country(code):
        return None
    if code != upper and _valid_country(upper):  # pycountry finds codes in any case; the data has them upper case
        return f"no country has the code {code!r}: ISO 3166-1 codes are upper case: {upper}"
    hint = _COUNTRY_HINTS.get(upper, "")
    return f"no country has the code {code!r} in ISO 3166-1 (codes such as ES, FI, IT, BG){hint}"


def _kept_event(event: Event, matches: Callable[[Session, str | None], bool], ids: set[str]) -> Event | None:
    if event.id in ids:
        return event
    sessions = _kept_sessions(event.sessions, matches, None)
    return attrs.evolve(event, sessions=sessions) if sessions else None


def _kept_sessions(
    sessions: tuple[Session, ...], matches: Callable[[Session, str | None], bool], country: str | None
) -> tuple[Session, ...]:
    kept = []
    for session in sessions:
        inside = _kept_sessions(session.sessions, matches, session.country or country)
        if inside or matches(session, country):
            kept.append(attrs.evolve(session, sessions=inside))
    return tuple(kept)


def trimmed(catalogue: Catalogue) -> Catalogue:
    """The catalogue with only the people, organisations and campaigns its events refer to."""
    organisations = {organisation.id: organisation for organisation in catalogue.organisations}
    people = {person.id: person for person in catalogue.people}
    wanted = referred(catalogue.events, people, organisations)
    return Catalogue(
        events=catalogue.events,
        people=_keep(catalogue.people, wanted),
        organisations=_keep(catalogue.organisations, wanted),
        campaigns=_keep(catalogue.campaigns, wanted),
    )


def referred(
    events: Iterable[Event], people: Mapping[str, Person], organisations: Mapping[str, Organisation]
) -> set[str]:
    """The ids of the people, organisations and campaigns ``events`` refer to, with what those
    refer to in turn (affiliations, parent organisations): time in the events' size, whatever the
    catalogue's."""
    wanted = set(vocabulary.referred_ids(events))
    waiting = list(wanted)
    while waiting:
        identifier = waiting.pop()
        entity = people.get(identifier) or organisations.get(identifier)
        if entity is not None:
            for found in vocabulary.referred_ids((entity,)):
                if found not in wanted:
                    wanted.add(found)
                    waiting.append(found)
    return wanted


def _keep(entities: Iterable[_E], wanted: set[str] | set[str | None]) -> tuple[_E, ...]:
    return tuple(entity for entity in entities if entity.id in wanted)
