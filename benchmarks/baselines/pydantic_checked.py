"""The pydantic model of :mod:`pydantic_model` with the meaning checks ``mastery_model.loads`` makes,
as a pydantic user would add them: one ``model_validator(mode="after")`` on the catalogue that
walks the validated tree once and raises ``ValueError`` (wrapped by pydantic in its
``ValidationError``) with every problem it finds.

The checks are those of ``mastery_model.validation._MeaningChecker`` and of the library's schema
layer that the plain pydantic model leaves out: ids unique across the catalogue, each reference
the id of an entity of its kind, no organisation its own ancestor, positions unique among
siblings, BCP 47 language tags (langcodes), ISO 3166-1 country codes (pycountry), IANA zones
(zoneinfo) whose offsets agree with the times given, dates and date-times each with their own
kind, ends not before starts, sessions within their parent's times and events within their
campaign's, sessions nested at most 16 deep. Not done: the library's minting of ids for entities
without one, and the collisions between minted ids it refuses; here an entity without ``@id``
simply has no id. Zone, language and country lookups are cached, as the library caches them.

    Catalogue.model_validate_json(data)
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from datetime import date, datetime
from typing import Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import langcodes
import pycountry
from pydantic import model_validator

from benchmarks.baselines import pydantic_model
from benchmarks.baselines.pydantic_model import (
    Campaign,
    Contribution,
    Document,
    Event,
    Location,
    Organisation,
    Person,
    Place,
    Session,
    Text,
    Timed,
)

#: How deep sessions may nest below an event (a session directly in an event is at depth 1).
MAX_SESSION_DEPTH = 16
Moment = datetime | date


@functools.cache
def valid_language(tag: str) -> bool:
    return bool(langcodes.tag_is_valid(tag))


@functools.cache
def valid_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


@functools.cache
def known_zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # unknown; not a key at all; a folder of zones
        return None


def moment_error(moment: Moment) -> str | None:
    if isinstance(moment, datetime):
        offset = moment.utcoffset()
        if offset is None:
            return "a date-time needs a UTC offset"
        if offset.seconds % 60 or offset.microseconds:
            return "a UTC offset is a whole number of minutes"
    if not 1000 <= moment.year <= 2999:
        return "a date is in the years 1000 to 2999"
    return None


def before(first: Moment, second: Moment) -> bool:
    """Whether ``first`` is before ``second``; a date-time against a date compares its day."""
    if isinstance(first, datetime) and isinstance(second, datetime):
        return first < second
    return day(first) < day(second)


def day(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def bounds(timed: Timed | Campaign) -> tuple[Moment | None, Moment | None]:
    if isinstance(timed, Campaign):
        return timed.startDate, timed.endDate
    start = timed.startTime if timed.startTime is not None else timed.startDate
    end = timed.endTime if timed.endTime is not None else timed.endDate
    return start, end


class MeaningChecker:
    """Every problem of meaning in a catalogue's graph, as ``pointer: message`` lines."""

    def __init__(self, graph: list[Event | Person | Organisation | Campaign]) -> None:
        self.problems: list[str] = []
        self.seen: dict[str, str] = {}  # id -> where the entity that has it is
        self.people = {node.id for node in graph if isinstance(node, Person) and node.id is not None}
        self.organisations = {node.id: node for node in graph if isinstance(node, Organisation) and node.id is not None}
        self.campaigns = {node.id: node for node in graph if isinstance(node, Campaign) and node.id is not None}
        self.parties = self.people | self.organisations.keys()
        check = {Event: self.event, Person: self.person, Organisation: self.organisation, Campaign: self.campaign}
        for index, node in enumerate(graph):
            check[type(node)](node, f"/@graph/{index}")  # type: ignore[operator]

    def report(self, pointer: str, message: str) -> None:
        self.problems.append(f"{pointer}: {message}")

    # entities

    def identity(self, identifier: str | None, pointer: str) -> None:
        if identifier is not None:
            first = self.seen.setdefault(identifier, pointer)
            if first != pointer:
                self.report(f"{pointer}/@id", f"{identifier!r} is already the id of {first}")

    def person(self, person: Person, pointer: str) -> None:
        self.identity(person.id, pointer)
        self.text(person.jobTitle, pointer, "jobTitle")
        self.refers(person.affiliation, self.organisations.keys(), "an organisation", pointer, "affiliation")
        self.country(person.country, pointer, "country")

    def organisation(self, organisation: Organisation, pointer: str) -> None:
        self.identity(organisation.id, pointer)
        self.text(organisation.name, pointer, "name")
        self.country(organisation.country, pointer, "country")
        parent = organisation.parentOrganization
        if parent is not None:
            self.refers((parent,), self.organisations.keys(), "an organisation", pointer, "parentOrganization")
            if organisation.id is not None and self.parent_cycle(organisation.id):
                self.report(f"{pointer}/parentOrganization", "organisations cannot be their own ancestors")

    def parent_cycle(self, start: str) -> bool:
        seen = {start}
        current = self.organisations[start].parentOrganization
        while current in self.organisations:
            if current in seen:
                return current == start
            seen.add(current)
            current = self.organisations[current].parentOrganization
        return False

    def campaign(self, campaign: Campaign, pointer: str) -> None:
        self.identity(campaign.id, pointer)
        self.text(campaign.name, pointer, "name")
        self.timing(campaign, pointer)

    def event(self, event: Event, pointer: str) -> None:
        self.identity(event.id, pointer)
        self.text(event.name, pointer, "name")
        self.text(event.description, pointer, "description")
        self.timing(event, pointer)
        self.locations(event.location, pointer)
        self.refers(event.organizer, self.parties, "a person or organisation", pointer, "organizer")
        self.refers(event.funder, self.parties, "a person or organisation", pointer, "funder")
        if event.superEvent is not None:
            self.refers((event.superEvent,), self.campaigns.keys(), "a campaign", pointer, "superEvent")
            if event.superEvent in self.campaigns:
                self.inside(event, self.campaigns[event.superEvent], pointer, "event")
        for index, language in enumerate(event.inLanguage):
            self.language(language, pointer, f"inLanguage/{index}")
        self.moment(event.dateModified, pointer, "dateModified")
        if event.performer:
            self.contributions(event.performer, pointer)
        offer = event.credentialOffer
        if offer is not None:
            for key in ("learningOutcomes", "assessment", "qualityAssurance"):
                text = getattr(offer, key)
                if text is not None:
                    self.text(text, pointer, f"credentialOffer/{key}")
        self.sessions(event.subEvent, event, pointer, 1)

    def sessions(self, sessions: list[Session], parent: Event | Session, pointer: str, depth: int) -> None:
        if not sessions:
            return
        if depth > MAX_SESSION_DEPTH:
            self.report(f"{pointer}/subEvent", f"sessions nest at most {MAX_SESSION_DEPTH} deep")
            return
        self.positions([session.position for session in sessions], pointer, "subEvent", "session")
        for index, session in enumerate(sessions):
            here = f"{pointer}/subEvent/{index}"
            self.session(session, here)
            self.inside(session, parent, here, "session")
            self.sessions(session.subEvent, session, here, depth + 1)

    def session(self, session: Session, pointer: str) -> None:
        # most fields of most sessions are unset: each is looked at before a call is made for it
        self.identity(session.id, pointer)
        self.text(session.name, pointer, "name")
        if session.description is not None:
            self.text(session.description, pointer, "description")
        self.timing(session, pointer)
        if session.location:
            self.locations(session.location, pointer)
        if session.inLanguage is not None:
            self.language(session.inLanguage, pointer, "inLanguage")
        if session.country is not None:
            self.country(session.country, pointer, "country")
        if session.dateModified is not None:
            self.moment(session.dateModified, pointer, "dateModified")
        if session.performer:
            self.contributions(session.performer, pointer)
        for index, document in enumerate(session.workFeatured):
            self.document(document, f"{pointer}/workFeatured/{index}")
        if session.recommendation:
            self.positions(
                [item.position for item in session.recommendation], pointer, "recommendation", "recommendation"
            )
            for index, recommendation in enumerate(session.recommendation):
                here = f"{pointer}/recommendation/{index}"
                self.identity(recommendation.id, here)
                self.text(recommendation.text, here, "text")
                if recommendation.scope is not None and recommendation.scope != "europe":
                    self.country(recommendation.scope, here, "scope")

    def contributions(self, contributions: list[Contribution], pointer: str) -> None:
        parties = self.parties
        for index, contribution in enumerate(contributions):
            if contribution.performer not in parties:
                where = f"performer/{index}/performer"
                self.refers((contribution.performer,), parties, "a person or organisation", pointer, where)

    def document(self, document: Document, pointer: str) -> None:
        self.identity(document.id, pointer)
        self.text(document.name, pointer, "name")
        self.language(document.inLanguage, pointer, "inLanguage")
        self.refers(document.author, self.parties, "a person or organisation", pointer, "author")

    # values

    def refers(self, ids: Iterable[str], known: Collection[str], expected: str, pointer: str, key: str) -> None:
        for identifier in ids:
            if identifier not in known:
                other = self.kind(identifier)
                found = f", found that of {other}" if other else "; no entity in the document has it"
                self.report(f"{pointer}/{key}", f"expected the id of {expected}{found}: {identifier!r}")

    def kind(self, identifier: str) -> str | None:
        for kind, ids in (
            ("a person", self.people),
            ("an organisation", self.organisations),
            ("a campaign", self.campaigns),
        ):
            if identifier in ids:
                return kind
        return None

    def positions(self, positions: list[int | None], pointer: str, key: str, what: str) -> None:
        first: dict[int, int] = {}
        for index, position in enumerate(positions):
            if position is not None and first.setdefault(position, index) != index:
                self.report(
                    f"{pointer}/{key}/{index}/position", f"the {what} at {key}/{first[position]} has this position too"
                )

    def text(self, text: Text | None, pointer: str, key: str) -> None:
        if text is not None:
            for language in text:
                if not valid_language(language):
                    self.report(f"{pointer}/{key}/{language}", "not a valid BCP 47 language tag")

    def language(self, tag: str | None, pointer: str, key: str) -> None:
        if tag is not None and not valid_language(tag):
            self.report(f"{pointer}/{key}", f"not a valid BCP 47 language tag: {tag!r}")

    def country(self, code: str | None, pointer: str, key: str) -> None:
        if code is not None and not valid_country(code):
            self.report(f"{pointer}/{key}", f"not an ISO 3166-1 alpha-2 country code: {code!r}")

    def locations(self, locations: list[Location], pointer: str) -> None:
        for index, location in enumerate(locations):
            if isinstance(location, Place):
                self.text(location.name, pointer, f"location/{index}/name")
                if location.address is not None:
                    self.country(location.address.addressCountry, pointer, f"location/{index}/address/addressCountry")

    def moment(self, moment: Moment | None, pointer: str, key: str) -> bool:
        problem = None if moment is None else moment_error(moment)
        if problem:
            self.report(f"{pointer}/{key}", problem)
        return problem is None

    def timing(self, timed: Timed | Campaign, pointer: str) -> None:
        if isinstance(timed, Timed):
            if timed.startDate is not None and timed.startTime is not None:
                self.report(pointer, "startDate and startTime exclude each other")
                return
            if timed.endDate is not None and timed.endTime is not None:
                self.report(pointer, "endDate and endTime exclude each other")
                return
        start, end = bounds(timed)
        if start is None and end is None and not (isinstance(timed, Timed) and timed.timeZone is not None):
            return  # most sessions of a programme given in order only
        fine = self.moment(start, pointer, "start") & self.moment(end, pointer, "end")
        if not fine:
            return
        time_zone = timed.timeZone if isinstance(timed, Timed) else None
        if time_zone is not None and not (isinstance(start, datetime) or isinstance(end, datetime)):
            self.report(f"{pointer}/timeZone", "a time zone goes with a date-time, not with a date alone")
        elif start is not None and end is not None and isinstance(start, datetime) != isinstance(end, datetime):
            self.report(pointer, "start and end are both date-times or both dates alone")
        elif start is not None and end is not None and end < start:
            self.report(f"{pointer}/end", "the end is before the start")
        elif time_zone is not None:
            self.zone(time_zone, start, end, pointer)

    def zone(self, name: str, start: Moment | None, end: Moment | None, pointer: str) -> None:
        zone = known_zone(name)
        if zone is None:
            self.report(f"{pointer}/timeZone", f"not an IANA time zone name: {name!r}")
            return
        for moment, key in ((start, "startTime"), (end, "endTime")):
            # the zone shows this instant at the same wall-clock time (gaps and folds included)
            # exactly when it gives the instant the same offset
            if isinstance(moment, datetime) and moment.astimezone(zone).utcoffset() != moment.utcoffset():
                self.report(f"{pointer}/{key}", f"this time does not exist in {name} with this UTC offset")

    def inside(self, part: Event | Session, whole: Event | Session | Campaign, pointer: str, what: str) -> None:
        """A session takes place within the time of what it belongs to; an event, within its campaign."""
        start, end = bounds(part)
        if start is None and end is None:
            return
        whole_start, whole_end = bounds(whole)
        checks = (
            (start, whole_start, f"the {what} starts before what it belongs to starts", False),
            (start, whole_end, f"the {what} starts after what it belongs to ends", True),
            (end, whole_end, f"the {what} ends after what it belongs to ends", True),
            (end, whole_start, f"the {what} ends before what it belongs to starts", False),
        )
        for own, other, message, after in checks:
            if own is None or other is None or moment_error(own) or moment_error(other):
                continue
            if before(other, own) if after else before(own, other):
                self.report(pointer, message)
                return


class Catalogue(pydantic_model.Catalogue):
    @model_validator(mode="after")
    def meaning(self) -> Self:
        problems = MeaningChecker(self.graph).problems
        if problems:
            raise ValueError("\n".join(problems))
        return self
