"""Reading documents in any installed format: recognised by their first bytes and name, or named."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO, TypeVar

from mastery_model import reading as pipeline
from mastery_model import recognised
from mastery_model.model import Catalogue
from mastery_model.plugins import Formats, installed
from mastery_model.plugins.records import Importer, checked_options
from mastery_model.problems import InvalidDocument, Problem, Report, UnknownFormat, UsageError, located

#: How much of a document importers see to recognise it.
HEAD = 4096
#: The format tried when nothing recognises a document: the library's own, whose report then says why.
DEFAULT_FORMAT = "jsonld"
#: What is read at a time beyond a file's stated size.
_CHUNK = 1 << 20

T = TypeVar("T")


def load(
    path: str | os.PathLike[str], *, format: str | None = None, registry: Formats | None = None, **options: str
) -> Catalogue:
    """The catalogue in a file of any installed format (``format`` names it; else it is recognised).

    Raises :class:`~mastery_model.InvalidDocument` with every problem found.
    """
    if is_folder(path):
        return _read_folder(Path(path), format, registry or installed(), options)
    data = read_file(path)
    return read(data, suffix=Path(path).suffix, format=format, source=str(path), registry=registry, **options)


def read_file(path: str | os.PathLike[str] | BinaryIO, name: str | None = None) -> bytes:
    """The bytes of a file, or of a stream opened for reading (standard input, named ``name``);
    :class:`InvalidDocument` when it cannot be read or holds more than a document may (checked
    before reading, and while reading a file whose size the system does not know: a FIFO, a pipe)."""
    limit = pipeline.MAX_DOCUMENT_BYTES
    stream = not isinstance(path, (str, os.PathLike))
    shown = name if stream else str(path)
    what = "the input" if stream else "the file"
    try:
        with contextlib.nullcontext(path) if not isinstance(path, (str, os.PathLike)) else open(path, "rb") as file:
            try:
                size = os.fstat(file.fileno()).st_size
            except (OSError, io.UnsupportedOperation):  # a stream with no file behind it
                size = 0
            if size <= limit:
                # what the file says it holds, at once (asking for the limit would allocate it), then
                # a chunk at a time for one that grows or has no size
                chunks, read, want = [], 0, size + 1
                while read <= limit and (chunk := file.read(want)):
                    chunks.append(chunk)
                    read += len(chunk)
                    want = _CHUNK
                if read <= limit:
                    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as error:
        message = f"cannot read {what}: {error.strerror or error}"
    except ValueError:  # the one a name with a NUL character gets: no file can have it
        message, shown = f"cannot read {what}: its name holds a NUL character", repr(shown)
    else:
        message = f"{what} holds more than the {limit:,} bytes a document may have: it is not read"
    raise InvalidDocument(Report((Problem("", message, None, shown),)))


def is_folder(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a folder, read by a folder's importer rather than as a file."""
    try:
        return Path(path).is_dir()
    except (OSError, ValueError):  # a name too long, say: reading it as a file reports why
        return False


def _read_folder(folder: Path, format: str | None, registry: Formats, options: Mapping[str, str]) -> Catalogue:
    readers = [registered.format for _name, registered in sorted(registry.importers.items())]
    if format is not None:
        importer = registry.importer(format)
    else:
        found = [
            reader for reader in readers if reader.sniff_folder is not None and _recognises(reader.sniff_folder, folder)
        ]
        if not found:
            names = ", ".join(reader.name for reader in readers if reader.read_folder) or "none installed"
            message = f"no installed importer reads the folder {folder} (formats read from folders: {names})"
            raise InvalidDocument(Report((Problem("", message, None, str(folder)),)))
        importer = found[0]
    if importer.read_folder is None:
        raise UnknownFormat(f"the importer {importer.name!r} reads files, not folders")
    try:
        return importer.read_folder(folder, checked_options(importer.name, options, importer.options))
    except InvalidDocument as error:
        raise InvalidDocument(Report(tuple(located(error.report.problems, str(folder))))) from None


