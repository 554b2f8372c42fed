"""Identifiers: every entity has one, the same in every format.

Where a document gives an entity no ``@id``, or only a blank node id (``_:name``, which holds
within one document only), a deterministic one is minted: ``urn:uuid:`` and a UUIDv5 of the
entity's natural key. The keys (documented in ``docs/model.md``) never use private data and
never a position, so ids stay the same when sessions are reordered or added.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterator
from typing import Any

from mastery_model import vocabulary
from mastery_model.model import Document, Event, Recommendation, Session
from mastery_model.problems import Problem

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/mastery-model/")
_SEPARATOR = "\x1f"
_REFERENCE_KEYS = vocabulary.reference_keys(listed=True)
#: A role's ``performer`` is among these: a session's ``performer`` holds the roles, and is a list.
_SINGLE_REFERENCE_KEYS = vocabulary.reference_keys(listed=False)
_NAME, _SESSIONS = vocabulary.key(Session, "name"), vocabulary.key(Session, "sessions")
_START, _START_TIME = vocabulary.key(Event, "start"), vocabulary.terms(Event)["start"].time_key or ""
#: What a session holds that has an id: the key of the list, the kind of entity, the key of its name.
_HELD = (
    (vocabulary.key(Session, "documents"), "document", vocabulary.key(Document, "name")),
    (vocabulary.key(Session, "recommendations"), "recommendation", vocabulary.key(Recommendation, "text")),
)
#: The lists that hold nodes with references: sessions, their documents, their roles.
_NODE_LISTS = (_SESSIONS, vocabulary.key(Session, "documents"), vocabulary.key(Session, "contributions"))


def mint(kind: str, *natural_key: str) -> str:
    """The id of an entity of ``kind`` ("event", "session", ...) with this natural key."""
    parts = [kind, *(_normalised(part) for part in natural_key)]
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, _SEPARATOR.join(parts))}"


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def _default_text(text: dict[str, str] | None) -> str:
    return next(iter(text.values()), "") if text else ""


def _needs_id(node: dict[str, Any]) -> bool:
    current = node.get("@id")
    return current is None or current.startswith("_:")


class _Minter:
    def __init__(self) -> None:
        self.blank: dict[str, str] = {}  # blank node id -> minted id
        self.minted: dict[str, str] = {}  # minted id -> pointer of the entity it was minted for
        self.problems: list[Problem] = []

    def give(self, node: dict[str, Any], pointer: str, kind: str, *key: str) -> str:
        if not _needs_id(node):
            identifier: str = node["@id"]
            return identifier
        minted = mint(kind, *key)
        if minted in self.minted:
            self.problems.append(
                Problem(
                    pointer,
                    f"this {kind} gets the same minted id as {self.minted[minted]}: give one of them an explicit @id",
                    minted,
                )
            )
        self.minted[minted] = pointer
        if "@id" in node:
            blank = node["@id"]
            if blank in self.blank:
                self.problems.append(
                    Problem(
                        f"{pointer}/@id",
                        "another entity has this blank node id already: give each its own",
                        blank,
                    )
                )
            self.blank[blank] = minted
        node["@id"] = minted
        return minted


def assign_ids(document: dict[str, Any]) -> list[Problem]:
    """Give every entity of a schema-valid document an id, in place; report colliding mints."""
    minter = _Minter()
    graph: list[dict[str, Any]] = document["@graph"]
    for index, node in enumerate(graph):
        pointer = f"/@graph/{index}"
        kind = node["@type"]
        if kind == "EducationEvent":
            start = node.get(_START) or node.get(_START_TIME, "")[:10]
            event_id = minter.give(node, pointer, "event", _default_text(node[_NAME]), start)
            _assign_sessions(minter, node, event_id, pointer)
        elif kind == "Person":
            minter.give(node, pointer, "person", node[_NAME])
        elif kind == "EventSeries":
            minter.give(node, pointer, "campaign", _default_text(node[_NAME]), node.get(_START, ""))
        else:
            minter.give(node, pointer, "organisation", _default_text(node[_NAME]))
    if minter.blank:
        for node in _all_nodes(graph):
            _replace_blank_references(node, minter.blank)
    return minter.problems


def _assign_sessions(minter: _Minter, parent: dict[str, Any], parent_id: str, pointer: str) -> None:
    for index, session in enumerate(parent.get(_SESSIONS, ())):
        here = f"{pointer}/{_SESSIONS}/{index}"
        session_id = (
            minter.give(session, here, "session", parent_id, _default_text(session[_NAME]))
            if _needs_id(session)
            else session["@id"]  # most documents: nothing to mint, so no key to build
        )
        for key, kind, text_key in _HELD:
            for item_index, item in enumerate(session.get(key, ())):
                if _needs_id(item):
                    minter.give(item, f"{here}/{key}/{item_index}", kind, session_id, _default_text(item[text_key]))
        if _SESSIONS in session:
            _assign_sessions(minter, session, session_id, here)


def _all_nodes(graph: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    stack = list(graph)
    while stack:
        node = stack.pop()
        yield node
        for key in _NODE_LISTS:
            children = node.get(key)
            if isinstance(children, list):  # a role's "performer" is a reference, not a list
                stack.extend(children)


def _replace_blank_references(node: dict[str, Any], blank: dict[str, str]) -> None:
    for key in _REFERENCE_KEYS:
        if key in node:
            node[key] = [blank.get(reference, reference) for reference in node[key]]
    for key in _SINGLE_REFERENCE_KEYS:
        value = node.get(key)
        if isinstance(value, str):
            node[key] = blank.get(value, value)
