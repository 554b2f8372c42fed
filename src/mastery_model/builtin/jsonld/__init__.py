"""The ``jsonld`` and ``jsonl`` formats: the canonical exchange document, whole (``document``) or
one event a line (``lines``), written and read."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from typing import Any, BinaryIO

import orjson

from mastery_model import conversion
from mastery_model.builtin.jsonld import document, lines
from mastery_model.builtin.parts import SeenIds
from mastery_model.model import Catalogue
from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.plugins.records import Exporter, Importer, Options
from mastery_model.reading import collection_paused
from mastery_model.schemas import CONTEXT_IRI

_CONTEXT = CONTEXT_IRI.encode()
#: What events share, after them in a document: the kinds of the ``@graph`` but events.
SHARED_KINDS = conversion.GRAPH_KINDS[1:]


def write_document(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    with collection_paused():  # node trees hold no cycles
        for piece in document.iter_document(catalogue):  # a node at a time
            stream.write(piece)


def write_document_of_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    """The canonical document of a catalogue given in parts, in one pass: events are written as
    they come; people, organisations and campaigns (each once, however many parts carry it) wait
    in spools on disk to follow them, in the order the whole document has."""
    seen = SeenIds()
    with ExitStack() as stack:
        spools = {kind: stack.enter_context(tempfile.TemporaryFile()) for kind in SHARED_KINDS}

        def nodes() -> Iterator[bytes]:
            for part in parts():
                for event in part.events:
                    yield _node(event)
                for kind, spool in spools.items():
                    for entity in getattr(part, kind):
                        if seen.first(entity.id):
                            node = _node(entity)
                            spool.write(len(node).to_bytes(8, "big") + node)
            for spool in spools.values():
                spool.seek(0)
                while size := spool.read(8):
                    yield spool.read(int.from_bytes(size, "big"))

        with collection_paused():  # node trees hold no cycles
            for piece in document.document_pieces(nodes()):
                stream.write(piece)


def _node(entity: Any) -> bytes:
    return orjson.dumps(conversion.converter.unstructure(entity), option=orjson.OPT_INDENT_2)


def write_lines(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    with collection_paused():  # paused once for all lines: see lines.iter_lines
        for line in lines.iter_lines(catalogue):  # an event at a time
            stream.write(line)


def write_lines_of_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    for part in parts():
        write_lines(part, stream, options)


def is_document(head: bytes) -> bool:
    return _CONTEXT in head and b"\n" in head.strip() and not _several_lines(head)


def is_lines(head: bytes) -> bool:
    """Lines that are whole documents, or one line: a document on one line is JSON Lines of one
    line too, and reads the same either way (its problems say "line 1")."""
    first, newline, _rest = head.strip().partition(b"\n")
    return first.startswith(b"{") and _CONTEXT in first and (not newline or _several_lines(head))


def _several_lines(head: bytes) -> bool:
    first, newline, rest = head.strip().partition(b"\n")
    return bool(newline) and first.rstrip().endswith(b"}") and rest.lstrip().startswith(b"{")


@hookimpl
def mastery_model_exporters() -> Sequence[Exporter]:
    return [
        Exporter(
            "jsonld",
            "JSON-LD, the canonical exchange document",
            "application/ld+json",
            ".jsonld",
            write=write_document,
            write_parts=write_document_of_parts,
        ),
        Exporter(
            "jsonl",
            "JSON Lines: a complete canonical document per event",
            "application/jsonl",
            ".jsonl",
            write=write_lines,
            write_parts=write_lines_of_parts,
        ),
    ]


@hookimpl
def mastery_model_importers() -> Sequence[Importer]:
    return [
        Importer(
            "jsonld",
            "JSON-LD, the canonical exchange document",
            ("application/ld+json",),
            (".jsonld", ".json"),
            sniff=is_document,
            read=lambda data, options: document.loads(data),
        ),
        Importer(
            "jsonl",
            "JSON Lines: a complete canonical document per event",
            ("application/jsonl",),
            (".jsonl", ".ndjson"),
            sniff=is_lines,
            read=lambda data, options: document.loads(data, lines=True),
        ),
    ]
