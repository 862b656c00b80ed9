"""The PrepCon sample in French too, and (on request) interpreted English ↔ French, so the languages can be tried.

The English texts stay in the plain columns, so the sample's English pages and exports are byte for byte what
they were before languages existed; interpretation shows in every language, so it is only added when asked for
(`confman demo --interpretation`).
"""

from __future__ import annotations

from confman.models import AgendaSession, CoHost, Event, SessionKind, Speaker, Theme

EVENT = {
    "title": "Conférence préparatoire des Nations Unies sur le maintien de la paix (PrepCon) : sûreté et sécurité, "
             "et protection",
    "short_title": "PrepCon 2021",
}
THEMES = {"safety-and-security": "Sûreté et sécurité", "protection": "Protection"}
CO_HOSTS = {"Islamic Republic of Pakistan": "Pakistan", "Kingdom of the Netherlands": "Pays-Bas"}
SESSIONS = {
    "Opening of the Preparatory Conference": "Ouverture de la Conférence préparatoire",
    "Video message: Minister of Defence of Pakistan": "Message vidéo : le ministre de la Défense du Pakistan",
    "Video message: Minister for Foreign Affairs of the Netherlands":
        "Message vidéo : le ministre des Affaires étrangères des Pays-Bas",
    "Training and capacity building": "Formation et renforcement des capacités",
    "Break": "Pause",
    "Technology and the safety of peacekeepers": "La technologie et la sécurité des Casques bleus",
    "Health and medical support": "Santé et soutien médical",
    "Mission integration for the protection of civilians": "L'intégration des missions pour la protection des civils",
    "Community engagement and strategic communications": "Engagement communautaire et communication stratégique",
    # "Closing: the road to Seoul" is left untranslated on purpose: French pages show how a fallback looks.
}
SPEAKER_TITLES = {
    "Minister for Foreign Affairs": "Ministre des Affaires étrangères",
    "Minister of Defence": "Ministre de la Défense",
    "Under-Secretary-General for Peace Operations": "Secrétaire général adjoint aux opérations de paix",
    "Under-Secretary-General for Operational Support": "Secrétaire général adjoint à l'appui opérationnel",
}


def add_french(event: Event, themes: list[Theme], co_hosts: list[CoHost], speakers: list[Speaker],
               sessions: list[AgendaSession]) -> None:
    event.languages, event.default_language = ["en", "fr"], "en"
    event.interpretation_languages = ["en", "fr"]
    event.translations = {field: {"fr": text} for field, text in EVENT.items()}
    for theme in themes:
        theme.translations = {"name": {"fr": THEMES[theme.slug]}} if theme.slug in THEMES else {}
    for host in co_hosts:
        if name := CO_HOSTS.get(host.organization.name):
            host.translations = {"name": {"fr": name}}
    for speaker in speakers:
        if title := SPEAKER_TITLES.get(speaker.title):
            speaker.translations = {"title": {"fr": title}}
    for item in sessions:
        if title := SESSIONS.get(item.title):
            item.translations = {"title": {"fr": title}}


def add_interpretation(sessions: list[AgendaSession]) -> None:
    """English on the floor, interpreted into French (and English for French-speaking delegates on the floor)."""
    for item in sessions:
        if item.kind == SessionKind.BREAK:
            continue
        item.floor_language = "en"
        item.interpretation_languages = ["fr"]
        item.interpretation_channels = {"fr": "Plenary, language channel 2 (français)"}
