"""Synthetic catalogues for benchmarks: realistic text in several languages and scripts, time
zones, nested sessions and speakers shared between sessions. Deterministic for a given size.

    python benchmarks/catalogue.py 10000 > catalogue.jsonld
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from typing import Any

import orjson

CONTEXT = "https://w3id.org/mastery-model/v1/context.jsonld"
ZONES = [("Europe/Madrid", 2), ("Europe/Helsinki", 3), ("Europe/Rome", 2), ("Europe/Sofia", 3), ("Europe/Lisbon", 1)]
COUNTRIES = ["ES", "FI", "IT", "BG", "PT", "DE", "FR", "PL", "EE", "GR"]
TITLES = {
    "en": [
        "Micro-credentials for sustainable skills",
        "Quality assurance in VET",
        "Digital badges that motivate learners",
        "Recognition of prior learning",
        "Industry ties and apprenticeships",
    ],
    "es": [
        "Microcredenciales para competencias sostenibles",
        "Garantía de calidad en la FP",
        "Formación dual y empresa",
    ],
    "fi": ["Osaamismerkit oppijan motivaationa", "Mikrotutkinnot ja työelämä"],
    "bg": ["Микроквалификации и диалог", "Признаване на неформалното учене"],
    "el": ["Μικροδιαπιστευτήρια για βιώσιμες δεξιότητες"],
}
TOPICS = [
    "micro-credentials",
    "quality assurance",
    "digital badges",
    "recognition of prior learning",
    "sustainability",
    "employability",
    "lifelong learning",
    "digital transition",
]
KINDS = ["keynote", "talk", "panel", "discussion", "breakout", "workshop", "plenary"]
ROLES = ["speaker", "panellist", "moderator", "facilitator", "rapporteur", "host"]
AUDIENCES = ["policymakers", "vet-providers", "employers", "learners", "public-authorities"]


def _text(rng: random.Random, number: int) -> dict[str, str]:
    languages = rng.sample(sorted(TITLES), k=rng.choice((1, 1, 2)))
    return {language: f"{rng.choice(TITLES[language])} {number}" for language in languages}


def _time(moment: datetime, offset: int) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:00") + f"+0{offset}:00"


def generate(sessions: int, events: int | None = None, seed: int = 1) -> dict[str, Any]:
    """A canonical document with ``sessions`` sessions spread over ``events`` events."""
    rng = random.Random(seed)
    events = events or max(1, sessions // 100)
    people_count = max(4, sessions // 4)
    organisations = [
        {
            "@type": rng.choice(["Organization", "NGO", "EducationalOrganization", "GovernmentOrganization"]),
            "@id": f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
            "name": _text(rng, index),
            "country": rng.choice(COUNTRIES),
        }
        for index in range(max(2, people_count // 10))
    ]
    people = [
        {
            "@type": "Person",
            "@id": f"urn:uuid:00000000-0000-4000-9000-{index:012d}",
            "name": f"Person {index} {rng.choice(['García', 'Virtanen', 'Rossi', 'Иванова', 'Παπαδόπουλος'])}",
            "jobTitle": _text(rng, index),
            "affiliation": [rng.choice(organisations)["@id"]],
        }
        for index in range(people_count)
    ]
    graph: list[dict[str, Any]] = []
    per_event = [sessions // events + (1 if index < sessions % events else 0) for index in range(events)]
    number = 0
    for event_index, count in enumerate(per_event):
        zone, offset = ZONES[event_index % len(ZONES)]
        day = datetime(2024, 10, 14) + timedelta(days=event_index % 7)
        start = day.replace(hour=9)
        top: list[dict[str, Any]] = []
        parent: dict[str, Any] | None = None
        for index in range(count):
            number += 1
            begin = start + timedelta(minutes=(5 * index) % 480)
            session: dict[str, Any] = {
                "@type": "EducationEvent",
                "@id": f"urn:uuid:00000000-0000-4000-a000-{number:012d}",
                "name": _text(rng, number),
                "description": _text(rng, number),
                "sessionKind": rng.choice(KINDS),
                "startTime": _time(begin, offset),
                "endTime": _time(begin + timedelta(minutes=30), offset),
                "timeZone": zone,
                "position": index + 1,
                "about": rng.sample(TOPICS, k=2),
                "performer": [
                    {"performer": person["@id"], "roleName": rng.choice(ROLES)} for person in rng.sample(people, k=2)
                ],
                "recommendation": [
                    {
                        "@type": "Recommendation",
                        "@id": f"urn:uuid:00000000-0000-4000-b000-{number * 2 + r:012d}",
                        "text": _text(rng, number),
                        "position": r + 1,
                        "about": [rng.choice(TOPICS)],
                        "scope": rng.choice(COUNTRIES),
                        "audience": [rng.choice(AUDIENCES)],
                    }
                    for r in range(2)
                ],
            }
            if index % 10 == 0:  # every tenth session is a group the next ones nest in, in order only
                for key in ("startTime", "endTime", "timeZone"):
                    del session[key]
                parent = session
                top.append(session)
            else:
                assert parent is not None
                parent.setdefault("subEvent", []).append(session)
        graph.append(
            {
                "@type": "EducationEvent",
                "@id": f"urn:uuid:00000000-0000-4000-c000-{event_index:012d}",
                "name": _text(rng, event_index),
                "description": _text(rng, event_index),
                "startTime": _time(start, offset),
                "endTime": _time(start + timedelta(hours=10), offset),
                "timeZone": zone,
                "eventAttendanceMode": "online",
                "about": rng.sample(TOPICS, k=3),
                "organizer": [rng.choice(organisations)["@id"]],
                "attendance": {"count": rng.randrange(20, 500), "qualifier": "more-than"},
                "subEvent": top,
            }
        )
    return {"@context": CONTEXT, "@graph": graph + organisations + people}


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    sys.stdout.buffer.write(orjson.dumps(generate(size)))
