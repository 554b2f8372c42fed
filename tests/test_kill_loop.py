"""A large export killed with SIGKILL at random moments never leaves part of an output (issue 11, rule 2).

The command line streams a JSON Lines catalogue into a destination that holds an older, complete
output of the same format (and a file of the user's); it is killed at seeded random moments spread
over the run's measured duration. After each kill every file of the output is, byte for byte, the
old one or the new one, the input is unchanged and the user's file too; one more run, not killed,
leaves no temporary file behind and writes exactly what an unkilled run writes. Two destinations
are killed side by side, one per core of the machine the suite is sized for.

    python -m pytest tests/test_kill_loop.py -s    # shows the measured durations
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import pytest
from support import ROOT, temporaries

import mastery_model

COMMAND = str(Path(sys.executable).with_name("mastery-model"))
SEED = 11
KILLS = 12
WORKERS = 2
MANIFEST = ".mastery-model.json"
NOTES = b"the user's notes, which no export may touch\n"


def generator() -> ModuleType:
    """benchmarks/catalogue.py: its synthetic catalogues (loaded by path: benchmarks is no package here)."""
    spec = importlib.util.spec_from_file_location("catalogue_generator", ROOT / "benchmarks" / "catalogue.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_lines(document: dict[str, Any], path: Path) -> None:
    """A canonical document as JSON Lines, as the library lays them out: a line per event, a whole
    document with the people and organisations the event refers to (and their affiliations)."""
    graph = document["@graph"]
    entities = {node["@id"]: node for node in graph if node["@type"] != "EducationEvent"}
    with path.open("wb") as lines:
        for event in (node for node in graph if node["@type"] == "EducationEvent"):
            wanted = set(event.get("organizer", ()))
            sessions = list(event.get("subEvent", ()))
            while sessions:
                session = sessions.pop()
                wanted.update(contribution["performer"] for contribution in session.get("performer", ()))
                sessions.extend(session.get("subEvent", ()))
            wanted.update(
                affiliation for known in list(wanted) for affiliation in entities.get(known, {}).get("affiliation", ())
            )
            nodes = [event, *(entities[known] for known in sorted(wanted) if known in entities)]
            lines.write(orjson.dumps({"@context": document["@context"], "@graph": nodes}) + b"\n")


@pytest.fixture(scope="session")
def catalogue_lines(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Path]:
    """``catalogue_lines(sessions)``: a synthetic catalogue of that many sessions as JSON Lines,
    written once per test session. (Written here rather than converted by the library: in a tenth
    of the time; the runs below read and check it anyway.)"""
    made: dict[int, Path] = {}

    def lines(sessions: int) -> Path:
        if sessions not in made:
            started = time.monotonic()
            path = tmp_path_factory.mktemp(f"catalogue-{sessions}") / "catalogue.jsonl"
            write_lines(generator().generate(sessions), path)
            print(
                f"\ninput: {sessions} sessions as JSON Lines, {path.stat().st_size / 1e6:.0f} MB, "
                f"written in {time.monotonic() - started:.1f} s"
            )
            made[sessions] = path
        return made[sessions]

    return lines


def sha256(path: Path) -> str:
    with path.open("rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest()


def files_under(root: Path) -> dict[str, Path]:
    """The regular files under ``root`` by their path within it, less temporaries (``*.part``, and
    what is in a ``*.part`` folder)."""
    found = {}
    for folder, names, files in os.walk(root):
        names[:] = [name for name in names if not name.endswith(".part")]
        for name in files:
            if not name.endswith(".part"):
                path = Path(folder) / name
                found[path.relative_to(root).as_posix()] = path
    return found


@dataclass
class Job:
    """An export, and what its destination folder holds besides the output: the user's files."""

    name: str
    format: str
    output: str  # within the destination folder: a file, or a folder of the format's files
    users: tuple[str, ...]  # the user's files in the destination folder (and in the output's folder)

    def argv(self, source: Path, destination: Path) -> list[str]:
        return [COMMAND, "export", str(source), "--to", self.format, "-o", str(destination / self.output)]


