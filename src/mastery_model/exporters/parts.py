"""What exporters writing a catalogue in parts keep between the parts."""

from __future__ import annotations

import hashlib


class SeenIds:
    """The ids written so far, so that an entity several parts carry (a person who speaks at many
    events) is written once. Kept as 128-bit digests rather than the ids themselves: about 60% of
    the memory, and a collision is as likely as a collision of two UUIDs."""

    def __init__(self) -> None:
        self._digests: set[int] = set()

    def first(self, identifier: str) -> bool:
        """Whether ``identifier`` is new (it is then remembered)."""
        digest = int.from_bytes(hashlib.blake2b(identifier.encode(), digest_size=16).digest(), "little")
        if digest in self._digests:
            return False
        self._digests.add(digest)
        return True
