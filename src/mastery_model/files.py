"""Writing files so that a failure never leaves half a file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_stream(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A stream to write ``path`` through: the file appears whole when the block ends, or, if the
    block fails, not at all (a file it would replace stays as it was)."""
    target = _writable(Path(path))
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path: str | os.PathLike[str], chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``path``: all of them, or, on any failure, nothing at all."""
    with atomic_stream(path) as stream:
        for chunk in chunks:
            stream.write(chunk)


def write_zip(folder: Path, stream: BinaryIO) -> None:
    """The files in ``folder`` as a zip archive; a fixed date and mode, so that the same files give
    the same archive."""
    with zipfile.ZipFile(stream, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                entry = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                with path.open("rb") as source, archive.open(entry, "w") as target:
                    shutil.copyfileobj(source, target)


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A folder to fill: it takes the place of ``path`` when the block ends, or, if the block fails,
    it is removed and ``path`` stays as it was."""
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "a file is in the way of the folder", str(target))
    _writable(target, folder=True)
    scratch = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    try:
        yield scratch
        scratch.chmod(0o777 & ~_umask())
        if target.exists():
            shutil.rmtree(target)
        os.replace(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _writable(target: Path, folder: bool = False) -> Path:
    # said of the target: an error about the temporary file beside it would only puzzle
    if target.is_dir() and not folder:
        raise IsADirectoryError(errno.EISDIR, "cannot write over a folder", str(target))
    if not target.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder to write in", str(target.parent))
    return target


def _mode_for(target: Path) -> int:
    """A replaced file keeps its mode; a new one gets the usual one (0666 less the umask)."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
