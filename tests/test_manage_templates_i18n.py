"""The organizer, moderator and video-office templates write no interface text outside gettext, and French
translates every message they (and their views and forms) use."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
AREAS = ("templates/manage", "templates/moderate", "templates/video")
TEMPLATES = sorted(p for area in AREAS for p in (ROOT / area).rglob("*.html"))
# Code the area owns besides its templates: views, forms and the web layer's wording of domain codes.
SOURCES = ("templates/manage/", "templates/moderate/", "templates/video/", "confman/web/manage/",
           "confman/web/wording.py", "confman/web/moderate.py", "confman/web/moderate_floor.py",
           "confman/web/video.py", "confman/forms/manage.py", "confman/forms/video.py", "confman/forms/moderate.py",
           "confman/forms/webhooks.py")

_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_MACHINE = re.compile(r"<(script|style|code)\b.*?</\1>|<!--.*?-->", re.S)  # code: CSV column names, headers
_TAG = re.compile(r"<[^>]*>", re.S)
_ATTRIBUTE = re.compile(r'\b(title|placeholder|aria-label|alt|data-confirm)="([^"]*)"')
_WORD = re.compile(r"[^\W\d_]{2,}")


def literal_text(source: str) -> list[str]:
    """Text a reader would see that does not go through gettext: outside Jinja, tags and code, with letters."""
    found = [f'{name}="{value}"' for name, value in _ATTRIBUTE.findall(source)
             if _WORD.search(_JINJA.sub("", value))]
    text = _TAG.sub("\0", _MACHINE.sub("\0", _JINJA.sub("\0", source)))
    found += [" ".join(chunk.split()) for chunk in text.split("\0") if _WORD.search(chunk)]
    return found


def test_literal_text_finds_what_is_not_wrapped():
    source = '<p title="Hint">{{ _("Wrapped") }} Loose words <code>email</code></p>{# a comment #}'

    assert literal_text(source) == ['title="Hint"', "Loose words"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_literal_interface_text(path):
    assert literal_text(path.read_text()) == []


def test_french_translates_every_message_of_the_area():
    with (ROOT / "confman/translations/fr/LC_MESSAGES/messages.po").open("rb") as po:
        catalogue = read_po(po)

    missing = [m.id for m in catalogue if m.id and any(loc.startswith(SOURCES) for loc, _ in m.locations)
               and not (m.string if isinstance(m.id, str) else all(m.string))]

    assert missing == []
