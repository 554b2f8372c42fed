"""The ``csv`` format: a folder of tables (or its zip archive) for spreadsheets, with CSV on the
Web metadata; ``tables`` says what the tables are, ``writing`` and ``reading`` the two directions.

This module registers the format and recognises its input; the modules that do the work load on
the first read or write, so that a command that uses another format never pays for building the
tables.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.plugins.records import Exporter, Importer, Option, Options, language_tag, language_tags

if TYPE_CHECKING:
    from mastery_model.model import Catalogue

TITLE = "CSV tables for spreadsheets, described by CSV on the Web metadata"
#: The CSV on the Web metadata that describes the tables.
METADATA = "csv-metadata.json"
#: The tables, in the order they are written (``tables.TABLES`` has them whole, in this order).
TABLE_NAMES = (
    "events",
    "sessions",
    "people",
    "organisations",
    "campaigns",
    "contributions",
    "documents",
    "recommendations",
    "locations",
    "identifiers",
    "topics",
    "keywords",
)
DELIMITERS = {"comma": ",", "semicolon": ";"}
_ZIP = b"PK\x03\x04"


def text_encoding(name: str) -> str | None:
    """A character encoding Python knows (``cp1252``, ``latin-1``, ``utf-16``)."""
    try:
        codec = codecs.lookup(name)
    except LookupError:
        codec = None
    # the flag bytes.decode itself checks: hex and base64 are codecs, of bytes to bytes
    if codec is None or not getattr(codec, "_is_text_encoding", True):
        return "the name of a character encoding (such as utf-8, cp1252, latin-1)"
    return None


def is_archive(head: bytes) -> bool:
    """A zip archive whose first entry is a table or the tables' metadata."""
    if not head.startswith(_ZIP) or len(head) < 30:
        return False
    length = int.from_bytes(head[26:28], "little")
    name = head[30 : 30 + length].decode("utf-8", "replace").rsplit("/", 1)[-1]
    return name == METADATA or (name[:-4] in TABLE_NAMES and name.endswith(".csv"))


def is_folder(folder: Path) -> bool:
    return (folder / METADATA).is_file() or (folder / "events.csv").is_file()


# -- the work, each loaded on its first call ---------------------------------------------------


def write(catalogue: Catalogue, stream: BinaryIO, options: Options) -> None:
    from mastery_model.builtin.csv import writing

    writing.write(catalogue, stream, options)


def write_folder(catalogue: Catalogue, folder: Path, options: Options) -> None:
    from mastery_model.builtin.csv import writing

    writing.write_folder(catalogue, folder, options)


def write_parts(parts: Callable[[], Iterator[Catalogue]], stream: BinaryIO, options: Options) -> None:
    from mastery_model.builtin.csv import writing

    writing.write_parts(parts, stream, options)


def write_folder_parts(parts: Callable[[], Iterator[Catalogue]], folder: Path, options: Options) -> None:
    from mastery_model.builtin.csv import writing

    writing.write_folder_parts(parts, folder, options)


def read_archive(data: bytes, options: Options) -> Catalogue:
    from mastery_model.builtin.csv import reading

    return reading.read_archive(data, options)


def read_folder(folder: Path, options: Options) -> Catalogue:
    from mastery_model.builtin.csv import reading

    return reading.read_folder(folder, options)


@hookimpl
def mastery_model_exporters() -> Sequence[Exporter]:
    return [
        Exporter(
            "csv",
            TITLE,
            "application/zip",
            ".zip",
            write=write,
            write_folder=write_folder,
            write_parts=write_parts,
            write_folder_parts=write_folder_parts,
            written_last=(METADATA,),
            options=(
                Option(
                    "delimiter", "comma, or semicolon as many European spreadsheets expect", "comma", tuple(DELIMITERS)
                ),
                Option(
                    "bom",
                    "yes: start each table with a byte order mark, which Excel needs to read UTF-8",
                    "no",
                    ("yes", "no"),
                ),
                Option(
                    "language",
                    "write texts in this language only (a BCP 47 tag), else a column per language",
                    check=language_tag,
                ),
                Option(
                    "languages",
                    "languages that have columns even where no text uses them (comma-separated)",
                    check=language_tags,
                ),
                Option("table", "write only this table: to a stream, as one CSV file", None, TABLE_NAMES),
            ),
        )
    ]


@hookimpl
def mastery_model_importers() -> Sequence[Importer]:
    return [
        Importer(
            "csv",
            TITLE,
            ("application/zip", "text/csv"),
            (".zip",),
            sniff=is_archive,
            read=read_archive,
            sniff_folder=is_folder,
            read_folder=read_folder,
            options=(
                Option(
                    "language",
                    "the language of texts in columns without one (name rather than name@en)",
                    "und",
                    check=language_tag,
                ),
                Option(
                    "encoding",
                    "the tables' character encoding, when not UTF-8 (such as cp1252, a Western European "
                    "spreadsheet's CSV)",
                    "utf-8",
                    check=text_encoding,
                ),
            ),
        )
    ]
