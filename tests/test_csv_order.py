"""Tables sorted in a spreadsheet: rows whose order contradicts their position column are read in
the order of position, and the reader says so, with the table, how many rows and which."""

from __future__ import annotations

import csv
import io
import random
import re
import warnings
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import catalogues

import mastery_model
from mastery_model import Catalogue, Event, ExportWarning, ReadWarning, Session, Text
from mastery_model.model import Recommendation


def _numbered_sessions(sessions: tuple[Session, ...]) -> tuple[Session, ...]:
    return tuple(
        attrs.evolve(
            session,
            position=10 * index + 1,
            sessions=_numbered_sessions(session.sessions),
            recommendations=tuple(
                attrs.evolve(item, position=index + 1) for index, item in enumerate(session.recommendations)
            ),
        )
        for index, session in enumerate(sessions)
    )


def numbered(catalogue: Catalogue) -> Catalogue:
    """Every session and recommendation with a position, in the order of its list: then the rows'
    order says nothing the positions do not."""
    return attrs.evolve(
        catalogue,
        events=tuple(attrs.evolve(event, sessions=_numbered_sessions(event.sessions)) for event in catalogue.events),
    )


def _table(path: Path) -> tuple[str, list[dict[str, str]], list[str]]:
    with path.open(encoding="utf-8", newline="") as table:  # line breaks in cells as they are
        text = table.read()
    header, _newline, _rest = text.partition("\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return header, rows, next(csv.reader([header]))


def _write(path: Path, titles: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, titles, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    with path.open("w", encoding="utf-8", newline="") as table:
        table.write(out.getvalue())


def _moved(rows: list[dict[str, str]], parent: str) -> tuple[int, list[int]]:
    """How many rows are elsewhere than their position puts them among the rows of their list, and
    which (numbered as a spreadsheet numbers them), reckoned from the cells alone."""
    lists: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        lists.setdefault(row.get(parent) or row.get("event", ""), []).append(index)
    moved = []
    for places in lists.values():
        wanted = sorted(places, key=lambda index: int(rows[index]["position"]))
        moved += [index + 2 for place, index in zip(places, wanted, strict=True) if place != index]
    return len(moved), sorted(moved)


def _loaded(folder: Path) -> tuple[Catalogue, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        catalogue = mastery_model.load(folder)
    return catalogue, [str(warning.message) for warning in caught if issubclass(warning.category, ReadWarning)]


@settings(max_examples=25)
@given(catalogues().map(numbered), st.randoms(use_true_random=False))
def test_shuffled_rows_give_the_same_catalogue_and_a_warning_with_the_rows_out_of_order(
    tmp_path_factory, catalogue, shuffler: random.Random
):
    folder = tmp_path_factory.mktemp("csv") / "tables"
    mastery_model.export(catalogue, "csv", folder)
    read, said = _loaded(folder)
    assert read == catalogue
    assert said == []  # rows in the order of their position: nothing to say
    expected = []
    for table, parent in (("sessions", "superEvent"), ("recommendations", "session")):
        _header, rows, titles = _table(folder / f"{table}.csv")
        shuffler.shuffle(rows)
        _write(folder / f"{table}.csv", titles, rows)
        count, which = _moved(rows, parent)
        if count:
            shown = ", ".join(map(str, which[:5])) + (", ..." if count > 5 else "")
            expected.append(
                f"csv: {table}.csv: {count} row{'s' if count != 1 else ''} out of the order of the position column"
                f" (rows {shown})"
            )
    read, said = _loaded(folder)
    assert read == catalogue
    assert [message.partition(": read in")[0] for message in said] == expected
    for message in said:
        assert message.endswith(
            "read in the order of position, which wins over the rows' order; sort the table by position to keep"
            " the two alike"
        )


def _session(number: int, position: int | None) -> Session:
    return Session(f"urn:x:s{number}", Text.of(f"Session {number}", "en"), position=position)


def test_a_swapped_pair_among_rows_without_positions_is_named_and_the_others_keep_their_places(tmp_path):
    event = Event(
        "urn:x:e",
        Text.of("Event", "en"),
        sessions=(_session(1, 1), _session(2, None), _session(3, 5), _session(4, None), _session(5, 9)),
    )
    folder = tmp_path / "tables"
    mastery_model.export(Catalogue(events=(event,)), "csv", folder)
    _header, rows, titles = _table(folder / "sessions.csv")
    rows[0], rows[4] = rows[4], rows[0]  # position 9 first, position 1 last
    _write(folder / "sessions.csv", titles, rows)
    read, (said,) = _loaded(folder)
    assert [session.id for session in read.events[0].sessions] == [f"urn:x:s{n}" for n in (1, 2, 3, 4, 5)]
    assert said.startswith("csv: sessions.csv: 2 rows out of the order of the position column (rows 2, 6): read in")


def test_a_catalogue_whose_order_contradicts_its_positions_warns_on_export_and_reads_back_in_position_order(tmp_path):
    recommendations = tuple(
        Recommendation(f"urn:x:r{n}", Text.of(f"R{n}", "en"), position=p) for n, p in ((1, 2), (2, 1))
    )
    event = Event(
        "urn:x:e",
        Text.of("Event", "en"),
        sessions=(attrs.evolve(_session(1, 3), recommendations=recommendations), _session(2, 1), _session(3, 2)),
    )
    folder = tmp_path / "tables"
    with pytest.warns(ExportWarning) as caught:
        mastery_model.export(Catalogue(events=(event,)), "csv", folder)
    (message,) = [str(warning.message) for warning in caught if "position" in str(warning.message)]
    assert message == (
        "csv: 3 sessions and 2 recommendations out of the order of their position: the rows keep the catalogue's"
        " order, and read back are put in the order of position"
    )
    read, said = _loaded(folder)
    assert [session.id for session in read.events[0].sessions] == ["urn:x:s2", "urn:x:s3", "urn:x:s1"]
    assert [item.id for item in read.events[0].sessions[2].recommendations] == ["urn:x:r2", "urn:x:r1"]
    assert [re.sub(r" \(rows.*", "", message) for message in said] == [
        "csv: sessions.csv: 3 rows out of the order of the position column",
        "csv: recommendations.csv: 2 rows out of the order of the position column",
    ]
    # jsonld keeps the order as it is
    mastery_model.export(Catalogue(events=(event,)), "jsonld", tmp_path / "event.jsonld")
    assert mastery_model.load(tmp_path / "event.jsonld").events[0] == event
