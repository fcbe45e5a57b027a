#!/usr/bin/env python3
"""A Sentinel-2-like 10 m band for the JPEG 2000 benchmark (docs/performance.md).

    make_s2_band.py OUT_DIR   ->  OUT_DIR/b04.tif (numpy texture, DEFLATE GeoTIFF)

then run.sh writes OUT_DIR/b04.jp2 with GDAL's OpenJPEG driver: 10980 x 10980,
15-bit lossless, 1024 x 1024 codestream tiles, TLM markers (~131 MB, like a real
L2A B04 band).
"""
import sys
import numpy as np, rasterio
from rasterio.transform import from_origin
N = 10980
rng = np.random.default_rng(7)
# S2-like reflectance texture: smooth regional field + parcels (blocky fields of
# constant-ish reflectance) + sensor noise; values in 0..~12000 (15-bit).
out = np.empty((N, N), dtype=np.uint16)
# parcels: a coarse grid of random field values, upsampled with random offsets
coarse = rng.integers(300, 4500, size=(N // 40 + 2, N // 40 + 2)).astype(np.float32)
xs = np.arange(N, dtype=np.float32)
for r0 in range(0, N, 1098):
    r1 = min(N, r0 + 1098)
    y = np.arange(r0, r1, dtype=np.float32)[:, None]
    x = xs[None, :]
    field = coarse[(y // 40).astype(int), (x // 40).astype(int)]
    smooth = 1500 * np.sin(x / 900.0) * np.cos(y / 700.0) + 800 * np.sin((x + y) / 2500.0)
    noise = rng.normal(0, 60, size=(r1 - r0, N)).astype(np.float32)
    v = field + smooth + noise + 2000
    out[r0:r1] = np.clip(v, 0, 32767).astype(np.uint16)
with rasterio.open(f"{sys.argv[1]}/b04.tif", "w", driver="GTiff", width=N, height=N, count=1,
                   dtype="uint16", crs="EPSG:32632", tiled=True, compress="deflate",
                   transform=from_origin(600000, 5000040, 10, 10)) as d:
    d.write(out, 1)
