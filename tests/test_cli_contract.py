"""The command line's contract, and the library's behind it.

- Usage errors exit 2 with one line, wherever they are found: an unknown option or a value an
  option does not take (for every option of every built-in exporter, any value is refused or gives
  an output its format's strictest readers accept), an unknown ``--from`` format or plugin name, a
  selection flag given twice, a country code that is none.
- Problems in the input, and outputs that cannot be written, exit 1 with a message naming them.
- Ctrl-C at any moment of a run exits 130 with one line, never a traceback.
- Messages read as sentences.
"""

from __future__ import annotations

import html.parser
import importlib.metadata
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import icalendar
import orjson
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream
from ical_conformance import problems
from lxml import etree
from support import ROOT, fixtures_dir

import mastery_model
from mastery_model import Catalogue, Event, Option, Organisation, Person, Place, Selection, Session, Text
from mastery_model import cli as cli_module
from mastery_model.builtin.csv.writing import BY_NAME as TABLES_BY_NAME
from mastery_model.cli import main
from mastery_model.model import Contribution, Role, walk_sessions
from mastery_model.plugins import BUILTIN_PLUGINS, Formats, Provenance, installed, load_plugins
from mastery_model.plugins.hookspecs import hookimpl
from mastery_model.problems import BadOptionValue, BadSelection, UnknownPlugin

SAMPLE = mastery_model.sample()
GIULIA = next(person for person in SAMPLE.people if person.name == "Giulia Alessandri")
SSSA = next(organisation for organisation in SAMPLE.organisations if str(organisation.name) == "SSSA")


def one_line_error(err: str) -> str:
    """The message of a usage error: one line, ``mastery-model: ...``."""
    assert err.startswith("mastery-model: "), err
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.removeprefix("mastery-model: ").rstrip("\n")


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    return one_line_error(err)


@pytest.fixture
def fresh_registry() -> Any:
    """The installed formats loaded afresh around the test (it changes what they are)."""
    installed.cache_clear()
    yield
    installed.cache_clear()