@dataclass
class Outcome:
    moment: float
    finished: bool  # the run ended before the kill came
    new: int  # of the output's files, those already the new ones
    old: int
    leftovers: int  # temporaries in the destination


@dataclass
class Loop:
    job: Job
    source: Path
    old: dict[str, str]  # the output's files (within the destination folder) -> digest, before
    new: dict[str, str]  # ... after an unkilled run
    source_digest: str
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, destination: Path, moment: float) -> tuple[int, int]:
        """What a kill left: each file the old one or the new one, the user's files and the input unchanged."""
        found = files_under(destination)
        new = old = 0
        for name, path in sorted(found.items()):
            if name in self.job.users:
                if path.read_bytes() != NOTES:
                    self.problem(f"after a kill at {moment:.2f} s the user's {name} changed")
                continue
            if name not in self.new:
                self.problem(f"after a kill at {moment:.2f} s {name} is there, which neither output has")
                continue
            digest = sha256(path)
            if digest == self.new[name]:
                new += 1
            elif digest == self.old.get(name):
                old += 1
            else:
                self.problem(f"after a kill at {moment:.2f} s {name} is neither the old nor the new one (partial)")
        for name in set(self.new) | set(self.old):
            if name not in found:
                self.problem(f"after a kill at {moment:.2f} s {name} is missing")
        for name in self.job.users:
            if name not in found:
                self.problem(f"after a kill at {moment:.2f} s the user's {name} is gone")
        if sha256(self.source) != self.source_digest:
            self.problem(f"after a kill at {moment:.2f} s the input changed")
        return new, old

    def problem(self, said: str) -> None:
        with self.lock:
            self.problems.append(said)


def prepared(job: Job, destination: Path, old: dict[str, bytes]) -> None:
    """The destination as an earlier, complete export and the user left it."""
    for name, data in old.items():
        path = destination / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for name in job.users:
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        (destination / name).write_bytes(NOTES)


