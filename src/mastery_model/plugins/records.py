"""What a format plugin provides: exporters that write a catalogue, importers that read one."""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from attrs import frozen

from mastery_model.model import Catalogue
from mastery_model.problems import BadOptionValue, UnknownOption

#: Options as the user gave them: names to text (``--option key=value`` on the command line).
Options = Mapping[str, str]
#: A check of an option's value: None when the format can use it, else what it expects instead
#: ("an ISO 8601 duration, such as PT12H"), said after "the option ... is".
Check = Callable[[str], str | None]


@frozen
class Option:
    """An option an exporter or importer takes.

    A value given is refused (:class:`BadOptionValue`) when it is not one of ``choices`` (if
    given), or when ``check`` says what was expected instead: a format takes only values it can
    write without breaking its output.
    """

    name: str
    description: str
    default: str | None = None
    choices: tuple[str, ...] = ()
    check: Check | None = None


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
    #: Of a folder's files, those that describe the others (metadata): put in place after them, so
    #: that a reader who finds them new finds the others new too.
    written_last: tuple[str, ...] = ()
    #: The fields of the model the format has no place for, as ``Class.field`` (``Session.country``):
    #: an export that drops values of them warns, with how many (a lossless format names none).
    leaves_out: tuple[str, ...] = ()
    #: The most events one output of the format holds (a schedule of one conference: 1); None for
    #: any number. A catalogue with more is refused (:class:`~mastery_model.problems.CannotCarry`)
    #: before anything is written; a format of one file given a folder writes a file per event there.
    max_events: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.write is None and self.write_folder is None:
            raise ValueError(f"the exporter {self.name!r} gives write, write_folder, or both")
        if self.max_events is not None and self.max_events < 1:
            raise ValueError(f"the exporter {self.name!r} holds at least one event (max_events), or any number (None)")

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


def checked_options(format_name: str, given: Options, known: tuple[Option, ...]) -> dict[str, str]:
    """The options given, with the defaults of those not given; unknown names
    (:class:`UnknownOption`) and values (:class:`BadOptionValue`) refused."""
    if not given:  # the usual call: nothing to check
        return {option.name: option.default for option in known if option.default is not None}
    by_name = {option.name: option for option in known}
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        raise UnknownOption(format_name, unknown, [option.name for option in known])
    values = {option.name: option.default for option in known if option.default is not None}
    for name, value in given.items():
        option = by_name[name]
        if option.choices and value not in option.choices:
            raise BadOptionValue(format_name, name, value, f"one of {', '.join(option.choices)}")
        expected = option.check(value) if option.check is not None else None
        if expected is not None:
            raise BadOptionValue(format_name, name, value, expected)
        values[name] = value
    return values


# -- checks for options' values (see Option.check) ----------------------------------------------

# Characters that would break a line or a file of the output: controls, lone surrogates (text read
# from bytes that are not UTF-8), and the Unicode line and paragraph separators.
_BREAKING = frozenset(("Cc", "Cs", "Zl", "Zp"))


def single_line(value: str) -> str | None:
    """Text that cannot end a line or a field of the output early: no control character."""
    if any(unicodedata.category(character) in _BREAKING for character in value):
        return "a single line of text, without control characters"
    return None


def language_tag(value: str) -> str | None:
    """A BCP 47 language tag, checked as the data's are (``en``, ``es``, ``pt-BR``)."""
    from mastery_model.validation import _valid_language  # what a document's tags must be too

    if single_line(value) is None and _valid_language(value):
        return None
    return "a BCP 47 language tag (such as en, es, pt-BR)"


def language_tags(value: str) -> str | None:
    """BCP 47 language tags, separated by commas (or spaces)."""
    tags = value.replace(",", " ").split()
    if single_line(value) is None and all(language_tag(tag) is None for tag in tags):
        return None
    return "BCP 47 language tags separated by commas (such as en,es,pt-BR)"


def time_zone(value: str) -> str | None:
    """An IANA time zone name, as the pinned zone database spells it (``Europe/Madrid``)."""
    from mastery_model.zones import names

    return None if value in names() else "an IANA time zone name (such as Europe/Madrid, UTC)"


# What RFC 3986 allows in a URI, percent-escapes apart: no space, no control, nothing outside ASCII.
_URI_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


def absolute_url(value: str) -> str | None:
    """An absolute URL: a scheme and a host (``https://example.org/feed.ics``), written with the
    characters of RFC 3986 (others percent-encoded)."""
    expected = "an absolute URL, a scheme and a host, other characters percent-encoded (https://example.org/a%20b)"
    if not _URI_CHARACTERS.fullmatch(value):
        return expected
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        return expected
    if not _SCHEME.fullmatch(parts.scheme) or not value.startswith(f"{parts.scheme}://") or not parts.hostname:
        return expected
    return None
