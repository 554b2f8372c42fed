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
import itertools
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime
from importlib import resources
from typing import Any

import attrs
import orjson

from mastery_model import reading as pipeline
from mastery_model import schemas, vocabulary
from mastery_model.builtin.schemaorg import mapping, page, release
from mastery_model.conversion import NODE_TYPES
from mastery_model.html_text import holds_html, plain_text
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
from mastery_model.problems import InvalidDocument, Problem, ReadWarning, Report, left_unread
from mastery_model.zones import names as zone_names
from mastery_model.zones import zone

SCHEMA_IRIS = ("https://schema.org/", "http://schema.org/")
OWN = "https://w3id.org/mastery-model/vocab#"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
#: How deep the JSON may nest before JSON-LD expansion (which recurses): far more than sessions
#: nested as deep as the model allows, each with its people and documents embedded, need.
MAX_NESTING = 128
#: schema.org's context, as release 30.0 publishes it (shipped: nothing is fetched), served for
#: each address pages name it by.
SCHEMA_ORG_CONTEXT_FILE = f"schemaorg-context-{release.RELEASE}.jsonld"
SCHEMA_ORG_CONTEXT_IRIS = frozenset(
    f"{scheme}://schema.org{path}"
    for scheme in ("https", "http")
    for path in ("", "/", "/docs/jsonldcontext.json", "/docs/jsonldcontext.jsonld")
)
#: schema.org's Event and every kind of it (release 30.0), read as events or sessions; an
#: EventSeries is read as a campaign.
EVENT_TYPES = release.EVENT_TYPES - {"EventSeries"}
PERSON_TYPES = release.PERSON_TYPES
#: Each kind of organisation schema.org has, as the kind of organisation the model names that it is.
ORGANISATION_TYPES = release.ORGANISATION_TYPES
#: What is said of a date-time without a UTC offset when neither the markup nor the reader's options
#: name its zone: no zone is assumed.
NO_OFFSET = (
    "a date-time without a UTC offset, and no timeZone: give the zone its times are in with the "
    "option time-zone (--input-option time-zone=Europe/Berlin; in Python, time-zone= of load or validate)"
)
ROLES = {name: value for value, name in vocabulary.members("roleName").items()}

Node = dict[str, Any]


class RemoteContextRefused(Exception):
    pass


@functools.cache
def schema_org_context() -> Any:
    """schema.org's context (release 30.0), loaded on the first read that names it."""
    return orjson.loads(resources.files(__package__).joinpath(SCHEMA_ORG_CONTEXT_FILE).read_bytes())


def _document_loader(url: str, options: Any = None) -> dict[str, Any]:
    if url == schemas.CONTEXT_IRI:
        document: Any = schemas.context()
    elif url in SCHEMA_ORG_CONTEXT_IRIS:
        document = schema_org_context()
    else:
        raise RemoteContextRefused(url)
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": document}


def read(data: bytes, options: Options) -> Catalogue:
    documents = _documents(data)
    from pyld import jsonld  # only this reader needs it: a tenth of a second of start-up for the rest

    expanded: list[Any] = []
    try:
        with pipeline.collection_paused():  # pyld builds a node per value, and no cycles
            for index, document in enumerate(documents):
                found = jsonld.expand(document, {"documentLoader": _document_loader})
                # each block of a page is a document of its own: its blank nodes are its own
                expanded += _relabelled(found, f"_:p{index}-") if len(documents) > 1 else found
            graph = node_map(expanded)
    except jsonld.JsonLdError as error:
        raise InvalidDocument(Report((_expansion_problem(error),))) from None
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError) as error:
        # pyld trusts some of its input ("@included": false): what it trips over is no JSON-LD
        problem = Problem(
            "", f"not valid JSON-LD: a keyword's value has the wrong type ({type(error).__name__}: {error})"
        )
        raise InvalidDocument(Report((problem,))) from None
    with pipeline.collection_paused():
        rebuilder = _Rebuilder(graph, options)
        document = rebuilder.canonical()
    for warning in rebuilder.warnings():
        warnings.warn(warning, stacklevel=4)
    return pipeline.read_document(document)


