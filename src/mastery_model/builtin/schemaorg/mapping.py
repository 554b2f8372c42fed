"""How schema.org Event markup carries each field of the model: one table, read by the writer and
the reader alike.

A field travels under its canonical key (:data:`mastery_model.vocabulary.TERMS`) where the
published context maps that key to a schema.org property; a field whose key is the library's own
(``mm:``) has no place in markup and is left out. :data:`EXCEPTIONS` holds the rest: a field carried
under another property, inside a node of its own, or left out because schema.org defines its
property for other types only (``dateModified`` is a CreativeWork's).
"""

from __future__ import annotations

import functools

from attrs import frozen

from mastery_model import schemas, vocabulary
from mastery_model.model import Catalogue

SCHEMA = "https://schema.org/"


@frozen
class Carriage:
    """Where markup carries a field: under ``key`` of the node, or (with ``inside``) under the
    property ``inside[1]`` of a node of the type ``inside[0]`` that ``key`` holds. ``key`` is ``""``
    when the value is the node itself (a contribution is its contributor)."""

    key: str
    inside: tuple[str, str] | None = None
    #: Further properties the reader takes the field from, as other tools' markup writes it.
    also: tuple[str, ...] = ()


#: The fields markup does not carry as the context names them.
EXCEPTIONS: dict[str, Carriage | None] = {
    "Organisation.country": Carriage("address", inside=("PostalAddress", "addressCountry")),
    "Event.audience": Carriage("audience", inside=("Audience", "audienceType")),
    "VirtualLocation.platform": Carriage("name"),
    "Contribution.contributor": Carriage(""),  # performer: the person or organisation
    "Contribution.role": None,  # a Role node would hide the performer from search engines
    "Person.affiliations": Carriage("affiliation", also=("worksFor",)),
    "Session.topics": Carriage("about", also=("keywords",)),
    **dict.fromkeys(("Event.modified", "Session.modified", "Session.position"), None),  # CreativeWork's
}


@functools.cache
def carriage(cls: type, field: str) -> Carriage | None:
    """How markup carries a field; ``None`` when it does not."""
    name = f"{cls.__name__}.{field}"
    if name in EXCEPTIONS:
        return EXCEPTIONS[name]
    key = vocabulary.key(cls, field)
    if key.startswith("@"):
        return Carriage(key)
    iri = schemas.context()["@context"][key]
    iri = iri if isinstance(iri, str) else iri["@id"]
    return Carriage(key) if iri.startswith("schema:") else None


@functools.cache
def carried(cls: type) -> tuple[tuple[str, Carriage], ...]:
    """The fields of a class that markup carries, each with its carriage, in the vocabulary's order."""
    return tuple(
        (term.field, found) for term in vocabulary.TERMS[cls] if (found := carriage(cls, term.field)) is not None
    )


def left_out() -> tuple[str, ...]:
    """The fields, as ``Class.field``, that markup leaves out."""
    return vocabulary.left_out(
        f"{cls.__name__}.{field}"
        for cls in vocabulary.TERMS
        if cls is not Catalogue
        for field, _carriage in carried(cls)
    )


#: What a plain text names where markup should give a node: other tools write an organiser, a
#: performer or an affiliation by its name alone. The reader makes the node of the type given, named so.
NAMED_BY_TEXT: dict[str, str] = {
    "Event.organisers": "Organization",
    "Event.funders": "Organization",
    "Contribution.contributor": "Person",
    "Document.authors": "Person",
    "Person.affiliations": "Organization",
    "Organisation.parent": "Organization",
}

#: Properties the reader reads for a class besides its fields' keys and carriages: a session's
#: ``superEvent`` (the event it belongs to).
ALSO_READ: dict[str, tuple[str, ...]] = {"Session": ("superEvent",)}


@functools.cache
def read_properties(cls: type) -> frozenset[str]:
    """The properties (local names) the reader reads on a node it reads as ``cls``: each field's
    canonical key, where the mapping carries it, and where other tools' markup puts it; what a node
    holds beyond them is what the reader leaves out (counted in its warning)."""
    names: set[str] = set(ALSO_READ.get(cls.__name__, ()))
    for term in vocabulary.TERMS[cls]:
        names.add(term.key)
        found = carriage(cls, term.field)
        if found is not None:
            names.add(found.key)
            names.update(found.also)
    return frozenset(name for name in names if name and not name.startswith("@"))
