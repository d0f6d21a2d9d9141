"""The report page as a reader sees it: rendered by headless Chromium (Debian's package,
installed by `make chromium`), with every request the browser makes sent to a trap on
127.0.0.1 that records it and answers nothing, so no request leaves the machine.

Chromium itself still calls its component updater and sign-in service even with
background networking off (this trap found them, with an empty page as well): those
hosts are the browser's, listed in CHROMIUM_SERVICE_HOSTS; any other request would come
from the page, and the test fails on it."""

from __future__ import annotations

import csv
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-pings",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter",
)
CHROMIUM_SERVICE_HOSTS = frozenset(
    {"update.googleapis.com", "accounts.google.com", "clients2.google.com"}
)


class Trap:
    """A TCP listener on 127.0.0.1 standing in for the proxy of every host: it records the
    host of each request the browser sends (none is answered). It stops with the test."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.hosts: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            client.settimeout(2)
            try:  # "GET http://host/path HTTP/1.1" or "CONNECT host:443 HTTP/1.1"
                target = client.recv(1024).split(b" ")[1].decode("ascii", "replace")
            except (OSError, IndexError):
                target = "?"
            client.close()
            self.hosts.append(urlsplit(target if "//" in target else f"//{target}").hostname or "?")

    def page_requests(self) -> list[str]:
        """The hosts requested other than Chromium's own services."""
        return [h for h in self.hosts if h not in CHROMIUM_SERVICE_HOSTS]

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.server.close()


@pytest.fixture
def trap() -> Iterator[Trap]:
    t = Trap()
    yield t
    t.close()


def chromium(page: Path, profile: Path, trap: Trap, *extra: str) -> str:
    binary = shutil.which("chromium")
    assert binary, "Chromium is missing: run `make chromium` (installs Debian's chromium)"
    result = subprocess.run(
        [
            binary,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--proxy-server=http://127.0.0.1:{trap.port}",
            "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.slow
def test_report_renders_offline_with_heatmap_tables_and_charts(
    corpus_report: Path, tmp_path: Path, trap: Trap
) -> None:
    page = corpus_report / "index.html"
    shot = tmp_path / "shot.png"
    chromium(page, tmp_path / "p1", trap, "--window-size=1280,2400", f"--screenshot={shot}")
    dom = chromium(page, tmp_path / "p2", trap, "--dump-dom")
    assert trap.page_requests() == []  # the page asked for nothing
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2400)
    pixels = list(image.resize((320, 600)).getdata())
    ink = sum(1 for p in pixels if sum(p) < 600) / len(pixels)
    assert ink > 0.03 and len(set(pixels)) > 50, (ink, len(set(pixels)))  # not blank
    with (corpus_report / "heatmap.csv").open(encoding="utf-8-sig") as handle:
        cells = sum(1 for _ in csv.DictReader(handle))
    assert dom.count('<td class="c-') == cells > 0
    assert dom.count('class="heatmap"') == 3  # one per Code version
    assert dom.count("<svg") >= 6 and dom.count("<table") >= 20
    assert 'id="sc-' in dom and 'href="#sc-' in dom


@pytest.mark.slow
def test_the_trap_sees_a_page_that_fetches(tmp_path: Path, trap: Trap) -> None:
    """Control: a page with a remote image does reach the trap, so none above means none."""
    page = tmp_path / "fetches.html"
    page.write_text('<img src="http://chc-test.invalid/x.png">', encoding="utf-8")
    chromium(page, tmp_path / "p", trap, "--dump-dom", "--virtual-time-budget=2000")
    assert "chc-test.invalid" in trap.page_requests()
