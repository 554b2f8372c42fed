"""The pydantic baseline held to the library's meaning: ``pydantic_model``'s classes and, on the
catalogue, one ``model_validator`` that walks the tree once and checks what the library checks
beyond the schemas, as a pydantic user would write it:

- ids unique across the catalogue; every reference the id of an entity of its kind (affiliations
  and parents: organisations; performers, authors, organisers and funders: people or
  organisations; ``superEvent``: a campaign); no organisation its own ancestor;
- start and end both dates or both date-times (with a UTC offset of whole minutes, in the years
  1000 to 2999), not both ``startDate`` and ``startTime``, the end not before the start; a zone
  only with a date-time, a zone the IANA database knows, offsets that are the zone's at that
  instant; a session within the time of what it belongs to, an event within its campaign's;
- positions unique among siblings; sessions nested at most 16 deep;
- BCP 47 language tags (langcodes), ISO 3166-1 countries (pycountry), each answer cached.

It mints no ids: an entity without one is checked as it is (the library mints ids from names, and
refuses two entities that would get the same one).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import langcodes
import pycountry
from pydantic import model_validator

from benchmarks.baselines import pydantic_model
from benchmarks.baselines.pydantic_model import (
    Campaign,
    Event,
    Organisation,
    Person,
    Place,
    Session,
)

MAX_DEPTH = 16


@functools.cache
def _language(tag: str) -> bool:
    return bool(langcodes.tag_is_valid(tag))


@functools.cache
def _country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


@functools.cache
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _day(moment: date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _before(first: date, second: date) -> bool:
    if isinstance(first, datetime) and isinstance(second, datetime):
        return first < second
    return _day(first) < _day(second)


class _Checker:
    def __init__(self, graph: list[Any]) -> None:
        self.problems: list[str] = []
        self.seen: set[str] = set()
        self.people = {node.id for node in graph if isinstance(node, Person)}
        self.organisations = {node.id: node for node in graph if isinstance(node, Organisation)}
        self.campaigns = {node.id: node for node in graph if isinstance(node, Campaign)}
        self.contributors = self.people | self.organisations.keys()

    def fail(self, message: str) -> None:
        self.problems.append(message)

    def identity(self, identifier: str | None) -> None:
        if identifier is not None:
            if identifier in self.seen:
                self.fail(f"the id {identifier} is given twice")
            self.seen.add(identifier)

    def refers(self, ids: Iterable[str | None], known: Any, what: str) -> None:
        for identifier in ids:
            if identifier is not None and identifier not in known:
                self.fail(f"{identifier} is the id of no {what}")

    def text(self, text: dict[str, str] | None) -> None:
        if text:
            for tag in text:
                if not _language(tag):
                    self.fail(f"{tag} is not a BCP 47 language tag")

    def language(self, tag: str | None) -> None:
        if tag is not None and not _language(tag):
            self.fail(f"{tag} is not a BCP 47 language tag")

    def country(self, code: str | None) -> None:
        if code is not None and not _country(code):
            self.fail(f"{code} is not an ISO 3166-1 country")

    def moment(self, moment: date | None) -> bool:
        if moment is None:
            return True
        if isinstance(moment, datetime):
            offset = moment.utcoffset()
            if offset is None or offset.seconds % 60 or offset.microseconds:
                self.fail(f"{moment} has no UTC offset of whole minutes")
                return False
        if not 1000 <= moment.year <= 2999:
            self.fail(f"{moment} is not in the years 1000 to 2999")
            return False
        return True

    def timing(self, node: Any) -> tuple[date | None, date | None]:
        """The start and end of an event, session or campaign, checked; None for one not to compare."""
        start_time, end_time = getattr(node, "startTime", None), getattr(node, "endTime", None)
        if (start_time is not None and node.startDate is not None) or (
            end_time is not None and node.endDate is not None
        ):
            self.fail("a start or an end is given both as a date and as a date-time")
            return None, None
        start, end = start_time or node.startDate, end_time or node.endDate
        if not (self.moment(start) & self.moment(end)):
            return None, None
        zone_name = getattr(node, "timeZone", None)
        if zone_name is not None and not (isinstance(start, datetime) or isinstance(end, datetime)):
            self.fail("a time zone goes with a date-time")
        elif start is not None and end is not None and isinstance(start, datetime) != isinstance(end, datetime):
            self.fail("start and end are both date-times or both dates")
        elif start is not None and end is not None and end < start:
            self.fail("the end is before the start")
        elif zone_name is not None:
            zone = _zone(zone_name)
            if zone is None:
                self.fail(f"{zone_name} is not an IANA time zone")
            else:
                for moment in (start, end):
                    if isinstance(moment, datetime) and moment.astimezone(zone).utcoffset() != moment.utcoffset():
                        self.fail(f"{moment} does not have the offset {zone_name} has then")
        return start, end

    def inside(self, part: tuple[date | None, date | None], whole: tuple[date | None, date | None]) -> None:
        (start, end), (whole_start, whole_end) = part, whole
        for own, other, own_first in (
            (start, whole_start, True),
            (start, whole_end, False),
            (end, whole_end, False),
            (end, whole_start, True),
        ):
            if own is not None and other is not None and (_before(own, other) if own_first else _before(other, own)):
                self.fail("a part lies outside the time of what it belongs to")
                return

    def positions(self, items: list[Any]) -> None:
        given = [item.position for item in items if item.position is not None]
        if len(given) != len(set(given)):
            self.fail("two items have the same position")

    def locations(self, locations: list[Any]) -> None:
        for location in locations:
            if isinstance(location, Place):
                self.text(location.name)
                if location.address is not None:
                    self.country(location.address.addressCountry)

    def sessions(self, sessions: list[Session], parent: tuple[date | None, date | None], depth: int) -> None:
        if not sessions:
            return
        if depth > MAX_DEPTH:
            self.fail(f"sessions nest at most {MAX_DEPTH} deep")
            return
        self.positions(sessions)
        for session in sessions:
            self.identity(session.id)
            self.text(session.name)
            self.text(session.description)
            timing = self.timing(session)
            self.inside(timing, parent)
            self.locations(session.location)
            self.language(session.inLanguage)
            self.country(session.country)
            self.moment(session.dateModified)
            self.refers(
                (contribution.performer for contribution in session.performer), self.contributors, "contributor"
            )
            for document in session.workFeatured:
                self.identity(document.id)
                self.text(document.name)
                self.language(document.inLanguage)
                self.refers(document.author, self.contributors, "person or organisation")
            self.positions(session.recommendation)
            for recommendation in session.recommendation:
                self.identity(recommendation.id)
                self.text(recommendation.text)
                if recommendation.scope != "europe":
                    self.country(recommendation.scope)
            self.sessions(session.subEvent, timing, depth + 1)

    def graph(self, graph: list[Any]) -> None:
        for node in graph:
            self.identity(node.id)
            if isinstance(node, Person):
                self.text(node.jobTitle)
                self.refers(node.affiliation, self.organisations, "organisation")
                self.country(node.country)
            elif isinstance(node, Organisation):
                self.text(node.name)
                self.country(node.country)
                self.refers([node.parentOrganization], self.organisations, "organisation")
                self.ancestry(node)
            elif isinstance(node, Campaign):
                self.text(node.name)
                self.timing(node)
            else:
                self.event(node)

    def ancestry(self, organisation: Organisation) -> None:
        seen, parent = {organisation.id}, organisation.parentOrganization
        while parent in self.organisations:
            if parent in seen:
                if parent == organisation.id:
                    self.fail(f"the organisation {organisation.id} is its own ancestor")
                return
            seen.add(parent)
            parent = self.organisations[parent].parentOrganization

    def event(self, event: Event) -> None:
        self.text(event.name)
        self.text(event.description)
        timing = self.timing(event)
        self.locations(event.location)
        self.refers([*event.organizer, *event.funder], self.contributors, "person or organisation")
        self.refers([event.superEvent], self.campaigns, "campaign")
        if event.superEvent in self.campaigns:
            campaign = self.campaigns[event.superEvent]
            self.inside(timing, (campaign.startDate, campaign.endDate))
        for tag in event.inLanguage:
            self.language(tag)
        self.moment(event.dateModified)
        self.sessions(event.subEvent, timing, 1)


class Catalogue(pydantic_model.Catalogue):
    @model_validator(mode="after")
    def meaning(self) -> Self:
        checker = _Checker(self.graph)
        checker.graph(self.graph)
        if checker.problems:
            raise ValueError("; ".join(checker.problems))
        return self
