"""The public API of ``mastery_model``: exactly the names in ``__all__``, all importable, nothing more.

Modelled on encode/httpx's tests/test_exported_members.py: a change to the public surface must be a
deliberate change to this file too.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.metadata
import pickle
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest

import mastery_model

ROOT = Path(__file__).resolve().parents[1]

# The public API, in the order of ``__all__`` (ruff's isort-style order: SCREAMING_CASE, then
# CamelCase, then the rest, each alphabetical).
EXPECTED_ALL = [
    "EUROPE",
    "MAX_SESSION_DEPTH",
    "SCHEMA_VERSION",
    "Address",
    "Attendance",
    "AttendanceMode",
    "Audience",
    "Campaign",
    "Catalogue",
    "Contribution",
    "CredentialOffer",
    "Document",
    "EmptySelection",
    "Event",
    "ExportWarning",
    "Exporter",
    "ExternalId",
    "Importer",
    "InvalidDocument",
    "MasteryError",
    "MissingData",
    "Option",
    "Options",
    "Organisation",
    "OrganisationKind",
    "Origin",
    "Origins",
    "Person",
    "Place",
    "Problem",
    "Qualifier",
    "ReadWarning",
    "Recommendation",
    "Report",
    "Role",
    "Selection",
    "Session",
    "SessionKind",
    "Status",
    "Text",
    "UsageError",
    "VirtualLocation",
    "__version__",
    "absolute_url",
    "dump",
    "dumps",
    "export",
    "export_all",
    "export_all_input",
    "export_file",
    "export_input",
    "formats",
    "hookimpl",
    "installed",
    "json_report",
    "language_tag",
    "language_tags",
    "left_out",
    "left_unread",
    "load",
    "loads",
    "mint",
    "outline",
    "printable",
    "read_document",
    "read_input",
    "sample",
    "sample_bytes",
    "single_line",
    "summary",
    "time_zone",
    "validate",
    "validate_inputs",
    "write_sample",
    "write_template",
]


def _isort_style(name: str) -> tuple[int, str]:
    if name.isupper():
        group = 0
    elif name[:1].isupper():
        group = 1
    else:
        group = 2
    return group, name


def test_all_is_exactly_the_expected_list() -> None:
    assert list(mastery_model.__all__) == EXPECTED_ALL


def test_all_is_sorted_and_has_no_duplicates() -> None:
    names = list(mastery_model.__all__)
    assert names == sorted(names, key=_isort_style)
    assert len(names) == len(set(names))


def test_every_name_in_all_is_importable() -> None:
    imported = importlib.import_module("mastery_model")
    for name in mastery_model.__all__:
        assert hasattr(imported, name), name
        namespace: dict[str, object] = {}
        exec(f"from mastery_model import {name} as value", namespace)
        assert namespace["value"] is getattr(imported, name)


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from mastery_model import *", namespace)
    namespace.pop("__builtins__", None)
    assert set(namespace) == set(EXPECTED_ALL)


def test_nothing_public_beyond_all_except_submodules() -> None:
    extra = {name for name in dir(mastery_model) if not name.startswith("_")} - set(mastery_model.__all__)
    not_modules = {
        name
        for name in extra
        if not (
            isinstance(getattr(mastery_model, name), types.ModuleType)
            and getattr(mastery_model, name).__name__ == f"mastery_model.{name}"
        )
    }
    assert not_modules == set(), f"public names outside __all__ that are not submodules: {sorted(not_modules)}"


def test_exported_classes_and_functions_are_the_librarys_own() -> None:
    for name in mastery_model.__all__:
        member = getattr(mastery_model, name)
        if isinstance(member, (type, types.FunctionType)):
            assert member.__module__.startswith("mastery_model."), (name, member.__module__)


def test_errors_share_one_base() -> None:
    assert issubclass(mastery_model.InvalidDocument, mastery_model.MasteryError)
    assert issubclass(mastery_model.UsageError, mastery_model.MasteryError)
    assert issubclass(mastery_model.MasteryError, Exception)


def test_usage_errors_are_usage_errors() -> None:
    from mastery_model.problems import (
        BadOptionValue,
        BadSelection,
        FormatClash,
        UnknownFormat,
        UnknownOption,
        UnknownPlugin,
    )

    for error in (BadOptionValue, UnknownOption, FormatClash, UnknownFormat, UnknownPlugin, BadSelection):
        assert issubclass(error, mastery_model.UsageError), error
    assert not issubclass(mastery_model.InvalidDocument, mastery_model.UsageError)
    assert not issubclass(mastery_model.MissingData, mastery_model.UsageError)


def _fresh(code: str) -> str:
    """What ``code`` prints in a new interpreter, where nothing of the package is loaded yet."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()


