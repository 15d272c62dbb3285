"""HTML fragments (feed entry bodies) to plain text: tags removed, one paragraph per line.

Feed entries carry small, trusted fragments, so the standard library's parser is enough;
full pages go through trafilatura instead (see :mod:`rag.readers.html`), which can tell an
article from the navigation around it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that end a paragraph: their boundaries become line breaks.
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td th thead tr ul".split()
)
# Elements whose content is never text a reader sees.
_INVISIBLE = frozenset({"script", "style", "template", "noscript", "head", "title"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities (&amp;, &#233;) arrive decoded
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self._hidden_depth += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:  # <br/>, <hr/>
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            # Source newlines inside a paragraph are layout, not structure.
            self.parts.append(data.replace("\n", " "))


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment, paragraphs separated by ``"\\n"``.

    Plain text (no tags) comes back with its whitespace tidied, so a feed that puts plain
    text in its description is handled the same way.
    """
    if "<" not in fragment:
        lines = (_SPACES.sub(" ", line).strip() for line in fragment.splitlines())
        return "\n".join(line for line in lines if line)
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)
