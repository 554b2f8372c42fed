"""Run every benchmark and print a table: operation, size, the library's time, and the ratio
against each baseline measured in the same run, under the same collector conditions (both are
reported: paused for every contender, and as each runs for a user). Times are CPU time of this
process (``benchmarks/timing.py``); start-up is that of fresh processes (``benchmarks/startup.py``);
memory is the growth of the peak resident size of a fresh process (``benchmarks/memory.py``).

    python -m benchmarks --sizes 10 100 1000 10000 --repeat 7
"""

from __future__ import annotations

import argparse
import collections
import io
import itertools
import platform
import shutil
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

import mastery_model
from benchmarks import invalid_documents
from benchmarks.baselines import (
    csv_handwritten,
    ical_handwritten,
    ical_icalendar,
    jsonld_builder,
    msgspec_model,
    parse_only,
    pydantic_checked,
    pydantic_model,
)
from benchmarks.catalogue import generate
from benchmarks.credentials import credentials_rows
from benchmarks.frab import frab_rows
from benchmarks.memory import peak_kib
from benchmarks.startup import startup_rows
from benchmarks.timing import AS_RUN, CONDITIONS, median_seconds
from mastery_model import schemas

#: The built-in formats, each exported at every size.
FORMATS = ("csv", "ical", "jsonl", "jsonld", "schemaorg")
#: Above this many sessions, baselines that take minutes (python-jsonschema, icalendar) and reading
#: schema.org markup (JSON-LD expansion, a minute a run at 100,000) are left out.
SLOW_BASELINES_UP_TO = 10_000
#: Below this many sessions, memory is left out: a fresh process's own noise is larger.
MEMORY_FROM = 1_000


def export_to_bytes(catalogue: mastery_model.Catalogue, format: str) -> bytes:
    stream = io.BytesIO()
    mastery_model.export(catalogue, format, stream)
    return stream.getvalue()


def duration(seconds: float) -> str:
    if seconds >= 10:
        return f"{seconds:,.0f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:,.0f} ms"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds * 1e6:,.0f} µs"


def against(ours: float, theirs: float, name: str) -> str:
    return f"{ours / theirs:.2f}x {name} ({duration(theirs)})"


def mib(kib: int) -> str:
    return f"{kib / 1024:,.1f} MiB"


