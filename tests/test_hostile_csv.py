"""Hostile tables: damaged archives, zip bombs, oversized files, links and FIFOs among the tables,
and hostile cells. Each gives a catalogue or a report, never another exception, a hang, or a
leak of what lies outside the folder."""

from __future__ import annotations

import csv
import io
import os
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import fuzz_budget, written_everywhere

import mastery_model
from mastery_model import Catalogue, InvalidDocument, MissingData
from mastery_model.builtin.csv import reading as csv_importer
from mastery_model.builtin.csv import writing as csv_exporter
from mastery_model.builtin.csv.tables import METADATA
from mastery_model.importing import read
from mastery_model.model import Text

SAMPLE = mastery_model.sample()
SECRET = "hunter2-do-not-print"


def _archive() -> bytes:
    stream = io.BytesIO()
    mastery_model.export(SAMPLE, "csv", stream)
    return stream.getvalue()


ARCHIVE = _archive()


def _folder(path: Path) -> Path:
    mastery_model.export(SAMPLE, "csv", path)
    return path


def _problems(target: Path | bytes) -> str:
    """The report on a folder, a file or bytes, as the command line shows it and as JSON."""
    if isinstance(target, bytes):
        report = mastery_model.validate(target, format="csv")
    else:
        report = mastery_model.validate(target)
    assert not report.ok
    return str(report) + repr([problem.as_dict() for problem in report])


def _rezipped(data: bytes, change: dict[str, bytes | None], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The archive with members replaced (or removed, for None)."""
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(stream, "w", method) as target:
        for name in source.namelist():
            content = change.get(name, source.read(name))
            if content is not None:
                target.writestr(name, content)
    return stream.getvalue()


# -- damaged archives ----------------------------------------------------------------------------


def _moved_directory(data: bytes, by: int) -> bytes:
    """The archive with its end record claiming the central directory starts ``by`` bytes later:
    zipfile takes the difference for data prepended to the archive, and seeks before its start."""
    changed = bytearray(data)
    at = changed.rfind(b"PK\x05\x06")
    offset = int.from_bytes(changed[at + 16 : at + 20], "little")
    changed[at + 16 : at + 20] = (offset + by).to_bytes(4, "little")
    return bytes(changed)


def test_an_archive_with_a_negative_offset_is_a_problem_naming_its_member():
    data = _moved_directory(ARCHIVE, 100_000)
    name = zipfile.ZipFile(io.BytesIO(ARCHIVE)).infolist()[0].filename
    with pytest.raises(InvalidDocument) as raised:
        read(data, format="csv", source="tables.zip")
    (problem,) = raised.value.report.problems
    assert problem.source == f"tables.zip/{name}"
    assert "cannot be unzipped" in problem.message


@pytest.mark.parametrize("keep", [22, 100, len(ARCHIVE) // 2, len(ARCHIVE) - 30])
def test_a_truncated_archive_is_a_problem(keep):
    with pytest.raises(InvalidDocument):
        read(ARCHIVE[:keep], format="csv")


def _without_a_name(data: bytes, name: str) -> bytes:
    """The archive with its member of the one-character ``name`` left without a name, which zipfile
    cannot write: the character becomes the start of the headers' extra field, so nothing moves."""
    changed = bytearray(data)
    for signature, lengths, named in ((b"PK\x03\x04", 26, 30), (b"PK\x01\x02", 28, 46)):
        at = changed.index(signature)
        while changed[at + named : at + named + 1] != name.encode():
            at = changed.index(signature, at + 1)
        extra = int.from_bytes(changed[at + lengths + 2 : at + lengths + 4], "little")
        changed[at + lengths : at + lengths + 4] = bytes(2) + (extra + 1).to_bytes(2, "little")
    return bytes(changed)


def test_a_member_without_a_name_is_no_table():
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(ARCHIVE)) as source, zipfile.ZipFile(stream, "w") as target:
        for entry in source.infolist():
            target.writestr("k" if entry.filename == "keywords.csv" else entry.filename, source.read(entry))
    unnamed = _without_a_name(stream.getvalue(), "k")
    assert "" in zipfile.ZipFile(io.BytesIO(unnamed)).namelist()  # on which zipfile's own is_dir() fails
    catalogue = read(unnamed, format="csv")
    assert catalogue.events[0].keywords == ()
    assert catalogue.events[0].name == SAMPLE.events[0].name