# -- usage errors: options ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        pytest.param("refresh=12h", "a positive ISO 8601 duration as iCalendar writes it, such as PT12H", id="refresh"),
        pytest.param("refresh=PT0S", "a positive ISO 8601 duration", id="refresh-zero"),
        pytest.param("refresh=P99999999999W", "less than 999999999 days", id="refresh-too-long"),
        pytest.param("source=example.org/feed.ics", "an absolute URL", id="source-without-scheme"),
        pytest.param("source=https://example.org/my feed.ics", "an absolute URL", id="source-with-a-space"),
        pytest.param("source=javascript:alert(1)", "an absolute URL", id="source-without-host"),
        pytest.param("name=Feed\r\nX-EVIL:1", "a single line of text", id="name-with-a-line-break"),
        pytest.param("language=en\r\nX-EVIL:1", "a BCP 47 language tag", id="language-with-a-line-break"),
        pytest.param("language=english please", "a BCP 47 language tag", id="language"),
    ],
)
def test_ical_options_refuse_what_would_break_the_calendar_and_say_what_they_take(
    option: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    message = usage_error(capsys, "export", "--to", "ical", "--option", option)
    assert message.startswith(f"ical: the option {option.partition('=')[0]} is ")
    assert expected in message
    assert "P1D" in message or "refresh" not in option


@pytest.mark.parametrize("format", ["csv", "ical", "schemaorg"])
def test_every_language_option_takes_a_language_tag_only(
    format: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = usage_error(capsys, "export", "--to", format, "--option", "language=en\nfi")
    assert message == f"{format}: the option language is a BCP 47 language tag (such as en, es, pt-BR), not 'en\\nfi'"
    assert main(["export", "--to", format, "-o", str(tmp_path / "out"), "--option", "language=pt-BR"]) == 0
    capsys.readouterr()


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    message = usage_error(capsys, "export", "--to", "ical", "--option", "colour=green")
    assert message == "ical takes no option 'colour' (its options: language, name, refresh, source)"


def test_the_template_s_languages_are_checked_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    message = usage_error(capsys, "template", "-o", str(tmp_path / "t"), "--languages", "en,e s;")
    assert "the option languages is BCP 47 language tags separated by commas" in message
    assert not (tmp_path / "t").exists()


def test_a_bad_value_never_shows_as_more_than_one_line() -> None:
    error = BadOptionValue("ical", "name", "a\nb" * 200, "a single line of text")
    assert "\n" not in str(error)
    assert len(str(error)) < 140


# -- any value of any option: refused, or an output its readers accept ---------------------------


def _multilingual(catalogue: Catalogue) -> Catalogue:
    """The sample with texts in three languages, so that the language options choose."""
    event = catalogue.events[0]
    name = Text((*event.name.translations, ("es", "Ecologizar el futuro"), ("pt-BR", "Esverdear o futuro")))
    first = attrs.evolve(event.sessions[0], name=Text((("fi", "Suomeksi"), *event.sessions[0].name.translations)))
    return attrs.evolve(catalogue, events=(attrs.evolve(event, name=name, sessions=(first, *event.sessions[1:])),))


def _dated(catalogue: Catalogue) -> Catalogue:
    """The sample with a time and a room for every session (a frab schedule needs them)."""
    room = (Place(name=Text.of("Aula", "en")),)

    def timed(sessions: tuple[Session, ...], start: datetime, length: timedelta) -> tuple[Session, ...]:
        return tuple(
            attrs.evolve(
                session,
                start=start + index * length,
                end=start + (index + 1) * length,
                locations=room,
                sessions=timed(session.sessions, start + index * length, length / max(1, len(session.sessions))),
            )
            for index, session in enumerate(sessions)
        )

    event = catalogue.events[0]
    start, length = datetime(2024, 10, 15, 9, tzinfo=UTC), timedelta(hours=9)
    sessions = timed(event.sessions, start, length / len(event.sessions))
    return attrs.evolve(catalogue, events=(attrs.evolve(event, start=start, end=start + length, sessions=sessions),))


CATALOGUES = st.sampled_from([SAMPLE, _multilingual(SAMPLE)])
# Any text, lone surrogates included: arguments that are not UTF-8 reach the program as those.
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=30)
HOSTILE = st.text(
    st.sampled_from(list(",;:\\\"<>&'\r\n\t\x00\x1b\x7f\x85\u2028\u2029\ufeff aé漢😀\udcff")), max_size=12
)
TAGS = st.from_regex(r"[A-Za-z]{1,9}(?:[-_][A-Za-z0-9]{1,9}){0,3}", fullmatch=True) | st.sampled_from(
    ["en", "EN", "es", "pt-BR", "fi", "und", "zh-Hant-TW", "x-private", "i-klingon", "en-", "en--US", "e"]
)
#: Values near what each option takes, where any text would rarely come close.
NEAR = {
    "language": TAGS,
    "languages": st.lists(TAGS, max_size=4).map(",".join) | st.lists(TAGS, max_size=3).map(" ".join),
    "refresh": st.from_regex(r"[+-]?P(?:T?[0-9]{1,12}[WDHMSY]){1,4}", fullmatch=True)
    | st.sampled_from(["PT12H", "P1D", "P1W", "PT1H30M", "P1DT12H", "PT0S", "P0D", "P", "PT", "P1DT", "PT1H30S"]),
    "source": st.from_regex(r"[a-zA-Z][a-zA-Z0-9+.-]{0,6}:(?://)?[!-~]{0,30}", fullmatch=True)
    | st.sampled_from(
        ["https://example.org/feed.ics", "webcal://example.org/a;b,c", "https://[::1]:8080/", "http://:80/", "https://"]
    ),
    "name": HOSTILE,
}


def _values(option: Option) -> st.SearchStrategy[str]:
    strategies = [ANY_TEXT, HOSTILE, NEAR.get(option.name, st.nothing())]
    if option.choices:
        strategies.append(st.sampled_from(option.choices))
    return st.one_of(strategies)


def _strict_calendar(data: bytes, catalogue: Catalogue) -> None:
    assert problems(data) == []
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar.errors == []
    assert all(component.errors == [] for component in calendar.walk())
    vobject.readOne(data.decode("utf-8")).validate()
    IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))


