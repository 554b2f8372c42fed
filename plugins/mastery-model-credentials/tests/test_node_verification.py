"""digitalbazaar's Verifiable Credentials libraries (vc, data-integrity, eddsa-rdfc-2022-cryptosuite,
did-method-key) verify every credential, in one run of Node, offline; a tampered one fails.

Installed by ``make test`` (``npm ci`` in tests/node); under CI=true a missing Node fails."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from credentials_support import (
    NODE_FOLDER,
    PARTICIPANTS,
    event_catalogue,
    export,
    key_file,
    participants_file,
    unavailable,
)
from mastery_model_credentials import proofs
from test_microcredentials import OFFER, micro_credential

from mastery_model import CredentialOffer


def verify_in_node(credentials: list[dict[str, Any]]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (NODE_FOLDER / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        unavailable("Node and digitalbazaar's vc libraries (make test installs them: npm ci in tests/node)")
    contexts = {url: proofs.context_document(url) for url in proofs.CONTEXTS}
    result = subprocess.run(
        [node, str(NODE_FOLDER / "verify.mjs")],
        input=json.dumps({"contexts": contexts, "credentials": credentials}).encode(),
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def _tampered(credential: dict[str, Any], change: str) -> dict[str, Any]:
    copy = json.loads(json.dumps(credential))
    if change == "name":
        copy["credentialSubject"]["achievement"]["name"] += " (altered)"
    elif change == "recipient":
        copy["credentialSubject"]["identifier"][-1]["identityHash"] = "Mallory"
    elif change == "date":
        copy["validFrom"] = "2020-01-01T00:00:00Z"
    elif change == "removed":
        del copy["credentialSubject"]["achievement"]["description"]
    elif change == "other key":
        copy["issuer"]["id"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    return copy


CHANGES = ("name", "recipient", "date", "removed", "other key")


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    folder: Path = tmp_path_factory.mktemp("node")
    listed = participants_file(folder, PARTICIPANTS)
    issued = export(event_catalogue(), folder / "out", key=str(key_file(folder)), participants=str(listed))
    credentials = [
        *issued.values(),
        micro_credential(),
        micro_credential(CredentialOffer(ects_credits=2.5, workload_hours=12, eqf_level=4)),
    ]
    tampered = [
        _tampered(credential, change) for credential in credentials[:2] + credentials[-2:] for change in CHANGES
    ]
    results = verify_in_node(credentials + tampered)
    assert results["fetched"] == []  # nothing was asked of the network
    return credentials, results["results"]


def test_every_credential_verifies_with_digitalbazaars_implementation(verified):
    credentials, results = verified
    for credential, result in zip(credentials, results, strict=False):
        assert result == {"verified": True, "errors": []}, credential["id"]
    assert len(credentials) == 12
    assert OFFER.ects_credits is not None


def test_a_tampered_credential_does_not(verified):
    credentials, results = verified
    tampered = results[len(credentials) :]
    assert len(tampered) == 4 * len(CHANGES)
    assert all(result["verified"] is False for result in tampered)