def test_importing_the_package_loads_none_of_its_modules_nor_its_dependencies() -> None:
    loaded = _fresh(
        "import sys; before = set(sys.modules); import mastery_model; print(sorted(set(sys.modules) - before))"
    )
    assert loaded == "['mastery_model']"


def test_each_name_loads_its_module_on_first_use() -> None:
    assert (
        _fresh(
            "import sys, mastery_model; mastery_model.Selection; "
            "print('mastery_model.selection' in sys.modules, 'mastery_model.exporting' in sys.modules)"
        )
        == "True False"
    )


def test_formats_is_the_listing_whatever_was_imported_first() -> None:
    for first in ("import mastery_model.plugins.records", "from mastery_model.plugins.records import Option", "pass"):
        assert _fresh(f"{first}; import mastery_model; print(mastery_model.formats.__module__)") == (
            "mastery_model.listing"
        ), first
    assert mastery_model.formats is importlib.import_module("mastery_model.listing").formats


def test_the_package_pickles_by_name_as_a_plain_module_would() -> None:
    cloudpickle = pytest.importorskip("cloudpickle")  # what dask sends the recipe's functions with
    assert pickle.loads(pickle.dumps(mastery_model)) is mastery_model
    assert cloudpickle.loads(cloudpickle.dumps(mastery_model)) is mastery_model
    uses_the_package = lambda: mastery_model.sample()  # noqa: E731 - pickled by value, with its globals
    assert cloudpickle.loads(cloudpickle.dumps(uses_the_package))() == mastery_model.sample()


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="'Catalog'"):
        mastery_model.Catalog  # type: ignore[attr-defined]  # noqa: B018


def test_version_is_the_distributions_and_the_projects() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert mastery_model.__version__ == importlib.metadata.version("mastery-model")
    assert mastery_model.__version__ == project["version"]


def test_package_docstring_example_runs() -> None:
    result = doctest.testmod(mastery_model, verbose=False, report=False)
    assert result.attempted > 0
    assert result.failed == 0


def test_what_a_plugin_needs_is_the_librarys_own_from_the_root() -> None:
    formats = importlib.import_module("mastery_model.plugins.records")  # the submodule, not the listing of that name
    hookspecs = importlib.import_module("mastery_model.plugins.hookspecs")
    assert mastery_model.hookimpl is hookspecs.hookimpl
    assert mastery_model.hookimpl.project_name == hookspecs.PROJECT == "mastery_model"
    assert mastery_model.Options is formats.Options
    for check in ("absolute_url", "language_tag", "language_tags", "single_line", "time_zone"):
        assert getattr(mastery_model, check) is getattr(formats, check), check
    assert mastery_model.language_tag("pt-BR") is None
    assert mastery_model.time_zone("Mars/Olympus") is not None


def test_the_frab_plugin_imports_from_the_root_what_the_root_has() -> None:
    """A plugin shows its authors the way: the names the root has are imported from it."""
    sources = sorted((ROOT / "plugins" / "mastery-model-frab" / "src").rglob("*.py"))
    assert sources
    from_submodules = {
        (source.name, node.module, alias.name)
        for source in sources
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mastery_model.")
        for alias in node.names
        if alias.name in mastery_model.__all__
    }
    assert from_submodules == set()
