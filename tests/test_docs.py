"""The documentation says what the code does: README.md, docs/*.md and the frab plugin's README.

- Every Python call shown (``mastery_model.NAME(...)``, and names imported from the library in a
  code block) names something that exists, with the keywords its signature takes.
- Every ``mastery-model`` command line shown parses with the real parser; synopses and commands in
  the text name only commands and options that exist.
- Every ``python`` block runs, in a fresh folder, with the virtualenv's Python.
- Every transcript (a plain code block of ``$ mastery-model ...`` lines and their output) shows
  what the command prints, and ``$ echo $?`` the exit code it gives.

Markers, HTML comments on a line of their own before a code block (rendered pages do not show
them; the text around the block says the same in words):

- ``<!-- file: NAME -->``: the block is the file NAME, written into the folder the page's examples
  run in before any of them runs.
- ``<!-- fixture: PATH -->``: the block needs the shared fixture PATH (see ``support.fixture_path``),
  copied into that folder under its own name; absent, the test skips, or fails under ``CI=true``.
- ``<!-- not run -->``: a Python block that cannot run on its own; the set is small and checked.

A ``python`` block in which every ``print(...)`` line ends with a comment shows what it prints: the
comments must be the printed lines, ``…`` standing for any text.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import inspect
import io
import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import pytest
from support import ROOT, fixture_path

import mastery_model
from mastery_model.cli import _parser
from mastery_model.plugins import installed

PAGES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    ROOT / "plugins" / "mastery-model-frab" / "README.md",
]
#: The Python blocks that do not run on their own, by page: kept small, each for a reason.
NOT_RUN: dict[str, int] = {}
#: Pages whose examples see every installed plugin, not only the library's own formats.
EVERY_PLUGIN = {"plugins/mastery-model-frab/README.md"}

_FENCE = re.compile(r"^(?P<indent> *)```(?P<language>[\w-]*)\s*$")
_MARKER = re.compile(r"^\s*<!--\s*(?P<key>[\w ]+?)\s*(?::\s*(?P<value>\S+))?\s*-->\s*$")


@dataclass
class Block:
    page: str  # relative to the checkout
    line: int  # of the opening fence
    language: str
    text: str
    markers: dict[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def runs(self) -> bool:
        return self.language == "python" and "not run" not in self.markers

    @property
    def is_transcript(self) -> bool:
        return self.language in ("", "console") and any(line.startswith("$ ") for line in self.text.splitlines())


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a page, each with the markers just before it."""
    found: list[Block] = []
    pending: dict[str, str] = {}
    lines = page.read_text(encoding="utf-8").splitlines()
    number = 0
    while number < len(lines):
        marker, fence = _MARKER.match(lines[number]), _FENCE.match(lines[number])
        if marker:
            pending[marker["key"]] = marker["value"] or ""
        elif fence:
            indent, start = fence["indent"], number
            number += 1
            body = []
            while not re.fullmatch(rf"{indent}```\s*", lines[number]):
                body.append(lines[number].removeprefix(indent))
                number += 1
            text = "\n".join(body) + "\n"
            found.append(Block(str(page.relative_to(ROOT)), start + 1, fence["language"], text, pending))
            pending = {}
        number += 1
    return found


ALL_BLOCKS = [block for page in PAGES for block in blocks(page)]


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _prose(page: Path) -> str:
    """The page without its fenced code blocks."""
    return re.sub(r"^( *)```[\w-]*\n.*?^\1```\s*$", "", _text(page), flags=re.DOTALL | re.MULTILINE)


def _inline_code(page: Path) -> list[str]:
    return re.findall(r"`([^`\n]+)`", _prose(page))


def _environment(page: str) -> dict[str, str]:
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "80"}
    if page in EVERY_PLUGIN:
        environment.pop("MASTERY_MODEL_PLUGINS", None)
    return environment


