"""The plugin author's guide: its example package installs, is listed, and exports."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from support import ROOT

GUIDE = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")


def _file(name: str, language: str) -> str:
    """The code block that follows the line naming ``name`` in the guide."""
    match = re.search(rf"`{re.escape(name)}`:\n\n```{language}\n(.*?)```", GUIDE, flags=re.DOTALL)
    assert match, name
    return match.group(1)


def test_the_guides_example_package_installs_and_exports(tmp_path):
    package = tmp_path / "mastery-model-markdown"
    (package / "mastery_model_markdown").mkdir(parents=True)
    (package / "pyproject.toml").write_text(_file("pyproject.toml", "toml"))
    (package / "mastery_model_markdown" / "__init__.py").write_text(
        _file("mastery_model_markdown/__init__.py", "python")
    )
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(site),
            str(package),
        ],
        check=True,
        capture_output=True,
    )
    plugins = f"{os.environ['MASTERY_MODEL_PLUGINS']},markdown"  # the built-in ones and the guide's
    # the package installed, before the library under test wherever this run found it
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    environment = {**os.environ, "PYTHONPATH": path, "MASTERY_MODEL_PLUGINS": plugins}

    def mastery_model(*argv: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "mastery_model", *argv],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    row = next(line.split() for line in mastery_model("formats").splitlines() if line.startswith("markdown "))
    assert row[-3:] == ["markdown", "mastery-model-markdown", "1.0.0"]
    programme = mastery_model("export", "--to", "markdown")
    assert programme.splitlines()[0] == "# Greening the Future: Micro-Credentials Empowering Sustainable Skills"
    assert "5. National and European brainstorming sessions" in programme
    said = mastery_model("export", "--to", "all", "-o", str(tmp_path / "all"))
    assert f"wrote {tmp_path / 'all' / 'markdown.md'}" in said
