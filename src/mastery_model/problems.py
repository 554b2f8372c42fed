"""What can be wrong with a document, and the errors that carry it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import orjson
from attrs import frozen


@frozen
class Problem:
    """One thing wrong with a document: where, what was expected, and the offending value."""

    pointer: str  # a JSON pointer into the document ("" for the whole document)
    message: str
    value: Any = None
    source: str | None = None  # the file, when there is one
    line: int | None = None  # the line: of a JSON Lines document, or of a syntax error
    row: int | None = None  # of a table: the row as a spreadsheet numbers it (the header is row 1)
    column: str | None = None  # of a table: the column's header

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                self.source,
                None if self.line is None else f"line {self.line}",
                None if self.row is None else f"row {self.row}",
                None if self.column is None else f"column {self.column}",
                f"at {self.pointer}" if self.pointer else None,
            )
            if part
        )
        shown = "" if self.value is None else f" (found {_shorten(self.value)})"
        # the source, the column (a table's header) and the pointer may be the data's own text too
        return printable(f"{where}: {self.message}{shown}" if where else f"{self.message}{shown}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "line": self.line,
            "pointer": self.pointer,
            "message": self.message,
            "value": self.value,
            "row": self.row,
            "column": self.column,
        }


@frozen
class Report:
    """Every problem found in a document, in document order."""

    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)

    def as_dict(self, source: str | None = None) -> dict[str, Any]:
        """The report of the document ``source`` names, as ``validate --format json`` lists it."""
        return {"source": source, "valid": self.ok, "problems": [problem.as_dict() for problem in self.problems]}


def json_report(reports: Iterable[tuple[str | None, Report]]) -> bytes:
    """The JSON report of documents, each given as (its source, its report), in that order: what
    ``mastery-model validate --format json`` writes (docs/validation.md, "The JSON report")."""
    documents = [report.as_dict(source) for source, report in reports]
    return orjson.dumps({"documents": documents}, option=orjson.OPT_INDENT_2) + b"\n"


def located(problems: Iterable[Problem], source: str | None, line: int | None = None) -> Iterator[Problem]:
    """The same problems, said to be in ``source`` (and on ``line``)."""
    for problem in problems:
        yield attrs.evolve(problem, source=_within(source, problem.source), line=line or problem.line)


def _within(source: str | None, part: str | None) -> str | None:
    """A source inside another: a table (``sessions.csv``) inside a folder or an archive."""
    if source is None or part is None or part == source:
        return source or part
    return part if part.startswith(source.rstrip("/") + "/") else f"{source}/{part}"


class MasteryError(Exception):
    """The base of every error this library raises on purpose."""


class UsageError(MasteryError):
    """What was asked cannot be done as asked (an unknown format or option, a bad option value, an
    output that is the input): the command line exits 2 for these, 1 for the other errors."""


class InvalidDocument(MasteryError):
    """A document cannot be read: its report lists every problem found."""

    def __init__(self, report: Report) -> None:
        self.report = report
        count = len(report)
        heading = f"{count} problem{'s' if count != 1 else ''} in the document"
        super().__init__(f"{heading}:\n{report}")


# -- the errors of formats, options, plugins, selections and outputs ----------------------------


class MissingData(MasteryError):
    """The catalogue lacks what a format needs: the exporter names the fields, never invents them."""

    def __init__(self, format_name: str, fields: list[str]) -> None:
        self.format_name = format_name
        self.fields = fields
        shown = fields if len(fields) <= _SHOWN else [*fields[:_SHOWN], f"and {len(fields) - _SHOWN} more"]
        super().__init__(f"{format_name} needs data the catalogue lacks: {'; '.join(shown)}")


class CannotCarry(MissingData):
    """The catalogue holds more than a format can carry (a kind of :class:`MissingData`, so that
    what skips a format for one skips it for the other)."""

    def __init__(self, format_name: str, what: str) -> None:
        super().__init__(format_name, [what])
        self.args = (f"{format_name} cannot carry {what}",)


#: How many missing fields a message names before it counts the rest (``fields`` has them all).
_SHOWN = 3


class UnknownOption(UsageError):
    """An option a format does not take; the message lists those it takes."""

    def __init__(self, format_name: str, unknown: list[str], known: Sequence[str]) -> None:
        names = ", ".join(known) or "none"
        super().__init__(f"{format_name} takes no option {', '.join(map(repr, unknown))} (its options: {names})")


class BadOptionValue(UsageError):
    """A value an option does not take; the message says what it takes."""

    def __init__(self, format_name: str, option: str, value: str, expected: str) -> None:
        self.format_name = format_name
        self.option = option
        self.value = value
        self.expected = expected
        super().__init__(f"{format_name}: the option {option} is {expected}, not {_shown(value)}")


def _shown(value: str, limit: int = 60) -> str:
    """The value as Python writes it (control characters visible), shortened: one line, whatever it holds."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


