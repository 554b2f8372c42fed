"""Where an export may write, and what it must leave alone (issue 11: outputs that never destroy
what the user did not ask to replace).

Every format to every kind of destination: a new path, an existing file, a folder of the user's
files, ``.`` and ``./``, symlinks, a FIFO, a character device, a socket, ``-``, a read-only folder,
a missing parent folder, a full disk, /proc. Then the inputs an output must never overwrite, the
empty catalogue, and what ``--to all`` and a folder format remove of their own earlier outputs (and
never of the user's). Through the API, and through the command line where it has its own say
(exit codes, one line on stderr).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import importlib.util
import io
import os
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import types
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from support import snapshot, temporaries, unavailable

import mastery_model
from mastery_model import Catalogue, Exporter, MasteryError, MissingData
from mastery_model.builtin.csv.tables import METADATA, TABLES
from mastery_model.exporting import event_file_names, export_all
from mastery_model.plugins import BUILTIN_PLUGINS, Formats, Provenance, load_plugins
from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.problems import PluginError, UsageError

pytestmark = pytest.mark.filterwarnings("ignore::mastery_model.ExportWarning")

MANIFEST = ".mastery-model.json"
CSV_FILES = frozenset({f"{table.name}.csv" for table in TABLES} | {METADATA})
COMMAND = str(Path(sys.executable).with_name("mastery-model"))
HAS_FRAB = importlib.util.find_spec("mastery_model_frab") is not None
WITH_FRAB = ",".join([*BUILTIN_PLUGINS, "frab"])
#: Dates given to the user's files (2001, in nanoseconds): a file rewritten meanwhile shows it.
PAST = 1_000_000_000 * 10**9


def small(title: str, talk: str) -> Catalogue:
    """One event with one timed session in a room: what every format, frab too, can write."""
    room = [{"@type": "Place", "name": {"und": "Aula"}}]
    session = {
        "@type": "EducationEvent",
        "@id": "urn:uuid:41d9ee17-b4ed-5160-867b-9f1d63ee4107",
        "name": {"en": talk},
        "startTime": "2025-02-01T10:00:00Z",
        "endTime": "2025-02-01T11:00:00Z",
        "timeZone": "UTC",
        "location": room,
    }
    event = {
        "@type": "EducationEvent",
        "@id": "urn:uuid:ec8bd50a-fa5f-54a0-94db-1c3a9847bf1c",
        "name": {"en": title},
        "startDate": "2025-02-01",
        "endDate": "2025-02-01",
        "location": room,
        "subEvent": [session],
    }
    return mastery_model.read_document({"@context": mastery_model.schemas.CONTEXT_IRI, "@graph": [event]})


SAMPLE = mastery_model.sample()
OLD = small("An older conference", "An older talk")  # what a destination held before
NEW_FOR_FRAB = small("A newer conference", "A newer talk")  # frab refuses the sample: it has no times


@cache
def frab_registry() -> Formats:
    return load_plugins(only=[*BUILTIN_PLUGINS, "frab"]).formats()


@dataclass(frozen=True)
class Case:
    """A format, and the name it is written under: a file, or a folder (``folder``)."""

    id: str
    format: str
    name: str
    folder: bool = False
    frab: bool = False

    @property
    def new(self) -> Catalogue:
        return NEW_FOR_FRAB if self.frab else SAMPLE

    def export(self, destination: Any, catalogue: Catalogue | None = None, **options: Any) -> None:
        registry = frab_registry() if self.frab else None
        catalogue = self.new if catalogue is None else catalogue
        mastery_model.export(catalogue, self.format, destination, registry=registry, **options)


CASES = [
    Case("jsonld", "jsonld", "out.jsonld"),
    Case("jsonl", "jsonl", "out.jsonl"),
    Case("schemaorg", "schemaorg", "out.schema.jsonld"),
    Case("ical", "ical", "out.ics"),
    Case("csv", "csv", "out", folder=True),
    Case("csv.zip", "csv", "out.zip"),
    Case("frab", "frab", "out.xml", frab=True),
]


CSV = CASES[4]


def given_a_folder(case: Case) -> Case:
    """``case`` as its format writes to a path that is a folder: csv into it, as a folder format
    (whatever name it gives a file); frab, a format of one event, a file per event into it; the
    others refuse."""
    return CSV if case.format == CSV.format else case


def assert_a_file_per_event(case: Case, folder: Path, before: dict[str, tuple[object, ...]]) -> None:
    """What a format of one event (frab) writes into a folder: a file per event, named from it, and
    the manifest; the folder's other files left as they were."""
    after = snapshot(folder)
    assert_left_alone({name: entry for name, entry in before.items() if name != MANIFEST}, after)
    assert set(after) - set(before) - {MANIFEST} == set(event_file_names(case.new.events, ".xml").values())
    assert MANIFEST in after
    assert temporaries(folder) == []


FILE_FORMATS = [case for case in CASES if case.format != CSV.format]  # the formats that write one file only


def usable(chosen: Case) -> Case:
    if chosen.frab and not HAS_FRAB:
        unavailable("the frab plugin (plugins/mastery-model-frab) is not installed")
    return chosen


@pytest.fixture(params=CASES, ids=[case.id for case in CASES])
def case(request: pytest.FixtureRequest) -> Case:
    return usable(request.param)


@pytest.fixture(params=FILE_FORMATS, ids=[case.id for case in FILE_FORMATS])
def file_case(request: pytest.FixtureRequest) -> Case:
    return usable(request.param)


# -- what an output must hold ------------------------------------------------------------------------


