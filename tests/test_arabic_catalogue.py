"""The Arabic catalogue (issue 13, right to left): its six plural forms, and Arabic for every message of the base
layout, the navigation and the registration form, as the catalogue lists them and as the pages show them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import ngettext
from lxml import html as lxml_html
from registration_helpers import OPEN
from sqlalchemy import select

from confman.extensions import db
from confman.forms.registrations import RegistrationForm
from confman.models import Event
from confman.services import sample
from confman.timeutil import utcnow

ROOT = Path(__file__).resolve().parent.parent
ARABIC = ROOT / "confman/translations/ar/LC_MESSAGES/messages.po"
# CLDR's Arabic plural rule: zero, one, two, few (3–10), many (11–99), other (100–102, …).
PLURAL_FORMS = ("nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && n % 100 <= 10 ? 3 : "
                "n % 100 >= 11 && n % 100 <= 99 ? 4 : 5);")
# What the issue asks Arabic for at least: the base layout (header, language switcher, footer), the event's banner
# and navigation, the registration form and the page after it.
SOURCES = ("templates/base.html", "templates/_macros/event.html", "templates/_macros/forms.html",
           "templates/registrations/register.html", "templates/registrations/sent.html")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")


def arabic_catalogue():
    with ARABIC.open("rb") as po:
        return read_po(po)


def is_arabic(text) -> bool:
    return bool(_ARABIC_LETTER.search(str(text)))


def test_arabic_has_six_plural_forms_and_uses_each():
    catalogue = arabic_catalogue()

    assert catalogue.num_plurals == 6
    assert catalogue.plural_forms == PLURAL_FORMS


def test_arabic_counts_take_the_form_for_their_number(app):
    with app.test_request_context("/?lang=ar"):
        minutes = {n: ngettext("%(num)d minute", "%(num)d minutes", n) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102)}

    assert minutes[1] == "دقيقة واحدة" and minutes[2] == "دقيقتان"
    assert minutes[3] == "3 دقائق" and minutes[10] == "10 دقائق"  # few: 3 to 10
    assert minutes[11] == "11 دقيقة" and minutes[99] == "99 دقيقة"  # many: 11 to 99
    assert minutes[100] == "100 دقيقة" and minutes[0] == "0 دقيقة"
    assert len({minutes[n] for n in (0, 1, 2, 3, 11, 100)}) == 6


def test_arabic_translates_every_message_of_the_layout_navigation_and_registration_form():
    catalogue = arabic_catalogue()
    messages = [m for m in catalogue if m.id and any(loc.startswith(SOURCES) for loc, _ in m.locations)]

    missing = [m.id for m in messages
               if not all(is_arabic(s) for s in (m.string if isinstance(m.id, tuple) else (m.string,)))]

    assert len(messages) >= 25  # the header, the banner's navigation and the form's text are all in the catalogue
    assert missing == []


def test_the_registration_form_asks_in_arabic(app):
    with app.test_request_context("/?lang=ar"):
        form = RegistrationForm(organizations=())
        texts = {}
        for field in form:
            if field.type in ("CSRFTokenField", "HiddenField"):
                continue
            texts[f"{field.name} label"] = field.label.text
            if field.description:
                texts[f"{field.name} hint"] = field.description
            for choice in getattr(field, "choices", None) or ():
                texts[f"{field.name} choice {choice.value!r}"] = choice.label
            for validator in field.validators:
                if getattr(validator, "message", None):
                    texts[f"{field.name} error"] = validator.message
        form.validate()  # nothing filled in: every required field says so
        texts.update({f"{name} says": " ".join(map(str, errors)) for name, errors in form.errors.items()})

    assert len(texts) > 15
    assert [key for key, text in texts.items() if not is_arabic(text)] == []


def _interface_texts(page: str) -> dict[str, str]:
    """What the header, event banner, navigation, headings and the form's labels, legends and buttons say."""
    tree = lxml_html.fromstring(page)
    found = {}
    for path in ("//a[@class='skip-link']", "//nav[@class='account-nav']//a", "//nav[@class='event-nav']//a",
                 "//p[@class='sample-badge']", "//span[@class='co-hosts-label']", "//main//h1", "//main//h2",
                 "//form//label", "//form//legend", "//form//button", "//form//p[@class='hint']",
                 "//footer//p", "//nav[@class='language-nav']", "//nav[@class='event-nav']"):
        for n, element in enumerate(tree.xpath(path)):
            for own in element.xpath(".//*[@lang]"):  # a text in its own language (an event's title, a language)
                own.drop_tree()
            text = " ".join(element.text_content().split())
            if path.startswith("//nav"):
                text = element.get("aria-label", "")
            found[f"{path}[{n}]"] = text
    return found


@pytest.fixture
def prepcon(app):
    sample.load_sample(now=utcnow())
    event = db.session.scalar(select(Event).filter_by(slug=sample.PREPCON_SLUG))
    for key, value in OPEN.items():
        setattr(event, key, value)
    db.session.commit()
    return event


def test_the_registration_page_in_arabic_shows_no_english_interface_text(client, prepcon):
    response = client.get(f"/events/{prepcon.slug}/register?lang=ar")
    page = response.get_data(as_text=True)

    texts = _interface_texts(page)

    assert '<html lang="ar" dir="rtl">' in page
    assert len(texts) > 30
    assert {key: text for key, text in texts.items() if text and not is_arabic(text)} == {}



def test_the_agenda_and_event_pages_in_arabic_have_arabic_headings_and_navigation(client, prepcon):
    for path in (f"/events/{prepcon.slug}/agenda?lang=ar", f"/events/{prepcon.slug}/?lang=ar"):
        tree = lxml_html.fromstring(client.get(path).get_data(as_text=True))
        for own in tree.xpath("//*[@lang and not(self::html)]"):  # the event's texts, in their own language
            own.drop_tree()
        elements = tree.xpath("//main//h1 | //main//h2 | //nav[@class='event-nav']//a | //form//label")
        texts = {f"{element.tag}[{n}]": " ".join(element.text_content().split()) for n, element in enumerate(elements)}

        assert len(texts) > 3, path
        assert {key: text for key, text in texts.items() if text and not is_arabic(text)} == {}, path
