"""Writing outputs: nothing the user did not ask to replace is touched, nothing is left half written.

- ``-`` is standard output; character devices, FIFOs and sockets are written to directly, as the
  coreutils do; a symlink is followed, and its target replaced.
- A file is replaced by renaming a complete temporary file over it (``.NAME.PID.HEX.part`` beside
  it); a failure removes the temporary file, and a kill leaves one that the next write of the same
  file removes (the process id in its name says that its writer is gone).
- A folder is never replaced whole: each file written replaces its namesake, one rename each, and
  every other file in the folder is left as it was. What the library wrote there is listed, with
  each file's digest, in the folder's manifest (:data:`MANIFEST`); a file that an earlier write of
  the same job listed and this one does not is removed only while its bytes are still those
  listed, so a file the user changed or made is never removed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
import sys
import tempfile
import zipfile
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson

from mastery_model.problems import OutputIsInput

#: The destination that means standard output.
STDOUT = "-"
#: The file, in a folder the library writes into, that lists what it wrote there.
MANIFEST = ".mastery-model.json"
#: How a manifest lists a folder written whole by one job, whose own manifest lists its files.
FOLDER_ENTRY = "folder:"

Path_ = str | os.PathLike[str]
#: What a job wrote into a folder: a file's path within it -> ``sha256:HEX``, or ``folder:JOB``.
Entries = dict[str, str]


def is_stdout(path: Path_) -> bool:
    return isinstance(path, str) and path == STDOUT


def is_special(path: Path_) -> bool:
    """Whether ``path`` is a device, a FIFO or a socket (followed through symlinks): written to
    directly, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def is_stream_path(path: Path_) -> bool:
    """Whether writing to ``path`` means writing one stream into it (standard output, a device...)."""
    return is_stdout(path) or is_special(path)


# -- files -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def output_stream(path: Path_, *, inputs: Collection[Path_] = ()) -> Iterator[BinaryIO]:
    """A stream to write ``path`` through: standard output for ``-``, the file itself for a device
    or a FIFO, else a temporary file that replaces ``path`` (a symlink's target) whole when the
    block ends, or is removed if it fails. Errors name ``path`` as given."""
    if is_stdout(path):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    given = os.fspath(path)
    with said_of(given):
        if is_special(path):
            with open(path, "wb") as stream:
                yield stream
            return
        target = real_target(Path(path))
        refuse_inputs([target], inputs, given)
        with _replacing(target) as stream:
            yield stream


def write_atomically(path: Path_, chunks: Iterable[bytes]) -> None:
    """Write ``chunks`` to ``path`` (as :func:`output_stream` does): all of them, or nothing."""
    with output_stream(path) as stream:
        for chunk in chunks:
            stream.write(chunk)


def real_target(path: Path) -> Path:
    """The file a write to ``path`` replaces: the end of a chain of symlinks, else ``path``."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextlib.contextmanager
def _replacing(target: Path) -> Iterator[BinaryIO]:
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(target))
    remove_leftovers(target.parent, target.name)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    created = False
    try:
        with _interrupts_held():  # a Ctrl-C between making the file and knowing it would leave it behind
            # 0666: the kernel takes the umask off, as for any new file (reading the umask would change it)
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            created = True
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            _keep_owner_and_mode(stream.fileno(), target)
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        if created:
            temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C (SIGINT, and the SIGALRM by which the command line delivers one that came during an
    import) held back inside, and delivered on leaving: what is made inside is known to the code
    that cleans up after an interruption. Where signals cannot be held (Windows), nothing is held."""
    import signal  # loaded by the interpreter at start-up: no cost

    try:
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGALRM})
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _keep_owner_and_mode(new: int | Path, replaced: Path) -> None:
    """The file that replaces another (an open handle or a path) gets its mode (and, where the
    process may give it, its owner)."""
    try:
        old = replaced.stat()
    except FileNotFoundError:
        return
    with contextlib.suppress(PermissionError):
        os.chown(new, old.st_uid, old.st_gid)
    os.chmod(new, stat.S_IMODE(old.st_mode))


@contextlib.contextmanager
def said_of(given: str) -> Iterator[None]:
    """Errors about the output name the path the user gave, not a temporary file or a link's target."""
    try:
        yield
    except OSError as error:
        named = None if error.filename is None else os.fspath(error.filename)
        if named is None or not _shown(named, given):
            raise OSError(error.errno, error.strerror or str(error), given) from None
        raise


