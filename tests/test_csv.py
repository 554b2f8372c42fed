"""The csv format: tables a spreadsheet opens, described by CSV on the Web metadata, and read back."""

from __future__ import annotations

import csv
import io
import re
import struct
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, timezone
from pathlib import Path
from unittest import mock

import attrs
import csvw.utils
import orjson
import pytest
from csvw import CSVW
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import catalogues, unicode_text

import mastery_model
import mastery_model.builtin.csv as csv_format
from mastery_model import (
    Address,
    Campaign,
    Catalogue,
    Contribution,
    CredentialOffer,
    Document,
    Event,
    ExternalId,
    InvalidDocument,
    Organisation,
    Person,
    Place,
    Recommendation,
    Role,
    Selection,
    Session,
    Text,
    VirtualLocation,
)
from mastery_model.builtin.csv import reading as csv_importer
from mastery_model.builtin.csv import tables as csv_tables
from mastery_model.builtin.jsonld.lines import iter_line_catalogues
from mastery_model.exporting import export_parts, write_template
from mastery_model.model import walk_sessions
from mastery_model.zones import zone

SAMPLE = mastery_model.sample()
BOM = b"\xef\xbb\xbf"
TABLE_FILES = {table.file for table in csv_tables.TABLES}
OPTIONS = [{}, {"delimiter": "semicolon"}, {"bom": "yes"}, {"delimiter": "semicolon", "bom": "yes"}]


def _exported(catalogue, folder: Path, **options) -> Path:
    mastery_model.export(catalogue, "csv", folder, **options)
    return folder


def _template(folder: Path, **options) -> Path:
    write_template(folder, **options)
    return folder


def test_the_format_registered_names_the_tables_there_are_in_their_order() -> None:
    """The names the format registers (the table option's choices, what recognises an archive)
    without building the tables are theirs."""
    assert tuple(table.name for table in csv_tables.TABLES) == csv_format.TABLE_NAMES
    assert mastery_model.installed().exporter("csv").options[-1].choices == csv_format.TABLE_NAMES


def test_an_empty_catalogue_is_refused_rather_than_written_as_the_template(tmp_path):
    with pytest.raises(mastery_model.MissingData, match="an event"):
        mastery_model.export(Catalogue(), "csv", tmp_path / "t")
    assert not (tmp_path / "t").exists()


def _archive(catalogue, **options) -> bytes:
    stream = io.BytesIO()
    mastery_model.export(catalogue, "csv", stream, **options)
    return stream.getvalue()


def _rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream, delimiter=delimiter, strict=True))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\r\n").writerows(rows)


def _edit(path: Path, change) -> None:
    rows = _rows(path)
    _write_rows(path, change(rows) or rows)


def _cell(rows: list[list[str]], row: int, column: str) -> str:
    """A cell by its spreadsheet row (the header is row 1) and its header."""
    return rows[row - 1][rows[0].index(column)]


def _set(rows: list[list[str]], row: int, column: str, value: str) -> None:
    rows[row - 1][rows[0].index(column)] = value


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _no_network(*_args, **_kwargs):
    raise AssertionError("the CSVW check tried to reach the network")


def _csvw(folder: Path) -> tuple[bool, list[str]]:
    """Whether the csvw package finds the tables valid against their metadata, and what it says.

    strict=False: with strict=True that package refuses any empty foreign-key cell ("Foreign key
    column is null"), but the CSVW standard lets a foreign key be null (only the values given must
    match a row), and an empty superEvent or parentOrganization is how these tables say "none".
    Where the package raises ValueError rather than warn (a cell it cannot parse in a table it rereads
    for the foreign keys, or a key that no row has), its own ``csvwvalidate`` reports FAIL; so do we.
    """
    with mock.patch.object(csvw.utils, "urlopen", _no_network):
        described = CSVW(str(folder / csv_tables.METADATA), validate=True, strict=False)
        try:
            valid = described.is_valid
        except ValueError as error:
            return False, [str(error)]
    return valid, [str(warning.message) for warning in described.warnings]


def _all_cells(folder: Path, delimiter: str = ","):
    for path in sorted(folder.glob("*.csv")):
        for number, row in enumerate(_rows(path, delimiter), start=1):
            for cell in row:
                yield path.name, number, cell


def _same_catalogue(first: Catalogue, second: Catalogue) -> bool:
    return first.events == second.events and all(
        sorted(getattr(first, kind), key=lambda e: e.id) == sorted(getattr(second, kind), key=lambda e: e.id)
        for kind in ("people", "organisations", "campaigns")
    )


def _renamed(catalogue: Catalogue, name: Text) -> Catalogue:
    """The catalogue with its first event renamed."""
    return attrs.evolve(catalogue, events=(attrs.evolve(catalogue.events[0], name=name), *catalogue.events[1:]))


def _madrid(*wall_clock: int) -> datetime:
    """A wall-clock time in Madrid, with the UTC offset it has there (as the strategies make them)."""
    local = datetime(*wall_clock, tzinfo=zone("Europe/Madrid"))
    offset = local.utcoffset()
    assert offset is not None
    return local.replace(tzinfo=timezone(offset))


# -- round trips ---------------------------------------------------------------------------------


@given(catalogues())
def test_any_catalogue_written_to_a_folder_loads_back_equal_with_no_cell_a_formula(tmp_path_factory, catalogue):
    folder = _exported(catalogue, tmp_path_factory.mktemp("csv") / "tables")
    assert mastery_model.load(folder) == catalogue
    for _file, _row, cell in _all_cells(folder):
        assert not cell.startswith(csv_tables.FORMULA_STARTS), cell


