"""Coverage-guided fuzzing of one reader with atheris (libFuzzer), for the long campaign.

    python tests/coverage_fuzzing.py FORMAT [libFuzzer options, such as -runs=10000]

FORMAT is jsonld, jsonl, schemaorg, csv (a zip archive), csv-tables (the tables, unzipped) or
frab. The seeds are the sample event in that format and the shared fixtures of it; libFuzzer
mutates them, keeping the inputs that reach new code. An input must give a catalogue, which is
then written in every installed format, or a report of problems: anything else is a crash, kept as
``fuzzing-found/crash-…`` to turn into a regression test in ``tests/``. ``make fuzz`` runs it for
every reader after the property-test campaign.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import atheris
from support import ROOT, fixtures_dir, written_everywhere

import mastery_model
from mastery_model import Catalogue, ExportWarning, InvalidDocument
from mastery_model.builtin.csv import reading as csv_importer
from mastery_model.importing import read


def _exported(format: str) -> bytes:
    stream = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        mastery_model.export(mastery_model.sample(), format, stream)
    return stream.getvalue()


def _fixtures(pattern: str) -> list[bytes]:
    return [path.read_bytes() for path in sorted(fixtures_dir().glob(pattern))]


def _schedules() -> list[bytes]:
    """The shared frab schedules, each cut to its first day's first 20 events: libFuzzer mutates
    small inputs faster."""
    from lxml import etree

    cut = []
    for path in sorted(fixtures_dir().glob("frab/*.xml")):
        root = etree.parse(str(path)).getroot()
        for later in root.findall("day")[1:]:
            root.remove(later)
        for extra in list(root.iter("event"))[20:]:
            extra.getparent().remove(extra)
        cut.append(etree.tostring(root, encoding="utf-8"))
    return cut


_TABLE = re.compile(rb"\n--- ([^\n]*) ---\n")


def _joined(archive: bytes) -> bytes:
    """The tables of a zip archive, in one input: each after a line ``--- NAME ---``."""
    with zipfile.ZipFile(io.BytesIO(archive)) as tables:
        return b"".join(b"\n--- %s ---\n" % name.encode() + tables.read(name) for name in tables.namelist())


def _split(data: bytes) -> dict[str, bytes]:
    parts = _TABLE.split(data)
    return {name.decode("utf-8", "replace"): table for name, table in zip(parts[1::2], parts[2::2], strict=True)}


READERS: dict[str, tuple[Callable[[bytes], Catalogue], Callable[[], list[bytes]]]] = {
    "jsonld": (mastery_model.loads, lambda: [mastery_model.dumps(mastery_model.sample())]),
    "jsonl": (
        lambda data: mastery_model.loads(data, lines=True),
        lambda: [mastery_model.dumps(mastery_model.sample(), lines=True)],
    ),
    "schemaorg": (
        lambda data: read(data, format="schemaorg"),
        lambda: [_exported("schemaorg"), *_fixtures("schemaorg/examples-events/*.jsonld")],
    ),
    "csv": (lambda data: read(data, format="csv"), lambda: [_exported("csv")]),
    # the tables themselves: a mutated archive mostly fails its checksums, and never reaches them
    "csv-tables": (lambda data: csv_importer.read_tables(_split(data), {}), lambda: [_joined(_exported("csv"))]),
    "frab": (lambda data: read(data, format="frab"), _schedules),
}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in READERS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(READERS)}}} [libFuzzer options]")
    reader, seeds = READERS[sys.argv[1]]

    def one_input(data: bytes) -> None:
        try:
            catalogue = reader(data)
        except InvalidDocument as error:
            if not error.report.problems:
                raise AssertionError("a refusal without a problem") from error
            return
        written_everywhere(catalogue)

    corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-{sys.argv[1]}-"))
    for number, seed in enumerate(seeds()):
        (corpus / f"seed-{number}").write_bytes(seed)
    found = ROOT / "fuzzing-found"
    found.mkdir(exist_ok=True)
    warnings.simplefilter("ignore")  # what an exporter warns about is expected of hostile input
    atheris.instrument_all()
    atheris.Setup([sys.argv[0], *sys.argv[2:], f"-artifact_prefix={found}/", str(corpus)], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
