"""JSON-LD inside an HTML page: the text of each ``<script type="application/ld+json">`` element,
found by the standard library's HTML parser (which reads a script's content as the browser does:
raw text up to its end tag), each with the line of the page it starts on."""

from __future__ import annotations

import functools
from typing import Any

_BLANK = b"\xef\xbb\xbf \t\r\n\x0c"
#: How pages start: a document type, the root element or one of its first children, a comment, or
#: the library's own ``html=yes`` snippet (a script element alone).
_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<script", b"<link", b"<!--")
_JSON_LD = "application/ld+json"


def looks_like_page(head: bytes) -> bool:
    """Whether the input is HTML (a page, or a snippet of one), by its first bytes."""
    return head.lstrip(_BLANK)[:15].lower().startswith(_STARTS)


@functools.cache
def _parser_class() -> Any:
    """The parser of script elements, defined on the first page read (registering the format,
    and recognising inputs, load no HTML parser)."""
    from html.parser import HTMLParser

    class _Scripts(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.blocks: list[tuple[int, str]] = []
            self.open: tuple[int, list[str]] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag != "script":
                return
            kind = next((value or "" for name, value in attrs if name == "type"), "")
            if kind.split(";")[0].strip().lower() == _JSON_LD:
                self.open = (self.getpos()[0], [])

        def handle_data(self, data: str) -> None:
            if self.open is not None:
                self.open[1].append(data)

        def handle_endtag(self, tag: str) -> None:
            if tag == "script":
                self.finish()

        def finish(self) -> None:
            if self.open is not None:
                self.blocks.append((self.open[0], "".join(self.open[1])))
                self.open = None

    return _Scripts


def json_ld_blocks(data: bytes) -> list[tuple[int, bytes]]:
    """The JSON-LD blocks of a page, in page order, each as (its line, its text as UTF-8); blocks
    that hold nothing are passed over. A page is read as UTF-8 (a byte that is none is replaced)."""
    parser = _parser_class()()
    parser.feed(data.decode("utf-8", errors="replace").removeprefix("\ufeff"))
    parser.close()
    parser.finish()  # a script element the page never closes ends with the page
    found = []
    for line, text in parser.blocks:
        inner = _unwrapped(text)
        if inner:
            found.append((line, inner.encode()))
    return found


def _unwrapped(text: str) -> str:
    """The JSON of a block, without the comment or CDATA markers older pages wrap scripts in."""
    inner = text.strip()
    for start, end in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
        if inner.startswith(start) and inner.endswith(end):
            inner = inner[len(start) : -len(end)].strip()
    return inner
