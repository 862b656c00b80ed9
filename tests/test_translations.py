"""French is complete: every public and delegate page rendered in French shows no English interface string, the
public templates write no text outside gettext, and every message `pybabel extract` finds has a French translation
(issue 13, "Show it works")."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from registration_helpers import OPEN, form
from sqlalchemy import select
from wtforms import StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired

from confman.extensions import db
from confman.forms import auth as forms_auth
from confman.forms import base as forms_base
from confman.forms import languages as forms_languages
from confman.forms import registrations as forms_registrations
from confman.models import (
    AgendaSession,
    AgendaVersion,
    Delegation,
    Event,
    Organization,
    OverQuotaPolicy,
    Registration,
    Speaker,
    Theme,
    User,
)
from confman.services import sample
from confman.web import sign_in_links, wording

from conftest import page_text
from factories import make_event, make_organization

ROOT = Path(__file__).resolve().parent.parent
FRENCH = ROOT / "confman/translations/fr/LC_MESSAGES/messages.po"
NOW = datetime(2021, 10, 18, 12, 0, tzinfo=UTC)
SLUG = sample.PREPCON_SLUG

# The public and delegate side: every GET page of these blueprints is walked (or listed in NOT_WALKED, saying why).
BLUEPRINTS = ("public", "registrations", "account", "auth", "live", "floor", "inscriptions", "language", "video")
NOT_WALKED = {
    "live.live_json": "JSON for the live page's script: no interface text",
    "floor.list_csv": "a CSV file",
    "floor.list_json": "JSON",
    "floor.statement_file": "a delegation's uploaded file",
    "language.choose": "a redirect (the switcher)",
    "inscriptions.edit": "needs an inscription; its form is the inscribe page's",
}


# --- The French catalogue ----------------------------------------------------------------------------------------

def french_catalogue():
    with FRENCH.open("rb") as po:
        return read_po(po)


_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
_MARKUP = re.compile(r"<[^>]+>")


def english_phrases(catalogue) -> dict[str, str]:
    """Fragments of English interface text that French words differently, each with the msgid it comes from.
    A whole msgid counts when it has two words or more, a msgid's text between placeholders or tags when it has
    three: single words ("PDF", "Live") and pairs such as "was not" would also match user content and names."""
    phrases = {}
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings:
                continue  # French says it the same way ("Description", "Date")
            pieces = _PLACEHOLDER.sub("\0", _MARKUP.sub("\0", msgid)).split("\0")
            for piece in pieces:
                piece = " ".join(piece.split()).strip(" ,.:;()·—–-“”")
                words = len(re.findall(r"[A-Za-z]{2,}", piece))
                if words >= (2 if len(pieces) == 1 else 3) and piece not in strings:
                    phrases.setdefault(piece, msgid)
    return phrases


def english_found(text: str, phrases: dict[str, str]) -> list[str]:
    found = []
    for piece, msgid in phrases.items():
        if re.search(r"(?<![\w-])" + re.escape(piece) + r"(?![\w-])", text):
            found.append(f"{piece!r} (msgid {msgid!r})")
    return sorted(found)


# --- Walking the URL map -----------------------------------------------------------------------------------------

def content_strings() -> list[str]:
    """What organizers and delegates typed (titles, names, descriptions): English here, and not interface text."""
    values = []
    for model, columns in ((Event, ("title", "short_title", "description", "venue", "registration_notice")),
                           (AgendaSession, ("title", "description", "channel")),
                           (Speaker, ("honorific", "name", "title", "bio")),
                           (Theme, ("name",)), (Organization, ("name", "short_name")),
                           (Registration, ("name", "title", "honorific", "needs")), (User, ("name",)),
                           (AgendaVersion, ("comment",))):
        for row in db.session.scalars(select(model)):
            values += [str(getattr(row, c)) for c in columns if getattr(row, c, None)]
    return sorted(set(values), key=len, reverse=True)


def visible_text(response, content: list[str]) -> str:
    """The page's visible text with user content cut out; attributes people read (title, placeholder, alt,
    aria-label) too."""
    html = response.get_data(as_text=True)
    attributes = " ".join(re.findall(r'\b(?:title|placeholder|alt|aria-label|data-confirm)="([^"]*)"', html))
    text = page_text(response) + " " + attributes
    for value in content:
        for line in value.splitlines():
            line = " ".join(line.replace("*", "").split())
            if len(line) > 3:
                text = text.replace(line, " ¶ ")
    return text


def _url_values(delegate: User) -> dict:
    event = db.session.scalar(select(Event).filter_by(slug=SLUG))
    item = db.session.scalars(select(AgendaSession).filter_by(event_id=event.id)
                              .where(AgendaSession.starts_at.is_not(None))
                              .order_by(AgendaSession.starts_at)).first()
    speaker = db.session.scalars(select(Speaker).filter_by(event_id=event.id).order_by(Speaker.id)).first()
    return {"slug": SLUG, "session_id": item.id, "speaker_id": speaker.id,
            "token": sign_in_links.sign_in_token(delegate)}


def pages(app, delegate: User) -> list[str]:
    """Every GET page of the public and delegate blueprints, with URL values from the PrepCon sample."""
    values = _url_values(delegate)
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.split(".")[0] not in BLUEPRINTS:
            continue
        if rule.endpoint in NOT_WALKED:
            continue
        missing = set(rule.arguments) - set(values)
        assert not missing, f"{rule.endpoint} needs {missing}: give it a value or list it in NOT_WALKED"
        with app.test_request_context():
            from flask import url_for

            urls.append(url_for(rule.endpoint, **{a: values[a] for a in rule.arguments}, lang="fr"))
    # Error pages, and a used sign-in link's page.
    urls += ["/events/no-such-event/?lang=fr", "/account/sign-in/not-a-link?lang=fr", "/submit/not-a-link?lang=fr"]
    return sorted(set(urls))


@pytest.fixture
def prepcon(app):
    """The PrepCon sample (in English and French, interpreted), its registration open so the form shows."""
    sample.load_sample(now=NOW, interpretation=True)
    event = db.session.scalar(select(Event).filter_by(slug=SLUG))
    event.registration_opens_at = datetime(2000, 1, 1, tzinfo=UTC)
    event.registration_closes_at = datetime(2100, 1, 1, tzinfo=UTC)
    db.session.commit()
    return db.session.scalar(select(User).filter_by(email=sample.SAMPLE_ACCOUNTS["delegate"]))


def walk(client, urls, posts=()) -> dict[str, list[str]]:
    """English interface text on each page (GET `urls`, POST `posts` with no data: a form's errors)."""
    phrases = english_phrases(french_catalogue())
    content = content_strings()
    english = {}
    client.get("/language/fr")  # a French visitor: pages a redirect leads to (sign in first...) stay French
    for method, url in [("GET", url) for url in urls] + [("POST", url) for url in posts]:
        response = client.open(url, method=method, follow_redirects=True)
        assert response.status_code in (200, 400, 404), f"{url}: {response.status_code}"
        if not response.mimetype == "text/html":
            continue
        assert 'lang="fr"' in response.get_data(as_text=True)[:200], url
        if found := english_found(visible_text(response, content), phrases):
            english[url] = found
    return english


def report(english: dict[str, list[str]]) -> str:
    return "English on French pages:\n" + "\n".join(f"{url}:\n    " + "\n    ".join(found)
                                                   for url, found in sorted(english.items()))


def test_every_public_page_in_french_has_no_english_interface_text(client, app, prepcon):
    english = walk(client, pages(app, prepcon), posts=[f"/events/{SLUG}/register?lang=fr"])

    assert english == {}, report(english)


def test_every_delegate_page_in_french_has_no_english_interface_text(client, app, prepcon):
    client.post("/login", data={"email": prepcon.email, "password": sample.SAMPLE_PASSWORD})

    english = walk(client, pages(app, prepcon))

    assert english == {}, report(english)


def test_the_registration_form_and_its_errors_are_french(client, app, prepcon):
    english = walk(client, [f"/events/{SLUG}/register?lang=fr", f"/events/{SLUG}/register/sent?lang=fr",
                            "/account/sign-in?lang=fr", "/account/sign-in/not-a-link?lang=fr"],
                   posts=[f"/events/{SLUG}/register?lang=fr"])

    assert english == {}, report(english)


def test_the_walk_finds_an_untranslated_string(client, app, prepcon):
    """The check can fail: a page shows a msgid French does not translate, and the walk names it."""
    phrases = english_phrases(french_catalogue())

    found = english_found("Inscrivez-vous Skip to content ici", phrases)

    assert phrases["Skip to content"] == "Skip to content"
    assert found == ["'Skip to content' (msgid 'Skip to content')"]


def test_a_refusal_of_the_registration_services_reaches_a_french_delegate_in_french(client, app):
    event = make_event(slug="prepcon", **OPEN)
    org = make_organization(name="Kingdom of the Netherlands")
    db.session.add(Delegation(event=event, organization=org, quota=1, over_quota_policy=OverQuotaPolicy.REFUSE))
    db.session.commit()
    client.post("/events/prepcon/register", data=form(email="one@example.org", organization=str(org.id)),
                content_type="multipart/form-data")

    refused = client.post("/events/prepcon/register?lang=fr", content_type="multipart/form-data",
                          data=form(email="two@example.org", organization=str(org.id)))
    not_pdf = client.post("/events/prepcon/register?lang=fr", content_type="multipart/form-data",
                          data=form(email="three@example.org", document=(io.BytesIO(b"hello"), "letter.pdf")))

    assert refused.status_code == 400 and not_pdf.status_code == 400
    assert ("La délégation de Kingdom of the Netherlands est complète (quota : 1). Veuillez contacter le point "
            "focal de votre délégation.") in page_text(refused)
    assert "Le fichier n’est pas un PDF. Veuillez téléverser le document au format PDF." in page_text(not_pdf)


def test_the_event_pages_changelog_is_worded_in_french(app):
    moved = {"change": "moved", "title": "Opening", "from": "2021-10-25T13:00:00+00:00", "duration_from": 1800,
             "to": "2021-10-25T14:00:00+00:00", "duration_to": 1800}
    speakers = {"change": "speakers", "title": "Panel", "detail": "added H.E. Ada", "added": ["H.E. Ada"],
                "removed": []}

    with app.test_request_context("/?lang=fr"):
        words = [wording.describe_change(c, ZoneInfo("Europe/Amsterdam")) for c in (moved, speakers)]

    assert words == ["« Opening » déplacée du lun. 25 oct. 15:00–15:30 au lun. 25 oct. 16:00–16:30",
                     "Orateurs de « Panel » : ajout de H.E. Ada"]


# --- Templates of the area write nothing outside gettext ---------------------------------------------------------

AREAS = ("templates/public", "templates/registrations", "templates/live", "templates/errors", "templates/auth",
         "templates/_macros")
TEMPLATES = sorted([p for area in AREAS for p in (ROOT / area).rglob("*.html")] + [
    ROOT / f"templates/{name}" for name in ("base.html", "account/home.html", "video/link_problem.html",
                                             "exports/_agenda_links.html", "exports/_session_links.html",
                                             "exports/_speaker_links.html")])

_JINJA = re.compile(r"\{%-? trans\b.*?endtrans -?%\}|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_MACHINE = re.compile(r"<(script|style|code)\b.*?</\1>|<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]*>", re.S)
_ATTRIBUTE = re.compile(r'\b(title|placeholder|aria-label|alt|data-confirm)="([^"]*)"')
_WORD = re.compile(r"[^\W\d_]{2,}")
# Names, not words: the product's (page title, header), file formats and calendar services.
NAMES = {"confman", "· confman", "PDF", "schedule.json", "schedule.xml", "Outlook.com", "Microsoft 365"}


def literal_text(source: str) -> list[str]:
    found = [f'{name}="{value}"' for name, value in _ATTRIBUTE.findall(source)
             if _WORD.search(_JINJA.sub("", value))]
    text = _TAG.sub("\0", _MACHINE.sub("\0", _JINJA.sub("\0", source)))
    found += [" ".join(chunk.split()) for chunk in text.split("\0") if _WORD.search(chunk)]
    return [f for f in found if f not in NAMES]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_public_template_has_no_literal_interface_text(path):
    assert literal_text(path.read_text()) == []


# --- Forms of the area word their labels, hints and messages through gettext ---------------------------------------

FORM_MODULES = (forms_auth, forms_base, forms_languages, forms_registrations)


def _literal_words(value) -> bool:
    """Plain text with letters: English written into a form, which no language but English can read."""
    return isinstance(value, str) and bool(_WORD.search(value))


def form_literals(module) -> list[str]:
    found = []
    for name, form_class in vars(module).items():
        if not (isinstance(form_class, type) and issubclass(form_class, FlaskForm)) or \
                form_class.__module__ != module.__name__:
            continue
        for field_name, unbound in vars(form_class).items():
            if not isinstance(unbound, UnboundField):
                continue
            texts = [*unbound.args[:1], unbound.kwargs.get("label"), unbound.kwargs.get("description")]
            texts += [getattr(v, "message", None) for v in unbound.kwargs.get("validators") or ()]
            found += [f"{name}.{field_name}: {t!r}" for t in texts if _literal_words(t)]
    return found


def test_form_literals_finds_english_written_into_a_form():
    class Sample(FlaskForm):
        wrapped = StringField(_l("Wrapped"))
        loose = StringField("Loose words", validators=[DataRequired("Say something.")])

    module = type(sys)("sample_forms")
    Sample.__module__ = module.__name__
    module.Sample = Sample

    assert form_literals(module) == ["Sample.loose: 'Loose words'", "Sample.loose: 'Say something.'"]


@pytest.mark.parametrize("module", FORM_MODULES, ids=lambda m: m.__name__)
def test_delegate_forms_write_no_literal_text(module):
    assert form_literals(module) == []


# --- CI fails when French lacks a message ------------------------------------------------------------------------

def extract(tmp_path) -> Path:
    """`pybabel extract` with the Makefile's options (target `translations`)."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "--ignore-dirs", ".*", "--sort-output", "--add-location=file", "--no-wrap", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    return pot


def test_french_translates_every_extracted_message(tmp_path):
    with extract(tmp_path).open("rb") as f:
        extracted = read_po(f)
    french = french_catalogue()

    untranslated = sorted(str(m.id) for m in extracted if m.id and not (
        (found := french.get(m.id)) is not None
        and (all(found.string) if isinstance(found.string, tuple) else found.string)))

    assert untranslated == []
