"""Run every benchmark and print a table: operation, size, median, and the ratio against each
baseline measured in the same run. Memory is the peak resident size of a fresh process."""

from __future__ import annotations

import argparse
import io
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import orjson

import mastery_model
from benchmarks.baselines import (
    csv_handwritten,
    ical_handwritten,
    ical_icalendar,
    jsonld_builder,
    parse_only,
    pydantic_model,
)
from benchmarks.catalogue import generate
from benchmarks.frab import frab_rows
from benchmarks.timing import median_seconds
from mastery_model import schemas

HERE = Path(__file__).resolve().parent


def export_to_bytes(catalogue: mastery_model.Catalogue, format: str) -> bytes:
    stream = io.BytesIO()
    mastery_model.export(catalogue, format, stream)
    return stream.getvalue()


# Linux: writing 5 to clear_refs resets the peak resident size (VmHWM), so the peak measured is
# the one of the operation alone, not of the imports before it.
_MEMORY_PROBE = """
import sys
from pathlib import Path
data = open(sys.argv[1], "rb").read()
import orjson, mastery_model
from benchmarks.baselines import pydantic_model
from mastery_model import schemas
schemas.fast_validator(); schemas.precise_validator()
def status(field):
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith(field))
    return int(line.split()[1])
Path("/proc/self/clear_refs").write_text("5")
before = status("VmRSS:")
which = sys.argv[2]
if which == "parse":
    kept = orjson.loads(data)
elif which == "load":
    kept = mastery_model.loads(data)
else:
    kept = pydantic_model.Catalogue.model_validate_json(data)
print(status("VmHWM:") - before)
"""


def peak_kib(path: Path, which: str) -> int:
    """Growth of the peak resident size of a fresh process while it does ``which``."""
    result = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE, str(path), which],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parent,
    )
    return int(result.stdout.strip())


def load_benchmark(sizes: list[int], repeat: int, scratch: Path) -> list[list[str]]:
    rows = []
    for size in sizes:
        data = orjson.dumps(generate(size))
        path = scratch / f"catalogue-{size}.jsonld"
        path.write_bytes(data)
        times = median_seconds(
            {
                "mastery-model": lambda data=data: mastery_model.loads(data),
                "parse only": lambda data=data: parse_only.parse(data),
                "pydantic": lambda data=data: pydantic_model.Catalogue.model_validate_json(data),
            },
            repeat,
        )
        ours = times["mastery-model"]
        rows.append(
            [
                "load (bytes to validated model)",
                f"{size:,} sessions",
                f"{ours * 1000:.0f} ms",
                f"{ours / times['pydantic']:.2f}x pydantic ({times['pydantic'] * 1000:.0f} ms)",
                f"{ours / times['parse only']:.2f}x parse only ({times['parse only'] * 1000:.0f} ms)",
            ]
        )
        document = orjson.loads(data)
        checks = median_seconds(
            {
                "compiled": lambda document=document: schemas.fast_validator().is_valid(document),
                "python-jsonschema": lambda document=document: schemas.precise_validator().is_valid(document),
            },
            repeat=1,  # python-jsonschema takes seconds here
        )
        rows.append(
            [
                "schema check alone (jsonschema-rs)",
                f"{size:,} sessions",
                f"{checks['compiled'] * 1000:.0f} ms",
                f"python-jsonschema takes {checks['python-jsonschema'] / checks['compiled']:.0f}x as long "
                f"({checks['python-jsonschema'] * 1000:.0f} ms)",
                "",
            ]
        )
        memory = {which: peak_kib(path, which) for which in ("load", "parse", "pydantic")}
        catalogue = mastery_model.loads(data)
        assert jsonld_builder.dumps(catalogue) == mastery_model.dumps(catalogue)  # the same job, the same bytes
        pydantic_catalogue = pydantic_model.Catalogue.model_validate_json(data)
        writes = median_seconds(
            {
                "mastery-model": lambda catalogue=catalogue: export_to_bytes(catalogue, "jsonld"),
                "hand-written": lambda catalogue=catalogue: jsonld_builder.dumps(catalogue),
                "pydantic": lambda model=pydantic_catalogue: model.model_dump_json(
                    by_alias=True, exclude_defaults=True, indent=2
                ),
            },
            repeat,
        )
        ours = writes["mastery-model"]
        rows.append(
            [
                "export jsonld (model to bytes)",
                f"{size:,} sessions",
                f"{ours * 1000:.0f} ms",
                f"{ours / writes['hand-written']:.2f}x hand-written ({writes['hand-written'] * 1000:.0f} ms)",
                f"{ours / writes['pydantic']:.2f}x pydantic ({writes['pydantic'] * 1000:.0f} ms)",
            ]
        )
        assert ical_handwritten.dumps(catalogue) == export_to_bytes(catalogue, "ical")  # the same bytes
        calendars = median_seconds(
            {
                "mastery-model": lambda catalogue=catalogue: export_to_bytes(catalogue, "ical"),
                "hand-written": lambda catalogue=catalogue: ical_handwritten.dumps(catalogue),
                "icalendar": lambda catalogue=catalogue: ical_icalendar.dumps(catalogue),
            },
            repeat,
        )
        ours = calendars["mastery-model"]
        rows.append(
            [
                "export ical (model to bytes)",
                f"{size:,} sessions",
                f"{ours * 1000:.0f} ms",
                f"{ours / calendars['hand-written']:.2f}x hand-written ({calendars['hand-written'] * 1000:.0f} ms)",
                f"{ours / calendars['icalendar']:.2f}x icalendar ({calendars['icalendar'] * 1000:.0f} ms)",
            ]
        )
        rows.append(csv_row(catalogue, size, repeat, scratch))
        rows.append(
            [
                "load, peak memory",
                f"{size:,} sessions",
                f"{memory['load'] / 1024:.0f} MiB",
                f"{memory['load'] / memory['pydantic']:.2f}x pydantic ({memory['pydantic'] / 1024:.0f} MiB)",
                f"{memory['load'] / memory['parse']:.2f}x parse only ({memory['parse'] / 1024:.0f} MiB)",
            ]
        )
    return rows


