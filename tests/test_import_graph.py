"""What a first call imports: a command-line call pays for every module it loads, so importing the
package loads none of its dependencies, and loading a valid document loads none of the modules
kept for other work (python-jsonschema and its grammar for invalid documents only, pyld for
other tools' JSON-LD, icalendar and lxml for their formats). A guard on the import graph, not on
a timing: each case runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Modules only some work needs, and what needs them.
HEAVY = {
    "jsonschema": "the precise report of an invalid document",
    "referencing": "the precise report of an invalid document",
    "lark": "python-jsonschema's IRI formats",
    "rfc3987_syntax": "python-jsonschema's IRI formats",
    "pyld": "reading other tools' JSON-LD",
    "icalendar": "reading calendars",
    "lxml": "schedule XML",
}

_PROBE = """
import json, sys
{code}
print(json.dumps(sorted({{name.partition(".")[0] for name in sys.modules}})))
"""


def _loaded(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(code=code)], capture_output=True, text=True, timeout=120, check=True
    )
    return set(json.loads(result.stdout))


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


def test_an_invalid_document_loads_the_precise_validator_and_its_report_is_precise() -> None:
    """The other side of the guard: the modules left out are the ones the precise report needs."""
    code = (
        "import mastery_model\n"
        'report = mastery_model.validate(b\'{"@context": "https://w3id.org/mastery-model/v1/context.jsonld"}\')\n'
        "assert not report.ok and 'the property' in str(list(report)[0]), list(report)"
    )
    assert "jsonschema" in _loaded(code)
