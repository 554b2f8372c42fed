"""What exporters writing a catalogue in parts keep between the parts."""

from __future__ import annotations

import hashlib
import heapq
from array import array
from bisect import bisect_left

_LOW = (1 << 64) - 1


class SeenIds:
    """The ids written so far, so that an entity several parts carry (a person who speaks at many
    events) is written once.

    This is what grows with the number of parts, so it is kept small: a 128-bit digest of each id
    (a collision is as likely as one of two random UUIDs) in two sorted arrays of 64-bit halves,
    16 bytes an id, with the digests of the latest ids in a set until they are merged in. A set of
    the ids themselves takes about 160 bytes an id, and a set of digests about 130.
    """

    def __init__(self) -> None:
        self._high = array("Q")  # sorted by (high, low)
        self._low = array("Q")
        self._recent: set[int] = set()

    def first(self, identifier: str) -> bool:
        """Whether ``identifier`` is new (it is then remembered)."""
        digest = int.from_bytes(hashlib.blake2b(identifier.encode(), digest_size=16).digest(), "big")
        if digest in self._recent or self._merged(digest):
            return False
        self._recent.add(digest)
        if len(self._recent) >= max(4096, len(self._high) // 4):
            self._merge()
        return True

    def __len__(self) -> int:
        return len(self._high) + len(self._recent)

    def _merged(self, digest: int) -> bool:
        high, low = digest >> 64, digest & _LOW
        index = bisect_left(self._high, high)
        while index < len(self._high) and self._high[index] == high:
            if self._low[index] == low:
                return True
            index += 1
        return False

    def _merge(self) -> None:
        high, low = array("Q"), array("Q")
        merged = ((h << 64) | low_half for h, low_half in zip(self._high, self._low, strict=True))
        for digest in heapq.merge(merged, sorted(self._recent)):
            high.append(digest >> 64)
            low.append(digest & _LOW)
        self._high, self._low, self._recent = high, low, set()
