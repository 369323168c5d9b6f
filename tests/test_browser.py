"""End to end in a real browser: `streamlit run app.py`, Chromium driven by Playwright, sample to PDF."""
from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed (apt-get install chromium)"),
]
STEPS = ["Next: Generalization", "Next: Scalability", "Next: Explanations", "Next: Fairness",
         "Next: Deployment practices"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("streamlit did not start: " + process.stderr.read().decode(errors="replace")[-2000:])
    yield url
    process.terminate()
    process.wait(timeout=20)


def _no_exception_box(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]


def test_sample_to_pdf_in_chromium(app_url, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    from pypdf import PdfReader

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
        page.goto(app_url)
        page.get_by_role("button", name="Try it with sample data").click()
        page.get_by_role("button", name="Start the checks").click(timeout=60_000)
        page.get_by_role("heading", name="Data quality").wait_for(timeout=60_000)
        for step in STEPS:  # each pillar page runs its checks, then offers the next step
            button = page.get_by_role("button", name=re.compile(re.escape(step)))
            button.wait_for(timeout=120_000)
            _no_exception_box(page)
            button.click()
        # the deployment-practice step: answer every question, one of them 'no', and save
        page.get_by_role("heading", name="Deployment practices").wait_for(timeout=60_000)
        radios = page.locator('[data-testid="stRadio"]')
        assert radios.count() == 9
        for i in range(radios.count()):
            radios.nth(i).get_by_text("no" if i == 5 else "yes", exact=True).click()
        page.get_by_role("button", name="Save the answers").click()
        page.get_by_text("No quick way back if the model misbehaves").first.wait_for(timeout=120_000)
        _no_exception_box(page)
        page.get_by_role("button", name=re.compile("Next: Scorecard")).click()
        download_button = page.get_by_role("button", name="Download PDF scorecard")
        download_button.wait_for(timeout=120_000)
        _no_exception_box(page)
        body = page.inner_text("body")
        assert "Overall score" in body and "weakest" in body and "Deployment practices" in body
        page.screenshot(path=str(tmp_path / "scorecard.png"))
        with page.expect_download(timeout=60_000) as download:
            download_button.click()
        pdf = Path(download.value.path()).read_bytes()
        browser.close()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "The answers given" in text and "No quick way back" in text


def test_hostile_column_names_run_no_script(app_url, tmp_path):
    """A column named like HTML must show as text: no script from the data may run in the app's page."""
    sync_api = pytest.importorskip("playwright.sync_api")
    hostile = tmp_path / "hostile.csv"
    rows = "".join(f"{i},{i % 5},{'yes' if i % 3 else 'no'}\n" for i in range(150))
    hostile.write_text("<img src=x onerror=alert(1)>,<script>alert(2)</script>,outcome\n" + rows)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                             "--disable-background-networking", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{app_url}/upload")
        page.locator('input[type="file"]').first.set_input_files(str(hostile))
        page.get_by_role("button", name="Start the checks").click(timeout=60_000)
        page.get_by_role("button", name=re.compile("Next: Generalization")).wait_for(timeout=120_000)
        _no_exception_box(page)
        page.get_by_role("button", name=re.compile("Next: Generalization")).click()
        page.get_by_role("button", name=re.compile("Next: Scalability")).wait_for(timeout=120_000)
        page.get_by_role("link", name=re.compile(r"5\. Explanations")).click()  # the sidebar keeps the session
        page.get_by_role("button", name=re.compile("Next: Fairness")).wait_for(timeout=120_000)
        _no_exception_box(page)
        body = page.inner_text("body")
        browser.close()
    assert dialogs == []
    assert "<img src=x onerror=alert(1)>" in body  # shown as plain text