def test_a_member_of_an_unknown_compression_is_refused_unread():
    data = _rezipped(ARCHIVE, {}, zipfile.ZIP_BZIP2)
    with pytest.raises(InvalidDocument) as raised:
        read(data, format="csv")
    (problem,) = raised.value.report.problems
    assert "is compressed with method 12" in problem.message
    assert problem.source.endswith(".csv") or problem.source == METADATA


def test_a_corrupt_bzip2_stream_is_a_problem(monkeypatch):
    # a compression method flipped to bzip2 in the central directory: the stream is not bzip2
    monkeypatch.setattr(csv_importer, "_METHODS", {**csv_importer._METHODS, zipfile.ZIP_BZIP2: "bzip2"})
    data = bytearray(ARCHIVE)
    at = data.find(b"PK\x01\x02")
    data[at + 10 : at + 12] = zipfile.ZIP_BZIP2.to_bytes(2, "little")
    at = data.find(b"PK\x03\x04")
    data[at + 8 : at + 10] = zipfile.ZIP_BZIP2.to_bytes(2, "little")
    with pytest.raises(InvalidDocument) as raised:
        read(bytes(data), format="csv")
    assert "cannot be unzipped" in str(raised.value.report)


# -- bounded memory ------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unzipped(monkeypatch):
    monkeypatch.setattr(csv_importer, "RATIO_FLOOR", 1000)
    bomb = _rezipped(ARCHIVE, {"topics.csv": b"subject,about\r\n" + b"_:a,b\r\n" * 20_000})
    entry = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("topics.csv")
    assert entry.file_size > csv_importer.MAX_RATIO * entry.compress_size
    unzipped: list[int] = []
    original = csv_importer._bounded
    monkeypatch.setattr(csv_importer, "_bounded", lambda *args: unzipped.append(1) or original(*args))
    with pytest.raises(InvalidDocument) as raised:
        read(bomb, format="csv", source="bomb.zip")
    (problem,) = raised.value.report.problems
    assert problem.source == "bomb.zip/topics.csv"
    assert f"more than {csv_importer.MAX_RATIO} times its zipped size" in problem.message
    assert unzipped == []


def _endless(calls: list[int]) -> Callable[[int], bytes]:
    """A member that unzips for ever, whatever it claimed."""

    def read(size: int) -> bytes:
        calls.append(size)
        return b"x" * size

    return read


@pytest.mark.parametrize(
    ("limit", "zipped", "message"),
    [
        ("MAX_TABLE_BYTES", None, "bytes a table may have"),
        ("MAX_TOTAL_BYTES", None, "the tables may have together"),
        ("RATIO_FLOOR", 1, "times its zipped size"),
    ],
)
def test_unzipping_stops_at_a_limit_whatever_the_member_claimed(monkeypatch, limit, zipped, message):
    monkeypatch.setattr(csv_importer, "_CHUNK", 100)
    monkeypatch.setattr(csv_importer, limit, 1000)
    calls: list[int] = []
    room = csv_importer.MAX_TOTAL_BYTES
    with pytest.raises(csv_importer._Refused, match=message):
        csv_importer._bounded(_endless(calls), room, zipped)
    assert len(calls) == 11  # a chunk past the limit, and no more


def test_the_tables_of_an_archive_are_limited_in_total(monkeypatch):
    monkeypatch.setattr(csv_importer, "MAX_TOTAL_BYTES", len(ARCHIVE) // 4)
    with pytest.raises(InvalidDocument) as raised:
        read(ARCHIVE, format="csv")
    (problem,) = raised.value.report.problems
    assert f"more than the {len(ARCHIVE) // 4} allowed" in problem.message


def test_a_sparse_table_in_a_folder_is_refused_unread(tmp_path, monkeypatch):
    folder = _folder(tmp_path / "tables")
    with (folder / "events.csv").open("r+b") as file:
        file.truncate(4 << 30)  # sparse: it takes no disk
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: pytest.fail(f"read {path}") or read_bytes(path))
    bounded = csv_importer._bounded
    monkeypatch.setattr(
        csv_importer, "_bounded", lambda read, *args: bounded(read, *args) if len(args) == 1 else pytest.fail("zip")
    )
    report = _problems(folder)
    assert f"more than the {csv_importer.MAX_TABLE_BYTES} a table may have" in report
    assert "events.csv" in report