class _Elements(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.started: list[str] = []
        self.ended: list[str] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.started.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.ended.append(tag)

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def _schemaorg_page_markup(data: bytes, catalogue: Catalogue) -> None:
    text = data.decode("utf-8")
    if not text.startswith("<"):
        assert orjson.loads(data)["@context"] == "https://schema.org"
        return
    elements = _Elements()  # as a browser reads it: one script element, whose text is the JSON
    elements.feed(text)
    elements.close()
    assert (elements.started, elements.ended) == (["script"], ["script"])
    assert orjson.loads("".join(elements.data))["@context"] == "https://schema.org"


def _frab_schedule(data: bytes, catalogue: Catalogue) -> None:
    document = etree.fromstring(data)
    schema = fixtures_dir() / "c3voc-schedule/xsd/schedule.xml.xsd"
    if schema.exists():  # the schema of conference apps, where the shared fixtures are at hand
        checker = etree.XMLSchema(etree.parse(str(schema)))
        assert checker.validate(document), checker.error_log


#: How each format's output is read back: the readers strictest about it.
READ_BACK: dict[str, Callable[[bytes, Catalogue], None]] = {
    "ical": _strict_calendar,
    "jsonld": lambda data, catalogue: mastery_model.loads(data),
    "jsonl": lambda data, catalogue: mastery_model.loads(data, lines=True),
    "schemaorg": _schemaorg_page_markup,
    "frab": _frab_schedule,
}


def _frab_registry() -> Formats | None:
    try:
        return load_plugins(only=[*BUILTIN_PLUGINS, "frab"]).formats()
    except UnknownPlugin:  # the plugin is not installed beside the library
        return None


FRAB = _frab_registry()
OPTIONS = [
    pytest.param(name, option, None, id=f"{name}-{option.name}")
    for name, registered in sorted(installed().exporters.items())
    for option in registered.format.options
]
if FRAB is not None:
    OPTIONS += [
        pytest.param("frab", option, FRAB, id=f"frab-{option.name}") for option in FRAB.exporters["frab"].format.options
    ]


def test_every_built_in_exporter_s_options_are_tried() -> None:
    tried = {param.values[0] for param in OPTIONS}
    assert {name for name, registered in installed().exporters.items() if registered.format.options} <= tried
    assert {"csv", "ical", "schemaorg"} <= tried


def _refusal(export: Callable[[], None]) -> BadOptionValue | None:
    """The refusal of a value, if the export refuses one; any other error fails the test."""
    try:
        export()
    except BadOptionValue as error:
        return error
    return None


@pytest.mark.filterwarnings("ignore::mastery_model.ExportWarning")  # what the sample lacks for schema.org
@pytest.mark.parametrize(("format", "option", "registry"), OPTIONS)
@given(data=st.data())
def test_any_value_of_an_option_is_refused_or_gives_an_output_its_readers_accept(
    format: str, option: Option, registry: Formats | None, data: st.DataObject
) -> None:
    value = data.draw(_values(option), label=option.name)
    catalogue = _dated(SAMPLE) if format == "frab" else data.draw(CATALOGUES)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "out"
        stream = io.BytesIO()
        to: Path | io.BytesIO = folder if format == "csv" and option.name != "table" else stream
        refused = _refusal(
            lambda: mastery_model.export(catalogue, format, to, registry=registry, **{option.name: value})
        )
        if refused is not None:
            assert isinstance(refused, mastery_model.UsageError)
            assert (refused.format_name, refused.option, refused.value) == (format, option.name, value)
            assert "\n" not in str(refused)
            return
        if format != "csv":
            READ_BACK[format](stream.getvalue(), catalogue)
        elif option.name != "table":
            report = mastery_model.validate(folder)
            assert report.ok, str(report)
        else:  # one table alone: the very table of the whole folder, which reads back
            mastery_model.export(catalogue, "csv", folder)
            assert mastery_model.validate(folder).ok
            assert stream.getvalue() == (folder / TABLES_BY_NAME[value].file).read_bytes()


@given(
    catalogue=CATALOGUES,
    options=st.fixed_dictionaries(
        {}, optional={name: NEAR[name] | HOSTILE for name in ("language", "name", "refresh", "source")}
    ),
)
def test_the_calendar_s_options_together_give_a_calendar_or_a_usage_error(
    catalogue: Catalogue, options: dict[str, str]
) -> None:
    stream = io.BytesIO()
    refused = _refusal(lambda: mastery_model.export(catalogue, "ical", stream, **options))
    if refused is not None:
        assert refused.option in options
        return
    _strict_calendar(stream.getvalue(), catalogue)
    if options.get("source"):
        assert f"SOURCE;VALUE=URI:{options['source']}".encode() in stream.getvalue().replace(b"\r\n ", b"")


@pytest.mark.parametrize(
    ("value", "taken"),
    [
        ("PT12H", True),
        ("P1D", True),
        ("P2W", True),
        ("PT1H30M", True),
        ("P1DT12H", True),
        ("PT90S", True),
        ("12h", False),
        ("P1Y", False),  # years and months have no fixed length: iCalendar has none
        ("PT1H30S", False),  # hours, then seconds, without the minutes between
        ("P1DT", False),
        ("PT0S", False),
        ("P١D", False),  # a digit, but not an ASCII one
        ("-PT1H", False),
    ],
)
def test_refresh_takes_the_durations_of_rfc_5545_only(value: str, taken: bool) -> None:
    stream = io.BytesIO()
    if taken:
        mastery_model.export(SAMPLE, "ical", stream, refresh=value)
        assert f"REFRESH-INTERVAL;VALUE=DURATION:{value}\r\n".encode() in stream.getvalue()
    else:
        with pytest.raises(BadOptionValue, match="PT12H, PT30M, P1D or P1W"):
            mastery_model.export(SAMPLE, "ical", stream, refresh=value)


# -- usage errors: formats, plugins ------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["validate", "--from", "nope"], id="validate-the-sample"),
        pytest.param(["show", "--from", "nope"], id="show-the-sample"),
        pytest.param(["export", "--to", "jsonld", "--from", "nope"], id="export-the-sample"),
        pytest.param(["export", "--to", "all", "-o", "unwritten", "--from", "nope"], id="export-all"),
    ],
)
def test_an_unknown_input_format_is_a_usage_error_with_or_without_an_input(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    message = usage_error(capsys, *argv)
    assert message.startswith("no plugin provides the importer 'nope' (installed: ")
    path = tmp_path / "event.jsonld"
    path.write_bytes(mastery_model.dumps(SAMPLE))
    assert usage_error(capsys, *argv, str(path)) == message
    assert sorted(tmp_path.iterdir()) == [path]  # nothing written


def test_an_unknown_plugin_name_in_the_environment_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fresh_registry: None
) -> None:
    monkeypatch.setenv("MASTERY_MODEL_PLUGINS", "jsonld,icall")
    message = usage_error(capsys, "formats")
    assert message.startswith("MASTERY_MODEL_PLUGINS names 'icall', which is no plugin's name (the plugins: ")
    assert set(BUILTIN_PLUGINS) <= set(message.partition("(the plugins: ")[2].rstrip(")").split(", "))
    assert usage_error(capsys, "export", "--to", "jsonld") == message


