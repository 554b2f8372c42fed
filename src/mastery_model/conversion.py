"""The one cattrs converter: canonical JSON-LD documents to the model and back.

Structuring expects a document the schemas accept and whose ids are minted
(:mod:`mastery_model.identity`); it does not check again what they checked.
"""

from __future__ import annotations

import enum
import linecache
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, get_args

import attrs
import cattrs

from mastery_model import validation, vocabulary
from mastery_model.model import (
    Address,
    Attendance,
    AttendanceMode,
    Audience,
    Campaign,
    Catalogue,
    Contribution,
    CredentialOffer,
    Document,
    Event,
    ExternalId,
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


def format_date_time(moment: datetime) -> str:
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# -- the converter ---------------------------------------------------------------------------
#
# Documents reach the converter only after the schemas accepted them, so reading trusts the
# shapes: no ``null`` ever stands for an optional value, lists hold what the schema says.


#: Sets a text's one slot directly: Text is frozen, and its ``__init__`` converts and checks.
_set_translations = Text.__dict__["translations"].__set__


def _text_of(data: Mapping[str, str]) -> Text:
    # The schemas guarantee what Text's own check would (at least one language, each once), and
    # texts are the most numerous objects of a document: build them without checking again.
    text = object.__new__(Text)
    _set_translations(text, tuple(data.items()))
    return text


def _unstructure_text(text: Text) -> dict[str, str]:
    return dict(text.translations)


def _enum_value(member: enum.Enum) -> Any:
    return member._value_  # the plain attribute: ``.value`` is a property, ten times slower


# -- writing nodes -----------------------------------------------------------------------------
#
# Each class's nodes are built by a function generated once from the vocabulary (keys, order) and
# the model (types, defaults), written as one would write it by hand: a dict literal, then each
# optional field tested and converted inline. cattrs' generated functions, with a hook call per
# value and the timing moved into place after, took twice as long as such a builder.

#: Fields written even when they hold their default: "exactly" is meant, so it is said (RDF has no defaults).
_WRITTEN_WHEN_DEFAULT = frozenset({(Attendance, "qualifier")})
#: Fields the node's ``@type`` carries instead of a key of their own.
_AS_TYPE = frozenset({(Organisation, "kind")})
#: The classes written as nodes (or as the objects nodes hold), each written by ``write_<name>``.
_WRITTEN = (
    ExternalId,
    Attendance,
    VirtualLocation,
    Address,
    Place,
    Person,
    Organisation,
    Campaign,
    Contribution,
    CredentialOffer,
    Document,
    Recommendation,
    Session,
    Event,
)


def _value_code(hint: Any, value: str, names: dict[str, Any], depth: int) -> str:
    """The expression that writes one ``value`` of type ``hint`` as JSON; ``names`` gains what it
    uses. An object whose node is a dict literal alone is written in place: a call per object
    would cost more than building it."""
    if hint in (str, int, float):
        return value
    if hint is Text:
        return f"dict({value}.translations)"
    if hint is datetime:
        names["format_date_time"] = format_date_time
        return f"format_date_time({value})"
    if hint is date:
        return f"{value}.isoformat()"
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return f"{value}._value_"  # the plain attribute: ``.value`` is a property, ten times slower
    if hint in _WRITTEN:
        if _all_written(hint):
            return "{" + ", ".join(_node_code(hint, value, names, depth)[0]) + "}"
        return f"write_{hint.__name__}({value})"
    kinds = get_args(hint)
    if kinds and all(kind in _WRITTEN for kind in kinds):  # a union of classes: by the value's class
        names["writer_of"] = NODE_WRITERS
        return f"writer_of[type({value})]({value})"
    raise TypeError(f"no way to write a {hint!r}")


def _field_code(cls: type, field: str, value: str, names: dict[str, Any], depth: int) -> str:
    """The expression that writes ``value``, the value of ``field``."""
    hint = vocabulary.value_type(cls, field)
    if not vocabulary.is_listed(cls, field):
        return _value_code(hint, value, names, depth)
    if hint is str:
        return f"list({value})"
    item = f"x{depth}"
    return f"[{_value_code(hint, item, names, depth + 1)} for {item} in {value}]"


def _date_time_code(target: str, value: str, indent: str) -> list[str]:
    """Statements that set ``target`` to :func:`format_date_time` of ``value``, inlined: a call for
    each start and end is a tenth of the time of a session."""
    return [f"{indent}t = {value}.isoformat()", f"{indent}{target} = t[:-6] + 'Z' if t.endswith('+00:00') else t"]


def _timing_code(cls: type) -> list[str]:
    """A start or an end written as a date (``startDate``) or a date and time (``startTime``), the
    time zone with them; none of them without a start or an end."""
    terms = vocabulary.terms(cls)
    code = ["start = o.start", "end = o.end", "if start is not None or end is not None:"]
    for field in ("start", "end"):
        code += [
            f"    if {field} is not None:",
            f"        if isinstance({field}, datetime):",
            *_date_time_code(f"out[{terms[field].time_key!r}]", field, "            "),
            "        else:",
            f"            out[{terms[field].key!r}] = {field}.isoformat()",
        ]
    return [*code, "    v = o.time_zone", "    if v is not None:", f"        out[{terms['time_zone'].key!r}] = v"]


def _all_written(cls: type) -> bool:
    """Whether every field of ``cls`` is always written: its node is then a dict literal alone."""
    return cls not in TIMED and all(
        field.default is attrs.NOTHING or (cls, field.name) in _WRITTEN_WHEN_DEFAULT or (cls, field.name) in _AS_TYPE
        for field in attrs.fields(cls)
    )


def _node_code(
    cls: type, obj: str, names: dict[str, Any], depth: int = 0, target: str = "out"
) -> tuple[list[str], list[str]]:
    """How the node of the object ``obj`` of ``cls`` is written: the entries of its dict literal
    (``@type``, then the fields always written up to the first that may be left out), and the
    statements that add the others to it, ``target``, from ``obj``. A field is left out when it
    holds its default (except those of :data:`_WRITTEN_WHEN_DEFAULT`)."""
    type_name = NODE_TYPES.get(cls)
    entries = [] if type_name is None else [f"'@type': {type_name!r}"]
    if cls is Organisation:
        names["ORGANISATION_TYPES"] = ORGANISATION_TYPES
        entries.append(f"'@type': ORGANISATION_TYPES[{obj}.kind]")
    defaults = {field.name: field.default for field in attrs.fields(cls)}
    body: list[str] = []
    for term in vocabulary.TERMS[cls]:
        field = term.field
        if (cls, field) in _AS_TYPE or (cls in TIMED and field in TIMING_FIELDS):
            continue
        default = defaults[field]
        if default is attrs.NOTHING or (cls, field) in _WRITTEN_WHEN_DEFAULT:
            if body:
                body.append(f"{target}[{term.key!r}] = {_field_code(cls, field, f'{obj}.{field}', names, depth)}")
            else:
                entries.append(f"{term.key!r}: {_field_code(cls, field, f'{obj}.{field}', names, depth)}")
        else:
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs types Factory as a function
                raise TypeError(f"{cls.__name__}.{field}: a default made by a factory is not written")
            if default is None:
                test = "v is not None"
            elif default == ():
                test = "v"
            else:
                names[f"default_{field}"] = default
                test = f"v != default_{field}"
            body += [f"v = {obj}.{field}", f"if {test}:"]
            hint = vocabulary.value_type(cls, field)
            if hint is datetime and not vocabulary.is_listed(cls, field):
                body += _date_time_code(f"{target}[{term.key!r}]", "v", "    ")
            elif vocabulary.is_listed(cls, field) and _inlined_in_loop(hint):
                body += [f"    {line}" for line in _loop_code(hint, f"{target}[{term.key!r}]", names, depth)]
            else:
                body.append(f"    {target}[{term.key!r}] = {_field_code(cls, field, 'v', names, depth)}")
        if cls in TIMED and field == "description":  # the timing follows the name and description
            names["datetime"] = datetime
            body += _timing_code(cls)
    return entries, body


def _inlined_in_loop(item: Any) -> bool:
    """Whether a list of ``item`` objects is written by a loop in its holder's writer, not a call
    per object: objects with optional fields that hold no list of such objects themselves (the
    calls for a session's recommendations and documents cost 3% of writing it)."""
    return (
        item in _WRITTEN
        and item not in TIMED
        and not _all_written(item)
        and not any(
            vocabulary.is_listed(item, field.name) and vocabulary.value_type(item, field.name) in _WRITTEN
            for field in attrs.fields(item)
        )
    )


def _loop_code(item: type, target: str, names: dict[str, Any], depth: int) -> list[str]:
    """Statements that set ``target`` to the nodes of the objects of ``v``, each written in place."""
    each, node, nodes = f"x{depth}", f"node{depth}", f"nodes{depth}"
    entries, body = _node_code(item, each, names, depth + 1, node)
    return [
        f"{nodes} = []",
        f"for {each} in v:",
        f"    {node} = {{{', '.join(entries)}}}",
        *(f"    {line}" for line in body),
        f"    {nodes}.append({node})",
        f"{target} = {nodes}",
    ]


def _writer_source(cls: type, names: dict[str, Any]) -> str:
    """The source of ``write_<name>``, which writes an object of ``cls`` as its node."""
    entries, body = _node_code(cls, "o", names)
    literal = "{" + ", ".join(entries) + "}"
    lines = [f"return {literal}"] if not body else [f"out = {literal}", *body, "return out"]
    return f"def write_{cls.__name__}(o):\n" + "".join(f"    {line}\n" for line in lines)


#: The function that writes an object of each model class as its node (or the object a node holds).
NODE_WRITERS: dict[type, Callable[[Any], JSONObject]] = {}


def _make_node_writers() -> None:
    names: dict[str, Any] = {}  # the generated functions' globals: each calls the others by name
    for cls in _WRITTEN:
        NODE_WRITERS[cls] = _defined(_writer_source(cls, names), f"<node writer {cls.__name__}>", names)


def _defined(source: str, filename: str, names: dict[str, Any]) -> Callable[..., Any]:
    """The function ``source`` defines, compiled with ``names`` as its globals; its source is kept
    where tracebacks and profilers look for it."""
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    defined = set(names)
    exec(compile(source, filename, "exec"), names)  # the source is generated here, from the vocabulary
    (name,) = set(names) - defined - {"__builtins__"}
    function: Callable[..., Any] = names[name]
    return function


_make_node_writers()


# -- reading nodes -----------------------------------------------------------------------------
#
# The same for reading: each class's objects are built from their nodes by a function generated
# once, which calls the class with each field's value converted inline. cattrs' generated
# functions, with a hook call per value, a lambda per list and the timing parsed in a wrapper,
# took half as long again.


def _read_value_code(hint: Any, value: str, names: dict[str, Any]) -> str:
    """The expression that reads one ``value`` of type ``hint`` from JSON; ``names`` gains what it uses."""
    if hint is str:
        return value
    if hint is int:
        return f"int({value})"  # JSON may write a whole number as 1.0
    if hint is float:
        return f"float({value})"  # JSON may write it as a whole number: 5 for 5.0
    if hint is Text:
        names["text_of"] = _text_of
        return f"text_of({value})"
    if hint is datetime:
        names["date_time_of"] = datetime.fromisoformat  # RFC 3339 with an offset, the offset kept
        return f"date_time_of({value})"
    if hint is date:
        names["date_of"] = date.fromisoformat
        return f"date_of({value})"
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        names[f"members_{hint.__name__}"] = {member._value_: member for member in hint}
        return f"members_{hint.__name__}[{value}]"
    if hint in _WRITTEN:
        return f"read_{hint.__name__}({value})"
    kinds = get_args(hint)
    if kinds and all(kind in _WRITTEN for kind in kinds):  # a union of classes: by the node's @type
        names.setdefault("union_members", set()).update(kinds)
        return f"read_by_type[{value}['@type']]({value})"
    raise TypeError(f"no way to read a {hint!r}")


def _read_field_code(cls: type, field: str, value: str, names: dict[str, Any]) -> str:
    hint = vocabulary.value_type(cls, field)
    if not vocabulary.is_listed(cls, field):
        return _read_value_code(hint, value, names)
    if hint is str:
        return f"tuple({value})"
    item = "x"
    return f"tuple([{_read_value_code(hint, item, names)} for {item} in {value}])"


def _reader_source(cls: type, names: dict[str, Any]) -> str:
    """The source of ``read_<name>``, which builds an object of ``cls`` from its node ``d``."""
    terms = vocabulary.terms(cls)
    body: list[str] = []
    arguments: list[str] = []
    for attribute in attrs.fields(cls):
        field, default = attribute.name, attribute.default
        term = terms[field]
        if cls is Organisation and field == "kind":  # the node's @type
            names["ORGANISATION_KINDS"] = ORGANISATION_KINDS
            arguments.append("ORGANISATION_KINDS[d['@type']]")
            continue
        if default is None or default == ():  # (no default is made by a factory: see _node_code)
            absent = repr(default)
        else:
            absent = f"default_{cls.__name__}_{field}"
            names[absent] = default
        if cls in TIMED and field in ("start", "end"):  # a date and time, or a date alone
            names["date_time_of"], names["date_of"] = datetime.fromisoformat, date.fromisoformat
            body += [
                f"v = d.get({term.time_key!r})",
                f"if v is not None: {field} = date_time_of(v)",
                "else:",
                f"    v = d.get({term.key!r})",
                f"    {field} = {absent} if v is None else date_of(v)",
            ]
            arguments.append(field)
        elif default is attrs.NOTHING:
            arguments.append(_read_field_code(cls, field, f"d[{term.key!r}]", names))
        elif (read := _read_field_code(cls, field, "v", names)) == "v":  # taken as it is
            arguments.append(f"d.get({term.key!r})" if absent == "None" else f"d.get({term.key!r}, {absent})")
        else:
            body += [f"v = d.get({term.key!r})", f"{field} = {absent} if v is None else {read}"]
            arguments.append(field)
    names[cls.__name__] = cls
    # the fields in their order, given by position: a call by keyword costs a third more
    lines = [*body, f"return {cls.__name__}({', '.join(arguments)})"]
    return f"def read_{cls.__name__}(d):\n" + "".join(f"    {line}\n" for line in lines)


#: The function that builds an object of each model class from its node (or the object a node holds).
NODE_READERS: dict[type, Callable[[Mapping[str, Any]], Any]] = {}


def _make_node_readers() -> None:
    names: dict[str, Any] = {}  # the generated functions' globals: each calls the others by name
    for cls in _WRITTEN:
        NODE_READERS[cls] = _defined(_reader_source(cls, names), f"<node reader {cls.__name__}>", names)
    names["read_by_type"] = {NODE_TYPES[cls]: NODE_READERS[cls] for cls in names["union_members"]}


_make_node_readers()


def make_converter() -> cattrs.Converter:
    """The converter between canonical documents (JSON-ready dicts) and the model: each class is
    read and written by its generated function (:data:`NODE_READERS`, :data:`NODE_WRITERS`)."""
    made = cattrs.Converter(detailed_validation=False)
    made.register_structure_hook(Text, lambda data, _: _text_of(data))
    made.register_unstructure_hook(Text, _unstructure_text)
    made.register_unstructure_hook(date, date.isoformat)
    made.register_unstructure_hook(datetime, format_date_time)
    for enumeration in (AttendanceMode, Status, SessionKind, Role, Qualifier, Audience):
        made.register_unstructure_hook(enumeration, _enum_value)
    for cls in _WRITTEN:
        made.register_structure_hook(cls, lambda data, _, read=NODE_READERS[cls]: read(data))
        made.register_unstructure_hook(cls, NODE_WRITERS[cls])
    return made


converter = make_converter()


# -- whole documents ---------------------------------------------------------------------------

#: For each kind of top-level entity, the JSON pointer of each one, in model order.
Layout = dict[str, list[str]]

GRAPH_KINDS = ("events", "campaigns", "organisations", "people")


_CLASSES = {"events": Event, "campaigns": Campaign, "organisations": Organisation, "people": Person}
#: For each ``@type`` of a top-level node, the kind of entity it is and the reader of its node.
_READING = {
    **{NODE_TYPES[cls]: (kind, NODE_READERS[cls]) for kind, cls in _CLASSES.items() if cls in NODE_TYPES},
    **dict.fromkeys(ORGANISATION_KINDS, ("organisations", NODE_READERS[Organisation])),
}


def structure_document(document: Mapping[str, Any]) -> tuple[Catalogue, Layout]:
    """The catalogue a canonical document holds, and where each top-level entity stands in it."""
    found: dict[str, list[Any]] = {kind: [] for kind in GRAPH_KINDS}
    layout: Layout = {kind: [] for kind in GRAPH_KINDS}
    for index, node in enumerate(document["@graph"]):
        kind, read = _READING[node["@type"]]  # the schemas allow no other @type here
        found[kind].append(read(node))
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
    if catalogue not in validation.validated:  # a valid catalogue's sessions nest no deeper than allowed
        too_deep = validation.model_depth_problems(catalogue)
        if too_deep:
            raise InvalidDocument(Report(tuple(too_deep)))
    for kind in GRAPH_KINDS:
        write = NODE_WRITERS[_CLASSES[kind]]
        for node in getattr(catalogue, kind):
            yield write(node)


def canonical_layout(catalogue: Catalogue) -> Layout:
    """Where :func:`unstructure_document` puts each top-level entity."""
    layout: Layout = {}
    index = 0
    for kind in GRAPH_KINDS:
        count = len(getattr(catalogue, kind))
        layout[kind] = [f"/@graph/{i}" for i in range(index, index + count)]
        index += count
    return layout
