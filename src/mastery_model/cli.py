"""The ``mastery-model`` command: argument parsing, output and exit codes; the work is the API's.

Exit codes: 0 done (valid), 1 the input or the data cannot give what was asked, or the output
cannot be written (the message says why), 2 a usage error (:class:`~mastery_model.UsageError`:
an unknown format, option or plugin, a value an option does not take...), 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO, TextIO

# Only what building the parser needs: the commands call the API through the package root, whose
# names load on first use, so that a call loads the modules it uses (--version, none of them).
import mastery_model
from mastery_model import launch

OK, INVALID, USAGE, INTERRUPTED = 0, 1, 2, launch.INTERRUPTED
STDOUT = "-"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (else ``sys.argv``); the exit status."""
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C once the command line is loaded, at any moment but an import (see launch)
        print(launch.MESSAGE.decode(), end="", file=sys.stderr)
        return INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", mastery_model.ExportWarning)
            warnings.simplefilter("always", mastery_model.ReadWarning)
            code: int = arguments.run(arguments)
        for warning in caught:
            _say(f"mastery-model: warning: {warning.message}", sys.stderr)
    except mastery_model.UsageError as error:
        _say(f"mastery-model: {error}", sys.stderr)
        return USAGE
    except mastery_model.MasteryError as error:
        # a report's lines are its own (each problem is escaped into one); any other message is one line
        _say(f"mastery-model: {error}", sys.stderr, lines=isinstance(error, mastery_model.InvalidDocument))
        return INVALID
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
        launch.discard_standard_output()
        return OK
    except OSError as error:  # neither the input (reported as invalid) nor the output: say what failed
        where = f": {error.filename}" if error.filename else ""
        _say(f"mastery-model: {error.strerror or error}{where}", sys.stderr)
        return INVALID
    return code


def _say(text: str, file: TextIO | None = None, *, lines: bool = False) -> None:
    """A line (with ``lines``, the lines of a message) that may quote the data or a file's name,
    written with what a terminal would act on escaped: the data's text cannot move the cursor,
    retitle the window, write the clipboard, reorder what is shown or begin a line of its own."""
    print(mastery_model.printable(text, lines=lines), file=file or sys.stdout)


@contextlib.contextmanager
def _writing(output: str | None) -> Iterator[None]:
    """Errors of writing ``output`` (standard output when None) said in one line, naming it."""
    try:
        yield
    except OSError as error:
        if isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
            raise BrokenPipeError(errno.EPIPE, error.strerror) from None
        named = os.fspath(error.filename) if error.filename is not None else output
        where = "standard output" if named in (None, STDOUT) else named
        raise mastery_model.MasteryError(f"cannot write {where}: {error.strerror or error}") from None


