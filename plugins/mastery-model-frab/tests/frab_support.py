"""Helpers of the frab plugin's tests: small schedules written by hand, and what to check in output."""

from __future__ import annotations

import contextlib
import io
import os
import re
import uuid
import warnings
from datetime import datetime

from lxml import etree

import mastery_model
from mastery_model import Catalogue, ExportWarning, InvalidDocument, MissingData
from mastery_model.importing import read

CLOCK = re.compile(r"\d\d:\d\d")
POSITIVE = re.compile(r"[1-9][0-9]*")


def read_frab(data: bytes, **options: str) -> Catalogue:
    return read(data, format="frab", **options)


def exported(catalogue: Catalogue, **options: str) -> bytes:
    out = io.BytesIO()
    mastery_model.export(catalogue, "frab", out, **options)
    return out.getvalue()


def problems(error: InvalidDocument) -> list[tuple[str, int | None, object]]:
    return [(problem.message, problem.line, problem.value) for problem in error.report]


def schedule(*events: str, conference: str = "", date: str = "2025-02-01", more_days: str = "") -> bytes:
    """A schedule of one day (and ``more_days``), one element a line, so that lines can be told apart."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<schedule>\n"
        "  <conference>\n"
        "    <title>Quirks Conference</title>\n"
        "    <acronym>quirks</acronym>\n"
        f"{conference}"
        "  </conference>\n"
        f'  <day index="1" date="{date}">\n'
        f"{''.join(events)}"
        "  </day>\n"
        f"{more_days}"
        "</schedule>\n"
    ).encode()


def event(
    id: str | None = "1",
    title: str = "A talk",
    start: str = "10:00",
    duration: str = "01:00",
    room: str = "Aula",
    body: str = "",
) -> str:
    attribute = "" if id is None else f' id="{id}"'
    return (
        f"    <event{attribute}>\n"
        f"      <start>{start}</start>\n"
        f"      <duration>{duration}</duration>\n"
        f"      <room>{room}</room>\n"
        f"      <title>{title}</title>\n"
        f"{body}"
        "    </event>\n"
    )


def persons(*people: str | tuple[str, str]) -> str:
    """``<persons>``: a name (a person without id), or (name, id)."""
    inner = "".join(
        f"        <person>{person}</person>\n"
        if isinstance(person, str)
        else f'        <person id="{person[1]}">{person[0]}</person>\n'
        for person in people
    )
    return f"      <persons>\n{inner}      </persons>\n"


def links(*hrefs: tuple[str, str], tag: str = "link") -> str:
    inner = "".join(f'        <{tag} href="{href}">{label}</{tag}>\n' for href, label in hrefs)
    return f"      <{tag}s>\n{inner}      </{tag}s>\n"


def schema_errors(schema: etree.XMLSchema, data: bytes) -> list[str]:
    """What the C3VOC schema finds wrong in ``data``; empty when it is valid."""
    valid = schema.validate(etree.fromstring(data))
    errors = [f"line {error.line}: {error.message}" for error in schema.error_log]
    assert valid == (not errors)
    return errors


def shape_errors(data: bytes) -> list[str]:
    """What conference apps rely on and the export lacks: integer ids, HH:MM clocks, UUID guids,
    days with offsets."""
    root = etree.fromstring(data)
    wrong = []
    for element in root.iter("event"):
        where = f"event line {element.sourceline}"
        if not POSITIVE.fullmatch(element.get("id", "")) or int(element.get("id")) >= 2**31:
            wrong.append(f"{where}: id {element.get('id')!r}")
        guid = element.get("guid", "")
        try:
            if str(uuid.UUID(guid)) != guid:
                wrong.append(f"{where}: guid {guid!r} is not a UUID in canonical form")
        except ValueError:
            wrong.append(f"{where}: guid {guid!r} is not a UUID")
        for name in ("start", "duration"):
            if not CLOCK.fullmatch(element.findtext(name) or ""):
                wrong.append(f"{where}: <{name}> {element.findtext(name)!r}")
    for element in root.iter("person"):
        if not POSITIVE.fullmatch(element.get("id", "")):
            wrong.append(f"person line {element.sourceline}: id {element.get('id')!r}")
    for element in root.iter("day"):
        for name in ("start", "end"):
            try:
                offset = datetime.fromisoformat(element.get(name, "")).utcoffset()
            except ValueError:
                offset = None
            if offset is None:
                wrong.append(f"day line {element.sourceline}: {name} {element.get(name)!r} has no offset")
    return wrong


def fuzz_budget(examples: int) -> int:
    """How many inputs a property test of hostile input tries: ``examples`` in the suite, or the
    long campaign's ``MASTERY_FUZZ_EXAMPLES`` (``make fuzz``)."""
    return int(os.environ.get("MASTERY_FUZZ_EXAMPLES", examples))


def written_everywhere(catalogue: Catalogue) -> None:
    """A schedule that was read can be written: read back equal from the library's own document,
    and exported to every installed format, which refuses (``MissingData``) or warns about what it
    cannot carry and raises nothing else."""
    assert mastery_model.loads(mastery_model.dumps(catalogue)) == catalogue
    for format in mastery_model.formats():
        if format.writes and format.clash is None:
            with warnings.catch_warnings(), contextlib.suppress(MissingData):
                warnings.simplefilter("ignore", ExportWarning)
                mastery_model.export(catalogue, format.name, io.BytesIO())
