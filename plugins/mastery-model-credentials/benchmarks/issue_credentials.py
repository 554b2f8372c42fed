"""Credentials per second, signing included, against the time of the Ed25519 signature alone, and
the peak memory of the run: ``python plugins/mastery-model-credentials/benchmarks/issue_credentials.py [COUNT]``
(10,000 participants unless told)."""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import attrs
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import mastery_model


def main(count: int) -> None:
    sample = mastery_model.sample()
    first = sample.events[0].organisers[0]
    organisations = tuple(
        attrs.evolve(o, url="https://example.org/mastery-project") if o.id == first else o for o in sample.organisations
    )
    catalogue = attrs.evolve(sample, organisations=organisations)
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        (folder / "key.pem").write_bytes(pem)
        listed = folder / "participants.csv"
        with listed.open("w", encoding="utf-8") as stream:
            stream.write("name,email\n")
            for number in range(count):
                stream.write(f"Participant {number},participant{number}@example.org\n")
        started = time.perf_counter()
        mastery_model.export(
            catalogue,
            "openbadges",
            folder / "out",
            key=str(folder / "key.pem"),
            participants=str(listed),
            roles="participant",
        )
        elapsed = time.perf_counter() - started
        written = len(list((folder / "out").glob("participant-*.json")))
    message = bytes(64)
    started = time.perf_counter()
    for _ in range(count):
        key.sign(message)
    signing = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"| credentials | {written:,} | {written / elapsed:,.1f} /s | signature alone {count / signing:,.0f} /s "
        f"({100 * signing / elapsed:.2f} % of the time) | peak RSS {peak:,.0f} MiB |"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