def _shown(named: str, given: str) -> bool:
    """Whether an error's file is one to show: ``given``, or a file in it that is not temporary."""
    inside = named == given or named.startswith(given.rstrip(os.sep) + os.sep)
    return inside and not any(_LEFTOVER.fullmatch(part) for part in Path(named).parts)


_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.part")


def remove_leftovers(folder: Path, name: str) -> None:
    """The temporary files (or folders) for ``name`` that a killed write left in ``folder``: those
    whose writing process is gone are removed."""
    try:
        candidates = [entry for entry in os.scandir(folder) if entry.name.endswith(".part")]
    except OSError:
        return
    for entry in candidates:
        found = _LEFTOVER.fullmatch(entry.name)
        if found is None or found["name"] != name or _running(int(found["pid"])):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        elif entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another write of this process, in progress
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process: leave its files
    return True


# -- inputs ----------------------------------------------------------------------------------------


def refuse_inputs(outputs: Iterable[Path], inputs: Collection[Path_], given: str | None = None) -> None:
    """:class:`OutputIsInput` when an output would overwrite or remove an input: the same file
    (however spelt or linked), or a file inside an input folder."""
    if not inputs:
        return
    for output in outputs:
        read = is_input(output, inputs)
        if read is not None:
            shown = given or str(output)
            raise OutputIsInput(f"the output {shown} would overwrite the input {read}: choose another path")


def is_input(path: Path, inputs: Collection[Path_]) -> str | None:
    """The input that ``path`` is, or lies in (as given), when it exists; else None."""
    if not path.exists():
        return None
    real = Path(os.path.realpath(path))
    for source in inputs:
        with contextlib.suppress(OSError):
            if os.path.samefile(path, source) or (
                os.path.isdir(source) and real.is_relative_to(os.path.realpath(source))
            ):
                return os.fspath(source)
    return None


# -- folders ---------------------------------------------------------------------------------------


def make_folder(path: Path) -> bool:
    """``path`` as a folder: made if missing (its parent must exist), refused if a file is there.
    Whether it was made."""
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", str(path))
    try:
        path.mkdir()
    except FileExistsError:
        return False
    return True


