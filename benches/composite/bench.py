#!/usr/bin/env python3
"""Side-by-side benchmark: a seasonal median composite of a 20-scene, 2-tile county.

Usage:
  bench.py DIR [--size S] [--dates K] [--reclaim BIN] [--keep-going]

DIR is made with make_scenes.py (--size S --scenes K --outside 0 --no-landsat) unless
DIR/scene.json already exists. Then, each in its own process under /usr/bin/time (wall
time and peak RSS of that process):

  (c) decode   rasterio reads every B04, B08 and SCL band of every scene once: the lower
               bound of any Python workflow (all windows decoded, nothing computed).
  (c') windows rasterio reads only each pit's bounding-box window of every band of every
               scene it touches: what a reader decoding only the needed windows pays.
  (a) python   the workflow users write: rasterio reads every scene (georef from the
               JP2, SCL read with out_shape = the 10 m grid, nearest), NDVI in float32
               with SCL/nodata -> NaN, one layer per date (first clear tile wins in the
               overlap), np.nanmedian over the dates, classes -> GeoTIFF, pieces with
               shapely (the audit's pit x licence overlay), exactextract coverage per
               piece -> class areas.
  (b) reclaim  `reclaim audit --config DIR/audit.toml --out ...` (median, min_clear 1),
               when --reclaim is given and the binary supports composites.

Prints a markdown table (wall s, peak RSS MiB, ratio to reclaim). Defaults: S = 2744
cells per tile (a 27.4 km tile, 1/16 of a real 10 980^2 S2 tile in area; the Python side
then takes ~2 min on 2 cores, see README.md), K = 10 dates per tile (20 scenes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- (c) decode only


def step_decode(scene: str) -> dict:
    import rasterio
    n = 0
    cells = 0
    for safe in sorted(glob.glob(os.path.join(scene, "s2", "*.SAFE"))):
        for pat in ("R10m/*_B04_10m.jp2", "R10m/*_B08_10m.jp2", "R20m/*_SCL_20m.jp2"):
            (path,) = glob.glob(os.path.join(safe, "GRANULE", "*", "IMG_DATA", pat))
            with rasterio.open(path) as ds:
                a = ds.read(1)
            n += 1
            cells += a.size
    return {"bands": n, "cells": cells}


def step_windows(scene: str) -> dict:
    """Decode only the windows of the pits (each pit's bounding box, per band and scene)."""
    import fiona
    import rasterio
    from rasterio.windows import from_bounds
    with fiona.open(os.path.join(scene, "pits.shp")) as src:
        boxes = [f.bounds for f in src] if hasattr(fiona.Feature, "bounds") else None
        if boxes is None:
            from shapely.geometry import shape
            boxes = [shape(f["geometry"]).bounds for f in src]
    n = cells = 0
    for safe in sorted(glob.glob(os.path.join(scene, "s2", "*.SAFE"))):
        for pat in ("R10m/*_B04_10m.jp2", "R10m/*_B08_10m.jp2", "R20m/*_SCL_20m.jp2"):
            (path,) = glob.glob(os.path.join(safe, "GRANULE", "*", "IMG_DATA", pat))
            with rasterio.open(path) as ds:
                b = ds.bounds
                for (x0, y0, x1, y1) in boxes:
                    x0, y0, x1, y1 = max(x0, b.left), max(y0, b.bottom), min(x1, b.right), min(y1, b.top)
                    if x0 >= x1 or y0 >= y1:
                        continue
                    w = from_bounds(x0, y0, x1, y1, ds.transform).round_offsets().round_lengths()
                    a = ds.read(1, window=w, boundless=False)
                    n += 1
                    cells += a.size
    return {"windows": n, "cells": cells}


# ---------------------------------------------------------------- (a) the Python workflow


def step_python(scene: str, out: str) -> dict:
    import numpy as np
    import rasterio
    from rasterio.enums import Resampling
    from rasterio.transform import from_origin
    sys.path.insert(0, HERE)
    import reference as rf  # only for the pieces (shapely overlay of pits x licences)
    import tomllib
    from exactextract import exact_extract

    cfg_path = os.path.join(scene, "audit.toml")
    with open(cfg_path, "rb") as f:
        cfg = tomllib.load(f)
    im = cfg["imagery"]
    year = int(cfg["audit_date"][:4])
    lo, hi = (dt.date.fromisoformat(f"{year}-{x}") for x in im["season"])

    scenes = []
    for safe in sorted(glob.glob(os.path.join(scene, "s2", "*.SAFE"))):
        name = os.path.basename(safe)[:-5]
        d = dt.datetime.strptime(re.search(r"_(\d{8})T", name).group(1), "%Y%m%d").date()
        if not lo <= d <= hi:
            continue
        g = lambda pat: glob.glob(os.path.join(safe, "GRANULE", "*", "IMG_DATA", pat))[0]  # noqa
        scenes.append((d, name, g("R10m/*_B04_10m.jp2"), g("R10m/*_B08_10m.jp2"),
                       g("R20m/*_SCL_20m.jp2")))
    scenes.sort()
    # the union grid
    bounds = []
    for _, _, red, _, _ in scenes:
        with rasterio.open(red) as ds:
            bounds.append(ds.bounds)
            res = ds.res[0]
            crs = ds.crs
    x0, y1 = min(b.left for b in bounds), max(b.top for b in bounds)
    x1, y0 = max(b.right for b in bounds), min(b.bottom for b in bounds)
    W, H = round((x1 - x0) / res), round((y1 - y0) / res)
    dates = sorted({s[0] for s in scenes})
    stack = np.full((len(dates), H, W), np.nan, dtype=np.float32)
    for d, _, red_p, nir_p, scl_p in scenes:
        k = dates.index(d)
        with rasterio.open(red_p) as ds:
            red = ds.read(1)
            c0 = round((ds.bounds.left - x0) / res)
            r0 = round((y1 - ds.bounds.top) / res)
        with rasterio.open(nir_p) as ds:
            nir = ds.read(1)
        with rasterio.open(scl_p) as ds:
            scl = ds.read(1, out_shape=red.shape, resampling=Resampling.nearest)
        r = red.astype(np.float32) * 1e-4 - 0.1
        n = nir.astype(np.float32) * 1e-4 - 0.1
        with np.errstate(divide="ignore", invalid="ignore"):
            ndvi = (n - r) / (n + r)
        bad = (red == 0) | (nir == 0) | np.isin(scl, [0, 1, 3, 8, 9, 10]) | ~((n + r) > 0)
        ndvi[bad] = np.nan
        win = stack[k, r0:r0 + red.shape[0], c0:c0 + red.shape[1]]
        put = np.isnan(win) & ~bad
        win[put] = ndvi[put]
        del red, nir, scl, r, n, ndvi, bad
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells
        med = np.nanmedian(stack, axis=0)
    del stack
    cls = np.full((H, W), 1, dtype=np.uint8)
    cls[med >= im["restored_min_ndvi"]] = 0
    cls[med < im["water_max_ndvi"]] = 2
    cls[np.isnan(med)] = 3
    os.makedirs(out, exist_ok=True)
    tif = os.path.join(out, "classes.tif")
    with rasterio.open(tif, "w", driver="GTiff", width=W, height=H, count=1, dtype="uint8",
                       crs=crs, transform=from_origin(x0, y1, res, res), tiled=True,
                       compress="deflate") as dst:
        dst.write(cls, 1)

    class Grid:  # what the piece builder needs
        pass

    g = Grid()
    g.crs, g.h, g.w, g.rx, g.ry = crs, H, W, res, res
    g.xmin, g.ymax, g.xmax, g.ymin, g.cell_area, g.cls = x0, y1, x1, y0, res * res, cls
    ref = rf.ac.Reference(scene, cfg=cfg, grid=g)
    keys = list(ref.pieces)
    feats = [{"type": "Feature", "properties": {"k": i},
              "geometry": ref.pieces[k][1].__geo_interface__} for i, k in enumerate(keys)]
    res_ee = exact_extract(tif, feats, ["coverage", "values"], include_cols=["k"],
                           output="geojson")
    tot = [0.0] * 4
    for f in res_ee:
        cov = np.asarray(f["properties"]["coverage"], dtype=np.float64) * res * res
        val = np.asarray(f["properties"]["values"])
        for c in range(4):
            tot[c] += float(cov[val == c].sum())
    return {"scenes": len(scenes), "dates": len(dates), "grid": [W, H],
            "pieces": len(keys), "ha": [round(t / 1e4, 4) for t in tot]}


# ---------------------------------------------------------------- driver


def timed(cmd: list[str]) -> tuple[float, float, int, str]:
    """(wall s, peak RSS MiB, exit status, stdout+stderr) of cmd under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", tf.name] + cmd
        p = subprocess.run(full, capture_output=True, text=True)
        try:
            wall, kb = tf.read().strip().splitlines()[-1].split()
        except (ValueError, IndexError):
            wall, kb = "nan", "nan"
    return float(wall), float(kb) / 1024, p.returncode, p.stdout + p.stderr


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--size", type=int, default=2744)
    ap.add_argument("--dates", type=int, default=10)
    ap.add_argument("--reclaim")
    ap.add_argument("--step", choices=["decode", "windows", "python"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    py = sys.executable
    if args.step == "decode":
        print(json.dumps(step_decode(args.dir)))
        return 0
    if args.step == "windows":
        print(json.dumps(step_windows(args.dir)))
        return 0
    if args.step == "python":
        print(json.dumps(step_python(args.dir, os.path.join(args.dir, "bench_python_out"))))
        return 0

    if not os.path.exists(os.path.join(args.dir, "scene.json")):
        t0 = time.perf_counter()
        subprocess.run([py, os.path.join(HERE, "make_scenes.py"), args.dir, "--size",
                        str(args.size), "--scenes", str(args.dates), "--outside", "0",
                        "--no-landsat"], check=True)
        print(f"generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    with open(os.path.join(args.dir, "scene.json")) as f:
        meta = json.load(f)
    g = meta["s2_grid"]
    rows = []
    for name, step in (("(c) decode only: rasterio reads every band once", "decode"),
                       ("(c') decode only the pit windows (bbox per pit, band, scene)",
                        "windows"),
                       ("(a) Python: rasterio + numpy nanmedian + exactextract", "python")):
        wall, rss, rc, out = timed([py, os.path.abspath(__file__), args.dir, "--step", step])
        if rc != 0:
            print(out, file=sys.stderr)
            return 1
        rows.append((name, wall, rss, out.strip().splitlines()[-1]))
    rec = None
    if args.reclaim:
        outdir = os.path.join(args.dir, "bench_reclaim_out")
        subprocess.run(["rm", "-rf", outdir])
        wall, rss, rc, out = timed([args.reclaim, "audit", "--config",
                                    os.path.join(args.dir, "audit.toml"), "--out", outdir,
                                    "--quiet"])
        if rc == 0:
            rec = (wall, rss)
            rows.append(("(b) reclaim audit", wall, rss, ""))
        else:
            line = out.strip().splitlines()[0] if out.strip() else f"exit {rc}"
            rows.append(("(b) reclaim audit", float("nan"), float("nan"), f"failed: {line}"))
    print(f"\n{len(meta['s2_products'])} S2 L2A scenes (2 tiles x {meta['scenes_per_tile']} "
          f"dates), tile {meta['size']}^2 cells at 10 m, union grid {g['width']} x "
          f"{g['height']} = {g['width'] * g['height'] / 1e6:.1f} M cells; {os.cpu_count()} cores\n")
    print("| step | wall s | peak RSS MiB | wall / reclaim | notes |")
    print("|---|---|---|---|---|")
    for name, wall, rss, note in rows:
        ratio = f"{wall / rec[0]:.1f}x" if rec and rec[0] > 0 else "-"
        print(f"| {name} | {wall:.1f} | {rss:.0f} | {ratio} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
