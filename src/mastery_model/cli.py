"""The ``mastery-model`` command: argument parsing, output and exit codes; the work is the API's.

Exit codes: 0 done (valid), 1 the input or the data cannot give what was asked (the report says
why), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from mastery_model import __version__, canonical, embedded, exporting, importing, schemas
from mastery_model.files import write_atomically
from mastery_model.model import Catalogue, SessionKind, walk_sessions
from mastery_model.outline import outline
from mastery_model.plugins import FormatClash, UnknownFormat
from mastery_model.problems import InvalidDocument, MasteryError, Report
from mastery_model.selection import Selection

OK, INVALID, USAGE = 0, 1, 2
STDIN, STDIN_NAME = "-", "<stdin>"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", exporting.ExportWarning)
            code: int = arguments.run(arguments)
        for warning in caught:
            print(f"mastery-model: warning: {warning.message}", file=sys.stderr)
    except (UnknownFormat, FormatClash, _Usage) as error:
        print(f"mastery-model: {error}", file=sys.stderr)
        return USAGE
    except MasteryError as error:
        print(f"mastery-model: {error}", file=sys.stderr)
        return INVALID
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
        sys.stderr.close()
        return OK
    except OSError as error:  # a file that cannot be read or written
        where = f": {error.filename}" if error.filename else ""
        print(f"mastery-model: {error.strerror or error}{where}", file=sys.stderr)
        return INVALID
    except KeyboardInterrupt:
        return 130
    return code


class _Usage(MasteryError):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mastery-model",
        description="Check, show and convert the data of educational events.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"mastery-model {__version__} (schemas and context {schemas.VERSION})",
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
    export.add_argument("--option", action="append", default=[], metavar="KEY=VALUE", help="an option of the format")
    _input_format(export)
    selection = export.add_argument_group("selection (the sessions kept, with the sessions they are part of)")
    selection.add_argument("--person", metavar="ID", help="the sessions of this person")
    selection.add_argument("--organisation", metavar="ID", help="the sessions of this organisation and its people")
    selection.add_argument("--country", metavar="CODE", help="the sessions that speak for this country (ISO 3166-1)")
    selection.add_argument("--kind", choices=[kind.value for kind in SessionKind], help="the sessions of this kind")
    selection.add_argument("--topic", metavar="TOPIC", help="the sessions about this topic")
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


def _validate(arguments: argparse.Namespace) -> int:
    sources: list[str] = arguments.files or [embedded.SOURCE]
    reports = [
        (STDIN_NAME if source == STDIN else source, _report(source, arguments.source_format)) for source in sources
    ]
    if arguments.format == "json":
        out = [
            {"source": source, "valid": report.ok, "problems": [problem.as_dict() for problem in report]}
            for source, report in reports
        ]
        sys.stdout.buffer.write(orjson.dumps({"documents": out}, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        for source, report in reports:
            if report.ok:
                print(f"{source}: valid")
            else:
                print(f"{source}: {len(report)} problem{'s' if len(report) != 1 else ''}")
                for problem in report:
                    print(f"  {problem}")
    return OK if all(report.ok for _source, report in reports) else INVALID


def _report(source: str, format: str | None) -> Report:
    try:
        _load(source, format)
    except InvalidDocument as error:
        return error.report
    return Report()


def _load(source: str | None, format: str | None) -> Catalogue:
    if source is None or source == embedded.SOURCE:
        return embedded.sample()
    if source == STDIN:
        return importing.read(sys.stdin.buffer.read(), format=format, source=STDIN_NAME)
    return importing.load(source, format=format)


def _show(arguments: argparse.Namespace) -> int:
    catalogue = _load(arguments.file, arguments.source_format)
    sys.stdout.write(outline(catalogue, arguments.language))
    sessions = sum(1 for event in catalogue.events for _session in walk_sessions(event.sessions))
    print(
        f"\n{len(catalogue.events)} event(s), {sessions} session(s), {len(catalogue.people)} people, "
        f"{len(catalogue.organisations)} organisations"
    )
    return OK


def _export(arguments: argparse.Namespace) -> int:
    options: dict[str, Any] = dict(_option(text) for text in arguments.option)
    selection = Selection(
        person=arguments.person,
        organisation=arguments.organisation,
        country=arguments.country,
        kind=SessionKind(arguments.kind) if arguments.kind else None,
        topic=arguments.topic,
        ids=tuple(arguments.id),
    )
    if arguments.output and arguments.file not in (None, STDIN) and _same_file(arguments.output, arguments.file):
        raise _Usage(f"the output {arguments.output} is the input: choose another path")
    if _streams(arguments):  # an event at a time, whatever the file's size
        path = arguments.file
        exporting.export_parts(
            lambda: canonical.iter_line_catalogues(path),
            arguments.to,
            arguments.output or sys.stdout.buffer,
            select=selection,
            **options,
        )
        if arguments.output:
            print(f"wrote {arguments.output}", file=sys.stderr)
        return OK
    catalogue = _load(arguments.file, arguments.source_format)
    if arguments.to == "all":
        if not arguments.output:
            raise _Usage("--to all writes a file per format into a folder: give it with -o")
        if options:
            raise _Usage("--option goes with one format, not with --to all")
        progress = _progress if sys.stderr.isatty() else None
        results = exporting.export_all(catalogue, arguments.output, select=selection, on_progress=progress)
        if progress is not None:
            print("\r\033[K", end="", file=sys.stderr)  # clear the progress line
        for written in results:
            if written.path is None:
                print(f"skipped {written.format}: {written.reason}")
            else:
                print(f"wrote {written.path}")
                for said in written.warnings:
                    print(f"  warning: {said}")
        return OK
    destination = arguments.output or sys.stdout.buffer
    exporting.export(catalogue, arguments.to, destination, select=selection, **options)
    if arguments.output:
        print(f"wrote {arguments.output}", file=sys.stderr)
    return OK


def _template(arguments: argparse.Namespace) -> int:
    options: dict[str, Any] = {"languages": arguments.languages, **dict(_option(text) for text in arguments.option)}
    exporting.export(Catalogue(), "csv", arguments.output, **options)
    print(f"wrote {arguments.output}: fill in events.csv first", file=sys.stderr)
    return OK


def _progress(done: int, total: int, format: str) -> None:
    width = 20
    filled = width * done // total
    print(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {format}\033[K", end="", file=sys.stderr, flush=True
    )


def _streams(arguments: argparse.Namespace) -> bool:
    """JSON Lines in, to a format that writes a part at a time: no need to hold the whole catalogue."""
    if arguments.file in (None, STDIN) or arguments.to == "all":
        return False
    lines = arguments.source_format == "jsonl" or (
        arguments.source_format is None and Path(arguments.file).suffix.lower() in canonical.JSON_LINES_SUFFIXES
    )
    return lines and exporting.writes_parts(arguments.to, arguments.output or sys.stdout.buffer)


def _option(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise _Usage(f"an option is KEY=VALUE, not {text!r}")
    return key, value


def _same_file(output: str, source: str) -> bool:
    return Path(output).resolve() == Path(source).resolve()


def _formats(arguments: argparse.Namespace) -> int:
    registry = exporting.installed()
    rows = [["FORMAT", "READS", "WRITES", "TITLE", "PLUGIN", "PACKAGE", "VERSION"]]
    for info in exporting.formats(registry):
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
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for (kind, name), plugins in sorted(registry.clashes.items()):
        print(f"error: the {kind} format {name!r} is claimed by more than one plugin: {', '.join(plugins)}")
    for failure in registry.failures:
        print(f"error: {failure}")
    return OK


def _sample(arguments: argparse.Namespace) -> int:
    data = embedded.sample_bytes()
    if arguments.output:
        write_atomically(arguments.output, [data])
        print(f"wrote the sample to {arguments.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return OK
