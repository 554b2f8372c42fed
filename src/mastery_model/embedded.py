"""The embedded sample: the MASTERY webinar "Greening the Future" of 15 October 2024."""

from __future__ import annotations

import os
from importlib import resources

from mastery_model import files
from mastery_model.builtin.jsonld import document
from mastery_model.model import Catalogue

#: The name of the sample in reports, and the input that stands for it.
SOURCE = "<sample>"


def sample_bytes() -> bytes:
    """The sample as its canonical JSON-LD document."""
    return (resources.files("mastery_model") / "data" / "sample.jsonld").read_bytes()


def sample() -> Catalogue:
    """The sample, loaded and validated."""
    return document.loads(sample_bytes(), source=SOURCE)


def write_sample(path: str | os.PathLike[str]) -> None:
    """The sample's document written to ``path`` (replaced whole, or not at all)."""
    files.write_atomically(path, [sample_bytes()])
