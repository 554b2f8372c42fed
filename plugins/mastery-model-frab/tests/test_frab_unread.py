"""What a schedule holds that the reader does not read is said in one warning, with counts, derived
from the reader's table of what it reads; every other change (HTML read as plain text, texts
joined, links percent-encoded or left without address) is counted in a warning of its own."""

from __future__ import annotations

import warnings

import pytest
from frab_support import event, exported, links, persons, read_frab, schedule
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from mastery_model_frab.reading import READS, as_iri, unread

import mastery_model
from mastery_model import ReadWarning
from mastery_model.html_text import holds_html
from mastery_model.model import walk_sessions

BRUSSELS = {"time-zone": "Europe/Brussels", "language": "en"}
LEAVES_OUT = "frab: leaves out what the model has no place for (how many): "

#: Each real schedule's warnings besides what was assumed (the zone and language are given).
EXPECTED = {
    "fosdem-2007": [
        "frab: 183 events have more than one of <subtitle>, <abstract> and <description>: the model has one "
        "description, and they are joined in it, in that order, a blank line apart",
        "frab: 398 texts held HTML, read as plain text",
        "frab: 51 addresses are no absolute http(s) address, even resolved against the base_url (ftp:, a misspelt "
        "scheme, relative with no base: the option base-url gives one): their links keep their text, without the "
        "address: line 265; line 285; line 286; line 306; line 326; and 46 more",
        LEAVES_OUT + "conference/subtitle (1), conference/venue (1), conference/city (1), conference/days (1), "
        "conference/timeslot_duration (1), day/@index (2)",
    ],
    "fosdem-2018": [
        "frab: 522 events have more than one of <subtitle>, <abstract> and <description>: the model has one "
        "description, and they are joined in it, in that order, a blank line apart",
        "frab: 1078 texts held HTML, read as plain text",
        "frab: 1 addresses held characters an IRI cannot (spaces, controls, brackets outside a host, a second #): "
        "they are kept with those characters percent-encoded",
        "frab: 14 addresses are no absolute http(s) address, even resolved against the base_url (ftp:, a misspelt "
        "scheme, relative with no base: the option base-url gives one): their links keep their text, without the "
        "address: line 687; line 5642; line 5822; line 6877; line 7630; and 9 more",
        LEAVES_OUT + "conference/venue (1), conference/city (1), conference/days (1), conference/timeslot_duration "
        "(1), day/@index (2), event/slug (689)",
    ],
    "fosdem-2025": [
        "frab: 943 texts held HTML, read as plain text",
        "frab: 4 addresses held characters an IRI cannot (spaces, controls, brackets outside a host, a second #): "
        "they are kept with those characters percent-encoded",
        LEAVES_OUT + "version (1), conference/venue (1), conference/city (1), conference/days (1), "
        "conference/timeslot_duration (1), tracks/track/@online_qa (74), day/@index (2), day/@start (2), "
        "day/@end (2), day/room/@slug (80), event/slug (943), event/feedback_url (943), "
        "event/attachments/attachment/@type (13)",
    ],
    "debconf23": [
        LEAVES_OUT + "generator/@name (1), generator/@version (1), conference/days (1), "
        "conference/timeslot_duration (1), day/@start (8), day/@end (8), day/@index (8), event/slug (117), "
        "event/recording/optout (117), event/recording/license (110)",
    ],
}


def read_warned(data: bytes, **options: str) -> tuple[mastery_model.Catalogue, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReadWarning)
        catalogue = read_frab(data, **{**BRUSSELS, **options})
    return catalogue, [str(w.message) for w in caught if w.category is ReadWarning]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_schedule_says_what_it_changed_and_what_it_left_out(name, shared_fixture):
    path = shared_fixture(f"frab/{name}.xml")
    _catalogue, said = read_warned(path.read_bytes())
    assert said == EXPECTED[name]


def test_the_counts_are_those_of_the_xml_itself(shared_fixture):
    """Counted apart from the reader: FOSDEM 2025's feedback links, DebConf's recording licences."""
    fosdem = etree.parse(str(shared_fixture("frab/fosdem-2025.xml"))).getroot()
    debconf = etree.parse(str(shared_fixture("frab/debconf23.xml"))).getroot()
    assert unread(fosdem)["event/feedback_url"] == sum(1 for e in fosdem.iter("feedback_url") if e.text) == 943
    assert unread(fosdem)["day/room/@slug"] == len(fosdem.findall("day/room[@slug]")) == 80
    assert unread(debconf)["event/recording/license"] == sum(1 for e in debconf.iter("license") if e.text) == 110


