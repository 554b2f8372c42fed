"""Hostile canonical documents: bounded time, numbers every format carries, a report for any input,
no recursion that a document can exhaust.

Each reader of the canonical format (``loads``, JSON Lines, ``validate``) must turn any input into
a catalogue or a report, in time that grows with the document, not with its worst value.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import catalogues
from support import fuzz_budget, written_everywhere

import mastery_model
from mastery_model import InvalidDocument, Report, UsageError, schemas, validation
from mastery_model import reading as pipeline
from mastery_model.builtin.jsonld import lines as json_lines
from mastery_model.model import MAX_SESSION_DEPTH, Catalogue, Organisation, Session

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = schemas.CONTEXT_IRI
SAFE = 2**53 - 1


def generated(sessions: int) -> dict[str, Any]:
    """A catalogue from the benchmarks' generator (realistic text, zones, nested sessions)."""
    spec = importlib.util.spec_from_file_location("catalogue_generator", ROOT / "benchmarks" / "catalogue.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    document: dict[str, Any] = module.generate(sessions)
    return document


def sample_document() -> dict[str, Any]:
    loaded: dict[str, Any] = orjson.loads(mastery_model.dumps(mastery_model.sample()))
    return loaded


def cpu(action: Callable[[], object], repeat: int = 3) -> float:
    """The least CPU time of a few runs: the figure noise on a shared machine spoils least."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        action()
        best = min(best, time.process_time() - started)
    return best


def problems_of(data: bytes | dict[str, Any], *, lines: bool = False) -> list[Any]:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    with pytest.raises(InvalidDocument) as raised:
        mastery_model.loads(raw, lines=lines)
    return list(raised.value.report)


def event(**extra: Any) -> dict[str, Any]:
    return {"@type": "EducationEvent", "@id": "urn:x-test:e", "name": {"en": "E"}, **extra}


def document(*nodes: dict[str, Any]) -> dict[str, Any]:
    return {"@context": CONTEXT, "@graph": list(nodes)}


# -- 1. time: the precise report costs a bounded multiple of the fast check --------------------


@pytest.fixture(scope="module")
def big() -> dict[str, Any]:
    return generated(2000)


def warm() -> None:
    validation.schema_problems(document({"@type": "Person", "name": 5}))


def test_the_report_on_a_big_document_with_one_bad_value_costs_a_few_fast_checks(big: dict[str, Any]) -> None:
    warm()
    broken = copy.deepcopy(big)
    broken["@graph"][-1]["name"] = 5  # last: the fast check of the broken document cannot stop early either
    fast = cpu(lambda: schemas.fast_validator().is_valid(big))
    precise = cpu(lambda: validation.schema_problems(broken))
    (problem,) = validation.schema_problems(broken)
    assert problem.pointer == f"/@graph/{len(big['@graph']) - 1}/name"
    assert precise <= 20 * fast, (precise, fast)


def test_long_urls_cost_no_grammar_per_character(big: dict[str, Any]) -> None:
    warm()
    broken = copy.deepcopy(big)
    url = "https://example.org/" + "a" * 10_000
    organisations = [node for node in broken["@graph"] if node["@type"] not in ("EducationEvent", "Person")]
    for node in organisations:
        node["url"] = url
    broken["@graph"][0]["name"] = 5
    valid = copy.deepcopy(broken)
    valid["@graph"][0]["name"] = {"en": "E"}
    assert schemas.fast_validator().is_valid(valid)
    fast = cpu(lambda: schemas.fast_validator().is_valid(valid))
    precise = cpu(lambda: validation.schema_problems(broken))
    assert [problem.pointer for problem in validation.schema_problems(broken)] == ["/@graph/0/name"]
    assert precise <= 20 * fast, (precise, fast)


def test_one_ten_thousand_character_url_and_one_error_take_no_time() -> None:
    warm()
    organisation = {"@type": "Organization", "@id": "urn:x:o", "name": {"en": "O"}}
    broken = document({**organisation, "url": "https://example.org/" + "a" * 10_000}, {"@type": "Person", "name": 5})
    bad_url = document({**organisation, "url": "https://example.org/" + "a" * 10_000 + "<"})
    assert cpu(lambda: validation.schema_problems(broken)) < 0.5  # was 4 to 8 seconds: an Earley parse
    (problem,) = validation.schema_problems(bad_url)
    assert problem.pointer == "/@graph/0/url"
    assert "10021 characters" in str(problem.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b#c",
        "https://[::1]:8080/",
        "https://[v1.x]/",
        "https://example.org/\U0001f600",
        "https://u@example.org/%41",
        "https://example.org/%4",
        "https://example.org/<",
        "https://u@@example.org/",
        "https://example.org/#a#b",
        "https://[zz]/",
        "https://example.org:8a/",
        "https://example.org/\ue000",
    ],
)
def test_the_precise_url_check_agrees_with_the_fast_one(url: str) -> None:
    node = {"@type": "Organization", "@id": "urn:x:o", "name": {"en": "O"}, "url": url}
    fast = schemas.fast_validator().is_valid(document(node))
    precise = not list(schemas.precise_validator().iter_errors(document(node)))
    assert precise == fast


def test_the_pruning_meets_only_the_array_keywords_it_relies_on() -> None:
    """The precise validator sees lists cut to the items with errors (validation._Pruned): sound
    only while no schema asks more of a list than ``items``, ``minItems`` up to 1 and ``uniqueItems``."""

    def walk(value: Any) -> Iterator[tuple[str, Any]]:
        if isinstance(value, dict):
            for key, item in value.items():
                yield key, item
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    for schema in schemas.schemas().values():
        keywords = dict(walk(schema))
        for unsupported in ("maxItems", "contains", "prefixItems", "unevaluatedItems", "minContains"):
            assert unsupported not in keywords
        assert all(value <= 1 for key, value in walk(schema) if key == "minItems")


# -- 2. numbers every format carries ------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "number"),
    [
        ("revision", "100000000000000000000"),
        ("revision", "123456789012345678901234567890"),
        ("revision", "9007199254740992"),
        ("revision", "1e300"),
        ("attendance", "9007199254740992"),
        ("position", "18446744073709551616"),
    ],
)
def test_a_number_beyond_2_53_is_refused_at_load(where: str, number: str) -> None:
    if where == "attendance":
        node = event(attendance={"count": 0})
        pointer = "/@graph/0/attendance/count"
    elif where == "position":
        node = event(subEvent=[{"@type": "EducationEvent", "name": {"en": "S"}, "position": 0}])
        pointer = "/@graph/0/subEvent/0/position"
    else:
        node = event(revision=0)
        pointer = "/@graph/0/revision"
    raw = json.dumps(document(node)).encode().replace(b": 0", b": " + number.encode())
    (problem,) = problems_of(raw)
    assert problem.pointer == pointer
    assert "9007199254740991" in problem.message
    assert [(found.pointer, found.message) for found in mastery_model.validate(raw)] == [
        (problem.pointer, problem.message)
    ]


def test_the_largest_safe_integers_load_and_go_back_out_unchanged() -> None:
    session = {"@type": "EducationEvent", "name": {"en": "S"}, "position": SAFE, "revision": SAFE}
    raw = json.dumps(document(event(revision=SAFE, attendance={"count": SAFE}, subEvent=[session]))).encode()
    catalogue = mastery_model.loads(raw)
    assert catalogue.events[0].revision == SAFE
    again = orjson.loads(mastery_model.dumps(catalogue))["@graph"][0]
    assert (again["revision"], again["attendance"]["count"], again["subEvent"][0]["position"]) == (SAFE, SAFE, SAFE)


def test_a_model_built_in_code_with_a_huge_number_is_reported() -> None:
    catalogue = mastery_model.sample()
    huge = attrs.evolve(catalogue, events=(attrs.evolve(catalogue.events[0], revision=10**20), *catalogue.events[1:]))
    (problem,) = mastery_model.validate(huge)
    assert problem.pointer == "/@graph/0/revision"


def test_a_file_larger_than_a_document_may_be_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.jsonld"
    path.write_bytes(mastery_model.dumps(mastery_model.sample()))
    monkeypatch.setattr(pipeline, "MAX_DOCUMENT_BYTES", path.stat().st_size - 1)
    read = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or b"")
    (problem,) = mastery_model.validate(path)
    assert (
        problem.message
        == f"the file holds more than the {path.stat().st_size - 1:,} bytes a document may have: it is not read"
    )
    assert problem.source == str(path)
    monkeypatch.setattr(pipeline, "MAX_DOCUMENT_BYTES", path.stat().st_size)
    assert mastery_model.validate(path).ok
    assert read == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_of_unknown_size_is_read_only_up_to_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "in.jsonld"
    os.mkfifo(fifo)
    monkeypatch.setattr(pipeline, "MAX_DOCUMENT_BYTES", 1000)
    written: list[int] = []

    def writer() -> None:
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as pipe:
            for _ in range(100):
                written.append(pipe.write(b" " * 100_000))

    thread = threading.Thread(target=writer)
    thread.start()
    (problem,) = mastery_model.validate(fifo)
    thread.join()
    assert "more than the 1,000 bytes a document may have" in problem.message
    assert sum(written) < 100 * 100_000  # the reader stopped, and the writer met a closed pipe


def test_a_streamed_line_longer_than_a_document_may_be_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "events.jsonl"
    line = mastery_model.dumps(mastery_model.sample(), lines=True)
    path.write_bytes(line + b" " * 2000 + line)
    monkeypatch.setattr(pipeline, "MAX_DOCUMENT_BYTES", len(line) + 1000)
    with pytest.raises(InvalidDocument) as raised:
        list(json_lines.iter_line_catalogues(path))
    (problem,) = raised.value.report.problems
    assert (problem.line, problem.message) == (
        2,
        f"the line holds more than the {len(line) + 1000:,} bytes a document may have",
    )


# -- 3. validate: a report for any input --------------------------------------------------------


def test_validate_answers_every_input_with_a_report(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    (tmp_path / "file").write_bytes(b"{}")
    inputs: list[Any] = [
        b"",
        b"\xff\xfe not utf-8",
        b"[" * 100_000,
        bytearray(b'{"@context": 1}'),
        "not a path and not a document {}",
        str(tmp_path / "missing.jsonld"),
        tmp_path / "missing.jsonl",
        folder,
        str(tmp_path / "file" / "below a file"),
        "x" * 5000,
        "/root/" + "a/" * 3000,
        "nul\x00in the name",
        "/proc/self/mem",
    ]
    for target in inputs:
        report = mastery_model.validate(target)
        assert isinstance(report, Report), target
        assert not report.ok, repr(target)[:80]
    assert not mastery_model.validate(folder, format="jsonld").ok  # reads files, not folders
    assert not mastery_model.validate(b"{}", format="csv").ok  # reads folders, not bytes
    for format in ("jsonld", "jsonl", "ical", "schemaorg", "csv", "frab"):
        try:
            report = mastery_model.validate(b'{"x": [1, {"y": null}]}', format=format)
        except UsageError:  # only a format that is not installed: the call's mistake, not the input's
            continue
        assert isinstance(report, Report)


def test_validate_raises_only_for_a_mistake_in_the_call() -> None:
    with pytest.raises(UsageError):
        mastery_model.validate(b"{}", format="no-such-format")
    with pytest.raises(TypeError):
        mastery_model.validate(42)  # type: ignore[arg-type]


# -- 4. no recursion a document can exhaust -----------------------------------------------------


def organisation(identifier: str, parent: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Organization", "@id": identifier, "name": {"en": identifier}}
    if parent is not None:
        node["parentOrganization"] = parent
    return node


def test_cycles_of_references_are_problems() -> None:
    loop = [organisation(f"urn:x:o{index}", f"urn:x:o{(index + 1) % 500}") for index in range(500)]
    found = problems_of(document(event(), *loop))
    assert len(found) == 500
    assert all("own ancestors" in problem.message for problem in found)
    (own,) = problems_of(document(event(), organisation("urn:x:self", "urn:x:self")))
    assert own.pointer == "/@graph/1/parentOrganization"
    person = {"@type": "Person", "@id": "urn:x:p", "name": "P", "affiliation": ["urn:x:p"]}
    (affiliated,) = problems_of(document(event(), person))
    assert affiliated.pointer == "/@graph/1/affiliation/0"
    performer = {"@type": "EducationEvent", "@id": "urn:x:s", "name": {"en": "S"}}
    performer["performer"] = [{"performer": "urn:x:s", "roleName": "speaker"}]
    assert problems_of(document(event(subEvent=[performer])))


def nested_sessions(depth: int) -> bytes:
    """A document with sessions ``depth`` deep, written out as text (json.dumps would recurse)."""
    deepest = '{"@type": "EducationEvent", "name": {"en": "deepest"}}'
    opening = '{"@type": "EducationEvent", "name": {"en": "s"}, "subEvent": [' * (depth - 1)
    sessions = opening + deepest + "]}" * (depth - 1)
    graph = json.dumps(event())[:-1] + ', "subEvent": [' + sessions + "]}"
    return f'{{"@context": "{CONTEXT}", "@graph": [{graph}]}}'.encode()


@pytest.mark.parametrize("depth", [MAX_SESSION_DEPTH + 1, 200, 400, 5000])
def test_sessions_nested_beyond_the_limit_are_one_problem(depth: int) -> None:
    raw = nested_sessions(depth)
    for lines in (False, True):
        (problem,) = problems_of(raw, lines=lines)
        assert "deep" in problem.message
    assert not mastery_model.validate(raw).ok


def test_a_model_nested_deeper_than_any_document_is_reported_not_recursed() -> None:
    catalogue = mastery_model.sample()
    session = Session(id="urn:x:s0", name=catalogue.events[0].name)
    for level in range(1, 5000):
        session = Session(id=f"urn:x:s{level}", name=catalogue.events[0].name, sessions=(session,))
    deep = attrs.evolve(catalogue, events=(attrs.evolve(catalogue.events[0], sessions=(session,)),))
    (problem,) = mastery_model.validate(deep)
    assert problem.pointer == "/@graph/0" + "/subEvent/0" * MAX_SESSION_DEPTH + "/subEvent"
    with pytest.raises(InvalidDocument):
        mastery_model.dumps(deep)
    with pytest.raises(InvalidDocument):
        mastery_model.dumps(deep, lines=True)


def test_a_model_with_an_organisation_loop_is_reported() -> None:
    catalogue = mastery_model.sample()
    name = catalogue.organisations[0].name
    loop = (
        Organisation(id="urn:x:a", name=name, parent="urn:x:b"),
        Organisation(id="urn:x:b", name=name, parent="urn:x:a"),
    )
    report = mastery_model.validate(attrs.evolve(catalogue, organisations=(*catalogue.organisations, *loop)))
    assert len(report) == 2


def deeply(value: Any, depth: int, wrap: str) -> Any:
    for _ in range(depth):
        value = [value] if wrap == "list" else {"en": value}
    return value


def deeply_text(depth: int, wrap: str) -> str:
    return ("[" * depth + '"x"' + "]" * depth) if wrap == "list" else ('{"en": ' * depth + '"x"' + "}" * depth)


@pytest.mark.parametrize("wrap", ["list", "dict"])
@pytest.mark.parametrize("depth", [100, 300, 900, 2000])
def test_deeply_nested_values_are_problems(wrap: str, depth: int) -> None:
    nested = deeply_text(depth, wrap)
    node = json.dumps(event())[:-1] + f', "about": [{nested}, {nested}], "description": {{"en": {nested}}}}}'
    raw = f'{{"@context": "{CONTEXT}", "@graph": [{node}]}}'.encode()
    for lines in (False, True):
        assert problems_of(raw, lines=lines)
    assert not mastery_model.validate(raw).ok


# -- the mutation test --------------------------------------------------------------------------


def places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from places(item, (*path, index))


def at(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def ids_of(document_: Any) -> list[str]:
    return [at(document_, path) for path in places(document_) if path and path[-1] == "@id"]


MUTATIONS = ("swap", "delete", "number", "long", "control", "duplicate", "self", "deep", "copy-node")
HOSTILE_VALUES = [
    5,
    -1,
    1.5,
    "x",
    "",
    None,
    True,
    [],
    {},
    [1, 1],
    10**20,
    -(2**63) - 1,
    2**64,
    1e308,
    SAFE + 1,
    "x" * 20_000,
    "https://example.org/" + "a" * 20_000,
    "\x00\x1f\u2028\ufeff\x85",
]


def mutated(document_: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    doc = copy.deepcopy(document_)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        paths = [path for path in places(doc) if path]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths), label="where")
        parent, key = at(doc, path[:-1]), path[-1]
        kind = data.draw(st.sampled_from(MUTATIONS), label="mutation")
        value = parent[key]
        if kind == "swap":
            parent[key] = data.draw(st.sampled_from([5, "x", [], {}, None, True, 1.5, [value], {"k": value}]))
        elif kind == "delete" and isinstance(parent, dict):
            del parent[key]
        elif kind == "number":
            parent[key] = data.draw(st.sampled_from([10**20, 2**63, -(2**63) - 1, 1e308, SAFE + 1, SAFE, -SAFE]))
        elif kind == "long":
            parent[key] = data.draw(st.sampled_from(HOSTILE_VALUES))
        elif kind == "control" and isinstance(value, str):
            cut = data.draw(st.integers(0, len(value)))
            parent[key] = (
                value[:cut] + data.draw(st.sampled_from(["\x00", "\x1f", "\u2028", "\ufeff", "\n"])) + value[cut:]
            )
        elif kind in ("duplicate", "self"):
            ids = ids_of(doc)
            if ids:
                parent[key] = data.draw(st.sampled_from(ids))
        elif kind == "deep":
            parent[key] = deeply(
                value, data.draw(st.sampled_from([20, 300])), data.draw(st.sampled_from(["list", "dict"]))
            )
        elif kind == "copy-node" and isinstance(doc.get("@graph"), list) and doc["@graph"]:
            graph = doc["@graph"]
            graph.append(copy.deepcopy(data.draw(st.sampled_from(graph))))
    return doc


def max_depth(value: Any) -> int:
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def full_precise_problems(document_: Any) -> set[Any]:
    """What the precise validator says about the whole document, unpruned (small documents only)."""
    return {
        validation._problem(error, tuple(error.absolute_path), error.instance)
        for leaf in schemas.precise_validator().iter_errors(document_)
        for error in validation._leaves(leaf)
    }


def check_hostile(document_: dict[str, Any]) -> None:
    try:
        raw = json.dumps(document_, ensure_ascii=False).encode()
    except RecursionError:
        return
    outcomes = []
    for lines in (False, True):
        try:
            catalogue = mastery_model.loads(raw, lines=lines)
        except InvalidDocument as error:
            problems = error.report.problems
            outcomes.append(False)
            assert problems
            continue
        outcomes.append(True)
        # what is accepted can be written, and read back as it was (numbers included); JSON Lines
        # carries only the entities events refer to
        written_everywhere(catalogue)
        assert mastery_model.loads(mastery_model.dumps(catalogue, lines=True), lines=True).events == catalogue.events
    report = mastery_model.validate(raw)
    assert isinstance(report, Report)
    assert report.ok == outcomes[0]
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return
    if validation._depth_problems(parsed) or len(raw) > 100_000 or max_depth(parsed) > 200:
        return
    # the pruned precise report says what the precise validator says of the whole document
    pruned = validation.schema_problems(parsed)
    if schemas.fast_validator().is_valid(parsed):
        assert pruned == []
    else:
        assert set(pruned) == full_precise_problems(parsed)


@settings(max_examples=fuzz_budget(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_sample_documents_give_a_catalogue_or_a_report(data: st.DataObject) -> None:
    check_hostile(mutated(SAMPLE, data))


@settings(max_examples=fuzz_budget(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogues(), st.data())
def test_mutated_generated_documents_give_a_catalogue_or_a_report(catalogue: Catalogue, data: st.DataObject) -> None:
    check_hostile(mutated(orjson.loads(mastery_model.dumps(catalogue)), data))


SAMPLE = sample_document()
