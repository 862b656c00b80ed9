"""The programme as a tagged PDF (PDF/UA-1), typeset by Typst from the same words as the HTML programme.

The `typst` wheel carries the compiler, and the fonts come from PyPI packages (Noto Sans for Latin, Greek and
Cyrillic, Noto Sans Arabic for Arabic, shaped right to left), so nothing is fetched or found on the machine:
system fonts are ignored and every PDF embeds the same subsets. The data goes in as JSON through
`sys.inputs`, never as generated markup, so no user text can act as Typst code.

Days and sessions are headings: they become the PDF's outline (bookmarks) and its tagged structure. The
export views keep the result in the shared rendering cache (`confman.cache`), keyed by agenda version and options.
"""

from __future__ import annotations

import json
import threading
from importlib import resources
from typing import Any

import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
import typst
from markdown_it import MarkdownIt

from confman.exports.programme import build_programme
from confman.exports.programme_text import Wording, programme_text

PAPERS = {"a4": "a4", "letter": "us-letter"}  # ?paper= values -> Typst's paper names
TEMPLATE = resources.files("confman.exports").joinpath("programme.typ").read_bytes()
FONT_FOLDERS = [str(fontpkg_noto_sans.ROOT / "files"), str(fontpkg_noto_sans_arabic.ROOT / "files")]

_markdown = MarkdownIt("commonmark")
_local = threading.local()  # a Compiler is not shared between threads; each keeps its own, fonts loaded once


def programme_pdf(request) -> bytes:
    """Render the programme of an `ExportRequest` in its paper size and wording (English A4 by default)."""
    words = request.wording or Wording()
    published_at = request.agenda.published_at
    # The PDF's dates are the version's, not the render's: the same agenda gives the same document everywhere.
    timestamp = published_at.replace(microsecond=0) if published_at else None
    return render_pdf(programme_text(build_programme(request), words), paper=request.paper, timestamp=timestamp)


def render_pdf(text: dict[str, Any], *, paper: str = "a4", timestamp=None) -> bytes:
    """Typeset `programme_text()` output. Raises typst.TypstError if the template and the data disagree."""
    data = {**text, "paper": PAPERS[paper], "days": [
        {**day, "sessions": [{**item, "description_blocks": description_blocks(item["description"])}
                             for item in day["sessions"]]} for day in text["days"]]}
    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = _local.compiler = typst.Compiler(
            font_paths=typst.Fonts(include_system_fonts=False, font_paths=FONT_FOLDERS), ignore_system_fonts=True)
    return compiler.compile(TEMPLATE, format="pdf", pdf_standards=["ua-1"], timestamp=timestamp,
                            sys_inputs={"programme": json.dumps(data)})


def description_blocks(source: str) -> list[dict[str, Any]]:
    """A session's Markdown description as paragraphs and list items of text runs (bold, italic): what the PDF
    keeps of it. Links keep their text; HTML in the source is dropped, as the HTML page's sanitiser drops it."""
    blocks: list[dict[str, Any]] = []
    in_item = 0
    for token in _markdown.parse(source or ""):
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "inline":
            runs = _runs(token.children or [])
            if runs:
                blocks.append({"kind": "item" if in_item else "paragraph", "runs": runs})
    return blocks


def _runs(children) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    strong = em = 0
    for child in children:
        if child.type == "strong_open":
            strong += 1
        elif child.type == "strong_close":
            strong -= 1
        elif child.type == "em_open":
            em += 1
        elif child.type == "em_close":
            em -= 1
        elif child.type in ("text", "code_inline", "softbreak", "hardbreak"):
            text = child.content if child.type in ("text", "code_inline") else " "
            runs.append({"text": text, "strong": strong > 0, "em": em > 0})
    return runs
