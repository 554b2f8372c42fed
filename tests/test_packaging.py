"""What a wheel of the project carries, and that the library works from the wheel alone.

The wheel is built once per session (offline, without build isolation: hatchling is in the
virtualenv) and imported as a zip from a separate process, away from the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest

from mastery_model import schemas

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = SRC / "mastery_model"
SCHEMA_NAMES = {
    f"{name}.schema.json"
    for name in (
        "campaign",
        "catalogue",
        "common",
        "document",
        "event",
        "organisation",
        "person",
        "recommendation",
        "session",
    )
}
SCHEMA_FOLDER_FILES = SCHEMA_NAMES | {"context.jsonld"}
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DIST_INFO = f"mastery_model-{PROJECT['version']}.dist-info"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of the checkout, built once for the module."""
    out = tmp_path_factory.mktemp("wheel")
    env = {
        **os.environ,
        "PIP_NO_INDEX": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert result.returncode == 0, f"pip wheel failed:\n{result.stdout}\n{result.stderr}"
    built = sorted(out.glob("*.whl"))
    assert len(built) == 1, built
    assert built[0].name == f"mastery_model-{PROJECT['version']}-py3-none-any.whl"
    return built[0]


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _wheel_bytes(wheel: Path, name: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(name)


# -- contents -----------------------------------------------------------------------------------


def test_wheel_holds_all_the_schemas_and_the_context(wheel: Path, wheel_names: set[str]) -> None:
    in_wheel = {
        name.removeprefix("mastery_model/schemas/v1/")
        for name in wheel_names
        if name.startswith("mastery_model/schemas/v1/")
    }
    assert in_wheel == SCHEMA_FOLDER_FILES
    assert len(in_wheel & SCHEMA_NAMES) == 9
    for name in SCHEMA_FOLDER_FILES:
        assert _wheel_bytes(wheel, f"mastery_model/schemas/v1/{name}") == (ROOT / "schemas" / "v1" / name).read_bytes()


def test_wheel_holds_the_sample(wheel: Path, wheel_names: set[str]) -> None:
    assert "mastery_model/data/sample.jsonld" in wheel_names
    assert _wheel_bytes(wheel, "mastery_model/data/sample.jsonld") == (PACKAGE / "data" / "sample.jsonld").read_bytes()


def test_wheel_is_typed(wheel_names: set[str]) -> None:
    # PEP 561: the marker must be in the package, in the source and so in the wheel.
    assert (PACKAGE / "py.typed").is_file(), "src/mastery_model/py.typed is missing"
    assert "mastery_model/py.typed" in wheel_names


def test_wheel_holds_the_license(wheel: Path, wheel_names: set[str]) -> None:
    licence = f"{DIST_INFO}/licenses/LICENSE"
    assert licence in wheel_names
    assert _wheel_bytes(wheel, licence) == (ROOT / "LICENSE").read_bytes()
    metadata = _wheel_bytes(wheel, f"{DIST_INFO}/METADATA").decode("utf-8")
    assert "License-Expression: Apache-2.0" in metadata.splitlines()
    assert "License-File: LICENSE" in metadata.splitlines()


def test_wheel_holds_every_module_and_nothing_stray(wheel_names: set[str]) -> None:
    modules = {f"mastery_model/{path.name}" for path in PACKAGE.glob("*.py")}
    assert modules <= wheel_names
    assert {"mastery_model/__init__.py", "mastery_model/__main__.py", "mastery_model/cli.py"} <= modules
    for name in wheel_names:
        assert name.startswith(("mastery_model/", f"{DIST_INFO}/")), name
        assert "__pycache__" not in name, name
        assert not name.endswith((".pyc", ".part")), name


def test_wheel_metadata_and_entry_point(wheel: Path) -> None:
    metadata = _wheel_bytes(wheel, f"{DIST_INFO}/METADATA").decode("utf-8").splitlines()
    assert "Name: mastery-model" in metadata
    assert f"Version: {PROJECT['version']}" in metadata
    assert f"Requires-Python: {PROJECT['requires-python']}" in metadata
    entry_points = _wheel_bytes(wheel, f"{DIST_INFO}/entry_points.txt").decode("utf-8")
    assert "[console_scripts]" in entry_points
    assert "mastery-model = mastery_model.launch:main" in entry_points


# -- the wheel alone ----------------------------------------------------------------------------

_FROM_THE_WHEEL = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    source = Path(sys.argv[1])
    # The editable install puts the checkout's src/ on sys.path (a .pth): take it off, so only
    # the wheel can provide the package.
    sys.path[:] = [entry for entry in sys.path if not entry or Path(entry).resolve() != source]
    assert "mastery_model" not in sys.modules

    import importlib.metadata
    import mastery_model
    from mastery_model import embedded, schemas

    folder = schemas.schema_folder()
    report = mastery_model.validate(embedded.sample_bytes())
    catalogue = mastery_model.sample()
    distribution = importlib.metadata.distribution("mastery-model")
    print(json.dumps({
        "file": mastery_model.__file__,
        "version": mastery_model.__version__,
        "distribution": str(distribution.locate_file("mastery_model/__init__.py")),
        "folder": str(folder),
        "folder_files": sorted(entry.name for entry in folder.iterdir()),
        "schemas": len(schemas.schemas()),
        "context": "@context" in schemas.context(),
        "valid": report.ok,
        "events": [str(event.name) for event in catalogue.events],
        "modules": {
            name: getattr(module, "__file__", None)
            for name, module in sys.modules.items()
            if name == "mastery_model" or name.startswith("mastery_model.")
        },
    }))
    """
)

_CLI_FROM_THE_WHEEL = textwrap.dedent(
    """
    import runpy, sys
    from pathlib import Path

    source = Path(sys.argv.pop(1))
    sys.path[:] = [entry for entry in sys.path if not entry or Path(entry).resolve() != source]
    runpy.run_module("mastery_model", run_name="__main__", alter_sys=True)
    """
)


def _isolated(wheel: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env.update({"PYTHONPATH": str(wheel), "PYTHONSAFEPATH": "1", "PYTHONNOUSERSITE": "1", "PYTHONIOENCODING": "utf-8"})
    return env


def _inside(path: str, wheel: Path) -> bool:
    return path.startswith(str(wheel) + os.sep)


def _run_from_the_wheel(wheel: Path, cwd: Path, script: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-P", "-c", script, str(SRC), *argv],
        cwd=cwd,
        env=_isolated(wheel),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_library_works_from_the_wheel_alone(wheel: Path, tmp_path: Path) -> None:
    result = _run_from_the_wheel(wheel, tmp_path, _FROM_THE_WHEEL)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)

    assert _inside(found["file"], wheel), found["file"]
    assert found["file"] == f"{wheel}/mastery_model/__init__.py"
    assert len(found["modules"]) > 5
    for name, path in found["modules"].items():
        assert path is not None, name
        assert _inside(path, wheel), (name, path)
    assert not any(str(ROOT) in str(path) for path in found["modules"].values())

    # the schemas come from inside the package in the wheel, not from the checkout
    assert found["folder"].rstrip("/") == f"{wheel}/mastery_model/schemas/v1"
    assert str(ROOT / "schemas") not in found["folder"]
    assert set(found["folder_files"]) == SCHEMA_FOLDER_FILES
    assert found["schemas"] == 9
    assert found["context"] is True

    # importlib.metadata finds the dist-info inside the zip
    assert found["version"] == PROJECT["version"]
    assert _inside(found["distribution"], wheel), found["distribution"]

    assert found["valid"] is True
    assert found["events"] == ["Greening the Future: Micro-Credentials Empowering Sustainable Skills"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["validate"], "<sample>: valid\n", id="validate"),
        pytest.param(["show"], "Greening the Future: Micro-Credentials Empowering Sustainable Skills\n", id="show"),
    ],
)
def test_the_command_works_from_the_wheel_alone(wheel: Path, tmp_path: Path, argv: list[str], expected: str) -> None:
    result = _run_from_the_wheel(wheel, tmp_path, _CLI_FROM_THE_WHEEL, *argv)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(expected)


# -- the editable install -----------------------------------------------------------------------


def _editable() -> bool:
    import mastery_model

    return Path(mastery_model.__file__).resolve().is_relative_to(PACKAGE)


@pytest.mark.skipif(not _editable(), reason="mastery_model is not imported from this checkout (not editable)")
def test_the_editable_install_reads_the_top_level_schemas(wheel: Path, wheel_names: set[str]) -> None:
    folder = schemas.schema_folder()
    assert isinstance(folder, Path)
    assert folder.resolve() == (ROOT / "schemas" / "v1").resolve()
    here = {entry.name for entry in folder.iterdir()}
    in_wheel = {
        name.removeprefix("mastery_model/schemas/v1/")
        for name in wheel_names
        if name.startswith("mastery_model/schemas/v1/")
    }
    assert here == in_wheel == SCHEMA_FOLDER_FILES
    for name in here:
        assert (folder / name).read_bytes() == _wheel_bytes(wheel, f"mastery_model/schemas/v1/{name}")
    assert len(schemas.schemas()) == 9
