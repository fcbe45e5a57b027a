#!/usr/bin/env python3
"""Write the audit conformance scene (rasters via GDAL/rasterio, vectors via OGR/fiona).

Usage: audit_scene.py OUTDIR [--seed N]

Everything comes from one seeded numpy generator: the same seed gives the same files.
Independent of make_scene.py (its own grid, generator and geometry).

Grid: EPSG:32651, 10 m cells, 400 x 300, top-left corner (684000, 4798000), so the
raster covers x 684000..688000, y 4795000..4798000 (near Yitong, Jilin).

  s2_red_nir.tif  2 bands uint16 (1 = red B04, 2 = NIR B08), Sentinel-2 L2A digital
                  numbers with the processing-baseline-04.00 offset (reflectance =
                  DN x 0.0001 - 0.1), tiled 256, DEFLATE + predictor 2, nodata 0.
                  Voronoi patches of vegetation / bare ground / water / mixed land with
                  per-cell noise; nodata patches in red only, in NIR only and in both;
                  scattered dropouts; a dark patch whose reflectance sum is <= 0; salt
                  cells with red == NIR (NDVI exactly 0 = water_max_ndvi -> unrestored).
                  No cell has an NDVI within 1e-9 of 0.3 (see `avoid_threshold`), so
                  the classes do not hinge on the last bit of a float.
  scl.tif         uint8 Sentinel-2 scene classification on the same grid: 4/5/6 by land
                  type, a cloud (8 core, 9 rim), its shadow (3), cirrus dots (10),
                  saturated dots (1), a no-data strip (0), and unmasked 2, 7, 11.
  pits.shp        ~40 pit polygons (+ .prj EPSG:32651, .cpg UTF-8), fields TBBH (id,
                  "YT-<n>" unpadded so string order != numeric order), LX (kind),
                  XZ (town, Chinese). Random star shapes: plain, with holes,
                  MultiPolygons, crossing the raster edge, one fully outside, one
                  below one cell, one rectangle on cell corners; pits overlapping other
                  pits (incl. a triple); pits placed on every licence overlap that
                  exercises a priority step. Written in shuffled order.
  licenses.shp    13 licence polygons in EPSG:4551 (CGCS2000 3-degree GK CM 126E,
                  ESRI .prj, .cpg UTF-8): authored in UTM, vertices reprojected with
                  PROJ (no densification). Fields XKZH (id), CKQR (holder, Chinese),
                  ZT (status, mixed case), YXQZ (valid-to YYYY-MM-DD or empty), KZ, KSMC.
  audit.toml      the configuration for `reclaim audit`.
  scene.json      seed, grid, and which licence pairs exercise which priority step.

The licence table (priority cases; ranks are valid first, latest date, smallest id):

  C001 valid 2027-06-30  vs  C002 expired 2029-12-31  -> C001 (status beats date)
  C003 valid 2030-01-01  vs  C004 valid 2026-05-01    -> C003 (later date)
  L10  valid 2028-01-01  vs  L9   valid 2028-01-01    -> L10  (id, byte order)
  C007 suspended, no date vs C008 expired 2020-03-31  -> C008 (missing date ranks last)
  C007 suspended, no date vs C000 expired, no date    -> C000 (id)
  C013 valid, no date    vs  L9 / C001 (valid, dated) -> the dated one
  C009 revoked, C010 cancelled, C011 valid with empty holder: never liable
  C007 has a hole; C013 is a MultiPolygon; L10, C000 and L9 cross the raster edge.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

import fiona
import numpy as np
import rasterio
from pyproj import Transformer
from rasterio.transform import Affine
from shapely.geometry import MultiPolygon, Polygon, box, mapping

X0 = 684000.0  # west edge
Y0 = 4798000.0  # north edge
RES = 10.0
WIDTH = 400
HEIGHT = 300
XMAX = X0 + WIDTH * RES
YMIN = Y0 - HEIGHT * RES
CRS = "EPSG:32651"
LICENCE_CRS = "EPSG:4551"
SCALE = 0.0001
OFFSET = -0.1
RESTORED_MIN_NDVI = 0.3
WATER_MAX_NDVI = 0.0

# land types of the Voronoi patches: (name, ndvi range, reflectance-sum range, SCL)
LAND = [
    ("veg", (0.32, 0.85), (0.30, 0.65), 4),
    ("bare", (0.03, 0.27), (0.25, 0.60), 5),
    ("water", (-0.60, -0.05), (0.04, 0.15), 6),
    ("mixed", (0.15, 0.45), (0.25, 0.60), 4),  # straddles restored_min_ndvi
    ("wet", (-0.15, 0.12), (0.10, 0.30), 6),  # straddles water_max_ndvi
]


# ---------------------------------------------------------------- rasters


def dn(refl: np.ndarray) -> np.ndarray:
    """Reflectance -> uint16 DN (DN x SCALE + OFFSET = reflectance), never 0 (nodata)."""
    return np.clip(np.rint((refl - OFFSET) / SCALE), 1, 65535).astype(np.uint16)


def ndvi_of(red: np.ndarray, nir: np.ndarray) -> np.ndarray:
    r = red.astype(np.float64) * SCALE + OFFSET
    n = nir.astype(np.float64) * SCALE + OFFSET
    with np.errstate(divide="ignore", invalid="ignore"):
        return (n - r) / (n + r)


def avoid_threshold(red: np.ndarray, nir: np.ndarray) -> int:
    """Nudge NIR by +1 DN where NDVI lies within 1e-9 of restored_min_ndvi, so that
    the class never depends on how the last bit of the division rounds."""
    total = 0
    for _ in range(10):
        v = ndvi_of(red, nir)
        near = np.abs(v - RESTORED_MIN_NDVI) < 1e-9
        if not near.any():
            return total
        nir[near] += 1
        total += int(near.sum())
    raise SystemExit("could not move NDVI off the threshold")


def disk(rows, cols, r, c, rad):
    return (rows - r) ** 2 + (cols - c) ** 2 < rad**2


def make_rasters(out: str, rng: np.random.Generator) -> dict:
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH]
    n_seeds = 70
    sr, sc = rng.uniform(0, HEIGHT, n_seeds), rng.uniform(0, WIDTH, n_seeds)
    kind = rng.choice(len(LAND), n_seeds, p=[0.32, 0.30, 0.12, 0.16, 0.10])
    best = np.full((HEIGHT, WIDTH), np.inf)
    patch = np.zeros((HEIGHT, WIDTH), dtype=np.int64)
    for i, (r, c) in enumerate(zip(sr, sc)):
        d = (rows - r) ** 2 + (cols - c) ** 2
        closer = d < best
        best[closer] = d[closer]
        patch[closer] = i
    land = kind[patch]
    # per-patch mean NDVI and brightness, plus per-cell noise
    p_ndvi = np.array([rng.uniform(*LAND[k][1]) for k in kind])
    p_sum = np.array([rng.uniform(*LAND[k][2]) for k in kind])
    ndvi = np.clip(p_ndvi[patch] + rng.normal(0, 0.06, (HEIGHT, WIDTH)), -0.9, 0.95)
    s = np.clip(p_sum[patch] * rng.uniform(0.85, 1.15, (HEIGHT, WIDTH)), 0.02, 1.2)
    red = dn(s * (1 - ndvi) / 2)
    nir = dn(s * (1 + ndvi) / 2)
    n_nudged = avoid_threshold(red, nir)

    # NDVI exactly 0 (= water_max_ndvi): unrestored, not water
    salt = rng.random((HEIGHT, WIDTH)) < 0.01
    nir[salt] = red[salt]
    # a dark patch: both reflectances <= 0 or summing to <= 0 -> unobserved
    dark = disk(rows, cols, 60, 330, 9)
    red[dark] = rng.integers(850, 1000, int(dark.sum()))
    nir[dark] = rng.integers(900, 1001, int(dark.sum()))
    red[60, 330] = nir[60, 330] = 1000  # reflectance 0 + 0

    # nodata (0): red only, NIR only, both; scattered dropouts in either band
    red[disk(rows, cols, 200, 80, 12)] = 0
    nir[disk(rows, cols, 120, 250, 10)] = 0
    both = disk(rows, cols, 250, 300, 14)
    red[both] = 0
    nir[both] = 0
    red[rng.random((HEIGHT, WIDTH)) < 0.003] = 0
    nir[rng.random((HEIGHT, WIDTH)) < 0.003] = 0

    prof = dict(driver="GTiff", width=WIDTH, height=HEIGHT, count=2, dtype="uint16",
                crs=CRS, transform=Affine(RES, 0.0, X0, 0.0, -RES, Y0), nodata=0,
                tiled=True, blockxsize=256, blockysize=256, compress="deflate",
                predictor=2)
    with rasterio.open(os.path.join(out, "s2_red_nir.tif"), "w", **prof) as d:
        d.write(red, 1)
        d.write(nir, 2)
        d.set_band_description(1, "B04 red")
        d.set_band_description(2, "B08 nir")

    # SCL
    scl_of = np.array([LAND[k][3] for k in range(len(LAND))], dtype=np.uint8)
    scl = scl_of[land]
    cloud_r, cloud_c = 95.0, 150.0
    shadow = disk(rows, cols, cloud_r + 14, cloud_c - 18, 16)
    scl[shadow] = 3
    scl[disk(rows, cols, cloud_r, cloud_c, 22)] = 9
    scl[disk(rows, cols, cloud_r, cloud_c, 13)] = 8
    scl[rng.random((HEIGHT, WIDTH)) < 0.004] = 10
    scl[rng.random((HEIGHT, WIDTH)) < 0.001] = 1
    scl[rng.random((HEIGHT, WIDTH)) < 0.003] = 2  # dark area: not masked
    scl[rng.random((HEIGHT, WIDTH)) < 0.003] = 7  # unclassified: not masked
    scl[disk(rows, cols, 20, 40, 8)] = 11  # snow: not masked
    scl[:, 396:] = 0  # a no-data strip along the east edge
    sprof = dict(driver="GTiff", width=WIDTH, height=HEIGHT, count=1, dtype="uint8",
                 crs=CRS, transform=Affine(RES, 0.0, X0, 0.0, -RES, Y0), tiled=False,
                 blockysize=16, compress="deflate")
    with rasterio.open(os.path.join(out, "scl.tif"), "w", **sprof) as d:
        d.write(scl, 1)
    return {"nudged_cells": n_nudged, "ndvi_zero_cells": int(salt.sum())}


# ---------------------------------------------------------------- licences


def jagged_rect(rng, x0, y0, x1, y1, jitter=25.0, per_side=3) -> Polygon:
    """A quadrilateral-ish polygon near the rectangle, with extra jittered vertices
    along each side so that most edges are slanted (offsets from the SW corner)."""
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    pts = []
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1]):
        for k in range(per_side):
            t = k / per_side
            pts.append((ax + t * (bx - ax) + rng.uniform(-jitter, jitter),
                        ay + t * (by - ay) + rng.uniform(-jitter, jitter)))
    return Polygon([(X0 + x, YMIN + y) for x, y in pts])


def utm(x, y):
    return (X0 + x, YMIN + y)


def make_licences(rng):
    """Licences in EPSG:32651 as (props, shapely geometry)."""
    J = lambda *a, **k: jagged_rect(rng, *a, **k)  # noqa: E731
    c007_outer = J(200, 200, 1100, 1100)
    c007 = Polygon(c007_outer.exterior.coords,
                   [[utm(500, 500), utm(760, 480), utm(780, 760), utm(490, 740)]])
    c013 = MultiPolygon([J(2650, 2650, 3050, 2950, jitter=15),
                         J(820, 1600, 1300, 1950, jitter=15)])
    table = [
        # id, holder, status, valid_to, mineral, name, geometry
        ("C001", "吉林省伊通县鑫源矿业有限公司", "Valid", "2027-06-30", "石灰岩", "鑫源石灰岩矿",
         J(200, 1800, 1000, 2700)),
        ("C002", "伊通满族自治县宏达采石场", "EXPIRED", "2029-12-31", "建筑用安山岩", "宏达采石场",
         J(700, 2200, 1500, 2900)),
        ("C003", "四平市金石建材有限公司", "valid", "2030-01-01", "砖瓦用黏土", "金石黏土矿",
         J(1700, 1900, 2500, 2800)),
        ("C004", "伊通县营城子镇砂石厂", "Valid", "2026-05-01", "建筑用砂", "营城子砂石厂",
         J(2200, 1500, 3000, 2300)),
        ("L10", "Jilin Northeast Quarry Co., Ltd.", "VALID", "2028-01-01", "granite",
         "NE quarry", J(3200, 1700, 4200, 2600)),
        ("L9", "Yitong \"Lucky\" Stone, Inc.", "valid", "2028-01-01", "granite",
         "Lucky stone", J(2900, 2300, 3600, 3100)),
        ("C007", "伊通县景台镇采石场", " Suspended", "", "建筑用玄武岩", "景台采石场", c007),
        ("C008", "伊通县大孤山矿业公司", "expired", "2020-03-31", "石灰岩", "大孤山矿",
         J(900, 700, 1600, 1400)),
        ("C000", "伊通县马鞍山采石场", "Expired", "", "建筑用安山岩", "马鞍山采石场",
         J(-200, -200, 400, 600)),
        ("C009", "伊通县已吊销矿山", "revoked", "2031-12-31", "石灰岩", "吊销矿",
         J(1800, 300, 2800, 1200)),
        ("C010", "伊通县已注销矿山", "Cancelled", "2030-06-30", "砖瓦用黏土", "注销矿",
         J(2000, 2400, 2400, 3000)),
        ("C011", "", "valid", "2029-09-30", "建筑用砂", "无主砂场", J(3000, 300, 3800, 1200)),
        ("C013", "伊通县双顶山矿业", "Valid", "", "石灰岩", "双顶山矿", c013),
    ]
    out = []
    for lid, holder, status, vt, mineral, name, g in table:
        if not g.is_valid:
            raise SystemExit(f"licence {lid} is not a valid polygon")
        out.append(({"XKZH": lid, "CKQR": holder, "ZT": status, "YXQZ": vt, "KZ": mineral,
                     "KSMC": name}, g))
    return out


# the pairs whose overlap gets a pit, and the priority step each exercises
PRIORITY_CASES = [
    ("C001", "C002", "status: valid beats a later-dated expired"),
    ("C003", "C004", "date: later valid-to wins"),
    ("L10", "L9", "id: same status and date, smaller id (byte order) wins"),
    ("C007", "C008", "date: a dated licence beats a missing date"),
    ("C000", "C007", "id: both dates missing, smaller id wins"),
    ("C013", "L9", "date: dated valid beats undated valid"),
    ("C001", "C013", "date: dated valid beats undated valid"),
    ("C003", "C010", "a cancelled licence is not liable"),
]


# ---------------------------------------------------------------- pits


def star(rng, cx, cy, r, n=None, amp=0.4) -> Polygon:
    n = n or int(rng.integers(8, 30))
    ang = np.sort(rng.uniform(0, 2 * math.pi, n))
    rad = r * (1 + amp * rng.uniform(-1, 1, n))
    return Polygon(list(zip(cx + rad * np.cos(ang), cy + rad * np.sin(ang))))


def random_pit(rng, kind: str, centre=None, radius=None):
    for _ in range(1000):
        if centre is not None:
            cx, cy = centre
        elif kind == "edge":
            side = int(rng.integers(0, 4))
            t = rng.uniform(0.15, 0.85)
            cx, cy = [(X0 + t * WIDTH * RES, Y0), (X0 + t * WIDTH * RES, YMIN),
                      (X0, YMIN + t * HEIGHT * RES), (XMAX, YMIN + t * HEIGHT * RES)][side]
            cx += rng.uniform(-40, 40)
            cy += rng.uniform(-40, 40)
        else:
            cx = rng.uniform(X0 + 200, XMAX - 200)
            cy = rng.uniform(YMIN + 200, Y0 - 200)
        r = radius or rng.uniform(35, 130)
        outer = star(rng, cx, cy, r)
        geom = outer
        if kind == "holes":
            holes = []
            for _ in range(int(rng.integers(1, 3))):
                h = star(rng, cx + rng.uniform(-0.3, 0.3) * r, cy + rng.uniform(-0.3, 0.3) * r,
                         r * rng.uniform(0.1, 0.22), amp=0.25)
                if h.within(outer) and all(h.distance(o) > 1.0 for o in holes):
                    holes.append(h)
            if not holes:
                continue
            geom = Polygon(outer.exterior.coords, [h.exterior.coords for h in holes])
        elif kind == "multi":
            parts = [outer]
            for _ in range(int(rng.integers(1, 3))):
                p = star(rng, cx + rng.uniform(-2.5, 2.5) * r, cy + rng.uniform(-2.5, 2.5) * r,
                         r * rng.uniform(0.25, 0.6))
                if all(p.distance(q) > 2.0 for q in parts):
                    parts.append(p)
            if len(parts) < 2:
                continue
            geom = MultiPolygon(parts)
        if geom.is_valid and geom.area > 0:
            return geom
    raise RuntimeError(f"could not make a valid {kind} pit")


def make_pits(rng, licences):
    by_id = {p["XKZH"]: g for p, g in licences}
    pits = []  # (kind_label, geometry)
    # one pit on each priority overlap, centred on a point of the overlap
    for a, b, _ in PRIORITY_CASES:
        ov = by_id[a].intersection(by_id[b])
        if ov.is_empty:
            raise SystemExit(f"licences {a} and {b} do not overlap")
        c = ov.representative_point()
        pits.append(("open pit", random_pit(rng, "plain", (c.x, c.y), rng.uniform(60, 110))))
    # one in the hole of C007 (legacy unless another licence covers it)
    pits.append(("open pit", random_pit(rng, "plain", utm(635, 620), 60)))
    # random pits of every shape
    kinds = ["plain"] * 13 + ["holes"] * 4 + ["multi"] * 3 + ["edge"] * 4
    for k in kinds:
        pits.append((rng.choice(["open pit", "waste dump", "tailings"]), random_pit(rng, k)))
    # fixed ones: a rectangle on cell corners (6 x 4 cells = 0.24 ha), a pit fully east
    # of the raster (legacy, all unobserved), a pit under one cell
    fixed = {"cell_rect": (len(pits), 60 * 40), "outside": (len(pits) + 1, 80 * 60),
             "tiny": (len(pits) + 2, 12.5)}
    pits.append(("plant site", box(X0 + 2510, YMIN + 1210, X0 + 2570, YMIN + 1250)))
    pits.append(("waste dump", box(XMAX + 400, YMIN + 500, XMAX + 480, YMIN + 560)))
    pits.append(("open pit", Polygon([utm(1503, 1004), utm(1508, 1004), utm(1503, 1009)])))
    # pits overlapping earlier pits (one triple)
    base = [g for _, g in pits[:12] if isinstance(g, Polygon)]
    for i in range(5):
        g = base[i]
        c = g.centroid
        r = math.sqrt(g.area / math.pi)
        ang = rng.uniform(0, 2 * math.pi)
        pits.append(("waste dump", random_pit(
            rng, "plain", (c.x + 0.8 * r * math.cos(ang), c.y + 0.8 * r * math.sin(ang)),
            0.7 * r)))
    g = pits[-1][1]
    c = g.centroid
    pits.append(("tailings", random_pit(rng, "plain", (c.x + 20, c.y - 15), 40)))
    # a pit inside another pit's hole (no overlap); a pit sharing an edge with cell_rect
    # (touching is no overlap); a MultiPolygon whose parts overlap (merged: counted
    # once); repeated and collinear vertices
    outer = star(rng, *utm(3400, 600), 120, n=24, amp=0.15)
    hole = box(*utm(3360, 560), *utm(3440, 640))
    nested = box(*utm(3375, 575), *utm(3425, 625))
    cx, cy = utm(1900, 2100)
    parts = MultiPolygon([star(rng, cx, cy, 50, amp=0.2), star(rng, cx + 50, cy + 10, 45,
                                                                amp=0.2)])
    degenerate = Polygon([utm(600, 1500), utm(650, 1500), utm(650, 1500), utm(700, 1500),
                          utm(700, 1560), utm(650, 1560), utm(600, 1560)])
    host = Polygon(outer.exterior.coords, [hole.exterior.coords])
    if not (host.is_valid and hole.within(outer) and parts.geoms[0].intersects(parts.geoms[1])):
        raise SystemExit("fixed pits: bad construction")
    n = len(pits)
    fixed.update({"hole_host": (n, host.area), "in_hole": (n + 1, 50 * 50),
                  "touching": (n + 2, 30 * 40), "overlapping_parts": (n + 3, parts.buffer(0).area),
                  "degenerate": (n + 4, 100 * 60)})
    pits += [("open pit", host), ("open pit", nested),
             ("plant site", box(*utm(2570, 1210), *utm(2600, 1250))),
             ("waste dump", parts), ("tailings", degenerate)]
    return pits, fixed


def write_pits(out, rng, pits):
    towns = ["伊通镇", "营城子镇", "景台镇", "大孤山镇", "马鞍山镇", "二道镇"]
    ids = rng.permutation(np.arange(1, len(pits) + 1))
    rows = [(f"YT-{n}", kind, towns[int(rng.integers(0, len(towns)))], g)
            for n, (kind, g) in zip(ids, pits)]
    order = rng.permutation(len(rows))
    schema = {"geometry": "Polygon",
              "properties": {"TBBH": "str:16", "LX": "str:16", "XZ": "str:16"}}
    with fiona.open(os.path.join(out, "pits.shp"), "w", driver="ESRI Shapefile", crs=CRS,
                    schema=schema, encoding="utf-8") as dst:
        for i in order:
            pid, kind, town, g = rows[i]
            dst.write({"geometry": mapping(g),
                       "properties": {"TBBH": pid, "LX": kind, "XZ": town}})
    return [r[0] for r in rows]


def write_licences(out, licences, licence_crs=LICENCE_CRS):
    tr = Transformer.from_crs(CRS, licence_crs, always_xy=True)

    def ring(coords):
        xs, ys = zip(*coords)
        e, n = tr.transform(xs, ys)
        return list(zip(map(float, e), map(float, n)))

    def poly(p: Polygon):
        return [ring(p.exterior.coords)] + [ring(h.coords) for h in p.interiors]

    schema = {"geometry": "Polygon",
              "properties": {"XKZH": "str:20", "CKQR": "str:80", "ZT": "str:12",
                             "YXQZ": "str:10", "KZ": "str:30", "KSMC": "str:40"}}
    with fiona.open(os.path.join(out, "licenses.shp"), "w", driver="ESRI Shapefile",
                    crs=licence_crs, schema=schema, encoding="utf-8") as dst:
        for props, g in licences:
            if isinstance(g, MultiPolygon):
                geom = {"type": "MultiPolygon", "coordinates": [poly(p) for p in g.geoms]}
            else:
                geom = {"type": "Polygon", "coordinates": poly(g)}
            dst.write({"geometry": geom, "properties": props})


AUDIT_TOML = """\
# reclaim audit configuration of the conformance scene (written by audit_scene.py)
audit_date = "2025-12-31"

