"""`trainer serve` in a real browser: Debian's Chromium, headless, driven by Playwright.

Runs when /usr/bin/chromium (or $TRAINER_CHROMIUM) is present; otherwise skipped with the reason.
`.ci/run` installs Chromium, so CI always runs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

CHROMIUM = os.environ.get("TRAINER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read().decode()
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    cards = tmp_path / "cards"
    proc = subprocess.Popen(
        [sys.executable, "-m", "trainer", "serve", "--port", str(port), "--scorecards", str(cards),
         "--scenarios", str(FIXTURES)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "TRAINER_CACHE": str(tmp_path / "cache")},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        page = _wait_http(url)
        yield url, cards, page, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(2)  # Ctrl+C
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_page_loads_nothing_from_outside_hosts(server):
    _url, _cards, page, _proc = server
    assert "googleapis" not in page and "fonts.gstatic" not in page
    for attr in ("src=", "href="):
        for chunk in page.split(attr)[1:]:
            target = chunk.split()[0].split('"')[1] if chunk.startswith('"') else chunk.split()[0]
            if target.startswith(("http:", "https:", "//")):
                # Only this server itself (its static files), never another host.
                assert target.split("/")[2].split(":")[0] in ("127.0.0.1", "localhost"), target


def test_server_binds_to_localhost_by_default(server):
    _url, _cards, _page, proc = server
    out = subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout if shutil.which("ss") else ""
    if str(proc.pid) in out:
        line = next(line for line in out.splitlines() if f"pid={proc.pid}," in line)
        assert "127.0.0.1:" in line


def test_browser_session_types_a_reply_and_the_customer_answers(server):
    from playwright.sync_api import sync_playwright

    url, cards, _page, proc = server
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            outside: list[str] = []
            page.on("request", lambda r: outside.append(r.url)
                    if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:"))
                    else None)
            page.goto(url)
            page.wait_for_selector(".xterm", timeout=30_000)
            time.sleep(4)  # the app process starts and paints the picker
            # Keyboard focus for the terminal, without a click (a click would pick a row).
            page.focus(".xterm-helper-textarea")
            page.keyboard.type("kettle", delay=30)  # the picker filters as you type
            time.sleep(1.0)
            page.keyboard.press("Enter")
            time.sleep(1.0)
            page.keyboard.type("Browser Ada", delay=20)  # every browser asks for the name
            page.keyboard.press("Enter")
            time.sleep(1.5)
            page.keyboard.type("Sam, I'm so sorry. Can you tell me what happened?")
            page.keyboard.press("Enter")
            deadline = time.monotonic() + 20
            data = None
            while time.monotonic() < deadline:
                files = list(cards.glob("*.toml"))
                if files:
                    data = tomllib.loads(files[0].read_text(encoding="utf-8"))
                    if data.get("turns"):
                        break
                time.sleep(0.2)
            time.sleep(0.5)
            page.screenshot(path=str(SHOTS / "serve-session.png"))
            assert data and data["trainee"] == "Browser Ada" and data["scenario"] == "shop-en"
            assert data["turns"][0]["reply"].startswith("Sam, I'm so sorry")
            assert data["turns"][0]["customer"]  # the customer answered
            assert not outside, outside
            page.close()  # a closed tab: the session stays saved as abandoned
        finally:
            browser.close()
    time.sleep(1.0)
    files = list(cards.glob("*.toml"))
    saved = tomllib.loads(files[0].read_text(encoding="utf-8"))
    assert saved["outcome"] == "abandoned" and len(saved["turns"]) == 1
    assert proc.poll() is None  # the server keeps serving other browsers


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "trainer", "serve", "--port", str(port), "--scorecards",
         str(tmp_path / "cards")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    _wait_http(f"http://127.0.0.1:{port}/")
    proc.send_signal(2)
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out
    assert "Serving the trainer on http://127.0.0.1:" in out and "Stopped." in out
    assert "Traceback" not in out
