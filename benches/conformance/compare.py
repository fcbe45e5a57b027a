#!/usr/bin/env python3
"""Compare `reclaim zonal` with exactextract on the scenes written by make_scene.py.

Usage:
  compare.py --reclaim PATH_TO_BINARY --scene OUTDIR [--only NAME ...] [--keep DIR]
  compare.py --reference-only --scene OUTDIR [--keep DIR]   # no reclaim: self-check only

For every run in OUTDIR/manifest.json it runs

  reclaim zonal --raster R.tif [--band N] --zones Z --id-field zone_id --out A.csv

(CSV header exactly `zone_id,class,cells,area_ha`) and builds the same table with
exactextract 0.3.0 (python, GDAL decoding through rasterio):

  * `class` = the cell value (integers without decimals; floats as Rust's `{}` prints the
    f64 of the cell value), `nodata` for cells equal to the band's nodata (or NaN),
    `outside` for the part of the zone beyond the raster;
  * `cells` = sum of exact coverage fractions; area_ha = cells * cell area / 10 000;
  * valid cells: exactextract ops cell_id/coverage/values on the band itself;
    nodata cells: the same ops on an all-valid twin grid (same extent), minus valid cells;
  * outside: shapely polygon area - (valid + nodata) covered area.

Rows whose area is < 1e-9 ha on one side and missing on the other are ignored; every other
zone x class row must be present on both sides with |d area_ha| <= the run's tolerance
(1e-6 ha for zones in the raster's CRS; 1e-4 ha for the GeoJSON-in-EPSG:4326 run, where
reclaim and PROJ each reproject the vertices) and |d cells| <= the same tolerance in cells.
Exit status: 0 all runs agree, 1 any mismatch or failed run, 2 usage / setup error.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

import fiona
import numpy as np
import rasterio
from exactextract import exact_extract
from exactextract.raster import NumPyRasterSource, RasterioRasterSource
from pyproj import Transformer
from shapely.geometry import shape
import shapely

HEADER = ["zone_id", "class", "cells", "area_ha"]
IGNORE_HA = 1e-9
# exactextract keeps coverage in float32: rows it alone reports below this (e.g. `outside`
# slivers of a zone fully inside the raster) are counted, not listed, when GEOS agrees
# with reclaim.
SLIVER_HA = 1e-7


# ---------------------------------------------------------------- formatting


def rust_f64(x: float) -> str:
    """Format like Rust's `format!("{}", x)` for an f64: shortest round-trip digits,
    never an exponent, no trailing `.0` (2.0 -> "2", 1e-7 -> "0.0000001")."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return format(Decimal(repr(float(x))).normalize(), "f")


def class_label(v, is_float: bool) -> str:
    return rust_f64(float(v)) if is_float else str(int(v))


# ---------------------------------------------------------------- reference side


def load_zones(scene: str, zones_file: str, zones_crs, id_field: str, raster_crs) -> list:
    """Zones as (zone_id, shapely geometry in the raster's CRS), in file order."""
    path = os.path.join(scene, zones_file)
    if path.endswith(".geojson") or path.endswith(".json"):
        with open(path) as f:
            feats = json.load(f)["features"]
        src_crs = zones_crs or "EPSG:4326"
        feats = [(f["properties"][id_field], shape(f["geometry"])) for f in feats]
    else:
        with fiona.open(path) as src:
            feats = [(f["properties"][id_field], shape(f["geometry"])) for f in src]
            src_crs = src.crs
    if rasterio.crs.CRS.from_user_input(src_crs) != raster_crs:
        tr = Transformer.from_crs(src_crs, raster_crs, always_xy=True)
        feats = [(zid, shapely.transform(g, tr.transform, interleaved=False))
                 for zid, g in feats]
    return feats


class Grid:
    """One band of a raster as GDAL decodes it (through rasterio), cells north-up."""

    def __init__(self, path: str, band: int):
        with rasterio.open(path) as ds:
            t = ds.transform
            if t.b != 0 or t.d != 0:
                raise SystemExit(f"{path}: rotated grids are not part of this check")
            self.path, self.band, self.crs = path, band, ds.crs
            self.h, self.w = ds.height, ds.width
            self.rx, self.ry = abs(t.a), abs(t.e)
            self.cell_area = self.rx * self.ry
            self.xmin, self.xmax = sorted((t.c, t.c + t.a * self.w))
            self.ymin, self.ymax = sorted((t.f, t.f + t.e * self.h))
            self.north_up = t.a > 0 and t.e < 0
            self.is_float = ds.dtypes[band - 1].startswith("float")
            arr = ds.read(band, masked=True)  # nodata (incl. NaN nodata) masked by GDAL
        if t.e > 0:
            arr = arr[::-1, :]
        if t.a < 0:
            arr = arr[:, ::-1]
        if self.is_float:  # NaN is no data even without a declared nodata
            arr = np.ma.masked_invalid(arr)
        self.arr = arr

    def label(self, v) -> str:
        return class_label(v, self.is_float)


