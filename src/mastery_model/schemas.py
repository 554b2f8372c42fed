"""The shipped JSON Schemas and JSON-LD context, loaded once.

The files in the top-level ``schemas/`` folder are the single source. A wheel carries them inside
the package (``mastery_model/schemas``); a source checkout or an editable install reads them where
they stand.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

if TYPE_CHECKING:  # python-jsonschema, for rejected documents only, is imported when one is (seconds of start-up)
    import jsonschema.protocols
    import referencing

#: The version of the schemas and the context; documents name it through their ``@context``.
VERSION = "1.0.0"
BASE = "https://w3id.org/mastery-model/v1/"
CONTEXT_IRI = BASE + "context.jsonld"
DOCUMENT_SCHEMA_IRI = BASE + "catalogue.schema.json"


def schema_folder() -> Traversable:
    """Where the schema files are: inside the installed package, else in the source tree."""
    packaged = resources.files("mastery_model") / "schemas" / "v1"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas" / "v1"


@functools.cache
def schemas() -> dict[str, dict[str, Any]]:
    """Every shipped JSON Schema, by its ``$id``."""
    found: dict[str, dict[str, Any]] = {}
    for entry in schema_folder().iterdir():
        if entry.name.endswith(".schema.json"):
            schema = json.loads(entry.read_text(encoding="utf-8"))
            found[schema["$id"]] = schema
    return found


@functools.cache
def context() -> dict[str, Any]:
    """The library's JSON-LD context document (``{"@context": {...}}``)."""
    text = (schema_folder() / "context.jsonld").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@functools.cache
def registry() -> referencing.Registry[Any]:
    """The schemas for python-jsonschema, cross-references resolved."""
    import referencing
    import referencing.jsonschema

    resources_ = [
        (iri, referencing.jsonschema.DRAFT202012.create_resource(_python_flavoured(schema)))
        for iri, schema in schemas().items()
    ]
    return referencing.Registry().with_resources(resources_).crawl()


@functools.cache
def precise_validator(schema_id: str = DOCUMENT_SCHEMA_IRI) -> jsonschema.protocols.Validator:
    """python-jsonschema: slow, but its errors say exactly where and why."""
    import jsonschema

    return jsonschema.Draft202012Validator(
        _python_flavoured(schemas()[schema_id]),
        registry=registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def _python_flavoured(schema: Any) -> Any:
    """The schema with its patterns as Python's ``re`` must read them to mean what JSON Schema means.

    In ECMA-262, which JSON Schema follows, ``$`` is the end of the text; in Python it also matches
    before a final newline, so "ES\\n" would pass ``^[A-Z]{2}$``. Python spells the end ``\\Z``.
    """
    if isinstance(schema, dict):
        return {
            key: _python_pattern(value) if key == "pattern" and isinstance(value, str) else _python_flavoured(value)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_python_flavoured(item) for item in schema]
    return schema


def _python_pattern(pattern: str) -> str:
    return pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith(r"\$") else pattern


@functools.cache
def definition_validator(name: str) -> jsonschema_rs.Validator:
    """A compiled validator for one of the shared definitions (``url``, ``language``, ``date``, ...
    of ``common.schema.json``): what importers check a value with before they put it in a document."""
    return jsonschema_rs.validator_for(
        {"$ref": f"{BASE}common.schema.json#/$defs/{name}"},
        registry=jsonschema_rs.Registry(list(schemas().items())),
        validate_formats=True,
        ignore_unknown_formats=False,
        offline=True,
    )


@functools.cache
def fast_validator(schema_id: str = DOCUMENT_SCHEMA_IRI) -> jsonschema_rs.Validator:
    """A compiled validator for the hot path: is a document valid, yes or no."""
    return jsonschema_rs.validator_for(
        schemas()[schema_id],
        registry=jsonschema_rs.Registry(list(schemas().items())),
        validate_formats=True,
        ignore_unknown_formats=False,
        offline=True,
    )
