"""The programme as a PDF, rendered by WeasyPrint from the same template as the HTML page.

The export views keep it in the shared rendering cache (`confman.cache`), keyed by agenda version and options.

Title, author and language come from the HTML (`<title>`, `<meta name=author>`, `<html lang>`); the text is
real text. Nothing is fetched while rendering: the stylesheet is read from the package, other URLs are refused.
"""

from __future__ import annotations

from confman import resource_dir
from confman.exports.programme import build_programme

STYLESHEET = resource_dir("static") / "css" / "programme.css"


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
