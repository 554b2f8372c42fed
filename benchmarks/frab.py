"""The frab plugin on a real schedule: FOSDEM 2025 (943 events) read to a validated model and
written back, against parsing the same file with the standard library's XML parser alone."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import mastery_model
from benchmarks.timing import median_seconds
from mastery_model.importing import read

HERE = Path(__file__).resolve().parent


def schedule_path() -> Path:
    fixtures = os.environ.get("MASTERY_FIXTURES")
    root = Path(fixtures) if fixtures else HERE.parent.parent / "shared" / "fixtures"
    return root / "frab" / "fosdem-2025.xml"


def frab_rows(repeat: int) -> list[list[str]]:
    """Rows of the table; none, with a note, when the plugin or the schedule is not there."""
    path = schedule_path()
    if "frab" not in mastery_model.plugins.installed().importers:
        return [["frab (plugin not installed)", "", "", "", ""]]
    if not path.exists():
        return [[f"frab ({path} absent: set MASTERY_FIXTURES)", "", "", "", ""]]
    data = path.read_bytes()
    catalogue = read(data, format="frab")

    def export() -> bytes:
        stream = io.BytesIO()
        mastery_model.export(catalogue, "frab", stream)
        return stream.getvalue()

    times = median_seconds(
        {
            "import": lambda: read(data, format="frab"),
            "export": export,
            "parse only": lambda: ElementTree.fromstring(data),
        },
        repeat,
    )
    parse = times["parse only"]
    return [
        [
            f"frab {operation} (FOSDEM 2025, 943 events)",
            f"{len(data) / 1e6:.1f} MB",
            f"{times[operation] * 1000:.0f} ms",
            f"{times[operation] / parse:.1f}x ElementTree parse only ({parse * 1000:.0f} ms)",
            "",
        ]
        for operation in ("import", "export")
    ] + schedule_json_rows(catalogue, repeat)


def schedule_json_rows(catalogue: mastery_model.Catalogue, repeat: int) -> list[list[str]]:
    """FOSDEM 2025's catalogue written as schedule-json, imported, against ``json.loads`` of the
    same bytes (the floor: parsing alone)."""
    if "schedule-json" not in mastery_model.plugins.installed().importers:
        return [["schedule-json (plugin without it installed)", "", "", "", ""]]
    stream = io.BytesIO()
    mastery_model.export(catalogue, "schedule-json", stream)
    data = stream.getvalue()
    times = median_seconds(
        {"import": lambda: read(data, format="schedule-json"), "parse only": lambda: json.loads(data)}, repeat
    )
    parse = times["parse only"]
    return [
        [
            "schedule-json import (FOSDEM 2025 written as JSON, 943 events)",
            f"{len(data) / 1e6:.1f} MB",
            f"{times['import'] * 1000:.0f} ms",
            f"{times['import'] / parse:.1f}x json.loads only ({parse * 1000:.0f} ms)",
            "",
        ]
    ]
