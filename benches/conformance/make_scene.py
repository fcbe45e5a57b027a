#!/usr/bin/env python3
"""Write the conformance scenes (rasters via GDAL/rasterio, zones via OGR/fiona).

Usage: make_scene.py OUTDIR [--seed N]

Everything is derived from one seeded numpy generator, so the same seed gives the same
files. OUTDIR/manifest.json lists the runs that compare.py performs: one run = one
raster band x one zones file (+ the tolerance for that run).

Grid: EPSG:32651 (WGS 84 / UTM 51N), 10 m cells, 600 x 500, top-left corner
(680000, 4800000) -- near Yitong, Jilin. Rasters:

  classes_tiled.tif    uint8 classes 0..6, nodata 255, tiled 256x256, DEFLATE, predictor 2
  classes_striped.tif  same cells, striped (16 rows/strip), LZW
  multiband_int16.tif  2 bands int16, pixel-interleaved, DEFLATE, striped, nodata -9999;
                       band 2 holds the classes as -300..300 (band 1 is unrelated noise)
  float32_nan.tif      float32 classes as awkward floats (0.1, 1e-07, -3.75 ...), nodata NaN,
                       tiled 256, DEFLATE, floating-point predictor 3
  classes_southup.tif  same cells stored south-up (positive y pixel size)
  classes_point.tif    same cells, AREA_OR_POINT=Point (GDAL writes a half-cell tiepoint
                       shift + RasterPixelIsPoint; readers must shift back like GDAL does)

Zones (~60, field zone_id = "Z001"...): hand-checkable rectangles on cell corners, a zone
crossing the raster's top-left corner, a zone fully outside, tiny (< 1 cell) zones, random
star-shaped polygons (some with holes, some MultiPolygons, some with every vertex snapped
to a cell corner, some crossing the raster edge). Written as
  zones.shp           ESRI Shapefile (+ .prj) in EPSG:32651
  zones_4326.geojson  RFC 7946 GeoJSON, lon/lat, vertices reprojected with PROJ (no
                      densification), full double precision
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
from shapely.geometry.polygon import orient

X0 = 680000.0
Y0 = 4800000.0
RES = 10.0
WIDTH = 600
HEIGHT = 500
CRS = "EPSG:32651"
NODATA_U8 = 255
NODATA_I16 = -9999
N_CLASSES = 7
# Class c (0..6) in the float32 scene; includes values that are not exact in binary.
FLOAT_CLASSES = np.array([0.1, 0.25, 1.5, 2.0, -3.75, 1e-07, 12345.5], dtype=np.float32)

TOL_EXACT_HA = 1e-6
TOL_REPROJECTED_HA = 1e-4


def class_grid(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Voronoi classes 0..6 over the grid and a nodata mask (clouds + scattered cells)."""
    rows, cols = np.mgrid[0:HEIGHT, 0:WIDTH]
    n_seeds = 90
    sr = rng.uniform(0, HEIGHT, n_seeds)
    sc = rng.uniform(0, WIDTH, n_seeds)
    labels = rng.integers(0, N_CLASSES, n_seeds)
    best = np.full((HEIGHT, WIDTH), np.inf)
    classes = np.zeros((HEIGHT, WIDTH), dtype=np.uint8)
    for r, c, lab in zip(sr, sc, labels):
        d = (rows - r) ** 2 + (cols - c) ** 2
        closer = d < best
        best[closer] = d[closer]
        classes[closer] = lab
    # Salt: 2 % of cells get a random class, so many zone x class rows are non-trivial.
    salt = rng.random((HEIGHT, WIDTH)) < 0.02
    classes[salt] = rng.integers(0, N_CLASSES, int(salt.sum()))

    nodata = np.zeros((HEIGHT, WIDTH), dtype=bool)
    for _ in range(3):  # clouds
        r, c, rad = rng.uniform(0, HEIGHT), rng.uniform(0, WIDTH), rng.uniform(15, 45)
        nodata |= (rows - r) ** 2 + (cols - c) ** 2 < rad**2
    nodata |= rng.random((HEIGHT, WIDTH)) < 0.005  # scattered dropouts
    nodata[137, :] = True  # one dead scan line
    return classes, nodata


