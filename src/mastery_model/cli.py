"""The ``mastery-model`` command: argument parsing, output and exit codes; the work is the API's.

Exit codes: 0 done (valid), 1 the input cannot give what was asked (the report says why),
2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import orjson

from mastery_model import __version__, canonical, embedded, schemas
from mastery_model.files import write_atomically
from mastery_model.model import Catalogue, walk_sessions
from mastery_model.outline import outline
from mastery_model.problems import MasteryError, Report

OK, INVALID, USAGE = 0, 1, 2
STDIN, STDIN_NAME = "-", "<stdin>"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        code: int = arguments.run(arguments)
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mastery-model",
        description="Check, show and convert the data of educational events (canonical JSON-LD).",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"mastery-model {__version__} (schemas and context {schemas.VERSION})",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check documents and report every problem")
    validate.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="documents to check (.jsonld/.json, or .jsonl for JSON Lines; - for standard input); "
        "the embedded sample when none is given",
    )
    validate.add_argument("--format", choices=("text", "json"), default="text", help="how to write the report")
    validate.set_defaults(run=_validate)

    show = commands.add_parser("show", help="print a readable outline of a document")
    show.add_argument("file", nargs="?", metavar="FILE", help="the document; the embedded sample when none is given")
    show.add_argument("--language", metavar="TAG", help="show texts in this language where the data has it")
    show.set_defaults(run=_show)

    sample_command = commands.add_parser("sample", help="print the embedded sample event, or write it to a file")
    sample_command.add_argument("-o", "--output", metavar="PATH", help="write the sample here instead")
    sample_command.set_defaults(run=_sample)
    return parser


def _validate(arguments: argparse.Namespace) -> int:
    sources: list[str] = arguments.files or [embedded.SOURCE]
    reports = [(STDIN_NAME if source == STDIN else source, _report(source)) for source in sources]
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


def _report(source: str) -> Report:
    if source == embedded.SOURCE:
        return canonical.validate(embedded.sample_bytes())
    if source == STDIN:
        return canonical.validate(sys.stdin.buffer.read(), source=STDIN_NAME)
    return canonical.validate(Path(source))


def _show(arguments: argparse.Namespace) -> int:
    catalogue = _load(arguments.file)
    sys.stdout.write(outline(catalogue, arguments.language))
    sessions = sum(1 for event in catalogue.events for _session in walk_sessions(event.sessions))
    print(
        f"\n{len(catalogue.events)} event(s), {sessions} session(s), {len(catalogue.people)} people, "
        f"{len(catalogue.organisations)} organisations"
    )
    return OK


def _load(source: str | None) -> Catalogue:
    if source is None:
        return embedded.sample()
    if source == STDIN:
        return canonical.loads(sys.stdin.buffer.read(), source=STDIN_NAME)
    return canonical.load(source)


def _sample(arguments: argparse.Namespace) -> int:
    data = embedded.sample_bytes()
    if arguments.output:
        write_atomically(arguments.output, [data])
        print(f"wrote the sample to {arguments.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return OK