@given(catalogues())
def test_any_catalogue_written_as_a_zip_archive_to_a_stream_loads_back_equal(tmp_path_factory, catalogue):
    data = _archive(catalogue)
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == sorted([*TABLE_FILES, csv_tables.METADATA])
    path = tmp_path_factory.mktemp("zip") / "tables.zip"
    path.write_bytes(data)
    assert mastery_model.load(path) == catalogue


@given(catalogues())
def test_any_catalogue_written_with_semicolons_and_a_bom_loads_back_equal(tmp_path_factory, catalogue):
    folder = _exported(catalogue, tmp_path_factory.mktemp("csv") / "tables", delimiter="semicolon", bom="yes")
    assert mastery_model.load(folder) == catalogue
    path = tmp_path_factory.mktemp("zip") / "tables.zip"
    path.write_bytes(_archive(catalogue, delimiter="semicolon", bom="yes"))
    assert mastery_model.load(path) == catalogue


@settings(max_examples=15)
@given(catalogues(), st.sampled_from(OPTIONS))
def test_exporting_twice_gives_the_same_bytes(tmp_path_factory, catalogue, options):
    first = _exported(catalogue, tmp_path_factory.mktemp("csv") / "first", **options)
    second = _exported(catalogue, tmp_path_factory.mktemp("csv") / "second", **options)
    assert _files(first) == _files(second)
    assert _archive(catalogue, **options) == _archive(catalogue, **options)


def test_the_sample_loads_back_equal_from_a_folder_and_from_an_archive(tmp_path):
    assert mastery_model.load(_exported(SAMPLE, tmp_path / "tables")) == SAMPLE
    (tmp_path / "tables.zip").write_bytes(_archive(SAMPLE))
    assert mastery_model.load(tmp_path / "tables.zip") == SAMPLE


# -- CSV on the Web ------------------------------------------------------------------------------


@pytest.mark.parametrize("options", OPTIONS, ids=lambda options: ",".join(options.values()) or "default")
def test_the_sample_is_valid_csvw(tmp_path, options):
    folder = _exported(SAMPLE, tmp_path / "tables", **options)
    assert _csvw(folder) == (True, [])


@settings(max_examples=10)
@given(catalogues(), st.sampled_from(OPTIONS))
def test_any_catalogue_is_valid_csvw(tmp_path_factory, catalogue, options):
    folder = _exported(catalogue, tmp_path_factory.mktemp("csvw") / "tables", **options)
    assert _csvw(folder) == (True, [])