@cache
def expected(case: Case, which: str = "new") -> bytes:
    """The export to a stream: what a file destination must hold (a folder format: its zip archive)."""
    stream = io.BytesIO()
    case.export(stream, OLD if which == "old" else case.new)
    return stream.getvalue()


@cache
def expected_tables(case: Case, which: str = "new") -> dict[str, bytes]:
    """A folder format's files: those of its archive."""
    return archived(expected(case, which))


def archived(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def assert_holds(case: Case, destination: Path, which: str = "new") -> None:
    """``destination`` holds the whole output (a folder: every file of it, and its manifest)."""
    if case.folder:
        tables = expected_tables(case, which)
        assert set(tables) == CSV_FILES
        assert [name for name, data in tables.items() if (destination / name).read_bytes() != data] == []
        assert (destination / MANIFEST).is_file()
    else:
        assert destination.read_bytes() == expected(case, which)


def library_names(case: Case) -> set[str]:
    """What an export of ``case`` into a folder may add there besides the user's files."""
    return set(CSV_FILES | {MANIFEST}) if case.folder else {case.name, MANIFEST}


def assert_left_alone(before: dict[str, tuple[object, ...]], after: dict[str, tuple[object, ...]]) -> None:
    """Every entry of ``before`` is in ``after``, byte for byte, with its mode and time."""
    assert [name for name, entry in before.items() if after.get(name) != entry] == []


def users_files(folder: Path) -> Path:
    """The user's own files and folders in ``folder`` (made if missing), dated 2001."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "notes.txt").write_bytes(b"my notes\n")
    (folder / "notes.csv").write_bytes(b"a,b\r\n1,2\r\n")  # a table of the user's, not one of the format's
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04 a stale spreadsheet of the user's")
    (folder / "secret.txt").write_bytes(b"keep out\n")
    (folder / "secret.txt").chmod(0o600)
    (folder / "photos").mkdir()
    (folder / "photos" / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    (folder / "empty").mkdir()
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "config").write_bytes(b"[core]\n")
    (folder / "link-to-notes").symlink_to("notes.txt")
    for parent, names, files in os.walk(folder, topdown=False):
        for name in names + files:
            os.utime(Path(parent) / name, ns=(PAST, PAST), follow_symlinks=False)
    return folder


def os_error(write: Callable[[], object]) -> OSError:
    """The :class:`OSError` that ``write`` raises; the test fails when it raises none (or another)."""
    try:
        write()
    except OSError as error:
        return error
    pytest.fail("no OSError was raised")


def error_names(error: BaseException, given: object) -> None:
    assert isinstance(error, OSError), repr(error)
    assert error.filename is not None, repr(error)
    assert os.fspath(error.filename) == os.fspath(given), repr(error)  # type: ignore[arg-type]


# -- the command line --------------------------------------------------------------------------------


def cli(*argv: str, cwd: Path | None = None, frab: bool = False) -> subprocess.CompletedProcess[bytes]:
    environment = dict(os.environ)
    if frab:
        environment["MASTERY_MODEL_PLUGINS"] = WITH_FRAB
    result = subprocess.run([COMMAND, *argv], capture_output=True, cwd=cwd, env=environment, check=False, timeout=120)
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result


def one_line(result: subprocess.CompletedProcess[bytes]) -> str:
    """The one line the command said on stderr."""
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1, result.stderr.decode()
    return lines[0]


def refused(result: subprocess.CompletedProcess[bytes], code: int, path: str) -> None:
    assert result.returncode == code, result.stderr.decode()
    line = one_line(result)
    assert path in line, line
    assert ".part" not in line, line


# -- file systems this test makes ---------------------------------------------------------------------


@contextlib.contextmanager
def mounted(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` at ``where`` (made), unmounted at the end."""
    where.mkdir()
    if os.geteuid() != 0:
        unavailable("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        unavailable(f"cannot mount a tmpfs: {done.stderr.strip()}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], check=False)


@contextlib.contextmanager
def read_only(where: Path, fill: Callable[[Path], None]) -> Iterator[Path]:
    """A folder that cannot be written, holding what ``fill`` put in it: a tmpfs remounted read-only
    as root (who could write into a folder of mode 0555), else a folder of mode 0555."""
    if os.geteuid() != 0:
        where.mkdir()
        fill(where)
        where.chmod(0o555)
        try:
            yield where
        finally:
            where.chmod(0o755)
        return
    with mounted(where, "1m"):
        fill(where)
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        yield where


def fill_up(disk: Path) -> None:
    """Take every free block of ``disk``."""
    handle = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    block = b"\0" * 4096
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(handle, block)
    finally:
        os.close(handle)
    assert os.statvfs(disk).f_bavail == 0


