"""The participants' list the user gives: a CSV file (UTF-8, a BOM allowed) with the columns
``name`` and ``email`` (other columns are read past), read a row at a time.

The list is outside input: every row is checked, and a row that cannot be used stops the export
with the line it is on (and never its values, which are personal data). It is never kept: each row
becomes a credential and is forgotten.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from typing import IO

from attrs import frozen

from mastery_model import MasteryError

COLUMNS = ("name", "email")
#: An address as mail systems take it: a local part and a domain with a dot, no space or control.
_ADDRESS = re.compile(r"[^@\s]{1,64}@[^@\s.][^@\s]*\.[^@\s.]+")
_BREAKING = frozenset(("Cc", "Cs", "Zl", "Zp", "Cf"))
MAX_NAME = 500
MAX_ADDRESS = 254


class BadParticipants(MasteryError):
    """The participants' list cannot be used as it is: the message says where and why."""


@frozen
class Participant:
    name: str
    email: str  # as given, trimmed; :func:`normalised` is what is hashed


def normalised(email: str) -> str:
    """The address that is hashed: trimmed and lower-cased (addresses differ only in case in
    almost no mail system, and a holder types theirs as they like)."""
    return email.strip().lower()


def _field(value: str) -> str | None:
    """Why a value cannot be written into a credential, or None."""
    if any(unicodedata.category(character) in _BREAKING for character in value):
        return "holds a control character"
    return None


def read(source: str | os.PathLike[str], shown: str | None = None) -> Iterator[Participant]:
    """The participants of the file ``source``, in its order; :class:`BadParticipants` for the first
    row that cannot be used (an address seen before included: the same person twice)."""
    where = shown or os.fspath(source)
    try:
        stream = open(source, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below, or by the generator
    except OSError as error:
        raise BadParticipants(f"{where} cannot be read: {error.strerror or error}") from None
    with stream:
        yield from rows(stream, where)


def rows(stream: IO[str], where: str) -> Iterator[Participant]:
    """The participants of a text stream (see :func:`read`)."""
    reader = csv.reader(stream, strict=True)
    seen: set[bytes] = set()  # digests of the addresses so far: 32 bytes each, never the addresses
    try:
        header = next(reader, None)
        if header is None:
            raise BadParticipants(f"{where} is empty: it needs a header row with the columns name and email")
        columns = [column.strip().lower() for column in header]
        if columns:  # a BOM the stream did not take (a file opened as utf-8-sig has none left)
            columns[0] = columns[0].removeprefix("\ufeff").strip()
        missing = [column for column in COLUMNS if column not in columns]
        if missing:
            raise BadParticipants(
                f"{where}, line 1: the header has no column {' or '.join(missing)} (it needs name and email)"
            )
        if any(columns.count(column) > 1 for column in COLUMNS):
            raise BadParticipants(f"{where}, line 1: the header names a column twice")
        name_at, email_at = columns.index("name"), columns.index("email")
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line, as spreadsheets leave at the end
            if len(row) <= max(name_at, email_at):
                raise BadParticipants(f"{where}, line {line}: the row has {len(row)} cells, short of name and email")
            name, email = row[name_at].strip(), row[email_at].strip()
            for column, value, limit in (("name", name, MAX_NAME), ("email", email, MAX_ADDRESS)):
                if not value:
                    raise BadParticipants(f"{where}, line {line}: the {column} is empty")
                problem = _field(value) or (f"is longer than {limit} characters" if len(value) > limit else None)
                if problem:
                    raise BadParticipants(f"{where}, line {line}: the {column} {problem}")
            if not _ADDRESS.fullmatch(email):
                raise BadParticipants(f"{where}, line {line}: the email is not an e-mail address (name@example.org)")
            digest = hashlib.sha256(normalised(email).encode("utf-8")).digest()
            if digest in seen:
                raise BadParticipants(f"{where}, line {line}: the email is on an earlier line too (one row a person)")
            seen.add(digest)
            yield Participant(name, email)
    except csv.Error as error:
        raise BadParticipants(f"{where}, line {reader.line_num}: not CSV as read here ({error})") from None
    except UnicodeDecodeError:
        raise BadParticipants(f"{where}, after line {reader.line_num}: not UTF-8 text") from None


def parse(text: str, where: str = "<participants>") -> list[Participant]:
    """The participants in ``text`` (for tests and small lists)."""
    return list(rows(io.StringIO(text, newline=""), where))
