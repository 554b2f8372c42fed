"""The plugin's wheel carries its licence, and its metadata says which one.

The wheel is built offline, without build isolation (hatchling is in the virtualenv), as the
library's own packaging tests build the library's.
"""

from __future__ import annotations

import email.parser
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DIST_INFO = f"mastery_model_frab-{PROJECT['version']}.dist-info"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("frab-wheel")
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(PACKAGE)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert result.returncode == 0, f"pip wheel failed:\n{result.stdout}\n{result.stderr}"
    (built,) = out.glob("*.whl")
    assert built.name == f"mastery_model_frab-{PROJECT['version']}-py3-none-any.whl"
    return built


def test_the_wheel_carries_the_apache_licence_text(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        licence = archive.read(f"{DIST_INFO}/licenses/LICENSE")
    assert licence == (PACKAGE / "LICENSE").read_bytes()
    assert b"Apache License" in licence
    assert b"Version 2.0, January 2004" in licence


def test_the_wheel_metadata_names_the_licence_and_its_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        metadata = email.parser.Parser().parsestr(archive.read(f"{DIST_INFO}/METADATA").decode("utf-8"))
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]


def test_the_plugin_is_licensed_as_the_library_is() -> None:
    assert (PACKAGE / "LICENSE").read_bytes() == (PACKAGE.parents[1] / "LICENSE").read_bytes()
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]