def kill_loop(job: Job, source: Path, tmp_path: Path, validate: Callable[[Path], None], kills: int) -> None:
    started = time.monotonic()
    # the old output: the embedded sample, a different and small catalogue, written by the library
    sample = tmp_path / "old"
    sample.mkdir()
    mastery_model.export(mastery_model.sample(), job.format, str(sample / job.output))
    old = {name: path.read_bytes() for name, path in files_under(sample).items()}
    # the new output, of a run not killed: how long a run takes
    reference = tmp_path / "reference"
    reference.mkdir()
    began = time.monotonic()
    run = subprocess.run(job.argv(source, reference), capture_output=True, check=False)
    duration = time.monotonic() - began
    assert run.returncode == 0, run.stderr.decode()
    new = {name: sha256(path) for name, path in files_under(reference).items()}
    assert temporaries(reference) == []
    assert set(new) == set(old), "the old and the new output are made of different files"
    assert any(new[name] != sha256(sample / name) for name in new), "the old output is the new one"
    checked = time.monotonic()
    validate(reference / job.output)
    validation = time.monotonic() - checked

    loop = Loop(job, source, {name: sha256(sample / name) for name in old}, new, sha256(source))
    destinations = [tmp_path / f"destination-{worker}" for worker in range(WORKERS)]
    for destination in destinations:
        prepared(job, destination, old)
    rng = random.Random(SEED)
    moments = [duration * (index + rng.random()) / kills for index in range(kills)]  # one in each stretch
    rng.shuffle(moments)
    queue = list(moments)
    taken = threading.Lock()

    def work(destination: Path) -> None:
        while True:
            with taken:
                if not queue:
                    return
                moment = queue.pop()
            with (destination.parent / f"{destination.name}.stderr").open("wb") as said:
                process = subprocess.Popen(job.argv(source, destination), stdout=subprocess.DEVNULL, stderr=said)
                try:
                    process.wait(timeout=moment)
                except subprocess.TimeoutExpired:
                    process.kill()  # SIGKILL
                    process.wait()
                    finished = False
                else:
                    finished = True
                    if process.returncode != 0:
                        loop.problem(f"the run meant to be killed at {moment:.2f} s failed ({process.returncode})")
            new_files, old_files = loop.check(destination, moment)
            with loop.lock:
                loop.outcomes.append(Outcome(moment, finished, new_files, old_files, len(temporaries(destination))))
            if old_files == 0:  # the new output is all in place: the next kill interrupts old to new again
                for name, path in files_under(sample).items():
                    (destination / name).write_bytes(path.read_bytes())

    killing = time.monotonic()
    threads = [threading.Thread(target=work, args=(destination,)) for destination in destinations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    killed = time.monotonic() - killing

    # one more run, not killed, for each destination: no temporary left, the new output whole
    finishing = time.monotonic()
    finals = [subprocess.Popen(job.argv(source, destination), stderr=subprocess.PIPE) for destination in destinations]
    for process in finals:
        _out, stderr = process.communicate()
        assert process.returncode == 0, stderr.decode()
    finished = time.monotonic() - finishing

    print(
        f"\n{job.name}: a run takes {duration:.1f} s; validating its output {validation:.1f} s; "
        f"{kills} kills on {WORKERS} destinations {killed:.1f} s; the last runs {finished:.1f} s; "
        f"in all {time.monotonic() - started:.1f} s"
    )
    for outcome in sorted(loop.outcomes, key=lambda outcome: outcome.moment):
        state = "finished first" if outcome.finished else f"{outcome.new} new, {outcome.old} old"
        print(f"  killed at {outcome.moment:6.2f} s: {state}, {outcome.leftovers} temporaries")
    assert loop.problems == []
    assert len(loop.outcomes) == kills
    for destination in destinations:
        assert temporaries(destination) == []
        assert {name: sha256(path) for name, path in files_under(destination).items() if name not in job.users} == new
        assert [name for name in job.users if (destination / name).read_bytes() != NOTES] == []
    assert sha256(source) == loop.source_digest
    shutil.rmtree(tmp_path / "old")


def test_a_large_json_lines_export_killed_at_random_moments_is_always_the_old_file_or_the_new(
    catalogue_lines, tmp_path
):
    """100,000 sessions streamed from JSON Lines into one JSON-LD file."""
    source = catalogue_lines(100_000)

    def validate(output: Path) -> None:  # whole: every event, session and entity of the input, as it was
        written = orjson.loads(output.read_bytes())["@graph"]
        nodes: dict[str, object] = {}
        with source.open("rb") as lines:
            for line in lines:
                for node in orjson.loads(line)["@graph"]:
                    nodes.setdefault(node["@id"], node)
        assert len(written) == len(nodes)
        assert {node["@id"]: node for node in written} == nodes
        events = [node for node in written if "subEvent" in node]
        assert len(events) == 1000
        assert sum(len(group.get("subEvent", [])) + 1 for event in events for group in event["subEvent"]) == 100_000

    kill_loop(Job("jsonl to jsonld", "jsonld", "events.jsonld", ("notes.txt",)), source, tmp_path, validate, KILLS)


def test_a_csv_folder_export_killed_at_random_moments_has_each_table_old_or_new(catalogue_lines, tmp_path):
    """5,000 sessions streamed from JSON Lines into a folder of tables (of the user's files too):
    each table, the metadata and the manifest are replaced one at a time, so a kill may leave some
    new and some old, but never part of one; the scratch folder a kill leaves is removed by the
    next run. (Smaller, and killed half as often: the large loop above takes most of the time.)"""
    source = catalogue_lines(5_000)

    def validate(output: Path) -> None:  # read back, which validates it
        catalogue = mastery_model.load(output)
        sessions = sum(len(group.sessions) + 1 for event in catalogue.events for group in event.sessions)
        assert (len(catalogue.events), sessions) == (50, 5_000)

    job = Job("jsonl to a csv folder", "csv", "tables", ("notes.txt", "tables/notes.txt"))
    kill_loop(job, source, tmp_path, validate, KILLS // 2)
