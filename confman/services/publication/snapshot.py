"""Writing snapshots: what a published agenda version holds, and what changed between two of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from confman.models import (
    AgendaSession,
    Event,
)
from confman.services import agenda


def build_snapshot(event: Event, sessions: Sequence[AgendaSession] | None = None) -> dict[str, Any]:
    """The agenda as the public will see it: plain JSON, complete enough to render every public page and export."""
    sessions = agenda.load_sessions(event) if sessions is None else sessions
    speakers = {p.speaker.id: p.speaker for item in sessions for p in item.participations}
    for item in sessions:
        if item.video_message is not None and item.video_message.speaker is not None:
            speakers[item.video_message.speaker.id] = item.video_message.speaker
    return {
        "themes": [{"id": t.id, "slug": t.slug, "name": t.name, "colour": t.colour, "pattern": t.pattern,
                    **_translations(t)} for t in event.themes],
        "channels": [{"id": c.id, "slug": c.slug, "name": c.name, "position": c.position} for c in event.channels],
        "tags": [{"id": t.id, "slug": t.slug, "name": t.name} for t in event.tags],
        "speakers": [_speaker_json(s) for s in sorted(speakers.values(), key=lambda s: s.id)],
        "sessions": [session_json(item) for item in sessions],
    }


def session_json(item: AgendaSession) -> dict[str, Any]:
    video = item.video_message
    return {
        "id": item.id,
        "kind": item.kind.value,
        "title": item.title,
        "description": item.description,
        "starts_at": item.starts_at.isoformat(),
        "duration": int(item.duration.total_seconds()),
        "status": item.status.value,
        "theme_id": item.theme_id,
        "channel_id": item.channel_id,
        # By name, as the relationship loads them: a snapshot must not depend on whether `tags` was reloaded
        # (a session made in this transaction still has them in the order they were given).
        "tag_ids": [t.id for t in sorted(item.tags, key=lambda t: t.name)],
        "sequence": item.sequence,
        "updated_at": item.updated_at.isoformat(),
        "is_fixed": item.is_fixed,
        "participants": [
            {"speaker_id": p.speaker_id, "role": p.role.value, "position": p.position,
             "time_limit": int(p.time_limit.total_seconds()) if p.time_limit else None}
            for p in agenda.speaking_order(item)
        ],
        # Only what the public may know of a video message: whose it is and how long. Never the file or link.
        "video_message": None if video is None else {
            "speaker_id": video.speaker_id, "allowed_length": int(video.allowed_length.total_seconds()),
        },
        **_translations(item),
        **_interpretation(item),
    }


def _translations(obj) -> dict[str, Any]:
    # Only where there are any: a snapshot in one language stays exactly what it was before languages existed.
    return {"translations": obj.translations} if obj.translations else {}


def _interpretation(item: AgendaSession) -> dict[str, Any]:
    values = {"floor_language": item.floor_language or "",
              "interpretation_languages": list(item.interpretation_languages or []),
              "interpretation_channels": dict(item.interpretation_channels or {})}
    return {k: v for k, v in values.items() if v}


def _speaker_json(speaker) -> dict[str, Any]:
    org = speaker.organization
    return {
        "id": speaker.id, "honorific": speaker.honorific, "name": speaker.name, "title": speaker.title,
        "protocol_rank": speaker.protocol_rank.value, "bio": speaker.bio, "has_photo": bool(speaker.photo_path),
        "photo": speaker.photo_path,  # a public image key (public/photos/...), served by the media route
        "organization": None if org is None else {"name": org.name, "short_name": org.short_name,
                                                  "country_code": org.country_code},
        **_translations(speaker),
    }


def diff_snapshots(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """What a delegate needs to know changed: added, removed, moved, cancelled, renamed, speakers changed."""
    before = {s["id"]: s for s in (old or {}).get("sessions", [])}
    after = {s["id"]: s for s in new["sessions"]}
    names = {p["id"]: " ".join(filter(None, [p["honorific"], p["name"]])) for p in new["speakers"]}
    names.update({p["id"]: " ".join(filter(None, [p["honorific"], p["name"]]))
                  for p in (old or {}).get("speakers", []) if p["id"] not in names})
    changes: list[dict[str, Any]] = []
    for sid, item in after.items():
        prior = before.get(sid)
        entry = {"session_id": sid, "title": item["title"]}
        if prior is None:
            changes.append({**entry, "change": "added", "detail": item["starts_at"], "to": item["starts_at"],
                            "duration_to": item["duration"]})
            continue
        if item["status"] == "cancelled" and prior["status"] != "cancelled":
            changes.append({**entry, "change": "cancelled", "detail": ""})
        elif prior["status"] == "cancelled" and item["status"] != "cancelled":
            changes.append({**entry, "change": "reinstated", "detail": ""})
        if (item["starts_at"], item["duration"]) != (prior["starts_at"], prior["duration"]):
            changes.append({**entry, "change": "moved", "detail": f"{prior['starts_at']} -> {item['starts_at']}",
                            "from": prior["starts_at"], "to": item["starts_at"],
                            "duration_from": prior["duration"], "duration_to": item["duration"]})
        if item["title"] != prior["title"]:
            changes.append({**entry, "change": "renamed", "detail": f"{prior['title']} -> {item['title']}",
                            "from_title": prior["title"]})
        if item["channel_id"] != prior["channel_id"]:
            channels = {c["id"]: c["name"] for c in (old or {}).get("channels", [])}
            channels.update({c["id"]: c["name"] for c in new.get("channels", [])})
            changes.append({**entry, "change": "channel", "detail": channels.get(item["channel_id"], ""),
                            "from_channel": channels.get(prior["channel_id"]),
                            "to_channel": channels.get(item["channel_id"])})
        changes += _language_changes(prior, item, entry)
        people_before = [(p["speaker_id"], p["role"]) for p in prior["participants"]]
        people_after = [(p["speaker_id"], p["role"]) for p in item["participants"]]
        if people_before != people_after:
            added = [names.get(s, "?") for s, _ in people_after if s not in {x for x, _ in people_before}]
            removed = [names.get(s, "?") for s, _ in people_before if s not in {x for x, _ in people_after}]
            detail = "; ".join(filter(None, [f"added {', '.join(added)}" if added else "",
                                             f"removed {', '.join(removed)}" if removed else ""])) or "order or roles"
            # `detail` is the English record; `added` and `removed` let pages word it in other languages.
            changes.append({**entry, "change": "speakers", "detail": detail, "added": added, "removed": removed})
    for sid, prior in before.items():
        if sid not in after:
            changes.append({"session_id": sid, "title": prior["title"], "change": "removed", "detail": ""})
    changes += _label_translations(old or {}, new)
    return changes


def _language_changes(prior: dict[str, Any], item: dict[str, Any], entry: dict[str, Any]) -> list[dict[str, Any]]:
    """A session's texts in other languages, or its interpretation, changed: publishing must carry them."""
    changes = []
    if prior.get("translations", {}) != item.get("translations", {}):
        langs = sorted({lang for texts in item.get("translations", {}).values() for lang in texts}
                       | {lang for texts in prior.get("translations", {}).values() for lang in texts})
        changes.append({**entry, "change": "translated", "detail": ", ".join(langs)})
    keys = ("floor_language", "interpretation_languages", "interpretation_channels")
    if any(prior.get(k) != item.get(k) for k in keys):
        changes.append({**entry, "change": "interpretation",
                        "detail": ", ".join(item.get("interpretation_languages") or [])})
    return changes


def _label_translations(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Themes and speakers whose translations changed (the session entries above cover sessions)."""
    changes = []
    for kind, label in (("themes", "name"), ("speakers", "name")):
        before = {x["id"]: x.get("translations", {}) for x in old.get(kind, [])}
        for x in new.get(kind, []):
            if x["id"] in before and before[x["id"]] != x.get("translations", {}):
                changes.append({"session_id": None, "title": x[label], "change": "translated", "detail": kind})
    return changes