def test_the_csvw_check_rejects_a_bad_date(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    assert _csvw(folder) == (True, [])
    _edit(folder / "events.csv", lambda rows: _set(rows, 2, "startDate", "2024-13-45"))
    valid, said = _csvw(folder)
    assert not valid
    assert any("events.csv:2" in message and "startDate" in message for message in said), said


def test_the_csvw_check_rejects_a_foreign_key_that_no_row_has(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    unknown = "urn:uuid:00000000-0000-4000-8000-000000000000"
    _edit(folder / "sessions.csv", lambda rows: _set(rows, 2, "event", unknown))
    valid, said = _csvw(folder)
    assert not valid
    assert any(unknown in message and "events.csv" in message for message in said), said


def test_the_csvw_check_rejects_an_enumerated_value_out_of_its_list(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    _edit(folder / "sessions.csv", lambda rows: _set(rows, 2, "sessionKind", "lecture"))
    valid, said = _csvw(folder)
    assert not valid
    assert any("sessionKind" in message for message in said), said


def test_the_metadata_lists_every_table_with_its_header_keys_and_properties(tmp_path):
    bilingual = _renamed(SAMPLE, Text((("en", "Greening the Future"), ("es", "Enverdecer el futuro"))))
    folder = _exported(bilingual, tmp_path / "tables")
    metadata = orjson.loads((folder / csv_tables.METADATA).read_bytes())
    assert metadata["@context"][0] == "http://www.w3.org/ns/csvw"
    described = {table["url"]: table for table in metadata["tables"]}
    assert set(described) == {path.name for path in folder.glob("*.csv")} == TABLE_FILES
    for name, table in described.items():
        columns = table["tableSchema"]["columns"]
        header = (folder / name).read_bytes().split(b"\r\n", 1)[0].decode("utf-8")
        assert [column["titles"] for column in columns] == header.split(","), name
        assert len({column["name"] for column in columns}) == len(columns)
        key = csv_tables.BY_NAME[name.removesuffix(".csv")].key
        assert table["tableSchema"].get("primaryKey") == key
    events = described["events.csv"]["tableSchema"]
    by_title = {column["titles"]: column for column in events["columns"]}
    assert by_title["name@en"]["propertyUrl"] == by_title["name@es"]["propertyUrl"] == "https://schema.org/name"
    assert (by_title["name@en"]["lang"], by_title["name@es"]["lang"]) == ("en", "es")
    assert by_title["startDate"]["datatype"] == "date"
    assert by_title["id"]["required"] is True
    assert {"columnReference": "superEvent", "reference": {"resource": "campaigns.csv", "columnReference": "id"}} in (
        events["foreignKeys"]
    )
    sessions = described["sessions.csv"]["tableSchema"]
    assert {"columnReference": "event", "reference": {"resource": "events.csv", "columnReference": "id"}} in (
        sessions["foreignKeys"]
    )
    assert {"columnReference": "superEvent", "reference": {"resource": "sessions.csv", "columnReference": "id"}} in (
        sessions["foreignKeys"]
    )
    contributions = described["contributions.csv"]["tableSchema"]
    assert "primaryKey" not in contributions
    assert {fk["columnReference"] for fk in contributions["foreignKeys"]} == {"session", "event"}
    assert metadata["dialect"]["delimiter"] == ","


# -- spreadsheet conventions ---------------------------------------------------------------------


def test_tables_are_utf8_with_crlf_line_ends_and_no_bom_unless_asked(tmp_path):
    plain = _exported(SAMPLE, tmp_path / "plain")
    with_bom = _exported(SAMPLE, tmp_path / "bom", bom="yes")
    for name in TABLE_FILES:
        data = (plain / name).read_bytes()
        assert not data.startswith(BOM)
        assert data.endswith(b"\r\n")
        assert data.count(b"\n") == data.count(b"\r\n"), name  # the sample has no line break in a cell
        data.decode("utf-8")
        assert (with_bom / name).read_bytes() == BOM + data
    assert "Isabel Ladrón Arroyo".encode() in (plain / "people.csv").read_bytes()


def test_a_semicolon_delimiter_when_asked(tmp_path):
    comma = _exported(SAMPLE, tmp_path / "comma")
    semicolon = _exported(SAMPLE, tmp_path / "semicolon", delimiter="semicolon")
    for name in TABLE_FILES:
        assert _rows(semicolon / name, ";") == _rows(comma / name), name
        header = (semicolon / name).read_bytes().split(b"\r\n", 1)[0]
        assert header == ";".join(_rows(comma / name)[0]).encode()
    organisations = (semicolon / "organisations.csv").read_text(encoding="utf-8")
    assert ";DG Employment, Social Affairs and Inclusion;" in organisations  # a comma needs no quotes now
    assert orjson.loads((semicolon / csv_tables.METADATA).read_bytes())["dialect"]["delimiter"] == ";"


def _event(name: Text | str = "Open day", **fields) -> Event:
    return Event(
        id=fields.pop("id", "urn:uuid:5f0c6a55-3d1b-4d4e-9b36-2f9d9b1c0001"),
        name=Text.of(name, "en") if isinstance(name, str) else name,
        **fields,
    )


def test_a_line_break_in_a_cell_is_quoted_and_survives(tmp_path):
    description = Text.of('Two lines:\nthe first, "quoted";\r\nthe second', "en")
    catalogue = Catalogue(events=(_event(description=description),))
    folder = _exported(catalogue, tmp_path / "tables")
    data = (folder / "events.csv").read_bytes()
    assert b'"Two lines:\nthe first, ""quoted"";\r\nthe second"' in data
    assert _cell(_rows(folder / "events.csv"), 2, "description@en") == description.get()
    assert mastery_model.load(folder) == catalogue


def test_dates_and_times_are_iso_8601_with_their_offset_and_zone_in_a_column_of_its_own(tmp_path):
    session = Session(
        id="urn:uuid:5f0c6a55-3d1b-4d4e-9b36-2f9d9b1c0002",
        name=Text.of("Opening", "en"),
        start=_madrid(2024, 10, 15, 10, 0),
        end=_madrid(2024, 10, 27, 10, 30, 15),  # after the clocks went back
        time_zone="Europe/Madrid",
        modified=datetime(2024, 10, 1, 8, 5, 9, tzinfo=UTC),
    )
    catalogue = Catalogue(events=(_event(start=date(2024, 10, 15), end=date(2024, 10, 27), sessions=(session,)),))
    folder = _exported(catalogue, tmp_path / "tables")
    events, sessions = _rows(folder / "events.csv"), _rows(folder / "sessions.csv")
    assert [_cell(events, 2, column) for column in ("startDate", "endDate", "startTime", "endTime", "timeZone")] == [
        "2024-10-15",
        "2024-10-27",
        "",
        "",
        "",
    ]
    assert [_cell(sessions, 2, column) for column in ("startDate", "endDate", "startTime", "endTime", "timeZone")] == [
        "",
        "",
        "2024-10-15T10:00:00+02:00",
        "2024-10-27T10:30:15+01:00",
        "Europe/Madrid",
    ]
    assert _cell(sessions, 2, "dateModified") == "2024-10-01T08:05:09Z"
    loaded = mastery_model.load(folder)
    assert loaded == catalogue
    assert loaded.events[0].sessions[0].start.utcoffset().total_seconds() == 7200


def test_a_text_in_several_languages_has_a_column_per_language(tmp_path):
    catalogue = Catalogue(
        events=(
            _event(Text((("en", "Open day"), ("es", "Jornada de puertas abiertas")))),
            _event("Webinar", id="urn:uuid:5f0c6a55-3d1b-4d4e-9b36-2f9d9b1c0003"),
            _event(Text((("es", "Taller"), ("en", "Workshop"))), id="urn:uuid:5f0c6a55-3d1b-4d4e-9b36-2f9d9b1c0004"),
        )
    )
    folder = _exported(catalogue, tmp_path / "tables")
    events = _rows(folder / "events.csv")
    assert events[0][1:4] == ["name@en", "name@es", "name@languages"]  # the last: a text's own order
    assert [row[1:4] for row in events[1:]] == [
        ["Open day", "Jornada de puertas abiertas", ""],
        ["Webinar", "", ""],
        ["Workshop", "Taller", "es en"],
    ]
    assert mastery_model.load(folder) == catalogue


def test_with_one_language_a_text_has_one_column_in_it_or_in_its_default(tmp_path):
    catalogue = Catalogue(
        events=(
            _event(Text((("en", "Open day"), ("es", "Jornada de puertas abiertas")))),
            _event("Webinar", id="urn:uuid:5f0c6a55-3d1b-4d4e-9b36-2f9d9b1c0003"),
        )
    )
    folder = _exported(catalogue, tmp_path / "tables", language="es")
    events = _rows(folder / "events.csv")
    assert events[0][:3] == ["id", "name", "description"]
    assert not any("@" in title for title in events[0])
    assert [row[1] for row in events[1:]] == ["Jornada de puertas abiertas", "Webinar"]
    loaded = mastery_model.load(folder, language="es")
    assert [event.name for event in loaded.events] == [
        Text.of("Jornada de puertas abiertas", "es"),
        Text.of("Webinar", "es"),
    ]


def test_languages_asked_for_have_columns_even_when_unused(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables", languages="es,fi")
    header = _rows(folder / "events.csv")[0]
    assert header[1:5] == ["name@es", "name@fi", "name@en", "description@es"]
    assert mastery_model.load(folder) == SAMPLE


# -- formula injection ---------------------------------------------------------------------------

HOSTILE = [
    "=1+1",
    '=HYPERLINK("https://evil.example","click")',
    "+1",
    "-1",
    "-",
    "@SUM(A1:A2)",
    "\tx",
    "\rx",
    "\r\n=x",
    "'=x",
    "''+1",
    "'plain",
    "'",
    "'@",
]


def _hostile_catalogue(value: str) -> Catalogue:
    text = Text.of(value, "en")
    ids = iter(f"urn:uuid:5f0c6a55-3d1b-4d4e-9b36-2f9d9b1c{number:04x}" for number in range(100))
    organisation = Organisation(id=next(ids), name=text, acronym=value, external_ids=(ExternalId("wikidata", value),))
    person = Person(
        id=next(ids),
        name=value,
        given_name=value,
        family_name=value,
        job_title=text,
        affiliations=(organisation.id,),
        external_ids=(ExternalId("orcid", value),),
    )
    campaign = Campaign(id=next(ids), name=text)
    session = Session(
        id=next(ids),
        name=text,
        description=text,
        topics=(value,),
        locations=(VirtualLocation("https://meet.example/room", value),),
        external_ids=(ExternalId("frab", value),),
        contributions=(Contribution(person.id, Role.SPEAKER),),
        documents=(Document(id=next(ids), name=text),),
        recommendations=(Recommendation(id=next(ids), text=text, topics=(value,)),),
    )
    event = Event(
        id=next(ids),
        name=text,
        description=text,
        campaign=campaign.id,
        topics=(value,),
        keywords=(value,),
        locations=(Place(text, Address(value, value, value, value, "ES")),),
        sessions=(session,),
    )
    return Catalogue(events=(event,), people=(person,), organisations=(organisation,), campaigns=(campaign,))


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("delimiter", ["comma", "semicolon"])
def test_no_cell_starts_like_a_formula_and_every_value_comes_back(tmp_path, value, delimiter):
    catalogue = _hostile_catalogue(value)
    folder = _exported(catalogue, tmp_path / "tables", delimiter=delimiter)
    cells = list(_all_cells(folder, ";" if delimiter == "semicolon" else ","))
    for name, row, cell in cells:
        assert not cell.startswith(csv_tables.FORMULA_STARTS), (name, row, cell)
    written = {cell for _name, _row, cell in cells}
    assert csv_tables.neutralised(value) in written  # the value is there, only made safe
    assert mastery_model.load(folder) == catalogue


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=x", "'=x"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''+1", "'''+1"),
        ("'plain", "'plain"),
        ("plain", "plain"),
        ("x=1", "x=1"),
        ("'", "'"),
        ("", ""),
    ],
)
def test_neutralised_adds_one_apostrophe_only_where_a_formula_would_run(value, cell):
    assert csv_tables.neutralised(value) == cell
    assert csv_tables.restored(cell) == value


formula_heavy = st.text(st.sampled_from("'=+-@\t\r\n x"), max_size=8)


@given(st.one_of(st.text(), unicode_text, formula_heavy))
def test_restored_undoes_neutralised_and_nothing_neutralised_runs(value):
    cell = csv_tables.neutralised(value)
    assert csv_tables.restored(cell) == value
    assert not cell.startswith(csv_tables.FORMULA_STARTS)
    assert cell in (value, "'" + value)


# -- reading hand-edited tables ------------------------------------------------------------------

UNKNOWN = "urn:uuid:00000000-0000-4000-8000-000000000000"


def _where(report) -> set[tuple[str, int | None, str | None]]:
    return {(Path(problem.source).name, problem.row, problem.column) for problem in report}


def test_every_mistake_in_hand_edited_tables_is_reported_with_its_file_row_and_column(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")

    def events(rows):
        _set(rows, 2, "startDate", "15/10/2024")

    def contributions(rows):
        column = rows[0].index("roleName")
        return [row[:column] + row[column + 1 :] for row in rows]

    def sessions(rows):
        rows.append(list(rows[2]))  # row 3 again, as a copy and paste leaves it: its id twice
        _set(rows, 4, "sessionKind", "lecture")
        _set(rows, 1, "startTime", "Start time")

    _edit(folder / "events.csv", events)
    _edit(folder / "contributions.csv", contributions)
    _edit(folder / "sessions.csv", sessions)
    duplicate_row = len(_rows(folder / "sessions.csv"))
    report = mastery_model.validate(folder)
    assert _where(report) == {
        ("events.csv", 2, "startDate"),
        ("contributions.csv", 1, "roleName"),
        ("sessions.csv", 1, "Start time"),
        ("sessions.csv", 4, "sessionKind"),
        ("sessions.csv", duplicate_row, "id"),
    }, str(report)
    assert all(problem.source.startswith(str(folder)) for problem in report)
    said = {(Path(problem.source).name, problem.row): problem for problem in report}
    assert said["events.csv", 2].value == "15/10/2024"
    assert "YYYY-MM-DD" in said["events.csv", 2].message
    assert said["sessions.csv", 4].value == "lecture"
    assert "did you mean startTime?" in said["sessions.csv", 1].message
    assert "row 3" in said["sessions.csv", duplicate_row].message
    assert "required" in said["contributions.csv", 1].message
    assert len(report) == 5  # no problem said twice, none made up from the others


def test_an_id_that_no_entity_has_is_reported_at_its_row_and_column_by_the_documents_check(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    _edit(folder / "contributions.csv", lambda rows: _set(rows, 3, "performer", UNKNOWN))
    _edit(folder / "events.csv", lambda rows: _set(rows, 2, "organizer", f"{_cell(rows, 2, 'organizer')} {UNKNOWN}"))
    _edit(folder / "people.csv", lambda rows: _set(rows, 2, "affiliation", UNKNOWN))
    report = mastery_model.validate(folder)
    said = {(Path(problem.source).name, problem.row, problem.column): problem for problem in report}
    assert set(said) == {
        ("contributions.csv", 3, "performer"),
        ("events.csv", 2, "organizer"),
        ("people.csv", 2, "affiliation"),
    }
    assert said["contributions.csv", 3, "performer"].message == "no person or organisation in the document has this id"
    assert said["people.csv", 2, "affiliation"].message == "no organisation in the document has this id"
    assert all(problem.value == UNKNOWN for problem in report)


def test_a_row_that_belongs_to_no_row_of_its_parent_table_is_reported_by_the_tables_check(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    _edit(folder / "contributions.csv", lambda rows: _set(rows, 3, "session", UNKNOWN))
    (problem,) = mastery_model.validate(folder)
    assert (Path(problem.source).name, problem.row, problem.column) == ("contributions.csv", 3, "session")
    assert problem.message == "names an id that no row of sessions.csv has"


def test_two_headers_for_one_column_are_reported_not_raised(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")

    def doubled(rows):
        column = rows[0].index("name@en")
        for row in rows:
            row += [row[column], row[column]]
        rows[0][-1] = "name"  # read in English, with the option language=en

    _edit(folder / "events.csv", doubled)
    report = mastery_model.validate(folder, language="en")
    assert _where(report) == {("events.csv", 1, "name@en"), ("events.csv", 1, "name")}, str(report)
    assert sorted(problem.message for problem in report) == ["appears twice in the header", "holds what name@en holds"]


def test_a_missing_events_table_is_reported(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    (folder / "events.csv").unlink()
    report = mastery_model.validate(folder)
    assert ("events.csv", None, None) in _where(report)
    assert any("missing" in problem.message for problem in report)


def test_an_unknown_table_is_reported(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    (folder / "notes.csv").write_bytes(b"note\r\nhello\r\n")
    report = mastery_model.validate(folder)
    assert _where(report) == {("notes.csv", None, None)}
    assert "is not one of the tables" in report.problems[0].message


def test_a_row_with_the_wrong_number_of_cells_is_reported(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    _edit(folder / "topics.csv", lambda rows: rows[3].append("extra"))
    report = mastery_model.validate(folder)
    assert _where(report) == {("topics.csv", 4, None)}
    assert "has 3 cells; the header has 2" in report.problems[0].message


def test_a_start_given_both_as_a_date_and_as_a_time_is_reported(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    _edit(folder / "events.csv", lambda rows: _set(rows, 2, "startTime", "2024-10-15T10:00:00+02:00"))
    report = mastery_model.validate(folder)
    assert _where(report) == {("events.csv", 2, "startTime")}
    assert "startDate" in report.problems[0].message


def test_a_session_that_is_part_of_itself_is_reported(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")

    def loop(rows):
        first, second = _cell(rows, 2, "id"), _cell(rows, 3, "id")
        _set(rows, 2, "superEvent", second)
        _set(rows, 3, "superEvent", first)

    _edit(folder / "sessions.csv", loop)
    report = mastery_model.validate(folder)
    assert _where(report) == {("sessions.csv", 2, "superEvent"), ("sessions.csv", 3, "superEvent")}
    assert all("loop" in problem.message for problem in report)


def test_a_problem_found_after_the_tables_pass_is_reported_at_its_row(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    _edit(folder / "events.csv", lambda rows: _set(rows, 2, "endDate", "2024-10-14"))
    report = mastery_model.validate(folder)
    assert [(Path(problem.source).name, problem.row) for problem in report] == [("events.csv", 2)]
    assert "before the start" in report.problems[0].message


def test_the_command_line_reports_the_problems_of_a_folder_without_a_traceback(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    _edit(folder / "events.csv", lambda rows: _set(rows, 2, "startDate", "15/10/2024"))
    _edit(folder / "sessions.csv", lambda rows: _set(rows, 3, "sessionKind", "lecture"))
    done = subprocess.run(
        [sys.executable, "-m", "mastery_model", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert f"{folder}: 2 problems" in done.stdout
    assert f"{folder}/events.csv, row 2, column startDate: expected a date" in done.stdout
    assert f"{folder}/sessions.csv, row 3, column sessionKind: expected a kind of session" in done.stdout


# -- the empty template --------------------------------------------------------------------------


def test_the_empty_template_has_every_table_with_headers_only_and_loads_back_empty(tmp_path):
    folder = _template(tmp_path / "template", languages="en,es")
    assert {path.name for path in folder.glob("*.csv")} == TABLE_FILES
    for table in csv_tables.TABLES:
        data = (folder / table.file).read_bytes()
        assert data.endswith(b"\r\n"), table.name
        assert data.count(b"\n") == 1, table.name  # the header, and no row
        titles = _rows(folder / table.file)[0]
        for column in table.columns:
            wanted = [f"{column.name}@en", f"{column.name}@es"] if column.text else [column.name]
            assert all(title in titles for title in wanted), (table.name, column.name)
    assert _rows(folder / "events.csv")[0][:3] == ["id", "name@en", "name@es"]
    assert mastery_model.load(folder) == Catalogue()


def test_a_row_filled_in_the_template_loads_with_a_minted_id(tmp_path):
    folder = _template(tmp_path / "template", languages="en,es")

    def fill(rows):
        row = [""] * len(rows[0])
        row[rows[0].index("id")] = "_:webinar"
        row[rows[0].index("name@es")] = "Seminario web"
        rows.append(row)

    _edit(folder / "events.csv", fill)
    (event,) = mastery_model.load(folder).events
    assert event.id.startswith("urn:uuid:")
    assert event.name == Text.of("Seminario web", "es")


# -- selections and single tables ----------------------------------------------------------------


def test_a_selection_keeps_only_the_rows_of_its_sessions(tmp_path):
    person = next(person for person in SAMPLE.people if person.name == "Stefano Tirati")
    everything = [session.id for event in SAMPLE.events for session in walk_sessions(event.sessions)]
    theirs = [
        session.id
        for event in SAMPLE.events
        for session in walk_sessions(event.sessions)
        if any(contribution.contributor == person.id for contribution in session.contributions)
    ]
    assert 0 < len(theirs) < len(everything)
    folder = _exported(SAMPLE, tmp_path / "tables", select=Selection(person=person.id))
    assert [row[0] for row in _rows(folder / "sessions.csv")[1:]] == theirs
    assert {row[0] for row in _rows(folder / "contributions.csv")[1:]} == set(theirs)
    assert {row[1] for row in _rows(folder / "documents.csv")[1:]} <= set(theirs)
    assert person.id in {row[0] for row in _rows(folder / "people.csv")[1:]}
    assert mastery_model.validate(folder).ok


def test_one_table_to_a_stream_is_a_single_csv(tmp_path):
    stream = io.BytesIO()
    mastery_model.export(SAMPLE, "csv", stream, table="sessions")
    data = stream.getvalue()
    assert not data.startswith(b"PK")
    assert data.startswith(b"id,event,superEvent,")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == 1 + sum(len(list(walk_sessions(event.sessions))) for event in SAMPLE.events)
    assert data == _exported(SAMPLE, tmp_path / "tables").joinpath("sessions.csv").read_bytes()


# -- streaming -----------------------------------------------------------------------------------


def _streamed_and_whole(catalogue, folder: Path, **options) -> tuple[dict[str, bytes], dict[str, bytes]]:
    path = folder / "events.jsonl"
    mastery_model.export(catalogue, "jsonl", path)
    export_parts(lambda: iter_line_catalogues(path), "csv", folder / "streamed", **options)
    whole = _exported(mastery_model.load(path), folder / "whole", **options)
    return _files(folder / "streamed"), _files(whole)


def test_tables_written_a_line_at_a_time_are_the_tables_of_the_whole(tmp_path):
    streamed, whole = _streamed_and_whole(SAMPLE, tmp_path)
    assert streamed == whole
    direct = _files(_exported(SAMPLE, tmp_path / "sample"))
    for name in ("events.csv", "sessions.csv", "contributions.csv", "recommendations.csv", "topics.csv"):
        assert streamed[name] == direct[name], name  # JSON Lines keep the events' order, not the people's
    assert _same_catalogue(mastery_model.load(tmp_path / "streamed"), SAMPLE)


@settings(max_examples=10)
@given(catalogues(max_events=3), st.sampled_from([{}, {"languages": "fi"}, {"language": "en"}]))
def test_any_catalogue_written_a_line_at_a_time_gives_the_same_tables(tmp_path_factory, catalogue, options):
    streamed, whole = _streamed_and_whole(catalogue, tmp_path_factory.mktemp("stream"), **options)
    assert streamed == whole


# -- hostile archives ----------------------------------------------------------------------------


def test_an_archive_member_larger_than_a_table_may_be_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "tables.zip"
    path.write_bytes(_archive(SAMPLE))
    assert mastery_model.load(path) == SAMPLE
    monkeypatch.setattr(csv_importer, "MAX_TABLE_BYTES", 200)
    with pytest.raises(InvalidDocument) as raised:
        mastery_model.load(path)
    (problem,) = raised.value.report.problems
    assert "more than the 200 a table may have" in problem.message
    assert problem.source.startswith(str(path))


def _lying(data: bytes, member: str, size: int) -> bytes:
    """The archive with one member claiming, in the central directory, to unzip to ``size`` bytes."""
    changed = bytearray(data)
    at = changed.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack("<H", changed[at + 28 : at + 30])[0]
        if changed[at + 46 : at + 46 + length] == member.encode():
            changed[at + 24 : at + 28] = struct.pack("<I", size)
        at = changed.find(b"PK\x01\x02", at + 4)
    return bytes(changed)


def test_an_archive_member_holding_more_than_it_claims_is_refused(tmp_path, monkeypatch):
    events = _exported(SAMPLE, tmp_path / "tables").joinpath("events.csv").read_bytes()
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("events.csv", events)
    monkeypatch.setattr(csv_importer, "MAX_TABLE_BYTES", len(events) // 2)
    data = _lying(stream.getvalue(), "events.csv", 100)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("events.csv").file_size == 100
    path = tmp_path / "tables.zip"
    path.write_bytes(data)
    with pytest.raises(InvalidDocument) as raised:
        mastery_model.load(path)
    (problem,) = raised.value.report.problems
    assert problem.source == f"{path}/events.csv"
    assert "cannot be unzipped" in problem.message


def test_a_zip_file_that_is_no_archive_gives_a_report(tmp_path):
    path = tmp_path / "tables.zip"
    path.write_bytes(b"id,name@en\r\n_:a,A\r\n")
    report = mastery_model.validate(path)
    assert not report.ok
    assert "is not a zip archive" in str(report)
    done = subprocess.run(
        [sys.executable, "-m", "mastery_model", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert "is not a zip archive" in done.stdout


# -- edges ---------------------------------------------------------------------------------------


def test_a_path_ending_in_zip_gets_the_archive_and_others_a_folder(tmp_path):
    mastery_model.export(SAMPLE, "csv", tmp_path / "tables.zip")
    assert zipfile.is_zipfile(tmp_path / "tables.zip")
    assert mastery_model.load(tmp_path / "tables.zip") == SAMPLE
    mastery_model.export(SAMPLE, "csv", tmp_path / "tables")
    assert (tmp_path / "tables" / "csv-metadata.json").is_file()


def test_a_text_longer_than_the_csv_modules_default_field_reads_back(tmp_path):
    long = "micro-credentials " * 10_000  # 180,000 characters: over csv's default limit of 131,072
    event = attrs.evolve(SAMPLE.events[0], description=mastery_model.Text.of(long, "en"))
    catalogue = attrs.evolve(SAMPLE, events=(event,))
    mastery_model.export(catalogue, "csv", tmp_path / "out")
    assert mastery_model.load(tmp_path / "out") == catalogue


def test_problems_name_the_folder_even_when_a_table_name_starts_like_it(tmp_path):
    folder = tmp_path / "e"
    mastery_model.export(SAMPLE, "csv", folder)
    rows = _rows(folder / "events.csv")
    rows[1][rows[0].index("startDate")] = "2024-13-15"
    _write_rows(folder / "events.csv", rows)
    (problem,) = mastery_model.validate(folder)
    assert problem.source == f"{folder}/events.csv"


def test_languages_given_twice_give_one_column(tmp_path):
    _template(tmp_path / "t", languages="en,en,es")
    assert _rows(tmp_path / "t" / "campaigns.csv")[0][:3] == ["id", "name@en", "name@es"]
    assert mastery_model.load(tmp_path / "t") == mastery_model.Catalogue()


def test_the_template_command_takes_options_and_languages(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mastery_model", "template", "-o", str(tmp_path / "t"), "--option", "languages=fr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "name@fr" in _rows(tmp_path / "t" / "events.csv")[0]


def test_one_language_tables_claim_no_language_in_their_metadata(tmp_path):
    mastery_model.export(SAMPLE, "csv", tmp_path / "out", language="fr")
    metadata = orjson.loads((tmp_path / "out" / "csv-metadata.json").read_bytes())
    assert not [
        column for table in metadata["tables"] for column in table["tableSchema"]["columns"] if "lang" in column
    ]


def test_an_archive_with_a_table_in_two_folders_is_refused(tmp_path):
    tables = io.BytesIO()
    mastery_model.export(SAMPLE, "csv", tables)
    doubled = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(tables.getvalue())) as source, zipfile.ZipFile(doubled, "w") as target:
        for entry in source.infolist():
            for folder in ("a/", "b/"):
                target.writestr(folder + entry.filename, source.read(entry))
    with pytest.raises(InvalidDocument, match="twice"):
        mastery_model.importing.read(doubled.getvalue(), format="csv")


# -- the documentation -----------------------------------------------------------------------------


def test_the_docs_list_each_tables_columns_in_order_with_the_required_ones_in_bold():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "csv.md").read_text(encoding="utf-8")
    listed = {}
    for line in docs.split("## The tables", 1)[1].split("\n## ", 1)[0].splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0].endswith(".csv`"):
            columns = [re.sub(r"\s*\(.*?\)", "", column).strip() for column in cells[2].split(", ")]
            listed[cells[0].strip("`")] = columns
    expected = {
        table.file: [
            (f"**{column.name}{'@…' if column.text else ''}**" if column.required else column.name + "@…" * column.text)
            for column in table.columns
        ]
        for table in csv_tables.TABLES
    }
    assert listed == expected


def _saved_by_a_spreadsheet(folder: Path, encoding: str) -> list[str]:
    """Every table saved again as a European spreadsheet saves CSV: semicolons, in ``encoding``;
    the tables whose bytes that changes (those with text beyond ASCII)."""
    changed = []
    for path in sorted(folder.glob("*.csv")):
        rows = _rows(path)
        if not path.read_bytes().isascii():
            changed.append(path.name)
        with path.open("w", encoding=encoding, newline="") as stream:
            csv.writer(stream, delimiter=";", lineterminator="\r\n").writerows(rows)
    return changed


def test_tables_saved_in_another_encoding_get_one_problem_each_with_the_fix(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    changed = _saved_by_a_spreadsheet(folder, "cp1252")
    assert changed  # the sample's names and texts go beyond ASCII
    report = mastery_model.validate(folder)
    assert sorted(Path(problem.source).name for problem in report) == changed, str(report)  # nothing knocked on
    for problem in report:
        assert "is not UTF-8 (line " in problem.message
        assert '"CSV UTF-8"' in problem.message
        assert "encoding=" in problem.message


def test_tables_in_another_encoding_read_as_the_option_says(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    _saved_by_a_spreadsheet(folder, "cp1252")
    assert mastery_model.load(folder, encoding="cp1252") == SAMPLE
    with pytest.raises(InvalidDocument, match=r"is not utf-16"):
        mastery_model.load(folder, encoding="utf-16")


def test_an_encoding_that_is_none_is_a_usage_error(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    for name in ("klingon", "hex"):
        with pytest.raises(mastery_model.UsageError, match="character encoding"):
            mastery_model.load(folder, encoding=name)


# -- an event's own contributions ------------------------------------------------------------------


def _with_event_contributions(tmp_path: Path) -> tuple[Path, Catalogue]:
    event = SAMPLE.events[0]
    person, organisation = SAMPLE.people[0], SAMPLE.organisations[0]
    contributions = (Contribution(person.id, Role.HOST), Contribution(organisation.id, Role.FACILITATOR))
    catalogue = attrs.evolve(SAMPLE, events=(attrs.evolve(event, contributions=contributions),))
    return _exported(catalogue, tmp_path / "tables"), catalogue


def test_an_event_s_contributions_are_rows_naming_the_event_and_read_back(tmp_path):
    folder, catalogue = _with_event_contributions(tmp_path)
    rows = _rows(folder / "contributions.csv")
    assert rows[0][:2] == ["session", "event"]
    event_id = catalogue.events[0].id
    assert [row[2:] for row in rows[1:] if row[:2] == ["", event_id]] == [
        [c.contributor, c.role.value] for c in catalogue.events[0].contributions
    ]
    assert all(bool(row[0]) != bool(row[1]) for row in rows[1:])  # each names one of the two
    assert mastery_model.load(folder) == catalogue


def test_a_contribution_naming_both_a_session_and_an_event_or_neither_is_reported(tmp_path):
    folder, catalogue = _with_event_contributions(tmp_path)
    event_id = catalogue.events[0].id

    def both_and_neither(rows):
        _set(rows, 2, "session", _cell(rows, 4, "session"))  # row 2 names the event
        _set(rows, 4, "session", "")

    _edit(folder / "contributions.csv", both_and_neither)
    assert _cell(_rows(folder / "contributions.csv"), 2, "event") == event_id
    report = mastery_model.validate(folder)
    said = {(Path(problem.source).name, problem.row, problem.column): problem.message for problem in report}
    assert said == {
        ("contributions.csv", 2, "event"): "names one of session or event, not both",
        ("contributions.csv", 4, "session"): "is empty: a row names one of session or event",
    }


def test_tables_without_the_event_column_read_as_before(tmp_path):
    folder = _exported(SAMPLE, tmp_path / "tables")
    _edit(folder / "contributions.csv", lambda rows: [[row[0], *row[2:]] for row in rows])
    assert _rows(folder / "contributions.csv")[0] == ["session", "performer", "roleName"]
    assert mastery_model.load(folder) == SAMPLE


def test_a_credential_offer_has_columns_of_the_events_table_and_reads_back(tmp_path):
    offer = CredentialOffer(
        learning_outcomes=Text.of("Explain micro-credentials", "en"),
        workload_hours=12.5,
        eqf_level=5,
        ects_credits=1e-05,
        assessment=Text.of("a test", "en"),
    )
    catalogue = attrs.evolve(SAMPLE, events=(attrs.evolve(SAMPLE.events[0], credential_offer=offer),))
    folder = _exported(catalogue, tmp_path / "tables")
    rows = _rows(folder / "events.csv")
    assert [_cell(rows, 2, name) for name in ("workloadHours", "eqfLevel", "ectsCredits", "qualityAssurance@en")] == [
        "12.5",
        "5",
        "0.00001",
        "",
    ]
    assert mastery_model.load(folder) == catalogue
    _edit(folder / "events.csv", lambda rows: _set(rows, 2, "ectsCredits", "1e-5"))
    (problem,) = mastery_model.validate(folder)
    assert (Path(problem.source).name, problem.row, problem.column) == ("events.csv", 2, "ectsCredits")
