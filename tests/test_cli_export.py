"""The ``formats`` and ``export`` commands: the main job of the command line."""

from __future__ import annotations

import subprocess
import sys

import orjson
import pytest

import mastery_model
from mastery_model.cli import main

SAMPLE_BYTES = mastery_model.embedded.sample_bytes()


def run(*argv: str, stdin: bytes | None = None, cwd=None) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [sys.executable, "-m", "mastery_model", *argv], input=stdin, capture_output=True, cwd=cwd, check=False
    )
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result


def test_formats_lists_each_format_with_its_plugin_package_and_version(capsys):
    assert main(["formats"]) == 0
    table, options = capsys.readouterr().out.split("\n\n")
    lines = table.splitlines()
    assert lines[0].split() == ["FORMAT", "READS", "WRITES", "TITLE", "PLUGIN", "PACKAGE", "VERSION"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["jsonld"][1:3] == ["yes", "yes"]
    assert rows["schemaorg"][1:3] == ["yes", "yes"]  # written for pages, read from other tools
    assert rows["schemaorg"][-2:] == ["mastery-model", mastery_model.__version__]
    # each format's options, for reading and for writing, as the command line gives them
    assert options.splitlines()[0].startswith("options (--input-option KEY=VALUE when reading")
    listed = {line.split()[0]: " ".join(line.split()[1:]) for line in options.splitlines()[1:]}
    assert listed["csv"].startswith("reads: language, encoding")
    assert listed["schemaorg"] == "reads: language, time-zone writes: language, html"


def test_export_all_writes_every_format_into_a_folder_and_says_what_it_did(tmp_path):
    result = run("export", "--to", "all", "-o", str(tmp_path / "out"))
    assert result.returncode == 0
    said = result.stdout.decode().splitlines()
    written = sorted(path.name for path in (tmp_path / "out").iterdir() if path.name != ".mastery-model.json")
    assert written == ["csv", "ical.ics", "jsonl.jsonl", "jsonld.jsonld", "schemaorg.schema.jsonld"]
    assert (tmp_path / "out" / ".mastery-model.json").is_file()  # the list of what the library wrote there
    assert (tmp_path / "out" / "csv" / "csv-metadata.json").is_file()  # a folder format: a folder
    assert [line for line in said if line.startswith("wrote")] == [
        f"wrote {tmp_path / 'out' / name}" for name in written
    ]
    assert any("warning: " in line and "no location" in line for line in said)
    assert (tmp_path / "out" / "jsonld.jsonld").read_bytes() == SAMPLE_BYTES


def test_export_one_format_to_standard_output_and_to_a_file(tmp_path):
    assert run("export", "--to", "jsonld").stdout == SAMPLE_BYTES
    source = tmp_path / "event.jsonld"
    source.write_bytes(SAMPLE_BYTES)
    result = run("export", str(source), "--to", "jsonl", "-o", str(tmp_path / "event.jsonl"))
    assert result.returncode == 0
    assert mastery_model.load(tmp_path / "event.jsonl").events == mastery_model.sample().events
    assert source.read_bytes() == SAMPLE_BYTES  # the input is untouched


def test_the_output_is_never_the_input(tmp_path):
    source = tmp_path / "event.jsonld"
    source.write_bytes(SAMPLE_BYTES)
    result = run("export", str(source), "--to", "schemaorg", "-o", str(source))
    assert result.returncode == 2
    assert b"would overwrite the input" in result.stderr
    assert source.read_bytes() == SAMPLE_BYTES
    lines = tmp_path / "event.jsonl"
    lines.write_bytes(mastery_model.dumps(mastery_model.sample(), lines=True))
    before = lines.read_bytes()
    result = run("export", str(lines), "--to", "ical", "-o", str(lines))  # streamed, a part at a time
    assert result.returncode == 2
    assert b"would overwrite the input" in result.stderr
    assert lines.read_bytes() == before


def test_selection_flags_narrow_the_export():
    result = run("export", "--to", "jsonld", "--country", "BG")
    catalogue = mastery_model.loads(result.stdout)
    names = [str(s.name) for s in catalogue.events[0].sessions[0].sessions]
    assert names == ["Bulgaria"]
    assert catalogue.people == ()


@pytest.mark.parametrize(
    ("argv", "code", "words"),
    [
        (["export", "--to", "nope"], 2, b"no plugin provides the exporter 'nope'"),
        (["export", "--to", "jsonld", "--country", "XX"], 2, b"no country has the code 'XX'"),
        (["export", "--to", "jsonld", "--country", "DE"], 1, b"no session matches"),
        (["export", "--to", "schemaorg", "--option", "html"], 2, b"KEY=VALUE"),
        (["export", "--to", "schemaorg", "--option", "colour=red"], 2, b"no option 'colour'"),
        (["export", "--to", "ical", "--option", "refresh=12h"], 2, b"PT12H"),
        (["export", "--to", "all"], 2, b"-o"),
        (["export"], 2, b"--to"),
        (["export", "missing.jsonld", "--to", "jsonld"], 1, b"cannot read the file"),
    ],
)
def test_export_errors_have_clear_messages_and_exit_codes(argv, code, words, tmp_path):
    result = run(*argv, cwd=tmp_path)
    assert result.returncode == code
    assert words in result.stderr


def test_input_from_standard_input_in_any_recognised_format():
    second = {
        "@context": mastery_model.schemas.CONTEXT_IRI,
        "@graph": [{"@type": "EducationEvent", "name": {"en": "2"}}],
    }
    lines = mastery_model.dumps(mastery_model.sample(), lines=True) + orjson.dumps(second) + b"\n"
    result = run("export", "-", "--to", "jsonld", stdin=lines)
    assert result.returncode == 0
    assert orjson.loads(result.stdout)["@graph"][0]["name"]["en"].startswith("Greening")
    assert run("validate", "-", "--from", "jsonl", stdin=lines).returncode == 0
    assert run("validate", "-", "--from", "jsonld", stdin=lines).returncode == 1


def test_the_html_option_gives_a_script_element():
    result = run("export", "--to", "schemaorg", "--option", "html=yes")
    assert result.stdout.startswith(b'<script type="application/ld+json">')


def test_export_all_reports_its_progress_to_a_caller(tmp_path):
    from mastery_model.exporting import export_all

    seen = []
    export_all(mastery_model.sample(), tmp_path, on_progress=lambda done, total, name: seen.append((done, total, name)))
    names = ["csv", "ical", "jsonl", "jsonld", "schemaorg"]
    assert seen == [(done, len(names), name) for done, name in enumerate(names)]
