"""The shipped JSON Schemas and JSON-LD context, loaded once.

The files in the top-level ``schemas/`` folder are the single source. A wheel carries them inside
the package (``mastery_model/schemas``); a source checkout or an editable install reads them where
they stand.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mastery_model.published import BASE as BASE
from mastery_model.published import CONTEXT_IRI as CONTEXT_IRI
from mastery_model.published import DOCUMENT_SCHEMA_IRI as DOCUMENT_SCHEMA_IRI
from mastery_model.published import SCHEMA_VERSION as SCHEMA_VERSION

if TYPE_CHECKING:  # each imported where it is first needed: tens of milliseconds, or seconds
    from importlib.resources.abc import Traversable

    import jsonschema  # python-jsonschema, for rejected documents only
    import jsonschema.protocols
    import jsonschema_rs
    import referencing


def schema_folder() -> Traversable:
    """Where the schema files are: inside the installed package, else in the source tree."""
    from importlib import resources  # tens of milliseconds, for the files' first reading only

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
        format_checker=format_checker(),
    )


@functools.cache
def format_checker() -> jsonschema.FormatChecker:
    """python-jsonschema's format checks, with ``iri`` and ``uri`` checked in linear time.

    Its own IRI check runs an Earley parser per character: seconds for one long URL, minutes for
    a document full of them. These checks follow RFC 3987 and RFC 3986 as jsonschema_rs does.
    """
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    checker.checkers = dict(jsonschema.Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checks("iri")(is_iri)
    checker.checks("uri")(is_uri)
    return checker


# RFC 3987 section 2.2; RFC 3986 is the same without the non-ASCII characters.
_UCS = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    + "".join(f"{chr(plane << 16)}-{chr(plane << 16 | 0xFFFD)}" for plane in range(1, 14))
    + "\U000e1000-\U000efffd"
)
_PRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+\-.]*")
_PORT = re.compile(r"[0-9]*")
_IP_FUTURE = re.compile(r"v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+")


@functools.cache
def _parts(international: bool) -> dict[str, re.Pattern[str]]:
    """Each part of an IRI (or URI) as a pattern of single characters and %XX: linear to match."""
    unreserved = "A-Za-z0-9\\-._~" + (_UCS if international else "")
    sub_delims = "!$&'()*+,;="

    def part(extra: str) -> re.Pattern[str]:
        return re.compile(f"(?:[{unreserved}{sub_delims}{extra}]|%[0-9A-Fa-f]{{2}})*")

    return {
        "userinfo": part(":"),
        "host": part(""),
        "path": part(":@/"),
        "query": part(":@/?" + (_PRIVATE if international else "")),
        "fragment": part(":@/?"),
    }


def is_iri(value: object) -> bool:
    """Whether ``value`` is an absolute IRI (RFC 3987); values that are not strings pass, as in JSON Schema."""
    return _is_absolute(value, international=True)


def is_uri(value: object) -> bool:
    """Whether ``value`` is an absolute URI (RFC 3986); values that are not strings pass, as in JSON Schema."""
    return _is_absolute(value, international=False)


def _is_absolute(value: object, *, international: bool) -> bool:
    if not isinstance(value, str):
        return True
    parts = _parts(international)
    scheme, colon, rest = value.partition(":")
    if not colon or not _SCHEME.fullmatch(scheme):
        return False
    rest, _hash, fragment = rest.partition("#")
    rest, question, query = rest.partition("?")
    if _hash and not parts["fragment"].fullmatch(fragment):
        return False
    if question and not parts["query"].fullmatch(query):
        return False
    path = rest
    if rest.startswith("//"):
        slash = rest.find("/", 2)
        authority, path = (rest[2:], "") if slash < 0 else (rest[2:slash], rest[slash:])
        if not _is_authority(authority, parts):
            return False
    elif path.startswith("//"):
        return False
    return parts["path"].fullmatch(path) is not None


def _is_authority(authority: str, parts: dict[str, re.Pattern[str]]) -> bool:
    userinfo, at, host_port = authority.rpartition("@")
    if at and not parts["userinfo"].fullmatch(userinfo):
        return False
    if host_port.startswith("["):
        literal, bracket, port = host_port[1:].partition("]")
        if not bracket or (port and not (port.startswith(":") and _PORT.fullmatch(port[1:]))):
            return False
        return _is_ip_literal(literal)
    host, _colon, port = host_port.partition(":")
    return parts["host"].fullmatch(host) is not None and _PORT.fullmatch(port) is not None


def _is_ip_literal(literal: str) -> bool:
    if _IP_FUTURE.fullmatch(literal):
        return True
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        return False
    return "%" not in literal  # a zone id is not part of an IP-literal (RFC 6874 is not RFC 3987)


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
    import jsonschema_rs

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
    import jsonschema_rs

    return jsonschema_rs.validator_for(
        schemas()[schema_id],
        registry=jsonschema_rs.Registry(list(schemas().items())),
        validate_formats=True,
        ignore_unknown_formats=False,
        offline=True,
    )
