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
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

import pycountry

from mastery_model import language_subtags, schemas, vocabulary, zones

if TYPE_CHECKING:  # python-jsonschema runs only on rejected documents: imported there (seconds of start-up)
    import jsonschema
from mastery_model.model import (
    EUROPE,
    MAX_SESSION_DEPTH,
    Address,
    Campaign,
    Catalogue,
    CredentialOffer,
    Document,
    Event,
    Location,
    Moment,
    Organisation,
    Person,
    Place,
    Recommendation,
    Session,
    Text,
    timing_error,
)
from mastery_model.problems import InvalidDocument, Problem, Report

#: Where a checked value is: a top-level entity's JSON pointer, or the place of the entity that
#: holds it with the key and index of the list it is in. Joined into a pointer only for a problem.
_Where = str | tuple[Any, str, int]


def _pointer(where: _Where) -> str:
    if isinstance(where, str):
        return where
    holder, key, index = where
    return f"{_pointer(holder)}/{key}/{index}"


# -- layer 1: the schemas ----------------------------------------------------------------------


def schema_problems(document: Any) -> list[Problem]:
    """Every way ``document`` breaks the schemas (none when it keeps them)."""
    too_deep = _depth_problems(document)
    if too_deep:  # deeper documents would only exhaust the precise validator's stack
        return too_deep
    fast = schemas.fast_validator()
    try:
        if fast.is_valid(document):
            return []
        # python-jsonschema costs a hundred times what the compiled validator does: it sees only
        # the parts of the document on the way to what the compiled one rejects (see _Pruned).
        found = [(tuple(error.instance_path), error.schema_path[-1]) for error in fast.iter_errors(document)]
    except ValueError:  # the compiled validator reads a few hundred levels of JSON at most
        return [_too_deep_value(document)]
    pruned = _Pruned(document, [place for place, _keyword in found])
    duplicates = {place for place, keyword in found if keyword == "uniqueItems"}
    problems: dict[Problem, None] = {}  # one of each, in order
    for leaf in schemas.precise_validator().iter_errors(pruned.document):
        for error in _leaves(leaf):
            place, value = pruned.original(error.absolute_path)
            if error.validator == "uniqueItems" and place not in duplicates:
                continue  # items made alike by the pruning, not by the document
            # a pruned list or object is shown by its size in the document (a property name as it is)
            instance = value if isinstance(error.instance, dict | list) else error.instance
            problems[_problem(error, place, instance)] = None
    if not problems:  # the two validators disagree: say so rather than pass the document on
        return [Problem("", "the document does not follow the schemas", None)]
    return in_document_order(problems)


#: How deep the values the schemas never look into are kept: deeper than any schema reaches.
_KEPT_DEPTH = 64
_HERE = object()  # in the tree of places: an error is about the value here as a whole
_Places = dict[Any, "_Places"]


class _Pruned:
    """A copy of a document the precise validator gives the same errors on, at the places the
    compiled validator found, in time that grows with those places, not with the document.

    Each item of a list is checked on its own by the schemas (``items``), which ask no more of a
    list than ``minItems: 1`` and ``uniqueItems``. So a list keeps only the items where errors
    are, and a value without errors, only the first item of each of its lists: both stay as valid
    or invalid as they were. Objects keep every property (``required`` and ``not`` read them).
    ``uniqueItems`` is the exception: a list with duplicates keeps them, and a duplicate the
    pruning made is not reported.
    """

    def __init__(self, document: Any, places: Iterable[tuple[str | int, ...]]) -> None:
        tree: _Places = {}
        for place in places:
            node = tree
            for part in place:
                node = node.setdefault(part, {})
            node[_HERE] = {}
        self.source = document
        self.kept: dict[int, tuple[list[Any], list[int]]] = {}  # id of a pruned list -> it, its items' indices
        self.document = self._prune(document, tree, 0)

    def _prune(self, value: Any, places: _Places, depth: int) -> Any:
        if not places or depth > _KEPT_DEPTH:
            return _shrunk(value, depth)
        if isinstance(value, dict):
            return {
                key: self._prune(item, places[key], depth + 1) if key in places else _shrunk(item, depth + 1)
                for key, item in value.items()
            }
        if not isinstance(value, list):
            return value
        indices = [index for index in places if isinstance(index, int) and 0 <= index < len(value)]
        if _HERE in places:  # uniqueItems, minItems (on an empty list) or a wrong type: about the whole list
            duplicated = _duplicated(value, depth)
            indices = sorted({*indices, *duplicated}) if duplicated else list(range(len(value)))
        pruned = [self._prune(value[index], places.get(index, {}), depth + 1) for index in indices]
        self.kept[id(pruned)] = (pruned, indices)
        return pruned

    def original(self, path: Iterable[str | int]) -> tuple[tuple[str | int, ...], Any]:
        """The place in the document of a place in the pruned copy, and the value there."""
        pruned, value = self.document, self.source
        place: list[str | int] = []
        for part in path:
            kept = self.kept.get(id(pruned)) if isinstance(pruned, list) else None
            own = kept[1][part] if kept is not None and isinstance(part, int) else part
            pruned, value = pruned[part], value[own]
            place.append(own)
        return tuple(place), value


