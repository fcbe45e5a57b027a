#!/usr/bin/env python3
"""Click a pit on report.html's interactive map in headless Chromium and check
its popup against pits.csv.

usage: scripts/click_map.py AUDIT_DIR [--pit ID ...] [--all-orphans N]

Drives Debian's chromium over the DevTools protocol (a WebSocket, spoken here
with the standard library only): loads AUDIT_DIR/report.html from disk with the
network off, zooms the map to the pit, finds a screen point where the topmost
element is that pit's own outline, sends a real mouse press and release there,
and reads the popup. Its hectares must equal pits.csv's, rounded to 0.01 ha and
formatted independently here. Exit 0 when every click checks out; 1 on a
mismatch; 2 on usage; 3 without chromium; 4 when the browser fails.
"""

import base64
import csv
import http.client
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time


def fail(code, msg):
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(code)


class WebSocket:
    """The client side of RFC 6455, text frames only (what DevTools speaks)."""

    def __init__(self, url):
        assert url.startswith("ws://")
        host_port, path = url[5:].split("/", 1)
        host, port = host_port.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        req = (
            f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                fail(4, "DevTools closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            fail(4, f"DevTools refused the WebSocket: {head[:200]!r}")
        self.buf = b""

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            header = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(header + mask + masked)

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                fail(4, "DevTools closed the connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            op, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                (n,) = struct.unpack("!H", self._read(2))
            elif n == 127:
                (n,) = struct.unpack("!Q", self._read(8))
            payload = self._read(n)
            if op == 0x9:  # ping: answer, keep reading
                continue
            if op == 0x8:
                fail(4, "DevTools closed the WebSocket")
            message += payload
            if b0 & 0x80:
                return message.decode()


class Page:
    def __init__(self, ws):
        self.ws, self.next_id, self.events = ws, 0, []

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    fail(4, f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, name, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            for i, e in enumerate(self.events):
                if e.get("method") == name:
                    return self.events.pop(i)
            self.events.append(json.loads(self.ws.recv()))
        fail(4, f"no {name} within {timeout} s")

    def js(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            fail(4, f"script error: {r['exceptionDetails']}")
        return r["result"].get("value")


def grouped(v):
    """0.01 ha with thousands separators, as the report prints hectares."""
    s = f"{abs(v):,.2f}"
    return ("\u2212" + s) if v < 0 and s.strip("0.,") else s


def find_browser():
    for b in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(b)
        if p:
            return p
    return None


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        fail(2, __doc__.strip().splitlines()[2])
    audit = os.path.abspath(args[0])
    pits_wanted = []
    n_orphans = 0
    i = 1
    while i < len(args):
        if args[i] == "--pit" and i + 1 < len(args):
            pits_wanted.append(args[i + 1])
            i += 2
        elif args[i] == "--all-orphans" and i + 1 < len(args):
            n_orphans = int(args[i + 1])
            i += 2
        else:
            fail(2, f"unknown argument {args[i]}")
    html = os.path.join(audit, "report.html")
    with open(os.path.join(audit, "pits.csv"), encoding="utf-8-sig", newline="") as f:
        pits = {r["pit_id"]: r for r in csv.DictReader(f)}
    if not pits_wanted:
        # Default: the largest pit, the smallest, and the first orphan's pit.
        by_area = sorted(pits.values(), key=lambda r: float(r["total_ha"]))
        pits_wanted = [by_area[-1]["pit_id"], by_area[0]["pit_id"]]
    if n_orphans:
        with open(os.path.join(audit, "orphans.geojson"), encoding="utf-8") as f:
            feats = json.load(f)["features"]
        pits_wanted += [ft["properties"]["pit_id"] for ft in feats[:n_orphans]]
    browser = find_browser()
    if not browser:
        fail(3, "no chromium found; install it with: apt-get install -y chromium")

    profile = tempfile.mkdtemp(prefix="reclaim-click-")
    proc = subprocess.Popen(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-default-apps", "--disable-extensions",
         "--force-device-scale-factor=1", "--window-size=1280,1000",
         f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile, "chromium.log"), "w"))
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        end = time.time() + 60
        while not (os.path.exists(port_file) and open(port_file).read().count("\n") >= 1):
            if time.time() > end or proc.poll() is not None:
                fail(4, "chromium did not start: " + open(os.path.join(profile, "chromium.log")).read()[-2000:])
            time.sleep(0.1)
        port = int(open(port_file).read().split()[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/json/list")
        targets = [t for t in json.loads(conn.getresponse().read()) if t.get("type") == "page"]
        if not targets:
            fail(4, "chromium has no page")
        page = Page(WebSocket(targets[0]["webSocketDebuggerUrl"]))
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call("Network.enable")
        page.call("Network.emulateNetworkConditions", offline=True, latency=0,
                  downloadThroughput=-1, uploadThroughput=-1)
        page.call("Page.navigate", url="file://" + html)
        page.wait_event("Page.loadEventFired")
        if not page.js("!!(window.reclaimMap && window.reclaimMap.map)"):
            fail(1, "the page has no interactive map (window.reclaimMap missing; did the script fail?)")
        checked = 0
        for pit_id in pits_wanted:
            row = pits.get(pit_id)
            if row is None:
                fail(1, f"pit {pit_id} is not in pits.csv")
            # Zoom to the pit, then find a point whose topmost element is its outline.
            point = page.js(f"""(async () => {{
              const m = window.reclaimMap, ls = m.pitLayers[{json.dumps(pit_id)}];
              if (!ls) return null;
              m.map.closePopup();
              document.getElementById('reclaim-map').scrollIntoView({{block: 'center'}});
              m.map.fitBounds(L.featureGroup(ls).getBounds(), {{animate: false, maxZoom: 6}});
              await new Promise(r => setTimeout(r, 300));
              const paths = new Set(ls.map(l => l._path));
              for (const l of ls) {{
                const b = l._path.getBoundingClientRect();
                for (let k = 1; k < 24; k++) for (let j = 1; j < 24; j++) {{
                  const x = b.left + b.width * j / 24, y = b.top + b.height * k / 24;
                  if (paths.has(document.elementFromPoint(x, y))) return [x, y];
                }}
              }}
              return null;
            }})()""")
            if point is None:
                fail(1, f"pit {pit_id}: no visible point of its outline to click")
            x, y = point
            for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
                page.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                          clickCount=1 if kind != "mouseMoved" else 0)
            text = page.js("""(async () => {
              for (let t = 0; t < 50; t++) {
                const p = document.querySelector('#reclaim-map .leaflet-popup-content');
                if (p) return p.innerText;
                await new Promise(r => setTimeout(r, 50));
              }
              return null;
            })()""")
            if text is None:
                fail(1, f"pit {pit_id}: clicking it opened no popup")
            lines = [ln.strip() for ln in text.splitlines()]
            # Rows by their English label (the first word); the Chinese may vary.
            want = {
                "Total": float(row["total_ha"]),
                "Restored": float(row["restored_ha"]),
                "Unrestored": float(row["unrestored_ha"]),
                "Water": float(row["water_ha"]),
                "Unobserved": float(row["unobserved_ha"]),
            }
            if f"Pit 图斑 {pit_id}" not in text:
                fail(1, f"pit {pit_id}: the popup is another pit's:\n{text}")
            for label, v in want.items():
                # The first occurrence is the pit's row (the piece's rows follow).
                found = next((ln for ln in lines if ln.split(" ", 1)[0] == label), None)
                expect = f"{grouped(v)} ha"
                if found is None or not found.endswith(expect):
                    fail(1, f"pit {pit_id}: {label} shows {found!r}, pits.csv says {expect}\n{text}")
            print(f"ok: clicked pit {pit_id} at ({x:.0f}, {y:.0f}); popup total {grouped(want['Total'])} ha "
                  f"restored {grouped(want['Restored'])} ha unrestored {grouped(want['Unrestored'])} ha")
            checked += 1
        # Offline means offline: every request the page made was file: or data:.
        fetched = [e["params"]["request"]["url"] for e in page.events
                   if e.get("method") == "Network.requestWillBeSent"]
        remote = [u for u in fetched if not u.startswith(("file:", "data:"))]
        if remote:
            fail(1, f"the page asked the network for {remote[:5]}")
        print(f"interactive map: {checked} pit popups match pits.csv; {len(fetched)} requests, none remote")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
