"""Every problem a canonical document is refused for points into that document (RFC 6901): a
generated valid catalogue's document, its graph in any order, is broken in each way the checks
catch, and each problem said must be found where its pointer leads; a problem of meaning, at
the very value (or node) at fault."""

from __future__ import annotations

import copy
import functools
import re
import typing
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import ZONES, catalogues

import mastery_model
from mastery_model import identity, model, validation, vocabulary, zones
from mastery_model.model import (
    MAX_SESSION_DEPTH,
    Address,
    Campaign,
    Document,
    Event,
    Organisation,
    Person,
    Place,
    Recommendation,
    Session,
    Text,
    VirtualLocation,
)
from mastery_model.problems import InvalidDocument, Problem

JSON = dict[str, Any]
UNKNOWN_ID = "urn:x-test:nobody"  # generated ids are all urn:uuid: none is this one
BAD_TAG = "xx-yy-zz-qq"  # a tag the schemas' pattern lets through and BCP 47 does not
_TIMES = vocabulary.terms(Session)
START_DATE, START_TIME = _TIMES["start"].key, str(_TIMES["start"].time_key)
END_DATE, END_TIME = _TIMES["end"].key, str(_TIMES["end"].time_key)
TIME_ZONE = _TIMES["time_zone"].key
TIMING = (START_DATE, START_TIME, END_DATE, END_TIME, TIME_ZONE)
#: A start or an end: the keys of a date alone and of a date-time.
BOUNDS = {"start": (START_DATE, START_TIME), "end": (END_DATE, END_TIME)}

# -- RFC 6901 ------------------------------------------------------------------------------------


def resolved(document: Any, pointer: str) -> Any:
    """The value ``pointer`` leads to in ``document``; ``LookupError`` when it leads nowhere."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        raise LookupError(f"{pointer!r} is no JSON pointer: it neither is empty nor starts with /")
    value = document
    for token in pointer[1:].split("/"):
        if re.fullmatch(r"(?:[^~]|~[01])*", token) is None:
            raise LookupError(f"{pointer!r}: {token!r} has a ~ that is not ~0 or ~1")
        part = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, list) and re.fullmatch(r"0|[1-9][0-9]*", part) and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise LookupError(f"{pointer!r}: nothing at {token!r}")
    return value


def test_pointers_resolve_as_rfc_6901_says():
    document = {"a/b": {"m~n": [10, 11]}, "": 0, "list": []}
    assert resolved(document, "") is document
    assert resolved(document, "/a~1b/m~0n/1") == 11
    assert resolved(document, "/") == 0
    for pointer in ("/a/b", "/a~1b/m~n", "/a~1b/m~0n/2", "/a~1b/m~0n/01", "/list/0", "a~1b", "/a~2b"):
        with pytest.raises(LookupError):
            resolved(document, pointer)


# -- the nodes of a canonical document -----------------------------------------------------------


@attrs.frozen
class Node:
    """An object of the document that stands for a model object: where it is, what class, in what."""

    pointer: str
    data: JSON = attrs.field(eq=False, repr=False)
    cls: type
    parent: Node | None = attrs.field(default=None, eq=False, repr=False)

    def at(self, key: str) -> str:
        return f"{self.pointer}/{_escape(key)}"

    @property
    def depth(self) -> int:
        """How deep a session nests: 0 for what is no session."""
        return 0 if self.cls is not Session else 1 + (self.parent.depth if self.parent else 0)


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


@functools.cache
def _held(cls: type, field: str) -> frozenset[Any]:
    """The classes a field's values are, through tuples, unions and ``| None``."""
    found, stack = set(), [typing.get_type_hints(cls, vars(model))[field]]
    while stack:
        annotation = stack.pop()
        arguments = typing.get_args(annotation)
        stack.extend(arguments)
        if not arguments:
            found.add(annotation)
    return frozenset(found)


_GRAPH_CLASSES = {"EducationEvent": Event, "Person": Person, "EventSeries": Campaign}
_LOCATIONS = {"Place": Place, "VirtualLocation": VirtualLocation}


