"""The credentials plugin: signed Open Badges credentials issued for a list of participants, per
second with signing included, against the Ed25519 signature alone (CPU time both)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import mastery_model

#: How many participants the row issues credentials to (``--credentials`` changes it).
PARTICIPANTS = 300


def credentials_rows(count: int = PARTICIPANTS) -> list[list[str]]:
    """One row; a note when the plugin is not installed."""
    if "openbadges" not in mastery_model.plugins.installed().exporters:
        return [["openbadges (plugin not installed)", "", "", "", ""]]
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from mastery_model_credentials.__main__ import demo_catalogue  # an issuer needs an address the sample lacks

    catalogue = demo_catalogue()
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        (folder / "key.pem").write_bytes(pem)
        listed = folder / "participants.csv"
        rows = "".join(f"Participant {number},participant{number}@example.org\n" for number in range(count))
        listed.write_text("name,email\n" + rows, encoding="utf-8")
        started = time.process_time()
        mastery_model.export(
            catalogue,
            "openbadges",
            folder / "out",
            key=str(folder / "key.pem"),
            participants=str(listed),
            roles="participant",
        )
        issuing = time.process_time() - started
        written = len(list((folder / "out").glob("participant-*.json")))
    started = time.process_time()
    for _ in range(count):
        key.sign(bytes(64))
    signing = time.process_time() - started
    return [
        [
            "openbadges: credentials issued, signed (plugin)",
            f"{written:,} participants",
            f"{written / issuing:,.1f} per second",
            f"the signature alone: {count / signing:,.0f} per second ({100 * signing / issuing:.2f}% of the time)",
            "",
        ]
    ]