def _prepare(folder: Path, page: str, needing: list[Block]) -> None:
    """The page's files, and the fixtures its blocks need, in the folder its examples run in."""
    for block in ALL_BLOCKS:
        if block.page == page and "file" in block.markers:
            target = folder / block.markers["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
    for block in needing:
        if "fixture" in block.markers:
            source = fixture_path(block.markers["fixture"])
            shutil.copyfile(source, folder / source.name)


def _run_python(block: Block, folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", block.text],
        cwd=folder,
        env=_environment(block.page),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# -- Python blocks --------------------------------------------------------------------------------


def _shown_output(block: Block) -> list[str] | None:
    """What the block says it prints: the comments of its print lines, if every one has one."""
    prints = [line for line in block.text.splitlines() if line.lstrip().startswith("print(")]
    shown = [line.split("  # ", 1)[1].strip() if "  # " in line else None for line in prints]
    if not prints or None in shown:
        return None
    return [text for text in shown if text is not None]


def _matches(shown: str, printed: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in shown.split("…"))
    return re.fullmatch(pattern, printed) is not None


@pytest.mark.parametrize("block", [block for block in ALL_BLOCKS if block.runs], ids=lambda block: block.where)
def test_every_python_block_runs_in_a_fresh_folder(block: Block, tmp_path: Path) -> None:
    _prepare(tmp_path, block.page, [block])
    result = _run_python(block, tmp_path)
    assert result.returncode == 0, f"{block.where} fails:\n{result.stderr}"
    shown = _shown_output(block)
    if shown is not None:
        printed = result.stdout.splitlines()
        assert len(printed) == len(shown), (block.where, printed)
        for said, got in zip(shown, printed, strict=True):
            assert _matches(said, got), f"{block.where}: shows {said!r}, prints {got!r}"


def test_the_python_blocks_not_run_are_few_and_marked() -> None:
    not_run: dict[str, int] = {}
    for block in ALL_BLOCKS:
        if "not run" in block.markers:
            assert block.language == "python", f"{block.where}: only Python blocks run"
            not_run[block.page] = not_run.get(block.page, 0) + 1
    assert not_run == NOT_RUN


def test_markers_are_known_and_files_are_named_once() -> None:
    named: dict[tuple[str, str], str] = {}
    for block in ALL_BLOCKS:
        assert set(block.markers) <= {"file", "fixture", "not run"}, (block.where, block.markers)
        if "file" in block.markers:
            key = (block.page, block.markers["file"])
            assert key not in named, f"{block.where}: {key[1]} is already the block at {named.get(key)}"
            named[key] = block.where


# -- transcripts ----------------------------------------------------------------------------------


def _steps(block: Block) -> Iterator[tuple[str, str]]:
    """Each ``$ command`` of a transcript with the output shown after it."""
    command: str | None = None
    output: list[str] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            if command is not None:
                yield command, "\n".join(output)
            command, output = line[2:], []
        else:
            output.append(line)
    if command is not None:
        yield command, "\n".join(output)


def _mastery_model(command: str) -> list[str]:
    words = shlex.split(command)
    assert words[0] == "mastery-model", f"a transcript runs mastery-model only, not {command!r}"
    return [sys.executable, "-m", "mastery_model", *words[1:]]


TRANSCRIPT_PAGES = sorted({block.page for block in ALL_BLOCKS if block.is_transcript})


@pytest.mark.parametrize("page", TRANSCRIPT_PAGES)
def test_every_transcript_shows_what_the_command_prints(page: str, tmp_path: Path) -> None:
    """The page's examples run in order in one folder: Python blocks make what later ones read."""
    own = [block for block in ALL_BLOCKS if block.page == page]
    _prepare(tmp_path, page, own)
    for block in own:
        if block.runs:
            result = _run_python(block, tmp_path)
            assert result.returncode == 0, f"{block.where} fails:\n{result.stderr}"
        if not block.is_transcript:
            continue
        code: int | None = None
        for command, shown in _steps(block):
            if command == "echo $?":
                assert shown == str(code), f"{block.where}: {command} shows {shown}, the code is {code}"
                continue
            ran = subprocess.run(
                _mastery_model(command),
                cwd=tmp_path,
                env=_environment(page),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=300,
                check=False,
            )
            code = ran.returncode
            assert ran.stdout.rstrip("\n") == shown, f"{block.where}: $ {command}\n{ran.stdout}"


# -- command lines --------------------------------------------------------------------------------

_SHELL_STOP = {"|", ">", ">>", "<", "2>", "&&", ";", "&"}


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    (subcommands,) = (action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
    return dict(subcommands.choices)


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {name for action in parser._actions for name in action.option_strings}


def flag_problems(line: str) -> list[str]:
    """What a documented synopsis or command names that the parser does not have."""
    words = line.replace("[", " ").replace("]", " ").replace("|", " ").split()
    assert words[0] == "mastery-model", line
    parser = _parser()
    commands = _commands()
    command = next((word for word in words[1:] if not word.startswith("-")), None)
    problems = []
    if command is not None and command not in commands:
        return [f"no command {command!r} in {line!r}"]
    known = _options(parser) | (_options(commands[command]) if command else set())
    for word in words[1:]:
        flag = word.split("=", 1)[0]
        if re.fullmatch(r"--?[A-Za-z][\w-]*", flag) and flag not in known:
            problems.append(f"no option {flag} for {command or 'mastery-model'} in {line!r}")
    return problems


def parse_problems(line: str) -> list[str]:
    """Why a documented command line does not parse (none if it does)."""
    words = shlex.split(line, comments=True)
    for number, word in enumerate(words):
        if word in _SHELL_STOP:
            words = words[:number]
            break
    assert words[0] == "mastery-model", line
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            _parser().parse_args(words[1:])
    except SystemExit as exit:
        if exit.code != 0:  # --version and --help exit 0
            return [f"{line!r}: {stderr.getvalue().strip().splitlines()[-1]}"]
    return []


def _documented_command_lines() -> Iterator[tuple[str, str, int | None]]:
    """(where, line, the exit code a transcript shows for it) of every command line in a code block."""
    for block in ALL_BLOCKS:
        if block.language in ("sh", "bash", "shell"):
            for line in block.text.splitlines():
                if line.strip().startswith("mastery-model "):
                    yield block.where, line.strip(), None
        elif block.is_transcript:
            steps = list(_steps(block))
            for number, (command, _shown) in enumerate(steps):
                if command.startswith("mastery-model"):
                    following = steps[number + 1] if number + 1 < len(steps) else ("", "")
                    code = int(following[1]) if following[0] == "echo $?" else None
                    yield block.where, command, code


def test_every_command_line_shown_parses() -> None:
    problems = []
    for where, line, code in _documented_command_lines():
        if "[" in line or re.search(r"\b[A-Z]{3,}\b", line.split("#")[0]):
            problems += [f"{where}: {problem}" for problem in flag_problems(line)]  # a synopsis
        elif code == 2:  # shown failing as a usage error: it must not parse
            assert parse_problems(line), f"{where}: {line!r} is shown as a usage error, but parses"
        else:
            problems += [f"{where}: {problem}" for problem in parse_problems(line)]
    assert problems == []


def test_every_command_named_in_the_text_exists_with_its_options() -> None:
    problems = []
    for page in PAGES:
        for code in _inline_code(page):
            if code.startswith("mastery-model "):
                problems += [f"{page.relative_to(ROOT)}: {problem}" for problem in flag_problems(code)]
    assert problems == []


def test_the_command_line_checks_catch_what_does_not_exist() -> None:
    assert parse_problems("mastery-model validate --lines events.jsonl")
    assert parse_problems("mastery-model export --to ical --venue x")
    assert parse_problems("mastery-model check event.jsonld")
    assert parse_problems("mastery-model export event.jsonld")  # --to is required
    assert not parse_problems("mastery-model export event.jsonld --to csv > tables.zip   # a comment")
    assert flag_problems("mastery-model validate [--lines] [INPUT ...]")
    assert flag_problems("mastery-model convert [INPUT] --to FORMAT")
    assert not flag_problems("mastery-model export [INPUT] --to FORMAT [-o PATH] [--option KEY=VALUE ...]")


# -- Python calls ---------------------------------------------------------------------------------


def _outside_quotes(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Each character of ``text`` from ``start`` that is not inside a string literal, with its index
    and the depth of brackets it stands at (an opening bracket at its own depth, a closing one after)."""
    depth, quote = 0, ""
    for index in range(start, len(text)):
        character = text[index]
        if quote:
            if character == quote and text[index - 1] != "\\":
                quote = ""
            continue
        if character in "\"'":
            quote = character
            continue
        if character in ")]}":
            depth -= 1
        yield index, character, depth
        if character in "([{":
            depth += 1


def _arguments(text: str, start: int) -> str | None:
    """The text between the parenthesis at ``start`` and the one that closes it."""
    for index, character, depth in _outside_quotes(text, start):
        if character in ")]}" and depth == 0:
            return text[start + 1 : index]
    return None


def _split(arguments: str) -> list[str]:
    """The arguments, split at the commas between them."""
    cuts = [index for index, character, depth in _outside_quotes(arguments) if character == "," and depth == 0]
    parts = [arguments[low + 1 : high].strip() for low, high in itertools.pairwise([-1, *cuts, len(arguments)])]
    return [part for part in parts if part and part not in ("...", "…")]


def _resolve(dotted: str) -> Any:
    found: Any = mastery_model
    for number, part in enumerate(dotted.split(".")):
        if not hasattr(found, part) and inspect.ismodule(found):
            importlib.import_module(".".join(["mastery_model", *dotted.split(".")[: number + 1]]))
        found = getattr(found, part)
    return found


def _literal(text: str) -> Any:
    with contextlib.suppress(ValueError, SyntaxError):
        return ast.literal_eval(text)
    return None


def _format_options(name: str, parameters: list[inspect.Parameter], arguments: list[str]) -> set[str] | None:
    """The options of the format a call names (its ``format`` argument), or None if it names none."""
    names = [parameter.name for parameter in parameters]
    if "format" not in names:
        return None
    index = names.index("format")
    given = next((part.split("=", 1)[1] for part in arguments if re.match(r"format\s*=", part)), None)
    positional = [part for part in arguments if not re.match(r"\*|\w+\s*=(?!=)", part)]
    if given is None and index < len(positional):
        given = positional[index]
    format_name = _literal(given) if given else None
    if not isinstance(format_name, str):
        return None
    registry = installed()
    if "export" in name:
        return {option.name for option in registry.exporter(format_name).options}
    return {option.name for option in registry.importer(format_name).options}


def call_problems(name: str, arguments: str) -> list[str]:
    """What a documented call or signature of ``mastery_model.<name>`` gets wrong."""
    try:
        target = _resolve(name)
    except (AttributeError, ImportError):
        return [f"mastery_model.{name} does not exist"]
    try:
        parameters = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        return []  # a class without a signature of its own (an exception): it exists
    parts = _split(arguments)
    kinds = {parameter.name: parameter.kind for parameter in parameters}
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    var_positional = any(p.kind is p.VAR_POSITIONAL for p in parameters)
    var_keyword = any(p.kind is p.VAR_KEYWORD for p in parameters)
    signature_form = "*" in parts
    problems, count, options = [], 0, None
    for part in parts:
        keyword = re.match(r"(\w+)\s*=(?!=)", part)
        if part == "*":
            continue
        if part.startswith("**"):
            if not var_keyword:
                problems.append(f"{name}() takes no **keywords")
        elif part.startswith("*"):
            if not var_positional:
                problems.append(f"{name}() takes no *arguments")
        elif keyword:
            word = keyword[1]
            if kinds.get(word) in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY):
                continue
            if not var_keyword:
                problems.append(f"{name}() has no parameter {word!r}")
                continue
            options = _format_options(name, parameters, parts) if options is None else options
            if options is None or word not in options:
                problems.append(f"{name}() has no parameter {word!r}, nor does the format named take it as an option")
        else:
            if count >= len(positional) and not var_positional:
                problems.append(f"{name}() takes {len(positional)} positional arguments, not {count + 1}")
            elif signature_form and count < len(positional) and part != positional[count].name:
                problems.append(f"{name}()'s argument {count + 1} is {positional[count].name!r}, not {part!r}")
            count += 1
    return problems


def _calls(text: str, names: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(dotted name under mastery_model, arguments) of each call in ``text``: ``mastery_model.X(``,
    and ``X(`` for each local name X of ``names``."""
    pattern = r"(?<![\w.])(?<!def )(?P<name>(?:mastery_model\.)?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\("
    for match in re.finditer(pattern, text):
        dotted = match["name"]
        head, _dot, rest = dotted.partition(".")
        if head == "mastery_model":
            qualified = rest
        elif head in names:
            qualified = ".".join(part for part in (names[head], rest) if part)
        else:
            continue
        arguments = _arguments(text, match.end() - 1)
        if arguments is not None and qualified:
            yield qualified, arguments


def _imported(code: str) -> dict[str, str]:
    """The names a code block imports from the library, each with its path under mastery_model."""
    names = {}
    for match in re.finditer(r"^from mastery_model(?P<module>(?:\.\w+)*) import (?P<names>[\w, ]+)$", code, re.M):
        module = match["module"].lstrip(".")
        for imported in match["names"].split(","):
            imported = imported.strip()
            names[imported] = f"{module}.{imported}" if module else imported
    return names


def documented_calls() -> Iterator[tuple[str, str, str]]:
    """(page, dotted name, arguments) of every call of the library shown in the pages."""
    public = {name: name for name in mastery_model.__all__ if callable(getattr(mastery_model, name))}
    for page in PAGES:
        where = str(page.relative_to(ROOT))
        for code in _inline_code(page):
            for name, arguments in _calls(code, public):
                yield where, name, arguments
        for block in blocks(page):
            if block.language == "python":
                for name, arguments in _calls(block.text, _imported(block.text)):
                    yield where, name, arguments


def test_every_call_shown_names_what_exists_with_the_keywords_it_takes() -> None:
    calls = list(documented_calls())
    assert len(calls) > 40  # the pages are read
    problems = [f"{page}: {problem}" for page, name, arguments in calls for problem in call_problems(name, arguments)]
    assert problems == []


def test_the_call_check_catches_what_does_not_exist() -> None:
    assert call_problems("validate", "target, *, lines=None, source=None")
    assert call_problems("validate", 'b"{}", lines=True')
    assert call_problems("loads", "data, *, format=None")
    assert call_problems("load", "path, other")
    assert call_problems("export", 'catalogue, "schemaorg", "event.html", venue="x"')
    assert call_problems("check", "catalogue")
    assert call_problems("mint", "kind, natural_key, more, *, strict=True")
    assert not call_problems("export", 'catalogue, "schemaorg", "event.html", select=..., html="yes"')
    assert not call_problems("validate", 'path, format="schemaorg", language="en"')
    assert not call_problems("mint", "kind, *natural_key")
    assert not call_problems("schemas.schema_folder", "")


# -- what the pages say the code does -------------------------------------------------------------


def _table(page: str, heading: str) -> list[list[str]]:
    """The rows of the first table after ``heading``, each a list of its cells."""
    text = (ROOT / page).read_text(encoding="utf-8").split(heading, 1)[1]
    rows = []
    for line in text.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif rows:
            break
    return rows[2:]


def _report_keys(value: Any, path: str = "") -> set[str]:
    keys: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            keys |= {f"{path}{key}"} | _report_keys(item, f"{path}{key}")
    elif isinstance(value, list):
        for item in value:
            keys |= _report_keys(item, f"{path}[].")
    return keys


def test_the_json_report_is_documented_key_by_key(tmp_path: Path) -> None:
    (tmp_path / "broken.jsonld").write_bytes(b'{"@context": "https://w3id.org/mastery-model/v1/context.jsonld"}')
    mastery_model.export(mastery_model.sample(), "csv", tmp_path / "tables")
    events = tmp_path / "tables" / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace(",online,", ",hybrid,"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mastery_model", "validate", "--format", "json", "broken.jsonld", "tables", "-"],
        cwd=tmp_path,
        input=b"{}",
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    report = orjson.loads(result.stdout)
    assert [document["source"] for document in report["documents"]] == ["broken.jsonld", "tables", "<stdin>"]
    assert any(problem["row"] == 2 for problem in report["documents"][1]["problems"])
    documented = {row[0].strip("`") for row in _table("docs/validation.md", "### The JSON report")}
    assert documented == _report_keys(report)
    problem_fields = {
        row[0].strip("`") for row in _table("docs/validation.md", "Each problem is a `mastery_model.Problem`")
    }
    assert problem_fields == set(mastery_model.Problem(pointer="", message="").as_dict())


def test_a_pretty_printed_document_named_jsonl_reads_as_the_docs_say(tmp_path: Path) -> None:
    """docs/validation.md, "Which files are JSON Lines": read as one document, except by export."""
    document = orjson.dumps(orjson.loads(mastery_model.dumps(mastery_model.sample())), option=orjson.OPT_INDENT_2)
    path = tmp_path / "event.jsonl"
    path.write_bytes(document)
    assert mastery_model.load(path) == mastery_model.sample()
    assert mastery_model.validate(path).ok
    assert not mastery_model.validate(document, format="jsonl").ok

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "mastery_model", *argv]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)

    assert run("validate", "event.jsonl").stdout == "event.jsonl: valid\n"
    refused = run("export", "event.jsonl", "--to", "ical", "-o", "event.ics")
    assert refused.returncode == 1
    assert "event.jsonl, line 1: not valid JSON" in refused.stderr
    assert not (tmp_path / "event.ics").exists()
    assert run("export", "event.jsonl", "--from", "jsonld", "--to", "ical", "-o", "event.ics").returncode == 0


def test_an_export_warning_points_at_the_line_that_called_export(tmp_path: Path) -> None:
    """docs/exporting.md, "Warnings"."""
    with pytest.warns(mastery_model.ExportWarning, match="no location") as caught:
        mastery_model.export(mastery_model.sample(), "schemaorg", tmp_path / "event.html", html="yes")
    (warning,) = [warning for warning in caught if "no location" in str(warning.message)]
    assert warning.filename == __file__
    assert (tmp_path / "event.html").exists()  # the output is written all the same
