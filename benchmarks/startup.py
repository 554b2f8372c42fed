"""What a command-line call costs from a cold process: every import counts.

Each command runs in a fresh process; its CPU time (user and system, from ``getrusage`` of the
children) and wall time are medians of interleaved runs. Modules are compiled to bytecode first,
as an installation does, so that no run pays for compiling them.
"""

from __future__ import annotations

import compileall
import importlib.util
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import mastery_model

_PYDANTIC = (
    "import sys; from benchmarks.baselines import pydantic_checked; "
    "pydantic_checked.Catalogue.model_validate_json(open(sys.argv[1], 'rb').read())"
)


def compile_installed() -> None:
    """Bytecode for the library, its installed plugins and the benchmarks (an installation
    compiles what it installs; an editable one, and ``PYTHONDONTWRITEBYTECODE``, do not)."""
    folders = [Path(mastery_model.__file__).parent, Path(__file__).parent]
    spec = importlib.util.find_spec("mastery_model_frab")
    if spec is not None and spec.origin is not None:
        folders.append(Path(spec.origin).parent)
    for folder in folders:
        compileall.compile_dir(folder, quiet=1)


def startup_rows(small_file: Path, repeat: int = 11) -> list[list[str]]:
    """One row a command: CPU and wall time, and the ratio against ``python -c pass``."""
    compile_installed()
    cli = str(Path(sys.executable).parent / "mastery-model")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import mastery_model": [sys.executable, "-c", "import mastery_model"],
        "mastery-model --version": [cli, "--version"],
        "mastery-model validate (the embedded sample)": [cli, "validate"],
        "mastery-model formats": [cli, "formats"],
        "mastery-model validate FILE (10 sessions)": [cli, "validate", str(small_file)],
        "pydantic with checks, FILE (10 sessions)": [sys.executable, "-c", _PYDANTIC, str(small_file)],
    }
    cwd = Path(__file__).resolve().parent.parent  # where ``benchmarks`` is importable
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    wall: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            before, started = _children_cpu(), time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, cwd=cwd)
            wall[name].append(time.perf_counter() - started)
            cpu[name].append(_children_cpu() - before)
    floor = statistics.median(cpu["python -c pass"])
    rows = []
    for name in commands:
        seconds = statistics.median(cpu[name])
        rows.append(
            [
                f"start-up: {name}",
                "fresh process",
                f"{seconds * 1000:,.0f} ms CPU, {statistics.median(wall[name]) * 1000:,.0f} ms wall",
                f"{seconds / floor:.1f}x python -c pass ({floor * 1000:,.0f} ms)" if name != "python -c pass" else "",
            ]
        )
    return rows


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