def finish(table: dict, cell_area: float) -> dict:
    for row in table.values():
        row[1] = row[0] * cell_area / 10000.0
    return table


def exactextract_table(grid: Grid, zones: list, id_field: str) -> dict:
    """{(zone_id, class): [cells, area_ha]} from exactextract's per-cell coverage."""
    if grid.north_up:
        # the usual file: exactextract reads it through rasterio/GDAL itself
        src = RasterioRasterSource(rasterio.open(grid.path), grid.band)
    else:
        # exactextract assumes north-up; hand it GDAL's decoded cells re-ordered north-up
        src = NumPyRasterSource(grid.arr, grid.xmin, grid.ymin, grid.xmax, grid.ymax,
                                srs_wkt=grid.crs.wkt)
    # all-valid twin over the same extent: its coverage minus the valid cells' = nodata
    twin = NumPyRasterSource(np.zeros((grid.h, grid.w), dtype=np.uint8), grid.xmin,
                             grid.ymin, grid.xmax, grid.ymax, srs_wkt=grid.crs.wkt)
    feats = [{"type": "Feature", "properties": {id_field: zid},
              "geometry": g.__geo_interface__} for zid, g in zones]
    valid = exact_extract(src, feats, ["cell_id", "coverage", "values"],
                          include_cols=[id_field], output="geojson")
    full = exact_extract(twin, feats, ["cell_id", "coverage"], include_cols=[id_field],
                         output="geojson")

    table: dict = {}

    def add(zid, cls, cells):
        table.setdefault((zid, cls), [0.0, 0.0])[0] += cells

    for (zid, g), fv, ff in zip(zones, valid, full):
        pv, pf = fv["properties"], ff["properties"]
        if not (pv[id_field] == zid == pf[id_field]):
            raise SystemExit(f"exactextract returned zones out of order at {zid}")
        vid = np.asarray(pv["cell_id"], dtype=np.int64)
        vcov = np.asarray(pv["coverage"], dtype=np.float64)
        vval = np.asarray(pv["values"])
        fid = np.asarray(pf["cell_id"], dtype=np.int64)
        fcov = np.asarray(pf["coverage"], dtype=np.float64)
        if grid.is_float:
            keep = ~np.isnan(vval.astype(np.float64))
            vid, vcov, vval = vid[keep], vcov[keep], vval[keep]
        for v in np.unique(vval):
            add(zid, grid.label(v), float(vcov[vval == v].sum()))
        nd = ~np.isin(fid, vid)
        if nd.any():
            add(zid, "nodata", float(fcov[nd].sum()))
        # sanity: a valid cell has the same coverage in both exactextract runs
        if not np.allclose(np.sort(fcov[~nd]), np.sort(vcov), rtol=0, atol=1e-12):
            raise SystemExit(f"{grid.path}: exactextract coverage differs between runs, {zid}")
        outside_cells = g.area / grid.cell_area - float(fcov.sum())
        if outside_cells > 0:
            add(zid, "outside", outside_cells)
    return finish(table, grid.cell_area)


