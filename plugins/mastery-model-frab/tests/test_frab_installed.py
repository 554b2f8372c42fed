"""The plugin is installed, and found through its entry point by the library and its command line."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points, version

from frab_support import schema_errors
from lxml import etree

import mastery_model
from mastery_model.plugins import ENVIRONMENT_VARIABLE


def every_plugin() -> dict[str, str]:
    """The environment with no limit on the plugins (an empty MASTERY_MODEL_PLUGINS loads none)."""
    environment = dict(os.environ)
    environment.pop(ENVIRONMENT_VARIABLE, None)
    return environment


def run(*arguments: str, cwd=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mastery_model", *arguments],
        capture_output=True,
        text=True,
        env=every_plugin(),
        cwd=cwd,
        timeout=120,
    )


def test_the_entry_point_names_the_package():
    (found,) = [point for point in entry_points(group="mastery_model") if point.name == "frab"]
    assert found.value == "mastery_model_frab"
    assert found.dist is not None
    assert found.dist.name == "mastery-model-frab"


def test_the_formats_command_lists_frab_reading_and_writing():
    listed = run("formats")
    assert listed.returncode == 0, listed.stderr
    (row,) = [line for line in listed.stdout.splitlines() if line.startswith("frab ")]
    cells = row.split()
    assert cells[:3] == ["frab", "yes", "yes"]
    assert cells[-3:] == ["frab", "mastery-model-frab", version("mastery-model-frab")]
    assert "error" not in listed.stdout


def test_the_library_lists_it_in_process():
    (info,) = [info for info in mastery_model.formats() if info.name == "frab"]
    assert (info.reads, info.writes, info.package) == (True, True, "mastery-model-frab")


def test_the_command_line_exports_a_schedule_that_it_then_validates(tmp_path, shared_fixture, schedule_schema):
    source = shared_fixture("frab/fosdem-2025.xml")
    written = run("export", str(source), "--to", "frab", "-o", "out.xml", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    checked = run("validate", "out.xml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == "out.xml: valid"
    output = tmp_path / "out.xml"
    assert schema_errors(schedule_schema, output.read_bytes()) == []
    assert mastery_model.load(output) == mastery_model.load(source, format="frab")  # recognised as frab


def test_a_written_schedules_generator_is_the_plugin_with_its_own_version(shared_fixture):
    source = shared_fixture("frab/fosdem-2025.xml")
    code = (
        "import io, sys, mastery_model\n"
        "mastery_model.__version__ = '0.0.0+library'  # the library's, which the plugin's is not\n"
        "stream = io.BytesIO()\n"
        f"mastery_model.export(mastery_model.load({str(source)!r}, format='frab'), 'frab', stream)\n"
        "sys.stdout.buffer.write(stream.getvalue())\n"
    )
    written = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=every_plugin(), timeout=120, check=False
    )
    assert written.returncode == 0, written.stderr
    (generator,) = etree.fromstring(written.stdout).iter("generator")
    assert dict(generator.attrib) == {"name": "mastery-model-frab", "version": version("mastery-model-frab")}


def test_what_the_writer_leaves_out_is_declared_fields_and_listed_in_the_readme():
    from pathlib import Path

    from mastery_model_frab import LEAVES_OUT

    from mastery_model import vocabulary

    assert mastery_model.plugins.installed().exporter("frab").leaves_out == LEAVES_OUT
    for name in LEAVES_OUT:
        vocabulary.field_named(name)  # a KeyError for a name the model has no field of
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("What schedule XML has no place for", 1)[1].split("\n\n", 1)[0]
    assert [name for name in LEAVES_OUT if f"`{name}`" in section] == list(LEAVES_OUT)
