"""HTML in imported text, as plain text: schedules and web pages often hold abstracts written as
HTML (``<p>``, ``<a href>``), and the model's texts are plain.

The conversion is inscriptis's (a maintained HTML-to-text renderer that lays out paragraphs, lists
and tables as a browser would), with each link's address kept after its text. It is loaded only
when a text holds markup: text without any is returned as it is, its line breaks included, which an
HTML renderer would fold into spaces.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# A start or end tag of an element, a comment, or a character reference: what makes a text HTML.
# Deciding this takes a pattern; the conversion itself is the library's.
_MARKUP = re.compile(
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--"
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
)


def holds_html(text: str) -> bool:
    """Whether the text holds HTML markup (a tag, a comment or a character reference)."""
    return _MARKUP.search(text) is not None


def plain_text(text: str) -> str:
    """The text a reader sees where ``text`` is shown as HTML: paragraphs apart, list items on
    lines of their own, each link as its text followed by its address; markup and character
    references gone. A text without markup is returned unchanged."""
    if not holds_html(text):
        return text
    from inscriptis import get_text

    rendered: str = get_text(text, _config())
    # the renderer pads lines and stacks blank ones where blocks meet: one blank line parts paragraphs
    lines = [line.rstrip() for line in rendered.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


@cache
def _config() -> Any:
    from inscriptis.model.config import ParserConfig

    return ParserConfig(display_links=True)
