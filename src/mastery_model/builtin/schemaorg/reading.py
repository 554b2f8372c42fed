"""The ``schemaorg`` reader: JSON-LD from other tools, in any shape, into the model.

A document is expanded offline (pyld, with a document loader that serves only the contexts the
library ships), flattened into one node per entity, and rebuilt in the library's own shape: events
and their ``subEvent`` sessions, people and organisations, campaigns (``EventSeries``), documents,
and the library's own terms when a canonical document comes in another shape. What it gives is
then validated like any canonical document; what the model cannot hold is reported by name.
"""

from __future__ import annotations

import enum
import functools
from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import orjson

from mastery_model import reading as pipeline
from mastery_model import schemas, vocabulary
from mastery_model.builtin.schemaorg import mapping
from mastery_model.conversion import NODE_TYPES, ORGANISATION_KINDS
from mastery_model.model import (
    MAX_SESSION_DEPTH,
    Address,
    Campaign,
    Catalogue,
    Event,
    Organisation,
    Person,
    Place,
    Session,
    Text,
    VirtualLocation,
)
from mastery_model.plugins.records import Options
from mastery_model.problems import InvalidDocument, Problem, Report
from mastery_model.zones import names as zone_names
from mastery_model.zones import zone

SCHEMA_IRIS = ("https://schema.org/", "http://schema.org/")
OWN = "https://w3id.org/mastery-model/vocab#"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
#: How deep the JSON may nest before JSON-LD expansion (which recurses): far more than sessions
#: nested as deep as the model allows, each with its people and documents embedded, need.
MAX_NESTING = 128
#: Contexts served offline: the library's own, and schema.org's names for itself (read with the
#: vocabulary mapping below, which is all expansion needs).
SCHEMA_ORG_CONTEXT = {"@context": {"@vocab": "https://schema.org/"}}
SCHEMA_ORG_CONTEXT_IRIS = {
    "https://schema.org",
    "https://schema.org/",
    "http://schema.org",
    "http://schema.org/",
    "https://schema.org/docs/jsonldcontext.jsonld",
    "http://schema.org/docs/jsonldcontext.jsonld",
}
#: schema.org's Event and its subclasses (release 30.0), read as events or sessions.
EVENT_TYPES = frozenset(
    {
        "Event",
        "EducationEvent",
        "BusinessEvent",
        "ChildrensEvent",
        "ComedyEvent",
        "CourseInstance",
        "DanceEvent",
        "DeliveryEvent",
        "ExhibitionEvent",
        "Festival",
        "FoodEvent",
        "Hackathon",
        "LiteraryEvent",
        "MusicEvent",
        "PublicationEvent",
        "BroadcastEvent",
        "OnDemandEvent",
        "SaleEvent",
        "ScreeningEvent",
        "SocialEvent",
        "SportsEvent",
        "TheaterEvent",
        "VisualArtsEvent",
        "UserInteraction",
        "InstantaneousEvent",
    }
)
ORGANISATION_TYPES = frozenset(ORGANISATION_KINDS)  # the kinds of organisation the model names
ORGANISATION_SUBTYPES = {
    "CollegeOrUniversity": "EducationalOrganization",
    "School": "EducationalOrganization",
    "FundingScheme": "Organization",
    "LocalBusiness": "Organization",
}
ROLES = {name: value for value, name in vocabulary.members("roleName").items()}

Node = dict[str, Any]


class RemoteContextRefused(Exception):
    pass


def _document_loader(url: str, options: Any = None) -> dict[str, Any]:
    if url == schemas.CONTEXT_IRI:
        document: Any = schemas.context()
    elif url.rstrip("/") in {iri.rstrip("/") for iri in SCHEMA_ORG_CONTEXT_IRIS}:
        document = SCHEMA_ORG_CONTEXT
    else:
        raise RemoteContextRefused(url)
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": document}