def _documents(data: bytes) -> list[Any]:
    """The JSON documents of the input: the input itself, or each JSON-LD block of an HTML page."""
    if not page.looks_like_page(data[:64]):
        return [_checked_depth(pipeline.parse(data))]
    blocks = page.json_ld_blocks(data)
    if not blocks:
        message = 'the HTML page holds no JSON-LD (no <script type="application/ld+json"> element with content)'
        raise InvalidDocument(Report((Problem("", message),)))
    documents, problems = [], []
    for number, (line, text) in enumerate(blocks, 1):
        try:
            documents.append(_checked_depth(pipeline.parse(text)))
        except InvalidDocument as error:
            where = f'the <script type="application/ld+json"> element {number} (line {line} of the page)'
            problems += [
                attrs.evolve(problem, message=f"{where}: {problem.message}", line=None) for problem in error.report
            ]
    if problems:
        raise InvalidDocument(Report(tuple(problems)))
    return documents


def _checked_depth(document: Any) -> Any:
    too_deep = _too_deep(document)
    if too_deep is not None:
        raise InvalidDocument(
            Report((Problem(too_deep, f"the JSON nests more than {MAX_NESTING} deep, more than any document needs"),))
        )
    return document


def _relabelled(value: Any, prefix: str) -> Any:
    """Expanded JSON-LD with each blank node label given a prefix (a ``@type`` is never one)."""
    if isinstance(value, list):
        return [_relabelled(item, prefix) for item in value]
    if not isinstance(value, dict) or "@value" in value:
        return value
    out = {key: _relabelled(item, prefix) for key, item in value.items() if key != "@id"}
    if isinstance(value.get("@id"), str):
        out["@id"] = prefix + value["@id"][2:] if value["@id"].startswith("_:") else value["@id"]
    return out


def node_map(expanded: list[Any]) -> list[Node]:
    """Expanded JSON-LD as one node per entity, sorted by id, each value that is a node replaced by
    a reference to it; what JSON-LD flattening gives (for the default graph, with every named
    graph and ``@included`` node read into it), in time linear in the size of the document.

    Properties and types of schema.org (``https://`` or ``http://``) and of the library's own
    vocabulary are named by their local names (``name``, ``Event``), other IRIs in full. Blank nodes
    are labelled ``_:b0``, ``_:b1``... in the order met; a value a node holds twice under one
    property is held once; a node that is only a reference stays out."""
    nodes: dict[str, Node] = {}
    held: dict[str, dict[str, set[Any]]] = {}
    local = _LocalNames()
    labels: dict[str, str] = {}
    counter = itertools.count()

    def label(written: str | None) -> str:
        if written is None:
            return f"_:b{next(counter)}"
        if written not in labels:
            labels[written] = f"_:b{next(counter)}"
        return labels[written]

    def add(node_id: str, key: str, value: Any) -> None:
        seen = held[node_id].setdefault(key, set())
        identity: Any = value
        if isinstance(value, dict):
            only = next(iter(value.items())) if len(value) == 1 else None
            if only is not None and isinstance(only[1], str):  # a reference, a plain value
                identity = only
            else:
                identity = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        if identity not in seen:
            seen.add(identity)
            nodes[node_id].setdefault(key, []).append(value)

    def value_of(value: Any) -> Any:
        if not isinstance(value, dict) or "@value" in value:
            return value
        if "@list" in value:
            return {"@list": [value_of(item) for item in value["@list"]]}
        return {"@id": node(value)}

    def node(element: Node) -> str:
        written = element.get("@id")
        if isinstance(written, str) and not written.startswith("_:"):
            node_id = written
        else:
            node_id = label(written if isinstance(written, str) else None)
        if node_id not in nodes:
            nodes[node_id] = {"@id": node_id}
            held[node_id] = {}
        for key, values in element.items():
            if key == "@type":
                for kind in values:
                    add(node_id, "@type", local[kind])
            elif key in ("@graph", "@included"):
                for item in values:
                    if isinstance(item, dict) and "@value" not in item and "@list" not in item:
                        node(item)
            elif key == "@reverse":
                for prop, items in values.items():
                    for item in items:
                        add(node(item), local[prop], {"@id": node_id})
            elif not key.startswith("@"):
                name = local[key]
                for value in values:
                    add(node_id, name, value_of(value))
        return node_id

    for element in expanded:
        if isinstance(element, dict) and "@value" not in element and "@list" not in element:
            node(element)
    return [nodes[key] for key in sorted(nodes) if len(nodes[key]) > 1]


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