def geos_table(grid: Grid, zones: list) -> dict:
    """The same table by brute force: GEOS intersection of the zone with every cell box
    in its bounding box. Slow but independent of exactextract; used as the arbiter."""
    table: dict = {}

    def add(zid, cls, cells):
        table.setdefault((zid, cls), [0.0, 0.0])[0] += cells

    for zid, g in zones:
        minx, miny, maxx, maxy = g.bounds
        c0 = max(0, math.floor((minx - grid.xmin) / grid.rx))
        c1 = min(grid.w, math.ceil((maxx - grid.xmin) / grid.rx))
        r0 = max(0, math.floor((grid.ymax - maxy) / grid.ry))
        r1 = min(grid.h, math.ceil((grid.ymax - miny) / grid.ry))
        covered = 0.0
        if c0 < c1 and r0 < r1:
            rr, cc = np.mgrid[r0:r1, c0:c1]
            boxes = shapely.box(grid.xmin + cc * grid.rx, grid.ymax - (rr + 1) * grid.ry,
                                grid.xmin + (cc + 1) * grid.rx, grid.ymax - rr * grid.ry)
            shapely.prepare(g)
            inside = shapely.contains_properly(g, boxes)
            frac = np.where(inside, 1.0, 0.0)
            edge = ~inside & shapely.intersects(g, boxes)
            frac[edge] = shapely.area(shapely.intersection(boxes[edge], g)) / grid.cell_area
            sub = grid.arr[r0:r1, c0:c1]
            mask = np.ma.getmaskarray(sub)
            vals = np.ma.getdata(sub)
            hit = frac > 0
            if (hit & mask).any():
                add(zid, "nodata", float(frac[hit & mask].sum()))
            ok = hit & ~mask
            for v in np.unique(vals[ok]):
                add(zid, grid.label(v), float(frac[ok & (vals == v)].sum()))
            covered = float(frac.sum())
        outside = g.area / grid.cell_area - covered
        if outside > 0:
            add(zid, "outside", outside)
    return finish(table, grid.cell_area)


# ---------------------------------------------------------------- reclaim side


def read_reclaim_csv(path: str) -> dict:
    table = {}
    with open(path, newline="") as f:
        rd = csv.reader(f)
        header = next(rd, None)
        if header != HEADER:
            raise ValueError(f"header is {header!r}, expected {HEADER!r}")
        for n, rec in enumerate(rd, start=2):
            if not rec:
                continue
            if len(rec) != 4:
                raise ValueError(f"line {n}: {len(rec)} fields: {rec!r}")
            key = (rec[0], rec[1])
            if key in table:
                raise ValueError(f"line {n}: duplicate row {key}")
            table[key] = [float(rec[2]), float(rec[3])]
    return table


def run_reclaim(binary: str, scene: str, run: dict, id_field: str, out_csv: str):
    cmd = [binary, "zonal", "--raster", os.path.join(scene, run["raster"])]
    if int(run.get("band", 1)) != 1:
        cmd += ["--band", str(run["band"])]
    cmd += ["--zones", os.path.join(scene, run["zones"]), "--id-field", id_field,
            "--out", out_csv]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    return cmd, p, time.perf_counter() - t0


# ---------------------------------------------------------------- comparison


def row_match(a, b, tol_ha: float, tol_cells: float) -> bool:
    """Same row on both sides: both absent/negligible, or both present and within tol."""
    if a is None or b is None:
        present = a if a is not None else b
        return present is None or abs(present[1]) < IGNORE_HA
    return abs(a[1] - b[1]) <= tol_ha and abs(a[0] - b[0]) <= tol_cells


def fmt_row(x) -> str:
    return "-" if x is None else f"{x[1]:.12f} ha ({x[0]:.9f} cells)"


def compare_tables(ours: dict, ref: dict, geos: dict, tol_ha: float, cell_area: float):
    """Compare reclaim with exactextract; GEOS arbitrates rows where the two disagree.

    Returns a dict: n (rows compared), max_d (max |d area_ha| reclaim vs exactextract over
    rows present on both sides), worst (its key), failures and notes (lists of str).
    A row that differs from exactextract but matches GEOS (exact, double precision) is a
    note about the reference (or a float32 sliver count), not a failure."""
    tol_cells = tol_ha * 10000.0 / cell_area
    res = {"n": 0, "max_d": 0.0, "worst": None, "failures": [], "notes": [],
           "slivers": 0, "max_ref_geos": 0.0, "max_geos": 0.0}
    for key in sorted(set(ours) | set(ref) | set(geos)):
        a, b, g = ours.get(key), ref.get(key), geos.get(key)
        if b is not None and g is not None:
            res["max_ref_geos"] = max(res["max_ref_geos"], abs(b[1] - g[1]))
        if a is not None and g is not None:
            res["max_geos"] = max(res["max_geos"], abs(a[1] - g[1]))
        if all(x is None or abs(x[1]) < IGNORE_HA for x in (a, b)):
            continue
        res["n"] += 1
        if a is not None and b is not None:
            d = abs(a[1] - b[1])
            if res["worst"] is None or d > res["max_d"]:
                res["max_d"], res["worst"] = d, key
        if row_match(a, b, tol_ha, tol_cells):
            continue
        line = (f"{key[0]:>6} {key[1]:>26}  reclaim {fmt_row(a)} | exactextract "
                f"{fmt_row(b)} | GEOS {fmt_row(g)}")
        if row_match(a, g, tol_ha, tol_cells):
            va, vb = (a or [0.0, 0.0])[1], (b or [0.0, 0.0])[1]
            if abs(va - vb) < SLIVER_HA:
                res["slivers"] += 1
            else:
                res["notes"].append(line + "  [exactextract off; reclaim = GEOS]")
        else:
            res["failures"].append(line)
    # reclaim's own consistency: area_ha == cells * cell area / 10 000 on every row
    for key, (cells, area) in ours.items():
        if abs(cells * cell_area / 10000.0 - area) > 1e-9 + 1e-12 * abs(area):
            res["failures"].append(f"{key[0]:>6} {key[1]:>26}  reclaim row inconsistent: "
                                   f"cells={cells} x {cell_area} m2 != area_ha={area}")
    return res


