"""Writing the ``jsonld`` and ``jsonl`` formats, whole or from a catalogue given in parts."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any, BinaryIO

from mastery_model import conversion
from mastery_model.builtin.jsonld import document, lines
from mastery_model.builtin.parts import SeenIds
from mastery_model.model import Catalogue
from mastery_model.plugins.records import Options
from mastery_model.reading import collection_paused

#: What events share, after them in a document: the kinds of the ``@graph`` but events.
SHARED_KINDS = conversion.GRAPH_KINDS[1:]


def write_document(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    with collection_paused():  # node trees hold no cycles
        stream.writelines(document.iter_document(catalogue))  # a node at a time


def write_document_of_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    """The canonical document of a catalogue given in parts, in one pass: events are written as
    they come; people, organisations and campaigns (each once, however many parts carry it) wait
    in spools on disk to follow them, in the order the whole document has."""
    seen = SeenIds()
    with ExitStack() as stack:
        spools = {kind: stack.enter_context(tempfile.TemporaryFile()) for kind in SHARED_KINDS}

        def nodes() -> Iterator[bytes | memoryview]:
            for part in parts():
                for event in part.events:
                    yield _node(event)
                for kind, spool in spools.items():
                    for entity in getattr(part, kind):
                        if seen.first(entity.id):
                            node = _node(entity)
                            spool.write(len(node).to_bytes(8, "big"))
                            spool.write(node)
            for spool in spools.values():
                spool.seek(0)
                while size := spool.read(8):
                    yield spool.read(int.from_bytes(size, "big"))

        with collection_paused():  # node trees hold no cycles
            for piece in document.document_pieces(nodes()):
                stream.write(piece)


def _node(entity: Any) -> memoryview:
    return document.graph_node(conversion.NODE_WRITERS[type(entity)](entity))


def write_lines(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    with collection_paused():  # paused once for all lines: see lines.iter_lines
        for line in lines.iter_lines(catalogue):  # an event at a time
            stream.write(line)


def write_lines_of_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    for part in parts():
        write_lines(part, stream, options)
