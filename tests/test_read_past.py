"""What the core readers do with what the model has no place for: the canonical JSON-LD and JSON
Lines readers and the csv reader refuse it as a problem, naming each, so that none reads past
anything without a word (and none has a warning of what it left out to give)."""

from __future__ import annotations

import warnings
import zipfile

import orjson

import mastery_model
from mastery_model import ReadWarning

SAMPLE = mastery_model.sample()


def _validated(path) -> mastery_model.Report:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = mastery_model.validate(path)
    assert not [warning for warning in caught if issubclass(warning.category, ReadWarning)]
    return report


def test_json_ld_keys_the_model_has_no_place_for_are_problems_each_named(tmp_path):
    document = orjson.loads(mastery_model.embedded.sample_bytes())
    document["@graph"][0]["venue"] = "Aula"
    document["@graph"][0]["subEvent"][0]["room"] = "B"
    document["@graph"][0]["subEvent"][1]["room"] = "C"
    path = tmp_path / "event.jsonld"
    path.write_bytes(orjson.dumps(document))
    report = _validated(path)
    unknown = sorted(problem.message.split(";")[0] for problem in report)
    assert unknown == ["unknown property 'room'", "unknown property 'room'", "unknown property 'venue'"]
    lines = tmp_path / "events.jsonl"
    lines.write_bytes(orjson.dumps(document) + b"\n")
    assert len(_validated(lines)) == 3


def test_a_column_or_table_the_model_has_no_place_for_is_a_problem_each(tmp_path):
    folder = tmp_path / "tables"
    mastery_model.export(SAMPLE, "csv", folder)
    people = (folder / "people.csv").read_bytes().split(b"\r\n")
    people = [line + (b",room,floor" if index == 0 else b",x,1") if line else line for index, line in enumerate(people)]
    (folder / "people.csv").write_bytes(b"\r\n".join(people))
    report = _validated(folder)
    assert sorted((problem.source, problem.column) for problem in report) == [
        (f"{folder}/people.csv", "floor"),
        (f"{folder}/people.csv", "room"),
    ]


def test_a_table_named_in_another_case_is_a_problem_not_a_table_left_unread(tmp_path):
    folder = tmp_path / "tables"
    mastery_model.export(SAMPLE, "csv", folder)
    (folder / "keywords.csv").rename(folder / "Keywords.CSV")  # no other table names its rows
    (report,) = [_validated(folder)]
    (problem,) = report.problems
    assert problem.source == f"{folder}/Keywords.CSV"
    assert problem.message.endswith("; did you mean keywords.csv? (names are lower case)")
    archive = tmp_path / "tables.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(folder.iterdir()):
            if not path.name.startswith("."):
                zipped.write(path, f"tables/{path.name}")
    assert [problem.source for problem in _validated(archive)] == [f"{archive}/Keywords.CSV"]
