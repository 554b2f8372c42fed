"""The ``schemaorg`` format: schema.org Event markup for web pages, written and read.

This module registers the format and recognises its input; ``writing`` and ``reading`` load on
the first write or read. What markup leaves out is derived from ``mapping``, which needs only the
vocabulary and the context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, BinaryIO

from mastery_model.builtin.schemaorg import mapping, page
from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.plugins.records import Exporter, Importer, Option, Options, language_tag, time_zone
from mastery_model.published import CONTEXT_IRI

if TYPE_CHECKING:
    from mastery_model.model import Catalogue

_CONTEXT = CONTEXT_IRI.encode()


def sniff(head: bytes) -> bool:
    """JSON-LD that is not the canonical document (another context, or expanded), or an HTML page,
    whose ``<script type="application/ld+json">`` elements hold it."""
    if page.looks_like_page(head):
        return True
    start = head.lstrip()[:1]
    return start in (b"{", b"[") and b'"@' in head and _CONTEXT not in head


# -- the work, each loaded on its first call ---------------------------------------------------


def write(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    from mastery_model.builtin.schemaorg import writing

    writing.write(catalogue, stream, options)


def write_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    from mastery_model.builtin.schemaorg import writing

    writing.write_parts(parts, stream, options)


def read(data: bytes, options: Options) -> Catalogue:
    from mastery_model.builtin.schemaorg import reading

    return reading.read(data, options)


@hookimpl
def mastery_model_exporters() -> Sequence[Exporter]:
    return [
        Exporter(
            "schemaorg",
            "schema.org JSON-LD for web pages (Event markup)",
            "application/ld+json",
            ".schema.jsonld",
            write=write,
            write_parts=write_parts,
            # what Event markup has no property for (see :mod:`.mapping`): times keep their UTC
            # offsets, not their zone's name; schema.org has no property that links an event to what
            # it produced
            leaves_out=mapping.left_out(),
            options=(
                Option(
                    "language", "the language of the texts (a BCP 47 tag); else each text's default", check=language_tag
                ),
                Option(
                    "html", 'yes: a <script type="application/ld+json"> element, escaped for HTML', "no", ("yes", "no")
                ),
            ),
        )
    ]


@hookimpl
def mastery_model_importers() -> Sequence[Importer]:
    return [
        Importer(
            "schemaorg",
            "JSON-LD of other tools (schema.org markup, expanded, flattened, @graph; in HTML pages)",
            ("application/ld+json",),
            (".jsonld", ".json", ".html", ".htm"),
            sniff=sniff,
            read=read,
            options=(
                Option("language", "the language of texts that say none (a BCP 47 tag)", "und", check=language_tag),
                Option("time-zone", "the IANA zone of date-times written without a UTC offset", check=time_zone),
            ),
        )
    ]
