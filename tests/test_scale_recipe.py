"""The recipe of docs/scale.md runs as written: a catalogue partitioned as JSON Lines, validated and
exported partition by partition with Dask's local scheduler, through the public API only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from support import ROOT

import mastery_model

DOC = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
OWN_IDS = ("EducationEvent", "PresentationDigitalDocument", "Recommendation")


def recipe() -> dict[str, Any]:
    (code,) = re.findall(r"```python\n(.*?)```", DOC, flags=re.DOTALL)
    namespace: dict[str, Any] = {"__name__": "recipe"}
    exec(compile(code, "docs/scale.md", "exec"), namespace)
    return namespace


def _without_own_ids(node: Any) -> Any:
    """The node with the ids of events and what they hold left out: they are minted anew."""
    if isinstance(node, list):
        return [_without_own_ids(item) for item in node]
    if not isinstance(node, dict):
        return node
    kept = {key: _without_own_ids(value) for key, value in node.items()}
    if kept.get("@type") in OWN_IDS:
        kept.pop("@id", None)
    return kept


def webinars(count: int) -> mastery_model.Catalogue:
    """``count`` copies of the sample webinar under other names, each with ids of its own."""
    document = orjson.loads(mastery_model.dumps(mastery_model.sample()))
    event, *shared = document["@graph"]
    events = []
    for number in range(count):
        copy = _without_own_ids(event)
        copy["name"] = {"en": f"Webinar {number}"}
        events.append(copy)
    return mastery_model.loads(orjson.dumps({**document, "@graph": events + shared}))


def partitions(folder: Path, catalogue: mastery_model.Catalogue, size: int) -> list[mastery_model.Catalogue]:
    folder.mkdir()
    parts = []
    for number, start in enumerate(range(0, len(catalogue.events), size)):
        part = mastery_model.Catalogue(
            catalogue.events[start : start + size], catalogue.people, catalogue.organisations, catalogue.campaigns
        )
        mastery_model.dump(part, folder / f"part-{number}.jsonl")
        parts.append(part)
    return parts


def test_the_recipe_validates_and_exports_every_partition_with_dasks_local_scheduler(tmp_path):
    catalogue = webinars(6)
    parts = partitions(tmp_path / "events", catalogue, size=2)
    written = recipe()["validate_and_export"](
        str(tmp_path / "events"), str(tmp_path / "out"), "jsonld", ".jsonld", "processes"
    )
    assert [Path(path).name for path in written] == ["part-0.jsonld", "part-1.jsonld", "part-2.jsonld"]
    for path, part in zip(written, parts, strict=True):
        read = mastery_model.load(path)
        assert [str(event.name) for event in read.events] == [str(event.name) for event in part.events]
        assert read.events == part.events


def test_the_recipe_writes_calendars_and_table_folders_too(tmp_path):
    partitions(tmp_path / "events", webinars(4), size=2)
    run = recipe()["validate_and_export"]
    calendars = run(str(tmp_path / "events"), str(tmp_path / "ical"), "ical", ".ics", "processes")
    assert all(Path(path).read_bytes().startswith(b"BEGIN:VCALENDAR\r\n") for path in calendars)
    tables = run(str(tmp_path / "events"), str(tmp_path / "csv"), "csv", "", "threads")
    assert all((Path(path) / "csv-metadata.json").is_file() for path in tables)
    assert sum(len(mastery_model.load(path).events) for path in tables) == 4


def test_the_recipe_reports_every_problem_of_every_partition_before_writing_anything(tmp_path):
    partitions(tmp_path / "events", webinars(4), size=2)
    broken = tmp_path / "events" / "part-1.jsonl"
    broken.write_bytes(broken.read_bytes().replace(b'"startDate":"2024-10-15"', b'"startDate":"2024-13-15"'))
    with pytest.raises(ValueError, match=r"part-1\.jsonl, line 1, at /@graph/0/startDate") as raised:
        recipe()["validate_and_export"](
            str(tmp_path / "events"), str(tmp_path / "out"), "jsonld", ".jsonld", "processes"
        )
    assert "part-0" not in str(raised.value)
    assert not (tmp_path / "out").exists()
