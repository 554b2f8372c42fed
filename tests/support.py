"""What the tests share besides fixtures: the checkout, and the shared real-world data files.

(Kept out of ``conftest.py``: the plugins' tests run in the same session, with a conftest of their own.)
"""

from __future__ import annotations

import contextlib
import io
import os
import warnings
from pathlib import Path

import pytest

import mastery_model
from mastery_model import Catalogue, ExportWarning, MissingData

ROOT = Path(__file__).resolve().parents[1]


def fixtures_dir() -> Path:
    """The shared fixtures: $MASTERY_FIXTURES, else ../shared/fixtures beside the checkout."""
    configured = os.environ.get("MASTERY_FIXTURES")
    return Path(configured) if configured else ROOT.parent / "shared" / "fixtures"


def fixture_path(relative: str) -> Path:
    """A shared fixture file; skips the test when it is absent, except in CI, where it fails."""
    path = fixtures_dir() / relative
    if not path.exists():
        message = f"the shared fixture {relative} is absent (looked in {fixtures_dir()}; set MASTERY_FIXTURES)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def unavailable(reason: str) -> None:
    """A test that needs what this machine lacks (root, a mount): skipped, except in CI, where it fails."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under ``root`` (not ``root`` itself), by its path within it, as what must not change:
    its kind and mode and modification time, and a file's bytes or a link's target (links not followed)."""
    import stat

    seen: dict[str, tuple[object, ...]] = {}
    for folder, names, files in os.walk(root):
        for name in names + files:
            path = Path(folder) / name
            status = path.lstat()
            if stat.S_ISLNK(status.st_mode):
                content: object = os.readlink(path)
            elif stat.S_ISREG(status.st_mode):
                content = path.read_bytes()
            else:
                content = status.st_rdev
            seen[path.relative_to(root).as_posix()] = (status.st_mode, status.st_mtime_ns, content)
    return seen


def temporaries(root: Path) -> list[str]:
    """The temporary files and folders (``*.part``) anywhere under ``root``."""
    return sorted(
        (Path(folder) / name).relative_to(root).as_posix()
        for folder, names, files in os.walk(root)
        for name in names + files
        if name.endswith(".part")
    )


def fuzz_budget(examples: int) -> int:
    """How many inputs a property test of hostile input tries: ``examples`` in the suite, or the
    long campaign's ``MASTERY_FUZZ_EXAMPLES`` (``make fuzz``)."""
    return int(os.environ.get("MASTERY_FUZZ_EXAMPLES", examples))


def written_everywhere(catalogue: Catalogue) -> None:
    """A catalogue that was read can be written: read back equal from its own document, and
    exported to every installed format, which refuses (``MissingData``) or warns about what it
    cannot carry and raises nothing else."""
    assert mastery_model.loads(mastery_model.dumps(catalogue)) == catalogue
    for format in mastery_model.formats():
        if format.writes and format.clash is None:
            with warnings.catch_warnings(), contextlib.suppress(MissingData):
                warnings.simplefilter("ignore", ExportWarning)
                mastery_model.export(catalogue, format.name, io.BytesIO())