def nodes(document: JSON) -> list[Node]:
    """Every node of the document, parents before children."""
    found: list[Node] = []
    stack = [
        Node(f"/@graph/{index}", data, _GRAPH_CLASSES.get(data["@type"], Organisation))
        for index, data in reversed(list(enumerate(document["@graph"])))
    ]
    while stack:
        node = stack.pop()
        found.append(node)
        children = []
        for term in vocabulary.TERMS[node.cls]:
            held = [cls for cls in _held(node.cls, term.field) if cls in vocabulary.TERMS]
            value = node.data.get(term.key)
            if not held or value is None:
                continue
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for index, item in items:
                cls = held[0] if len(held) == 1 else _LOCATIONS[item["@type"]]
                here = node.at(term.key) if index is None else f"{node.at(term.key)}/{index}"
                children.append(Node(here, item, cls, node))
        stack.extend(reversed(children))
    return found


def _of(document: JSON, *classes: type) -> list[Node]:
    return [node for node in nodes(document) if node.cls in classes]


def _field_key(cls: type, field: str) -> str:
    return vocabulary.key(cls, field)


def _moment(text: str) -> datetime | date:
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def _day(text: str) -> date:
    return date.fromisoformat(text[:10])


def _untimed(node: Node) -> None:
    for key in TIMING:
        node.data.pop(key, None)


_counter = iter(range(1, 10**9))


def _new_id() -> str:
    return f"urn:x-test:new-{next(_counter)}"


# -- the ways to break a document -----------------------------------------------------------------
#
# Each breaks a document in place and says what must then be reported: for each entry, a problem
# at one of the pointers given whose message holds the words given.

Expected = list[tuple[set[str], str]]
Breakage = Callable[[JSON, st.DataObject], Expected]
_ENTITIES = (Event, Session, Person, Organisation, Campaign, Document, Recommendation)
_TIMED = (Event, Session)
_A_NEW_PERSON = "a new person"


def _append_to_graph(document: JSON, data: JSON) -> str:
    document["@graph"].append(data)
    return f"/@graph/{len(document['@graph']) - 1}"


def _two_entities(document: JSON, draw: st.DataObject) -> tuple[Node, Node | str]:
    """Two entities of the document; the second may be a person not yet in it."""
    entities = _of(document, *_ENTITIES)
    first = draw.draw(st.sampled_from(entities))
    others = [entity for entity in entities if entity != first]
    return first, draw.draw(st.sampled_from([*others, _A_NEW_PERSON]))


def duplicate_id(document: JSON, draw: st.DataObject) -> Expected:
    first, second = _two_entities(document, draw)
    if isinstance(second, str):
        pointer = _append_to_graph(document, {"@type": "Person", "@id": first.data["@id"], "name": "Someone"})
        return [({f"{pointer}/@id"}, f"this id is already the id of {first.pointer}")]
    second.data["@id"] = first.data["@id"]
    earlier, later = sorted((first, second), key=lambda node: _document_order(node.pointer))
    return [({later.at("@id")}, f"this id is already the id of {earlier.pointer}")]


def _document_order(pointer: str) -> list[int | str]:
    """Where a pointer's place comes in the document (each step a key or an index)."""
    return [int(step) if step.isdigit() else step for step in pointer.split("/")]


def shared_blank_id(document: JSON, draw: st.DataObject) -> Expected:
    first, second = _two_entities(document, draw)
    first.data["@id"] = "_:shared"
    if isinstance(second, str):
        pointer = _append_to_graph(document, {"@type": "Person", "@id": "_:shared", "name": "Someone else"})
        return [({f"{pointer}/@id"}, "another entity has this blank node id already")]
    second.data["@id"] = "_:shared"
    return [({first.at("@id"), second.at("@id")}, "another entity has this blank node id already")]


def same_minted_id(document: JSON, draw: st.DataObject) -> Expected:
    """An entity without an id, and a copy of it beside it: the same natural key, the same id minted."""
    original = draw.draw(st.sampled_from(_of(document, *_ENTITIES)))
    twin = copy.deepcopy(original.data)
    del original.data["@id"], twin["@id"]
    # unlike the original (so that the list holds no item twice), but by nothing the id is minted from
    if original.cls is Person:
        twin["givenName"] = twin.get("givenName", "") + "x"
    else:
        text_key = _field_key(original.cls, "text" if original.cls is Recommendation else "name")
        twin[text_key] = {**twin[text_key], "zu": "another"}
    if original.parent is None:
        pointer = _append_to_graph(document, twin)
    else:
        siblings = original.pointer.rsplit("/", 2)[1]
        listed = original.parent.data[siblings]
        listed.append(twin)
        pointer = f"{original.parent.at(siblings)}/{len(listed) - 1}"
    return [({pointer}, f"gets the same minted id as {original.pointer}")]