def _shrunk(value: Any, depth: int) -> Any:
    """``value`` (valid where it is) with each list cut to its first item, as valid as it was."""
    if isinstance(value, dict):
        return {key: _shrunk(item, depth + 1) for key, item in value.items()} if depth <= _KEPT_DEPTH else {}
    if isinstance(value, list):
        return [_shrunk(value[0], depth + 1)] if value and depth <= _KEPT_DEPTH else []
    return value


def _duplicated(items: list[Any], depth: int) -> list[int]:
    """The indices of the items that equal another (compared as the precise validator will see them)."""
    import orjson

    groups: dict[bytes, list[int]] = {}
    for index, item in enumerate(items):
        try:
            key = orjson.dumps(_shrunk(item, depth + 1), option=orjson.OPT_SORT_KEYS)
        except (TypeError, orjson.JSONEncodeError):
            return []  # not JSON data (an integer beyond 64 bits, say): the list is kept whole
        groups.setdefault(key, []).append(index)
    return [index for group in groups.values() if len(group) > 1 for index in group]


def _too_deep_value(document: Any) -> Problem:
    """Where ``document`` nests deeper than any value the schemas describe (found without recursion)."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        value, place = stack.pop()
        if len(place) > _KEPT_DEPTH:
            pointer = "".join(f"/{_escape(part)}" for part in place[:_KEPT_DEPTH])
            return Problem(pointer, f"the value here nests more than {_KEPT_DEPTH} levels deep; no document does", None)
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        stack.extend((item, (*place, key)) for key, item in items)
    return Problem("", "the document nests too deeply to be checked", None)


def _depth_problems(document: Any) -> list[Problem]:
    if not isinstance(document, dict) or not isinstance(document.get("@graph"), list):
        return []
    stack: list[tuple[Any, _Where, int]] = [
        (node, f"/@graph/{index}", 0) for index, node in enumerate(document["@graph"])
    ]
    while stack:
        node, where, depth = stack.pop()
        sessions = node.get(_SESSIONS) if isinstance(node, dict) else None
        if not isinstance(sessions, list):
            continue
        if depth == MAX_SESSION_DEPTH:
            return [Problem(f"{_pointer(where)}/{_SESSIONS}", f"sessions nest at most {MAX_SESSION_DEPTH} deep", None)]
        stack.extend((session, (where, _SESSIONS, index), depth + 1) for index, session in enumerate(sessions))
    return []


def model_depth_problems(catalogue: Catalogue) -> list[Problem]:
    """:func:`schema_problems`' nesting check, on a model built in code: sessions nested deeper than
    a document may hold them. Walked without recursion, so that no depth exhausts the stack."""
    deepest = [_deepest(event.sessions) for event in catalogue.events]
    if max(deepest, default=0) <= MAX_SESSION_DEPTH:
        return []
    events = {pointer: event for event, pointer in zip(catalogue.events, _event_pointers(catalogue), strict=True)}
    problems = []
    for (pointer, event), depth in zip(events.items(), deepest, strict=True):
        if depth > MAX_SESSION_DEPTH:
            problems.append(_too_deep_in(event, pointer))
    return problems


def _deepest(sessions: tuple[Session, ...]) -> int:
    deepest = 0
    stack = [(session, 1) for session in sessions]
    while stack:
        session, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((inner, depth + 1) for inner in session.sessions)
    return deepest


def _too_deep_in(event: Event, pointer: str) -> Problem:
    stack = [(session, f"{pointer}/{_SESSION['sessions']}/{index}", 1) for index, session in enumerate(event.sessions)]
    while stack:
        session, here, depth = stack.pop()
        if depth == MAX_SESSION_DEPTH and session.sessions:
            break
        stack.extend(
            (inner, f"{here}/{_SESSION['sessions']}/{index}", depth + 1) for index, inner in enumerate(session.sessions)
        )
    return Problem(f"{here}/{_SESSION['sessions']}", f"sessions nest at most {MAX_SESSION_DEPTH} deep", None)


def _event_pointers(catalogue: Catalogue) -> list[str]:
    """Where the canonical document puts each event: first in its graph."""
    return [f"/@graph/{index}" for index in range(len(catalogue.events))]


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


def _problem(error: jsonschema.ValidationError, place: tuple[str | int, ...], instance: Any) -> Problem:
    pointer = "".join(f"/{_escape(part)}" for part in place)
    schema = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
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


#: The document keys of the fields checked, by class: taken once, as they are used for every node.
_EVENT, _SESSION, _DOCUMENT, _RECOMMENDATION, _PLACE, _ADDRESS = (
    {term.field: term.key for term in vocabulary.TERMS[cls]}
    for cls in (Event, Session, Document, Recommendation, Place, Address)
)


_OFFER = {term.field: term.key for term in vocabulary.TERMS[CredentialOffer]}
#: The texts of a credential offer, whose languages are checked like every text's.
_OFFER_TEXTS = tuple(field for field in _OFFER if vocabulary.value_type(CredentialOffer, field) is Text)

_SESSIONS, _CONTRIBUTIONS, _DOCUMENTS, _RECOMMENDATIONS = (
    _SESSION[field] for field in ("sessions", "contributions", "documents", "recommendations")
)


def _unknown(term: vocabulary.Term, other: str | None = None) -> str:
    """What a reference to no entity of its kinds is; ``other``: the kind the id is the id of."""
    expected = " or ".join(vocabulary.KIND_NAMES[kind] for kind in term.refers_to)
    if other is not None:
        return f"expected the id of {_a(expected)}, found that of {_a(vocabulary.KIND_NAMES[other])}"
    return f"no {expected} in the document has this id"


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def meaning_problems(catalogue: Catalogue, layout: Layout) -> list[Problem]:
    """Every rule of meaning ``catalogue`` breaks, located through ``layout``, in document order.

    It runs only where the schemas accepted the catalogue's document, so it does not check again
    what they did: every moment there has a UTC offset of whole minutes and a year from 1000 to
    2999 (``model.moment_error``), and these checks compare them freely.
    """
    checker = _MeaningChecker(catalogue)
    check: dict[str, Callable[[Any, _Where], None]] = {
        "events": checker.event,
        "campaigns": checker.campaign,
        "organisations": checker.organisation,
        "people": checker.person,
    }
    # kind by kind, in the order of a canonical document's @graph; the problems are sorted after
    for kind, check_one in check.items():
        for entity, pointer in zip(getattr(catalogue, kind), layout[kind], strict=True):
            check_one(entity, pointer)
    return in_document_order(checker.problems)


class _MeaningChecker:
    def __init__(self, catalogue: Catalogue) -> None:
        self.problems: list[Problem] = []
        self.seen: dict[str, _Where] = {}  # id -> place of the entity that has it
        self.people = {person.id for person in catalogue.people}
        self.organisations = {organisation.id: organisation for organisation in catalogue.organisations}
        self.campaigns = {campaign.id: campaign for campaign in catalogue.campaigns}
        self.ids: dict[str, Collection[str]] = {
            vocabulary.PEOPLE: self.people,
            vocabulary.ORGANISATIONS: self.organisations.keys(),
            vocabulary.CAMPAIGNS: self.campaigns.keys(),
        }
        known = {
            kinds: self.ids[kinds[0]] if len(kinds) == 1 else set().union(*(self.ids[kind] for kind in kinds))
            for kinds in _REFERRED_KINDS
        }
        #: For each class with references, its reference fields with the ids each may hold.
        self.references = {
            cls: tuple((term, known[term.refers_to]) for term in terms) for cls, terms in _REFERENCES.items()
        }

    def report(self, where: _Where, key: str, message: str, value: Any = None) -> None:
        pointer = _pointer(where)
        self.problems.append(Problem(f"{pointer}/{key}" if key else pointer, message, value))

    # entities

    def identity(self, identifier: str, where: _Where) -> None:
        if identifier.startswith("_:"):  # only a model built in code can still have one here
            self.report(where, "@id", "a blank node id holds within one document only: give an IRI", identifier)
        first = self.seen.setdefault(identifier, where)
        if first is not where:
            # entities are checked kind by kind, not in document order: the later place is reported
            first_pointer, pointer = _pointer(first), _pointer(where)
            if _pointer_order(pointer) < _pointer_order(first_pointer):
                self.seen[identifier] = where
                first_pointer, where = pointer, first
            self.report(where, "@id", f"this id is already the id of {first_pointer}", identifier)

    def person(self, person: Person, where: _Where) -> None:
        self.identity(person.id, where)
        self.text(person.job_title, where, "jobTitle")
        self.refers(person, where)
        self.country(person.country, where, "country")

    def organisation(self, organisation: Organisation, where: _Where) -> None:
        self.identity(organisation.id, where)
        self.text(organisation.name, where, "name")
        self.country(organisation.country, where, "country")
        self.refers(organisation, where)
        if organisation.parent is not None and self._parent_cycle(organisation.id):
            self.report(where, "parentOrganization", "organisations cannot be their own ancestors", organisation.parent)

    def _parent_cycle(self, start: str) -> bool:
        seen = {start}
        current = self.organisations[start].parent
        while current in self.organisations:
            if current in seen:
                return current == start
            seen.add(current)
            current = self.organisations[current].parent
        return False

    def campaign(self, campaign: Campaign, where: _Where) -> None:
        self.identity(campaign.id, where)
        self.text(campaign.name, where, "name")
        self.timing(campaign, where)

    def event(self, event: Event, where: _Where) -> None:
        self.identity(event.id, where)
        self.text(event.name, where, _EVENT["name"])
        self.text(event.description, where, _EVENT["description"])
        self.timing(event, where)
        self.locations(event.locations, where)
        self.refers(event, where)
        if event.campaign in self.campaigns:
            self.inside(event, self.campaigns[event.campaign], where)
        for index, language in enumerate(event.languages):
            self.language(language, where, f"{_EVENT['languages']}/{index}")
        for index, contribution in enumerate(event.contributions):
            self.refers(contribution, (where, _EVENT["contributions"], index))
        offer = event.credential_offer
        if offer is not None:
            for field in _OFFER_TEXTS:
                self.text(getattr(offer, field), where, f"{_EVENT['credential_offer']}/{_OFFER[field]}")
        self.sessions(event.sessions, event, where)

    def sessions(self, sessions: tuple[Session, ...], parent: Event | Session, where: _Where) -> None:
        if len(sessions) > 1:
            self.positions([session.position for session in sessions], where, _SESSIONS, "session")
        for index, session in enumerate(sessions):
            here = (where, _SESSIONS, index)
            self.session(session, here)
            self.inside(session, parent, here)
            if session.sessions:
                self.sessions(session.sessions, session, here)

    def session(self, session: Session, where: _Where) -> None:
        self.identity(session.id, where)
        self.text(session.name, where, _SESSION["name"])
        self.text(session.description, where, _SESSION["description"])
        self.timing(session, where)
        self.locations(session.locations, where)
        self.language(session.language, where, _SESSION["language"])
        self.country(session.country, where, _SESSION["country"])
        for index, contribution in enumerate(session.contributions):
            self.refers(contribution, (where, _CONTRIBUTIONS, index))
        for index, document in enumerate(session.documents):
            here = (where, _DOCUMENTS, index)
            self.identity(document.id, here)
            self.text(document.name, here, _DOCUMENT["name"])
            self.language(document.language, here, _DOCUMENT["language"])
            self.refers(document, here)
        recommendations = session.recommendations
        if len(recommendations) > 1:
            self.positions([item.position for item in recommendations], where, _RECOMMENDATIONS, "recommendation")
        for index, recommendation in enumerate(recommendations):
            here = (where, _RECOMMENDATIONS, index)
            self.identity(recommendation.id, here)
            self.text(recommendation.text, here, _RECOMMENDATION["text"])
            if recommendation.scope is not None and recommendation.scope != EUROPE:
                self.country(recommendation.scope, here, _RECOMMENDATION["scope"])

    # values

    def refers(self, entity: object, where: _Where) -> None:
        """That each id the entity's reference fields hold is the id of an entity of its kind."""
        for term, known in self.references.get(type(entity), ()):
            value = getattr(entity, term.field)
            if isinstance(value, tuple):
                for index, identifier in enumerate(value):
                    if identifier not in known:
                        message = _unknown(term, self.kind(identifier))
                        self.report(where, f"{term.key}/{index}", message, identifier)
            elif value is not None and value not in known:
                self.report(where, term.key, _unknown(term, self.kind(value)), value)

    def kind(self, identifier: str) -> str | None:
        """The kind of entity an id is the id of, if any."""
        return next((kind for kind, ids in self.ids.items() if identifier in ids), None)

    def positions(self, positions: list[int | None], where: _Where, key: str, what: str) -> None:
        first: dict[int, int] = {}
        for index, position in enumerate(positions):
            if position is not None and first.setdefault(position, index) != index:
                self.report(
                    where,
                    f"{key}/{index}/{_SESSION['position']}",
                    f"the {what} at {_pointer(where)}/{key}/{first[position]} has this position too",
                    position,
                )

    def text(self, text: Text | None, where: _Where, key: str) -> None:
        if text is not None:
            for language, _text in text.translations:
                if not _valid_language(language):
                    self.report(where, f"{key}/{_escape(language)}", f"this language tag is {_LANGUAGE}", language)

    def language(self, tag: str | None, where: _Where, key: str) -> None:
        if tag is not None and not _valid_language(tag):
            self.report(where, key, f"this is {_LANGUAGE}", tag)

    def country(self, code: str | None, where: _Where, key: str) -> None:
        if code is not None and not _valid_country(code):
            hint = _COUNTRY_HINTS.get(code, "")
            self.report(where, key, f"not an ISO 3166-1 alpha-2 country code (such as ES, FI, IT, BG){hint}", code)

    def locations(self, locations: tuple[Location, ...], where: _Where) -> None:
        for index, location in enumerate(locations):
            if isinstance(location, Place):
                self.text(location.name, where, f"{_SESSION['locations']}/{index}/{_PLACE['name']}")
                if location.address is not None:
                    self.country(
                        location.address.country,
                        where,
                        f"{_SESSION['locations']}/{index}/{_PLACE['address']}/" + _ADDRESS["country"],
                    )

    def timing(self, timed: Event | Session | Campaign, where: _Where) -> None:
        start, end = timed.start, timed.end
        time_zone = None if isinstance(timed, Campaign) else timed.time_zone
        if start is None and end is None and time_zone is None:
            return
        problem = timing_error(start, end, time_zone)
        if problem:
            key = vocabulary.moment_key(Session, "end", end) if end is not None else _SESSION["time_zone"]
            self.report(where, key, problem, _shown(end))
        elif time_zone is not None:
            self.zone(time_zone, start, end, where)

    def zone(self, name: str, start: Moment | None, end: Moment | None, where: _Where) -> None:
        try:
            zone = zones.zone(name)
        except KeyError:
            self.report(where, _SESSION["time_zone"], "not an IANA time zone name (such as Europe/Madrid)", name)
            return
        for moment, bound in ((start, "start"), (end, "end")):
            if isinstance(moment, datetime) and not _offset_fits(moment, zone):
                self.report(
                    where,
                    vocabulary.moment_key(Session, bound, moment),
                    f"{name} is not at this UTC offset at this time: {_readings(moment, zone)}",
                    moment.isoformat(),
                )

    def inside(self, part: Event | Session, whole: Event | Session | Campaign, where: _Where) -> None:
        """A session takes place within the time of what it belongs to; an event, within its campaign:
        the first bound found outside is reported."""
        start, end, whole_start, whole_end = part.start, part.end, whole.start, whole.end
        if whole_start is None and whole_end is None:  # a group of sessions without times of its own
            return
        if (  # the common case, answered at once: four date-times, the part's within the whole's
            type(start) is type(end) is type(whole_start) is type(whole_end) is datetime
            and whole_start <= start <= whole_end
            and whole_start <= end <= whole_end
        ):
            return
        for own, bound, other, own_first, outside in (
            (start, "start", whole_start, True, "starts before what it belongs to starts"),
            (start, "start", whole_end, False, "starts after what it belongs to ends"),
            (end, "end", whole_end, False, "ends after what it belongs to ends"),
            (end, "end", whole_start, True, "ends before what it belongs to starts"),
        ):
            if own is None or other is None:
                continue
            if _before(own, other) if own_first else _before(other, own):
                what = "session" if isinstance(part, Session) else "event"
                self.report(where, vocabulary.moment_key(Session, bound, own), f"the {what} {outside}", _shown(own))
                return


