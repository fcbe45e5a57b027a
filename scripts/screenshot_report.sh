#!/usr/bin/env bash
# Screenshot an audit's report.html with headless Chromium and check the picture
# is not blank: several distinct colours, including the map palette's green
# (restored) and brown-orange (unrestored).
#
# usage: scripts/screenshot_report.sh FILE.html OUT.png
# needs: chromium (Debian: apt-get install -y chromium), python3 (standard library only)
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 FILE.html OUT.png" >&2
    exit 2
fi
html=$1
out=$2
if [ ! -f "$html" ]; then
    echo "error: $html: no such file" >&2
    exit 2
fi

browser=""
for b in /usr/bin/chromium /usr/bin/chromium-browser "$(command -v chromium 2>/dev/null || true)" "$(command -v google-chrome 2>/dev/null || true)"; do
    if [ -n "$b" ] && [ -x "$b" ]; then
        browser=$b
        break
    fi
done
if [ -z "$browser" ]; then
    echo "error: no chromium found; install it with: apt-get install -y chromium" >&2
    exit 3
fi

abs_html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
out_dir=$(cd "$(dirname "$out")" && pwd)
abs_out=$out_dir/$(basename "$out")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$abs_out"

# --disable-* flags: the page must render offline, with nothing fetched.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --disable-default-apps --disable-extensions --hide-scrollbars \
    --force-device-scale-factor=1 --user-data-dir="$profile" \
    --screenshot="$abs_out" --window-size=1280,2400 "file://$abs_html" \
    >"$profile/chromium.log" 2>&1 || {
    echo "error: chromium failed; its log:" >&2
    cat "$profile/chromium.log" >&2
    exit 4
}
if [ ! -s "$abs_out" ]; then
    echo "error: chromium wrote no screenshot; its log:" >&2
    cat "$profile/chromium.log" >&2
    exit 4
fi

python3 - "$abs_out" <<'PY'
import struct, sys, zlib

path = sys.argv[1]
data = open(path, "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"error: {path} is not a PNG")
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    (length,) = struct.unpack(">I", data[pos:pos + 4])
    kind = data[pos + 4:pos + 8]
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
width, height, depth, colour, _, _, interlace = ihdr
if depth != 8 or colour not in (2, 6) or interlace:
    sys.exit(f"error: unexpected PNG layout depth={depth} colour={colour} interlace={interlace}")
bpp = 3 if colour == 2 else 4
raw = zlib.decompress(idat)
stride = width * bpp
rows, prev, i = [], bytearray(stride), 0
for _ in range(height):
    f = raw[i]
    line = bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1:
            line[x] = (line[x] + a) & 255
        elif f == 2:
            line[x] = (line[x] + b) & 255
        elif f == 3:
            line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[x] = (line[x] + pr) & 255
    rows.append(bytes(line))
    prev = line

counts = {}
for line in rows:
    for x in range(0, stride, bpp):
        px = line[x:x + 3]
        counts[px] = counts.get(px, 0) + 1

def near(target, tol=12):
    return sum(n for px, n in counts.items()
               if all(abs(px[k] - target[k]) <= tol for k in range(3)))

green = near((56, 158, 72))      # maps.rs RESTORED
brown = near((214, 120, 44))     # maps.rs UNRESTORED
print(f"{path}: {width}x{height}, {len(counts)} distinct colours, "
      f"restored-green pixels {green}, unrestored-brown pixels {brown}")
problems = []
if len(counts) < 16:
    problems.append("fewer than 16 distinct colours (blank page?)")
if green < 200:
    problems.append("almost no restored green (maps missing?)")
if brown < 200:
    problems.append("almost no unrestored brown (maps missing?)")
if problems:
    sys.exit("error: " + "; ".join(problems))
PY
