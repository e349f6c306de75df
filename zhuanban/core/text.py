"""Rich text (minutes, notices, plans, a task force's core matter and summary): sanitised on the way in,
rendered safely on the way out.

Rich-text fields hold **markdown source**.  On the way in, :func:`sanitize_rich_text` runs the text
through nh3 with the allow-list below, so markup that is not allowed (``<script>``, ``<iframe>``, event
handlers, ``javascript:`` links, ``style``) never reaches the database, while ordinary characters
(``a < b``, ``R&D``) are kept as typed.  On the way out, :func:`render_markdown` renders the markdown with
raw HTML disabled and sanitises the result again with :func:`sanitize_html`; templates use
``{{ value|markdown }}`` (``{% load richtext %}``).
"""

from __future__ import annotations

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

# Enough for minutes, notices and plans; nothing that can run code or restyle the page.
ALLOWED_TAGS: frozenset[str] = frozenset({
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "h3", "h4", "blockquote", "code", "pre", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "a",
})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "th": {"colspan", "rowspan"},
                                           "td": {"colspan", "rowspan"}}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
# Tags whose content is dropped with them (the text of a script is not prose).
DROP_CONTENT: frozenset[str] = frozenset({"script", "style", "iframe", "object", "embed", "template",
                                          "noscript", "svg", "math", "textarea", "select"})


def sanitize_html(value: str | None) -> str:
    """``value`` as HTML that keeps only the allow-listed tags and attributes.

    No ``<script>``/``<style>``, no ``on*`` event handlers, no ``style`` attributes, links only to
    http(s)/mailto or relative URLs, and every link gets ``rel="noopener noreferrer"``.
    """
    if not value:
        return ""
    return nh3.clean(
        str(value),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitize_rich_text(value: str | None) -> str:
    """Markdown source with disallowed markup removed, for storing a rich-text field.

    nh3 escapes ``<``/``&`` in text; they are decoded again so the stored source reads as typed.  The
    decode may uncover markup that was entity-encoded (``&lt;script&gt;``), so clean and decode repeat
    until nothing changes (each round peels one level; a few rounds settle any real input).
    """
    if value is None:
        return ""
    text = str(value)
    for _ in range(8):
        cleaned = html.unescape(sanitize_html(text))
        if cleaned == text:
            return text
        text = cleaned
    # Pathologically nested encodings: fall back to the escaped (inert) form.
    return sanitize_html(text)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    return md


def render_markdown(value: str | None) -> str:
    """HTML for markdown ``value``: raw HTML in the source is shown as text, headings become h3/h4 (the
    page already has h1/h2), and the result passes :func:`sanitize_html`."""
    if not value:
        return ""
    md = _markdown()
    tokens = md.parse(str(value))
    for tok in tokens:
        if tok.type in ("heading_open", "heading_close"):
            tok.tag = "h3" if tok.tag in ("h1", "h2", "h3") else "h4"
    return sanitize_html(md.renderer.render(tokens, md.options, {}))
