"""Validation in two layers, each reporting every problem it finds.

1. :func:`schema_problems`: the nesting depth, then the JSON Schemas (structure, types, formats)
   on a parsed document. A compiled validator answers yes or no fast; only a document it rejects
   goes through python-jsonschema, whose errors say exactly where and why.
2. :func:`meaning_problems`: what a schema cannot say, on the structured model: ids unique,
   references resolved, ends not before starts, sessions inside their event and events inside
   their campaign, IANA zones that agree with the UTC offsets given, BCP 47 tags, ISO 3166 codes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

import langcodes
import pycountry

from mastery_model import schemas, zones

if TYPE_CHECKING:  # python-jsonschema runs only on rejected documents: imported there (seconds of start-up)
    import jsonschema
from mastery_model.model import (
    EUROPE,
    MAX_SESSION_DEPTH,
    Campaign,
    Catalogue,
    Event,
    Location,
    Moment,
    Organisation,
    Person,
    Place,
    Session,
    Text,
    moment_error,
    timing_error,
)
from mastery_model.problems import Problem

# -- layer 1: the schemas ----------------------------------------------------------------------


def schema_problems(document: Any) -> list[Problem]:
    """Every way ``document`` breaks the schemas (none when it keeps them)."""
    too_deep = _depth_problems(document)
    if too_deep:  # deeper documents would only exhaust the precise validator's stack
        return too_deep
    if schemas.fast_validator().is_valid(document):
        return []
    errors = schemas.precise_validator().iter_errors(document)
    problems = {_problem(error): None for leaf in errors for error in _leaves(leaf)}  # one of each, in order
    if not problems:  # the two validators disagree: say so rather than pass the document on
        return [Problem("", "the document does not follow the schemas", None)]
    return in_document_order(problems)


def _depth_problems(document: Any) -> list[Problem]:
    if not isinstance(document, dict) or not isinstance(document.get("@graph"), list):
        return []
    stack = [(node, f"/@graph/{index}", 0) for index, node in enumerate(document["@graph"])]
    while stack:
        node, pointer, depth = stack.pop()
        sessions = node.get("subEvent") if isinstance(node, dict) else None
        if not isinstance(sessions, list):
            continue
        if depth == MAX_SESSION_DEPTH:
            return [Problem(f"{pointer}/subEvent", f"sessions nest at most {MAX_SESSION_DEPTH} deep", None)]
        stack.extend((session, f"{pointer}/subEvent/{index}", depth + 1) for index, session in enumerate(sessions))
    return []


def _leaves(error: jsonschema.ValidationError) -> Iterator[jsonschema.ValidationError]:
    """The errors worth showing: for a failed anyOf without a description, the best inside it."""
    described = isinstance(error.schema, dict) and "description" in error.schema
    if error.validator in ("anyOf", "oneOf") and error.context and not described:
        from jsonschema.exceptions import best_match

        best = best_match(error.context)
        if best is not None:
            yield best
            return
    yield error


_FIXED_MESSAGES = {
    "uniqueItems": "the list holds the same item more than once",
    "minItems": "the list is empty; leave the property out instead",
    "minProperties": "the object is empty",
    "minLength": "the text is empty",
}


def _problem(error: jsonschema.ValidationError) -> Problem:
    pointer = "".join(f"/{_escape(part)}" for part in error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
    instance: Any = error.instance
    expected: Any = error.validator_value
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return Problem(pointer, f"the property {missing!r} is required", None)
    if keyword == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {})))
        unknown = sorted(set(instance) - set(schema.get("properties", {})))
        names = ", ".join(map(repr, unknown))
        noun = "property" if len(unknown) == 1 else "properties"
        return Problem(pointer, f"unknown {noun} {names}; the properties here are: {allowed}", None)
    if keyword in _FIXED_MESSAGES:
        return Problem(pointer, _FIXED_MESSAGES[keyword], None)
    if keyword == "not":
        return Problem(pointer, str(schema.get("description", "these properties exclude each other")), None)
    if "description" in schema:
        return Problem(pointer, f"expected {_lower_first(schema['description'])}", _excerpt(instance))
    if keyword == "const":
        return Problem(pointer, f"expected {expected!r}", _excerpt(instance))
    if keyword == "enum":
        return Problem(pointer, f"expected one of {', '.join(map(str, expected))}", _excerpt(instance))
    return Problem(pointer, f"expected a value that satisfies {keyword}: {expected}", _excerpt(instance))


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _lower_first(text: str) -> str:
    """ "A part of ..." reads "expected a part of ..."; acronyms (ISO, IANA) stay as they are."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def in_document_order(problems: Iterable[Problem]) -> list[Problem]:
    """The problems in the order their places appear in the document (``/2`` before ``/10``)."""
    return sorted(problems, key=lambda problem: _pointer_order(problem.pointer))


