"""Hostile and broken input: refused with a report, never expanded, fetched, or parsed at any size."""

from __future__ import annotations

import time

import pytest
from frab_support import event, problems, read_frab, schedule

import mastery_model

BODY = (
    '<schedule><conference><title>{title}</title></conference><day index="1" date="2025-02-01">'
    '<event id="1"><start>10:00</start><duration>01:00</duration><room>R</room><title>{title}</title></event>'
    "</day></schedule>"
)


def refused(data: bytes) -> list[tuple[str, int | None, object]]:
    with pytest.raises(mastery_model.InvalidDocument) as caught:
        read_frab(data)
    return problems(caught.value)


def everything_said(found: list[tuple[str, int | None, object]]) -> str:
    return "\n".join(f"{message} {value!r}" for message, _line, value in found)


def test_billion_laughs_is_refused_unexpanded():
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    data = f'<?xml version="1.0"?>\n<!DOCTYPE schedule [\n{chr(10).join(entities)}\n]>\n'.encode()
    data += BODY.format(title="&lol9;").encode()
    began = time.perf_counter()
    found = refused(data)
    assert time.perf_counter() - began < 2
    assert found
    assert "lollol" not in everything_said(found)


def test_an_external_entity_is_refused_and_the_file_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-4242\n")
    for target in ("file:///etc/passwd", secret.as_uri()):
        data = f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "{target}">]>\n'.encode()
        said = everything_said(refused(data + BODY.format(title="&e;").encode()))
        assert "TOP-SECRET" not in said
        assert "root:" not in said


def test_an_external_dtd_is_refused(tmp_path):
    dtd = tmp_path / "schedule.dtd"
    dtd.write_text('<!ENTITY e "TOP-SECRET-4242">\n')
    data = f'<?xml version="1.0"?>\n<!DOCTYPE schedule SYSTEM "{dtd.as_uri()}">\n'.encode()
    said = everything_said(refused(data + BODY.format(title="&e;").encode()))
    assert "TOP-SECRET" not in said


def test_a_dtd_without_entities_is_refused_too():
    data = b'<?xml version="1.0"?>\n<!DOCTYPE schedule [<!ELEMENT schedule ANY>]>\n' + BODY.format(title="T").encode()
    (found,) = refused(data)
    assert "DTD" in found[0]


def test_an_enormous_input_is_refused_unparsed():
    data = b"<schedule>" + b" " * 100_000_000 + b"</schedule>"
    began = time.perf_counter()
    (found,) = refused(data)
    assert time.perf_counter() - began < 1  # a parse of 100 MB would take longer; the size decides
    assert "100,000,021 bytes" in found[0]


def test_xml_that_is_not_well_formed_is_reported_with_its_line():
    data = schedule(event()).replace(b"</day>", b"</dya>")
    (found,) = refused(data)
    message, line, _value = found
    assert message.startswith("not well-formed XML")
    assert line == data.decode().splitlines().index("  </dya>") + 1


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?>\n<html><body>Not found</body></html>',
        b'<schedule xmlns="urn:example:other"><conference/></schedule>',
        b"<iCalendar/>",
    ],
)
def test_a_document_that_is_no_schedule_says_so(data):
    (found,) = refused(data)
    assert "expected a <schedule> root" in found[0]


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02", b"BEGIN:VCALENDAR\r\n", b"\xef\xbb\xbf", b"<schedule"])
def test_what_is_no_xml_at_all_is_a_problem(data):
    (found,) = refused(data)
    assert found[0].startswith("not well-formed XML")


def test_a_schedule_without_a_conference_says_what_it_lacks():
    said = everything_said(refused(b"<schedule>\n</schedule>\n"))
    assert "<conference>" in said