def test_what_is_left_out_is_what_the_table_of_what_is_read_does_not_name():
    body = "      <feedback_url>https://x.example/f</feedback_url>\n      <logo></logo>\n      <do_not_record/>\n"
    data = schedule(event(body=body + links(("https://x.example/a", "A"))).replace('href="', 'type="s" href="'))
    _catalogue, said = read_warned(data)
    assert said[-1] == LEAVES_OUT + "day/@index (1), event/feedback_url (1), event/links/link/@type (1)"
    assert "event/feedback_url" not in READS  # the table is what the warning is derived from
    assert "event/title" in READS
    assert "event/title" not in unread(etree.fromstring(data))


def test_a_schedule_holding_only_what_is_read_leaves_out_nothing():
    data = schedule(event()).replace(b' index="1"', b"")
    assert read_warned(data)[1] == []


def test_the_parts_of_a_description_are_joined_and_said_to_be():
    body = "      <subtitle>Sub</subtitle>\n      <abstract>Abs</abstract>\n      <description>Desc</description>\n"
    catalogue, said = read_warned(schedule(event(body=body)).replace(b' index="1"', b""))
    (session,) = catalogue.events[0].sessions
    assert str(session.description) == "Sub\n\nAbs\n\nDesc"
    assert said == [
        "frab: 1 events have more than one of <subtitle>, <abstract> and <description>: the model has one "
        "description, and they are joined in it, in that order, a blank line apart"
    ]


#: Every text the reader fills, written as HTML in the XML (escaped, as schedules write it).
HTML_EVERYWHERE = schedule(
    event(
        title="&lt;b&gt;Bold&lt;/b&gt; talk",
        room="Room &amp;amp; Hall",
        body=(
            "      <track>&lt;i&gt;Track&lt;/i&gt;</track>\n"
            "      <subtitle>&lt;em&gt;Sub&lt;/em&gt;</subtitle>\n"
            "      <abstract>&lt;p&gt;First&lt;/p&gt;&lt;p&gt;Second&lt;/p&gt;</abstract>\n"
            "      <description>&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;/ul&gt;</description>\n"
            + persons(("&lt;span&gt;Ada&lt;/span&gt;", "3"))
            + links(("https://x.example/s.pdf", "&lt;b&gt;Slides&lt;/b&gt;"))
        ),
    ),
    conference="    <track name='&lt;i&gt;Other&lt;/i&gt;'/>\n",
).replace(b"<title>Quirks Conference</title>", b"<title>Quirks &lt;br&gt;Conference</title>")


def test_html_in_every_text_the_reader_fills_is_read_as_plain_text():
    catalogue, said = read_warned(HTML_EVERYWHERE)
    (event_read,) = catalogue.events
    (session,) = event_read.sessions
    texts = [
        str(event_read.name),
        *(str(place.name) for place in event_read.locations),
        *event_read.topics,
        str(session.name),
        str(session.description),
        *(str(place.name) for place in session.locations),
        *session.topics,
        *(person.name for person in catalogue.people),
        *(str(document.name) for document in session.documents),
    ]
    assert texts == [
        "Quirks\nConference",
        "Room & Hall",
        "Other",
        "Track",
        "Bold talk",
        "Sub\n\nFirst\n\nSecond\n\n  * one",
        "Room & Hall",
        "Track",
        "Ada",
        "Slides",
    ]
    assert not any(holds_html(text) for text in texts)
    assert "frab: 10 texts held HTML, read as plain text" in said


def test_a_text_that_reads_as_html_is_written_so_that_it_reads_back_the_same():
    catalogue, _said = read_warned(schedule(event(title="The &amp;lt;video&amp;gt; element")))
    assert str(catalogue.events[0].sessions[0].name) == "The <video> element"
    assert read_warned(exported(catalogue))[0] == catalogue


# Links: a valid IRI is kept as it is, character for character, and written back so.

_UNRESERVED = st.sampled_from("abcxyzABC019-._~")
_SUB_DELIMS = st.sampled_from("!$&'()*+,;=")
_UCS = st.characters(min_codepoint=0xA1, max_codepoint=0x2FFF, categories=("L", "N", "S"))
_ESCAPE = st.sampled_from(["%20", "%5B", "%23", "%C3%A9", "%7e"])
_PCHAR = st.one_of(_UNRESERVED, _SUB_DELIMS, _UCS, _ESCAPE, st.sampled_from(":@"))
_HOSTS = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,10}\.example", fullmatch=True),
    st.sampled_from(["[2001:db8::1]", "[::1]", "bücher.example", "例え.example", "127.0.0.1"]),
)


