"""The README's examples run as written, and it says what the tests need.

(Every page's Python blocks, the README's included, also run in tests/test_docs.py.)
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from support import ROOT, fixture_path, fixtures_dir

import mastery_model

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_the_python_example_runs_from_any_folder(tmp_path):
    (example,) = _blocks("python")
    result = subprocess.run(
        [sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    printed = result.stdout
    assert "Greening the Future" in printed
    assert "Giulia Alessandri" not in printed  # people are ids in sessions; the example prints roles
    assert "speaker" in printed


def test_the_json_example_is_a_valid_document():
    (example,) = _blocks("json")
    report = mastery_model.validate(example.encode())
    assert report.ok, str(report)
    catalogue = mastery_model.loads(example.encode())
    assert catalogue.events[0].sessions[0].contributions[0].contributor == catalogue.people[0].id


def test_the_quick_start_has_exactly_two_commands():
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    (commands,) = _blocks("sh")[:1]
    assert commands in quick_start
    assert [line.split("#")[0].strip() for line in commands.strip().splitlines()] == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert [line for line in script.splitlines() if line and not line.startswith(("#", "set ", "cd "))] == ["make test"]


def _section(heading: str) -> str:
    return README.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_says_where_the_tests_find_their_fixtures_and_what_happens_without(monkeypatch, tmp_path):
    tests = _section("Tests")
    for said in ("`../shared/fixtures`", "`MASTERY_FIXTURES`", "`CI=true`", "skipped", "fails instead"):
        assert said in tests
    monkeypatch.delenv("MASTERY_FIXTURES", raising=False)
    assert fixtures_dir() == ROOT.parent / "shared" / "fixtures"
    monkeypatch.setenv("MASTERY_FIXTURES", str(tmp_path))
    assert fixtures_dir() == tmp_path
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"frab/absent\.xml is absent \(looked in "):
        fixture_path("frab/absent.xml")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"frab/absent\.xml is absent"):
        fixture_path("frab/absent.xml")


def test_the_readme_says_how_long_the_tests_take():
    assert re.search(r"takes about [\d.]+ minutes", _section("Tests"))