[imagery]
path = "s2_red_nir.tif"
classifier = "ndvi"
red_band = 1
nir_band = 2
scale = 0.0001
offset = -0.1
restored_min_ndvi = 0.3
water_max_ndvi = 0.0
mask_path = "scl.tif"
mask_preset = "scl"

[pits]
path = "pits.shp"
id_field = "TBBH"
kind_field = "LX"
town_field = "XZ"
repair_geometry = true  # one pit is a multipolygon whose parts overlap on purpose (the reference unions them)

[licenses]
path = "licenses.shp"
id_field = "XKZH"
holder_field = "CKQR"
status_field = "ZT"
valid_to_field = "YXQZ"
mineral_field = "KZ"
name_field = "KSMC"
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20251231)
    ap.add_argument("--licence-crs", default=LICENCE_CRS,
                    help="CRS of licenses.shp (default EPSG:4551; EPSG:32651 = the raster's "
                         "CRS, no reprojection: separates reprojection from overlay error)")
    args = ap.parse_args()
    out = args.outdir
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(args.seed)

    info = make_rasters(out, rng)
    licences = make_licences(rng)
    pits, fixed = make_pits(rng, licences)
    pit_ids = write_pits(out, rng, pits)
    write_licences(out, licences, args.licence_crs)
    with open(os.path.join(out, "audit.toml"), "w") as f:
        f.write(AUDIT_TOML)
    scene = {
        "seed": args.seed,
        "grid": {"crs": CRS, "x0": X0, "y0": Y0, "res": RES, "width": WIDTH,
                 "height": HEIGHT},
        "licence_crs": args.licence_crs,
        "pits": len(pit_ids),
        "licences": len(licences),
        "priority_cases": [{"a": a, "b": b, "step": s} for a, b, s in PRIORITY_CASES],
        # hand-checkable pits (the ids are drawn, so name them here)
        "fixed_pits": {k: {"id": pit_ids[i], "area_m2": a} for k, (i, a) in fixed.items()},
        **info,
    }
    with open(os.path.join(out, "scene.json"), "w") as f:
        json.dump(scene, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(pit_ids)} pits, {len(licences)} licences, rasters "
          f"{WIDTH}x{HEIGHT} to {out} ({info['nudged_cells']} cells nudged off NDVI 0.3)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
