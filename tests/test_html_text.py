"""HTML in imported text becomes the plain text a reader of the page sees: paragraphs apart, links
readable, no markup and no character references left; text without markup passes unchanged."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from mastery_model.html_text import as_html, holds_html, plain_text

#: Text without markup: no ``<`` and no ``&`` (so neither a tag nor a character reference).
_PLAIN = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="<&"), max_size=80)
_WORDS = st.lists(st.text("abcdefghijklmnopqrstuvwxyzéß", min_size=1, max_size=12), min_size=1, max_size=8)


def test_paragraphs_lists_and_links_are_kept_readable() -> None:
    abstract = (
        '<p>We look at <a href="https://example.org/talk#slides">the slides</a> first.</p>\n'
        "<p>Then:</p><ul><li>one</li><li>two &amp; three</li></ul>"
    )
    assert plain_text(abstract) == (
        "We look at [the slides](https://example.org/talk#slides) first.\n\nThen:\n\n  * one\n  * two & three"
    )


def test_scripts_styles_and_comments_are_not_text() -> None:
    assert plain_text("<style>p {color: red}</style><!-- note --><script>alert(1)</script><p>Shown</p>") == "Shown"


def test_line_breaks_become_lines() -> None:
    assert plain_text("first<br>second<br/>third") == "first\nsecond\nthird"


@given(_PLAIN)
def test_text_without_markup_is_unchanged(text: str) -> None:
    assert not holds_html(text)
    assert plain_text(text) == text


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&"), max_size=80))
def test_a_character_reference_is_markup_and_is_resolved(text: str) -> None:
    # (control characters are not text in HTML: the parser drops or replaces them)
    escaped = html.escape(text, quote=False) + "&amp;"
    assert holds_html(escaped)
    rendered = plain_text(escaped)
    assert "&amp;" not in rendered
    assert " ".join(rendered.split()) == " ".join((text + "&").split())


@given(_WORDS, st.sampled_from(["p", "div", "li", "h2", "blockquote"]))
def test_no_tag_is_left_and_every_word_is(words: list[str], tag: str) -> None:
    marked = "".join(f"<{tag}><em>{word}</em></{tag}>" for word in words)
    rendered = plain_text(marked)
    assert "<" not in rendered
    assert ">" not in rendered
    assert [part for part in rendered.split() if part != "*"] == words  # list items get a bullet


def test_what_is_not_a_tag_is_not_markup() -> None:
    for text in ("3 < 4 and 5 > 2", "a<b", "AT&T", "x & y", "<>", "< p>"):
        assert not holds_html(text), text


# Plain text written where readers take HTML: each line without trailing spaces (an HTML renderer
# ends lines there), no blank line at either end.
_LINES = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30).map(str.rstrip),
    min_size=1,
    max_size=4,
).map(lambda lines: "\n".join(lines).strip("\n"))


@given(_LINES | st.sampled_from(["The <video> element", "@<language>", "AT&amp;T", "<p>not markup</p>"]))
def test_a_text_written_as_html_reads_back_as_itself(text: str) -> None:
    assert plain_text(as_html(text)) == text