class Scale:
    """Every operation on one catalogue of ``size`` sessions; ``medians`` keeps the library's
    times (as run) for the growth rows."""

    def __init__(self, size: int, repeat: int, scratch: Path) -> None:
        self.size, self.scratch = size, scratch
        self.runs = repeat if size <= 10_000 else max(3, repeat * 10_000 // size)
        self.data = orjson.dumps(generate(size))
        self.path = scratch / f"catalogue-{size}.jsonld"
        self.path.write_bytes(self.data)
        self.rows: list[list[str]] = []
        self.medians: dict[str, float] = {}
        self.label = f"{size:,} sessions"

    def row(self, operation: str, median: str, *against: str) -> None:
        self.rows.append([operation, self.label, median, *against])

    def run(self) -> None:
        for collector in CONDITIONS:
            self.load(collector)
        self.schema_check()
        catalogue = mastery_model.loads(self.data)
        for collector in CONDITIONS:
            self.exports(catalogue, collector)
            self.csv(catalogue, collector)
        if self.size <= SLOW_BASELINES_UP_TO:
            self.markup(catalogue)
            self.calendar(catalogue)
        if self.size >= MEMORY_FROM:
            self.memory()

    def load(self, collector: str) -> None:
        """Bytes to a checked model, against each typed decoder a user could pick and the floors."""
        data = self.data
        fast = schemas.fast_validator()
        baselines: dict[str, Callable[[], Any]] = {
            "pydantic with checks": lambda: pydantic_checked.Catalogue.model_validate_json(data),
            "pydantic": lambda: pydantic_model.Catalogue.model_validate_json(data),
            "msgspec": lambda: msgspec_model.decode(data),
            "orjson + jsonschema-rs": lambda: fast.is_valid(parse_only.parse(data)),
            "parse only": lambda: parse_only.parse(data),
        }
        times = median_seconds(
            {"load": lambda: mastery_model.loads(data), "validate": lambda: mastery_model.validate(data), **baselines},
            self.runs,
            collector,
        )
        for operation, name in (("load", "load (bytes to model)"), ("validate", "validate (bytes to report)")):
            if collector == AS_RUN:
                self.medians[operation] = times[operation]
            ours = times[operation]
            self.row(f"{name}, {collector}", duration(ours), *(against(ours, times[n], n) for n in baselines))

    def markup(self, catalogue: mastery_model.Catalogue) -> None:
        """schema.org markup read back into the model: its growth row shows whether reading is linear."""
        markup = export_to_bytes(catalogue, "schemaorg")

        def read() -> None:
            mastery_model.importing.read(markup, format="schemaorg")

        times = median_seconds({"mastery-model": read}, min(self.runs, 3))  # seconds a run at 10,000
        self.medians["import schemaorg"] = times["mastery-model"]
        self.row(f"import schemaorg (markup to model), {AS_RUN}", duration(times["mastery-model"]))

    def calendar(self, catalogue: mastery_model.Catalogue) -> None:
        """The library's own calendar read back into the model, against icalendar's parse of it
        alone (the floor: the importer parses with icalendar, then builds and checks the model)."""
        import icalendar

        calendar = export_to_bytes(catalogue, "ical")
        times = median_seconds(
            {
                "mastery-model": lambda: mastery_model.importing.read(calendar, format="ical"),
                "icalendar parse only": lambda: icalendar.Calendar.from_ical(calendar),
            },
            min(self.runs, 3),
        )
        self.medians["import ical"] = times["mastery-model"]
        ours, vevents = times["mastery-model"], calendar.count(b"BEGIN:VEVENT")
        self.row(
            f"import ical ({vevents:,} VEVENTs to model), {AS_RUN}",
            duration(ours),
            against(ours, times["icalendar parse only"], "icalendar parse only"),
        )

    def schema_check(self) -> None:
        document = orjson.loads(self.data)
        contenders: dict[str, Callable[[], Any]] = {"compiled": lambda: schemas.fast_validator().is_valid(document)}
        if self.size <= SLOW_BASELINES_UP_TO:
            contenders["python-jsonschema"] = lambda: schemas.precise_validator().is_valid(document)
        checks = median_seconds(contenders, repeat=1)  # python-jsonschema takes seconds
        slow = checks.get("python-jsonschema")
        self.row(
            "schema check alone (jsonschema-rs)",
            duration(checks["compiled"]),
            f"python-jsonschema takes {slow / checks['compiled']:.0f}x as long ({duration(slow)})" if slow else "",
        )

    def exports(self, catalogue: mastery_model.Catalogue, collector: str) -> None:
        assert jsonld_builder.dumps(catalogue) == mastery_model.dumps(catalogue)  # the same job, the same bytes
        assert ical_handwritten.dumps(catalogue) == export_to_bytes(catalogue, "ical")
        pydantic_catalogue = pydantic_model.Catalogue.model_validate_json(self.data)
        baselines: dict[str, dict[str, Callable[[], Any]]] = {
            "jsonld": {
                "hand-written": lambda: jsonld_builder.dumps(catalogue),
                "pydantic": lambda: pydantic_catalogue.model_dump_json(by_alias=True, exclude_defaults=True, indent=2),
            },
            "ical": {"hand-written": lambda: ical_handwritten.dumps(catalogue)},
            "jsonl": {},
            "schemaorg": {},
        }
        if self.size <= SLOW_BASELINES_UP_TO:
            baselines["ical"]["icalendar"] = lambda: ical_icalendar.dumps(catalogue)
        for format, theirs in baselines.items():
            times = median_seconds(
                {"mastery-model": lambda f=format: export_to_bytes(catalogue, f), **theirs}, self.runs, collector
            )
            ours = times["mastery-model"]
            if collector == AS_RUN:
                self.medians[f"export {format}"] = ours
            self.row(
                f"export {format} (model to bytes), {collector}",
                duration(ours),
                *(against(ours, times[n], n) for n in theirs),
            )

    def csv(self, catalogue: mastery_model.Catalogue, collector: str) -> None:
        """The csv exporter against hand-written rows, each writing a fresh folder."""
        folders = iter(range(1_000_000))
        scratch = self.scratch / f"csv-{self.size}-{collector.split()[-1]}"
        scratch.mkdir()

        def ours() -> None:
            mastery_model.export(catalogue, "csv", scratch / str(next(folders)))

        def hand_written() -> None:
            folder = scratch / str(next(folders))
            folder.mkdir()
            csv_handwritten.write(catalogue, folder)

        ours()
        hand_written()
        for table in (scratch / "1").iterdir():  # the same job: the same tables, byte for byte
            assert table.read_bytes() == (scratch / "0" / table.name).read_bytes(), table.name
        times = median_seconds({"mastery-model": ours, "hand-written": hand_written}, self.runs, collector)
        shutil.rmtree(scratch)
        if collector == AS_RUN:
            self.medians["export csv"] = times["mastery-model"]
        self.row(
            f"export csv (model to a folder), {collector}",
            duration(times["mastery-model"]),
            against(times["mastery-model"], times["hand-written"], "hand-written"),
        )

    def memory(self) -> None:
        peaks = {which: peak_kib(which, self.path) for which in ("load", "parse", "pydantic")}
        self.row(
            "load, peak memory",
            mib(peaks["load"]),
            f"{peaks['load'] / peaks['pydantic']:.2f}x pydantic ({mib(peaks['pydantic'])})",
            f"{peaks['load'] / peaks['parse']:.2f}x parse only ({mib(peaks['parse'])})",
        )
        first = peak_kib("load", self.path, warm=False)
        self.row(
            "load as a process's first call, peak memory",
            mib(first),
            f"{mib(first - peaks['load'])} more than a later load: what loads on first use",
        )
        for format in FORMATS:
            target = self.scratch / f"out-{format}"
            peak = peak_kib("export", self.path, target, format)
            shutil.rmtree(target) if target.is_dir() else target.unlink()
            self.row(f"export {format}, peak memory", mib(peak), f"{peak / peaks['load']:.2f}x loading it")


def growth_rows(scales: list[Scale]) -> list[list[str]]:
    """Each operation's time per session from one size to the next: linear growth keeps it flat."""
    rows = []
    for operation in scales[0].medians:
        measured = [scale for scale in scales if operation in scale.medians]
        steps = [
            f"{later.medians[operation] / earlier.medians[operation]:.1f}x for {later.size // earlier.size}x"
            for earlier, later in itertools.pairwise(measured)
        ]
        per_session = ", ".join(f"{scale.medians[operation] / scale.size * 1e6:.0f}" for scale in measured)
        sizes = " -> ".join(f"{scale.size:,}" for scale in measured)
        rows.append([f"growth: {operation}", sizes, ", ".join(steps), f"µs per session: {per_session}", ""])
    return rows


def streaming_rows(scratch: Path, events: tuple[int, int] = (100, 1_000)) -> list[list[str]]:
    """JSON Lines in, every built-in format out, an event at a time: peak memory for ``events``
    events of 100 sessions each, against the fewer events, and against loading them whole."""
    paths = {}
    for count in events:
        document = mastery_model.loads(orjson.dumps(generate(count * 100, events=count)))
        paths[count] = scratch / f"events-{count}.jsonl"
        paths[count].write_bytes(mastery_model.dumps(document, lines=True))
    rows = []
    for format in FORMATS:
        peaks = {}
        for count in events:
            for how in ("stream", "whole"):
                target = scratch / f"stream-{format}"
                peaks[count, how] = peak_kib(how, paths[count], target, format)
                shutil.rmtree(target) if target.is_dir() else target.unlink()
        few, many = events
        rows.append(
            [
                f"stream JSON Lines to {format}, peak memory",
                f"{many:,} vs {few:,} events x 100 sessions",
                f"{mib(peaks[many, 'stream'])} vs {mib(peaks[few, 'stream'])}",
                f"{peaks[many, 'stream'] / peaks[few, 'stream']:.2f}x for {many // few}x the events",
                f"loading {many:,} whole: {mib(peaks[many, 'whole'])}",
            ]
        )
    return rows


def print_table(rows: list[list[str]]) -> None:
    columns = max(len(row) for row in rows)
    header = ["operation", "size", "median", *["against"] * (columns - 3)]
    rows = [row + [""] * (columns - len(row)) for row in rows]
    widths = [max(len(row[column]) for row in [header, *rows]) for column in range(columns)]
    for row in [header, ["-" * width for width in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(), flush=True)


def refusal_row() -> list[str]:
    """The checked baseline is held to the library's meaning: each of a set of invalid documents is
    refused by both (the run stops otherwise); how many the schema-level decoders let through."""
    contenders: dict[str, Callable[[bytes], object]] = {
        "mastery-model": mastery_model.loads,
        "pydantic with checks": pydantic_checked.Catalogue.model_validate_json,
        "pydantic": pydantic_model.Catalogue.model_validate_json,
        "msgspec": msgspec_model.decode,
    }
    documents = invalid_documents.invalid_documents()
    accepted = invalid_documents.accepted_invalid(contenders, documents)
    for name in ("mastery-model", "pydantic with checks"):
        if accepted[name]:
            raise SystemExit(f"{name} accepts invalid documents: {', '.join(accepted[name])}")
    return [
        "invalid documents refused",
        f"{len(documents)} documents",
        *(f"{name}: {len(documents) - len(accepted[name])}" for name in contenders),
    ]


def warnings_row(caught: list[warnings.WarningMessage]) -> list[str]:
    """The warnings the run gave (exports say what each format leaves out), counted in one line:
    the table is the output here, and the warnings are the tests' to check (tests/test_fields.py)."""
    counts = collections.Counter(warning.category.__name__ for warning in caught)
    by_kind = ", ".join(f"{name} x{count:,}" for name, count in counts.most_common())
    return ["warnings given during the run", f"{len(caught):,}", by_kind or "none"]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1_000, 10_000], help="sessions per catalogue")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each contender (the median counts)")
    parser.add_argument("--no-streaming", action="store_true", help="leave out the streaming memory rows (minutes)")
    arguments = parser.parse_args()
    scratch = Path(subprocess.run(["mktemp", "-d"], capture_output=True, text=True, check=True).stdout.strip())
    print(
        f"mastery-model {mastery_model.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {platform.processor() or 'unknown processor'}",
        flush=True,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        small = scratch / "catalogue-10-startup.jsonld"
        small.write_bytes(orjson.dumps(generate(10)))
        rows = [*startup_rows(small), refusal_row()]
        print_table(rows)
        scales = []
        for size in sorted(arguments.sizes):
            scale = Scale(size, arguments.repeat, scratch)
            scale.run()
            print_table(scale.rows)
            scales.append(scale)
        rows += [row for scale in scales for row in scale.rows] + growth_rows(scales)
        if not arguments.no_streaming:
            rows += streaming_rows(scratch)
        rows += frab_rows(arguments.repeat)
        rows += credentials_rows()
    rows.append(warnings_row(caught))
    print("\nAll together:\n")
    print_table(rows)
    shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
