"""Public pages of the small and the large event: query counts must not grow with the agenda."""

from bench.harness import HEADER, measure


def run(app, events: dict[str, str]) -> list[str]:
    lines = [HEADER]
    results = {}
    for size, slug in events.items():
        for label, path in (("event page", f"/events/{slug}/"), ("agenda", f"/events/{slug}/agenda")):
            timing = measure(app, f"{label} ({size})", lambda c, p=path: c.get(p), repeat=20)
            results[(label, size)] = timing
            lines.append(timing.row())
    for label in ("event page", "agenda"):
        small, large = results[(label, "small")], results[(label, "large")]
        lines.append(f"{label}: large/small median ratio {large.median_ms / small.median_ms:.1f}, "
                     f"queries {small.queries} -> {large.queries}")
    return lines
