"""Outputs are written whole or not at all, with the usual permissions."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from pathlib import Path

import orjson
import pytest

import mastery_model
from mastery_model import files
from mastery_model.builtin.jsonld import lines as json_lines
from mastery_model.exporting import export_parts
from mastery_model.files import write_atomically


def test_a_new_file_gets_the_usual_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        write_atomically(tmp_path / "out.jsonld", [b"{}"])
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "out.jsonld").stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "out.jsonld"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomically(target, [b"new"])
    assert (target.read_bytes(), stat.S_IMODE(target.stat().st_mode)) == (b"new", 0o640)


def test_a_failure_while_writing_leaves_the_old_file_and_nothing_else(tmp_path):
    target = tmp_path / "out.jsonld"
    target.write_bytes(b"old")

    def chunks():
        yield b"half of it"
        raise RuntimeError("the data ran out")

    with pytest.raises(RuntimeError):
        write_atomically(target, chunks())
    assert target.read_bytes() == b"old"
    assert [path.name for path in tmp_path.iterdir()] == ["out.jsonld"]


# -- the umask, temporary files, manifests ---------------------------------------------------------


def test_writing_never_sets_the_umask_so_other_threads_keep_theirs(tmp_path, monkeypatch):
    def forbidden(mask):
        raise AssertionError("os.umask sets the mask for every thread while it reads it")

    monkeypatch.setattr(os, "umask", forbidden)
    threads = [
        threading.Thread(target=write_atomically, args=(tmp_path / f"{number}.txt", [b"x"])) for number in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    modes = {stat.S_IMODE((tmp_path / f"{number}.txt").stat().st_mode) for number in range(8)}
    assert modes == {0o666 & ~_current_umask()}


def _current_umask() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("Umask:"):
            return int(line.split()[1], 8)
    raise AssertionError("no Umask line in /proc/self/status")


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_the_temporary_files_a_killed_write_left_are_removed_by_the_next_one(tmp_path):
    target = tmp_path / "cal.ics"
    killed = tmp_path / f".cal.ics.{_dead_pid()}.0badf00d.part"
    running = tmp_path / f".cal.ics.{os.getppid()}.0badf00d.part"  # a writer still at work
    users = [tmp_path / ".cal.ics.draft.part", tmp_path / f".other.ics.{_dead_pid()}.0badf00d.part"]
    for path in (killed, running, *users):
        path.write_bytes(b"half")
    write_atomically(target, [b"whole"])
    assert target.read_bytes() == b"whole"
    assert not killed.exists()
    assert running.exists()
    assert all(path.read_bytes() == b"half" for path in users)


def test_a_scratch_folder_a_killed_export_left_is_removed_by_the_next_export(tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    scratch = folder / f".mastery-model.{_dead_pid()}.0badf00d.part"
    scratch.mkdir()
    (scratch / "events.csv").write_bytes(b"half")
    mastery_model.export(mastery_model.sample(), "csv", folder)
    assert not scratch.exists()
    assert not list(folder.glob("*.part"))


def test_a_failed_folder_write_changes_nothing_and_leaves_nothing(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"old")
    with pytest.raises(RuntimeError):
        _fill(folder, {"a.txt": b"new"}, fail=True)
    assert [path.name for path in folder.iterdir()] == ["a.txt"]
    assert (folder / "a.txt").read_bytes() == b"old"
    with pytest.raises(RuntimeError):
        _fill(tmp_path / "new", {}, fail=True)
    assert not (tmp_path / "new").exists()  # made for the output, and nothing was written


def _fill(folder: Path, contents: dict[str, bytes], fail: bool = False) -> None:
    with files.output_folder(folder, job="test") as scratch:
        for name, data in contents.items():
            (scratch / name).write_bytes(data)
        if fail:
            raise RuntimeError("the exporter failed")


def test_a_folder_in_the_way_of_one_file_stops_the_write_before_any_file_moves(tmp_path):
    folder = tmp_path / "out"
    (folder / "b.txt").mkdir(parents=True)
    with pytest.raises(IsADirectoryError) as raised:
        _fill(folder, {"a.txt": b"new", "b.txt": b"new"})
    assert raised.value.filename == os.path.join(str(folder), "b.txt")
    assert sorted(path.name for path in folder.iterdir()) == ["b.txt"]


def test_files_an_earlier_write_listed_are_removed_only_while_unchanged(tmp_path):
    folder = tmp_path / "out"
    _fill(folder, {name: name.encode() for name in ("kept.txt", "stale.txt", "edited.txt")})
    (folder / "edited.txt").write_bytes(b"the user's edit")
    (folder / "mine.txt").write_bytes(b"the user's own file")
    _fill(folder, {"kept.txt": b"again"})
    assert sorted(path.name for path in folder.iterdir()) == [files.MANIFEST, "edited.txt", "kept.txt", "mine.txt"]
    assert (folder / "edited.txt").read_bytes() == b"the user's edit"
    assert list(files.written(folder, "test")) == ["kept.txt"]  # the edited file is the user's now


def test_a_manifest_cannot_make_the_library_remove_files_outside_its_folder(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    folder = tmp_path / "out"
    (folder / "inside").mkdir(parents=True)
    (folder / "inside" / "link").symlink_to(tmp_path)
    listed = {name: files.digest(victim) for name in ("../victim.txt", str(victim), "inside/link/victim.txt")}
    (folder / files.MANIFEST).write_bytes(orjson.dumps({"written": {"test": listed}}))
    _fill(folder, {"new.txt": b"new"})
    assert victim.read_bytes() == b"precious"


def test_a_damaged_manifest_proves_nothing_and_removes_nothing(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "old.txt").write_bytes(b"old")
    (folder / files.MANIFEST).write_bytes(b"{not json")
    _fill(folder, {"new.txt": b"new"})
    assert (folder / "old.txt").read_bytes() == b"old"


# -- reading JSON Lines once -------------------------------------------------------------------------


def _lines(path: Path, catalogue) -> None:
    path.write_bytes(mastery_model.dumps(catalogue, lines=True))


def test_json_lines_are_read_through_one_handle_so_a_file_replaced_between_passes_is_not_seen(tmp_path):
    path = tmp_path / "events.jsonl"
    _lines(path, mastery_model.sample())
    with json_lines.line_parts(path) as parts:
        first = list(parts())
        replacement = tmp_path / "other.jsonl"
        replacement.write_bytes(b"{}\n")
        os.replace(replacement, path)
        assert list(parts()) == first


def test_json_lines_changed_in_place_between_passes_are_refused(tmp_path):
    path = tmp_path / "events.jsonl"
    _lines(path, mastery_model.sample())
    with json_lines.line_parts(path) as parts:
        list(parts())
        with path.open("ab") as more:
            more.write(b"\n")
        with pytest.raises(mastery_model.InvalidDocument, match="changed while it was being read"):
            list(parts())


def test_a_streamed_export_whose_input_changes_writes_nothing(tmp_path):
    path = tmp_path / "events.jsonl"
    _lines(path, mastery_model.sample())
    output = tmp_path / "cal.ics"

    with json_lines.line_parts(path) as parts:

        def passes():
            yield from parts()
            with path.open("ab") as more:
                more.write(b"\n")

        with pytest.raises(mastery_model.InvalidDocument):
            export_parts(passes, "ical", output)
    assert list(tmp_path.iterdir()) == [path]


# -- warnings ------------------------------------------------------------------------------------------


def test_an_export_warning_points_at_the_callers_line(tmp_path):
    with pytest.warns(mastery_model.ExportWarning) as caught:
        mastery_model.export(mastery_model.sample(), "schemaorg", tmp_path / "markup.jsonld")
    assert {warning.filename for warning in caught} == {__file__}
