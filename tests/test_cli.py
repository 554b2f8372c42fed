"""The ``mastery-model`` command, run in-process through ``cli.main`` and as a real process.

Exit codes: 0 valid/done, 1 the input cannot give what was asked, 2 a usage error. A report always
names the file and the JSON pointer; no input ever produces a traceback.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import mastery_model
from mastery_model import embedded
from mastery_model.cli import main

TITLE = "Greening the Future: Micro-Credentials Empowering Sustainable Skills"
COUNTRIES = ("Spain", "Finland", "Italy", "Bulgaria")
SPEAKERS = ("Giulia Alessandri", "Isabel Ladrón Arroyo", "Silvia Toneva", "Stefano Tirati", "Oonagh McGirr")
PROBLEM_KEYS = {"pointer", "message", "value", "source", "line", "row", "column"}


# -- helpers ------------------------------------------------------------------------------------


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The command as a real process; it must never print a traceback."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "mastery_model", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    return result


def reported(text: str, source: str | Path, pointer: str, message: str) -> bool:
    """Whether a line of ``text`` reports ``message`` in ``source`` at ``pointer`` (any layout)."""
    for line in text.splitlines():
        if str(source) in line and message in line and (not pointer or f"{pointer}: " in line):
            return line.index(str(source)) < line.index(message)
    return False


def sample_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(embedded.sample_bytes())
    return document


def write_json(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def valid_file(tmp_path: Path) -> Path:
    path = tmp_path / "valid.jsonld"
    path.write_bytes(mastery_model.dumps(mastery_model.sample()))
    return path


@pytest.fixture
def unknown_property_file(tmp_path: Path) -> Path:
    document = sample_document()
    document["@graph"][0]["colour"] = "green"
    return write_json(tmp_path / "unknown.jsonld", document)


DANGLING = "urn:uuid:00000000-0000-5000-8000-000000000000"


@pytest.fixture
def dangling_file(tmp_path: Path) -> Path:
    document = sample_document()
    assert document["@graph"][0]["@type"] == "EducationEvent"
    document["@graph"][0]["organizer"] = [DANGLING]
    return write_json(tmp_path / "dangling.jsonld", document)


# -- validate -----------------------------------------------------------------------------------


def test_validate_without_a_file_checks_the_embedded_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert out == "<sample>: valid\n"
    assert err == ""


def test_validate_a_valid_file(valid_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(valid_file)]) == 0
    assert capsys.readouterr().out == f"{valid_file}: valid\n"


def test_validate_several_files_reports_each_and_fails_if_any_is_invalid(
    valid_file: Path, unknown_property_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(valid_file), str(unknown_property_file)]) == 1
    out = capsys.readouterr().out
    assert f"{valid_file}: valid\n" in out
    assert f"{unknown_property_file}: 1 problem\n" in out
    assert reported(out, unknown_property_file, "/@graph/0", "unknown property 'colour'")
    # in the order given
    assert out.index(str(valid_file)) < out.index(str(unknown_property_file))


def test_validate_several_valid_files_exits_0(valid_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(valid_file), str(valid_file)]) == 0
    assert capsys.readouterr().out == f"{valid_file}: valid\n" * 2


def test_validate_json_format(valid_file: Path, dangling_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", str(valid_file), str(dangling_file)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"documents"}
    first, second = report["documents"]
    assert first == {"source": str(valid_file), "valid": True, "problems": []}
    assert second["source"] == str(dangling_file)
    assert second["valid"] is False
    assert len(second["problems"]) == 1
    (problem,) = second["problems"]
    assert set(problem) == PROBLEM_KEYS
    assert problem["pointer"] == "/@graph/0/organizer/0"
    assert problem["value"] == DANGLING
    assert problem["source"] == str(dangling_file)
    assert problem["line"] is None
    assert "has this id" in problem["message"]


def test_validate_json_format_prints_the_json_report_of_the_api(
    valid_file: Path, dangling_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--format", "json", str(valid_file), str(dangling_file)]) == 1
    reports = [(str(path), mastery_model.validate(path)) for path in (valid_file, dangling_file)]
    assert capsys.readouterr().out.encode("utf-8") == mastery_model.json_report(reports)
    assert json.loads(mastery_model.json_report(reports)) == {
        "documents": [report.as_dict(source) for source, report in reports]
    }
    assert mastery_model.json_report([]) == b'{\n  "documents": []\n}\n'


def test_validate_json_format_of_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"documents": [{"source": "<sample>", "valid": True, "problems": []}]}


def test_validate_json_format_of_a_syntax_error_gives_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "@context": \n', encoding="utf-8")
    assert main(["validate", "--format", "json", str(path)]) == 1
    (document,) = json.loads(capsys.readouterr().out)["documents"]
    (problem,) = document["problems"]
    assert set(problem) == PROBLEM_KEYS
    assert problem["pointer"] == ""
    assert problem["source"] == str(path)
    assert isinstance(problem["line"], int)
    assert problem["message"].startswith("not valid JSON")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("malformed.json", b'{"@context": ', "not valid JSON", id="malformed-json"),
        pytest.param("trailing.jsonld", b'{"@graph": []} x', "not valid JSON", id="trailing-garbage"),
        pytest.param("empty.jsonld", b"", "the document is empty", id="empty"),
        pytest.param("blank.jsonld", b"  \n\t\n", "the document is empty", id="blank"),
        pytest.param("latin1.jsonld", '{"name": "caf\xe9"}'.encode("latin-1"), "not UTF-8", id="non-utf8"),
        pytest.param("array.jsonld", b"[]", "", id="not-an-object"),
    ],
)
def test_validate_unreadable_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{path}: ")
    assert "valid\n" not in out.splitlines()[0]
    assert message in out
    # each problem line names the file and a JSON pointer
    problem_lines = [line.strip() for line in out.splitlines()[1:]]
    assert problem_lines
    for line in problem_lines:
        assert line.startswith(str(path))
    assert err == ""


def test_validate_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nowhere.jsonld"
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{path}: 1 problem"
    assert len(out.splitlines()) == 2
    assert reported(out, path, "", "cannot read the file: No such file or directory")


def test_validate_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{tmp_path}: 1 problem\n")
    assert "no installed importer reads the folder" in out  # folders are read by importers that know them


def test_validate_reports_an_unknown_property_with_its_pointer(
    unknown_property_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(unknown_property_file)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{unknown_property_file}: 1 problem"
    assert reported(out.splitlines()[1], unknown_property_file, "/@graph/0", "unknown property 'colour'")


def test_validate_reports_a_dangling_reference_with_its_pointer(
    dangling_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(dangling_file)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{dangling_file}: 1 problem"
    assert reported(lines[1], dangling_file, "/@graph/0/organizer/0", "in the document has this id")
    assert lines[1].endswith(f"(found '{DANGLING}')")


def test_validate_reports_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = sample_document()
    document["@graph"][0]["colour"] = "green"
    document["@graph"][1]["flavour"] = "mint"
    path = write_json(tmp_path / "two.jsonld", document)
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{path}: 2 problems"
    assert reported(lines[1], path, "/@graph/0", "unknown property 'colour'")
    assert reported(lines[2], path, "/@graph/1", "unknown property 'flavour'")


def test_validate_a_json_lines_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.jsonl"
    mastery_model.dump(mastery_model.sample(), path)
    assert len(path.read_bytes().splitlines()) == len(mastery_model.sample().events) == 1
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: valid\n"


def test_validate_a_json_lines_file_names_the_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.jsonl"
    mastery_model.dump(mastery_model.sample(), path)
    with path.open("ab") as stream:
        stream.write(b'{"@context": \n')
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{path}: 1 problem"
    assert reported(out, path, "", "not valid JSON")
    assert main(["validate", "--format", "json", str(path)]) == 1
    (document,) = json.loads(capsys.readouterr().out)["documents"]
    (problem,) = document["problems"]
    assert (problem["source"], problem["line"], problem["pointer"]) == (str(path), 2, "")


def test_validating_never_modifies_the_file(
    valid_file: Path, unknown_property_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jsonl = tmp_path / "events.jsonl"
    mastery_model.dump(mastery_model.sample(), jsonl)
    files = [valid_file, unknown_property_file, jsonl]
    past = 1_000_000_000 * 1_000_000_000  # 2001-09-09, so any write would show
    for path in files:
        os.utime(path, ns=(past, past))
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}
    listing = sorted(tmp_path.iterdir())
    assert main(["validate", *map(str, files)]) == 1
    assert main(["validate", "--format", "json", *map(str, files)]) == 1
    capsys.readouterr()
    after = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}
    assert after == before
    assert all(mtime == past for _data, mtime in after.values())
    assert sorted(tmp_path.iterdir()) == listing  # nothing written beside them either


# -- usage errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([], id="no-command"),
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param(["validate", "--frobnicate"], id="unknown-option"),
        pytest.param(["validate", "--format", "xml"], id="bad-choice"),
        pytest.param(["show", "a.jsonld", "b.jsonld"], id="too-many-files"),
        pytest.param(["sample", "-o"], id="option-without-value"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("usage: mastery-model")


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param([], id="no-command"),
        pytest.param(["frobnicate"], id="unknown-command"),
        pytest.param(["validate", "--frobnicate"], id="unknown-option"),
    ],
)
def test_usage_errors_exit_2_as_a_process(argv: list[str], tmp_path: Path) -> None:
    result = run(*argv, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    assert b"usage: mastery-model" in result.stderr
    assert b"error:" in result.stderr


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--help"])
    assert raised.value.code == 0
    out = capsys.readouterr().out
    for command in ("validate", "show", "sample"):
        assert command in out


# -- as a real process --------------------------------------------------------------------------


def test_process_validate_the_sample(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == b"<sample>: valid\n"
    assert result.stderr == b""


def test_process_validate_valid_and_invalid_files(tmp_path: Path, valid_file: Path, dangling_file: Path) -> None:
    result = run("validate", valid_file.name, dangling_file.name, cwd=tmp_path)
    assert result.returncode == 1
    out = result.stdout.decode("utf-8")
    assert "valid.jsonld: valid" in out
    assert "dangling.jsonld: 1 problem" in out
    assert reported(out, "dangling.jsonld", "/@graph/0/organizer/0", "has this id")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"{", b"not valid JSON", id="malformed"),
        pytest.param(b"", b"the document is empty", id="empty"),
        pytest.param(b"\xff\xfe{}", b"not UTF-8", id="non-utf8"),
    ],
)
def test_process_unreadable_documents_exit_1(tmp_path: Path, content: bytes, message: bytes) -> None:
    (tmp_path / "bad.jsonld").write_bytes(content)
    result = run("validate", "bad.jsonld", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(b"bad.jsonld: 1 problem\n")
    assert message in result.stdout


def test_process_missing_file_exits_1(tmp_path: Path) -> None:
    result = run("validate", "nowhere.jsonld", cwd=tmp_path)
    assert result.returncode == 1
    assert reported(result.stdout.decode("utf-8"), "nowhere.jsonld", "", "cannot read the file")


def test_process_validate_json_format(tmp_path: Path, unknown_property_file: Path) -> None:
    result = run("validate", "--format", "json", unknown_property_file.name, cwd=tmp_path)
    assert result.returncode == 1
    (document,) = json.loads(result.stdout)["documents"]
    assert document["valid"] is False
    assert [problem["pointer"] for problem in document["problems"]] == ["/@graph/0"]


def test_process_validate_standard_input(tmp_path: Path) -> None:
    result = run("validate", "-", cwd=tmp_path, stdin=embedded.sample_bytes())
    assert result.returncode == 0
    assert result.stdout == b"<stdin>: valid\n"


def test_process_validate_invalid_standard_input(tmp_path: Path) -> None:
    result = run("validate", "-", cwd=tmp_path, stdin=b'{"@graph": ')
    assert result.returncode == 1
    assert result.stdout.startswith(b"<stdin>: 1 problem\n")
    assert b"not valid JSON" in result.stdout


def test_process_validate_empty_standard_input(tmp_path: Path) -> None:
    result = run("validate", "-", cwd=tmp_path, stdin=b"")
    assert result.returncode == 1
    assert b"the document is empty" in result.stdout


@pytest.mark.parametrize("command", [["validate"], ["show"], ["export", "--to", "ical"]])
@pytest.mark.parametrize("when", ["at start", "once started"])
def test_a_closed_standard_input_is_a_problem_not_a_traceback(tmp_path: Path, command: list[str], when: str) -> None:
    """Closed before Python starts (``sys.stdin`` is None), or after (reading fails)."""
    closing = "os.close(0); " if when == "once started" else ""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import os, runpy, sys; {closing}sys.argv[1:] = {[*command, '-']!r}; "
            "runpy.run_module('mastery_model', run_name='__main__')",
        ],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
        preexec_fn=(lambda: os.close(0)) if when == "at start" else None,
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1
    assert b"<stdin>: cannot read the input: " in result.stdout + result.stderr


def test_standard_input_is_read_within_the_size_a_document_may_have(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mastery_model.reading, "MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(mastery_model.InvalidDocument, match="the input holds more than the 10 bytes"):
        mastery_model.importing.read_file(io.BytesIO(b"x" * 11), "<stdin>")
    assert mastery_model.importing.read_file(io.BytesIO(b"x" * 10), "<stdin>") == b"x" * 10


def test_process_show_standard_input(tmp_path: Path) -> None:
    result = run("show", "-", cwd=tmp_path, stdin=embedded.sample_bytes())
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").splitlines()[0] == TITLE


# -- show ---------------------------------------------------------------------------------------


def test_show_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == TITLE
    for country in COUNTRIES:
        assert f"{country} (" in out, country
    assert "Europe-wide" in out
    for speaker in SPEAKERS:
        assert speaker in out, speaker
    assert "organised by MASTERY" in out
    assert lines[-1] == "1 event, 10 sessions, 5 people, 8 organisations"


def test_show_as_a_process(tmp_path: Path) -> None:
    result = run("show", cwd=tmp_path)
    assert result.returncode == 0
    out = result.stdout.decode("utf-8")
    assert out.startswith(TITLE + "\n")
    assert "Giulia Alessandri" in out
    assert "Europe-wide" in out


def test_show_a_file_gives_the_same_outline_as_the_sample(
    valid_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show"]) == 0
    expected = capsys.readouterr().out
    assert main(["show", str(valid_file)]) == 0
    assert capsys.readouterr().out == expected
    jsonl = tmp_path / "events.jsonl"
    mastery_model.dump(mastery_model.sample(), jsonl)
    assert main(["show", str(jsonl)]) == 0
    assert capsys.readouterr().out == expected


def test_show_an_invalid_file_exits_1(unknown_property_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(unknown_property_file)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("mastery-model: 1 problem in the document:\n")
    assert reported(err, unknown_property_file, "/@graph/0", "unknown property 'colour'")


def test_show_an_invalid_file_as_a_process(tmp_path: Path, dangling_file: Path) -> None:
    result = run("show", dangling_file.name, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == b""
    assert reported(result.stderr.decode("utf-8"), "dangling.jsonld", "/@graph/0/organizer/0", "has this id")


def test_show_a_missing_file_as_a_process(tmp_path: Path) -> None:
    result = run("show", "nowhere.jsonld", cwd=tmp_path)
    assert result.returncode == 1
    assert reported(result.stderr.decode("utf-8"), "nowhere.jsonld", "", "cannot read the file")


def test_show_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = sample_document()
    document["@graph"][0]["name"]["es"] = "Ecologizar el futuro"
    path = write_json(tmp_path / "es.jsonld", document)
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()

    assert main(["show", "--language", "es", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Ecologizar el futuro"
    assert main(["show", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == TITLE
    # a language the data lacks falls back to the default one
    assert main(["show", "--language", "fi", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == TITLE


def test_show_language_on_the_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "--language", "en"]) == 0
    english = capsys.readouterr().out
    assert main(["show"]) == 0
    assert capsys.readouterr().out == english


# -- sample -------------------------------------------------------------------------------------


def test_sample_prints_the_embedded_bytes(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["sample"]) == 0
    out, err = capsysbinary.readouterr()
    assert out == embedded.sample_bytes()
    assert err == b""


def test_sample_as_a_process(tmp_path: Path) -> None:
    result = run("sample", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == embedded.sample_bytes()
    assert mastery_model.loads(result.stdout) == mastery_model.sample()


def test_sample_output_writes_exactly_the_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sample.jsonld"
    assert main(["sample", "-o", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert str(path) in err
    assert path.read_bytes() == embedded.sample_bytes()
    assert sorted(tmp_path.iterdir()) == [path]  # no temporary file left beside it


def test_sample_output_replaces_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sample.jsonld"
    path.write_bytes(b"x" * (len(embedded.sample_bytes()) + 1000))
    assert main(["sample", "--output", str(path)]) == 0
    capsys.readouterr()
    assert path.read_bytes() == embedded.sample_bytes()


def test_sample_output_as_a_process(tmp_path: Path) -> None:
    result = run("sample", "-o", "out.jsonld", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == b""
    assert (tmp_path / "out.jsonld").read_bytes() == embedded.sample_bytes()
    assert run("validate", "out.jsonld", cwd=tmp_path).returncode == 0


def _sample_into(tmp_path: Path, target: str) -> subprocess.CompletedProcess[bytes]:
    if target == "directory":
        (tmp_path / "directory").mkdir()
    return subprocess.run(
        [sys.executable, "-m", "mastery_model", "sample", "-o", target],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )


UNWRITABLE = [
    pytest.param("missing/sample.jsonld", id="missing-directory"),
    pytest.param("directory", id="onto-a-directory"),
]


@pytest.mark.parametrize("target", UNWRITABLE)
def test_sample_output_that_cannot_be_written_fails_and_leaves_nothing(tmp_path: Path, target: str) -> None:
    result = _sample_into(tmp_path, target)
    assert result.returncode != 0
    assert result.stdout == b""
    assert not (tmp_path / "missing").exists()
    # no partial or temporary file anywhere
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")) == (
        ["directory"] if target == "directory" else []
    )


@pytest.mark.parametrize("target", UNWRITABLE)
def test_sample_output_that_cannot_be_written_reports_without_a_traceback(tmp_path: Path, target: str) -> None:
    result = _sample_into(tmp_path, target)
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert result.stderr.startswith(b"mastery-model: ")
