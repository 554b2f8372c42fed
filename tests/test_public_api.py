"""The public API of ``mastery_model``: exactly the names in ``__all__``, all importable, nothing more.

Modelled on encode/httpx's tests/test_exported_members.py: a change to the public surface must be a
deliberate change to this file too.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.metadata
import tomllib
import types
from pathlib import Path

import mastery_model

ROOT = Path(__file__).resolve().parents[1]

# The public API, in the order of ``__all__`` (ruff's isort-style order: SCREAMING_CASE, then
# CamelCase, then the rest, each alphabetical).
EXPECTED_ALL = [
    "EUROPE",
    "MAX_SESSION_DEPTH",
    "Address",
    "Attendance",
    "AttendanceMode",
    "Audience",
    "Campaign",
    "Catalogue",
    "Contribution",
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
    "Organisation",
    "OrganisationKind",
    "Person",
    "Place",
    "Problem",
    "Qualifier",
    "Recommendation",
    "Report",
    "Role",
    "Selection",
    "Session",
    "SessionKind",
    "Status",
    "Text",
    "VirtualLocation",
    "__version__",
    "dump",
    "dumps",
    "export",
    "formats",
    "load",
    "loads",
    "mint",
    "read_document",
    "sample",
    "validate",
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
    assert issubclass(mastery_model.MasteryError, Exception)


def test_version_is_the_distributions_and_the_projects() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert mastery_model.__version__ == importlib.metadata.version("mastery-model")
    assert mastery_model.__version__ == project["version"]


def test_package_docstring_example_runs() -> None:
    result = doctest.testmod(mastery_model, verbose=False, report=False)
    assert result.attempted > 0
    assert result.failed == 0