def test_the_tables_of_a_folder_are_limited_in_total(tmp_path, monkeypatch):
    folder = _folder(tmp_path / "tables")
    monkeypatch.setattr(csv_importer, "MAX_TOTAL_BYTES", 10_000)
    assert "more than the 10000 allowed" in _problems(folder)


def test_a_folder_of_more_tables_than_the_limit_is_refused_listing_no_more(tmp_path, monkeypatch):
    folder = _folder(tmp_path / "tables")
    for number in range(5):
        (folder / f"extra-{number}.csv").write_bytes(b"")
        (folder / f"notes-{number}.txt").write_bytes(b"")
    tables = len([path for path in folder.iterdir() if path.suffix == ".csv" or path.name == METADATA])
    monkeypatch.setattr(csv_importer, "MAX_TABLE_FILES", tables)
    assert "extra-4.csv" in _problems(folder)  # at the limit: read, and the extra tables named
    monkeypatch.setattr(csv_importer, "MAX_TABLE_FILES", tables - 1)
    report = mastery_model.validate(folder)
    assert [problem.message for problem in report] == [
        f"holds more than {tables - 1:,} files named *.csv: it is not read"
    ]


def _with_directory_claiming(data: bytes, size: int, zip64: bool = False) -> bytes:
    """The archive, its end-of-directory record claiming a directory of ``size`` bytes."""
    end = data.rindex(b"PK\x05\x06")
    if not zip64:
        return data[: end + 12] + size.to_bytes(4, "little") + data[end + 16 :]
    directory = int.from_bytes(data[end + 16 : end + 20], "little")
    record = (
        b"PK\x06\x06"
        + (44).to_bytes(8, "little")
        + bytes(4)  # the versions
        + bytes(8)  # the disks
        + (1).to_bytes(8, "little") * 2
        + size.to_bytes(8, "little")
        + directory.to_bytes(8, "little")
    )
    locator = b"PK\x06\x07" + bytes(4) + end.to_bytes(8, "little") + (1).to_bytes(4, "little")
    tail = data[end : end + 12] + b"\xff\xff\xff\xff" + data[end + 16 :]
    return data[:end] + record + locator + tail


@pytest.mark.parametrize("zip64", [False, True])
def test_an_archive_whose_directory_is_larger_than_the_limit_is_refused_unlisted(monkeypatch, zip64):
    size = csv_importer.MAX_DIRECTORY_BYTES + 1
    claimed = _with_directory_claiming(ARCHIVE, size, zip64)
    monkeypatch.setattr(zipfile, "ZipFile", lambda *args, **kwargs: pytest.fail("listed"))
    assert f"has a directory of {size:,} bytes, more than the" in _problems(claimed)


def _commented(comment: bytes) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.comment = comment
        archive.writestr("events.csv", "id")
    return stream.getvalue()


def test_the_directory_size_read_is_the_one_zipfile_reads():
    archives = [ARCHIVE, _rezipped(ARCHIVE, {}), _with_directory_claiming(ARCHIVE, 1234, zip64=True), b"", b"PK"]
    archives += [_commented(b"PK\x05\x06" + b"x" * length) for length in (0, 10, 18, 30)]
    for data in archives:
        found = zipfile._EndRecData(io.BytesIO(data))
        assert csv_importer._directory_bytes(data) == (None if found is None else found[zipfile._ECD_SIZE])


def test_a_table_with_too_many_rows_or_cells_is_refused(tmp_path, monkeypatch):
    folder = _folder(tmp_path / "tables")
    monkeypatch.setattr(csv_importer, "MAX_CELLS", 100)
    report = mastery_model.validate(folder)
    assert any("more than" in problem.message and "100 cells" in problem.message for problem in report)
    monkeypatch.setattr(csv_importer, "MAX_CELLS", 10**9)
    monkeypatch.setattr(csv_importer, "MAX_ROWS", 2)
    report = mastery_model.validate(folder)
    assert any(problem.message.startswith("has more than 2 rows") for problem in report)


