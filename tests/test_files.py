"""Outputs are written whole or not at all, with the usual permissions."""

from __future__ import annotations

import os
import stat

import pytest

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