#: The reference fields of each class that has any.
_REFERENCES = {cls: terms for cls in vocabulary.TERMS if (terms := vocabulary.references(cls))}
#: The kinds (or sets of kinds) of entity that references refer to.
_REFERRED_KINDS = frozenset(term.refers_to for terms in _REFERENCES.values() for term in terms)
_LANGUAGE = "not a valid BCP 47 language tag (such as en, es, pt-BR)"
#: Codes people write for countries that ISO 3166-1 spells otherwise.
_COUNTRY_HINTS = {
    "EL": "; Greece is GR in ISO 3166-1 (EL is the European Union's code)",
    "UK": "; the United Kingdom is GB in ISO 3166-1",
}


def _before(first: Moment, second: Moment) -> bool:
    """Whether ``first`` is before ``second``; a date-time against a date compares its day."""
    if isinstance(first, datetime) and isinstance(second, datetime):
        return first < second
    return _day(first) < _day(second)


def _day(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _readings(moment: datetime, zone: tzinfo) -> str:
    """Both ways the writer may have meant a date-time whose offset is not its zone's: the same
    instant, or the same wall-clock time (which a clock change may have skipped)."""
    instant = f"the same instant there is {moment.astimezone(zone).isoformat()}"
    wall = moment.replace(tzinfo=None)
    local = wall.replace(tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        skipped = wall.time().isoformat()
        return f"{instant}; the wall-clock time {skipped} does not exist there that day (the clocks skip it)"
    return f"{instant}; the same wall-clock time there is {local.isoformat()}"


def _offset_fits(moment: datetime, zone: tzinfo) -> bool:
    """Whether the zone shows this instant at the same wall-clock time (gaps and folds included):
    the instant is the same, so the wall-clock times agree when the offsets do."""
    return moment.astimezone(zone).utcoffset() == moment.utcoffset()


def _shown(moment: Moment | None) -> str | None:
    return None if moment is None else moment.isoformat()


@functools.cache
def _valid_language(tag: str) -> bool:
    if language_subtags.known_valid(tag):
        return True
    import langcodes  # only for tags beyond the usual ones (see language_subtags)

    return bool(langcodes.tag_is_valid(tag))


@functools.cache
def _valid_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


# -- catalogues known valid ---------------------------------------------------------------------


class _Validated:
    """Catalogues known to be valid, by identity: those the library's readers built, and those an
    export checked, so that exporting one again costs no second validation. A catalogue is frozen
    (its parts are tuples), so what was checked stays true; entries go with their catalogue."""

    def __init__(self) -> None:
        self._known: dict[int, weakref.ref[Any]] = {}

    def add(self, catalogue: object) -> None:
        key = id(catalogue)

        def forget(gone: weakref.ref[Any]) -> None:
            if self._known.get(key) is gone:
                del self._known[key]

        self._known[key] = weakref.ref(catalogue, forget)

    def __contains__(self, catalogue: object) -> bool:
        known = self._known.get(id(catalogue))
        return known is not None and known() is catalogue

    def ensure(self, catalogue: object, check: Callable[[Any], Report]) -> None:
        """Nothing when ``catalogue`` is known valid or ``check`` finds no problem in it (it is then
        known valid); else :class:`InvalidDocument` with the report."""
        if catalogue in self:
            return
        report = check(catalogue)
        if not report.ok:
            raise InvalidDocument(report)
        self.add(catalogue)


#: See :class:`_Validated`: readers add what they built from a valid document; exporters check the others.
validated = _Validated()