class _LocalNames(dict[str, str]):
    """IRIs by the names the reader knows them by: schema.org's and the library's own by local name."""

    def __missing__(self, iri: str) -> str:
        name = self[iri] = _local(iri)
        return name


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
        self.unread: dict[str, int] = {}  # each property read past, with how many nodes held it
        self.tallied: set[tuple[str, type]] = set()
        self.html_texts = 0  # texts that held HTML, read as plain text
        self.zoned_by_option = 0  # date-times without an offset, placed in the option's zone
        self.blank_agents: dict[bytes, str] = {}  # what a person or organisation without an id says -> its node
        self.named: dict[tuple[str, str], str] = {}  # (type, name) -> the node made of a name given as text
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
        elif types & PERSON_TYPES:
            kind = "person"
        elif types & ORGANISATION_TYPES.keys():
            kind = "organisation"
        else:
            kind = "entity"
        return f"the {kind} {shown}"

    def is_event(self, node: Node) -> bool:
        types = self.types(node)
        return bool(types & EVENT_TYPES) and "EventSeries" not in types

    # reading values

    def types(self, node: Node) -> set[str]:
        return set(node.get("@type", ()))

    def values(self, node: Node, name: str) -> list[Any]:
        found: list[Any] = node.get(name, [])
        return found

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
                language = _conventional_case(value.get("@language", self.language))
                if language not in texts:
                    texts[language] = self.plain(value["@value"])
        return {language: text for language, text in texts.items() if text} or None

    def plain(self, text: str) -> str:
        """A text as it reads: HTML (a description written for a page) as plain text, counted."""
        if not holds_html(text):
            return text
        self.html_texts += 1
        return plain_text(text)

    def texts(self, node: Node, name: str) -> dict[str, str] | None:
        """A text by language; a plain value (a number, an IRI) in the default language; none when
        the node has none (the schemas then say so)."""
        plain = self.literal(node, name)
        if not isinstance(plain, (str, int, float)) or isinstance(plain, bool):  # a JSON literal (@json) is no text
            plain = None
        found = self.text(node, name)
        if found is None and plain is not None and (shown := self.plain(str(plain))):
            found = {self.language: shown}
        return found

    def named_by_text(self, node: Node, name: str, kind: str) -> list[Node]:
        """The nodes that plain texts under ``name`` name (an organiser given by its name alone),
        each a node of ``kind`` made once a name."""
        found = []
        for value in self.values(node, name):
            text = value.get("@value")
            if not isinstance(text, str) or not (text := self.plain(text).strip()):
                continue
            key = (kind, text)
            if key not in self.named:
                made_id = f"_:named-{len(self.named)}"  # written blank nodes are all relabelled _:b...
                self.nodes[made_id] = {
                    "@id": made_id,
                    "@type": [kind],
                    "name": [{"@value": text}],
                }
                self.named[key] = made_id
            found.append(self.nodes[self.named[key]])
        return found

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
            elif types & PERSON_TYPES or types & ORGANISATION_TYPES.keys():
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
            if self.types(node) & PERSON_TYPES:
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
        if "name" not in out:
            kind = "event" if top else "session"
            self.problem(node, f"it has no name, and the model requires one of every {kind} (schema.org's name)")
        self.put(
            out,
            "location",
            [location for place in self.values(node, "location") if (location := self.location(place)) is not None],
        )
        self.put(out, "performer", self.performers(node))  # an event's, or a session's
        if top:
            image = self.image(node)
            self.put(out, vocabulary.key(Event, "image"), image)
            if image is None and self.values(node, "image"):  # none is a URL the model takes
                self.unread["image"] = self.unread.get("image", 0) + 1
        self.put(
            out, "subEvent", [self.event(child, False, (*path, node["@id"])) for child in self.sessions(node, path)]
        )
        return out

    def fields(self, node: Node, cls: type, out: Node) -> Node:
        """Into ``out`` under their canonical keys, the fields of a class that the node gives, each
        read where the mapping carries it, under its canonical key (the library's own terms
        included) or where other tools' markup puts it; those read by hand are passed over."""
        self.tally(node, cls)
        for term in vocabulary.TERMS[cls]:
            if (cls, term.field) not in _BY_HAND:
                self.put(out, term.key, _reader(cls, term.field)(self, node))
        return out

    def tally(self, node: Node, cls: type, *more: type) -> None:
        """Count, once a node, each property it holds that the reader does not read as ``cls`` (or
        as any of ``more``, when the node stands for objects of several classes)."""
        if (node["@id"], cls) in self.tallied:
            return
        self.tallied.add((node["@id"], cls))
        read = mapping.read_properties(cls).union(*(mapping.read_properties(other) for other in more))
        # an event's or a session's own properties by name; another node's, after its type (Place.url)
        kind = "" if cls in (Event, Session) else next(iter(sorted(self.types(node))), cls.__name__) + "."
        for key in node:
            if not key.startswith("@") and key not in read:
                self.unread[kind + key] = self.unread.get(kind + key, 0) + 1

    def warnings(self) -> Iterator[ReadWarning]:
        """What the read left out or changed, each said once with its count."""
        if said := left_unread("schemaorg", dict(sorted(self.unread.items()))):
            yield said
        if self.html_texts:
            count = self.html_texts
            yield ReadWarning(
                f"schemaorg: {count:,} text{'s' if count != 1 else ''} held HTML, read as plain text "
                "(paragraphs and list items on lines of their own, each link followed by its address)"
            )
        if count := self.zoned_by_option:
            yield ReadWarning(
                f"schemaorg: {count:,} date-time{'s' if count != 1 else ''} without a UTC offset or a timeZone "
                f"read as {self.time_zone} time, the zone of the option time-zone"
            )

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
        given = zone_name is not None and zone_name != self.time_zone  # by the markup, not the option
        by_option = zone_name is not None and not given
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
            if moment is not None and moment.utcoffset() is None:
                if zone_name:
                    moment = moment.replace(tzinfo=zone(zone_name))
                    self.zoned_by_option += by_option
                    given = True
                elif zone_name is None:  # no zone is guessed: the problem names the option that gives it
                    self.problem(node, f"{bound}Date: {NO_OFFSET}", text)
            # a time that is none stays as given: the validation names what it lacks
            out[f"{bound}Time"] = moment.isoformat() if moment is not None and moment.utcoffset() is not None else text
            timed = True
        if timed and zone_name and given:  # the option's zone is of the times it placed only
            out["timeZone"] = zone_name

    def location(self, value: Node) -> Node | None:
        if "@value" in value:  # a place given as text
            name = self.plain(str(value["@value"]))
            return {"@type": "Place", "name": {self.language: name}} if name else None
        node = self.nodes.get(value.get("@id", ""))
        if node is None:
            return None
        if "VirtualLocation" in self.types(node):
            return self.nested(node, VirtualLocation)
        if "PostalAddress" in self.types(node):  # an address given as the place: its name is the place's
            self.tally(node, Place, Address)
            place = self.nested(node, Place)
            self.put(place, "address", self.nested(node, Address))
            return place
        place = self.nested(node, Place)
        addresses = self.values(node, "address")
        if addresses:
            address = self.nodes.get(addresses[0].get("@id", ""))
            if address is None and "@value" in addresses[0]:  # an address given as text
                street = self.plain(str(addresses[0]["@value"]))
                if street:
                    place["address"] = {"streetAddress": street}
            elif address is not None:
                self.put(place, "address", self.nested(address, Address))
        return place

    def agent(self, node: Node) -> str:
        """The id of a person or organisation, built later (:meth:`build_agents`). Nodes without
        an id that say the same (a performer embedded in each event of a listing) are one."""
        if node["@id"].startswith("_:"):
            said = orjson.dumps(
                {key: value for key, value in node.items() if key != "@id"}, option=orjson.OPT_SORT_KEYS
            )
            first = self.blank_agents.setdefault(said, node["@id"])
            if first != node["@id"]:
                return first
        if node["@id"] not in self.agents_met:
            self.agents_met.add(node["@id"])
            self.agents_pending.append(node)
        return str(node["@id"])

    def person(self, node: Node) -> Node:
        person = self.nested(node, Person)
        if "name" not in person and (parts := [person[key] for key in ("givenName", "familyName") if key in person]):
            person["name"] = " ".join(parts)  # a person named by given and family name alone
        return person

    def organisation(self, node: Node) -> Node:
        types = self.types(node)
        # the type the model names itself, else the nearest it names of the first type given
        kind = next((t for t in sorted(types) if ORGANISATION_TYPES.get(t) == t), None)
        kind = kind or next((ORGANISATION_TYPES[t] for t in sorted(types) if t in ORGANISATION_TYPES), "Organization")
        return self.fields(node, Organisation, {"@type": kind, "@id": node["@id"]})

    def campaign(self, node: Node) -> str:
        if node["@id"] not in self.campaigns:
            self.campaigns[node["@id"]] = self.nested(node, Campaign)
        return str(node["@id"])

    def image(self, node: Node) -> str | None:
        """The first image of an event that is an http or https URL (others, such as ``data:``, are
        passed over): given as one, or as an ``ImageObject``'s ``contentUrl`` (the image itself) or ``url``."""
        for value in self.values(node, "image"):
            held = self.nodes.get(value.get("@id")) if isinstance(value.get("@id"), str) else None
            if held is not None:
                found = [self.literal(held, key) for key in ("contentUrl", "url")]
            else:
                found = [value.get("@value", value.get("@id"))]
            for url in found:
                if isinstance(url, str) and schemas.definition_validator("url").is_valid(url):
                    return url
        return None

    def performers(self, node: Node) -> list[Node]:
        found = []
        named = self.named_by_text(node, "performer", mapping.NAMED_BY_TEXT["Contribution.contributor"])
        for agent in self.linked(node, "performer") + named:
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
        *((cls, "contributions") for cls in (Event, Session)),
        (Event, "image"),
        (Organisation, "kind"),
        (Place, "address"),
    }
)