class ExportWarning(UserWarning):
    """The output is written, but lacks something its readers expect (the message says what)."""


class ReadWarning(UserWarning):
    """The input is read, but the reader had to assume, repair or leave out something (the
    message says what, how often, and the option that changes it, where one does)."""


def left_unread(format_name: str, counts: Mapping[str, int]) -> ReadWarning | None:
    """What a reader read past, said once per read: each property of the input that the model has
    no place for, with how many times it held a value (``None`` when it left out nothing)."""
    dropped = [f"{name} ({count:,})" for name, count in counts.items() if count]
    if not dropped:
        return None
    return ReadWarning(f"{format_name}: leaves out what the model has no place for (how many): {', '.join(dropped)}")


class EmptySelection(MasteryError):
    """Nothing in the catalogue matches: an error, not an empty output."""


class BadSelection(UsageError):
    """A selection that cannot be meant as given: a country code that is none, a name that two
    people (or organisations) share."""


class OutputIsInput(UsageError):
    """An output would overwrite or remove a file the same operation reads."""


class UnknownFormat(UsageError):
    """No loaded plugin provides the format asked for."""


class PluginError(MasteryError):
    """A plugin's code raised: the plugin is named, and the other plugins keep working."""


class FormatClash(UsageError):
    """Two plugins claim one format name: neither is chosen for the user."""

    def __init__(self, kind: str, name: str, plugins: Sequence[str]) -> None:
        super().__init__(f"the {kind} format {name!r} is claimed by more than one plugin: {', '.join(plugins)}")


class UnknownPlugin(UsageError):
    """A plugin asked for by name (in ``$MASTERY_MODEL_PLUGINS``) that no built-in or installed plugin has:
    a typing mistake there would otherwise leave formats out without a word."""

    def __init__(self, where: str, unknown: Sequence[str], available: Sequence[str]) -> None:
        self.unknown = list(unknown)
        self.available = list(available)
        names = ", ".join(map(repr, unknown))
        which = "which is no plugin's name" if len(unknown) == 1 else "which are no plugins' names"
        super().__init__(f"{where} names {names}, {which} (the plugins: {', '.join(available) or 'none'})")


def _shorten(value: Any, limit: int = 80) -> str:
    if isinstance(value, (str, bytes)) and len(value) > limit:
        value = value[:limit]  # the repr of a huge value is never needed whole
    shown = printable(repr(value))  # a value's own __repr__ may keep control characters
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


# What a terminal may act on rather than show: C0 and C1 controls (ESC begins the sequences that
# clear the screen, set the title or write the clipboard), DEL, the bidirectional embeddings,
# overrides and isolates (they reorder what is shown), the line and paragraph separators, and
# lone surrogates (which no terminal encoding can write).
_OTHERS = r"\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
_UNSAFE_CHARACTER = re.compile(rf"[\x00-\x1f{_OTHERS}]")
_UNSAFE_BUT_NEWLINE = re.compile(rf"[\x00-\x09\x0b-\x1f{_OTHERS}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(match: re.Match[str]) -> str:
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` safe to write to a terminal: each character a terminal would act on (controls,
    bidirectional overrides, separators) written as its escape (``\\x1b``, ``\\u202e``), the rest
    (text in any script) as it is; with ``lines``, newlines are kept (a message of several lines)."""
    pattern = _UNSAFE_BUT_NEWLINE if lines else _UNSAFE_CHARACTER
    return pattern.sub(_escaped, text) if pattern.search(text) else text