def _pointer_order(pointer: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in pointer.split("/")[1:])


def _excerpt(value: Any, limit: int = 200) -> Any:
    """The offending value, or a short stand-in when it is too long to repeat in a report."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}... ({len(value)} characters)"
    if isinstance(value, dict):
        return f"an object with {_count(len(value), 'property', 'properties')}"
    if isinstance(value, list):
        return f"a list of {_count(len(value), 'item', 'items')}"
    return value


def _escape(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


# -- layer 2: meaning --------------------------------------------------------------------------
#
# Pointers are joined only when a problem is found: a valid catalogue builds one string per
# entity and none per value.

#: For each kind of top-level entity, the JSON pointer of each one (see ``conversion.Layout``).
Layout = Mapping[str, list[str]]

_ANY_CONTRIBUTOR = "person or organisation"


def meaning_problems(catalogue: Catalogue, layout: Layout) -> list[Problem]:
    """Every rule of meaning ``catalogue`` breaks, located through ``layout``, in document order."""
    checker = _MeaningChecker(catalogue)
    check: dict[str, Callable[[Any, str], None]] = {
        "people": checker.person,
        "organisations": checker.organisation,
        "campaigns": checker.campaign,
        "events": checker.event,
    }
    placed = [
        (pointer, kind, entity)
        for kind in check
        for entity, pointer in zip(getattr(catalogue, kind), layout[kind], strict=True)
    ]
    for pointer, kind, entity in sorted(placed, key=lambda item: _pointer_order(item[0])):
        check[kind](entity, pointer)
    return in_document_order(checker.problems)


class _MeaningChecker:
    def __init__(self, catalogue: Catalogue) -> None:
        self.problems: list[Problem] = []
        self.seen: dict[str, str] = {}  # id -> pointer of the entity that has it
        self.people = {person.id for person in catalogue.people}
        self.organisations = {organisation.id: organisation for organisation in catalogue.organisations}
        self.campaigns = {campaign.id: campaign for campaign in catalogue.campaigns}
        self.contributors = self.people | set(self.organisations)

    def report(self, pointer: str, key: str, message: str, value: Any = None) -> None:
        self.problems.append(Problem(f"{pointer}/{key}" if key else pointer, message, value))

    # entities

    def identity(self, identifier: str, pointer: str) -> None:
        if identifier.startswith("_:"):  # only a model built in code can still have one here
            self.report(pointer, "@id", "a blank node id holds within one document only: give an IRI", identifier)
        first = self.seen.setdefault(identifier, pointer)
        if first != pointer:
            self.report(pointer, "@id", f"this id is already the id of {first}", identifier)

    def person(self, person: Person, pointer: str) -> None:
        self.identity(person.id, pointer)
        self.text(person.job_title, pointer, "jobTitle")
        self.references(person.affiliations, self.organisations, pointer, "affiliation", "organisation")
        self.country(person.country, pointer, "country")

    def organisation(self, organisation: Organisation, pointer: str) -> None:
        self.identity(organisation.id, pointer)
        self.text(organisation.name, pointer, "name")
        self.country(organisation.country, pointer, "country")
        if organisation.parent is not None:
            self.reference(organisation.parent, self.organisations, pointer, "parentOrganization", "organisation")
            if self._parent_cycle(organisation.id):
                self.report(
                    pointer, "parentOrganization", "organisations cannot be their own ancestors", organisation.parent
                )

    def _parent_cycle(self, start: str) -> bool:
        seen = {start}
        current = self.organisations[start].parent
        while current in self.organisations:
            if current in seen:
                return current == start
            seen.add(current)
            current = self.organisations[current].parent
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
        self.locations(event.locations, pointer)
        self.references(event.organisers, self.contributors, pointer, "organizer", _ANY_CONTRIBUTOR)
        self.references(event.funders, self.contributors, pointer, "funder", _ANY_CONTRIBUTOR)
        if event.campaign is not None:
            self.reference(event.campaign, self.campaigns, pointer, "superEvent", "campaign (EventSeries)")
            if event.campaign in self.campaigns:
                self.inside(event, self.campaigns[event.campaign], pointer)
        for index, language in enumerate(event.languages):
            self.language(language, pointer, f"inLanguage/{index}")
        if event.modified is not None:
            self.moment(event.modified, pointer, "dateModified")
        self.sessions(event.sessions, event, pointer)

    def sessions(self, sessions: tuple[Session, ...], parent: Event | Session, pointer: str) -> None:
        self.positions([session.position for session in sessions], pointer, "subEvent", "session")
        for index, session in enumerate(sessions):
            here = f"{pointer}/subEvent/{index}"
            self.session(session, here)
            self.inside(session, parent, here)
            self.sessions(session.sessions, session, here)

    def session(self, session: Session, pointer: str) -> None:
        self.identity(session.id, pointer)
        self.text(session.name, pointer, "name")
        self.text(session.description, pointer, "description")
        self.timing(session, pointer)
        self.locations(session.locations, pointer)
        self.language(session.language, pointer, "inLanguage")
        self.country(session.country, pointer, "country")
        if session.modified is not None:
            self.moment(session.modified, pointer, "dateModified")
        for index, contribution in enumerate(session.contributions):
            self.reference(
                contribution.contributor, self.contributors, pointer, f"performer/{index}/performer", _ANY_CONTRIBUTOR
            )
        for index, document in enumerate(session.documents):
            here = f"{pointer}/workFeatured/{index}"
            self.identity(document.id, here)
            self.text(document.name, here, "name")
            self.language(document.language, here, "inLanguage")
            self.references(document.authors, self.contributors, here, "author", _ANY_CONTRIBUTOR)
        self.positions([item.position for item in session.recommendations], pointer, "recommendation", "recommendation")
        for index, recommendation in enumerate(session.recommendations):
            here = f"{pointer}/recommendation/{index}"
            self.identity(recommendation.id, here)
            self.text(recommendation.text, here, "text")
            if recommendation.scope != EUROPE:
                self.country(recommendation.scope, here, "scope")

    # values

    def reference(self, identifier: str, known: Container[str], pointer: str, key: str, what: str) -> None:
        if identifier not in known:
            self.report(pointer, key, f"no {what} in the document has this id", identifier)

    def references(self, ids: tuple[str, ...], known: Container[str], pointer: str, key: str, what: str) -> None:
        for index, identifier in enumerate(ids):
            if identifier not in known:
                self.report(pointer, f"{key}/{index}", f"no {what} in the document has this id", identifier)

    def positions(self, positions: list[int | None], pointer: str, key: str, what: str) -> None:
        first: dict[int, int] = {}
        for index, position in enumerate(positions):
            if position is not None and first.setdefault(position, index) != index:
                self.report(
                    pointer,
                    f"{key}/{index}/position",
                    f"the {what} at {pointer}/{key}/{first[position]} has this position too",
                    position,
                )

    def text(self, text: Text | None, pointer: str, key: str) -> None:
        if text is not None:
            for language, _text in text.translations:
                if not _valid_language(language):
                    self.report(pointer, f"{key}/{_escape(language)}", f"this language tag is {_LANGUAGE}", language)

    def language(self, tag: str | None, pointer: str, key: str) -> None:
        if tag is not None and not _valid_language(tag):
            self.report(pointer, key, f"this is {_LANGUAGE}", tag)

    def country(self, code: str | None, pointer: str, key: str) -> None:
        if code is not None and not _valid_country(code):
            hint = _COUNTRY_HINTS.get(code, "")
            self.report(pointer, key, f"not an ISO 3166-1 alpha-2 country code (such as ES, FI, IT, BG){hint}", code)

    def locations(self, locations: tuple[Location, ...], pointer: str) -> None:
        for index, location in enumerate(locations):
            if isinstance(location, Place):
                self.text(location.name, pointer, f"location/{index}/name")
                if location.address is not None:
                    self.country(location.address.country, pointer, f"location/{index}/address/addressCountry")

    def moment(self, moment: Moment, pointer: str, key: str) -> bool:
        problem = moment_error(moment)
        if problem:
            self.report(pointer, key, problem, moment.isoformat())
        return problem is None

    def timing(self, timed: Event | Session | Campaign, pointer: str) -> None:
        start, end = timed.start, timed.end
        time_zone = None if isinstance(timed, Campaign) else timed.time_zone
        fine = (start is None or self.moment(start, pointer, _key(start, "start"))) & (
            end is None or self.moment(end, pointer, _key(end, "end"))
        )
        if not fine:
            return
        problem = timing_error(start, end, time_zone)
        if problem:
            key = _key(end, "end") if end is not None else "timeZone"
            self.report(pointer, key, problem, _shown(end))
        elif time_zone is not None:
            self.zone(time_zone, start, end, pointer)

    def zone(self, name: str, start: Moment | None, end: Moment | None, pointer: str) -> None:
        try:
            zone = zones.zone(name)
        except KeyError:
            self.report(pointer, "timeZone", "not an IANA time zone name (such as Europe/Madrid)", name)
            return
        for moment, bound in ((start, "start"), (end, "end")):
            if isinstance(moment, datetime) and not _offset_fits(moment, zone):
                self.report(
                    pointer,
                    f"{bound}Time",
                    f"this time does not exist in {name} with this UTC offset; "
                    f"the same instant there is {moment.astimezone(zone).isoformat()}",
                    moment.isoformat(),
                )

    def inside(self, part: Event | Session, whole: Event | Session | Campaign, pointer: str) -> None:
        """A session takes place within the time of what it belongs to; an event, within its campaign."""
        what = "session" if isinstance(part, Session) else "event"
        checks = (
            (part.start, whole.start, f"the {what} starts before what it belongs to starts", "start"),
            (part.start, whole.end, f"the {what} starts after what it belongs to ends", "start"),
            (part.end, whole.end, f"the {what} ends after what it belongs to ends", "end"),
            (part.end, whole.start, f"the {what} ends before what it belongs to starts", "end"),
        )
        for index, (own, other, message, bound) in enumerate(checks):
            if own is None or other is None or _any_moment_error(own, other):
                continue
            outside = _before(own, other) if index in (0, 3) else _before(other, own)
            if outside:
                self.report(pointer, _key(own, bound), message, _shown(own))
                return


_LANGUAGE = "not a valid BCP 47 language tag (such as en, es, pt-BR)"
#: Codes people write for countries that ISO 3166-1 spells otherwise.
_COUNTRY_HINTS = {
    "EL": "; Greece is GR in ISO 3166-1 (EL is the European Union's code)",
    "UK": "; the United Kingdom is GB in ISO 3166-1",
}


def _any_moment_error(*moments: Moment) -> bool:
    return any(moment_error(moment) for moment in moments)


def _before(first: Moment, second: Moment) -> bool:
    """Whether ``first`` is before ``second``; a date-time against a date compares its day."""
    if isinstance(first, datetime) and isinstance(second, datetime):
        return first < second
    return _day(first) < _day(second)


def _day(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _offset_fits(moment: datetime, zone: tzinfo) -> bool:
    """Whether the zone shows this instant at the same wall-clock time (gaps and folds included)."""
    return moment.astimezone(zone).replace(tzinfo=None) == moment.replace(tzinfo=None)


def _key(moment: Moment | None, bound: str) -> str:
    return f"{bound}Time" if isinstance(moment, datetime) else f"{bound}Date"


def _shown(moment: Moment | None) -> str | None:
    return None if moment is None else moment.isoformat()


@functools.cache
def _valid_language(tag: str) -> bool:
    return bool(langcodes.tag_is_valid(tag))


@functools.cache
def _valid_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None
