"""Peak memory of one operation, in a fresh process: Linux's peak resident size (VmHWM), reset
(writing 5 to /proc/self/clear_refs) just before the operation, so that imports do not count.

What loads on first use counts as imports do: before the reset, the process has done the same
operation once on a catalogue of one session (a parse for the parse, a pydantic load for
pydantic), so the peak is that of the data alone for every contender. What the first call of a
process adds is measured on its own (``warm=False``) and reported as such."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

_PROBE = """
import sys
from pathlib import Path
import orjson, mastery_model
from benchmarks.baselines import pydantic_model
from benchmarks.catalogue import generate
from mastery_model import schemas

def status(field):
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith(field))
    return int(line.split()[1])

which, source, target, format, warm = sys.argv[1:6]
schemas.fast_validator(); schemas.precise_validator()
if warm == "1":  # see the module's docstring; the streaming rows compare two cold runs
    small = orjson.dumps(generate(1))
    if which == "parse":
        orjson.loads(small)
    elif which == "pydantic":
        pydantic_model.Catalogue.model_validate_json(small)
    elif which in ("load", "export"):
        warmed = mastery_model.loads(small)
    if which == "export":
        mastery_model.export(warmed, format, target)
# what the operation starts from is in memory before the peak is reset: bytes, or a loaded model
data = open(source, "rb").read() if which in ("parse", "load", "pydantic", "export") else None
model = mastery_model.loads(data) if which == "export" else None
Path("/proc/self/clear_refs").write_text("5")
before = status("VmRSS:")
if which == "parse":
    kept = orjson.loads(data)
elif which == "load":
    kept = mastery_model.loads(data)
elif which == "pydantic":
    kept = pydantic_model.Catalogue.model_validate_json(data)
elif which == "export":
    mastery_model.export(model, format, target)
elif which == "stream":
    mastery_model.export_file(source, format, target)
elif which == "whole":
    mastery_model.export(mastery_model.load(source), format, target)
print(status("VmHWM:") - before)
"""


def peak_kib(which: str, source: Path, target: Path | None = None, format: str = "", *, warm: bool = True) -> int:
    """Growth of the peak resident size while a fresh process does ``which`` with ``source``:
    parse, load, pydantic, export (a loaded model to ``format``), stream (JSON Lines to
    ``format`` a part at a time) or whole (JSON Lines loaded whole, then exported). ``warm``: the
    process has done it once on one session first (parse, load, pydantic, export)."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, which, str(source), str(target or ""), format, "1" if warm else "0"],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parent,
    )
    return int(result.stdout.strip())