#: The fields of plain strings that hold codes, addresses or identifiers, not prose: HTML in them is
#: left as it is (for validation to judge).
_CODED = frozenset(
    {"id", "url", "license", "media_type", "language", "languages", "country", "time_zone", "scheme", "value"}
    | {"postal_code", "topics", "image"}
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
        by_text = mapping.NAMED_BY_TEXT.get(f"{cls.__name__}.{field}")

        def agents(rebuilder: _Rebuilder, node: Node, name: str) -> list[Any]:
            linked = rebuilder.linked(node, name)
            if by_text is not None:
                linked += rebuilder.named_by_text(node, name, by_text)
            return [rebuilder.agent(each) for each in linked]

        return agents
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
    prose = kind is str and field not in _CODED
    if vocabulary.is_listed(cls, field):
        if prose:
            return lambda rebuilder, node, name: [
                text for value in rebuilder.literals(node, name) if (text := rebuilder.plain(str(value)))
            ]
        return lambda rebuilder, node, name: [str(value) for value in rebuilder.literals(node, name)]

    def scalar(rebuilder: _Rebuilder, node: Node, name: str) -> list[Any]:
        value = rebuilder.scalar(node, name)
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # a number where a text is expected is the text of the number
        if prose and isinstance(value, str):
            value = rebuilder.plain(value)
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
