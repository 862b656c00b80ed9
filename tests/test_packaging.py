"""The built wheel, installed away from the checkout, carries its templates, static files and migrations."""

import os
import re
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get_content_type(), response.read().decode()


def _get_when_up(url: str, server: subprocess.Popen) -> tuple[int, str, str]:
    deadline = time.monotonic() + 60
    while True:
        try:
            return _get(url)
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(out), str(ROOT)], check=True, cwd=out)
    return next(out.glob("confman-*.whl"))


@pytest.mark.slow
def test_wheel_maps_the_top_level_folders_into_the_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()

    assert "confman/templates/base.html" in names
    assert "confman/static/css/app.css" in names
    assert "confman/migrations/env.py" in names
    assert "confman/translations/fr/LC_MESSAGES/messages.mo" in names  # compiled by hatch_build.py, not committed
    assert not [name for name in names if name.split("/")[0] in ("templates", "static", "migrations", "tests")]


@pytest.mark.slow
def test_installed_wheel_migrates_loads_the_sample_and_serves_it(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python*/site-packages"))
    # Dependencies come from the test environment (nothing downloads); confman itself is the built wheel.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    str(wheel)], check=True, cwd=tmp_path)
    port = _free_port()
    # The editable checkout's .pth lives in the test environment's site-packages, which deps.pth adds as a plain
    # path: its .pth files are not read, so `import confman` can only find the installed wheel.
    env = {**os.environ, "CONFMAN_ENV": "development", "CONFMAN_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "PYTHONPATH": "", "CONFMAN_BASE_URL": f"http://127.0.0.1:{port}"}
    env.pop("CONFMAN_TEST_DATABASE", None)
    confman = venv / "bin" / "confman"

    upgrade = subprocess.run([confman, "db", "upgrade"], env=env, cwd=tmp_path, capture_output=True, text=True)
    demo = subprocess.run([confman, "demo"], env=env, cwd=tmp_path, capture_output=True, text=True)
    where = subprocess.run([python, "-c", "import confman; print(confman.resource_dir('templates'))"],
                           env=env, cwd=tmp_path, capture_output=True, text=True)
    server = subprocess.Popen([confman, "run", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        page = _get_when_up(f"{base}/events/prepcon-2021/agenda", server)
        stylesheet = re.search(r'href="(/static/css/app\.css[^"]*)"', page[2]).group(1)
        css = _get(base + stylesheet)
        ics = _get(f"{base}/events/prepcon-2021/agenda.ics")
        programme = _get(f"{base}/events/prepcon-2021/programme")
        french = _get(f"{base}/events/prepcon-2021/agenda?lang=fr")
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert upgrade.returncode == 0, upgrade.stderr
    assert demo.returncode == 0, demo.stderr
    assert where.stdout.strip() == str(site / "confman" / "templates")
    assert page[0] == 200 and "Opening of the Preparatory Conference" in page[2]
    assert css[:2] == (200, "text/css") and "{" in css[2]
    assert ics[:2] == (200, "text/calendar") and ics[2].count("BEGIN:VEVENT") >= 5
    assert programme[0] == 200 and "Opening of the Preparatory Conference" in programme[2]
    assert french[0] == 200 and '<html lang="fr"' in french[2] and "Se connecter" in french[2]
