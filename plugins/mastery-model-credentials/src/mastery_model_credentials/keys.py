"""The issuer's Ed25519 key: read from PEM (PKCS #8, as ``openssl genpkey -algorithm ed25519`` writes
it), made anew, and named as a ``did:key``.

A did:key names the public key itself (``did:key:z6Mk...``): the multicodec prefix of an Ed25519
public key (0xed 0x01) and the key's 32 bytes, in multibase base58btc (``z``). Anyone can turn it
back into the key, offline; nothing is published anywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import base58
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

#: The multicodec prefix of an Ed25519 public key (0xed, as an unsigned varint: 0xed 0x01).
ED25519_PUBLIC = b"\xed\x01"
#: The multibase prefix of base58btc.
BASE58BTC = "z"
#: What a key file must hold, said in errors.
KEY_FILE = "an Ed25519 private key in PEM (PKCS #8), as openssl genpkey -algorithm ed25519 writes it"


class KeyError_(ValueError):
    """A key file that cannot be used: the message says why."""


def multibase(data: bytes) -> str:
    """``data`` in multibase base58btc (``z`` and the Bitcoin base58 alphabet)."""
    return BASE58BTC + base58.b58encode(data).decode("ascii")


def from_multibase(text: str) -> bytes:
    """The bytes of a multibase base58btc string; ValueError for any other."""
    if not text.startswith(BASE58BTC):
        raise ValueError(f"not multibase base58btc (it starts with {text[:1]!r}, not 'z')")
    return base58.b58decode(text[1:])


def public_multibase(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return multibase(ED25519_PUBLIC + raw)


def did_key(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The key's ``did:key`` (``did:key:z6Mk...``)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return f"did:key:{public_multibase(public)}"


def verification_method(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The key's verification method in its did:key document: ``did:key:z6Mk...#z6Mk...``."""
    did = did_key(key)
    return f"{did}#{did.removeprefix('did:key:')}"


def public_key_of(method: str) -> Ed25519PublicKey:
    """The public key a ``did:key:z6Mk...#z6Mk...`` verification method names; ValueError for any other."""
    did, _, fragment = method.partition("#")
    identifier = did.removeprefix("did:key:")
    if not did.startswith("did:key:") or (fragment and fragment != identifier):
        raise ValueError(f"not the verification method of an Ed25519 did:key: {method!r}")
    data = from_multibase(identifier)
    if not data.startswith(ED25519_PUBLIC) or len(data) != len(ED25519_PUBLIC) + 32:
        raise ValueError(f"not an Ed25519 did:key: {method!r}")
    return Ed25519PublicKey.from_public_bytes(data[len(ED25519_PUBLIC) :])


def private_bytes(key: Ed25519PrivateKey) -> bytes:
    """The key's 32 secret bytes (the seed)."""
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def load_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """The Ed25519 private key in the PEM file ``path``; :class:`KeyError_` saying why it cannot be used."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise KeyError_(f"{KEY_FILE}; {path} cannot be read ({error.strerror or error})") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:
        raise KeyError_(f"{KEY_FILE}, not encrypted; {path} asks for a password") from None
    except (ValueError, UnsupportedAlgorithm):
        raise KeyError_(f"{KEY_FILE}; {path} holds no such key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyError_(
            f"{KEY_FILE}; {path} holds a key of another kind ({type(key).__name__.removesuffix('PrivateKey')})"
        )
    return key


def new_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """A new Ed25519 key, written to ``path`` as PEM (PKCS #8), readable by its owner only; a file
    already there is never replaced (:class:`FileExistsError`)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(pem)
    return key
