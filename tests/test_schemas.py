"""The shipped JSON Schemas: well-formed, closed, and right about the examples in tests/schemas/.

``tests/schemas/<entity>/valid/*.json`` must pass and ``tests/schemas/<entity>/invalid/*.json``
must fail the entity's schema (``catalogue``: the schema of whole documents), under both
python-jsonschema and jsonschema_rs, configured as the library configures them. Each invalid
example breaks one rule and is named after it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import jsonschema
import jsonschema_rs
import pytest
import referencing.exceptions

from mastery_model import schemas
from mastery_model.conversion import ORGANISATION_KINDS

EXAMPLES = Path(__file__).resolve().parent / "schemas"
SCHEMA_FILES = sorted(Path(str(schemas.schema_folder())).glob("*.schema.json"), key=lambda path: path.name)
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

#: The folder of examples -> the $id of the schema they are checked against.
ENTITY_SCHEMAS = {
    entity: f"{schemas.BASE}{entity}.schema.json"
    for entity in ("event", "session", "person", "organisation", "campaign", "document", "recommendation")
}
ENTITY_SCHEMAS["catalogue"] = schemas.DOCUMENT_SCHEMA_IRI

ENGINES = ("python-jsonschema", "jsonschema-rs")


# -- the examples ------------------------------------------------------------------------------


def example_files(entity: str, verdict: str) -> list[Path]:
    return sorted((EXAMPLES / entity / verdict).glob("*.json"))


def example_name(path: Path) -> str:
    return path.relative_to(EXAMPLES).with_suffix("").as_posix()


def all_examples() -> list[Path]:
    return [
        path for entity in ENTITY_SCHEMAS for verdict in ("valid", "invalid") for path in example_files(entity, verdict)
    ]


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def expects_valid(path: Path) -> bool:
    return path.parent.name == "valid"


def entity_of(path: Path) -> str:
    return path.parent.parent.name


def example_params(only_invalid: bool = False) -> list[Any]:
    return [
        pytest.param(path, id=example_name(path))
        for path in all_examples()
        if not (only_invalid and expects_valid(path))
    ]


def engine_params(only: Callable[[Path], bool] = lambda path: True) -> list[Any]:
    params = []
    for path in all_examples():
        if not only(path):
            continue
        name = example_name(path)
        params.extend(pytest.param(engine, path, id=f"{engine}:{name}") for engine in ENGINES)
    return params


# -- the validators, configured as the library configures them ---------------------------------


def python_validator(schema_id: str) -> Any:
    return schemas.precise_validator(schema_id)


def rs_validator(schema_id: str) -> Any:
    return schemas.fast_validator(schema_id)


def python_errors(schema_id: str, instance: Any) -> list[str]:
    return [f"{error.json_path}: {error.message}" for error in python_validator(schema_id).iter_errors(instance)]


def rs_errors(schema_id: str, instance: Any) -> list[str]:
    return [f"{error.instance_path}: {error.message}" for error in rs_validator(schema_id).iter_errors(instance)]


def errors_by(engine: str, schema_id: str, instance: Any) -> list[str]:
    return python_errors(schema_id, instance) if engine == "python-jsonschema" else rs_errors(schema_id, instance)


def error_places(engine: str, schema_id: str, instance: Any) -> set[tuple[str | int, ...]]:
    if engine == "python-jsonschema":
        return {tuple(error.absolute_path) for error in python_validator(schema_id).iter_errors(instance)}
    return {tuple(error.instance_path) for error in rs_validator(schema_id).iter_errors(instance)}


def assert_verdict(engine: str, schema_id: str, instance: Any, valid: bool) -> None:
    errors = errors_by(engine, schema_id, instance)
    if valid:
        assert errors == [], f"{engine} rejects a valid example"
    else:
        assert errors, f"{engine} accepts an invalid example"
    # is_valid takes another path through each library than iter_errors: check it too
    quick = (python_validator if engine == "python-jsonschema" else rs_validator)(schema_id).is_valid(instance)
    assert quick is valid


# -- every example, under both validators ------------------------------------------------------


@pytest.mark.parametrize(("engine", "path"), engine_params())
def test_example_has_the_expected_verdict(engine: str, path: Path) -> None:
    assert_verdict(engine, ENTITY_SCHEMAS[entity_of(path)], load(path), expects_valid(path))


def in_a_catalogue(entity: str, node: Any) -> dict[str, Any]:
    """A whole document that holds ``node`` where an entity of its kind stands."""
    host_session: dict[str, Any] = {"@type": "EducationEvent", "name": {"en": "Host session"}}
    if entity == "document":
        host_session["workFeatured"] = [node]
    elif entity == "recommendation":
        host_session["recommendation"] = [node]
    host_event = {"@type": "EducationEvent", "name": {"en": "Host event"}}
    host_event["subEvent"] = [node] if entity == "session" else [host_session]
    top = host_event if entity in ("session", "document", "recommendation") else node
    return {"@context": schemas.CONTEXT_IRI, "@graph": [top]}


#: The @type values that make a node of the graph one of these entities.
GRAPH_TYPES = {
    "event": {"EducationEvent"},
    "person": {"Person"},
    "campaign": {"EventSeries"},
    "organisation": set(ORGANISATION_KINDS),  # the model's kinds of organisation, by their @type
}


def stands_as_itself_in_a_document(path: Path) -> bool:
    """Not a whole document, and not an example whose wrong @type makes it another kind of graph node."""
    entity = entity_of(path)
    if entity == "catalogue":
        return False
    node = load(path)
    if entity not in GRAPH_TYPES or not isinstance(node, dict) or not isinstance(node.get("@type"), str):
        return True
    all_types = set().union(*GRAPH_TYPES.values())
    return node["@type"] in GRAPH_TYPES[entity] or node["@type"] not in all_types


@pytest.mark.parametrize(("engine", "path"), engine_params(stands_as_itself_in_a_document))
def test_example_has_the_same_verdict_inside_a_document(engine: str, path: Path) -> None:
    """The document schema reaches every entity schema: a node is valid in a document iff it is valid alone."""
    document = in_a_catalogue(entity_of(path), load(path))
    assert_verdict(engine, schemas.DOCUMENT_SCHEMA_IRI, document, expects_valid(path))


@pytest.mark.parametrize("path", example_params())
def test_the_two_validators_agree(path: Path) -> None:
    schema_id = ENTITY_SCHEMAS[entity_of(path)]
    instance = load(path)
    assert python_validator(schema_id).is_valid(instance) == rs_validator(schema_id).is_valid(instance)
    assert error_places("python-jsonschema", schema_id, instance) == error_places("jsonschema-rs", schema_id, instance)


@pytest.mark.parametrize("path", example_params(only_invalid=True))
def test_an_invalid_example_breaks_the_rules_in_one_place(path: Path) -> None:
    """Guards the examples: one that fails in two places would test two rules, or the wrong one."""
    places = error_places("jsonschema-rs", ENTITY_SCHEMAS[entity_of(path)], load(path))
    assert len(places) == 1, places


def test_every_folder_has_valid_and_invalid_examples() -> None:
    assert sorted(folder.name for folder in EXAMPLES.iterdir() if folder.is_dir()) == sorted(ENTITY_SCHEMAS)
    for entity in ENTITY_SCHEMAS:
        assert sorted(child.name for child in (EXAMPLES / entity).iterdir()) == ["invalid", "valid"], entity
        assert len(example_files(entity, "valid")) >= 1, entity
        assert len(example_files(entity, "invalid")) >= 3, entity
        strays = [
            path.name
            for verdict in ("valid", "invalid")
            for path in (EXAMPLES / entity / verdict).iterdir()
            if path.suffix != ".json"
        ]
        assert strays == [], entity


@pytest.mark.parametrize("engine", ENGINES)
def test_the_shipped_sample_is_valid(engine: str) -> None:
    sample = json.loads((Path(schemas.__file__).parent / "data" / "sample.jsonld").read_text(encoding="utf-8"))
    assert_verdict(engine, schemas.DOCUMENT_SCHEMA_IRI, sample, valid=True)


def test_the_library_validators_are_the_ones_tested() -> None:
    sample = load(example_files("catalogue", "valid")[0])
    broken = load(EXAMPLES / "catalogue" / "invalid" / "event-start-date-with-start-time.json")
    assert schemas.precise_validator().is_valid(sample)
    assert schemas.fast_validator().is_valid(sample)
    assert not schemas.precise_validator().is_valid(broken)
    assert not schemas.fast_validator().is_valid(broken)


# -- the schema files themselves ---------------------------------------------------------------

SCHEMA_PARAMS = [pytest.param(path, id=path.name) for path in SCHEMA_FILES]


def read_schema(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_the_loader_finds_every_schema_file() -> None:
    assert len(SCHEMA_FILES) >= 9
    ids = [read_schema(path)["$id"] for path in SCHEMA_FILES]
    assert len(set(ids)) == len(ids)
    assert set(ids) == set(schemas.schemas())
    assert set(ENTITY_SCHEMAS.values()) <= set(ids)


@pytest.mark.parametrize("path", SCHEMA_PARAMS)
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = read_schema(path)
    assert schema["$schema"] == DRAFT_2020_12
    jsonschema.Draft202012Validator.check_schema(schema)
    # jsonschema_rs checks it against the meta-schema too, and compiles it with every reference
    jsonschema_rs.validator_for(
        schema,
        registry=jsonschema_rs.Registry(list(schemas.schemas().items())),
        validate_formats=True,
        ignore_unknown_formats=False,
        offline=True,
    )


@pytest.mark.parametrize("path", SCHEMA_PARAMS)
def test_schema_id_is_under_base_and_matches_the_file_name(path: Path) -> None:
    schema_id = read_schema(path)["$id"]
    assert schema_id.startswith(schemas.BASE)
    assert schema_id == schemas.BASE + path.name


@pytest.mark.parametrize("path", SCHEMA_PARAMS)
def test_schema_has_a_title_and_a_description(path: Path) -> None:
    schema = read_schema(path)
    for key in ("title", "description"):
        assert isinstance(schema.get(key), str), key
        assert schema[key].strip(), key


@pytest.mark.parametrize("path", SCHEMA_PARAMS)
def test_every_shared_definition_is_described(path: Path) -> None:
    undescribed = [
        name
        for name, definition in read_schema(path).get("$defs", {}).items()
        if not str(definition.get("description", "")).strip()
    ]
    assert undescribed == []


# keywords whose value is a schema, an array of schemas, or an object of schemas
SCHEMA_KEYWORDS = {
    "items",
    "additionalProperties",
    "propertyNames",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
}
SCHEMA_LIST_KEYWORDS = {"allOf", "anyOf", "oneOf", "prefixItems"}
SCHEMA_MAP_KEYWORDS = {"properties", "patternProperties", "$defs", "dependentSchemas"}


def subschemas(schema: Any, pointer: str = "", condition: bool = False) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """Every schema object inside ``schema``: its JSON pointer, itself, and whether it is (inside) an ``if``."""
    if not isinstance(schema, dict):
        return
    yield pointer, schema, condition
    for key, value in schema.items():
        here = f"{pointer}/{key}"
        if key in SCHEMA_KEYWORDS:
            yield from subschemas(value, here, condition or key == "if")
        elif key in SCHEMA_LIST_KEYWORDS:
            for index, item in enumerate(value):
                yield from subschemas(item, f"{here}/{index}", condition)
        elif key in SCHEMA_MAP_KEYWORDS:
            for name, item in value.items():
                yield from subschemas(item, f"{here}/{name}", condition)


def test_the_walk_sees_nested_schemas() -> None:
    common = schemas.schemas()[schemas.BASE + "common.schema.json"]
    pointers = {pointer for pointer, _, _ in subschemas(common)}
    assert "/$defs/locations/items/allOf/0/then/properties/url" in pointers
    assert "/$defs/address/properties/addressCountry" in pointers


def references(path: Path) -> list[tuple[str, str]]:
    return [(pointer, sub["$ref"]) for pointer, sub, _ in subschemas(read_schema(path)) if "$ref" in sub]


@pytest.mark.parametrize("path", SCHEMA_PARAMS)
def test_every_reference_resolves_within_the_schemas(path: Path) -> None:
    schema_id = read_schema(path)["$id"]
    resolver = schemas.registry().resolver(base_uri=schema_id)
    for pointer, ref in references(path):
        try:
            resolved = resolver.lookup(ref)
        except referencing.exceptions.Unresolvable as error:  # pragma: no cover - the failure itself
            pytest.fail(f"{path.name}#{pointer}: $ref {ref!r} does not resolve: {error}")
        assert isinstance(resolved.contents, dict | bool), f"{path.name}#{pointer}: {ref!r}"
        target = urldefrag(urljoin(schema_id, ref)).url  # the document the reference lands in
        assert target in schemas.schemas(), f"{path.name}#{pointer}: {ref!r} leaves the shipped schemas"


def test_the_schemas_reference_each_other() -> None:
    found = {ref for path in SCHEMA_FILES for _, ref in references(path)}
    assert "session.schema.json" in found
    assert "common.schema.json#/$defs/text" in found


def resolve(ref: str, base: str) -> tuple[dict[str, Any], str]:
    """The schema ``ref`` names, read from ``base``, and the $id of the file it is in."""
    resolved = schemas.registry().resolver(base_uri=base).lookup(ref)
    return resolved.contents, urldefrag(urljoin(base, ref)).url


def is_closed(schema: dict[str, Any], base: str, seen: frozenset[str] = frozenset()) -> bool:
    """Does ``schema`` allow only the properties it names, directly or through a ``$ref`` or an ``@type`` dispatch?"""
    if schema.get("additionalProperties") is False or schema.get("unevaluatedProperties") is False:
        return True
    if "$ref" in schema and "properties" not in schema:
        key = f"{base} {schema['$ref']}"
        if key in seen:
            return False
        target, target_base = resolve(schema["$ref"], base)
        return is_closed(target, target_base, seen | {key})
    return is_closed_dispatch(schema, base, seen)


def is_closed_dispatch(schema: dict[str, Any], base: str, seen: frozenset[str]) -> bool:
    """A schema that allows a few ``@type``s and, for each, closes the object in an ``if``/``then``."""
    kinds = schema.get("properties", {}).get("@type", {}).get("enum")
    if not kinds or set(schema.get("properties", {})) != {"@type"}:
        return False
    branches = []
    for branch in schema.get("allOf", []):
        condition = branch.get("if", {}).get("properties", {}).get("@type", {})
        named = condition.get("enum", [condition["const"]] if "const" in condition else [])
        branches.append((set(named), branch.get("then")))
    for kind in kinds:
        thens = [then for named, then in branches if kind in named and isinstance(then, dict)]
        if not thens or not all(is_closed(then, base, seen) for then in thens):
            return False
    return True


@pytest.mark.parametrize("path", SCHEMA_PARAMS)
def test_every_object_schema_is_closed(path: Path) -> None:
    """A typo such as ``nmae`` must be an error, never an ignored property."""
    schema = read_schema(path)
    open_ = [
        pointer or "/"
        for pointer, sub, condition in subschemas(schema)
        if "properties" in sub and not condition and not is_closed(sub, schema["$id"])
    ]
    assert open_ == [], f"{path.name}: object schemas that allow unknown properties"


def test_the_closedness_check_can_fail() -> None:
    base = schemas.BASE + "common.schema.json"
    assert not is_closed({"properties": {"a": {}}}, base)
    dispatch = {
        "properties": {"@type": {"enum": ["A", "B"]}},
        "allOf": [{"if": {"properties": {"@type": {"const": "A"}}}, "then": {"additionalProperties": False}}],
    }
    assert not is_closed(dispatch, base)  # B is left open
    assert is_closed({"$ref": "#/$defs/address"}, base)
