"""The wheel's build hook: compile the Babel catalogues (.po, the source) into the .mo files Flask-Babel reads.

Compiled catalogues are not committed; a wheel carries them, an editable install gets them next to the .po files.
`compile_catalogues` is also what the test run and `make install` use, so every way of running confman translates.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CATALOGUES = ROOT / "confman" / "translations"


def compile_catalogues(source: Path = CATALOGUES, target: Path | None = None) -> list[Path]:
    """Write <target>/<lang>/LC_MESSAGES/messages.mo for every .po under `source` (in place by default); skip
    catalogues whose .mo is newer. Fuzzy entries are left out, as `pybabel compile` does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    target = target or source
    written = []
    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            written.append(mo)
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parent.parent.name)
        mo.parent.mkdir(parents=True, exist_ok=True)
        # Atomic: parallel test workers may compile at the same moment.
        fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog)
        os.replace(tmp, mo)
        written.append(mo)
    return written


try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # imported by the test run, outside a build
    BuildHookInterface = object


class CatalogueBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        if version == "editable":  # served from the checkout: compile next to the .po files
            compile_catalogues()
            return
        out = Path(self.directory) / ".catalogues"
        for mo in compile_catalogues(CATALOGUES, out):
            build_data["force_include"][str(mo)] = f"confman/translations/{mo.relative_to(out).as_posix()}"