def profile(dtype: str, count: int = 1, **kw) -> dict:
    p = dict(
        driver="GTiff",
        width=WIDTH,
        height=HEIGHT,
        count=count,
        dtype=dtype,
        crs=CRS,
        transform=Affine(RES, 0.0, X0, 0.0, -RES, Y0),
    )
    p.update(kw)
    return p


def write_rasters(out: str, rng: np.random.Generator) -> list[dict]:
    classes, nodata = class_grid(rng)
    u8 = np.where(nodata, NODATA_U8, classes).astype(np.uint8)
    written = []

    def done(name: str, band: int, note: str) -> None:
        written.append({"raster": name, "band": band, "note": note})

    name = "classes_tiled.tif"
    with rasterio.open(
        os.path.join(out, name),
        "w",
        **profile(
            "uint8",
            nodata=NODATA_U8,
            tiled=True,
            blockxsize=256,
            blockysize=256,
            compress="deflate",
            predictor=2,
        ),
    ) as d:
        d.write(u8, 1)
    done(name, 1, "uint8, tiled 256, DEFLATE + horizontal predictor, nodata 255")

    name = "classes_striped.tif"
    with rasterio.open(
        os.path.join(out, name),
        "w",
        **profile("uint8", nodata=NODATA_U8, tiled=False, blockysize=16, compress="lzw"),
    ) as d:
        d.write(u8, 1)
    done(name, 1, "uint8, striped 16 rows, LZW, nodata 255")

    name = "multiband_int16.tif"
    b2 = np.where(nodata, NODATA_I16, classes.astype(np.int16) * 100 - 300).astype(np.int16)
    b1 = rng.integers(-2000, 2000, (HEIGHT, WIDTH)).astype(np.int16)
    with rasterio.open(
        os.path.join(out, name),
        "w",
        **profile(
            "int16",
            count=2,
            nodata=NODATA_I16,
            tiled=False,
            blockysize=8,
            compress="deflate",
            interleave="pixel",
        ),
    ) as d:
        d.write(b1, 1)
        d.write(b2, 2)
    done(name, 2, "int16 band 2 of 2, pixel-interleaved, striped, DEFLATE, nodata -9999")

    name = "float32_nan.tif"
    f32 = np.where(nodata, np.float32(np.nan), FLOAT_CLASSES[classes]).astype(np.float32)
    with rasterio.open(
        os.path.join(out, name),
        "w",
        **profile(
            "float32",
            nodata=float("nan"),
            tiled=True,
            blockxsize=256,
            blockysize=256,
            compress="deflate",
            predictor=3,
        ),
    ) as d:
        d.write(f32, 1)
    done(name, 1, "float32, nodata NaN, tiled 256, DEFLATE + floating-point predictor")

    name = "classes_southup.tif"
    p = profile("uint8", nodata=NODATA_U8, tiled=True, blockxsize=256, blockysize=256,
                compress="deflate")
    p["transform"] = Affine(RES, 0.0, X0, 0.0, RES, Y0 - HEIGHT * RES)
    with rasterio.open(os.path.join(out, name), "w", **p) as d:
        d.write(u8[::-1, :], 1)
    done(name, 1, "uint8 stored south-up (positive y pixel size), same cells on the ground")

    name = "classes_point.tif"
    with rasterio.open(
        os.path.join(out, name),
        "w",
        **profile("uint8", nodata=NODATA_U8, tiled=False, blockysize=32, compress="deflate"),
    ) as d:
        d.update_tags(AREA_OR_POINT="Point")
        d.write(u8, 1)
    with rasterio.open(os.path.join(out, name)) as d:  # GDAL must give back the corner grid
        if tuple(d.transform)[:6] != (RES, 0.0, X0, 0.0, -RES, Y0):
            raise SystemExit(f"PixelIsPoint round trip changed the grid: {d.transform}")
    done(name, 1, "uint8, AREA_OR_POINT=Point (half-cell tiepoint shift in the file)")
    return written


# ---------------------------------------------------------------- zones


