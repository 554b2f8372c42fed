"""Offline JSON-LD expansion with pyld: a document loader that serves only the shipped context."""

from __future__ import annotations

from typing import Any

from pyld import jsonld

from mastery_model import schemas


class RemoteContextRefused(Exception):
    pass


def shipped_contexts_only(url: str, options: Any = None) -> dict[str, Any]:
    if url == schemas.CONTEXT_IRI:
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": schemas.context(),
        }
    raise RemoteContextRefused(url)


def expand(document: Any) -> list[Any]:
    expanded: list[Any] = jsonld.expand(document, {"documentLoader": shipped_contexts_only})
    return expanded


def triples(document: Any) -> set[str]:
    """The document's RDF as a set of canonical N-Quads lines (blank nodes relabelled)."""
    quads: str = jsonld.normalize(
        document, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": shipped_contexts_only}
    )
    return set(quads.splitlines())
