"""The one cattrs converter: canonical JSON-LD documents to the model and back.

Structuring expects a document the schemas accept and whose ids are minted
(:mod:`mastery_model.identity`); it does not check again what they checked.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from types import UnionType
from typing import Any, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from mastery_model import model, validation, vocabulary
from mastery_model.model import (
    Address,
    Attendance,
    AttendanceMode,
    Audience,
    Campaign,
    Catalogue,
    Contribution,
    Document,
    Event,
    ExternalId,
    Location,
    Moment,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    Qualifier,
    Recommendation,
    Role,
    Session,
    SessionKind,
    Status,
    Text,
    VirtualLocation,
)
from mastery_model.problems import InvalidDocument, Report
from mastery_model.schemas import CONTEXT_IRI

JSONObject = dict[str, Any]

ORGANISATION_TYPES: dict[OrganisationKind, str] = {
    OrganisationKind.ORGANISATION: "Organization",
    OrganisationKind.GOVERNMENT: "GovernmentOrganization",
    OrganisationKind.EDUCATIONAL: "EducationalOrganization",
    OrganisationKind.RESEARCH: "ResearchOrganization",
    OrganisationKind.NGO: "NGO",
    OrganisationKind.PROJECT: "Project",
    OrganisationKind.CONSORTIUM: "Consortium",
    OrganisationKind.CORPORATION: "Corporation",
}
ORGANISATION_KINDS = {name: kind for kind, name in ORGANISATION_TYPES.items()}

#: The JSON-LD ``@type`` each class is written with (organisations: by their kind).
NODE_TYPES: dict[type, str] = {
    Event: "EducationEvent",
    Session: "EducationEvent",
    Person: "Person",
    Campaign: "EventSeries",
    Document: "PresentationDigitalDocument",
    Recommendation: "Recommendation",
    VirtualLocation: "VirtualLocation",
    Place: "Place",
}

#: Fields written by hand: a start or an end is a date (``startDate``) or a date-time
#: (``startTime``), and ``timeZone`` goes with them.
TIMING_FIELDS = ("start", "end", "time_zone")
TIMED = (Event, Session)


# -- dates and times ---------------------------------------------------------------------------


def parse_date_time(text: str) -> datetime:
    """A date-time the schemas accept (RFC 3339 with an offset), with its offset kept."""
    return datetime.fromisoformat(text)


def parse_date(text: str) -> date:
    return date.fromisoformat(text)


def format_date_time(moment: datetime) -> str:
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _timing_from(data: Mapping[str, Any]) -> tuple[Moment | None, Moment | None, str | None]:
    start: Moment | None = None
    end: Moment | None = None
    if "startTime" in data:
        start = parse_date_time(data["startTime"])
    elif "startDate" in data:
        start = parse_date(data["startDate"])
    if "endTime" in data:
        end = parse_date_time(data["endTime"])
    elif "endDate" in data:
        end = parse_date(data["endDate"])
    return start, end, data.get("timeZone")


def _timing_keys(start: Moment | None, end: Moment | None, time_zone: str | None) -> JSONObject:
    keys: JSONObject = {}
    for field, moment in (("start", start), ("end", end)):
        if isinstance(moment, datetime):
            keys[vocabulary.moment_key(Session, field, moment)] = format_date_time(moment)
        elif moment is not None:
            keys[vocabulary.key(Session, field)] = moment.isoformat()
    if time_zone is not None:
        keys[vocabulary.key(Session, "time_zone")] = time_zone
    return keys


# -- the converter -----------------------------------------------------------------------------
#
# Documents reach the converter only after the schemas accepted them, so the hooks trust the
# shapes: no ``null`` ever stands for an optional value, lists hold what the schema says.


def _structure_text(data: Mapping[str, str], _: type) -> Text:
    # The schemas guarantee what Text's own check would (at least one language, each once), and
    # texts are the most numerous objects of a document: build them without checking again.
    text = object.__new__(Text)
    object.__setattr__(text, "translations", tuple(data.items()))
    return text


def _unstructure_text(text: Text) -> dict[str, str]:
    return dict(text.translations)


def _structure_location(data: Mapping[str, Any], _: type) -> Location:
    if data["@type"] == "VirtualLocation":
        return converter.structure(data, VirtualLocation)
    return converter.structure(data, Place)


def _optional_hook(made: cattrs.Converter) -> Callable[[Any], Any]:
    """``X | None`` structures as ``X``: documents leave optional values out, never null."""

    def factory(union: Any) -> Any:
        (inner,) = [member for member in get_args(union) if member is not type(None)]
        if inner is str:
            return _passed_through
        if inner is int:  # JSON may write a whole number as 1.0
            return lambda value, _: int(value)
        hook = made.get_structure_hook(inner)
        return lambda value, _: hook(value, inner)

    return factory


def _is_optional(union: Any) -> bool:
    args = get_args(union)
    return get_origin(union) in (Union, UnionType) and len(args) == 2 and type(None) in args


def _tuple_hook(made: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(tuple_type: Any) -> Any:
        item = get_args(tuple_type)[0]
        if item is str:
            return lambda items, _: tuple(items)
        hook = made.get_structure_hook(item)
        return lambda items, _: tuple([hook(value, item) for value in items])

    return factory


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def _unstructured_tuple(made: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(tuple_type: Any) -> Any:
        item = get_args(tuple_type)[0]
        if item is str:
            return list
        hook = made.get_unstructure_hook(item)
        return lambda items: [hook(value) for value in items]

    return factory


def _unstructured_optional(made: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(union: Any) -> Any:
        (inner,) = [member for member in get_args(union) if member is not type(None)]
        if inner in (str, int):
            return _same
        hook = made.get_unstructure_hook(inner)
        return lambda value: None if value is None else hook(value)

    return factory


def _same(value: Any) -> Any:
    return value


def _enum_value(member: enum.Enum) -> Any:
    return member._value_  # the plain attribute: ``.value`` is a property, ten times slower


def _enum_hook(cls: type[enum.Enum]) -> Callable[[str, Any], Any]:
    members = {member.value: member for member in cls}
    return lambda value, _: members[value]


def _structured_timed(generated: Callable[..., Any]) -> Callable[..., Any]:
    def structure(data: dict[str, Any], cls: type) -> Any:
        if "startDate" in data or "startTime" in data or "endDate" in data or "endTime" in data:
            # written into the node, which is the reader's (see structure_document): cheaper than a copy
            data[" start"], data[" end"], data[" time_zone"] = _timing_from(data)
        return generated(data, cls)

    return structure


def _unstructured_node(cls: type, generated: Callable[[Any], JSONObject]) -> Callable[[Any], JSONObject]:
    """``@type`` first; for events and sessions, the timing after the name and description."""
    timed = cls in TIMED
    type_name = NODE_TYPES.get(cls)

    def unstructure(node: Any) -> JSONObject:
        body = generated(node)
        name = ORGANISATION_TYPES[node.kind] if type_name is None else type_name
        if not timed or (node.start is None and node.end is None):
            return {"@type": name, **body}
        out: JSONObject = {"@type": name}
        timing = _timing_keys(node.start, node.end, node.time_zone)
        for key, value in body.items():
            out[key] = value
            if key == "description" or (key == "name" and "description" not in body):
                out.update(timing)
        return out

    return unstructure


def _passed_through(value: Any, _: Any) -> Any:
    return value


def make_converter() -> cattrs.Converter:
    """The converter between canonical documents (JSON-ready dicts) and the model."""
    made = cattrs.Converter(detailed_validation=False)
    made.register_structure_hook_factory(_is_optional, _optional_hook(made))
    made.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook(made))
    made.register_unstructure_hook_factory(_is_optional, _unstructured_optional(made))
    made.register_unstructure_hook_factory(_is_homogeneous_tuple, _unstructured_tuple(made))
    made.register_structure_hook(Text, _structure_text)
    made.register_unstructure_hook(Text, _unstructure_text)
    made.register_structure_hook(date, lambda text, _: parse_date(text))
    made.register_unstructure_hook(date, date.isoformat)
    made.register_structure_hook(datetime, lambda text, _: parse_date_time(text))
    made.register_unstructure_hook(datetime, format_date_time)
    made.register_structure_hook(Location, _structure_location)
    for enumeration in (AttendanceMode, Status, SessionKind, Role, Qualifier, Audience):
        made.register_structure_hook(enumeration, _enum_hook(enumeration))
        made.register_unstructure_hook(enumeration, _enum_value)
    for cls in (
        ExternalId,
        Attendance,
        VirtualLocation,
        Address,
        Place,
        Person,
        Organisation,
        Campaign,
        Contribution,
        Document,
        Recommendation,
        Session,
        Event,
    ):
        attrs.resolve_types(cls, vars(model))
        keys = vocabulary.renamed(cls)
        timed = cls in TIMED
        unstructure_overrides: dict[str, Any] = {
            field.name: override(
                rename=keys.get(field.name),
                omit=(timed and field.name in TIMING_FIELDS) or (cls is Organisation and field.name == "kind"),
            )
            for field in attrs.fields(cls)
        }
        if cls is Attendance:  # "exactly" is meant, so it is said: RDF has no defaults
            unstructure_overrides["qualifier"] = override(omit_if_default=False)
        structure_overrides = dict(unstructure_overrides)
        if timed:  # the structure hook puts the parsed timing under keys no document can have
            for name in TIMING_FIELDS:
                structure_overrides[name] = override(rename=f" {name}", struct_hook=_passed_through)
        if cls is Organisation:  # the kind is the node's @type
            structure_overrides["kind"] = override(rename="@type", struct_hook=lambda name, _: ORGANISATION_KINDS[name])
        structure = make_dict_structure_fn(cls, made, **structure_overrides)
        unstructure = make_dict_unstructure_fn(cls, made, _cattrs_omit_if_default=True, **unstructure_overrides)
        made.register_structure_hook(cls, _structured_timed(structure) if timed else structure)
        if cls in NODE_TYPES or cls is Organisation:
            unstructure = _unstructured_node(cls, unstructure)
        made.register_unstructure_hook(cls, unstructure)
    return made


converter = make_converter()


# -- whole documents ---------------------------------------------------------------------------

#: For each kind of top-level entity, the JSON pointer of each one, in model order.
Layout = dict[str, list[str]]

GRAPH_KINDS = ("events", "campaigns", "organisations", "people")


def _kind_of(type_name: str) -> str:
    if type_name == "EducationEvent":
        return "events"
    if type_name == "Person":
        return "people"
    if type_name == "EventSeries":
        return "campaigns"
    return "organisations"


_CLASSES = {"events": Event, "campaigns": Campaign, "organisations": Organisation, "people": Person}


def structure_document(document: Mapping[str, Any]) -> tuple[Catalogue, Layout]:
    """The catalogue a canonical document holds, and where each top-level entity stands in it.

    The document is the reader's: the parsed times of events and sessions are written into their
    nodes, under keys no document can have.
    """
    found: dict[str, list[Any]] = {kind: [] for kind in GRAPH_KINDS}
    layout: Layout = {kind: [] for kind in GRAPH_KINDS}
    for index, node in enumerate(document["@graph"]):
        kind = _kind_of(node["@type"])
        found[kind].append(converter.structure(node, _CLASSES[kind]))
        layout[kind].append(f"/@graph/{index}")
    catalogue = Catalogue(
        events=tuple(found["events"]),
        people=tuple(found["people"]),
        organisations=tuple(found["organisations"]),
        campaigns=tuple(found["campaigns"]),
    )
    return catalogue, layout


def unstructure_document(catalogue: Catalogue) -> JSONObject:
    """The canonical document of a catalogue: events, then campaigns, organisations, people."""
    return {"@context": CONTEXT_IRI, "@graph": list(unstructure_nodes(catalogue))}


def unstructure_nodes(catalogue: Catalogue) -> Iterator[JSONObject]:
    """The nodes of the canonical document's ``@graph``, one at a time, in its order.

    Sessions nested deeper than a document may hold them raise :class:`InvalidDocument`: no
    reader would take the document back, and the conversion is recursive.
    """
    too_deep = validation.model_depth_problems(catalogue)
    if too_deep:
        raise InvalidDocument(Report(tuple(too_deep)))
    for kind in GRAPH_KINDS:
        for node in getattr(catalogue, kind):
            yield converter.unstructure(node)


def canonical_layout(catalogue: Catalogue) -> Layout:
    """Where :func:`unstructure_document` puts each top-level entity."""
    layout: Layout = {}
    index = 0
    for kind in GRAPH_KINDS:
        count = len(getattr(catalogue, kind))
        layout[kind] = [f"/@graph/{i}" for i in range(index, index + count)]
        index += count
    return layout