def read(
    data: bytes,
    *,
    suffix: str = "",
    format: str | None = None,
    source: str | None = None,
    registry: Formats | None = None,
    **options: str,
) -> Catalogue:
    """The catalogue in a document's bytes, of any installed format (``suffix``: its file extension)."""
    try:
        importer = choose_importer(data, suffix, format, registry)
        if importer.read is None:
            raise UnknownFormat(f"the importer {importer.name!r} reads folders, not files")
        return importer.read(data, checked_options(importer.name, options, importer.options))
    except InvalidDocument as error:
        raise InvalidDocument(Report(tuple(located(error.report.problems, source)))) from None


def validate(
    target: Catalogue | bytes | str | os.PathLike[str],
    *,
    format: str | None = None,
    source: str | None = None,
    registry: Formats | None = None,
    **options: str,
) -> Report:
    """Every problem in a model, in a document's bytes (``source`` names them in the report), or in
    a file (a path, as for :func:`load`), in any installed format; empty when valid.

    Whatever the input holds, and whether the file exists or can be read, the answer is a report.
    Only a mistake in the call itself raises: a ``format`` no installed plugin reads or an option
    it does not take (:class:`~mastery_model.UsageError`), a target of another type (``TypeError``).
    """
    if isinstance(target, Catalogue):
        return pipeline.validate_catalogue(target)
    if isinstance(target, bytearray | memoryview):
        target = bytes(target)
    if not isinstance(target, bytes | str | os.PathLike):
        raise TypeError(f"validate() takes a Catalogue, bytes or a path, not {type(target).__name__}")
    registry = registry or installed()
    named = registry.importer(format) if format is not None else None  # an unknown name raises here
    where = source if isinstance(target, bytes) else str(target)
    try:
        mismatch = _kind_mismatch(target, named)
        if mismatch:
            return Report((Problem("", mismatch, None, where),))
        if isinstance(target, bytes):
            read(target, format=format, source=source, registry=registry, **options)
        else:
            load(target, format=format, registry=registry, **options)
    except InvalidDocument as error:
        return error.report
    except UsageError:
        raise
    except RecursionError:
        return Report((Problem("", "the document nests too deeply to be read", None, where),))
    except Exception as error:  # a reader's fault: the caller still gets a report, naming it
        reader = f"the {named.name} reader" if named is not None else "the reader"
        message = f"{reader} failed on this input: {type(error).__name__}: {error}"
        return Report((Problem("", message, None, where),))
    return Report()


def _kind_mismatch(target: bytes | str | os.PathLike[str], importer: Importer | None) -> str | None:
    """Why the named importer cannot take this kind of input (bytes, a file, a folder), if it cannot."""
    if importer is None:
        return None
    if not isinstance(target, bytes) and is_folder(target):
        return None if importer.read_folder is not None else f"a folder: the {importer.name} importer reads files"
    return None if importer.read is not None else f"not a folder: the {importer.name} importer reads folders"


def choose_importer(data: bytes, suffix: str, format: str | None, registry: Formats | None = None) -> Importer:
    """The named importer; else the one that recognises the first bytes (the extension, then the
    library's own format, breaking a tie); else, unless the first bytes are those of a format no
    installed importer reads (:class:`InvalidDocument` names it: :mod:`mastery_model.recognised`),
    the one for the extension, or the library's own."""
    registry = registry or installed()
    if format is not None:
        return registry.importer(format)
    importers = [registered.format for _name, registered in sorted(registry.importers.items())]
    head = data[:HEAD]
    recognising = [i for i in importers if i.sniff is not None and i.read is not None and _recognises(i.sniff, head)]
    by_extension = [i for i in importers if i.read is not None and suffix.lower() in i.extensions]
    for candidates in ([i for i in recognising if i in by_extension], recognising, by_extension):
        if candidates is by_extension and (refusal := recognised.refusal(head)) is not None:
            # recognised as a format no importer reads: the extension (.json, .xml) says less
            raise InvalidDocument(Report((Problem("", refusal, None),)))
        if candidates:  # a tie goes to the library's own format
            return next((i for i in candidates if i.name == DEFAULT_FORMAT), candidates[0])
    if DEFAULT_FORMAT in registry.importers:
        return registry.importer(DEFAULT_FORMAT)
    raise UnknownFormat(f"no installed importer reads this (formats: {', '.join(sorted(registry.importers))})")


def _recognises(sniff: Callable[[T], bool], looked_at: T) -> bool:
    try:
        return sniff(looked_at)
    except Exception:  # a plugin's fault in recognising must not stop the others from being tried
        return False