@st.composite
def iris(draw: st.DrawFn) -> str:
    """Absolute http(s) IRIs (RFC 3987): IPv6 hosts in brackets, a port, a path, a query with
    private-use characters, a fragment after the one ``#``, characters of any script."""
    scheme = draw(st.sampled_from(["http", "https"]))
    userinfo = draw(st.sampled_from(["", "user@", "user:pw@"]))
    port = draw(st.sampled_from(["", ":8080", ":443"]))
    segments = draw(st.lists(st.lists(_PCHAR, max_size=6).map("".join), max_size=4))
    path = "".join(f"/{segment}" for segment in segments)
    query = draw(st.none() | st.lists(st.one_of(_PCHAR, st.sampled_from("/?\ue000")), max_size=12).map("".join))
    fragment = draw(st.none() | st.lists(st.one_of(_PCHAR, st.sampled_from("/?")), max_size=12).map("".join))
    iri = f"{scheme}://{userinfo}{draw(_HOSTS)}{port}{path}"
    return iri + ("" if query is None else f"?{query}") + ("" if fragment is None else f"#{fragment}")


def _with_links(iri: str) -> bytes:
    root = etree.fromstring(schedule(event(body=links(("https://placeholder.example/", "Slides")))))
    root.find(".//link").set("href", iri)
    etree.SubElement(root.find(".//event"), "url").text = iri
    etree.SubElement(root.find("conference"), "base_url").text = iri
    return etree.tostring(root, encoding="utf-8")


@given(iris())
def test_a_valid_iri_reads_and_is_written_back_character_for_character(iri):
    catalogue, said = read_warned(_with_links(iri))
    (session,) = catalogue.events[0].sessions
    assert (catalogue.events[0].url, session.url, session.documents[0].url) == (iri, iri, iri)
    assert not any("addresses" in message for message in said)
    written = etree.fromstring(exported(catalogue))
    assert written.findtext("conference/base_url") == iri
    assert written.findtext(".//event/url") == iri
    assert written.find(".//link").get("href") == iri


@given(iris(), st.sampled_from([" ", "  ", "\t", "[", "]", "#", "|", "\u3000", "\x7f"]))
def test_only_what_an_iri_cannot_hold_is_percent_encoded_and_counted(iri, bad):
    path_at = iri.find("/", len("https://"))
    path_at = len(iri) if path_at < 0 else path_at
    broken = f"{iri[:path_at]}/{bad}x{iri[path_at:]}"
    encoded = "".join(f"%{byte:02X}" for byte in bad.encode())
    # a "#" where there is none yet begins the fragment: the address is an IRI as it is
    expected = broken if bad == "#" and "#" not in iri else f"{iri[:path_at]}/{encoded}x{iri[path_at:]}"
    catalogue, said = read_warned(_with_links(broken))
    (session,) = catalogue.events[0].sessions
    assert (catalogue.events[0].url, session.url, session.documents[0].url) == (expected, expected, expected)
    encoded_said = any(message.startswith("frab: 3 addresses held characters an IRI cannot") for message in said)
    assert encoded_said == (expected != broken)
    assert read_warned(exported(catalogue))[0] == catalogue


def test_the_real_links_an_iri_cannot_hold_are_the_only_ones_changed(shared_fixture):
    path = shared_fixture("frab/fosdem-2025.xml")
    root = etree.parse(str(path)).getroot()
    catalogue, _said = read_warned(path.read_bytes(), **{"time-zone": "Europe/Brussels"})
    urls = {d.url for e in catalogue.events for s in walk_sessions(e.sessions) for d in s.documents} - {None}
    hrefs = {link.get("href").strip() for link in root.iter("link", "attachment")}
    changed = sorted(hrefs - urls)
    assert changed == [
        "https://gitlab.freedesktop.org/mesa/mesa/-/merge_requests?scope=all&state=merged&label_name[]=v3d",
        "https://gitlab.freedesktop.org/mesa/mesa/-/merge_requests?scope=all&state=merged&label_name[]=v3dv",
        "https://matrix.to/#/#motis:matrix.org",
        "https://matrix.to/#/#transitous:matrix.spline.de",
    ]
    assert {as_iri(href) for href in changed} <= urls
