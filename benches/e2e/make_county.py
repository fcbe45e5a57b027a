#!/usr/bin/env python3
"""Write the county-scale speed scene (rasters via GDAL/rasterio, vectors via OGR/fiona).

Usage: make_county.py OUTDIR [--width 7700] [--height 6600] [--pits 1000]
                             [--licences 150] [--seed 7] [--no-classes]

Grid: EPSG:32651, 10 m cells, top-left corner (600000, 4880000) (Jilin, UTM 51N).
The default is a county: 7,700 x 6,600 cells = 77 x 66 km.

  classes.tif    uint8 land cover (WorldCover codes 10 20 30 40 50 60 80 90), tiled
                 512, DEFLATE, nodata 255: 40 x 40-cell patches with jittered edges,
                 2 % salt, a few nodata "clouds".
  red_nir.tif    2 bands uint16 (red, NIR; pixel-interleaved as GDAL writes them),
                 Sentinel-2 L2A DNs (reflectance = DN x 0.0001 - 0.1), tiled 512,
                 DEFLATE + predictor 2, nodata 0; NDVI from the land cover plus noise.
  pits.shp       N irregular pits (star polygons 0.3-80 ha, log-uniform; ~15 % with a
                 hole, ~10 % MultiPolygons of 2-3 parts), 70 % clustered around the
                 licences, 30 % scattered (legacy); a few overlap. Fields pit_id, kind.
  licences.shp   M licence polygons (jittered octagons 0.3-3 km^2), fields license_id,
                 holder, status (valid / expired / suspended / revoked / cancelled),
                 valid_to.
  audit.toml     `reclaim audit` configuration (NDVI on red_nir.tif).

Rasters are written one 512-row strip at a time, so a 40,000 x 40,000 scene needs a
few hundred MB of memory, not the 3.2 GB of the bands.
"""

from __future__ import annotations

import argparse
import math
import os
import sys

import fiona
import numpy as np
import rasterio
from rasterio.transform import from_origin
from rasterio.windows import Window
from shapely.geometry import MultiPolygon, Polygon, mapping

X0 = 600000.0
Y0 = 4880000.0
RES = 10.0
CRS = "EPSG:32651"
PATCH = 40  # cells per land-cover patch side
CLASSES = np.array([10, 20, 30, 40, 50, 60, 80, 90], dtype=np.uint8)
# per class: (NDVI mean, NDVI spread, reflectance sum mean)
SPECTRA = {
    10: (0.75, 0.10, 0.45), 20: (0.55, 0.15, 0.40), 30: (0.45, 0.15, 0.40),
    40: (0.50, 0.20, 0.42), 50: (0.10, 0.08, 0.50), 60: (0.15, 0.12, 0.55),
    80: (-0.25, 0.15, 0.10), 90: (0.35, 0.15, 0.30),
}


def land_cover(rng, width, height):
    """The coarse patch map and the salt seed, from which every strip is made."""
    pw, ph = width // PATCH + 2, height // PATCH + 2
    weights = np.array([0.2, 0.1, 0.15, 0.25, 0.05, 0.1, 0.05, 0.1])
    return rng.choice(CLASSES, size=(ph, pw), p=weights)


