"""The ``jsonld`` and ``jsonl`` formats: the canonical exchange document, whole (``document``) or
one event a line (``lines``), written (``writing``) and read.

This module registers the formats and recognises their input; the modules that do the work load
on the first read or write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO

from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.plugins.records import Exporter, Importer, Options
from mastery_model.published import CONTEXT_IRI

if TYPE_CHECKING:
    from mastery_model.model import Catalogue

_CONTEXT = CONTEXT_IRI.encode()


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


# -- the work, each loaded on its first call ---------------------------------------------------


def write_document(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    from mastery_model.builtin.jsonld import writing

    writing.write_document(catalogue, stream, options)


def write_document_of_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    from mastery_model.builtin.jsonld import writing

    writing.write_document_of_parts(parts, stream, options)


def write_lines(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    from mastery_model.builtin.jsonld import writing

    writing.write_lines(catalogue, stream, options)


def write_lines_of_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    from mastery_model.builtin.jsonld import writing

    writing.write_lines_of_parts(parts, stream, options)


def read_document(data: bytes, options: Options) -> Catalogue:
    from mastery_model.builtin.jsonld import document

    return document.loads(data)


def read_lines(data: bytes, options: Options) -> Catalogue:
    from mastery_model.builtin.jsonld import document

    return document.loads(data, lines=True)


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
            read=read_document,
        ),
        Importer(
            "jsonl",
            "JSON Lines: a complete canonical document per event",
            ("application/jsonl",),
            (".jsonl", ".ndjson"),
            sniff=is_lines,
            read=read_lines,
        ),
    ]
