"""`python -m bench [--database URL] [--only NAME]`: build a small and a large event, print every benchmark's table.

Each module `bench/bench_<name>.py` defines `run(app, events) -> list[str]` (lines of its table), where
`events` maps "small"/"large" to the slugs of the generated events.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import LARGE, SMALL, build_event
from confman import create_app
from confman.extensions import db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="a database URL (default: a scratch SQLite file)")
    parser.add_argument("--only", action="append", help="run only these benchmark modules (e.g. pages)")
    args = parser.parse_args(argv)
    scratch = tempfile.mkdtemp(prefix="confman-bench-")
    url = args.database or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "WTF_CSRF_ENABLED": False, "UPLOAD_FOLDER": str(Path(scratch) / "uploads")})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        events = {}
        for size in (SMALL, LARGE):
            events[size.name] = build_event(size).slug
        db.session.commit()
        print(f"# generated events in {time.perf_counter() - started:.1f} s on {db.engine.dialect.name}")
    names = sorted(m.name.removeprefix("bench_") for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                   if m.name.startswith("bench_"))
    for name in names:
        if args.only and name not in args.only:
            continue
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"\n## {name}")
        for line in module.run(app, events):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