def strip_classes(patches, seed, r0, rows, width):
    """Land cover of rows r0..r0+rows: patches with jittered edges and 2 % salt."""
    rng = np.random.default_rng([seed, r0])
    rr = np.arange(r0, r0 + rows)[:, None]
    cc = np.arange(width)[None, :]
    jr = rng.integers(0, 6, size=(rows, width))
    jc = rng.integers(0, 6, size=(rows, width))
    cls = patches[(rr + jr) // PATCH, (cc + jc) // PATCH]
    salt = rng.random((rows, width)) < 0.02
    cls[salt] = rng.choice(CLASSES, size=int(salt.sum()))
    return cls, rng


def strip_bands(cls, rng):
    """Red and NIR DNs for a strip of classes."""
    ndvi = np.empty(cls.shape)
    total = np.empty(cls.shape)
    for c, (m, s, t) in SPECTRA.items():
        sel = cls == c
        n = int(sel.sum())
        ndvi[sel] = m + s * rng.standard_normal(n)
        total[sel] = t * (0.8 + 0.4 * rng.random(n))
    ndvi = np.clip(ndvi, -0.95, 0.95)
    nir = total * (1 + ndvi) / 2
    red = total - nir
    dn = lambda refl: np.clip(np.rint((refl + 0.1) * 10000), 1, 65535).astype(np.uint16)
    return dn(red), dn(nir)


def clouds(rng, width, height, n):
    """Nodata discs (centre col, centre row, radius in cells)."""
    return [(rng.uniform(0, width), rng.uniform(0, height), rng.uniform(20, 120)) for _ in range(n)]


def in_clouds(disc_list, r0, rows, width):
    rr = np.arange(r0, r0 + rows)[:, None] + 0.5
    cc = np.arange(width)[None, :] + 0.5
    m = np.zeros((rows, width), dtype=bool)
    for (cx, cy, rad) in disc_list:
        if cy + rad < r0 or cy - rad > r0 + rows:
            continue
        m |= (cc - cx) ** 2 + (rr - cy) ** 2 <= rad * rad
    return m


def write_rasters(out, width, height, seed, with_classes):
    rng = np.random.default_rng(seed)
    patches = land_cover(rng, width, height)
    discs = clouds(rng, width, height, max(3, width * height // 8_000_000))
    transform = from_origin(X0, Y0, RES, RES)
    common = dict(driver="GTiff", width=width, height=height, crs=CRS, transform=transform,
                  tiled=True, blockxsize=512, blockysize=512, compress="deflate",
                  BIGTIFF="IF_SAFER")
    cls_ds = None
    if with_classes:
        cls_ds = rasterio.open(os.path.join(out, "classes.tif"), "w", count=1, dtype="uint8",
                               nodata=255, **common)
    band_ds = rasterio.open(os.path.join(out, "red_nir.tif"), "w", count=2, dtype="uint16",
                            nodata=0, predictor=2, interleave="pixel", **common)
    for r0 in range(0, height, 512):
        rows = min(512, height - r0)
        cls, srng = strip_classes(patches, seed, r0, rows, width)
        cloud = in_clouds(discs, r0, rows, width)
        red, nir = strip_bands(cls, srng)
        red[cloud] = 0
        nir[cloud] = 0
        win = Window(0, r0, width, rows)
        if cls_ds is not None:
            c = cls.copy()
            c[cloud] = 255
            cls_ds.write(c, 1, window=win)
        band_ds.write(red, 1, window=win)
        band_ds.write(nir, 2, window=win)
        print(f"\r  rasters: row {r0 + rows}/{height}", end="", file=sys.stderr)
    print(file=sys.stderr)
    band_ds.close()
    if cls_ds is not None:
        cls_ds.close()


def star(rng, cx, cy, radius, n):
    """A simple star-shaped ring around (cx, cy), radii in [0.6, 1.0] x radius.

    Angles are jittered evenly (gaps < 2 x 360/n degrees), so the ring stays at least
    0.6 x cos(360/n) x radius from the centre and a hole of 0.25 x radius fits inside.
    """
    ang = (np.arange(n) + rng.uniform(0, 1, n)) * (2 * math.pi / n)
    rad = radius * rng.uniform(0.6, 1.0, n)
    return list(zip(cx + rad * np.cos(ang), cy + rad * np.sin(ang)))


def make_pit(rng, cx, cy, area_m2):
    """A pit of about `area_m2`: a plain star, a star with a hole, or 2-3 parts."""
    u = rng.random()
    if u < 0.10:  # MultiPolygon: parts side by side, far enough apart not to touch
        k = int(rng.integers(2, 4))
        r = math.sqrt(area_m2 / k / (0.64 * math.pi))
        parts = [Polygon(star(rng, cx + i * 2.3 * r, cy, r, int(rng.integers(10, 40))))
                 for i in range(k)]
        return MultiPolygon(parts), 2.3 * r * k
    r = math.sqrt(area_m2 / (0.64 * math.pi))
    shell = star(rng, cx, cy, r, int(rng.integers(12, 60)))
    if u < 0.25 and area_m2 > 20_000:
        hole = star(rng, cx, cy, 0.25 * r, int(rng.integers(6, 16)))
        return Polygon(shell, [hole[::-1]]), r
    return Polygon(shell), r


def write_vectors(out, width, height, n_pits, n_lic, seed):
    rng = np.random.default_rng([seed, 1])
    xmax, ymin = X0 + width * RES, Y0 - height * RES
    statuses = ["valid"] * 12 + ["expired"] * 4 + ["suspended"] + ["revoked"] * 2 + ["cancelled"]
    lic_schema = {"geometry": "Polygon", "properties": {
        "license_id": "str:20", "holder": "str:40", "status": "str:12", "valid_to": "str:10"}}
    centres = []
    with fiona.open(os.path.join(out, "licences.shp"), "w", driver="ESRI Shapefile", crs=CRS,
                    schema=lic_schema, encoding="utf-8") as dst:
        for i in range(n_lic):
            cx = rng.uniform(X0 + 2000, xmax - 2000)
            cy = rng.uniform(ymin + 2000, Y0 - 2000)
            area = math.exp(rng.uniform(math.log(3e5), math.log(3e6)))
            r = math.sqrt(area / (2 * math.sqrt(2)))
            ang = np.arange(8) * math.pi / 4 + rng.uniform(0, 0.3)
            rad = r * rng.uniform(0.8, 1.2, 8)
            ring = list(zip(cx + rad * np.cos(ang), cy + rad * np.sin(ang)))
            centres.append((cx, cy, r))
            st = statuses[int(rng.integers(0, len(statuses)))]
            year = int(rng.integers(2018, 2035))
            dst.write({"geometry": mapping(Polygon(ring)), "properties": {
                "license_id": f"C{i:04d}", "holder": f"Holder {i % 97:03d} Mining Co.",
                "status": st, "valid_to": f"{year}-06-30" if rng.random() < 0.9 else ""}})
    pit_schema = {"geometry": "MultiPolygon", "properties": {"pit_id": "str:10", "kind": "str:12"}}
    placed = []  # (x, y, bounding radius)
    kinds = ["open pit", "waste dump", "tailings", "plant site"]
    with fiona.open(os.path.join(out, "pits.shp"), "w", driver="ESRI Shapefile", crs=CRS,
                    schema=pit_schema, encoding="utf-8") as dst:
        n = 0
        tries = 0
        while n < n_pits and tries < n_pits * 200:
            tries += 1
            area = math.exp(rng.uniform(math.log(3e3), math.log(8e5)))
            if rng.random() < 0.7 and centres:
                lx, ly, lr = centres[int(rng.integers(0, len(centres)))]
                cx, cy = lx + rng.normal(0, lr), ly + rng.normal(0, lr)
            else:
                cx, cy = rng.uniform(X0, xmax), rng.uniform(ymin, Y0)
            geom, reach = make_pit(rng, cx, cy, area)
            # Keep most pits apart (a few overlaps are realistic and exercised).
            near = any((cx - x) ** 2 + (cy - y) ** 2 < (reach + rr) ** 2 for x, y, rr in placed)
            if near and rng.random() > 0.03:
                continue
            placed.append((cx, cy, reach))
            mp = geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])
            dst.write({"geometry": mapping(mp), "properties": {
                "pit_id": f"P{n:05d}", "kind": kinds[n % 4]}})
            n += 1
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--width", type=int, default=7700)
    ap.add_argument("--height", type=int, default=6600)
    ap.add_argument("--pits", type=int, default=1000)
    ap.add_argument("--licences", type=int, default=150)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-classes", action="store_true", help="skip classes.tif")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    n = write_vectors(a.out, a.width, a.height, a.pits, a.licences, a.seed)
    write_rasters(a.out, a.width, a.height, a.seed, not a.no_classes)
    with open(os.path.join(a.out, "audit.toml"), "w") as f:
        f.write(f"""audit_date = "2025-12-31"

[imagery]
path = "red_nir.tif"
classifier = "ndvi"
red_band = 1
nir_band = 2
scale = 0.0001
offset = -0.1
restored_min_ndvi = 0.3
water_max_ndvi = 0.0

[pits]
path = "pits.shp"
id_field = "pit_id"
kind_field = "kind"

[licenses]
path = "licences.shp"
id_field = "license_id"
holder_field = "holder"
status_field = "status"
valid_to_field = "valid_to"
""")
    print(f"scene {a.width} x {a.height}, {n} pits, {a.licences} licences in {a.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
