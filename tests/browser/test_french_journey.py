"""A delegate's journey in French, from `make serve`'s data in Chromium: switch the demo event to French, register,
receive the confirmation mail in French, sign in with its link, pick a session and subscribe to the personal feed,
which speaks French without being asked (the language registered in), and open the programme PDF in French."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from registration_helpers import PDF

from confman.services import demo

pytestmark = pytest.mark.browser


def test_a_delegate_registers_subscribes_and_prints_in_french(page, serve, tmp_path):
    note = tmp_path / "note-verbale.pdf"
    note.write_bytes(PDF)
    page.goto(f"{serve.url}/events/{demo.DEMO_SLUG}/")
    page.get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="S’inscrire").first.click()
    page.get_by_label("Nom complet").fill("Aïssata Diop")
    page.get_by_label("Courriel").fill("aissata@mission.example")
    page.get_by_label("Organisation ou délégation").select_option(label="Republic of Ghana (demo)")
    page.get_by_label("Catégorie").select_option(label="Délégué d’un État Membre")
    page.get_by_label("Note verbale ou lettre de désignation (PDF)").set_input_files(str(note))
    page.get_by_label("J’ai lu l’avis de confidentialité").check()
    page.get_by_role("button", name="S’inscrire").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()

    [mail] = [m for m in serve.mailbox.mails if "To: aissata@mission.example" in m]
    assert "Subject: " in mail and "inscription" in mail.lower(), mail
    assert "Your registration" not in mail and "Thank you" not in mail, mail
    link = re.search(r"http://127\.0\.0\.1:\d+/account/sign-in/\S+", mail).group(0)
    page.goto(link)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon inscription", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="État : Approuvée")).to_be_visible()

    page.get_by_role("link", name="Choisissez les séances auxquelles vous assisterez").click()
    page.get_by_label(re.compile("Video message: Minister of Defence")).check()
    page.get_by_role("button", name="Enregistrer mon programme").click()
    expect(page.get_by_text("Votre programme a été enregistré.")).to_be_visible()
    page.get_by_role("link", name="Mon inscription").click()
    calendar = page.get_by_role("region", name="Mon lien de calendrier")
    feed_url = calendar.locator("code").inner_text()
    feed = page.request.get(feed_url.replace("webcal://", "http://"))
    assert feed.ok and feed.headers["content-language"] == "fr"
    text = feed.text()
    assert "LANGUAGE=fr" in text and "Message vidéo" in text  # the title is the session's own (English) content

    page.goto(f"{serve.url}/events/{demo.DEMO_SLUG}/agenda")
    pdf_link = page.get_by_role("link", name="PDF")
    assert "lang=fr" in pdf_link.get_attribute("href")
    programme = page.request.get(serve.url + pdf_link.get_attribute("href"))
    assert programme.ok and programme.headers["content-language"] == "fr"
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(programme.body())).pages)
    assert "jeudi" in words and "Thursday" not in words