def remove_if_empty(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()


@contextlib.contextmanager
def output_folder(
    path: Path_, *, job: str, last: Collection[str] = (), inputs: Collection[Path_] = ()
) -> Iterator[Path]:
    """A scratch folder to fill (hidden, inside ``path``): when the block ends, each file in it
    replaces its namesake in ``path``, those named in ``last`` after the others, then the manifest
    records them for ``job``; files an earlier write of ``job`` listed and this one did not are
    removed while unchanged. Every other file in ``path`` is left as it was. If the block fails,
    nothing in ``path`` changes. Errors name ``path`` as given."""
    given = os.fspath(path)
    with said_of(given):
        folder = real_target(Path(path))
        refuse_inputs([folder], inputs, given)  # an input folder itself: refused before anything is made in it
        made = make_folder(folder)
        remove_leftovers(folder, _SCRATCH)
        scratch = folder / f".{_SCRATCH}.{os.getpid()}.{secrets.token_hex(4)}.part"
        scratch_made = False
        try:
            with _interrupts_held():  # as for a file: made and known at once
                scratch.mkdir(mode=0o700)
                scratch_made = True
            yield scratch
            _install(scratch, folder, job, last, inputs, given)
        except BaseException:
            if scratch_made:
                shutil.rmtree(scratch, ignore_errors=True)
            if made:
                remove_if_empty(folder)
            raise
        shutil.rmtree(scratch, ignore_errors=True)


_SCRATCH = "mastery-model"


def _install(
    scratch: Path, folder: Path, job: str, last: Collection[str], inputs: Collection[Path_], given: str
) -> None:
    names = sorted(
        (path.relative_to(scratch).as_posix() for path in scratch.rglob("*") if path.is_file()),
        key=lambda name: (name in last, name),
    )
    for name in names:  # everything in the way is found before anything is moved
        destination = folder / name
        refuse_inputs([destination], inputs, os.path.join(given, name))
        if real_target(destination).is_dir():
            raise IsADirectoryError(errno.EISDIR, "it is a folder", os.path.join(given, name))
    entries = {}
    for name in names:
        entries[name] = digest(scratch / name)
        _move(scratch / name, folder / name)
    forget(folder, job, set(entries), inputs)
    record(folder, job, entries)


def _move(source: Path, destination: Path) -> None:
    if is_special(destination):
        with source.open("rb") as data, open(destination, "wb") as into:
            shutil.copyfileobj(data, into)
        return
    target = real_target(destination)
    target.parent.mkdir(parents=True, exist_ok=True)
    _keep_owner_and_mode(source, target)
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        with source.open("rb") as data, _replacing(target) as into:  # a link to another file system
            shutil.copyfileobj(data, into)


def digest(path: Path) -> str:
    with path.open("rb") as data:
        return f"sha256:{hashlib.file_digest(data, 'sha256').hexdigest()}"


def written(folder: Path, job: str) -> Entries:
    """What ``job`` wrote into ``folder``, as its manifest lists it (nothing when it has none, or
    one the library cannot read)."""
    try:
        data = orjson.loads((folder / MANIFEST).read_bytes())
        entries = data["written"][job]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return {}
    if not isinstance(entries, dict):
        return {}
    return {name: value for name, value in entries.items() if isinstance(value, str) and _inside(name)}


def _inside(name: str) -> bool:
    """A name a manifest may list: a relative path that stays inside its folder."""
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def record(folder: Path, job: str, entries: Entries) -> None:
    """The manifest of ``folder``, listing ``entries`` for ``job`` (other jobs' lists kept)."""
    try:
        data = orjson.loads((folder / MANIFEST).read_bytes())
        jobs = data["written"] if isinstance(data, dict) and isinstance(data.get("written"), dict) else {}
    except (OSError, orjson.JSONDecodeError):
        jobs = {}
    jobs[job] = dict(sorted(entries.items()))
    jobs = {name: listed for name, listed in jobs.items() if listed}
    if not jobs:  # nothing of the library's is there (any more): no manifest either
        (folder / MANIFEST).unlink(missing_ok=True)
        return
    document = {"written": dict(sorted(jobs.items())), "about": "files mastery-model wrote here, with their digests"}
    with _replacing(folder / MANIFEST) as stream:
        stream.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")


def forget(
    folder: Path, job: str, kept: Collection[str], inputs: Collection[Path_] = ()
) -> tuple[list[str], list[str]]:
    """Remove what ``job`` wrote into ``folder`` earlier and has not written now (``kept``): each
    file while its bytes are still those listed, each folder through its own manifest. Returns the
    names removed, and those left because they changed since (or are inputs)."""
    removed: list[str] = []
    left: list[str] = []
    base = os.path.realpath(folder)
    for name, entry in written(folder, job).items():
        if name in kept:
            continue
        path = folder / name
        if not os.path.realpath(path).startswith(base + os.sep) or is_input(path, inputs) is not None:
            left.append(name)
            continue
        if entry.startswith(FOLDER_ENTRY):
            if path.is_dir() and not path.is_symlink():
                _removed, changed = forget(path, entry.removeprefix(FOLDER_ENTRY), (), inputs)
                if not changed:
                    (path / MANIFEST).unlink(missing_ok=True)
                    remove_if_empty(path)
                (left if path.exists() else removed).append(name)
            continue
        if not path.exists():
            continue
        if path.is_symlink() or not path.is_file() or digest(path) != entry:
            left.append(name)
            continue
        path.unlink()
        removed.append(name)
    return removed, left


def write_zip(folder: Path, stream: BinaryIO) -> None:
    """The files in ``folder`` as a zip archive; a fixed date and mode, so that the same files give
    the same archive. It is made in a temporary file, then copied: written straight into a pipe
    (which cannot seek) zipfile would add data descriptors, and a device such as ``/dev/null``
    claims to seek but does not."""
    with tempfile.TemporaryFile() as built:
        _zip(folder, built)
        built.seek(0)
        shutil.copyfileobj(built, stream)


def _zip(folder: Path, stream: BinaryIO) -> None:
    with zipfile.ZipFile(stream, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                entry = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                with path.open("rb") as source, archive.open(entry, "w") as target:
                    shutil.copyfileobj(source, target)