def drained(fifo: Path, write: Callable[[], None]) -> bytes:
    """What a reader of ``fifo`` receives while ``write`` runs. The reader opens it first, with a
    writer of its own held open meanwhile, so that neither side waits forever if the export never
    opens the FIFO."""
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    fcntl.fcntl(reader, fcntl.F_SETFL, fcntl.fcntl(reader, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    keeper = os.open(fifo, os.O_WRONLY)
    chunks: list[bytes] = []

    def read() -> None:
        while chunk := os.read(reader, 65536):
            chunks.append(chunk)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        write()
    finally:
        os.close(keeper)
        thread.join(timeout=60)
        os.close(reader)
    assert not thread.is_alive()
    return b"".join(chunks)


class FullStream(io.RawIOBase):
    """A stream on a disk that is full."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# -- A. every format, every kind of destination --------------------------------------------------------


def test_a_new_path_gets_the_whole_output_and_nothing_else(case, tmp_path):
    destination = tmp_path / case.name
    case.export(str(destination))
    assert_holds(case, destination)
    assert set(os.listdir(tmp_path)) - {MANIFEST} == {case.name}
    if case.folder:
        assert set(os.listdir(destination)) == CSV_FILES | {MANIFEST}
    assert temporaries(tmp_path) == []


def test_an_existing_file_is_replaced_whole_keeping_its_mode_or_refused_where_a_folder_goes(case, tmp_path):
    destination = tmp_path / case.name
    destination.write_bytes(b"an older version, of the user's\n")
    destination.chmod(0o640)
    if case.folder:  # a file where the format writes a folder: refused, the file as it was
        before = snapshot(tmp_path)
        with pytest.raises((OSError, MasteryError)) as caught:
            case.export(str(destination))
        assert not isinstance(caught.value, UsageError)  # exit 1, not 2
        assert snapshot(tmp_path) == before
        return
    case.export(str(destination))
    assert_holds(case, destination)
    assert stat.S_IMODE(destination.stat().st_mode) == 0o640
    assert set(os.listdir(tmp_path)) - {MANIFEST} == {case.name}
    assert temporaries(tmp_path) == []


def test_an_earlier_output_is_replaced_by_the_new_one(case, tmp_path):
    destination = tmp_path / case.name
    case.export(str(destination), OLD)
    assert_holds(case, destination, "old")
    case.export(str(destination))
    assert_holds(case, destination)
    assert temporaries(tmp_path) == []


def test_a_folder_of_the_users_files_keeps_every_one_of_them(case, tmp_path):
    folder = users_files(tmp_path / "project")
    before = snapshot(folder)
    destination = folder if case.folder else folder / case.name
    case.export(str(destination))
    assert_holds(case, destination)
    after = snapshot(folder)
    assert_left_alone(before, after)
    added = set(after) - set(before)
    wanted = set(CSV_FILES | {MANIFEST}) if case.folder else {case.name}
    assert wanted <= added <= library_names(case)
    assert temporaries(folder) == []


def test_csv_over_an_earlier_export_in_a_folder_of_the_users_files(tmp_path):
    folder = tmp_path / "tables"
    mastery_model.export(OLD, "csv", str(folder))
    users_files(folder)
    (folder / "events.csv").write_bytes(b"the user's own events table: the format's name, so replaced\n")
    before = {name: entry for name, entry in snapshot(folder).items() if name not in CSV_FILES | {MANIFEST}}
    mastery_model.export(SAMPLE, "csv", str(folder))
    assert_holds(CSV, folder)
    after = snapshot(folder)
    assert_left_alone(before, after)
    assert set(after) == set(before) | CSV_FILES | {MANIFEST}
    assert temporaries(folder) == []


def test_a_file_format_given_a_folder_refuses_and_leaves_the_folder_as_it_was(file_case, tmp_path):
    folder = users_files(tmp_path / "project")
    before = snapshot(folder)
    if file_case.frab:  # a format of one event: a file per event
        file_case.export(str(folder))
        assert_a_file_per_event(file_case, folder, before)
        return
    with pytest.raises((OSError, MasteryError)):
        file_case.export(str(folder))
    assert snapshot(folder) == before
    assert os.listdir(tmp_path) == ["project"]


@pytest.mark.parametrize("spelling", [".", "./"])
def test_the_current_folder_is_a_folder_like_any_other(case, spelling, tmp_path, monkeypatch):
    case = given_a_folder(case)
    here = users_files(tmp_path / "here")
    monkeypatch.chdir(here)
    before = snapshot(here)
    if case.frab:
        case.export(spelling)
        assert_a_file_per_event(case, here, before)
        return
    if not case.folder:  # as for any folder
        with pytest.raises((OSError, MasteryError)):
            case.export(spelling)
        assert snapshot(here) == before
        return
    case.export(spelling)
    assert_holds(case, here)
    after = snapshot(here)
    assert_left_alone(before, after)
    assert set(after) == set(before) | CSV_FILES | {MANIFEST}
    assert temporaries(here) == []
    assert os.listdir(tmp_path) == ["here"]


def test_a_symlink_to_a_file_is_kept_and_its_target_replaced(case, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / f"real-{case.name}"
    target.write_bytes(b"the file the link names\n")
    link = tmp_path / case.name
    link.symlink_to(os.path.join("elsewhere", target.name))  # relative, as links usually are
    if case.folder:  # a file where the format writes a folder
        before = snapshot(tmp_path)
        with pytest.raises((OSError, MasteryError)):
            case.export(str(link))
        assert snapshot(tmp_path) == before
        return
    case.export(str(link))
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("elsewhere", target.name)
    assert_holds(case, target)
    assert set(os.listdir(elsewhere)) - {MANIFEST} == {target.name}
    assert set(os.listdir(tmp_path)) - {MANIFEST} == {"elsewhere", case.name}
    assert temporaries(tmp_path) == []


def test_a_symlink_to_a_folder_is_kept_and_a_folder_format_writes_into_its_target(case, tmp_path):
    case = given_a_folder(case)
    target = users_files(tmp_path / "elsewhere" / "real")
    link = tmp_path / "link"
    link.symlink_to(target)
    before = snapshot(target)
    if case.frab:
        case.export(str(link))
        assert link.is_symlink()
        assert_a_file_per_event(case, target, before)
        return
    if not case.folder:
        with pytest.raises((OSError, MasteryError)):
            case.export(str(link))
        assert snapshot(target) == before
        assert link.is_symlink()
        return
    case.export(str(link))
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert_holds(case, target)
    after = snapshot(target)
    assert_left_alone(before, after)
    assert set(after) == set(before) | CSV_FILES | {MANIFEST}
    assert sorted(os.listdir(tmp_path)) == ["elsewhere", "link"]
    assert temporaries(tmp_path) == []


def test_a_fifo_is_written_directly_and_its_reader_gets_the_whole_output(case, tmp_path):
    fifo = tmp_path / case.name
    os.mkfifo(fifo)
    identity = fifo.lstat().st_ino
    received = drained(fifo, lambda: case.export(str(fifo)))
    if case.format == CSV.format:  # its zip archive: the files, then the very bytes written to a BytesIO
        assert archived(received) == expected_tables(CSV)
    assert received == expected(case)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert fifo.lstat().st_ino == identity
    assert os.listdir(tmp_path) == [case.name]


def test_a_character_device_is_written_directly_never_replaced(case, tmp_path):
    device = tmp_path / case.name
    if os.geteuid() == 0:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers
        case.export(str(device))
    else:  # only root makes devices: a FIFO stands in
        os.mkfifo(device)
        assert drained(device, lambda: case.export(str(device))) == expected(case)
    status = device.lstat()
    if os.geteuid() == 0:
        assert stat.S_ISCHR(status.st_mode)
        assert status.st_rdev == os.makedev(1, 3)
    assert os.listdir(tmp_path) == [case.name]


def test_a_socket_is_never_replaced(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short path: a socket's is limited to about a hundred bytes
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(case.name)
        server.listen(1)
        server.settimeout(10)
        identity = os.lstat(case.name).st_ino
        try:
            case.export(case.name)
        except OSError as error:  # a socket cannot be opened as a file: an error naming it
            failure: OSError | None = error
        else:
            failure = None
        if failure is None:  # written to (the outputs are small enough to wait in the socket's buffer)
            connection = server.accept()[0]
            with connection:
                received = b"".join(iter(lambda: connection.recv(65536), b""))
            assert received == expected(case)
        else:
            error_names(failure, case.name)
    assert stat.S_ISSOCK(os.lstat(case.name).st_mode)
    assert os.lstat(case.name).st_ino == identity
    assert os.listdir(tmp_path) == [case.name]


def test_a_dash_is_standard_output(case, tmp_path, monkeypatch, capfdbinary):
    monkeypatch.chdir(tmp_path)
    case.export("-")
    sys.stdout.flush()
    assert capfdbinary.readouterr().out == expected(case)  # csv: its zip archive
    assert os.listdir(tmp_path) == []


def test_a_read_only_folder_is_an_error_naming_the_path_and_nothing_changes(case, tmp_path):
    def fill(folder: Path) -> None:
        users_files(folder / "d")
        case.export(str(folder / "d" if case.folder else folder / "d" / case.name), OLD)

    with read_only(tmp_path / "ro", fill) as folder:
        before = snapshot(folder)
        existing = folder / "d" if case.folder else folder / "d" / case.name
        new = folder / "new" if case.folder else folder / "d" / f"new-{case.name}"
        for destination in (existing, new):
            error_names(os_error(lambda path=str(destination): case.export(path)), destination)
        assert snapshot(folder) == before


@pytest.mark.parametrize("depth", [1, 2])
def test_a_missing_parent_folder_is_an_error_naming_the_path_and_nothing_is_made(case, depth, tmp_path):
    destination = tmp_path.joinpath(*["missing"] * depth, case.name)
    error_names(os_error(lambda: case.export(str(destination))), destination)
    assert os.listdir(tmp_path) == []


def test_export_all_into_a_folder_whose_parent_is_missing_is_an_error_naming_it(tmp_path):
    destination = tmp_path / "missing" / "all"
    error_names(os_error(lambda: export_all(SAMPLE, str(destination))), destination)
    assert os.listdir(tmp_path) == []


def test_a_full_disk_is_an_error_naming_the_path_and_leaves_no_half_output(case, tmp_path):
    with mounted(tmp_path / "disk", "512k") as disk:
        folder = users_files(disk / "d")
        existing = folder if case.folder else folder / case.name
        case.export(str(existing), OLD)
        fill_up(disk)
        before = snapshot(disk)
        new = disk / "new" if case.folder else folder / f"new-{case.name}"
        for destination in (existing, new):
            try:
                case.export(str(destination))
            except OSError as error:
                failure: OSError | None = error
            else:
                failure = None
            if failure is None:  # written after all: whole
                assert_holds(case, destination)
            else:
                assert failure.errno == errno.ENOSPC, repr(failure)
                error_names(failure, destination)
        after = snapshot(disk)
        mine = {f"d/{name}" for name in (CSV_FILES | {MANIFEST} if case.folder else {case.name, MANIFEST})} | {
            f"d/new-{case.name}",
            "new",
            "d",  # the folder written into (or beside): its own time may change
        }
        assert_left_alone({name: entry for name, entry in before.items() if name not in mine}, after)
        if case.folder:  # each file the old one or the new one, never part of one
            olds, news = expected_tables(case, "old"), expected_tables(case, "new")
            assert [n for n in CSV_FILES if (folder / n).read_bytes() not in (olds[n], news[n])] == []
        else:
            assert existing.read_bytes() in (expected(case, "old"), expected(case, "new"))
        assert temporaries(disk) == []
        assert not new.exists() or new.is_dir() == case.folder


def test_a_stream_that_runs_out_of_space_is_an_os_error_and_no_scratch_remains(case, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert os_error(lambda: case.export(FullStream())).errno == errno.ENOSPC
    assert os.listdir(scratch) == []


def test_a_path_under_proc_is_an_error_naming_it(case):
    destination = f"/proc/mastery-model-test-{case.name}"
    error_names(os_error(lambda: case.export(destination)), destination)


# -- A. the same at the command line --------------------------------------------------------------------


def test_cli_writes_csv_into_the_current_folder_as_dot_and_dot_slash(tmp_path):
    here = users_files(tmp_path / "here")
    before = snapshot(here)
    for spelling in (".", "./"):
        result = cli("export", "--to", "csv", "-o", spelling, cwd=here)
        assert result.returncode == 0, result.stderr.decode()
        assert_holds(CSV, here)
        after = snapshot(here)
        assert_left_alone(before, after)
        assert set(after) == set(before) | CSV_FILES | {MANIFEST}
        assert temporaries(here) == []


def test_cli_export_all_into_the_current_folder_keeps_the_users_files(tmp_path):
    here = users_files(tmp_path / "here")
    users_files(here / "csv")
    before = snapshot(here)
    result = cli("export", "--to", "all", "-o", ".", cwd=here)
    assert result.returncode == 0, result.stderr.decode()
    after = snapshot(here)
    assert_left_alone({name: entry for name, entry in before.items() if name != "csv"}, after)  # csv: written into
    parts = {"csv", "ical.ics", "jsonl.jsonl", "jsonld.jsonld", "schemaorg.schema.jsonld"}
    top = {name for name in after if "/" not in name}
    assert top == {name for name in before if "/" not in name} | parts | {MANIFEST}
    assert (here / "jsonld.jsonld").read_bytes() == mastery_model.embedded.sample_bytes()
    assert_holds(CSV, here / "csv")
    assert temporaries(here) == []


def test_cli_dash_is_standard_output_even_for_csv(tmp_path):
    for case in (CASES[0], CSV):
        result = cli("export", "--to", case.format, "-o", "-", cwd=tmp_path)
        assert result.returncode == 0, result.stderr.decode()
        if case.folder:
            assert archived(result.stdout) == expected_tables(CSV)
        assert result.stdout == expected(case)
        assert os.listdir(tmp_path) == []


def test_cli_csv_into_a_fifo_gives_its_reader_the_zip_archive(tmp_path):
    fifo = tmp_path / "tables"
    os.mkfifo(fifo)
    results = []
    received = drained(fifo, lambda: results.append(cli("export", "--to", "csv", "-o", str(fifo))))
    assert results[0].returncode == 0, results[0].stderr.decode()
    assert archived(received) == expected_tables(CSV)
    assert received == expected(CSV)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert os.listdir(tmp_path) == ["tables"]


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--to", "jsonld", "-o", "{}/out.jsonld"],
        ["export", "--to", "csv", "-o", "{}/tables"],
        ["export", "--to", "all", "-o", "{}/all"],
        ["sample", "-o", "{}/sample.jsonld"],
        ["template", "-o", "{}/template"],
    ],
    ids=["export", "export-csv", "export-all", "sample", "template"],
)
def test_cli_a_missing_parent_folder_is_one_line_naming_the_path_for_every_command(argv, tmp_path):
    missing = tmp_path / "missing"
    argv = [word.format(missing) for word in argv]
    result = cli(*argv, cwd=tmp_path)
    refused(result, 1, argv[-1])
    assert os.listdir(tmp_path) == []


def test_cli_a_read_only_folder_is_one_line_naming_the_path(tmp_path):
    def fill(folder: Path) -> None:
        users_files(folder / "d")

    with read_only(tmp_path / "ro", fill) as folder:
        before = snapshot(folder)
        for argv in (["--to", "jsonld", "-o", f"{folder}/d/out.jsonld"], ["--to", "csv", "-o", f"{folder}/d"]):
            refused(cli("export", *argv), 1, argv[-1])
        assert snapshot(folder) == before


def test_cli_a_full_disk_is_one_line_naming_the_path(tmp_path):
    with mounted(tmp_path / "disk", "256k") as disk:
        folder = users_files(disk / "d")
        fill_up(disk)
        before = snapshot(disk)
        for argv in (["--to", "jsonld", "-o", f"{folder}/out.jsonld"], ["--to", "csv", "-o", f"{folder}"]):
            refused(cli("export", *argv), 1, argv[-1])
        assert snapshot(folder) == snapshot(folder) | {n[2:]: e for n, e in before.items() if n.startswith("d/")}
        assert temporaries(disk) == []


def test_cli_a_path_under_proc_is_one_line_naming_it():
    refused(cli("export", "--to", "jsonld", "-o", "/proc/mastery-model-test.jsonld"), 1, "/proc/mastery-model-test")


def test_cli_a_file_where_csv_writes_a_folder_is_refused_and_kept(tmp_path):
    destination = tmp_path / "tables"
    destination.write_bytes(b"the user's file\n")
    before = snapshot(tmp_path)
    refused(cli("export", "--to", "csv", "-o", str(destination)), 1, str(destination))
    assert snapshot(tmp_path) == before


def test_cli_export_all_where_a_file_is_in_the_way_of_the_csv_folder_is_refused_and_kept(tmp_path):
    folder = users_files(tmp_path / "all")
    (folder / "csv").write_bytes(b"the user's file called csv\n")
    before = snapshot(folder)
    refused(cli("export", "--to", "all", "-o", str(folder)), 1, str(folder / "csv"))
    assert_left_alone(before, snapshot(folder))


def test_csv_puts_its_metadata_in_place_after_the_tables_and_the_manifest_last(tmp_path, monkeypatch):
    folder = users_files(tmp_path / "tables")
    mastery_model.export(OLD, "csv", str(folder))
    moved: list[str] = []
    for name in ("replace", "rename"):
        original = getattr(os, name)

        def recording(source: Any, destination: Any, *args: Any, _original: Any = original, **kwargs: Any) -> None:
            if Path(destination).parent == folder:
                moved.append(Path(destination).name)
            _original(source, destination, *args, **kwargs)

        monkeypatch.setattr(os, name, recording)
    mastery_model.export(SAMPLE, "csv", str(folder))
    monkeypatch.undo()
    assert_holds(CSV, folder)
    assert sorted(moved) == sorted(CSV_FILES | {MANIFEST})  # each file by a rename of its own
    assert moved[-2:] == [METADATA, MANIFEST]


# -- 4. an output never overwrites an input ---------------------------------------------------------------


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """``d/x.jsonld``, with a symlink ``d/soft.jsonld`` and a hard link ``d/hard.jsonld`` to it."""
    folder = tmp_path / "d"
    folder.mkdir()
    (tmp_path / "other").mkdir()
    path = folder / "x.jsonld"
    mastery_model.dump(SAMPLE, path)
    os.link(path, folder / "hard.jsonld")
    (folder / "soft.jsonld").symlink_to("x.jsonld")
    return path


@pytest.mark.parametrize(
    ("output", "given"),
    [
        ("x.jsonld", "{source}"),
        ("./x.jsonld", "x.jsonld"),
        ("../d/x.jsonld", "x.jsonld"),
        ("{source}", "../d/./x.jsonld"),
        ("soft.jsonld", "x.jsonld"),
        ("x.jsonld", "soft.jsonld"),
        ("hard.jsonld", "x.jsonld"),
        ("../d", "x.jsonld"),  # csv into the folder of the input: allowed (below)
    ],
)
def test_an_output_that_is_an_input_is_refused_however_it_is_spelt(output, given, source, monkeypatch):
    monkeypatch.chdir(source.parent)
    output, given = output.format(source=source), given.format(source=source)
    before = snapshot(source.parent)
    if output == "../d":
        mastery_model.export(SAMPLE, "csv", output, inputs=[given])
        assert_left_alone(before, snapshot(source.parent))
        return
    for format in ("jsonld", "jsonl"):
        with pytest.raises(UsageError):
            mastery_model.export(SAMPLE, format, output, inputs=[given])
    assert snapshot(source.parent) == before


def test_csv_into_the_folder_it_was_read_from_is_refused(tmp_path):
    folder = tmp_path / "tables"
    mastery_model.export(SAMPLE, "csv", str(folder))
    (tmp_path / "link").symlink_to(folder)
    catalogue = mastery_model.load(folder)
    before = snapshot(tmp_path)
    for output, given in [(folder, folder), (f"{folder}/", folder), (tmp_path / "link", folder), (folder, "link")]:
        with pytest.raises(UsageError):
            mastery_model.export(catalogue, "csv", str(output), inputs=[str(tmp_path / given)])
        assert_input_untouched(before, snapshot(tmp_path), "tables")


def assert_input_untouched(
    before: dict[str, tuple[object, ...]], after: dict[str, tuple[object, ...]], folder: str
) -> None:
    """Nothing in the input ``folder`` changed, nor was anything made in it meanwhile (which its
    time would show: a refusal comes before anything is written)."""
    assert {name: entry for name, entry in after.items() if name != folder} == {
        name: entry for name, entry in before.items() if name != folder
    }
    assert after[folder] == before[folder], "something was written into the input folder (and removed) before refusing"


def test_export_all_over_its_own_input_is_refused_and_nothing_is_written(tmp_path):
    folder = tmp_path / "all"
    export_all(SAMPLE, folder)
    before = snapshot(folder)
    for given in (folder / "jsonld.jsonld", folder / "csv", tmp_path / "all" / "." / "ical.ics"):
        with pytest.raises(UsageError):
            export_all(OLD, folder, inputs=[str(given)])
        assert snapshot(folder) == before


def test_cli_an_output_that_is_the_input_exits_2_however_it_is_spelt(source):
    folder = source.parent
    before = snapshot(folder)
    for input_, output, cwd in [
        ("x.jsonld", "./x.jsonld", folder),
        (str(source), "../d/x.jsonld", folder.parent / "other"),
        ("x.jsonld", "soft.jsonld", folder),
        ("soft.jsonld", "x.jsonld", folder),
        ("x.jsonld", "hard.jsonld", folder),
    ]:
        result = cli("export", input_, "--to", "jsonl", "-o", output, cwd=cwd)
        assert result.returncode == 2, (input_, output, result.stderr.decode())
        one_line(result)
        assert snapshot(folder) == before


def test_cli_csv_into_the_folder_that_holds_the_input_keeps_the_input(tmp_path):
    project = users_files(tmp_path / "proj")
    mastery_model.dump(SAMPLE, project / "e.jsonld")
    before = snapshot(project)
    result = cli("export", "proj/e.jsonld", "--to", "csv", "-o", "proj", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert_left_alone(before, snapshot(project))
    assert_holds(CSV, project)


def test_cli_csv_into_the_csv_folder_it_reads_exits_2(tmp_path):
    project = tmp_path / "proj"
    mastery_model.export(SAMPLE, "csv", str(project))
    before = snapshot(tmp_path)
    result = cli("export", "proj", "--to", "csv", "-o", "proj", cwd=tmp_path)
    assert result.returncode == 2, result.stderr.decode()
    one_line(result)
    assert_input_untouched(before, snapshot(tmp_path), "proj")


def test_cli_export_all_over_its_own_input_exits_2_and_writes_nothing(tmp_path):
    assert cli("export", "--to", "all", "-o", "all", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path)
    result = cli("export", "all/jsonld.jsonld", "--to", "all", "-o", "all", cwd=tmp_path)
    assert result.returncode == 2, result.stderr.decode()
    one_line(result)
    assert result.stdout == b""
    assert snapshot(tmp_path) == before


# -- 5. an empty catalogue ----------------------------------------------------------------------------------


def test_an_empty_catalogue_is_refused_by_every_exporter_and_nothing_is_written(case, tmp_path):
    destination = tmp_path / case.name
    with pytest.raises(MissingData):
        case.export(str(destination), Catalogue())
    assert os.listdir(tmp_path) == []
    stream = io.BytesIO()
    with pytest.raises(MissingData):
        case.export(stream, Catalogue())
    assert stream.getvalue() == b""
    case.export(str(destination), OLD)
    before = snapshot(tmp_path)
    with pytest.raises(MissingData):
        case.export(str(destination), Catalogue())
    assert snapshot(tmp_path) == before


def test_export_all_of_an_empty_catalogue_writes_nothing(tmp_path):
    results = export_all(Catalogue(), tmp_path / "all")
    assert results
    assert [written.format for written in results if written.path is not None] == []
    assert not (tmp_path / "all").exists() or list((tmp_path / "all").rglob("*")) == []


def test_cli_an_empty_catalogue_is_one_line_exit_1_and_all_never_says_wrote(tmp_path):
    # the empty tables of the template: the one input that reads as a catalogue without events
    assert cli("template", "-o", "empty", cwd=tmp_path).returncode == 0
    assert mastery_model.load(tmp_path / "empty").events == ()
    before = snapshot(tmp_path)
    for argv in (["--to", "jsonld", "-o", "out.jsonld"], ["--to", "csv", "-o", "tables"], ["--to", "ical"]):
        result = cli("export", "empty", *argv, cwd=tmp_path)
        assert result.returncode == 1, result.stderr.decode()
        assert "needs data" in one_line(result)
        assert result.stdout == b""
        assert snapshot(tmp_path) == before
    result = cli("export", "empty", "--to", "all", "-o", "all", cwd=tmp_path)
    assert b"wrote" not in result.stdout + result.stderr
    assert not (tmp_path / "all").exists() or list((tmp_path / "all").rglob("*")) == []


# -- 1. what an export removes: only its own earlier, unchanged files ----------------------------------------


@dataclass
class Plan:
    """What the throwaway formats write on the next export: ``alpha`` one file (or, False, nothing:
    MissingData), ``beta`` these files of a folder (none: MissingData)."""

    alpha: bool = True
    beta: list[str] = field(default_factory=lambda: ["a.txt", "b.txt"])


def registry_of(*exporters: Exporter) -> Formats:
    module = types.ModuleType("throwaway")

    @hookimpl
    def mastery_model_exporters() -> list[Exporter]:
        return list(exporters)

    module.mastery_model_exporters = mastery_model_exporters  # type: ignore[attr-defined]
    plugins = load_plugins(only=[], entry_points_group=None)
    plugins.register(module, Provenance("throwaway", "throwaway-package", "1.0"))
    return plugins.formats()


def throwaway(plan: Plan) -> Formats:
    def alpha(catalogue: Catalogue, stream: Any, options: Any) -> None:
        if not plan.alpha:
            raise MissingData("alpha", ["what this test withholds"])
        stream.write(b"alpha\n")

    def beta(catalogue: Catalogue, folder: Path, options: Any) -> None:
        if not plan.beta:
            raise MissingData("beta", ["what this test withholds"])
        for name in plan.beta:
            (folder / name).write_bytes(f"beta {name}\n".encode())

    return registry_of(
        Exporter("alpha", "Alpha", "text/plain", ".txt", write=alpha),
        Exporter("beta", "Beta", "application/zip", ".zip", write_folder=beta),
    )


def test_export_all_removes_a_skipped_formats_earlier_file_while_unchanged(tmp_path):
    plan = Plan()
    registry = throwaway(plan)
    folder = users_files(tmp_path / "all")
    export_all(SAMPLE, folder, registry=registry)
    assert (folder / "alpha.txt").read_bytes() == b"alpha\n"
    before = snapshot(folder)
    plan.alpha = False
    results = {written.format: written for written in export_all(SAMPLE, folder, registry=registry)}
    assert results["alpha"].path is None
    assert not (folder / "alpha.txt").exists()
    assert (folder / "beta" / "a.txt").read_bytes() == b"beta a.txt\n"
    after = snapshot(folder)
    assert_left_alone(
        {name: entry for name, entry in before.items() if not name.startswith(("alpha", "beta", MANIFEST))}, after
    )


def test_export_all_keeps_a_skipped_formats_earlier_file_the_user_changed(tmp_path):
    plan = Plan()
    registry = throwaway(plan)
    folder = tmp_path / "all"
    export_all(SAMPLE, folder, registry=registry)
    (folder / "alpha.txt").write_bytes(b"alpha, edited by the user\n")
    plan.alpha = False
    export_all(SAMPLE, folder, registry=registry)
    assert (folder / "alpha.txt").read_bytes() == b"alpha, edited by the user\n"


def test_export_all_never_removes_a_file_it_did_not_write(tmp_path):
    plan = Plan(alpha=False)
    registry = throwaway(plan)
    folder = users_files(tmp_path / "all")
    (folder / "alpha.txt").write_bytes(b"alpha\n")  # the very bytes the format writes, but the user's
    before = snapshot(folder)
    export_all(SAMPLE, folder, registry=registry)
    assert_left_alone(before, snapshot(folder))


def test_export_all_without_its_manifest_removes_nothing(tmp_path):
    plan = Plan()
    registry = throwaway(plan)
    folder = tmp_path / "all"
    export_all(SAMPLE, folder, registry=registry)
    (folder / MANIFEST).unlink()
    plan.alpha = False
    export_all(SAMPLE, folder, registry=registry)
    assert (folder / "alpha.txt").read_bytes() == b"alpha\n"


def test_export_all_removes_a_skipped_folder_formats_files_but_not_the_users(tmp_path):
    plan = Plan()
    registry = throwaway(plan)
    folder = tmp_path / "all"
    export_all(SAMPLE, folder, registry=registry)
    (folder / "beta" / "user.txt").write_bytes(b"the user's\n")
    (folder / "beta" / "b.txt").write_bytes(b"beta b.txt, edited\n")
    plan.beta = []
    results = {written.format: written for written in export_all(SAMPLE, folder, registry=registry)}
    assert results["beta"].path is None
    assert not (folder / "beta" / "a.txt").exists()
    assert (folder / "beta" / "b.txt").read_bytes() == b"beta b.txt, edited\n"
    assert (folder / "beta" / "user.txt").read_bytes() == b"the user's\n"


def test_a_folder_format_writing_fewer_files_removes_its_earlier_unchanged_ones(tmp_path):
    plan = Plan()
    registry = throwaway(plan)
    folder = users_files(tmp_path / "out")
    before = snapshot(folder)
    mastery_model.export(SAMPLE, "beta", str(folder), registry=registry)
    plan.beta = ["a.txt"]
    mastery_model.export(SAMPLE, "beta", str(folder), registry=registry)
    assert (folder / "a.txt").read_bytes() == b"beta a.txt\n"
    assert not (folder / "b.txt").exists()
    after = snapshot(folder)
    assert_left_alone(before, after)
    assert set(after) == set(before) | {"a.txt", MANIFEST}
    # and one the user changed stays
    plan.beta = ["a.txt", "b.txt"]
    mastery_model.export(SAMPLE, "beta", str(folder), registry=registry)
    (folder / "b.txt").write_bytes(b"edited\n")
    plan.beta = ["a.txt"]
    mastery_model.export(SAMPLE, "beta", str(folder), registry=registry)
    assert (folder / "b.txt").read_bytes() == b"edited\n"


def test_export_all_refuses_to_remove_an_input(tmp_path):
    plan = Plan()
    registry = throwaway(plan)
    folder = tmp_path / "all"
    export_all(SAMPLE, folder, registry=registry)
    plan.alpha = False  # the next export would remove alpha.txt: but it is what was read
    before = snapshot(folder)
    with pytest.raises(UsageError):
        export_all(SAMPLE, folder, registry=registry, inputs=[str(folder / "alpha.txt")])
    assert snapshot(folder) == before


def test_cli_export_all_removes_the_earlier_file_of_a_format_it_now_skips(tmp_path):
    if not HAS_FRAB:
        unavailable("the frab plugin (plugins/mastery-model-frab) is not installed")
    mastery_model.dump(OLD, tmp_path / "timed.jsonld")
    for edited in (False, True):
        folder = tmp_path / f"all-{edited}"
        result = cli("export", "timed.jsonld", "--to", "all", "-o", folder.name, cwd=tmp_path, frab=True)
        assert result.returncode == 0, result.stderr.decode()
        assert (folder / "frab.xml").is_file()
        if edited:
            (folder / "frab.xml").write_bytes(b"<schedule>the user's own</schedule>\n")
        result = cli("export", "--to", "all", "-o", folder.name, cwd=tmp_path, frab=True)  # the sample: no times
        assert result.returncode == 0, result.stderr.decode()
        assert "skipped frab" in result.stdout.decode()
        assert (folder / "frab.xml").exists() == edited
        assert (folder / "jsonld.jsonld").read_bytes() == mastery_model.embedded.sample_bytes()


# -- 2. a normal failure leaves nothing behind ----------------------------------------------------------------


def test_an_exporter_failing_halfway_leaves_the_earlier_output_and_no_temporary(tmp_path):
    fail = {"now": False}

    def half(catalogue: Catalogue, stream: Any, options: Any) -> None:
        stream.write(b"the first half")
        if fail["now"]:
            raise RuntimeError("the exporter broke")
        stream.write(b" and the second\n")

    def halves(catalogue: Catalogue, folder: Path, options: Any) -> None:
        (folder / "one.txt").write_bytes(b"one\n")
        if fail["now"]:
            raise RuntimeError("the exporter broke")
        (folder / "two.txt").write_bytes(b"two\n")

    registry = registry_of(
        Exporter("half", "Half", "text/plain", ".txt", write=half),
        Exporter("halves", "Halves", "application/zip", ".zip", write_folder=halves),
    )
    folder = users_files(tmp_path / "d")
    mastery_model.export(SAMPLE, "half", str(folder / "out.txt"), registry=registry)
    mastery_model.export(SAMPLE, "halves", str(folder), registry=registry)
    before = snapshot(folder)
    fail["now"] = True
    with pytest.raises(PluginError):
        mastery_model.export(SAMPLE, "half", str(folder / "out.txt"), registry=registry)
    with pytest.raises(PluginError):
        mastery_model.export(SAMPLE, "halves", str(folder), registry=registry)
    with pytest.raises(PluginError):
        mastery_model.export(SAMPLE, "halves", str(tmp_path / "new"), registry=registry)
    assert snapshot(folder) == before
    assert temporaries(tmp_path) == []
    assert sorted(os.listdir(tmp_path)) == ["d"]