def language_of_a_text(document: JSON, draw: st.DataObject) -> Expected:
    texts = [
        (node, term.key)
        for node in nodes(document)
        for term in vocabulary.TERMS[node.cls]
        if Text in _held(node.cls, term.field) and term.key in node.data
    ]
    node, key = draw.draw(st.sampled_from(texts))
    node.data[key][BAD_TAG] = "?"
    return [({f"{node.at(key)}/{BAD_TAG}"}, "BCP 47")]


def language_tag(document: JSON, draw: st.DataObject) -> Expected:
    node = draw.draw(st.sampled_from(_of(document, Event, Session, Document)))
    field = "languages" if node.cls is Event else "language"
    key = _field_key(node.cls, field)
    if not vocabulary.is_listed(node.cls, field):
        node.data[key] = BAD_TAG
        return [({node.at(key)}, "BCP 47")]
    tags = node.data.setdefault(key, [])
    index = draw.draw(st.integers(0, len(tags)))
    tags.insert(index, BAD_TAG)
    return [({f"{node.at(key)}/{index}"}, "BCP 47")]


_COUNTRIES = {
    Person: "country",
    Organisation: "country",
    Session: "country",
    Address: "country",
    Recommendation: "scope",
}


def country(document: JSON, draw: st.DataObject) -> Expected:
    held = [(node, _field_key(node.cls, _COUNTRIES[node.cls])) for node in _of(document, *_COUNTRIES)]
    # or a new place, with an address, where an event or a session takes place
    places = [(node, None) for node in _of(document, *_TIMED)]
    node, key = draw.draw(st.sampled_from([*held, *places]))
    if key is None:
        key = _field_key(node.cls, "locations")
        locations = node.data.setdefault(key, [])
        locations.append({"@type": "Place", _field_key(Place, "address"): {_field_key(Address, "country"): "UK"}})
        pointer = f"{node.at(key)}/{len(locations) - 1}/{_field_key(Place, 'address')}/{_field_key(Address, 'country')}"
        return [({pointer}, "the United Kingdom is GB")]
    node.data[key] = "UK"
    return [({node.at(key)}, "the United Kingdom is GB")]


def unknown_reference(document: JSON, draw: st.DataObject) -> Expected:
    referring = [(node, term) for node in nodes(document) for term in vocabulary.references(node.cls)]
    node, term = draw.draw(st.sampled_from(referring))
    if not vocabulary.is_listed(node.cls, term.field):
        node.data[term.key] = UNKNOWN_ID
        return [({node.at(term.key)}, "in the document has this id")]
    ids = node.data.setdefault(term.key, [])
    index = draw.draw(st.integers(0, len(ids)))
    ids.insert(index, UNKNOWN_ID)
    return [({f"{node.at(term.key)}/{index}"}, "in the document has this id")]


def parent_cycle(document: JSON, draw: st.DataObject) -> Expected:
    organisations = _of(document, Organisation)
    if not organisations:
        data = {"@type": "Organization", "@id": _new_id(), "name": {"en": "Looped"}}
        organisations = [Node(_append_to_graph(document, data), data, Organisation)]
    first = draw.draw(st.sampled_from(organisations))
    second = draw.draw(st.sampled_from(organisations))  # the same one: its own parent
    key = _field_key(Organisation, "parent")
    first.data[key], second.data[key] = second.data["@id"], first.data["@id"]
    return [({first.at(key)}, "their own ancestors"), ({second.at(key)}, "their own ancestors")]


