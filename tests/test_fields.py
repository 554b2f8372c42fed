"""The vocabulary covers the model: every field of every class has its term, the converter writes it
under that term's key, and the generated catalogues the round-trip tests run on set every field,
so that a field a lossless format (canonical JSON-LD, JSON Lines, CSV) drops fails those tests."""

from __future__ import annotations

import contextlib
import functools
import io
import re
import typing
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.errors import NoSuchExample
from strategies import catalogues

import mastery_model
from mastery_model import conversion, model, plugins, schemas, vocabulary
from mastery_model.model import Catalogue

CONTEXT = schemas.context()["@context"]


def _model_classes() -> list[type]:
    """The classes a catalogue is made of, found from its fields' types."""
    found: list[type] = []
    waiting: list[Any] = [Catalogue]
    while waiting:
        annotation = waiting.pop()
        if attrs.has(annotation) and annotation not in found and annotation is not model.Text:
            found.append(annotation)
            waiting.extend(typing.get_type_hints(annotation, vars(model)).values())
        waiting.extend(typing.get_args(annotation))
    return found


FIELDS = [(cls, field.name) for cls in _model_classes() for field in attrs.fields(cls)]


def test_every_field_of_the_model_has_one_term_and_every_term_a_field() -> None:
    assert set(vocabulary.TERMS) == set(_model_classes())
    for cls, terms in vocabulary.TERMS.items():
        assert [term.field for term in terms] == [field.name for field in attrs.fields(cls)], cls.__name__


@pytest.mark.parametrize(("cls", "field"), FIELDS, ids=[f"{cls.__name__}.{field}" for cls, field in FIELDS])
def test_every_key_is_a_term_of_the_published_context(cls: type, field: str) -> None:
    term = vocabulary.terms(cls)[field]
    for key in (term.key, term.time_key):
        assert key is None or key in ("@id", "@type") or cls is Catalogue or key in CONTEXT, key
    for kind in term.refers_to:
        assert kind in vocabulary.KIND_NAMES


_GENERATE_ONLY = settings(
    phases=[Phase.generate], max_examples=2_000, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def _is_set(value: Any) -> bool:
    return value is not None and value != ()


@functools.cache
def _found() -> dict[tuple[type, str], tuple[object, Catalogue]]:
    """For each field, an entity of a generated catalogue that sets it, and that catalogue:
    catalogues are generated until every field is set in one, or the budget ends."""
    found: dict[tuple[type, str], tuple[object, Catalogue]] = {}
    wanted = set(FIELDS)

    def every_field_seen(catalogue: Catalogue) -> bool:
        for entity in vocabulary.entities(catalogue):
            for term in vocabulary.TERMS[type(entity)]:
                if _is_set(getattr(entity, term.field)):
                    found.setdefault((type(entity), term.field), (entity, catalogue))
        return wanted <= set(found)

    with contextlib.suppress(NoSuchExample):
        find(catalogues(), every_field_seen, settings=_GENERATE_ONLY)
    return found


def _holders() -> dict[tuple[type, str], object]:
    return {place: entity for place, (entity, _catalogue) in _found().items()}


@pytest.mark.parametrize(("cls", "field"), FIELDS, ids=[f"{cls.__name__}.{field}" for cls, field in FIELDS])
def test_the_generated_catalogues_set_every_field_and_the_converter_writes_it_under_its_key(
    cls: type, field: str
) -> None:
    """Else a field left out of the strategies would pass every round trip unseen."""
    holder = _holders().get((cls, field))
    assert holder is not None, f"no generated catalogue sets {cls.__name__}.{field}: add it to tests/strategies.py"
    if cls is not Catalogue:  # a catalogue's collections are the document's @graph
        term = vocabulary.terms(cls)[field]
        node = conversion.converter.unstructure(holder)
        assert {term.key, term.time_key} & set(node), node


def test_what_refers_is_what_the_vocabulary_says_refers() -> None:
    sample = mastery_model.sample()
    ids = set(vocabulary.referred_ids(sample.events))
    event = sample.events[0]
    assert set(event.organisers) <= ids
    assert {c.contributor for s in model.walk_sessions(event.sessions) for c in s.contributions} <= ids
    assert ids <= {entity.id for entity in (*sample.people, *sample.organisations, *sample.campaigns)}


# -- what the formats leave out --------------------------------------------------------------------

LOSSLESS = ("jsonld", "jsonl", "csv")
DOCS = Path(__file__).resolve().parents[1] / "docs" / "exporting.md"


@pytest.mark.parametrize("format", sorted(plugins.installed().exporters))
def test_what_a_format_leaves_out_names_fields_of_the_model(format: str) -> None:
    leaves_out = plugins.installed().exporter(format).leaves_out
    assert len(set(leaves_out)) == len(leaves_out)
    for name in leaves_out:
        vocabulary.field_named(name)  # raises KeyError for a name the model has no field of
    assert (format in LOSSLESS) == (not leaves_out)


def test_the_docs_list_what_each_format_leaves_out_as_it_declares() -> None:
    section = DOCS.read_text().split("## What each format leaves out", 1)[1].split("\n## ", 1)[0]
    listed = {
        match["format"]: re.findall(r"`([A-Za-z]+\.[a-z_]+)`", match["fields"])
        for match in re.finditer(r"^- \*\*`(?P<format>[a-z]+)`\*\*: (?P<fields>.*(?:\n  .*)*)", section, re.M)
    }
    declared = {name: list(plugins.installed().exporter(name).leaves_out) for name in plugins.installed().exporters}
    assert {name: fields for name, fields in listed.items() if fields} == {n: f for n, f in declared.items() if f}
    assert all(f"`{name}`" in section for name in LOSSLESS)


def _loss_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(warning.message) for warning in caught if "leaves out what it has no place for" in str(warning.message)]


