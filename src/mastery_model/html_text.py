"""HTML in imported text, as plain text: schedules and web pages often hold abstracts written as
HTML (``<p>``, ``<a href>``), and the model's texts are plain.

The conversion is inscriptis's (a maintained HTML-to-text renderer that lays out paragraphs, lists
and tables as a browser would), with each link's address kept after its text. It is loaded only
when a text holds markup: text without any is returned as it is, its line breaks included, which an
HTML renderer would fold into spaces.
"""

from __future__ import annotations

import html
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
    from inscriptis import _get_html_tree
    from inscriptis.html_engine import Inscriptis

    tree = _get_html_tree(text)
    if tree is None:
        return ""
    # inscriptis unescapes character references once more after the parser did (2.7): text that
    # says "&amp;lt;", or a link with "&copy=1" in its query, would come out changed. Escaping
    # each ampersand the parser left gives the renderer back what the page says.
    for element in tree.iter():
        if element.text:
            element.text = element.text.replace("&", "&amp;")
        if element.tail:
            element.tail = element.tail.replace("&", "&amp;")
        if "href" in element.attrib:
            element.attrib["href"] = element.attrib["href"].replace("&", "&amp;")
    rendered: str = Inscriptis(tree, _config()).get_text()
    # the renderer pads lines and stacks blank ones where blocks meet: one blank line parts paragraphs
    lines = [line.rstrip() for line in rendered.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def as_html(text: str) -> str:
    """A plain text written where readers take HTML (schedule abstracts, schema.org descriptions),
    so that :func:`plain_text` gives it back: a text that would read as HTML (it holds ``<video>``
    or ``&lt;`` as text) is escaped, inside a ``<pre>`` where it has spaces or lines that HTML
    would fold; any other text is written as it is."""
    if not holds_html(text):
        return text
    escaped = html.escape(text, quote=False)
    return escaped if " ".join(text.split()) == text else f"<pre>{escaped}</pre>"


@cache
def _config() -> Any:
    from inscriptis.model.config import ParserConfig

    return ParserConfig(display_links=True)
