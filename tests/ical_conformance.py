"""A strict reading of RFC 5545 for tests: what no Python parser fully checks.

``problems(data)`` lists every rule a calendar breaks:
1. every line ends with CRLF; 2. no physical line over 75 octets, no fold inside a UTF-8 sequence;
3. TEXT values escaped: no raw control character, no unescaped ``;`` or ``,`` in a text property;
4. ``VERSION`` and ``PRODID`` once; 5. one UTC ``DTSTAMP`` and one ``UID`` per ``VEVENT``, UIDs
unique; 6. the end after the start; 7. a ``VTIMEZONE`` for every ``TZID``; 8. zone names that are
IANA names; 9. at least one component, and components that open and close in order.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from mastery_model.zones import names, zone

TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "NAME", "X-WR-CALNAME", "UID", "CATEGORIES"}
NAME = re.compile(r"^[A-Za-z0-9-]+$")
STAMP = re.compile(r"^\d{8}T\d{6}Z$")
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """Name, parameters and value of a content line (quoted parameter values may hold : and ;)."""
    quoted = False
    for index, character in enumerate(line):
        if character == '"':
            quoted = not quoted
        elif character == ":" and not quoted:
            head, value = line[:index], line[index + 1 :]
            break
    else:
        return line, {}, ""
    name, *parameters = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', head)
    params = dict(parameter.partition("=")[::2] for parameter in parameters)
    return name.upper(), {key.upper(): value for key, value in params.items()}, value


def _when(value: str, params: dict[str, str]) -> datetime | date:
    if params.get("VALUE") == "DATE":
        return datetime.strptime(value, "%Y%m%d").date()
    if value.endswith("Z"):
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    local = datetime.strptime(value, "%Y%m%dT%H%M%S")
    return local.replace(tzinfo=zone(params["TZID"])) if "TZID" in params else local


def problems(data: bytes) -> list[str]:
    found: list[str] = []
    if not data.endswith(b"\r\n") or b"\n" in data.replace(b"\r\n", b"") or b"\r" in data.replace(b"\r\n", b""):
        found.append("rule 1: a line does not end with CRLF")
    physical = data.replace(b"\r\n", b"\n").split(b"\n")[:-1]
    for number, line in enumerate(physical, start=1):
        if len(line) > 75:
            found.append(f"rule 2: line {number} has {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            found.append(f"rule 2: line {number} is not UTF-8 on its own (a fold inside a sequence?)")
    logical: list[bytes] = []
    for line in physical:
        if line[:1] in (b" ", b"\t") and logical:
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[str] = []
    counts: dict[str, int] = {}
    uids: list[str] = []
    tzids_used: set[str] = set()
    tzids_defined: set[str] = set()
    components = 0
    event: dict[str, list[tuple[dict[str, str], str]]] = {}
    for raw in logical:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            found.append("rule 2: a content line is not UTF-8")
            continue
        if CONTROL.search(line):
            found.append(f"rule 3: a raw control character in {line[:30]!r}")
        name, params, value = _split(line)
        if not NAME.match(name):
            found.append(f"rule 3: {name[:30]!r} is not a property name (an unescaped value?)")
            continue
        if name == "BEGIN":
            stack.append(value)
            if value not in ("VCALENDAR", "VTIMEZONE", "STANDARD", "DAYLIGHT"):
                components += 1
            if value == "VEVENT":
                event = {}
            continue
        if name == "END":
            if not stack or stack.pop() != value:
                found.append(f"rule 9: END:{value} closes nothing open")
            if value == "VEVENT":
                found += _event_problems(event, uids)
            continue
        if "TZID" in params:
            tzids_used.add(params["TZID"])
        if stack[-1:] == ["VTIMEZONE"] and name == "TZID":
            tzids_defined.add(value)
            if value not in names():
                found.append(f"rule 8: {value!r} is not an IANA zone name")
        if stack == ["VCALENDAR"] and name in ("VERSION", "PRODID"):
            counts[name] = counts.get(name, 0) + 1
        if stack[-1:] == ["VEVENT"]:
            event.setdefault(name, []).append((params, value))
        if name in TEXT_PROPERTIES and re.search(r"(?<!\\)(?:\\\\)*[;]", value):
            found.append(f"rule 3: an unescaped ';' in {name}")
        if name in TEXT_PROPERTIES - {"CATEGORIES"} and re.search(r"(?<!\\)(?:\\\\)*[,]", value):
            found.append(f"rule 3: an unescaped ',' in {name}")
        if name in TEXT_PROPERTIES and re.search(r"(?<!\\)(?:\\\\)*\\[^\\;,nN]", value):
            found.append(f"rule 3: an unknown escape in {name}")
    if stack:
        found.append(f"rule 9: {', '.join(stack)} not closed")
    for name in ("VERSION", "PRODID"):
        if counts.get(name) != 1:
            found.append(f"rule 4: {name} appears {counts.get(name, 0)} times")
    for tzid in sorted(tzids_used - tzids_defined):
        found.append(f"rule 7: no VTIMEZONE for TZID {tzid!r}")
        if tzid not in names():
            found.append(f"rule 8: {tzid!r} is not an IANA zone name")
    if components == 0:
        found.append("rule 9: no component")
    return found


def _event_problems(event: dict[str, list[tuple[dict[str, str], str]]], uids: list[str]) -> list[str]:
    found = []
    stamps, ids = event.get("DTSTAMP", []), event.get("UID", [])
    if len(stamps) != 1 or not STAMP.match(stamps[0][1]):
        found.append("rule 5: a VEVENT without one UTC DTSTAMP")
    if len(ids) != 1:
        found.append("rule 5: a VEVENT without one UID")
    elif ids[0][1] in uids:
        found.append(f"rule 5: the UID {ids[0][1]!r} is used twice")
    else:
        uids.append(ids[0][1])
    if "DTSTART" in event and "DTEND" in event:
        try:
            start = _when(event["DTSTART"][0][1], event["DTSTART"][0][0])
            end = _when(event["DTEND"][0][1], event["DTEND"][0][0])
            if type(start) is not type(end) or end <= start:  # type: ignore[operator]
                found.append("rule 6: the end is not after the start")
        except (KeyError, ValueError):
            found.append("rule 6: a start or an end that cannot be read")
    return found