def self_check(ref: dict, run: dict, cell_area: float) -> list[str]:
    """Hand-checkable facts about the fixed zones (make_scene.py) that hold for any seed."""
    errs = []

    def total(zid, cls=None):
        return sum(v[1] for k, v in ref.items()
                   if k[0] == zid and (cls is None or k[1] == cls))

    def expect(label, got, want, tol=1e-9):
        if abs(got - want) > tol:
            errs.append(f"{run['name']}: {label}: got {got!r}, expected {want!r}")

    if cell_area != 100.0:
        return [f"{run['name']}: cell area {cell_area}, expected 100 m2"]
    tol = run["tol_ha"]
    expect("Z001 rect_cells total", total("Z001"), 0.30, tol)
    expect("Z002 corner_out outside", total("Z002", "outside"), 0.75, tol)
    expect("Z002 corner_out inside", total("Z002") - total("Z002", "outside"), 0.25, tol)
    expect("Z003 all_out outside", total("Z003", "outside"), 800 * 600 / 1e4, tol)
    expect("Z003 all_out inside", total("Z003") - total("Z003", "outside"), 0.0, tol)
    expect("Z004 tiny_tri total", total("Z004"), 12.5 / 1e4, tol)
    expect("Z005 tiny_corner total", total("Z005"), 16 / 1e4, tol)
    expect("Z006 rect_half total", total("Z006"), 105 * 75 / 1e4, tol)
    expect("Z007 diamond total", total("Z007"), 2 * 300 * 300 / 1e4, tol)
    expect("Z008 everything inside", total("Z008") - total("Z008", "outside"), 600 * 500 * 0.01,
           tol)
    expect("Z008 everything outside", total("Z008", "outside"), (6020 * 5020 - 6000 * 5000)
           / 1e4, tol)
    # rows 136..139 x 40 columns; row 137 is a dead scan line: at least 40 cells of nodata
    expect("Z009 scanline total", total("Z009"), 0.16 * 10, tol)
    if total("Z009", "nodata") < 0.4 - tol:
        errs.append(f"{run['name']}: Z009 scanline nodata {total('Z009', 'nodata')} < 0.4 ha")
    # single-class checks: tiny triangle lies in one cell, so one class (or nodata) only
    z4 = [k for k in ref if k[0] == "Z004"]
    if len(z4) != 1:
        errs.append(f"{run['name']}: Z004 tiny_tri should fall in one cell, rows {z4}")
    return errs


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reclaim", help="path to the reclaim binary")
    ap.add_argument("--scene", required=True, help="directory written by make_scene.py")
    ap.add_argument("--only", nargs="*", help="run names to check (default: all)")
    ap.add_argument("--keep", help="write reclaim_/exactextract_/geos_<run>.csv here")
    ap.add_argument("--reference-only", action="store_true",
                    help="only build and self-check the reference tables (no reclaim)")
    args = ap.parse_args()
    if not args.reference_only and not args.reclaim:
        ap.error("--reclaim is required unless --reference-only")

    with open(os.path.join(args.scene, "manifest.json")) as f:
        manifest = json.load(f)
    id_field = manifest["id_field"]
    runs = [r for r in manifest["runs"] if not args.only or r["name"] in args.only]
    if not runs:
        ap.error(f"no runs selected; have {[r['name'] for r in manifest['runs']]}")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)

    tmp = tempfile.mkdtemp(prefix="reclaim-conformance-")
    summary, notes = [], []
    bad = total_rows = 0
    overall_max = 0.0
    for run in runs:
        name = run["name"]
        t0 = time.perf_counter()
        grid = Grid(os.path.join(args.scene, run["raster"]), int(run.get("band", 1)))
        # what reclaim should see (reprojected by PROJ when the file is in another CRS) ...
        zones = load_zones(args.scene, run["zones"], run.get("zones_crs"), id_field, grid.crs)
        # ... and what exactextract runs on (the shapefile for the GeoJSON run, see README)
        ref_file = run.get("reference_zones", run["zones"])
        ref_zones = zones if ref_file == run["zones"] else load_zones(
            args.scene, ref_file, None, id_field, grid.crs)
        ref = exactextract_table(grid, ref_zones, id_field)
        t_ref = time.perf_counter() - t0
        geos = geos_table(grid, zones)
        errs = self_check(ref, run, grid.cell_area) + self_check(geos, run, grid.cell_area)
        if args.keep:
            write_csv(os.path.join(args.keep, f"exactextract_{name}.csv"), ref)
            write_csv(os.path.join(args.keep, f"geos_{name}.csv"), geos)
        if errs:
            bad += 1
            summary.append(f"FAIL {name}: reference self-check failed")
            print("\n".join(errs), file=sys.stderr)
            continue
        if args.reference_only:
            # exactextract vs GEOS: how far apart are the two references?
            r = compare_tables(geos, ref, geos, run["tol_ha"], grid.cell_area)
            summary.append(f"ok   {name}: {len(ref)} rows, self-check passed, exactextract "
                           f"vs GEOS max |d| {r['max_d']:.3e} ha, {len(r['failures'])} rows "
                           f"beyond tol ({t_ref:.2f} s)")
            for msg in r["failures"]:
                print(f"  {name}: GEOS vs exactextract: {msg}", file=sys.stderr)
            continue

        out_csv = os.path.join(args.keep or tmp, f"reclaim_{name}.csv")
        cmd, p, t_rec = run_reclaim(args.reclaim, args.scene, run, id_field, out_csv)
        if p.returncode != 0:
            bad += 1
            summary.append(f"FAIL {name}: reclaim exited {p.returncode}")
            print(f"--- {name}: {' '.join(cmd)}\n{p.stderr.strip()}", file=sys.stderr)
            continue
        try:
            ours = read_reclaim_csv(out_csv)
        except (OSError, ValueError) as e:
            bad += 1
            summary.append(f"FAIL {name}: bad CSV {out_csv}: {e}")
            continue
        r = compare_tables(ours, ref, geos, run["tol_ha"], grid.cell_area)
        total_rows += r["n"]
        overall_max = max(overall_max, r["max_d"])
        worst = f"{r['worst'][0]}/{r['worst'][1]}" if r["worst"] else "-"
        line = (f"{name}: {r['n']} rows, max |d area| {r['max_d']:.3e} ha (worst {worst}), "
                f"vs GEOS {r['max_geos']:.1e} ha, exactextract vs GEOS {r['max_ref_geos']:.1e} ha, "
                f"tol {run['tol_ha']:g} ha, reclaim {t_rec:.2f} s, exactextract {t_ref:.2f} s")
        if r["notes"] or r["slivers"]:
            line += (f", GEOS sides with reclaim against exactextract on {len(r['notes'])} "
                     f"rows + {r['slivers']} float32 slivers < {SLIVER_HA:g} ha")
            notes += [f"  {name}: {m}" for m in r["notes"]]
        if r["failures"]:
            bad += 1
            summary.append(f"FAIL {line}, {len(r['failures'])} bad rows")
            print(f"--- {name}: {len(r['failures'])} mismatching rows "
                  f"(zone, class, reclaim | exactextract | GEOS):", file=sys.stderr)
            for msg in r["failures"][:60]:
                print("  " + msg, file=sys.stderr)
            if len(r["failures"]) > 60:
                print(f"  ... {len(r['failures']) - 60} more", file=sys.stderr)
        else:
            summary.append(f"ok   {line}")

    print("\n".join(summary))
    if notes:
        print("notes (reference defects, not failures):")
        print("\n".join(notes))
    if not args.reference_only:
        print(f"total: {len(runs)} runs, {total_rows} rows compared, max |d area| "
              f"{overall_max:.3e} ha, {bad} failing runs")
    return 1 if bad else 0


def write_csv(path: str, table: dict) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for (zid, cls), (cells, area) in sorted(table.items()):
            w.writerow([zid, cls, repr(cells), repr(area)])


if __name__ == "__main__":
    sys.exit(main())