# -- leaks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["people.csv", "events.csv", METADATA])
def test_a_link_among_the_tables_is_refused_and_never_read(tmp_path, table):
    folder = _folder(tmp_path / "tables")
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{SECRET},{SECRET}\r\n{SECRET}\r\n")
    (folder / table).unlink()
    (folder / table).symlink_to(secret)
    report = _problems(folder)
    assert SECRET not in report
    assert f"{table}: is a symbolic link" in report


def test_a_link_to_the_environment_does_not_print_it(tmp_path):
    environ = Path("/proc/self/environ")
    if not environ.exists():
        pytest.skip("no /proc/self/environ here")
    longest = max(environ.read_bytes().decode("utf-8", "replace").split("\x00"), key=len)
    assert len(longest) > 10
    folder = _folder(tmp_path / "tables")
    (folder / "people.csv").unlink()
    (folder / "people.csv").symlink_to(environ)
    report = _problems(folder)
    assert longest not in report
    assert longest[:20] not in report


def test_a_fifo_among_the_tables_is_refused_without_hanging(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    folder = _folder(tmp_path / "tables")
    (folder / "people.csv").unlink()
    os.mkfifo(folder / "people.csv")
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(_problems(folder)), daemon=True)
    reader.start()
    reader.join(30)
    if reader.is_alive():  # unblock the reader (a writer opening the FIFO), then fail
        with open(folder / "people.csv", "wb"):
            pass
        pytest.fail("reading a folder with a FIFO among its tables hung")
    assert "people.csv: is not a regular file" in found[0]


def test_a_folder_named_as_a_table_is_a_problem(tmp_path):
    folder = _folder(tmp_path / "tables")
    (folder / "people.csv").unlink()
    (folder / "people.csv").mkdir()
    assert "people.csv: is not a regular file" in _problems(folder)


def test_a_long_header_is_quoted_short(tmp_path):
    folder = _folder(tmp_path / "tables")
    header = SECRET + "x" * 10_000
    (folder / "people.csv").write_text(f"id,name,{header}\r\n_:p,Ana,{SECRET}{'y' * 10_000}\r\n")
    report = mastery_model.validate(folder)
    assert not report.ok
    for problem in report:
        assert len(problem.column or "") <= csv_importer.EXCERPT
        assert len(str(problem)) < 500
        assert not isinstance(problem.value, str) or len(problem.value) <= csv_importer.EXCERPT + 1


def test_a_long_cell_is_quoted_short(tmp_path):
    folder = _folder(tmp_path / "tables")
    with (folder / "events.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    rows[1][rows[0].index("attendance")] = "9" * 100_000 + "x"
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    report = mastery_model.validate(folder)
    (problem,) = [problem for problem in report if problem.column == "attendance"]
    assert len(problem.value) == csv_importer.EXCERPT + 1
    assert len(str(problem)) < 300


# -- mutations of real exports -------------------------------------------------------------------

HOSTILE = [
    b"",
    b'"',
    b'"a""',
    b"\x00",
    b"\r",
    b"\n\n",
    b"=cmd|'/C calc'!A0",
    "\u202e\x1b[2J".encode(),
    b"'" * 50,
    b"_:a _:a",
    b"x" * 5000,
    b"9" * 400,
    b"\xed\xa0\x80",  # a surrogate, which UTF-8 cannot hold
    b"\xff\xfe",
    b"2024-02-30T25:61:00+99:00",
    b"../../etc/passwd",
    b"a;b;c",
]


def _archive_mutation(data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["flip", "directory", "truncate", "rename", "cell"]))
    if kind == "directory":
        return _moved_directory(ARCHIVE, data.draw(st.integers(-100, 10_000)))
    if kind == "flip":
        mutated = bytearray(ARCHIVE)
        for at in data.draw(st.lists(st.integers(0, len(ARCHIVE) - 1), min_size=1, max_size=6)):
            mutated[at] = data.draw(st.integers(0, 255))
        return bytes(mutated)
    if kind == "truncate":
        return ARCHIVE[: data.draw(st.integers(0, len(ARCHIVE) - 1))]
    names = zipfile.ZipFile(io.BytesIO(ARCHIVE)).namelist()
    name = data.draw(st.sampled_from(names))
    if kind == "rename":
        stream = io.BytesIO()
        new_name = data.draw(st.sampled_from([*names, "x.csv", "a/" + name, name.upper(), "../" + name, ""]))
        with zipfile.ZipFile(io.BytesIO(ARCHIVE)) as source, zipfile.ZipFile(stream, "w") as target:
            for old in names:
                target.writestr(new_name if old == name and new_name else old, source.read(old))
        return stream.getvalue()
    return _rezipped(ARCHIVE, {name: _hostile_table(data, zipfile.ZipFile(io.BytesIO(ARCHIVE)).read(name))})


