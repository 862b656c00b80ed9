"""axe-core (from tests/js/node_modules, installed by `make js`) injected into a page, its results by impact."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
BLOCKING = ("serious", "critical")


def require_axe() -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (run `make js`)")


def run_axe(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe finds on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})"""
    )
    return result["violations"]


def by_impact(violations: list[dict]) -> dict[str, int]:
    return dict(Counter(v["impact"] for v in violations))


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}x: {targets})")
    return "\n".join(lines)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING]