def same_position(document: JSON, draw: st.DataObject) -> Expected:
    lists = [
        (node, _field_key(node.cls, field))
        for node in _of(document, *_TIMED)
        for field in ("sessions", "recommendations")
        if field in attrs.fields_dict(node.cls) and len(node.data.get(_field_key(node.cls, field), ())) >= 2
    ]
    if lists and draw.draw(st.booleans()):
        node, key = draw.draw(st.sampled_from(lists))
    else:  # sessions added to make a list of two
        node = draw.draw(st.sampled_from(_of(document, *_TIMED)))
        key = _field_key(node.cls, "sessions")
        sessions = node.data.setdefault(key, [])
        while len(sessions) < 2:
            sessions.append({"@type": "EducationEvent", "@id": _new_id(), "name": {"en": "added"}})
    items = node.data[key]
    first = draw.draw(st.integers(0, len(items) - 2))
    second = draw.draw(st.integers(first + 1, len(items) - 1))
    position = _field_key(Session, "position")
    items[first][position] = items[second][position] = 10**6
    return [({f"{node.at(key)}/{second}/{position}"}, "has this position too")]


def end_before_start(document: JSON, draw: st.DataObject) -> Expected:
    node = draw.draw(st.sampled_from(_of(document, Event, Session, Campaign)))
    for start_key, end_key in ((START_DATE, END_DATE), (START_TIME, END_TIME)):
        start, end = node.data.get(start_key), node.data.get(end_key)
        if start is not None and end is not None and _moment(start) != _moment(end):
            node.data[start_key], node.data[end_key] = end, start  # the node's own times, swapped
            return [({node.at(end_key)}, "the end is before the start")]
    _untimed(node)
    if node.cls is Campaign or draw.draw(st.booleans()):
        node.data.update({START_DATE: "2500-06-02", END_DATE: "2500-06-01"})
        return [({node.at(END_DATE)}, "the end is before the start")]
    node.data.update({START_TIME: "2500-06-01T10:00:00+02:00", END_TIME: "2500-06-01T09:59:59.5+02:00"})
    return [({node.at(END_TIME)}, "the end is before the start")]


def mixed_kinds(document: JSON, draw: st.DataObject) -> Expected:
    node = draw.draw(st.sampled_from(_of(document, *_TIMED)))
    _untimed(node)
    if draw.draw(st.booleans()):
        node.data.update({START_DATE: "2500-06-01", END_TIME: "2500-06-02T10:00:00Z"})
        return [({node.at(END_TIME)}, "both date-times or both dates")]
    node.data.update({START_TIME: "2500-06-01T10:00:00Z", END_DATE: "2500-06-02"})
    return [({node.at(END_DATE)}, "both date-times or both dates")]


def _with_a_date_time(node: Node) -> tuple[str, str]:
    """The key and text of the node's first date-time, given one when it has none."""
    for key in (START_TIME, END_TIME):
        if key in node.data:
            return key, node.data[key]
    _untimed(node)
    node.data[START_TIME] = "2500-06-01T10:00:00+05:00"
    return START_TIME, node.data[START_TIME]


def unknown_zone(document: JSON, draw: st.DataObject) -> Expected:
    node = draw.draw(st.sampled_from(_of(document, *_TIMED)))
    _with_a_date_time(node)
    node.data[TIME_ZONE] = "Europe/Atlantis"
    return [({node.at(TIME_ZONE)}, "not an IANA time zone name")]


def offset_off_its_zone(document: JSON, draw: st.DataObject) -> Expected:
    node = draw.draw(st.sampled_from(_of(document, *_TIMED)))
    key, text = _with_a_date_time(node)
    moment = datetime.fromisoformat(text)
    elsewhere = [name for name in ZONES if moment.astimezone(zones.zone(name)).utcoffset() != moment.utcoffset()]
    node.data[TIME_ZONE] = draw.draw(st.sampled_from(elsewhere))
    return [({node.at(key)}, "is not at this UTC offset at this time")]


#: The four ways a part can be outside what it belongs to: the bound of the whole it is timed from,
#: and its own start and end, in days from that bound (None: it has none).
_OUTSIDE = {
    "starts before": ("start", -1, None),
    "starts after": ("end", 1, None),
    "ends after": ("end", 0, 1),
    "ends before": ("start", None, -1),
}


def _outside(part: Node, whole: JSON, what: str, draw: st.DataObject) -> Expected:
    """``part`` timed just outside ``whole``, in one of the four ways it can be."""
    way = draw.draw(st.sampled_from(sorted(_OUTSIDE)))
    bound, start_days, end_days = _OUTSIDE[way]
    date_key, time_key = BOUNDS[bound]
    day = _day(whole.get(time_key) or whole[date_key])
    _untimed(part)
    if start_days is not None:
        part.data[START_DATE] = (day + timedelta(days=start_days)).isoformat()
    if end_days is not None:
        part.data[END_DATE] = (day + timedelta(days=end_days)).isoformat()
    key = START_DATE if way.startswith("starts") else END_DATE
    return [({part.at(key)}, f"the {what} {way} what it belongs to")]


