"""What a first call imports: a command-line call pays for every module it loads, so importing the
package loads none of its dependencies; loading a valid document loads none of the modules kept
for other work (python-jsonschema and its grammar for invalid documents only, pyld for other
tools' JSON-LD, icalendar and lxml for their formats, langcodes for unusual language tags); and
finding the formats (which loads every plugin) loads no format's reading or writing, which load on
a format's first use. A guard on the import graph, not on a timing: each case runs in a fresh
interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import entry_points

import pytest

from mastery_model.plugins import ENVIRONMENT_VARIABLE

#: Modules only some work needs, and what needs them.
HEAVY = {
    "jsonschema": "the precise report of an invalid document",
    "referencing": "the precise report of an invalid document",
    "lark": "python-jsonschema's IRI formats",
    "rfc3987_syntax": "python-jsonschema's IRI formats",
    "pyld": "reading other tools' JSON-LD",
    "icalendar": "reading calendars",
    "lxml": "schedule XML",
    "langcodes": "language tags other than a two-letter language and a region",
    "inscriptis": "HTML in imported texts",
    "recurring_ical_events": "recurring events of calendars read",
}

#: Modules of formats that a call not using them has no need of.
FORMAT_MODULES = (
    "mastery_model.builtin.csv.tables",
    "mastery_model.builtin.csv.reading",
    "mastery_model.builtin.csv.writing",
    "mastery_model.builtin.ical.reading",
    "mastery_model.builtin.ical.writing",
    "mastery_model.builtin.schemaorg.reading",
    "mastery_model.builtin.schemaorg.writing",
    "mastery_model.builtin.jsonld.writing",
    "mastery_model_frab.reading",
    "mastery_model_frab.writing",
)

FRAB_INSTALLED = any(entry_point.name == "frab" for entry_point in entry_points(group="mastery_model"))

_PROBE = """
import json, sys
{code}
print(json.dumps(sorted(sys.modules)))
"""


def _loaded_modules(code: str, *, every_plugin: bool = False) -> set[str]:
    """Every module loaded by running ``code`` in a fresh interpreter, by its full name; with
    ``every_plugin``, the installed plugins load too (the tests' environment limits them to the
    built-in ones)."""
    environment = {key: value for key, value in os.environ.items() if not every_plugin or key != ENVIRONMENT_VARIABLE}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(code=code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=environment,
    )
    return set(json.loads(result.stdout.splitlines()[-1]))  # after what the code printed


def _loaded(code: str, *, every_plugin: bool = False) -> set[str]:
    """The top-level packages loaded by running ``code`` in a fresh interpreter."""
    return {name.partition(".")[0] for name in _loaded_modules(code, every_plugin=every_plugin)}


def test_importing_the_package_loads_none_of_its_dependencies() -> None:
    loaded = _loaded("import mastery_model")
    third_party = loaded - set(sys.stdlib_module_names) - {"mastery_model", "_distutils_hack", "__main__"}
    assert third_party == set()


@pytest.mark.parametrize(
    "code",
    [
        "mastery_model.loads(mastery_model.sample_bytes())",
        "mastery_model.sample()",
        "mastery_model.dumps(mastery_model.sample())",
    ],
)
def test_a_valid_document_loads_no_module_kept_for_other_work(code: str) -> None:
    loaded = _loaded(f"import mastery_model\n{code}")
    assert {name: HEAVY[name] for name in loaded & set(HEAVY)} == {}


@pytest.mark.parametrize(
    "code",
    [
        "mastery_model.validate(mastery_model.sample_bytes())",
        "mastery_model.installed()",
        "mastery_model.formats()",
    ],
)
def test_finding_the_formats_and_validating_a_document_load_no_module_kept_for_other_work(code: str) -> None:
    """Every plugin is loaded to find the formats, and the input is shown to each to recognise it:
    none of that imports what reading or writing a format needs."""
    loaded = _loaded(f"import mastery_model\n{code}", every_plugin=True)
    assert {name: HEAVY[name] for name in loaded & set(HEAVY)} == {}
    assert ("mastery_model_frab" in loaded) == FRAB_INSTALLED  # every plugin was loaded


def test_validating_a_document_loads_no_module_of_the_formats_it_is_not_in() -> None:
    code = "import mastery_model\nassert mastery_model.validate(mastery_model.sample_bytes()).ok"
    loaded = _loaded_modules(code, every_plugin=True)
    assert "mastery_model.builtin.jsonld.document" in loaded  # the format it is in
    assert sorted(loaded & set(FORMAT_MODULES)) == []


def test_listing_the_formats_loads_no_module_that_reads_or_writes_one() -> None:
    loaded = _loaded_modules("import mastery_model\nmastery_model.formats()", every_plugin=True)
    assert "mastery_model.builtin.csv" in loaded  # the formats were found
    assert sorted(loaded & {*FORMAT_MODULES, "mastery_model.builtin.jsonld.document"}) == []


def test_the_version_loads_no_dependency_no_plugin_and_no_validation() -> None:
    code = (
        "from mastery_model import cli\n"
        "try:\n"
        "    cli.main(['--version'])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0\n"
    )
    loaded = _loaded_modules(code, every_plugin=True)
    third_party = {name.partition(".")[0] for name in loaded} - set(sys.stdlib_module_names)
    assert third_party - {"mastery_model", "_distutils_hack", "__main__"} == set()
    assert sorted(loaded & {"mastery_model.plugins", "mastery_model.schemas", "mastery_model.validation"}) == []


def test_an_invalid_document_loads_the_precise_validator_and_its_report_is_precise() -> None:
    """The other side of the guard: the modules left out are the ones the precise report needs."""
    code = (
        "import mastery_model\n"
        'report = mastery_model.validate(b\'{"@context": "https://w3id.org/mastery-model/v1/context.jsonld"}\')\n'
        "assert not report.ok and 'the property' in str(list(report)[0]), list(report)"
    )
    assert "jsonschema" in _loaded(code)
