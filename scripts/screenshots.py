"""Screenshots of every page of the app on the sample, at 1280 and 820 px wide, and of every page of its PDF.

    python scripts/screenshots.py [--out /tmp/shots] [--widths 1280 820] [--chromium /usr/bin/chromium]

Starts `streamlit run app.py` from this checkout on a free local port, walks the wizard on the sample in Chromium
(Playwright; the system's Chromium is used, nothing is downloaded): welcome, upload, every area, the scorecard with
the sidebar ticks, and saves a full-page PNG of each (`app-<width>-<nn>-<page>.png`). It downloads the PDF scorecard
from the app and renders each of its pages to PNG with pdftoppm (`pdf-<nn>.png`). The images are for people to look
at; keep them out of git (the default folder is /tmp/shots).
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [("02-data-quality", r"2\. Data quality"), ("03-generalization", r"3\. Generalization"),
         ("04-scalability", r"4\. Scalability"), ("05-explanations", r"5\. Explanations"),
         ("06-fairness", r"6\. Fairness"), ("07-deployment-practices", r"7\. Deployment practices"),
         ("08-scorecard", r"8\. Scorecard")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app() -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` from this checkout; returns the process and its address once it answers."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("streamlit did not start")


READY = re.compile(r"^(Next: |Download PDF scorecard|Try it with sample data|Start the checks)")


def settle(page, timeout: float = 600) -> None:
    """Wait until the page's run has finished: its last button (the next step, or the downloads) is there and the
    app no longer shows a running status."""
    page.wait_for_timeout(800)
    page.get_by_role("button", name=READY).last.wait_for(timeout=timeout * 1000)
    deadline = time.time() + 60
    while time.time() < deadline and page.locator('[data-testid="stStatusWidget"]').count():
        page.wait_for_timeout(500)
    page.wait_for_timeout(1500)


def full_height(page) -> int:
    """The height of the app's content: Streamlit scrolls its main area, not the document."""
    return int(page.evaluate("""() => Math.max(...Array.from(document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stMainBlockContainer"]'))
        .map(e => e.scrollHeight), document.body.scrollHeight)"""))


def walk(browser, url: str, width: int, out: Path, pdf_path: Path | None) -> list[Path]:
    """Every page of the wizard on the sample at this width; the PDF downloaded to `pdf_path` if given."""
    shots: list[Path] = []
    page = browser.new_page(viewport={"width": width, "height": 1000}, accept_downloads=True)

    def shoot(name: str) -> None:
        settle(page)
        page.set_viewport_size({"width": width, "height": max(1000, full_height(page) + 40)})
        page.wait_for_timeout(1500)
        path = out / f"app-{width}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size({"width": width, "height": 1000})
        shots.append(path)

    page.goto(url)
    page.get_by_role("button", name="Try it with sample data").wait_for(timeout=60_000)
    shoot("00-welcome")
    page.get_by_role("button", name="Try it with sample data").click()
    page.get_by_role("button", name="Start the checks").wait_for(timeout=60_000)
    shoot("01-upload")
    page.get_by_role("button", name="Start the checks").click()
    page.get_by_role("heading", name="Data quality").wait_for(timeout=120_000)
    for name, link in PAGES:
        if width < 1000:  # the sidebar is folded away on narrow screens: open it to reach the steps
            opener = page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] '
                                  'button').first
            if opener.count() and opener.is_visible():
                opener.click()
                page.wait_for_timeout(500)
        if name != "02-data-quality":
            page.get_by_role("link", name=re.compile(link)).first.click()
        settle(page)
        if width < 1000:
            closer = page.locator('[data-testid="stSidebarCollapseButton"] button, '
                                  '[data-testid="stSidebarCollapseButton"]').first
            if closer.count() and closer.is_visible():
                closer.click()
                page.wait_for_timeout(500)
        shoot(name)
    if width >= 1000:  # the scorecard with the sidebar in view: every step ticked
        shots.append(out / f"app-{width}-09-sidebar-ticks.png")
        page.screenshot(path=str(shots[-1]), full_page=False)
    if pdf_path is not None:
        button = page.get_by_role("button", name="Download PDF scorecard")
        button.wait_for(timeout=120_000)
        with page.expect_download(timeout=120_000) as download:
            button.click()
        pdf_path.write_bytes(Path(download.value.path()).read_bytes())
    page.close()
    return shots


def pdf_pages(pdf: Path, out: Path, resolution: int = 70) -> list[Path]:
    """Each page of the PDF as PNG (pdftoppm)."""
    for old in out.glob("pdf-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(resolution), "-png", str(pdf), str(out / "pdf")], check=True)
    return sorted(out.glob("pdf-*.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="/tmp/shots", type=Path)
    parser.add_argument("--widths", nargs="+", type=int, default=[1280, 820])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    process, url = start_app()
    shots: list[Path] = []
    pdf = args.out / "scorecard.pdf"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            for number, width in enumerate(args.widths):
                shots += walk(browser, url, width, args.out, pdf if number == 0 else None)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    shots += pdf_pages(pdf, args.out)
    for path in shots:
        print(path)


if __name__ == "__main__":
    main()
