"""What the credentials' tests share: an event with every role, keys, exports, the fixtures."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import mastery_model
from mastery_model import Catalogue, Contribution, Role

ROOT = Path(__file__).resolve().parents[3]
NODE_FOLDER = Path(__file__).parent / "node"
ORGANISER_URL = "https://example.org/mastery-project"
#: Two seeds, so that keys (and so the bytes) are the same on every run.
SEED = bytes(range(32))
OTHER_SEED = bytes(range(1, 33))


def unavailable(what: str) -> None:
    """Skips the test, except in CI, where what is missing fails it."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing, and CI needs it")
    pytest.skip(f"{what} is missing")


def fixtures_dir() -> Path:
    configured = os.environ.get("MASTERY_FIXTURES")
    return Path(configured) if configured else ROOT.parent / "shared" / "fixtures"


def fixture_path(relative: str) -> Path:
    """A shared fixture file; skips the test when it is absent, except in CI, where it fails."""
    path = fixtures_dir() / relative
    if not path.exists():
        unavailable(f"the shared fixture {relative} (looked in {fixtures_dir()}; set MASTERY_FIXTURES)")
    return path


def fixture_json(relative: str) -> Any:
    return json.loads(fixture_path(relative).read_text(encoding="utf-8"))


def key_file(folder: Path, seed: bytes = SEED) -> Path:
    key = Ed25519PrivateKey.from_private_bytes(seed)
    path = folder / f"key-{seed[0]}.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return path


def event_catalogue(organiser_url: str | None = ORGANISER_URL) -> Catalogue:
    """The sample webinar, its organiser given a URL, with a moderator and a facilitator added to its
    first session (the first speaker moderates too), and an organisation as a facilitator."""
    sample = mastery_model.sample()
    event = sample.events[0]
    people = [person.id for person in sample.people]
    first = event.sessions[0]
    added = (
        Contribution(people[0], Role.MODERATOR),
        Contribution(people[1], Role.FACILITATOR),
        Contribution(sample.organisations[1].id, Role.FACILITATOR),
    )
    sessions = (attrs.evolve(first, contributions=first.contributions + added), *event.sessions[1:])
    organisations = tuple(
        attrs.evolve(o, url=organiser_url) if o.id == event.organisers[0] else o for o in sample.organisations
    )
    return attrs.evolve(sample, events=(attrs.evolve(event, sessions=sessions),), organisations=organisations)


def participants_file(folder: Path, rows: list[tuple[str, str]], name: str = "participants.csv") -> Path:
    path = folder / name
    lines = ["name,email", *(f'"{who}",{email}' for who, email in rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


PARTICIPANTS = [
    ("Ada Lovelace", "ada@example.org"),
    ("José Núñez", "Jose.Nunez@Example.ORG"),
    ("李雷", "li@example.cn"),
]


def export(catalogue: Catalogue, folder: Path, **options: str) -> dict[str, dict[str, Any]]:
    """The credentials written, by file name."""
    if folder.exists():
        shutil.rmtree(folder)
    mastery_model.export(catalogue, "openbadges", folder, **options)
    return {path.name: json.loads(path.read_bytes()) for path in sorted(folder.glob("[!.]*.json"))}
