"""The reading pipeline every importer ends in: the canonical document it built is checked against
the schemas, given its ids, turned into the model and checked for meaning; every step reports all
it finds, and a document with any problem raises :class:`InvalidDocument` with the whole report,
each problem said where the importer's own input has it (see :class:`Origins`).
"""

from __future__ import annotations

import gc
from typing import Any

import attrs
import orjson
from attrs import frozen

from mastery_model import conversion, identity, validation
from mastery_model.model import Catalogue
from mastery_model.problems import InvalidDocument, Problem, Report, located

_BOM = b"\xef\xbb\xbf"

#: The most bytes a reader takes in as one document: a file read whole, or a line of JSON Lines
#: streamed. About eight times as much memory is needed to read one.
MAX_DOCUMENT_BYTES = 512 << 20


class collection_paused:  # named as the function it is used as: ``with collection_paused():``
    """Pause the cyclic garbage collector while a document is read or written.

    Reading and writing build many objects and no cycles; the collector would walk them all again
    and again (a third of the time of a large load). It runs as before once the work is done.
    A class: a generator-based context manager costs more than a small export's own checks.
    """

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *_exception: object) -> None:
        if self._was_enabled:
            gc.enable()


def read_json(raw: bytes) -> tuple[Catalogue | None, conversion.Layout, list[Problem]]:
    """The catalogue of a canonical document's bytes, or every problem found in them."""
    with collection_paused():
        try:
            document = parse(raw)
        except InvalidDocument as error:
            return None, {}, list(error.report.problems)
        return checked(document)


def parse(raw: bytes) -> Any:
    """The JSON in ``raw`` (a UTF-8 byte order mark allowed); :class:`InvalidDocument` when it is not JSON."""
    try:
        return orjson.loads(raw.removeprefix(_BOM))
    except orjson.JSONDecodeError as error:
        raise InvalidDocument(Report((_syntax_problem(error, raw),))) from None


@frozen
class Origin:
    """Where an importer found what became a node of the document it built, in its own input."""

    source: str | None = None  # a file within the input: a table of a folder, say
    line: int | None = None
    row: int | None = None
    #: The node's keys that are columns of the row, each named as its key (CSV's columns are).
    columns: frozenset[str] = frozenset()


class Origins:
    """Where the nodes of a document an importer builds come from, so that a problem the pipeline
    finds in the document is said where the input has it: the importer marks the objects (nodes)
    it builds, and a problem is said at the innermost marked node on its pointer's path."""

    def __init__(self) -> None:
        self._of: dict[int, Origin] = {}  # by the node's identity: the document is the importer's, kept alive

    def mark(self, node: dict[str, Any], origin: Origin) -> dict[str, Any]:
        """The node, marked as coming from ``origin``."""
        self._of[id(node)] = origin
        return node

    def said_there(self, problem: Problem, document: Any) -> Problem:
        """The problem, said where the innermost marked node on its pointer's path
        (the pointer kept); as it is where no node on the path is marked."""
        node, found, key = document, None, None
        for part in problem.pointer.split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            if found is not None and key is None:
                key = part
            try:
                node = node[int(part)] if isinstance(node, list) else node[part]
            except (KeyError, IndexError, ValueError, TypeError):
                break
            origin = self._of.get(id(node))
            if origin is not None:
                found, key = origin, None
        if found is None:
            return problem
        column = key if key in found.columns else None
        return attrs.evolve(problem, source=found.source, line=found.line, row=found.row, column=column)


def read_document(document: Any, *, source: str | None = None, origins: Origins | None = None) -> Catalogue:
    """The catalogue in a canonical document given as JSON data (dicts, lists, strings, numbers,
    booleans and None), which becomes the reader's: ids are written into it, and it is kept by
    nobody once read.

    Importers of other formats build such a document and hand it here, so that what they read
    passes through the same checks as a canonical file; with the ``origins`` of their nodes,
    every problem is said there (a file, a line, a row and column).
    """
    with collection_paused():
        try:
            catalogue, _layout, problems = checked(document)
        except (TypeError, ValueError, OverflowError) as error:  # what no JSON parser gives
            problems = [Problem("", f"the document is not JSON data: {error}", None)]
            catalogue = None
    if catalogue is None:
        if origins is not None:
            problems = [origins.said_there(problem, document) for problem in problems]
        raise InvalidDocument(Report(tuple(located(problems, source))))
    return catalogue


def checked(document: Any) -> tuple[Catalogue | None, conversion.Layout, list[Problem]]:
    """Schemas, ids, model, meaning: the catalogue, or every problem of the first layer that has any."""
    problems = validation.schema_problems(document) or validation.in_document_order(identity.assign_ids(document))
    if problems:
        return None, {}, problems
    catalogue, layout = conversion.structure_document(document)
    problems = validation.meaning_problems(catalogue, layout)
    if problems:
        return None, layout, problems
    validation.validated.add(catalogue)  # exporting it needs no second check
    return catalogue, layout, problems


def trusted(raw: bytes) -> Catalogue:
    """The catalogue of a document already found valid: parsed, its ids minted, structured."""
    with collection_paused():
        document = parse(raw)
        identity.assign_ids(document)
        catalogue, _layout = conversion.structure_document(document)
    validation.validated.add(catalogue)
    return catalogue


def validate_catalogue(catalogue: Catalogue) -> Report:
    """Every problem in a model; empty when valid."""
    too_deep = validation.model_depth_problems(catalogue)
    if too_deep:  # deeper models would only exhaust the stack of the conversion
        return Report(tuple(too_deep))
    document = conversion.unstructure_document(catalogue)
    problems = validation.schema_problems(document)
    if not problems:
        problems = validation.meaning_problems(catalogue, conversion.canonical_layout(catalogue))
    return Report(tuple(problems))


def _syntax_problem(error: orjson.JSONDecodeError, raw: bytes) -> Problem:
    if not raw.strip():
        return Problem("", "the document is empty; expected a JSON object", None)
    message = error.msg
    if "UTF-8" in message:
        return Problem("", "the document is not UTF-8 text", None)
    if "depth" in message or "recursion" in message.lower():
        return Problem("", "the JSON nests too deeply to be a document", None, line=error.lineno)
    return Problem(
        "", f"not valid JSON: {message} (line {error.lineno}, column {error.colno})", None, line=error.lineno
    )
