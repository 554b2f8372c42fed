"""The canonical format: a JSON-LD 1.1 document under the library's context, read and written."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

import orjson

from mastery_model import conversion
from mastery_model.builtin.jsonld.lines import is_json_lines, iter_lines, read_lines
from mastery_model.files import write_atomically
from mastery_model.model import Catalogue
from mastery_model.problems import InvalidDocument, Report, located
from mastery_model.reading import collection_paused, read_json, validate_catalogue
from mastery_model.schemas import CONTEXT_IRI


def loads(data: bytes | str, *, lines: bool = False, source: str | None = None) -> Catalogue:
    """The catalogue in a canonical document (or, with ``lines``, in JSON Lines)."""
    catalogue, report = _read(data, lines=lines, source=source)
    if catalogue is None:
        raise InvalidDocument(report)
    return catalogue


def validate(target: Catalogue | bytes, *, lines: bool = False, source: str | None = None) -> Report:
    """Every problem in a model, or in a document's bytes (JSON Lines with ``lines``); empty when valid.

    ``source`` names where the bytes came from, in the report.
    """
    if isinstance(target, Catalogue):
        return validate_catalogue(target)
    return _read(target, lines=lines, source=source)[1]


def _read(data: bytes | str, *, lines: bool, source: str | None = None) -> tuple[Catalogue | None, Report]:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if lines:
        return read_lines(raw, source)
    catalogue, _layout, problems = read_json(raw)
    return catalogue, Report(tuple(located(problems, source)))


def dumps(catalogue: Catalogue, *, lines: bool = False) -> bytes:
    """The canonical document of a catalogue; the same model always gives the same bytes."""
    with collection_paused():  # node trees hold no cycles: see collection_paused
        return b"".join(iter_lines(catalogue) if lines else iter_document(catalogue))


def iter_document(catalogue: Catalogue) -> Iterator[bytes | memoryview]:
    """The canonical document in pieces, a node of its ``@graph`` at a time, so that a large one
    streams: the same bytes as the whole document indented by two spaces. (Writers pause the
    collector around it: see :class:`collection_paused`.)"""
    # document_pieces(map(graph_node, ...)) inlined: for a small document, their calls are a tenth of its time
    dumps, indented = orjson.dumps, orjson.OPT_INDENT_2
    yield _HEAD
    separator = _FIRST
    for node in conversion.unstructure_nodes(catalogue):
        written = memoryview(dumps([[node]], option=indented))
        yield separator
        yield written[_AROUND_HEAD : len(written) - _AROUND_TAIL]
        separator = _BETWEEN
    yield _END if separator is _BETWEEN else _END_EMPTY


#: What ``orjson`` writes around a node alone in a list in a list: the node is then indented as a
#: node of the ``@graph`` is, and is taken out without a copy.
_AROUND_HEAD, _AROUND_TAIL = len(b"[\n  [\n    "), len(b"\n  ]\n]")
_HEAD = b'{\n  "@context": ' + orjson.dumps(CONTEXT_IRI) + b',\n  "@graph": ['
_FIRST, _BETWEEN = b"\n    ", b",\n    "
_END, _END_EMPTY = b"\n  ]\n}\n", b"]\n}\n"  # an empty list is written []


def graph_node(node: conversion.JSONObject) -> memoryview:
    """A node's bytes as the canonical document has them in its ``@graph``, from ``"{"`` to ``"}"``."""
    written = memoryview(orjson.dumps([[node]], option=orjson.OPT_INDENT_2))
    return written[_AROUND_HEAD : len(written) - _AROUND_TAIL]


def document_pieces(nodes: Iterable[bytes | memoryview]) -> Iterator[bytes | memoryview]:
    """The canonical document around its ``@graph``'s nodes, each given as :func:`graph_node` writes it."""
    yield _HEAD
    separator = _FIRST
    for node in nodes:
        yield separator
        yield node
        separator = _BETWEEN
    yield _END if separator is _BETWEEN else _END_EMPTY


def dump(catalogue: Catalogue, path: str | os.PathLike[str]) -> None:
    """Write the canonical document to ``path`` atomically (JSON Lines for ``.jsonl``)."""
    lines = is_json_lines(path)
    with collection_paused():
        write_atomically(path, iter_lines(catalogue) if lines else [dumps(catalogue)])
