"""The README's Python example runs as written."""

from __future__ import annotations

import re

from support import ROOT

import mastery_model

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_the_python_example_runs(capsys):
    (example,) = _blocks("python")
    exec(compile(example, "README.md", "exec"), {})
    printed = capsys.readouterr().out
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