def star(rng, cx, cy, r, n=None, amp=0.45) -> Polygon:
    """A random star-shaped simple polygon around (cx, cy) with mean radius r."""
    n = n or int(rng.integers(7, 40))
    ang = np.sort(rng.uniform(0, 2 * math.pi, n))
    rad = r * (1 + amp * rng.uniform(-1, 1, n))
    return Polygon(list(zip(cx + rad * np.cos(ang), cy + rad * np.sin(ang))))


def snap(geom_pts, step=RES):
    return [
        (X0 + round((x - X0) / step) * step, Y0 + round((y - Y0) / step) * step)
        for x, y in geom_pts
    ]


def random_zone(rng, kind: str):
    for _ in range(1000):
        if kind == "edge":
            # centre near a raster edge, so part of the zone lies outside
            side = rng.integers(0, 4)
            t = rng.uniform(0.1, 0.9)
            cx, cy = {
                0: (X0 + t * WIDTH * RES, Y0),
                1: (X0 + t * WIDTH * RES, Y0 - HEIGHT * RES),
                2: (X0, Y0 - t * HEIGHT * RES),
                3: (X0 + WIDTH * RES, Y0 - t * HEIGHT * RES),
            }[int(side)]
            cx += rng.uniform(-60, 60)
            cy += rng.uniform(-60, 60)
            r = rng.uniform(60, 250)
        elif kind == "tiny":
            cx = rng.uniform(X0 + 100, X0 + WIDTH * RES - 100)
            cy = rng.uniform(Y0 - HEIGHT * RES + 100, Y0 - 100)
            r = rng.uniform(1.0, 4.5)
        else:
            cx = rng.uniform(X0 + 300, X0 + WIDTH * RES - 300)
            cy = rng.uniform(Y0 - HEIGHT * RES + 300, Y0 - 300)
            r = rng.uniform(40, 280)
        outer = star(rng, cx, cy, r)
        if kind == "snapped":
            outer = Polygon(snap(outer.exterior.coords))
        geom = outer
        if kind == "holes":
            holes = []
            for _ in range(int(rng.integers(1, 4))):
                hx = cx + rng.uniform(-0.3, 0.3) * r
                hy = cy + rng.uniform(-0.3, 0.3) * r
                h = star(rng, hx, hy, r * rng.uniform(0.08, 0.2), amp=0.3)
                if h.within(outer) and all(h.distance(o) > 1.0 for o in holes):
                    holes.append(h)
            if not holes:
                continue
            geom = Polygon(outer.exterior.coords, [h.exterior.coords for h in holes])
        if kind == "multi":
            parts = [outer]
            for _ in range(int(rng.integers(1, 4))):
                p = star(rng, cx + rng.uniform(-2.5, 2.5) * r, cy + rng.uniform(-2.5, 2.5) * r,
                         r * rng.uniform(0.2, 0.6))
                if all(p.distance(q) > 1.0 for q in parts):
                    parts.append(p)
            if len(parts) < 2:
                continue
            geom = MultiPolygon(parts)
        if geom.is_valid and geom.area > 0:
            return geom
    raise RuntimeError(f"could not make a valid {kind} zone")


