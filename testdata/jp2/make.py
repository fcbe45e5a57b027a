#!/usr/bin/env python3
"""Writes the JPEG 2000 test fixtures of reclaim's JP2 reader (engine/tests/jp2.rs).

Run from this folder with a Python that has numpy + rasterio, and GDAL's
gdal_translate (OpenJPEG driver) on PATH:

    ~/.cache/reclaim-venv/bin/python make.py

Each `<name>.tif` is the reference: the same pixels as `<name>.jp2` in a plain
DEFLATE GeoTIFF, which the tests compare sample for sample with the JP2 decode.
Pixel data is deterministic (seeded) structure + noise, so lossless coding has
work to do on every tile.
"""
import subprocess

import numpy as np
import rasterio
from rasterio.transform import from_origin

rng = np.random.default_rng(20261204)


def texture(h, w, lo, hi, noise):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    base = 0.45 + 0.04 * np.sin(x / 23.0) * np.cos(y / 17.0) + 0.5 * (x + y) / (w + h)
    v = lo + (hi - lo) * base + rng.normal(0.0, noise, (h, w))
    return np.clip(np.rint(v), lo, hi)


def write_tif(name, bands, dtype, epsg=32632):
    h, w = bands[0].shape
    with rasterio.open(
        f"{name}.tif", "w", driver="GTiff", width=w, height=h, count=len(bands),
        dtype=dtype, crs=f"EPSG:{epsg}", compress="deflate", predictor=2,
        transform=from_origin(600000.0, 5000040.0, 10.0, 10.0),
    ) as d:
        for i, b in enumerate(bands, 1):
            d.write(b.astype(dtype), i)


def translate(src, dst, *opts):
    cmd = ["gdal_translate", "-q", "-of", "JP2OpenJPEG",
           "-co", "REVERSIBLE=YES", "-co", "QUALITY=100", *opts, src, dst]
    subprocess.run(cmd, check=True)


# 15-bit, 300 x 200 in 128 x 128 tiles (edge tiles 44 wide, 72 high), GeoJP2 only.
b = texture(200, 300, 0, 32767, 1.0)
b[0, 0], b[199, 299] = 0, 32767
write_tif("u15", [b], "uint16")
translate("u15.tif", "u15.jp2", "-co", "NBITS=15", "-co", "BLOCKXSIZE=128",
          "-co", "BLOCKYSIZE=128", "-co", "GMLJP2=NO")

# 16-bit full range, 150 x 100 in 64 x 64 tiles, default georef boxes, TLM.
b = texture(100, 150, 0, 65535, 4.0)
b[0, 0], b[99, 149] = 0, 65535
write_tif("u16", [b], "uint16", epsg=32633)
translate("u16.tif", "u16.jp2", "-co", "BLOCKXSIZE=64", "-co", "BLOCKYSIZE=64",
          "-co", "TLM=YES")
# Same pixels as a raw codestream (.j2k: no JP2 boxes, so no georef), TLM too.
translate("u16.tif", "u16_tlm.j2k", "-co", "BLOCKXSIZE=64", "-co", "BLOCKYSIZE=64",
          "-co", "TLM=YES", "-co", "CODEC=J2K")

# Same pixels, the codestream features an encoder may use: 64 x 48 tiles (tile
# origins off the precinct grid), tile-parts per resolution, PLT + TLM markers,
# 16/32 precincts, RPCL progression, SOP/EPH markers, BYPASS + TERMALL code-block
# style, and the georef boxes after the codestream.
translate("u16.tif", "u16_features.jp2", "-co", "BLOCKXSIZE=64", "-co", "BLOCKYSIZE=48",
          "-co", "TILEPARTS=RESOLUTIONS", "-co", "PLT=YES", "-co", "TLM=YES",
          "-co", "PRECINCTS={16,16},{32,32}", "-co", "PROGRESSION=RPCL",
          "-co", "SOP=YES", "-co", "EPH=YES", "-co", "CODEBLOCK_STYLE=BYPASS,TERMALL",
          "-co", "GEOBOXES_AFTER_JP2C=YES")

# 8-bit RGB, 120 x 90 in 64 x 64 tiles: three components (and the driver's
# reversible colour transform).
rgb = [texture(90, 120, 0, 255, 1.0 + i) for i in range(3)]
write_tif("u8", rgb, "uint8")
translate("u8.tif", "u8.jp2", "-co", "BLOCKXSIZE=64", "-co", "BLOCKYSIZE=64")

# Signed 16-bit, 70 x 50, one tile.
b = texture(50, 70, -20000, 20000, 4.0)
write_tif("i16", [b], "int16")
translate("i16.tif", "i16.jp2")

for ext in ("aux.xml",):
    subprocess.run(f"rm -f *.{ext}", shell=True, check=True)