class _Once(argparse.Action):
    """A flag given at most once: the second of two values is refused, never silently kept."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        if getattr(namespace, self.dest) is not None:
            raise argparse.ArgumentError(self, "given twice: give it once (--id is the selection to repeat)")
        setattr(namespace, self.dest, values)


class _SessionKinds:
    """The values ``--kind`` takes, found when the parser checks or shows them: building the
    parser (all that ``--version`` needs) loads no model."""

    def __iter__(self) -> Iterator[str]:
        return iter([kind.value for kind in mastery_model.SessionKind])

    def __contains__(self, value: object) -> bool:
        return value in list(self)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mastery-model",
        description="Check, show and convert the data of educational events.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"mastery-model {mastery_model.__version__} (schemas and context {mastery_model.SCHEMA_VERSION})",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    sample_note = "; the embedded sample when none is given"

    validate = commands.add_parser("validate", help="check documents and report every problem")
    validate.add_argument(
        "files", nargs="*", metavar="INPUT", help=f"documents to check (- for standard input){sample_note}"
    )
    validate.add_argument("--format", choices=("text", "json"), default="text", help="how to write the report")
    _input_format(validate)
    validate.set_defaults(run=_validate)

    show = commands.add_parser("show", help="print a readable outline of a document")
    show.add_argument("file", nargs="?", metavar="INPUT", help=f"the document (- for standard input){sample_note}")
    show.add_argument("--language", metavar="TAG", help="show texts in this language where the data has it")
    _input_format(show)
    show.set_defaults(run=_show)

    export = commands.add_parser("export", help="write a document in another format, or in all of them")
    export.add_argument("file", nargs="?", metavar="INPUT", help=f"the document (- for standard input){sample_note}")
    export.add_argument("--to", required=True, metavar="FORMAT", help="the format to write, or 'all' (see: formats)")
    export.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="the file (or folder) to write; standard output when left out; a folder for --to all",
    )
    export.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an option of the format written (see: formats)",
    )
    _input_format(export)
    selection = export.add_argument_group("selection (the sessions kept, with the sessions they are part of)")
    selection.add_argument("--person", action=_Once, metavar="ID|NAME", help="the sessions of this person")
    selection.add_argument(
        "--organisation", action=_Once, metavar="ID|NAME", help="the sessions of this organisation and its people"
    )
    selection.add_argument(
        "--country", action=_Once, metavar="CODE", help="the sessions that speak for this country (ISO 3166-1: FI)"
    )
    selection.add_argument("--kind", action=_Once, choices=_SessionKinds(), help="the sessions of this kind")
    selection.add_argument("--topic", action=_Once, metavar="TOPIC", help="the sessions about this topic")
    selection.add_argument("--id", action="append", default=[], metavar="ID", help="this session or event (repeatable)")
    export.set_defaults(run=_export)

    template = commands.add_parser(
        "template", help="write the empty tables (csv) to fill in a spreadsheet, then validate and export"
    )
    template.add_argument("-o", "--output", required=True, metavar="FOLDER", help="the folder to write")
    template.add_argument(
        "--languages", default="en", metavar="TAGS", help="the languages of the text columns, comma-separated (en)"
    )
    template.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="an option of csv")
    template.set_defaults(run=_template)

    formats = commands.add_parser("formats", help="list the installed formats and their plugins")
    formats.set_defaults(run=_formats)

    sample_command = commands.add_parser("sample", help="print the embedded sample event, or write it to a file")
    sample_command.add_argument("-o", "--output", metavar="PATH", help="write the sample here instead")
    sample_command.set_defaults(run=_sample)
    return parser


def _input_format(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--from", dest="source_format", metavar="FORMAT", help="the input's format, when it is not recognised"
    )
    command.add_argument(
        "--input-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an option of the input's format, as time-zone=Europe/Brussels (see: formats)",
    )


def _input_options(arguments: argparse.Namespace) -> dict[str, str]:
    return dict(_option(text) for text in arguments.input_option)


def _validate(arguments: argparse.Namespace) -> int:
    _known_input_format(arguments)
    reports = mastery_model.validate_inputs(
        arguments.files, format=arguments.source_format, **_input_options(arguments)
    )
    if arguments.format == "json":
        sys.stdout.buffer.write(mastery_model.json_report(reports))
    else:
        for source, report in reports:
            if report.ok:
                _say(f"{source}: valid")
            else:
                _say(f"{source}: {_counted(len(report), 'problem', 'problems')}")
                for problem in report:
                    _say(f"  {problem}")
    return OK if all(report.ok for _source, report in reports) else INVALID


def _known_input_format(arguments: argparse.Namespace) -> None:
    """An unknown ``--from`` is refused even when no input is given (and the sample is read)."""
    if arguments.source_format is not None:
        mastery_model.installed().importer(arguments.source_format)


def _show(arguments: argparse.Namespace) -> int:
    _known_input_format(arguments)
    if arguments.language is not None:
        expected = mastery_model.language_tag(arguments.language)
        if expected is not None:
            raise mastery_model.UsageError(f"--language is {expected}, not {arguments.language!r}")
    catalogue = mastery_model.read_input(arguments.file, format=arguments.source_format, **_input_options(arguments))
    sys.stdout.write(mastery_model.outline(catalogue, arguments.language))
    print()
    _say(mastery_model.summary(catalogue))
    return OK


def _counted(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _export(arguments: argparse.Namespace) -> int:
    _known_input_format(arguments)
    options: dict[str, Any] = dict(_option(text) for text in arguments.option)
    selection = mastery_model.Selection(
        person=arguments.person,
        organisation=arguments.organisation,
        country=arguments.country,
        kind=mastery_model.SessionKind(arguments.kind) if arguments.kind else None,
        topic=arguments.topic,
        ids=tuple(arguments.id),
    )
    if arguments.to == "all":
        return _export_all(arguments, options, selection)
    destination: str | BinaryIO = sys.stdout.buffer if arguments.output is None else arguments.output
    with _writing(arguments.output):
        mastery_model.export_input(
            arguments.file,
            arguments.to,
            destination,
            source_format=arguments.source_format,
            source_options=_input_options(arguments),
            select=selection,
            **options,
        )
    _said_written(arguments.output)
    return OK


def _export_all(arguments: argparse.Namespace, options: dict[str, Any], selection: mastery_model.Selection) -> int:
    if arguments.output in (None, STDOUT):
        raise mastery_model.UsageError("--to all writes a file per format into a folder: give the folder with -o")
    if options:
        raise mastery_model.UsageError("--option goes with one format, not with --to all")
    progress = _progress if sys.stderr.isatty() else None
    try:
        with _writing(arguments.output):
            results = mastery_model.export_all_input(
                arguments.file,
                arguments.output,
                source_format=arguments.source_format,
                source_options=_input_options(arguments),
                select=selection,
                on_progress=progress,
            )
    finally:
        if progress is not None:
            print("\r\033[K", end="", file=sys.stderr)  # clear the progress line
    for written in results:
        if written.path is None:
            _say(f"skipped {written.format}: {written.reason}")
        else:
            _say(f"wrote {written.path}")
        for said in written.warnings:  # a skipped format too may have had its earlier output removed
            _say(f"  warning: {said}")
    return OK


def _said_written(output: str | None, note: str = "") -> None:
    if output not in (None, STDOUT):
        _say(f"wrote {output}{note}", sys.stderr)


def _template(arguments: argparse.Namespace) -> int:
    options: dict[str, Any] = {"languages": arguments.languages, **dict(_option(text) for text in arguments.option)}
    with _writing(arguments.output):
        mastery_model.write_template(arguments.output, **options)
    _said_written(arguments.output, ": fill in events.csv first")
    return OK


def _progress(done: int, total: int, format: str) -> None:
    width = 20
    filled = width * done // total
    print(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {mastery_model.printable(format)}\033[K",
        end="",
        file=sys.stderr,
        flush=True,
    )


def _option(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise mastery_model.UsageError(f"an option is KEY=VALUE, not {text!r}")
    return key, value


def _formats(arguments: argparse.Namespace) -> int:
    registry = mastery_model.installed()
    rows = [["FORMAT", "READS", "WRITES", "TITLE", "PLUGIN", "PACKAGE", "VERSION"]]
    for info in mastery_model.formats(registry):
        rows.append(
            [
                info.name,
                "yes" if info.reads else "no",
                "yes" if info.writes else "no",
                info.title,
                info.plugin,
                info.package,
                info.version,
            ]
        )
    _table(rows)
    optioned = [info for info in mastery_model.formats(registry) if info.read_options or info.write_options]
    if optioned:
        _say("")
        _say("options (--input-option KEY=VALUE when reading, --option KEY=VALUE when writing):")
        _table(
            [
                [
                    f"  {info.name}",
                    f"reads: {', '.join(info.read_options)}" if info.read_options else "",
                    f"writes: {', '.join(info.write_options)}" if info.write_options else "",
                ]
                for info in optioned
            ]
        )
    bounded = [info for info in mastery_model.formats(registry) if info.max_events is not None]
    if bounded:
        _say("")
        _say("events a file holds (more are refused; -o FOLDER/ writes a file per event):")
        _table([[f"  {info.name}", f"{info.max_events:,}"] for info in bounded])
    for (kind, name), claimants in sorted(registry.clashes.items()):
        _say(f"error: the {kind} format {name!r} is claimed by more than one plugin: {', '.join(claimants)}")
    for failure in registry.failures:
        _say(f"error: {failure}")
    return OK


def _table(rows: list[list[str]]) -> None:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        _say("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _sample(arguments: argparse.Namespace) -> int:
    with _writing(arguments.output):
        if arguments.output in (None, STDOUT):
            sys.stdout.buffer.write(mastery_model.sample_bytes())
        else:
            mastery_model.write_sample(arguments.output)
            _say(f"wrote the sample to {arguments.output}", sys.stderr)
    return OK
