"""Links that are valid IRIs are written back as they are: byte for byte in JSON-LD and in the
tables; in iCalendar, which takes URIs, as a URI (beyond ASCII percent-encoded), with a warning."""

from __future__ import annotations

import io
import re
import urllib.parse
import warnings
from datetime import date
from pathlib import Path

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

import mastery_model
from mastery_model import Catalogue, Event, ExportWarning, Session, Text
from mastery_model.builtin.ical.writing import uri
from mastery_model.model import Document, Organisation, VirtualLocation
from mastery_model.schemas import is_iri, is_uri

# the characters of an IRI's parts (RFC 3987): unreserved, sub-delimiters, and some beyond ASCII
_PLAIN = "abcXYZ019-._~!$&'()*+,;=" + "éüß漢€"
_ESCAPE = st.builds(lambda octet: f"%{octet:02X}" if octet % 2 else f"%{octet:02x}", st.integers(0, 255))
_PART = st.lists(st.one_of(st.sampled_from(_PLAIN), _ESCAPE), max_size=8).map("".join)
_HOST = st.one_of(
    st.sampled_from(["example.org", "événements.example", "xn--80ak6aa92e.com", "127.0.0.1", "[2001:db8::1]"]),
    st.lists(st.sampled_from("abc019-éü漢%41"), min_size=1, max_size=6).map("".join),
)


@st.composite
def iris(draw: st.DrawFn) -> str:
    """Absolute http(s) IRIs, with ports, paths, queries (with a private-use character) and
    fragments, escapes in either case."""
    iri = f"{draw(st.sampled_from(['https', 'http']))}://{draw(_HOST)}"
    iri += draw(st.sampled_from(["", ":8080", ":"]))
    iri += "".join(f"/{segment}" for segment in draw(st.lists(_PART.map(lambda p: p.replace("/", "")), max_size=3)))
    if draw(st.booleans()):
        iri += "?" + draw(_PART) + draw(st.sampled_from(["", "&b=%5Bx%5D", "=/?:@", "\ue000"]))
    if draw(st.booleans()):
        iri += "#" + draw(_PART) + draw(st.sampled_from(["", "/?", ":@"]))
    return iri


valid_iris = iris().filter(is_iri)


def _catalogue(iri: str) -> Catalogue:
    """The IRI in every link the model holds."""
    organisation = Organisation("urn:x:o", Text.of("Org", "en"), url=iri)
    document = Document("urn:x:d", Text.of("Slides", "en"), url=iri, license=iri)
    session = Session(
        "urn:x:s", Text.of("Talk", "en"), start=date(2025, 3, 20), url=iri, documents=(document,), locations=()
    )
    event = Event(
        "urn:x:e",
        Text.of("Webinar", "en"),
        start=date(2025, 3, 20),
        url=iri,
        locations=(VirtualLocation(iri),),
        organisers=("urn:x:o",),
        sessions=(session,),
    )
    return Catalogue(events=(event,), organisations=(organisation,))


def test_the_strategy_makes_every_kind_of_iri_the_issue_names():
    examples = [
        "https://événements.example/a%20b/%e9?q=x&b=%5B1%5D#frag",
        "http://[2001:db8::1]:8080/p?\ue000",
        "https://example.org/?a=1;b=2,c#x:@/?",
    ]
    assert all(is_iri(example) for example in examples)
    assert not is_iri("https://example.org/a b")  # and the filter keeps out what is none:
    assert not is_iri("https://example.org/?q=[x]")  # brackets belong to a host (an IPv6 address) alone


@settings(max_examples=40)
@given(valid_iris)
def test_an_iri_comes_back_byte_for_byte_from_json_ld_and_from_the_tables(tmp_path_factory, iri):
    catalogue = _catalogue(iri)
    folder = tmp_path_factory.mktemp("links")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        mastery_model.export(catalogue, "jsonld", folder / "event.jsonld")
        mastery_model.export(catalogue, "jsonl", folder / "event.jsonl")
        mastery_model.export(catalogue, "csv", folder / "tables")
    written = (folder / "event.jsonld").read_bytes()
    assert written.count(f'"{iri}"'.encode()) == 6  # each link as it is: nothing escaped, nothing encoded
    for source in ("event.jsonld", "event.jsonl", "tables"):
        assert mastery_model.load(folder / source) == catalogue, source
    sessions = (folder / "tables" / "sessions.csv").read_text(encoding="utf-8")
    assert f",{iri}," in sessions or f',"{iri}",' in sessions  # quoted only where the cell holds a comma


def _unfolded(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


@settings(max_examples=40)
@given(valid_iris)
def test_ical_writes_an_iri_as_a_uri_percent_encoding_only_what_is_beyond_ascii(iri):
    stream = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mastery_model.export(_catalogue(iri), "ical", stream)
    expected = "".join(character if character.isascii() else urllib.parse.quote(character) for character in iri)
    lines = _unfolded(stream.getvalue())
    assert [line for line in lines if line.startswith("URL:")] == [f"URL:{expected}"] * 2
    assert [line.rpartition(":")[2] for line in lines if line.startswith("CONFERENCE")] == [expected.rpartition(":")[2]]
    assert is_uri(expected)
    if iri.isascii():
        assert expected == iri  # a URI: byte for byte, no TEXT escapes
    said = [str(warning.message) for warning in caught if "percent-encoded" in str(warning.message)]
    assert said == ([] if iri.isascii() else [_ENCODED.format(3)])
    # a calendar parser reads the value the writer meant
    parsed = icalendar.Calendar.from_ical(stream.getvalue())
    assert {str(component["URL"]) for component in parsed.walk("VEVENT")} == {expected}


_ENCODED = (
    "ical writes {} links holding characters beyond ASCII percent-encoded: iCalendar takes URIs (RFC 5545,"
    " RFC 3986), not IRIs; the same address, spelt as a URI (RFC 3987, 3.1)"
)


def test_uri_encodes_each_character_beyond_ascii_as_its_utf8_octets():
    assert uri("https://événements.example/漢?q=€#ü") == (
        "https://%C3%A9v%C3%A9nements.example/%E6%BC%A2?q=%E2%82%AC#%C3%BC"
    )
    assert uri("http://[2001:db8::1]/a%e9;b,c?x=1#y") == "http://[2001:db8::1]/a%e9;b,c?x=1#y"


def test_the_docs_say_what_ical_does_with_links():
    page = (Path(__file__).parents[1] / "docs" / "ical.md").read_text(encoding="utf-8")
    assert re.search(r"percent-encoded", page)
