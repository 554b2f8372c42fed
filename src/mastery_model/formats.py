"""What a format plugin provides: exporters that write a catalogue, importers that read one."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from attrs import frozen

from mastery_model.model import Catalogue
from mastery_model.problems import MasteryError

#: Options as the user gave them: names to text (``--option key=value`` on the command line).
Options = Mapping[str, str]


@frozen
class Option:
    """An option an exporter or importer takes."""

    name: str
    description: str
    default: str | None = None
    choices: tuple[str, ...] = ()


@frozen
class Exporter:
    """Writes a catalogue in one format.

    A format of one file gives ``write`` (to a binary stream, so large exports stream); a format of
    several files gives ``write_folder`` (into a folder; given a stream, the library zips it unless
    the format also gives ``write``). Either may raise :class:`MissingData` when the catalogue
    lacks what the format needs.
    """

    name: str
    title: str
    media_type: str
    extension: str  # with its dot: ".ics"; for a folder format, the extension of its archive
    write: Callable[[Catalogue, BinaryIO, Options], None] | None = None
    write_folder: Callable[[Catalogue, Path, Options], None] | None = None
    options: tuple[Option, ...] = ()
    #: Optional, beside ``write``: the same output from a catalogue given in parts (an event each,
    #: as JSON Lines hold them), which it may read as often as it needs while holding one at a time.
    write_parts: Callable[[Callable[[], Iterator[Catalogue]], BinaryIO, Options], None] | None = None
    #: Optional, beside ``write_folder``: the same, into a folder.
    write_folder_parts: Callable[[Callable[[], Iterator[Catalogue]], Path, Options], None] | None = None

    def __attrs_post_init__(self) -> None:
        if self.write is None and self.write_folder is None:
            raise ValueError(f"the exporter {self.name!r} gives write, write_folder, or both")

    def writes_parts(self, to_folder: bool) -> bool:
        """Whether it can write a catalogue given in parts to a folder (else to a stream)."""
        return (self.write_folder_parts if to_folder else self.write_parts) is not None


@frozen
class Importer:
    """Reads documents of one format: files (``sniff`` and ``read``), folders (``sniff_folder``
    and ``read_folder``), or both.

    Reading builds the canonical document of what was read and hands it to
    :func:`mastery_model.read_document`, so that it passes through the same validation as a
    canonical file; it raises :class:`~mastery_model.InvalidDocument` for what it cannot read.
    """

    name: str
    title: str
    media_types: tuple[str, ...]
    extensions: tuple[str, ...]  # with their dots: (".xml",)
    sniff: Callable[[bytes], bool] | None = None  # a cheap look at the first kilobytes: is this mine?
    read: Callable[[bytes, Options], Catalogue] | None = None
    options: tuple[Option, ...] = ()
    sniff_folder: Callable[[Path], bool] | None = None  # a cheap look at a folder's contents
    read_folder: Callable[[Path, Options], Catalogue] | None = None

    def __attrs_post_init__(self) -> None:
        if self.read is None and self.read_folder is None:
            raise ValueError(f"the importer {self.name!r} reads files (read), folders (read_folder), or both")


class MissingData(MasteryError):
    """The catalogue lacks what a format needs: the exporter names the fields, never invents them."""

    def __init__(self, format_name: str, fields: list[str]) -> None:
        self.format_name = format_name
        self.fields = fields
        super().__init__(f"{format_name} needs data the catalogue lacks: {'; '.join(fields)}")


class UnknownOption(MasteryError):
    def __init__(self, format_name: str, unknown: list[str], known: tuple[Option, ...]) -> None:
        names = ", ".join(option.name for option in known) or "none"
        super().__init__(f"{format_name} takes no option {', '.join(map(repr, unknown))} (its options: {names})")


def checked_options(format_name: str, given: Options, known: tuple[Option, ...]) -> dict[str, str]:
    """The options given, with the defaults of those not given; unknown names and values refused."""
    by_name = {option.name: option for option in known}
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        raise UnknownOption(format_name, unknown, known)
    values = {option.name: option.default for option in known if option.default is not None}
    for name, value in given.items():
        choices = by_name[name].choices
        if choices and value not in choices:
            raise MasteryError(f"{format_name}: the option {name} is one of {', '.join(choices)}, not {value!r}")
        values[name] = value
    return values