def _hostile_table(data: st.DataObject, table: bytes) -> bytes:
    rows = table.split(b"\r\n")
    row = data.draw(st.integers(0, max(0, len(rows) - 1)))
    cells = rows[row].split(b",")
    cell = data.draw(st.integers(0, max(0, len(cells) - 1)))
    cells[cell] = data.draw(st.sampled_from(HOSTILE))
    rows[row] = b",".join(cells)
    return b"\r\n".join(rows)


def _outcome(load: Callable[[], Catalogue]) -> None:
    try:
        result = load()
    except InvalidDocument as error:
        report = error.report
    else:
        assert isinstance(result, Catalogue)
        written_everywhere(result)
        return
    assert report.problems
    assert str(report)


@pytest.mark.filterwarnings("ignore:Duplicate name")
@settings(max_examples=fuzz_budget(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_mutated_archive_gives_a_catalogue_or_a_report(data):
    mutated = _archive_mutation(data)
    _outcome(lambda: read(mutated, format="csv"))


@settings(
    max_examples=fuzz_budget(30),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_any_mutated_folder_gives_a_catalogue_or_a_report(tmp_path_factory, data):
    folder = _folder(tmp_path_factory.mktemp("tables"))
    names = sorted(path.name for path in folder.iterdir())
    name = data.draw(st.sampled_from(names))
    path = folder / name
    kind = data.draw(st.sampled_from(["flip", "truncate", "rename", "cell"]))
    content = path.read_bytes()
    if kind == "flip" and content:
        mutated = bytearray(content)
        for at in data.draw(st.lists(st.integers(0, len(content) - 1), min_size=1, max_size=6)):
            mutated[at] = data.draw(st.integers(0, 255))
        path.write_bytes(bytes(mutated))
    elif kind == "truncate":
        path.write_bytes(content[: data.draw(st.integers(0, len(content)))])
    elif kind == "rename":
        path.rename(folder / data.draw(st.sampled_from([*names, "x.csv", name.upper(), name + ".bak"])))
    else:
        path.write_bytes(_hostile_table(data, content))
    _outcome(lambda: mastery_model.load(folder))


# -- what the tables can carry ---------------------------------------------------------------------


def _sessions_named_in(languages: list[str]) -> Catalogue:
    event = SAMPLE.events[0]
    first = event.sessions[0]
    sessions = tuple(
        attrs.evolve(
            first,
            id=f"urn:uuid:00000000-0000-4000-8000-{number:012d}",
            name=Text({tag: tag}),
            position=number,
            documents=(),
            recommendations=(),
            sessions=(),
        )
        for number, tag in enumerate(languages, start=1)
    )
    return attrs.evolve(SAMPLE, events=(attrs.evolve(event, sessions=sessions),))


def test_a_text_column_of_more_languages_than_the_limit_is_refused_not_squared(monkeypatch):
    monkeypatch.setattr(csv_exporter, "MAX_LANGUAGES", 3)
    assert mastery_model.export(_sessions_named_in(["en", "es", "fr"]), "csv", io.BytesIO()) is None
    too_many = _sessions_named_in(["en", "es", "fr", "de"])
    stream = io.BytesIO()
    with pytest.raises(MissingData) as raised:
        mastery_model.export(too_many, "csv", stream)
    assert str(raised.value) == (
        "csv cannot carry 4 languages in the 'name' of sessions (each language is a column: at most 3);"
        " the option language=TAG writes one, or export to jsonld"
    )
    assert stream.getvalue() == b""
    assert mastery_model.export(too_many, "csv", io.BytesIO(), language="en") is None