def _timed_whole(data: JSON) -> JSON:
    """``data``, with a start and an end (dates of its own when it lacks either)."""
    if not all(set(keys) & data.keys() for keys in BOUNDS.values()):
        for key in TIMING:
            data.pop(key, None)
        data.update({START_DATE: "2500-01-10", END_DATE: "2500-01-20"})
    return data


def session_outside_its_parent(document: JSON, draw: st.DataObject) -> Expected:
    sessions = _of(document, Session)
    if sessions:
        session = draw.draw(st.sampled_from(sessions))
    else:
        event = draw.draw(st.sampled_from(_of(document, Event)))
        key = _field_key(Event, "sessions")
        listed = event.data.setdefault(key, [])
        listed.append({"@type": "EducationEvent", "@id": _new_id(), "name": {"en": "added"}})
        session = Node(f"{event.at(key)}/{len(listed) - 1}", listed[-1], Session, event)
    assert session.parent is not None
    return _outside(session, _timed_whole(session.parent.data), "session", draw)


def event_outside_its_campaign(document: JSON, draw: st.DataObject) -> Expected:
    event = draw.draw(st.sampled_from(_of(document, Event)))
    dated = [node for node in _of(document, Campaign) if {START_DATE, END_DATE} <= node.data.keys()]
    if dated and draw.draw(st.booleans()):
        campaign = draw.draw(st.sampled_from(dated)).data
    else:
        campaign = _timed_whole({"@type": "EventSeries", "@id": _new_id(), "name": {"en": "Days"}})
        _append_to_graph(document, campaign)
    event.data[_field_key(Event, "campaign")] = campaign["@id"]
    return _outside(event, campaign, "event", draw)


def nested_too_deep(document: JSON, draw: st.DataObject) -> Expected:
    below = draw.draw(st.sampled_from(_of(document, *_TIMED)))
    key = _field_key(Session, "sessions")
    chain: JSON = {"@type": "EducationEvent", "@id": _new_id(), "name": {"en": "deepest"}}
    for _ in range(MAX_SESSION_DEPTH - below.depth):
        chain = {"@type": "EducationEvent", "@id": _new_id(), "name": {"en": "deep"}, key: [chain]}
    listed = below.data.setdefault(key, [])
    listed.append(chain)
    # the session as deep as sessions nest: its list of sessions is one level too many
    levels = MAX_SESSION_DEPTH - below.depth - 1
    pointer = f"{below.at(key)}/{len(listed) - 1}" + f"/{key}/0" * levels + f"/{key}"
    return [({pointer}, f"sessions nest at most {MAX_SESSION_DEPTH} deep")]


def date_time_without_offset(document: JSON, draw: st.DataObject) -> Expected:
    keys = [START_TIME, END_TIME, _field_key(Session, "modified")]
    found = [(node, key) for node in _of(document, *_TIMED) for key in keys if key in node.data]
    if found and draw.draw(st.booleans()):
        node, key = draw.draw(st.sampled_from(found))
    else:
        node, key = draw.draw(st.sampled_from(_of(document, *_TIMED))), _field_key(Event, "modified")
        node.data[key] = "2500-06-01T10:00:00+02:00"
    node.data[key] = re.sub(r"(Z|[+-][0-9]{2}:[0-9]{2})$", "", node.data[key])
    return [({node.at(key)}, "with a UTC offset")]


def date_with_a_time(document: JSON, draw: st.DataObject) -> Expected:
    node = draw.draw(st.sampled_from(_of(document, Event, Session, Campaign)))
    key = draw.draw(st.sampled_from([START_DATE, END_DATE]))
    node.data[key] = node.data.get(key, "2500-06-01") + "T10:00:00+01:00"
    return [({node.at(key)}, "a date alone")]


_ESCAPED = "en/GB~1"  # a language key that needs both of RFC 6901's escapes


