"""The published agenda in one of the event's other languages: each translatable text in that language where the
organizers gave one, else the default language's, as `LocalizedText` that knows which it is."""

from __future__ import annotations

from dataclasses import replace

from confman.languages import pick
from confman.services.publication.public import PublicAgenda, PublicSession, PublicSpeaker


def localized(agenda: PublicAgenda, lang: str | None, default: str) -> PublicAgenda:
    """`agenda` itself for the default language (the bytes of every export in it stay what they were), else its
    copy in `lang`, made once per published version and language in this process. Read it, never change it."""
    if not lang or lang == default:
        return agenda
    if (hit := agenda.by_language.get(lang)) is not None:
        return hit
    themes = {t.id: replace(t, name=pick(t.name, t.translations, "name", lang, default)) for t in agenda.themes}
    speakers = {sid: PublicSpeaker(
        id=s.id, honorific=s.honorific, name=s.name, title=pick(s.title, s.translations, "title", lang, default),
        protocol_rank=s.protocol_rank, organization=s.organization, bio=s.bio, has_photo=s.has_photo,
        photo=s.photo, translations=s.translations) for sid, s in agenda.speakers.items()}
    sessions = [_session(s, lang, default, themes, speakers) for s in agenda.sessions]
    for item in sessions:
        for p in item.participations:
            p.speaker.sessions.append(item)
    result = PublicAgenda(
        version=agenda.version, published_at=agenda.published_at, sessions=sessions, speakers=speakers,
        themes=list(themes.values()), channels=agenda.channels, tags=agenda.tags)
    agenda.by_language[lang] = result
    return result


def _session(s: PublicSession, lang: str, default: str, themes, speakers) -> PublicSession:
    video = s.video_message
    return replace(
        s, title=pick(s.title, s.translations, "title", lang, default),
        description=pick(s.description, s.translations, "description", lang, default),
        theme=themes.get(s.theme.id) if s.theme else None,
        participations=[replace(p, speaker=speakers[p.speaker.id]) for p in s.participations],
        video_message=None if video is None else replace(
            video, speaker=speakers.get(video.speaker.id) if video.speaker else None),
    )
