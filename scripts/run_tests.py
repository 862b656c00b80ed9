"""The README's test command: run the suite on SQLite, then again on PostgreSQL, and say plainly what was skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from support import CHROMIUM, postgres_server_url  # noqa: E402


def main() -> int:
    env = dict(os.environ)
    args = sys.argv[1:]
    server = postgres_server_url()
    browser = CHROMIUM if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM) else None
    where = f"at {server.split('@')[-1]}" if server else "NOT REACHABLE: its part is SKIPPED"
    print(f"confman tests: PostgreSQL {where}")
    print(f"confman tests: Chromium {'at ' + browser if browser else 'NOT INSTALLED: browser tests are SKIPPED'}")
    pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]

    print("\n=== Part 1: the whole suite on SQLite ===", flush=True)
    code = subprocess.call([*pytest, *args], env=env)
    if server is None:
        print("\n=== Part 2 SKIPPED: no PostgreSQL server answered; set CONFMAN_TEST_POSTGRES_URL to run it ===")
        return code
    print("\n=== Part 2: the suite again on PostgreSQL (browser and slow tests ran in part 1) ===", flush=True)
    env["CONFMAN_TEST_DATABASE"] = "postgresql"
    code2 = subprocess.call([*pytest, "-m", "not browser and not slow", *args], env=env)
    return code or code2


if __name__ == "__main__":
    sys.exit(main())