def read(data: bytes, options: Options) -> Catalogue:
    document = pipeline.parse(data)
    too_deep = _too_deep(document)
    if too_deep is not None:
        raise InvalidDocument(
            Report((Problem(too_deep, f"the JSON nests more than {MAX_NESTING} deep, more than any document needs"),))
        )
    from pyld import jsonld  # only this reader needs it: a tenth of a second of start-up for the rest

    try:
        with pipeline.collection_paused():  # pyld builds a node per value, and no cycles
            flat = jsonld.flatten(document, None, {"documentLoader": _document_loader})
    except jsonld.JsonLdError as error:
        raise InvalidDocument(Report((_expansion_problem(error),))) from None
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError) as error:
        # pyld trusts some of its input ("@included": false): what it trips over is no JSON-LD
        problem = Problem(
            "", f"not valid JSON-LD: a keyword's value has the wrong type ({type(error).__name__}: {error})"
        )
        raise InvalidDocument(Report((problem,))) from None
    graph = flat.get("@graph", flat) if isinstance(flat, dict) else flat
    return pipeline.read_document(_Rebuilder(graph, options).canonical())


def _too_deep(document: Any) -> str | None:
    """The JSON pointer of the first value nested more than MAX_NESTING deep, if any (walked
    without recursion, as the document may nest as deep as the JSON parser allows)."""
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:
        value, pointer, depth = stack.pop()
        if isinstance(value, dict):
            items: Iterator[tuple[str, Any]] = iter(value.items())
        elif isinstance(value, list):
            items = ((str(index), item) for index, item in enumerate(value))
        else:
            continue
        if depth >= MAX_NESTING:
            return pointer
        for key, item in items:
            if isinstance(item, (dict, list)):
                stack.append((item, f"{pointer}/{_escaped(key)}", depth + 1))
    return None


