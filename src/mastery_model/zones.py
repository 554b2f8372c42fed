"""IANA time zones from the pinned ``tzdata`` package, the same on every machine.

``zoneinfo.ZoneInfo`` prefers the operating system's zone files, which differ between machines;
these zones always come from the ``tzdata`` wheel the library depends on.
"""

from __future__ import annotations

import functools
from importlib import resources
from zoneinfo import ZoneInfo


class PinnedZone(ZoneInfo):
    """A zone read from the ``tzdata`` package; pickles by name."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (zone, (self.key,))


@functools.cache
def names() -> frozenset[str]:
    """Every zone name the pinned database knows."""
    listing = resources.files("tzdata") / "zones"
    return frozenset(line.strip() for line in listing.read_text(encoding="utf-8").splitlines() if line.strip())


@functools.cache
def zone(name: str) -> ZoneInfo:
    """The zone called ``name``; KeyError when the database has no such zone."""
    if name not in names():
        raise KeyError(name)
    folder = resources.files("tzdata.zoneinfo")
    with folder.joinpath(*name.split("/")).open("rb") as data:
        return PinnedZone.from_file(data, key=name)