@pytest.mark.parametrize("format", ["ical", "schemaorg"])
def test_an_export_that_drops_values_warns_once_with_how_many_of_each(format: str, tmp_path: Path) -> None:
    sample = mastery_model.sample()
    counts = vocabulary.count_set([sample], plugins.installed().exporter(format).leaves_out)
    expected = ", ".join(f"{name} ({count:,})" for name, count in counts.items() if count)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mastery_model.export(sample, format, io.BytesIO())
    assert _loss_warnings(caught) == [
        f"{format} leaves out what it has no place for (how many hold a value): {expected}"
    ]
    assert counts["Session.country"] == sum(1 for s in model.walk_sessions(sample.events[0].sessions) if s.country)

    lines = tmp_path / "events.jsonl"
    mastery_model.dump(sample, lines)
    with warnings.catch_warnings(record=True) as streamed:
        warnings.simplefilter("always")
        mastery_model.export_file(lines, format, io.BytesIO())
    assert _loss_warnings(streamed) == _loss_warnings(caught)  # counted on one pass, people once


@pytest.mark.parametrize("format", LOSSLESS)
def test_a_lossless_export_gives_no_such_warning(format: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mastery_model.export(mastery_model.sample(), format, io.BytesIO())
    assert _loss_warnings(caught) == []


def test_counting_meets_each_entity_once_across_parts() -> None:
    sample = mastery_model.sample()
    seen: set[str] = set()
    twice = [vocabulary.count_set([sample], ["Person.job_title"], seen) for _ in range(2)]
    assert twice == [
        {"Person.job_title": sum(1 for person in sample.people if person.job_title)},
        {"Person.job_title": 0},
    ]


@pytest.mark.parametrize(("format", "into"), [("csv", "a folder"), ("csv", "a stream"), ("jsonld", "a stream")])
def test_every_field_comes_back_from_the_formats_that_carry_a_whole_catalogue(
    format: str, into: str, tmp_path: Path
) -> None:
    """Each generated catalogue that sets a field, written and read back: equal, so that a field
    the model gains is carried by these formats or fails here, with nothing written by hand (JSON
    Lines carries only the people and organisations its events refer to: see test_jsonlines)."""
    setting: dict[int, tuple[Catalogue, list[str]]] = {}
    for (cls, field), (_entity, catalogue) in _found().items():
        setting.setdefault(id(catalogue), (catalogue, []))[1].append(f"{cls.__name__}.{field}")
    assert {name for _catalogue, names in setting.values() for name in names} == {
        f"{cls.__name__}.{field}" for cls, field in FIELDS
    }
    for number, (catalogue, names) in enumerate(setting.values()):
        if into == "a folder":
            target = tmp_path / f"out-{number}"
            mastery_model.export(catalogue, format, target)
            loaded = mastery_model.load(target)
        else:
            stream = io.BytesIO()
            mastery_model.export(catalogue, format, stream)
            loaded = mastery_model.importing.read(stream.getvalue(), format=format)
        assert loaded == catalogue, names
