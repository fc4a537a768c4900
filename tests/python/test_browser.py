"""The HTML report in a real browser: headless Chromium renders it with no console errors and every chart drawn.

Chromium is driven through its DevTools protocol with the standard library only (a minimal WebSocket client): the
test loads the report from a file, collects console messages, exceptions and log entries of level error, measures
each chart's rendered box, and saves a full-page screenshot (``ENGAGE_SCREENSHOT=path`` keeps it, e.g. for
docs/report.png). Skipped when no Chromium is installed (Debian: ``apt-get install chromium``), except on CI.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("matplotlib")

from engage.cli import main  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"
CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
CHARTS = ["chart-participation", "chart-enps", "chart-engagement", "chart-favourability", "chart-heatmap",
          "chart-agreement", "chart-retention", "chart-churn-drivers", "chart-churn-teams", "chart-linkage"]


class DevTools:
    """Just enough of a WebSocket client (RFC 6455, text frames, client masking) for the DevTools protocol."""

    def __init__(self, url: str) -> None:
        rest = url.split("://", 1)[1]
        hostport, path = rest.split("/", 1)
        host, port = hostport.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        self.sock.close()

    def _recv_exact(self, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("DevTools connection closed")
            buf += chunk
        return buf

    def _recv(self) -> dict[str, Any]:
        data = b""
        while True:
            b0, b1 = self._recv_exact(2)
            length = b1 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._recv_exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._recv_exact(8))[0]
            data += self._recv_exact(length)
            if b0 & 0x80:  # FIN
                return json.loads(data.decode())  # type: ignore[no-any-return]

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        payload = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        n = len(payload)
        header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                  bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                  bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        while True:
            msg = self._recv()
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})  # type: ignore[no-any-return]
            self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(e.get("method") == method for e in self.events):
                return
            self.events.append(self._recv())
        raise TimeoutError(method)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "report.html"
    assert main(["report", "--survey", str(EXAMPLES / "survey.csv"), "--hris", str(EXAMPLES / "hris.csv"),
                 "--customers", str(EXAMPLES / "customers.csv"), "--wave-date", "1=2024-02-15", "--wave-date", "2=2024-08-15", "--format", "html",
                 "-o", str(out)]) == 0
    return out


def test_report_renders_in_chromium_with_every_chart(report_html: Path) -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed: .ci/setup installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    profile = tempfile.mkdtemp(prefix="engage-chromium-")
    proc = subprocess.Popen(
        [str(CHROMIUM), "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--hide-scrollbars",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1200,900", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    sockets: list[DevTools] = []
    try:
        port_file = Path(profile) / "DevToolsActivePort"
        end = time.monotonic() + 60
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            assert time.monotonic() < end and proc.poll() is None, "Chromium did not start"
            time.sleep(0.1)
        port, browser_path = port_file.read_text().split("\n")[:2]
        # a page target: ask the browser for one, then talk to it
        browser = DevTools(f"ws://127.0.0.1:{port}{browser_path}")
        sockets.append(browser)
        target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        page = DevTools(f"ws://127.0.0.1:{port}/devtools/page/{target}")
        sockets.append(page)
        for domain in ("Page", "Runtime", "Log"):
            page.send(f"{domain}.enable")
        page.events.clear()
        page.send("Page.navigate", url=report_html.as_uri())
        page.wait_for("Page.loadEventFired")
        errors = [e for e in page.events if e.get("method") == "Runtime.exceptionThrown"
                  or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
                  or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")]
        assert errors == [], errors
        probe = """JSON.stringify({
            title: document.title,
            sections: [...document.querySelectorAll('section')].map(s => s.id),
            charts: Object.fromEntries([...document.querySelectorAll('figure.chart')].map(f => {
                const svg = f.querySelector('svg'); const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
                return [f.id, {w: r.width, h: r.height, marks: svg ? svg.querySelectorAll('path,use,rect,image').length : 0,
                               caption: (f.querySelector('figcaption') || {}).textContent || ''}];
            })),
            height: document.documentElement.scrollHeight,
            readings: [...document.querySelectorAll('p.reading')].map(p => p.textContent.length),
            requests: performance.getEntriesByType('resource').map(r => r.name),
        })"""
        info = json.loads(page.send("Runtime.evaluate", expression=probe, returnByValue=True)["result"]["value"])
        assert info["title"] == "engage report"
        assert info["sections"] == ["participation", "enps", "engagement", "items", "reliability", "agreement",
                                    "churn", "linkage"]
        assert sorted(info["charts"]) == sorted(CHARTS)
        for cid, box in info["charts"].items():
            assert box["w"] > 300 and box["h"] > 150 and box["marks"] > 10 and box["caption"], (cid, box)
        assert all(n > 80 for n in info["readings"])
        assert info["requests"] == []  # self-contained: nothing fetched
        shot = page.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": 1200, "height": info["height"], "scale": 1})
        png = base64.b64decode(shot["data"])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
        keep = os.environ.get("ENGAGE_SCREENSHOT")
        if keep:
            Path(keep).write_bytes(png)
        browser.send("Browser.close")
    finally:
        for ws in sockets:
            ws.close()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
