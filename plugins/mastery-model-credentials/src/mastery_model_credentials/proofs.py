"""Data Integrity proofs of the cryptosuite eddsa-rdfc-2022 (W3C VC Data Integrity EdDSA
Cryptosuites v1.0): made, and checked.

To sign a credential: the proof's options (its ``@context`` that of the credential) and the
credential without its proof are each canonicalised with RDF Dataset Canonicalization (RDFC-1.0,
which pyld names URDNA2015) into N-Quads, each hashed with SHA-256; the signature is Ed25519's over
the proof options' hash followed by the credential's, written in multibase base58btc.

JSON-LD is processed in safe mode: a property that the contexts do not define would be left out of
what is signed, so it is refused instead. Contexts come from the files shipped in this package
(:data:`CONTEXTS`), never from the network.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from mastery_model_credentials import keys

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#: The contexts served, by URL, and the file of this package that holds each.
CONTEXTS = {
    VC_CONTEXT: "credentials-v2.jsonld",
    OB_CONTEXT: "ob-context-3.0.3.json",
}

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


class NotServed(ValueError):
    """A document asked for that is not one of the shipped contexts: nothing is fetched."""


class DroppedTerm(ValueError):
    """A property the contexts do not define: it would not be signed."""


@cache
def context_document(url: str) -> Any:
    """The shipped context of ``url``, parsed (once)."""
    if url not in CONTEXTS:
        raise NotServed(f"no document is fetched: {url} is not a context this package ships")
    return orjson.loads(resources.files(__package__).joinpath("contexts", CONTEXTS[url]).read_bytes())


def document_loader(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """pyld's document loader: the shipped contexts, and nothing else."""
    return {"contextUrl": None, "documentUrl": url, "document": context_document(url)}


def _refuse_dropped(term: str | None) -> None:
    raise DroppedTerm(f"the contexts do not define {term!r}: it would not be signed")


def _refuse_relative_types(node: Any) -> None:
    """A type the contexts do not define expands to a relative IRI, which RDF cannot hold: refused."""
    if isinstance(node, list):
        for item in node:
            _refuse_relative_types(item)
    elif isinstance(node, dict):
        for name, value in node.items():
            if name == "@type" and "@value" not in node:
                for kind in value if isinstance(value, list) else [value]:
                    if ":" not in kind:
                        raise DroppedTerm(f"the contexts do not define the type {kind!r}: it would not be signed")
            elif name != "@value":
                _refuse_relative_types(value)


def expanded(document: Mapping[str, Any]) -> list[Any]:
    """The document expanded as JSON-LD's safe mode has it: a property or a type that the contexts
    do not define is refused (:class:`DroppedTerm`), not left out of what is signed."""
    from pyld import jsonld

    result: list[Any] = jsonld.expand(
        dict(document), {"documentLoader": document_loader}, on_property_dropped=_refuse_dropped
    )
    _refuse_relative_types(result)
    return result


def canonical(document: Mapping[str, Any]) -> bytes:
    """The document's canonical N-Quads (RDFC-1.0), in safe mode (see :func:`expanded`)."""
    from pyld import jsonld

    nquads: str = jsonld.normalize(
        expanded(document),
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader},
    )
    return nquads.encode("utf-8")


@lru_cache(maxsize=16)
def _config_hash(config: bytes) -> bytes:
    """The hash of canonical proof options (their JSON): the same for every credential of an export."""
    return hashlib.sha256(canonical(orjson.loads(config))).digest()


def _hash_data(unsigned: Mapping[str, Any], options: Mapping[str, Any]) -> bytes:
    config = orjson.dumps({"@context": unsigned["@context"], **options}, option=orjson.OPT_SORT_KEYS)
    return _config_hash(config) + hashlib.sha256(canonical(unsigned)).digest()


def proof_options(key: Ed25519PrivateKey, created: str) -> dict[str, str]:
    return {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": keys.verification_method(key),
        "proofPurpose": "assertionMethod",
    }


def sign(unsigned: Mapping[str, Any], key: Ed25519PrivateKey, created: str) -> dict[str, Any]:
    """``unsigned`` with a proof made with ``key``, dated ``created`` (an XML Schema date-time).
    Ed25519 signatures are deterministic: the same document, key and date give the same bytes."""
    options = proof_options(key, created)
    signature = key.sign(_hash_data(unsigned, options))
    # a list of one: Open Badges' schema takes proofs as a list (Data Integrity takes either)
    return {**unsigned, "proof": [{**options, "proofValue": keys.multibase(signature)}]}


def verify(credential: Mapping[str, Any]) -> bool:
    """Whether ``credential`` carries an eddsa-rdfc-2022 proof, for the assertion of its issuer,
    that holds over it as it is now: a value altered, added or removed after signing fails."""
    proof = credential.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, Mapping) or proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return False
    method, value = proof.get("verificationMethod"), proof.get("proofValue")
    if proof.get("proofPurpose") != "assertionMethod" or not isinstance(method, str) or not isinstance(value, str):
        return False
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if method.partition("#")[0] != issuer_id:  # the key must be the issuer's own
        return False
    try:
        public = keys.public_key_of(method)
        signature = keys.from_multibase(value)
        unsigned = {name: part for name, part in credential.items() if name != "proof"}
        options = {name: part for name, part in proof.items() if name != "proofValue"}
        public.verify(signature, _hash_data(unsigned, options))
    except (InvalidSignature, ValueError):
        return False
    return True