def test_formats_lists_a_built_in_format_that_a_plugin_also_claims(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = type(sys)("impostor")

    @hookimpl
    def mastery_model_exporters() -> list[mastery_model.Exporter]:
        return [
            mastery_model.Exporter("ical", "Not a calendar", "text/plain", ".txt", write=lambda c, s, o: None),
        ]

    module.mastery_model_exporters = mastery_model_exporters  # type: ignore[attr-defined]
    loaded = load_plugins(entry_points_group=None)
    loaded.register(module, Provenance("impostor", "impostor-package", "1.0"))
    registry = loaded.formats()
    # where the command (through the package root) and the export find it
    for holder in (mastery_model, sys.modules["mastery_model.exporting"]):
        monkeypatch.setattr(holder, "installed", lambda: registry)
    assert main(["formats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = lines[1 : lines.index("")]  # the formats; their options follow
    assert [line.split()[0] for line in table if line.split()[0] == "ical"] == ["ical"], lines
    assert any("'ical'" in line and "claimed by more than one plugin: ical, impostor" in line for line in lines)
    assert main(["export", "--to", "ical"]) == 2
    assert "claimed by more than one plugin: ical, impostor" in one_line_error(capsys.readouterr().err)


# -- usage errors: the selection ---------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--person", "--organisation", "--country", "--kind", "--topic"])
def test_a_selection_flag_given_twice_is_refused(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    values = {"--kind": ("talk", "workshop"), "--country": ("FI", "IT")}.get(flag, ("a", "b"))
    with pytest.raises(SystemExit) as raised:
        main(["export", "--to", "jsonld", flag, values[0], flag, values[1]])
    assert raised.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"argument {flag}" in err
    assert "given twice" in err


def test_ids_are_repeatable(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    sessions = list(walk_sessions(SAMPLE.events[0].sessions))
    spain, finland = (next(s for s in sessions if str(s.name) == country) for country in ("Spain", "Finland"))
    assert main(["export", "--to", "jsonld", "--id", spain.id, "--id", finland.id]) == 0
    kept = mastery_model.loads(capsysbinary.readouterr().out)
    assert {str(s.name) for s in walk_sessions(kept.events[0].sessions)} >= {"Spain", "Finland"}


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("fi", "no country has the code 'fi': ISO 3166-1 codes are upper case: FI"),
        ("Bg", "no country has the code 'Bg': ISO 3166-1 codes are upper case: BG"),
        ("XX", "no country has the code 'XX' in ISO 3166-1 (codes such as ES, FI, IT, BG)"),
        ("UK", "the United Kingdom is GB in ISO 3166-1"),
        ("uk", "the United Kingdom is GB in ISO 3166-1"),
        ("FIN", "no country has the code 'FIN'"),
    ],
)
def test_a_country_that_is_no_iso_code_is_a_usage_error_with_a_hint(
    code: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert said in usage_error(capsys, "export", "--to", "jsonld", "--country", code)
    with pytest.raises(BadSelection, match=re.escape(said)):
        Selection(country=code)


@given(ANY_TEXT | st.from_regex(r"[A-Za-z]{1,3}", fullmatch=True))
def test_any_country_given_is_a_code_or_refused_in_one_line(code: str) -> None:
    try:
        Selection(country=code)
    except BadSelection as error:
        refused: BadSelection | None = error
    else:
        refused = None
    if refused is None:
        assert code.isupper()
        assert len(code) == 2
    else:
        assert "\n" not in str(refused)
        assert str(refused).startswith(f"no country has the code {code!r}")


@given(ANY_TEXT | st.sampled_from([person.name for person in SAMPLE.people]).map(str.swapcase))
def test_any_name_given_selects_one_person_or_nothing(given: str) -> None:
    try:
        kept: Catalogue | None = Selection(person=given).apply(SAMPLE)
    except mastery_model.EmptySelection:
        kept = None
    named = [
        person
        for person in SAMPLE.people
        if given in (person.id, person.name) or person.name.casefold() == given.casefold()
    ]
    assert (kept is not None) == bool(named)
    if kept is not None:
        assert kept == Selection(person=named[0].id).apply(SAMPLE)


def _selected(capsysbinary: pytest.CaptureFixture[bytes], *flags: str, source: Path | None = None) -> Catalogue:
    assert main(["export", *([str(source)] if source else []), "--to", "jsonld", *flags]) == 0
    return mastery_model.loads(capsysbinary.readouterr().out)


@pytest.mark.parametrize("given", [GIULIA.id, GIULIA.name, "giulia ALESSANDRI"])
def test_a_person_is_selected_by_id_or_by_the_name_show_gives(
    given: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert _selected(capsysbinary, "--person", given) == Selection(person=GIULIA.id).apply(SAMPLE)
    assert Selection(person=given).apply(SAMPLE) == Selection(person=GIULIA.id).apply(SAMPLE)


@pytest.mark.parametrize("given", [SSSA.id, "SSSA", "sssa"])
def test_an_organisation_is_selected_by_id_or_by_name(given: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert _selected(capsysbinary, "--organisation", given) == Selection(organisation=SSSA.id).apply(SAMPLE)


def test_a_name_two_people_share_is_refused_with_their_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    namesake = Person(mastery_model.mint("person", "the other Giulia"), "Giulia Alessandri")
    talk = next(
        s for s in walk_sessions(SAMPLE.events[0].sessions) if GIULIA.id in {c.contributor for c in s.contributions}
    )
    event = SAMPLE.events[0]
    other = attrs.evolve(
        event.sessions[-1], contributions=(*event.sessions[-1].contributions, Contribution(namesake.id, Role.SPEAKER))
    )
    catalogue = attrs.evolve(
        SAMPLE,
        events=(attrs.evolve(event, sessions=(*event.sessions[:-1], other)),),
        people=(*SAMPLE.people, namesake),
    )
    assert mastery_model.validate(catalogue).ok
    path = tmp_path / "namesakes.jsonld"
    path.write_bytes(mastery_model.dumps(catalogue))
    ids = ", ".join(sorted((GIULIA.id, namesake.id)))
    expected = f"2 people are called 'giulia alessandri': give the id of the one meant ({ids})"
    assert usage_error(capsys, "export", str(path), "--to", "jsonld", "--person", "giulia alessandri") == expected
    with pytest.raises(BadSelection, match=re.escape(expected)):
        Selection(person="giulia alessandri").apply(catalogue)
    # by id, each is still theirs alone
    mine = Selection(person=GIULIA.id).apply(catalogue)
    assert [s.id for s in walk_sessions(mine.events[0].sessions) if s.contributions] == [talk.id]


def test_an_exact_name_is_preferred_to_one_in_another_case() -> None:
    shouting = Person(mastery_model.mint("person", "shouting"), GIULIA.name.upper())
    catalogue = attrs.evolve(SAMPLE, people=(*SAMPLE.people, shouting))
    assert Selection(person=GIULIA.name).apply(catalogue) == Selection(person=GIULIA.id).apply(catalogue)
    with pytest.raises(mastery_model.EmptySelection):  # the shouting one takes part in nothing
        Selection(person=GIULIA.name.upper()).apply(catalogue)


# -- messages read as sentences ----------------------------------------------------------------


def _small(people: int, organisations: int, sessions: int) -> Catalogue:
    mint = mastery_model.mint
    orgs = tuple(Organisation(mint("organisation", str(n)), Text.of(f"Org {n}", "en")) for n in range(organisations))
    persons = tuple(Person(mint("person", str(n)), f"Person {n}") for n in range(people))
    contributions = tuple(Contribution(person.id, Role.SPEAKER) for person in persons)
    talks = tuple(
        Session(mint("session", str(n)), Text.of(f"Talk {n}", "en"), contributions=contributions)
        for n in range(sessions)
    )
    event = Event(mint("event", "small"), Text.of("Small", "en"), organisers=tuple(o.id for o in orgs), sessions=talks)
    return Catalogue(events=(event,), people=persons, organisations=orgs)


@pytest.mark.parametrize(
    ("counts", "summary"),
    [
        ((1, 1, 1), "1 event, 1 session, 1 person, 1 organisation"),
        ((2, 3, 2), "1 event, 2 sessions, 2 people, 3 organisations"),
        ((0, 0, 0), "1 event, 0 sessions, 0 people, 0 organisations"),
    ],
)
def test_show_counts_in_words(
    counts: tuple[int, int, int], summary: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "small.jsonld"
    path.write_bytes(mastery_model.dumps(_small(*counts)))
    assert main(["show", str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == summary


def test_export_all_says_what_became_of_a_format_skipped_this_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["export", "--to", "all", "-o", str(out)]) == 0
    capsys.readouterr()
    assert (out / "ical.ics").exists()
    undated = attrs.evolve(SAMPLE, events=(attrs.evolve(SAMPLE.events[0], start=None, end=None),))
    source = tmp_path / "undated.jsonld"
    source.write_bytes(mastery_model.dumps(undated))
    assert main(["export", str(source), "--to", "all", "-o", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    skipped = next(index for index, line in enumerate(lines) if line.startswith("skipped ical: "))
    assert lines[skipped + 1] == f"  warning: removed {out / 'ical.ics'}, which an earlier export wrote"
    assert not (out / "ical.ics").exists()


# -- outputs -----------------------------------------------------------------------------------


def test_a_dash_is_standard_output(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", "--to", "ical", "-o", "-"]) == 0
    out, err = capsysbinary.readouterr()
    assert out.startswith(b"BEGIN:VCALENDAR\r\n")
    assert err.startswith(b"mastery-model: warning: ical leaves out")
    assert err.count(b"\n") == 1
    assert main(["export", "--to", "csv", "-o", "-"]) == 0  # a folder format: its archive
    assert capsysbinary.readouterr().out.startswith(b"PK")
    assert main(["sample", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out == mastery_model.embedded.sample_bytes()


def test_export_all_needs_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert "give the folder with -o" in usage_error(capsys, "export", "--to", "all", "-o", "-")


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["export", "--to", "ical", "-o", "{missing}/out.ics"], id="export"),
        pytest.param(["export", "--to", "csv", "-o", "{missing}/tables"], id="export-a-folder"),
        pytest.param(["export", "--to", "all", "-o", "{missing}/all"], id="export-all"),
        pytest.param(["sample", "-o", "{missing}/sample.jsonld"], id="sample"),
        pytest.param(["template", "-o", "{missing}/template"], id="template"),
    ],
)
def test_an_output_that_cannot_be_written_is_named_in_one_line(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing" / "deeper"
    argv = [argument.format(missing=missing) for argument in argv]
    assert main(argv) == 1
    message = one_line_error(capsys.readouterr().err)
    assert message.startswith(f"cannot write {argv[-1]}: "), message
    assert message.endswith("No such file or directory")
    assert not (tmp_path / "missing").exists()


def test_the_template_is_written_and_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "template"
    assert main(["template", "-o", str(folder), "--languages", "en,es"]) == 0
    assert capsys.readouterr().err == f"wrote {folder}: fill in events.csv first\n"
    assert (folder / "events.csv").read_text(encoding="utf-8").startswith("id,")


# -- Ctrl-C ------------------------------------------------------------------------------------


def test_an_interrupt_in_process_is_one_line_and_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(arguments: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module, "_formats", interrupted)  # the parser, made by main, runs it
    assert main(["formats"]) == 130
    assert capsys.readouterr().err == "mastery-model: interrupted\n"


def _console_script() -> Path:
    script = Path(sys.executable).with_name("mastery-model")
    if not script.exists():
        message = f"the console script is not installed beside {sys.executable}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return script


def test_the_console_script_and_the_module_start_through_the_launcher() -> None:
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="mastery-model")
    assert script.value == "mastery_model.launch:main"
    assert "mastery_model.launch:main" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert "from mastery_model.launch import main" in (ROOT / "src/mastery_model/__main__.py").read_text()


LEFTOVER = re.compile(r"\..+\.\d+\.[0-9a-f]{8}\.part")


def _compiled_dependency_loaded(pid: int) -> bool:
    """Whether the process has mapped a compiled module of an installed package: it is then in the
    command's own imports, past the interpreter's start-up, which loads none."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False
    return any("/site-packages/" in line and ".so" in line for line in maps.splitlines())


def _run(argv: list[str], cwd: Path, interrupt_after: float | None) -> tuple[int, bytes, float | None, float]:
    """Run the console script; ``interrupt_after`` seconds after a compiled dependency is seen
    loading, send it SIGINT (never, for None). The exit status, standard error, when the
    dependency was seen and how long the run took (seconds from the start)."""
    process = subprocess.Popen([str(_console_script()), *argv], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    started = time.monotonic()
    seen = None
    while process.poll() is None:
        elapsed = time.monotonic() - started
        if seen is None and _compiled_dependency_loaded(process.pid):
            seen = elapsed
        if seen is not None and interrupt_after is not None and elapsed >= seen + interrupt_after:
            process.send_signal(signal.SIGINT)  # nothing, if it has exited meanwhile
            break
        time.sleep(0.002)
    _out, err = process.communicate(timeout=300)
    return process.returncode, err, seen, time.monotonic() - started


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="watches the process's memory map in /proc")
@pytest.mark.parametrize(
    "argv", [pytest.param(["validate"], id="validate"), pytest.param(["export", "--to", "all", "-o", "out"], id="all")]
)
def test_ctrl_c_at_any_moment_of_a_run_is_exit_130_and_one_line(argv: list[str], tmp_path: Path) -> None:
    """Interrupted as its first compiled dependency loads (in the command's imports, made on first
    use, where an exception inside a module's initialisation can crash the interpreter), then at
    fractions of the rest of its run: 130 and one line, or 0 and nothing if it had finished.
    (``--version`` loads no compiled dependency: see test_import_graph.)

    Never sooner: until the launcher runs, Ctrl-C is the interpreter's. In its first milliseconds
    (about 7 on a quiet machine) the signal ends the process silently, which a shell shows as 130
    too; for the next ten or so (the interpreter's start-up, its ``site`` module, the console
    script's import of the launcher) it can print a traceback, and nothing the package does can
    run sooner. The moments here come after the launcher has taken over, however slow the machine,
    because they are seen rather than timed."""
    code, err, seen, total = _run(argv, tmp_path, None)
    assert code == 0, err
    assert seen is not None, "no compiled dependency was seen loading"
    codes = []
    for fraction in (0.0, 0.1, 0.3, 0.5, 0.7, 0.9):
        for output in tmp_path.iterdir():
            shutil.rmtree(output)
        code, err, _seen, _total = _run(argv, tmp_path, fraction * (total - seen))
        codes.append(code)
        assert b"Traceback" not in err, (fraction, err.decode("utf-8", "replace"))
        assert (code, err) in ((130, b"mastery-model: interrupted\n"), (0, b"")), (fraction, code, err)
        leftovers = [path.name for path in tmp_path.rglob("*") if LEFTOVER.fullmatch(path.name)]
        assert leftovers == [], (fraction, leftovers)
    assert codes[0] == 130, codes  # the imports were interrupted


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "mastery_model", "export", "--to", "jsonld"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # before anything is written: the first write finds no reader
    err = process.stderr.read() if process.stderr else b""
    assert process.wait(timeout=300) == 0
    assert err == b""
