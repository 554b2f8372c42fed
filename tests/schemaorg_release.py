"""The part of a schema.org release the ``schemaorg`` reader needs, written as a module.

``python tests/schemaorg_release.py VOCABULARY.jsonld > src/mastery_model/builtin/schemaorg/release.py``
writes it from a release's vocabulary file (``schemaorg-current-https.jsonld``);
``tests/test_schemaorg_release.py`` writes it again from the shared fixture and fails if the
shipped module differs, so the module follows the vocabulary, never a hand list.
"""

from __future__ import annotations

import json
import sys
from collections import deque
from pathlib import Path

#: The kinds of organisation the model names, by their schema.org types (``conversion.ORGANISATION_KINDS``).
KINDS = (
    "Organization",
    "GovernmentOrganization",
    "EducationalOrganization",
    "ResearchOrganization",
    "NGO",
    "Project",
    "Consortium",
    "Corporation",
)


def _listed(value: object) -> list[dict[str, str]]:
    return value if isinstance(value, list) else [value] if isinstance(value, dict) else []


def module_text(vocabulary: Path, release: str) -> str:
    graph = json.loads(vocabulary.read_text(encoding="utf-8"))["@graph"]
    parents: dict[str, list[str]] = {}
    for node in graph:
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in kinds:
            name = node["@id"].removeprefix("schema:")
            parents[name] = [parent["@id"].removeprefix("schema:") for parent in _listed(node.get("rdfs:subClassOf"))]

    def ancestors(kind: str) -> list[str]:
        """The classes ``kind`` is a kind of, nearest first (breadth first; ties by name)."""
        found: dict[str, None] = {}
        queue = deque(sorted(parents.get(kind, [])))
        while queue:
            parent = queue.popleft()
            if parent not in found:
                found[parent] = None
                queue.extend(sorted(parents.get(parent, [])))
        return list(found)

    events = sorted(kind for kind in parents if kind == "Event" or "Event" in ancestors(kind))
    people = sorted(kind for kind in parents if kind == "Person" or "Person" in ancestors(kind))
    organisations = {
        kind: kind if kind in KINDS else next(parent for parent in ancestors(kind) if parent in KINDS)
        for kind in sorted(parents)
        if kind == "Organization" or "Organization" in ancestors(kind)
    }
    lines = [
        f'"""What the ``schemaorg`` reader needs of schema.org release {release}: written from the',
        "release's vocabulary by ``tests/schemaorg_release.py`` (do not edit; the tests write it again",
        'from the vocabulary and fail if it differs)."""',
        "",
        f'RELEASE = "{release}"',
        "",
        "#: Event and every class that is a kind of Event (transitively).",
        "EVENT_TYPES = frozenset(",
        "    {",
        *(f'        "{kind}",' for kind in events),
        "    }",
        ")",
        "",
        "#: Person and every class that is a kind of Person.",
        "PERSON_TYPES = frozenset(",
        "    {",
        *(f'        "{kind}",' for kind in people),
        "    }",
        ")",
        "",
        "#: Organization and every class that is a kind of it, each with the nearest kind of organisation",
        "#: the model names (``conversion.ORGANISATION_KINDS``) that it is a kind of.",
        "ORGANISATION_TYPES = {",
        *(f'    "{kind}": "{kind_of}",' for kind, kind_of in organisations.items()),
        "}",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(module_text(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "30.0"))
