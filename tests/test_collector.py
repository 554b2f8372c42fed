"""The cyclic garbage collector is paused while a document is read or written, and left as it was."""

from __future__ import annotations

import gc
import io

import pytest

import mastery_model
from mastery_model.reading import collection_paused


@pytest.fixture
def collector_restored():
    was_enabled = gc.isenabled()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_inside_and_as_it_was_after(enabled: bool, collector_restored) -> None:
    gc.enable() if enabled else gc.disable()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():  # nested: the outer one still restores
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled() is enabled


def test_an_error_inside_still_restores_the_collector(collector_restored) -> None:
    gc.enable()
    with pytest.raises(mastery_model.InvalidDocument):
        mastery_model.loads(b"{")
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collection_paused():
        _ = 1 / 0
    assert gc.isenabled()


def test_reading_and_writing_leave_the_collector_on(collector_restored) -> None:
    gc.enable()
    catalogue = mastery_model.loads(mastery_model.dumps(mastery_model.sample()))
    mastery_model.export(catalogue, "jsonld", io.BytesIO())
    assert gc.isenabled()