def csv_row(catalogue: mastery_model.Catalogue, size: int, repeat: int, scratch: Path) -> list[str]:
    """The csv exporter against hand-written rows, each writing a fresh folder."""
    folders = iter(range(1_000_000))

    def ours() -> None:
        mastery_model.export(catalogue, "csv", scratch / f"csv-{size}-{next(folders)}")

    def hand_written() -> None:
        folder = scratch / f"csv-{size}-{next(folders)}"
        folder.mkdir()
        csv_handwritten.write(catalogue, folder)

    ours()
    hand_written()
    first, second = scratch / f"csv-{size}-0", scratch / f"csv-{size}-1"
    for table in second.iterdir():  # the same job: the same tables, byte for byte
        assert table.read_bytes() == (first / table.name).read_bytes(), table.name
    times = median_seconds({"mastery-model": ours, "hand-written": hand_written}, repeat)
    for folder in scratch.glob(f"csv-{size}-*"):
        shutil.rmtree(folder)
    mine = times["mastery-model"]
    return [
        "export csv (model to a folder)",
        f"{size:,} sessions",
        f"{mine * 1000:.0f} ms",
        f"{mine / times['hand-written']:.2f}x hand-written ({times['hand-written'] * 1000:.0f} ms)",
        "",
    ]


_STREAM_PROBE = """
import sys
from pathlib import Path
import mastery_model
from mastery_model.canonical import iter_line_catalogues
from mastery_model.exporting import export_parts
def status(field):
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith(field))
    return int(line.split()[1])
source, target, how, format = sys.argv[1:5]
Path("/proc/self/clear_refs").write_text("5")
before = status("VmRSS:")
if how == "parts":
    export_parts(lambda: iter_line_catalogues(source), format, target)
else:
    mastery_model.export(mastery_model.load(source), format, target)
print(status("VmHWM:") - before)
"""


def streaming_benchmark(scratch: Path, sizes: tuple[int, int] = (10, 100)) -> list[list[str]]:
    """JSON Lines in, every format that writes a part at a time out: peak memory against the
    number of events of one size (100 sessions each)."""
    formats = [name for name in sorted(mastery_model.exporting.installed().exporters) if _streams(name, scratch)]
    peaks = {}
    for events in sizes:
        document = mastery_model.loads(orjson.dumps(generate(events * 100, events=events)))
        path = scratch / f"events-{events}.jsonl"
        path.write_bytes(mastery_model.dumps(document, lines=True))
        for format in formats:
            for how in ("parts", "whole"):
                target = scratch / f"out-{format}-{how}"
                result = subprocess.run(
                    [sys.executable, "-c", _STREAM_PROBE, str(path), str(target), how, format],
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=HERE.parent,
                )
                peaks[format, events, how] = int(result.stdout.strip())
                shutil.rmtree(target) if target.is_dir() else target.unlink()
    rows = []
    for format in formats:
        for events in sizes:
            ours = peaks[format, events, "parts"]
            rows.append(
                [
                    f"stream JSON Lines to {format}, peak memory",
                    f"{events:,} events x 100 sessions",
                    f"{ours / 1024:.1f} MiB",
                    f"{ours / peaks[format, sizes[0], 'parts']:.2f}x {sizes[0]:,} events",
                    f"loading it whole: {peaks[format, events, 'whole'] / 1024:.1f} MiB",
                ]
            )
    return rows


def _streams(format: str, scratch: Path) -> bool:
    return mastery_model.exporting.writes_parts(format, scratch / "probe")


def print_table(rows: list[list[str]]) -> None:
    header = ["operation", "size", "median", "against", "against"]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, ["-" * width for width in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000], help="sessions per catalogue")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each contender (the median counts)")
    arguments = parser.parse_args()
    scratch = Path(subprocess.run(["mktemp", "-d"], capture_output=True, text=True, check=True).stdout.strip())
    print(
        f"mastery-model {mastery_model.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {platform.processor() or 'unknown processor'}"
    )
    rows = load_benchmark(arguments.sizes, arguments.repeat, scratch) + streaming_benchmark(scratch)
    print_table(rows + frab_rows(arguments.repeat))


if __name__ == "__main__":
    main()
