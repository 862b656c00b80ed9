"""A non-editable `pip install .` still finds its templates, static files and migrations."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_installed_package_serves_pages_and_migrates(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python*/site-packages"))
    # Dependencies come from the test environment (nothing downloads); confman itself is a real, built install.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-build-isolation", str(ROOT)], check=True, cwd=tmp_path)
    env = {**os.environ, "CONFMAN_ENV": "development", "CONFMAN_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "PYTHONPATH": ""}
    script = venv / "bin" / "confman"

    upgrade = subprocess.run([str(script), "db", "upgrade"], env=env, cwd=tmp_path, capture_output=True, text=True)
    demo = subprocess.run([str(script), "demo"], env=env, cwd=tmp_path, capture_output=True, text=True)
    probe = subprocess.run([str(python), "-c", (
        "import confman; from confman import create_app; app = create_app(); c = app.test_client();"
        "print(confman.__file__);"
        "print(c.get('/events/prepcon-2021/agenda').status_code, c.get('/static/css/app.css').status_code)"
    )], env=env, cwd=tmp_path, capture_output=True, text=True)

    assert upgrade.returncode == 0, upgrade.stderr
    assert demo.returncode == 0, demo.stderr
    assert probe.returncode == 0, probe.stderr
    installed_at, statuses = [line for line in probe.stdout.splitlines() if not line.startswith("{")][:2]
    assert str(ROOT) not in installed_at  # the installed copy, not the checkout
    assert statuses == "200 200"
