"""The programme as a PDF, rendered by WeasyPrint from the same template as the HTML page, and cached on disk.

Title, author and language come from the HTML (`<title>`, `<meta name=author>`, `<html lang>`); the text is
real text. Nothing is fetched while rendering: the stylesheet is read from the package, other URLs are refused.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from confman.exports.programme import build_programme

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "programme.css"


class RenderingUnavailable(RuntimeError):
    pass


def programme_pdf(request) -> bytes:
    """Render the programme of an `ExportRequest` (which must carry `render_html`)."""
    if request.render_html is None:
        raise RenderingUnavailable("the programme PDF needs the programme template (render_html)")
    html = request.render_html(build_programme(request), for_pdf=True)
    return render_pdf(html)


def render_pdf(html: str) -> bytes:
    import weasyprint  # slow to import: only when a PDF is really made

    document = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch, base_url=str(STYLESHEET.parent))
    return document.write_pdf(stylesheets=[weasyprint.CSS(filename=str(STYLESHEET))])


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the programme PDF fetches nothing ({url})")


def cached(folder: Path, name: str, produce: Callable[[], bytes], *, keep_prefix: str = "") -> bytes:
    """The file `folder/name` if it exists, else `produce()` written there atomically (parallel workers are safe).

    When a new file is written, files in `folder` not starting with `keep_prefix` (older agenda versions) go.
    """
    path = folder / name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = produce()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)
    if keep_prefix:
        for old in folder.iterdir():
            if not old.name.startswith((keep_prefix, ".tmp-")):
                old.unlink(missing_ok=True)
    return data