def make_zones(rng) -> list[tuple[str, str, object]]:
    """Return (zone_id, kind, shapely geometry) in EPSG:32651."""
    fixed = [
        # 6 x 5 cells exactly: 30 cells, 0.30 ha; rows 20..24, cols 10..15.
        ("rect_cells", box(X0 + 100, Y0 - 250, X0 + 160, Y0 - 200)),
        # crosses the top-left raster corner: 5x5 cells inside, 3/4 of 1.0 ha outside.
        ("corner_out", box(X0 - 50, Y0 - 50, X0 + 50, Y0 + 50)),
        # fully outside the raster (west of it)
        ("all_out", box(X0 - 900, Y0 - 900, X0 - 100, Y0 - 300)),
        # triangle inside one cell (col 300, row 250): 12.5 m2
        ("tiny_tri", Polygon([(X0 + 3001, Y0 - 2509), (X0 + 3006, Y0 - 2509),
                              (X0 + 3001, Y0 - 2504)])),
        # 4 m x 4 m square centred on a cell corner: 1 m2 in each of four cells
        ("tiny_corner", box(X0 + 2998, Y0 - 1002, X0 + 3002, Y0 - 998)),
        # half-cell offset rectangle: 10.5 x 7.5 cells
        ("rect_half", box(X0 + 4005, Y0 - 3075, X0 + 4110, Y0 - 3000)),
        # diamond with vertices on cell corners (edges cut cells diagonally)
        ("diamond", Polygon([(X0 + 2000, Y0 - 1500), (X0 + 2300, Y0 - 1800),
                             (X0 + 2000, Y0 - 2100), (X0 + 1700, Y0 - 1800)])),
        # covers the whole raster and more: every class, all nodata, outside all round
        ("everything", box(X0 - 10, Y0 - HEIGHT * RES - 10, X0 + WIDTH * RES + 10, Y0 + 10)),
        # through the dead scan line (row 137) exactly on cell edges
        ("scanline", box(X0 + 500, Y0 - 1400, X0 + 900, Y0 - 1360)),
    ]
    kinds = (["star"] * 18 + ["holes"] * 9 + ["multi"] * 8 + ["edge"] * 7
             + ["tiny"] * 4 + ["snapped"] * 6)
    zones = [(k, g) for k, g in fixed] + [(k, random_zone(rng, k)) for k in kinds]
    return [(f"Z{i + 1:03d}", k, g) for i, (k, g) in enumerate(zones)]


def write_zones(out: str, zones) -> None:
    schema = {"geometry": "Polygon", "properties": {"zone_id": "str:8", "kind": "str:12"}}
    with fiona.open(os.path.join(out, "zones.shp"), "w", driver="ESRI Shapefile",
                    crs=CRS, schema=schema) as dst:
        for zid, kind, g in zones:
            dst.write({"geometry": mapping(g), "properties": {"zone_id": zid, "kind": kind}})

    tr = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)

    def ring(coords):
        xs, ys = zip(*coords)
        lon, lat = tr.transform(xs, ys)
        return [[float(a), float(b)] for a, b in zip(lon, lat)]

    def poly(p: Polygon):
        p = orient(p, sign=1.0)  # RFC 7946: exterior counter-clockwise, holes clockwise
        return [ring(p.exterior.coords)] + [ring(h.coords) for h in p.interiors]

    feats = []
    for zid, kind, g in zones:
        if isinstance(g, MultiPolygon):
            geom = {"type": "MultiPolygon", "coordinates": [poly(p) for p in g.geoms]}
        else:
            geom = {"type": "Polygon", "coordinates": poly(g)}
        feats.append({"type": "Feature", "properties": {"zone_id": zid, "kind": kind},
                      "geometry": geom})
    with open(os.path.join(out, "zones_4326.geojson"), "w") as f:
        # json writes floats with repr(): shortest round-trip, so no precision is lost
        json.dump({"type": "FeatureCollection", "features": feats}, f)
        f.write("\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args()
    out = args.outdir
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(args.seed)

    rasters = write_rasters(out, rng)
    zones = make_zones(rng)
    write_zones(out, zones)

    runs = []
    for r in rasters:
        runs.append({
            "name": r["raster"].removesuffix(".tif"),
            "raster": r["raster"],
            "band": r["band"],
            "zones": "zones.shp",
            "zones_crs": CRS,
            "tol_ha": TOL_EXACT_HA,
            "note": r["note"],
        })
    runs.append({
        "name": "geojson_4326",
        "raster": "classes_tiled.tif",
        "band": 1,
        "zones": "zones_4326.geojson",
        "zones_crs": "EPSG:4326",
        "reference_zones": "zones.shp",
        "tol_ha": TOL_REPROJECTED_HA,
        "note": "zones in lon/lat; reclaim reprojects the vertices to EPSG:32651; "
                "exactextract runs on the original EPSG:32651 shapefile (see README); "
                "the GEOS arbiter uses the GeoJSON vertices reprojected by PROJ",
    })
    manifest = {"seed": args.seed, "id_field": "zone_id", "cell_size_m": RES,
                "zones": len(zones), "runs": runs}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"wrote {len(rasters)} rasters, {len(zones)} zones, {len(runs)} runs to {out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