def key_with_slash_and_tilde(document: JSON, draw: st.DataObject) -> Expected:
    node = draw.draw(st.sampled_from(_of(document, Event)))
    name = _field_key(Event, "name")
    node.data[name][_ESCAPED] = 5
    return [({f"{node.at(name)}/en~1GB~01"}, "expected a value that satisfies type")]


SCHEMA, IDS, MEANING = "schema", "ids", "meaning"
BREAKAGES: dict[str, tuple[str, Breakage]] = {
    "duplicate id": (MEANING, duplicate_id),
    "shared blank node id": (IDS, shared_blank_id),
    "same minted id": (IDS, same_minted_id),
    "language of a text": (MEANING, language_of_a_text),
    "language tag": (MEANING, language_tag),
    "country": (MEANING, country),
    "unknown reference": (MEANING, unknown_reference),
    "cycle of parent organisations": (MEANING, parent_cycle),
    "same position": (MEANING, same_position),
    "end before start": (MEANING, end_before_start),
    "a date and a date-time": (MEANING, mixed_kinds),
    "unknown time zone": (MEANING, unknown_zone),
    "offset off its zone": (MEANING, offset_off_its_zone),
    "session outside its parent": (MEANING, session_outside_its_parent),
    "event outside its campaign": (MEANING, event_outside_its_campaign),
    "nested too deep": (SCHEMA, nested_too_deep),
    "date-time without offset": (SCHEMA, date_time_without_offset),
    "date with a time": (SCHEMA, date_with_a_time),
    "key with / and ~": (SCHEMA, key_with_slash_and_tilde),
}


# -- the property ----------------------------------------------------------------------------------


def _keeps_the_schemas(document: JSON, layer: str) -> bool:
    """Whether a document broken in a way of ``layer`` passes the layers before it, as it must."""
    if layer == SCHEMA:
        return True
    # cheap on a document the schemas accept: the compiled validator alone answers
    passes = not validation.schema_problems(document)
    return passes and (layer == IDS or not identity.assign_ids(copy.deepcopy(document)))


def _at_fault(problem: Problem, found: Any) -> bool:
    """Whether ``found``, where a problem of meaning points, is the value it is about: the value
    itself, the same moment (an ISO text as the model writes it), or a text's language (the key)."""
    if problem.value == found:
        return True
    last = problem.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    if isinstance(found, str) and problem.pointer.rsplit("/", 2)[-2] in _TEXT_KEYS and problem.value == last:
        return True
    if isinstance(found, str) and isinstance(problem.value, str):
        try:
            mine, theirs = _moment(found), _moment(problem.value)
        except ValueError:
            return False
        if type(mine) is not type(theirs) or mine != theirs:
            return False
        return not isinstance(mine, datetime) or mine.utcoffset() == theirs.utcoffset()  # the offset written, too
    return False


_TEXT_KEYS = {term.key for cls, terms in vocabulary.TERMS.items() for term in terms if Text in _held(cls, term.field)}


@settings(max_examples=20, deadline=None)
@given(catalogue=catalogues(), data=st.data())
def test_each_problem_points_where_the_document_is_broken(catalogue, data):
    # generating a catalogue costs far more than checking one: each is broken in every way in turn
    valid = orjson.loads(mastery_model.dumps(catalogue))
    valid["@graph"] = data.draw(st.permutations(valid["@graph"]), label="graph order")
    for breakage, (layer, breaks) in BREAKAGES.items():
        document = copy.deepcopy(valid)
        expected = breaks(document, data)
        _check(breakage, layer, document, expected)


def _check(breakage: str, layer: str, document: JSON, expected: Expected) -> None:
    assert _keeps_the_schemas(document, layer), breakage
    with pytest.raises(InvalidDocument) as raised:
        mastery_model.loads(orjson.dumps(document))
    problems = raised.value.report.problems
    assert problems, breakage
    for problem in problems:
        try:
            found = resolved(document, problem.pointer)
        except LookupError as error:
            pytest.fail(f"{breakage}: {error}, in the report of {problem}")
        if layer == MEANING:
            assert _at_fault(problem, found), (breakage, str(problem), found)
    for pointers, words in expected:
        assert any(problem.pointer in pointers and words in problem.message for problem in problems), (
            breakage,
            sorted(pointers),
            words,
            str(raised.value.report),
        )