def _escaped(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _expansion_problem(error: Exception) -> Problem:
    cause = error.__cause__
    while cause is not None and not isinstance(cause, RemoteContextRefused):
        cause = cause.__cause__
    if isinstance(cause, RemoteContextRefused):
        return Problem(
            "/@context",
            "the document asks for a remote context, and nothing is fetched: only the "
            "library's context and schema.org are read",
            str(cause),
        )
    # pyld wraps what is wrong ("@id value must be a string") in what it was doing: say the former
    innermost = error
    while isinstance(innermost.__cause__, type(error)):
        innermost = innermost.__cause__
    message = str(innermost.args[0]) if innermost.args else str(innermost)
    code = getattr(innermost, "code", None)
    return Problem("", f"not valid JSON-LD: {message}" + (f" ({code})" if code else ""), None)


def _local(iri: str) -> str:
    for prefix in (*SCHEMA_IRIS, OWN):
        if iri.startswith(prefix):
            return iri[len(prefix) :]
    return iri


class _Rebuilder:
    """From a flattened graph (one node per entity, links by @id) to a canonical document."""

    def __init__(self, graph: list[Node], options: Options) -> None:
        self.nodes = {node["@id"]: node for node in graph}
        self.language = options.get("language", "und")
        self.time_zone = options.get("time-zone")
        self.people: dict[str, Node] = {}
        self.organisations: dict[str, Node] = {}
        self.campaigns: dict[str, Node] = {}
        self.problems: list[Problem] = []
        # People and organisations are built from a queue, not by recursion: they refer to each
        # other (affiliation, parentOrganization) in chains and cycles of any length.
        self.agents_met: set[str] = set()
        self.agents_pending: deque[Node] = deque()
        self.placed: dict[str, str] = {}  # each event or session built, by id -> the id of its parent ("" at the top)
        self.cut: list[Node] = []  # sessions left out for nesting too deep
        self.sub_events: dict[str, list[Node]] = {}  # an event's sessions that name it as their superEvent

    def problem(self, node: Node, message: str, value: Any = None) -> None:
        self.problems.append(Problem("", f"{self.describe(node)}: {message}", value))

    def describe(self, node: Node) -> str:
        """A node as a reader finds it: its id, and its name when it has one."""
        name = self.literal(node, "name")
        shown = f"{node['@id']}" if name is None else f"{node['@id']} ({_shorten(str(name))})"
        types = self.types(node)
        if self.is_event(node):
            kind = "event"
        elif "Person" in types:
            kind = "person"
        elif types & (ORGANISATION_TYPES | set(ORGANISATION_SUBTYPES)):
            kind = "organisation"
        else:
            kind = "entity"
        return f"the {kind} {shown}"

    def is_event(self, node: Node) -> bool:
        types = self.types(node)
        return bool(types & EVENT_TYPES) and "EventSeries" not in types

    # reading values

    def types(self, node: Node) -> set[str]:
        return {_local(kind) for kind in node.get("@type", [])}

    def values(self, node: Node, name: str) -> list[Any]:
        return [value for prefix in (*SCHEMA_IRIS, OWN) for value in node.get(prefix + name, [])]

    def literal(self, node: Node, name: str) -> Any:
        for value in self.values(node, name):
            if "@value" in value:
                return value["@value"]
            if "@id" in value and not value["@id"].startswith("_:"):
                return value["@id"]
        return None

    def literals(self, node: Node, name: str) -> list[Any]:
        found = [value.get("@value", value.get("@id")) for value in self.values(node, name)]
        return list(dict.fromkeys(value for value in found if isinstance(value, (str, int, float))))

    def text(self, node: Node, name: str) -> dict[str, str] | None:
        texts: dict[str, str] = {}
        for value in self.values(node, name):
            if isinstance(value.get("@value"), str) and value["@value"]:
                texts.setdefault(_conventional_case(value.get("@language", self.language)), value["@value"])
        return texts or None

    def texts(self, node: Node, name: str) -> dict[str, str] | None:
        """A text by language; a plain value (a number, an IRI) in the default language; none when
        the node has none (the schemas then say so)."""
        plain = self.literal(node, name)
        if not isinstance(plain, (str, int, float)):  # a JSON literal (@json) is no text
            plain = None
        return self.text(node, name) or (None if plain is None else {self.language: str(plain)})

    def linked(self, node: Node, name: str) -> list[Node]:
        return [
            self.nodes[value["@id"]]
            for value in self.values(node, name)
            if "@id" in value and value["@id"] in self.nodes
        ]

    def vocabulary(self, node: Node, name: str, table: dict[str, str]) -> Any:
        for value in self.values(node, name):
            term = _local(str(value.get("@id", value.get("@value", ""))))
            if term in table:
                return table[term]
        return None

    # building the document

    def canonical(self) -> Node:
        events = [node for node in self.nodes.values() if self.is_event(node)]
        if not events:
            raise InvalidDocument(
                Report((Problem("", "no event in the document (a schema.org Event, or a kind of Event)", None),))
            )
        for event in events:
            for parent in self.linked(event, "superEvent"):
                if self.is_event(parent):
                    self.sub_events.setdefault(parent["@id"], []).append(event)
        inner = {child["@id"] for event in events for child in self.children(event)}
        graph = [self.event(event, top=True) for event in events if event["@id"] not in inner]
        self.unplaced_cycles(events)
        for node in self.nodes.values():  # the entities no event refers to stand in the graph too
            types = self.types(node)
            if "EventSeries" in types:
                self.campaign(node)
            elif "Person" in types or types & (ORGANISATION_TYPES | set(ORGANISATION_SUBTYPES)):
                self.agent(node)
        self.build_agents()
        if self.problems:
            raise InvalidDocument(Report(tuple(self.problems)))
        graph += list(self.campaigns.values()) + list(self.organisations.values()) + list(self.people.values())
        return {"@context": schemas.CONTEXT_IRI, "@graph": graph}

    def children(self, node: Node) -> list[Node]:
        """An event's sessions, whichever side names the link (subEvent, superEvent), each once."""
        children = self.linked(node, "subEvent") + self.sub_events.get(node["@id"], [])
        return list({child["@id"]: child for child in children}.values())

    def unplaced_cycles(self, events: list[Node]) -> None:
        """Name the events no top event leads to: each is inside a cycle of sessions, or below one."""
        accounted = set(self.placed)
        self.below(self.cut, accounted)
        parents: dict[str, list[Node]] = {}
        for event in events:
            for child in self.children(event):
                parents.setdefault(child["@id"], []).append(event)
        for event in events:
            if event["@id"] in accounted:
                continue
            # every parent of an event left out is left out too: going up, an event comes back
            walk: list[Node] = []
            seen: dict[str, int] = {}
            current = event
            while current["@id"] not in seen and current["@id"] not in accounted:
                seen[current["@id"]] = len(walk)
                walk.append(current)
                current = parents[current["@id"]][0]
            if current["@id"] in seen:
                cycle = walk[seen[current["@id"]] :]  # each the session of the next
                through = ", ".join(str(node["@id"]) for node in reversed(cycle[1:])) or "itself"
                self.problem(cycle[0], f"it is its own session (subEvent) through {through}", cycle[0]["@id"])
                self.below(cycle, accounted)
            self.below(walk, accounted)

    def below(self, nodes: list[Node], accounted: set[str]) -> None:
        """Add the ids of nodes, and of every session below them, to accounted."""
        accounted.update(node["@id"] for node in nodes)
        stack = list(nodes)
        while stack:
            for child in self.children(stack.pop()):
                if child["@id"] not in accounted:
                    accounted.add(child["@id"])
                    stack.append(child)

    def build_agents(self) -> None:
        while self.agents_pending:
            node = self.agents_pending.popleft()
            if "Person" in self.types(node):
                self.people[node["@id"]] = self.person(node)
            else:
                self.organisations[node["@id"]] = self.organisation(node)

    def event(self, node: Node, top: bool, path: tuple[str, ...] = ()) -> Node:
        """The event or session ``node``, below the events of ``path`` (its parent last)."""
        self.placed[node["@id"]] = path[-1] if path else ""
        out: Node = {"@type": "EducationEvent", "@id": node["@id"]}
        self.timing(out, node)
        cls = Event if top else Session
        self.fields(node, cls, out)
        self.put(
            out,
            "location",
            [location for place in self.values(node, "location") if (location := self.location(place)) is not None],
        )
        if not top:
            self.put(out, "performer", self.performers(node))
        self.put(
            out, "subEvent", [self.event(child, False, (*path, node["@id"])) for child in self.sessions(node, path)]
        )
        return out

    def fields(self, node: Node, cls: type, out: Node) -> Node:
        """Into ``out`` under their canonical keys, the fields of a class that the node gives, each
        read where the mapping carries it, under its canonical key (the library's own terms
        included) or where other tools' markup puts it; those read by hand are passed over."""
        for term in vocabulary.TERMS[cls]:
            if (cls, term.field) not in _BY_HAND:
                self.put(out, term.key, _reader(cls, term.field)(self, node))
        return out

    def nested(self, node: Node, cls: type) -> Node:
        """A model object held by another (a document, an identifier), as a node of its own."""
        out: Node = {"@type": NODE_TYPES[cls]} if cls in NODE_TYPES else {}
        if "id" in vocabulary.terms(cls):
            out["@id"] = node["@id"]
        return self.fields(node, cls, out)

    def scalar(self, node: Node, name: str) -> Any:
        """A value that is no node: a literal or an IRI, or the name of a node given in its place
        (``addressCountry`` as a ``Country``)."""
        value = self.literal(node, name)
        if value is None:
            named = [self.literal(inner, "name") for inner in self.linked(node, name)]
            value = next((found for found in named if found is not None), None)
        return value

    def sessions(self, node: Node, path: tuple[str, ...]) -> Iterator[Node]:
        """The sessions of ``node`` the model can hold; what it cannot is named."""
        within = (*path, node["@id"])
        for child in self.children(node):
            child_id = child["@id"]
            if child_id in within:
                through = ", ".join(within[within.index(child_id) + 1 :]) or "itself"
                self.problem(child, f"it is its own session (subEvent) through {through}", child_id)
            elif child_id in self.placed:
                elsewhere = self.placed[child_id] or "the top of the document"
                self.problem(
                    child, f"the session is in both {elsewhere} and {node['@id']}: a session has one place", child_id
                )
            elif len(within) > MAX_SESSION_DEPTH:
                self.problem(
                    child,
                    f"the session nests more than {MAX_SESSION_DEPTH} deep (below {within[-1]}, in {within[0]}): "
                    f"expected sessions at most {MAX_SESSION_DEPTH} deep",
                    child_id,
                )
                self.cut.append(child)
            else:
                yield child

    def timing(self, out: Node, node: Node) -> None:
        zone_name = self.literal(node, "timeZone")
        if zone_name is None or zone_name == "":
            zone_name = self.time_zone
        elif not isinstance(zone_name, str) or zone_name not in zone_names():
            self.problem(node, "timeZone: expected an IANA time zone name (such as Europe/Madrid, UTC)", zone_name)
            zone_name = None
        timed = False
        for bound in ("start", "end"):
            value = self.literal(node, f"{bound}Date")
            if value is None:
                continue
            kinds = {item.get("@type") for item in self.values(node, f"{bound}Date")}
            text = str(value)
            if XSD_DATE in kinds or len(text) == 10:
                out[f"{bound}Date"] = text
                continue
            moment = datetime.fromisoformat(text) if _looks_like_time(text) else None
            if moment is not None and moment.utcoffset() is None and zone_name:
                moment = moment.replace(tzinfo=zone(zone_name))
            # a time without an offset stays as given: the validation names what it lacks
            out[f"{bound}Time"] = moment.isoformat() if moment is not None and moment.utcoffset() is not None else text
            timed = True
        if timed and zone_name:
            out["timeZone"] = zone_name

    def location(self, value: Node) -> Node | None:
        if "@value" in value:  # a place given as text
            return {"@type": "Place", "name": {self.language: str(value["@value"])}}
        node = self.nodes.get(value.get("@id", ""))
        if node is None:
            return None
        if "VirtualLocation" in self.types(node):
            return self.nested(node, VirtualLocation)
        place = self.nested(node, Place)
        addresses = self.values(node, "address")
        if addresses:
            address = self.nodes.get(addresses[0].get("@id", ""))
            if address is None and "@value" in addresses[0]:  # an address given as text
                place["address"] = {"streetAddress": str(addresses[0]["@value"])}
            elif address is not None:
                self.put(place, "address", self.nested(address, Address))
        return place

    def agent(self, node: Node) -> str:
        """The id of a person or organisation, built later (:meth:`build_agents`)."""
        if node["@id"] not in self.agents_met:
            self.agents_met.add(node["@id"])
            self.agents_pending.append(node)
        return str(node["@id"])

    def person(self, node: Node) -> Node:
        return self.nested(node, Person)

    def organisation(self, node: Node) -> Node:
        types = self.types(node)
        kind = next((t for t in sorted(types) if t in ORGANISATION_TYPES), None)
        kind = kind or next(
            (ORGANISATION_SUBTYPES[t] for t in sorted(types) if t in ORGANISATION_SUBTYPES), "Organization"
        )
        return self.fields(node, Organisation, {"@type": kind, "@id": node["@id"]})

    def campaign(self, node: Node) -> str:
        if node["@id"] not in self.campaigns:
            self.campaigns[node["@id"]] = self.nested(node, Campaign)
        return str(node["@id"])

    def performers(self, node: Node) -> list[Node]:
        found = []
        for agent in self.linked(node, "performer"):
            if "Role" in self.types(agent):  # schema.org's Role: roleName and the performer inside
                role = self.vocabulary(agent, "roleName", ROLES) or str(self.literal(agent, "roleName") or "")
                for inner in self.linked(agent, "performer"):
                    found.append({"performer": self.agent(inner), "roleName": role or "speaker"})
            elif self.values(agent, "roleName"):  # the library's own role node, untyped
                role = self.vocabulary(agent, "roleName", ROLES)
                for inner in self.linked(agent, "performer"):
                    found.append({"performer": self.agent(inner), "roleName": role})
            else:  # a performer without a role performs: a speaker
                found.append({"performer": self.agent(agent), "roleName": "speaker"})
        return found

    @staticmethod
    def present(**values: Any) -> Node:
        return {key: value for key, value in values.items() if value is not None and value != [] and value != {}}

    def put(self, out: Node, key: str, value: Any) -> None:
        if value is not None and value != [] and value != {}:
            out[key] = value


#: Fields read by hand: ids, times and zones, places, performers and sessions, an organisation's
#: kind (its type), a place's address (which may be a text).
_BY_HAND = frozenset(
    {
        *((cls, "id") for cls in vocabulary.TERMS),
        *((cls, field) for cls in (Event, Session) for field in ("start", "end", "time_zone", "locations", "sessions")),
        (Session, "contributions"),
        (Organisation, "kind"),
        (Place, "address"),
    }
)

Read = Callable[[_Rebuilder, Node, str], list[Any]]


@functools.cache
def _reader(cls: type, field: str) -> Callable[[_Rebuilder, Node], Any]:
    """How a field is read from a node: from each property that may carry it (see :mod:`.mapping`),
    its values, as the field's type takes them; the first, or all (each once) for a tuple."""
    term = vocabulary.terms(cls)[field]
    carriage = mapping.carriage(cls, field)
    names = [term.key]
    inside: tuple[str, str] | None = None
    if carriage is not None:
        if carriage.inside is None:
            names.append(carriage.key)
        else:
            inside = (carriage.key, carriage.inside[1])
        names += carriage.also
    names = list(dict.fromkeys(name for name in names if name))
    each = _values_of(cls, field)
    listed = vocabulary.is_listed(cls, field)

    def read(rebuilder: _Rebuilder, node: Node) -> Any:
        found = [value for name in names for value in each(rebuilder, node, name)]
        if inside is not None:
            holder, inner = inside
            found += [value for held in rebuilder.linked(node, holder) for value in each(rebuilder, held, inner)]
        if listed:
            return list({orjson.dumps(value, option=orjson.OPT_SORT_KEYS): value for value in found}.values())
        return found[0] if found else None

    return read


def _values_of(cls: type, field: str) -> Read:
    """How the values of a field under one property are read, by what the field holds."""
    term = vocabulary.terms(cls)[field]
    kind = vocabulary.value_type(cls, field)
    held = vocabulary.held(cls, field)
    if vocabulary.CAMPAIGNS in term.refers_to:

        def campaigns(rebuilder: _Rebuilder, node: Node, name: str) -> list[Any]:
            series = (linked for linked in rebuilder.linked(node, name) if "EventSeries" in rebuilder.types(linked))
            return [rebuilder.campaign(linked) for linked in series]

        return campaigns
    if term.refers_to:
        return lambda rebuilder, node, name: [rebuilder.agent(linked) for linked in rebuilder.linked(node, name)]
    if held:
        (inner,) = held
        return lambda rebuilder, node, name: [rebuilder.nested(item, inner) for item in rebuilder.linked(node, name)]
    if kind is Text:
        return lambda rebuilder, node, name: [text] if (text := rebuilder.texts(node, name)) else []
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        # the local names of the members' IRIs, and the members' own values as plain strings
        table = {local: value for value, local in vocabulary.members(term.key).items()}
        table.update((member.value, member.value) for member in kind)
        return lambda rebuilder, node, name: [
            table[local]
            for value in rebuilder.values(node, name)
            if (local := _local(str(value.get("@id", value.get("@value", ""))))) in table
        ]
    if vocabulary.is_listed(cls, field):
        return lambda rebuilder, node, name: [str(value) for value in rebuilder.literals(node, name)]

    def scalar(rebuilder: _Rebuilder, node: Node, name: str) -> list[Any]:
        value = rebuilder.scalar(node, name)
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # a number where a text is expected is the text of the number
        return [] if value is None else [value]

    return scalar


def _conventional_case(tag: str) -> str:
    """A BCP 47 tag in its conventional case (RFC 5646, 2.1.1): JSON-LD processors may lower it.

    "pt-br" is "pt-BR", "zh-hant" is "zh-Hant"; after a singleton (x-, u-, ...) all stays lower case.
    """
    first, *rest = tag.split("-")
    cased = [first.lower()]
    extension = False  # after a singleton, every subtag is lower case
    for part in rest:
        extension = extension or len(part) == 1
        if not extension and len(part) == 4 and part.isalpha():
            cased.append(part.title())
        elif not extension and ((len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit())):
            cased.append(part.upper())
        else:
            cased.append(part.lower())
    return "-".join(cased)


def _looks_like_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        return False
    return True


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
