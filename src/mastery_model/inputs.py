"""The inputs a command names: a file or folder, ``-`` for standard input, or none (or
``<sample>``) for the embedded sample; each read, checked or exported as the API does a file."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mastery_model import embedded, exporting, importing
from mastery_model.exporting import Destination, Written
from mastery_model.model import Catalogue
from mastery_model.problems import InvalidDocument, Problem, Report
from mastery_model.selection import Selection

#: The input that stands for standard input, and its name in reports.
STDIN, STDIN_NAME = "-", "<stdin>"


def _is_sample(source: str | None) -> bool:
    return source is None or source == embedded.SOURCE


def validate_inputs(sources: Sequence[str], *, format: str | None = None, **options: str) -> list[tuple[str, Report]]:
    """Each input's name and its report (as :func:`~mastery_model.validate` gives one, never an
    error): ``-`` is standard input, ``<sample>`` (and no input at all) the embedded sample, which
    is read as JSON-LD whatever ``format`` says. ``options`` are those of each input's importer."""
    return [
        (STDIN_NAME if source == STDIN else source, _report(source, format, options))
        for source in sources or [embedded.SOURCE]
    ]


def _report(source: str, format: str | None, options: dict[str, Any]) -> Report:  # Any: see export_input
    if _is_sample(source):
        return importing.validate(embedded.sample_bytes(), source=embedded.SOURCE, **options)
    if source == STDIN:
        try:
            data = standard_input()
        except InvalidDocument as error:
            return error.report
        return importing.validate(data, format=format, source=STDIN_NAME, **options)
    return importing.validate(source, format=format, **options)


def standard_input() -> bytes:
    """The bytes of standard input, read as a file is (within the size a document may have);
    :class:`InvalidDocument` when it is closed or cannot be read."""
    if sys.stdin is None:  # started with standard input closed
        raise InvalidDocument(
            Report((Problem("", "cannot read the input: standard input is closed", None, STDIN_NAME),))
        )
    return importing.read_file(sys.stdin.buffer, STDIN_NAME)


def read_input(source: str | None = None, *, format: str | None = None, **options: str) -> Catalogue:
    """The catalogue of one input (as :func:`~mastery_model.load` reads a file, ``options`` being
    its importer's): ``-`` is standard input, None or ``<sample>`` the embedded sample."""
    forwarded: dict[str, Any] = dict(options)  # Any: see export_input
    if _is_sample(source):
        sample = embedded.sample_bytes()
        return importing.read(sample, source=embedded.SOURCE, **forwarded) if options else embedded.sample()
    if source == STDIN:
        return importing.read(standard_input(), format=format, source=STDIN_NAME, **forwarded)
    assert source is not None  # for type checkers: None is the sample
    return importing.load(source, format=format, **forwarded)


def _read_paths(source: str | None) -> list[str]:
    """The files (or folders) an input reads: no output may overwrite them."""
    return [] if source in (None, STDIN) else [source]


def export_input(
    source: str | None,
    format: str,
    destination: Destination,
    /,
    *,
    source_format: str | None = None,
    source_options: Mapping[str, str] | None = None,
    select: Selection | None = None,
    **options: str,
) -> None:
    """Write one input (as :func:`read_input` names it, ``source_options`` being its importer's)
    in ``format`` (``options`` its exporter's) to ``destination``: a file as
    :func:`~mastery_model.export_file` writes it (JSON Lines streamed, an event at a time), the
    sample and standard input as :func:`~mastery_model.export` writes a catalogue."""
    forwarded: dict[str, Any] = dict(options)  # Any: spread where other keywords have other types
    if _is_sample(source) or source == STDIN:
        catalogue = read_input(source, format=source_format, **(source_options or {}))
        exporting.export(catalogue, format, destination, select=select, inputs=_read_paths(source), **forwarded)
    else:
        assert source is not None  # for type checkers: None is the sample
        exporting.export_file(
            source,
            format,
            destination,
            source_format=source_format,
            source_options=source_options,
            select=select,
            **forwarded,
        )


def export_all_input(
    source: str | None,
    folder: str | os.PathLike[str],
    /,
    *,
    source_format: str | None = None,
    source_options: Mapping[str, str] | None = None,
    select: Selection | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[Written]:
    """Every installed format of one input (as :func:`read_input` names it) into ``folder``, as
    :func:`~mastery_model.export_all` writes a catalogue; none overwrites the input."""
    catalogue = read_input(source, format=source_format, **(source_options or {}))
    return exporting.export_all(catalogue, folder, select=select, inputs=_read_paths(source), on_progress=on_progress)
