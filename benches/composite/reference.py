#!/usr/bin/env python3
"""Independent reference for `reclaim audit` with a seasonal composite of many scenes.

Usage: reference.py --config AUDIT.toml [--out DIR]

No reclaim code. Reads the config's `[imagery] scenes` (paths or globs relative to the
config file) or `collection` (a folder searched for scenes), recognises every scene by
its structure and reads it with GDAL (rasterio):

  * Sentinel-2 L2A `.SAFE`: MTD_MSIL2A.xml gives the id (PRODUCT_URI without .SAFE), the
    date (PRODUCT_START_TIME), scale = 1/BOA_QUANTIFICATION_VALUE, offset =
    BOA_ADD_OFFSET/BOA_QUANTIFICATION_VALUE of B4 and B8 (band ids via
    Spectral_Information) and the IMAGE_FILE list (B04_10m, B08_10m, SCL_20m);
    GRANULE/*/MTD_TL.xml gives the 10 m grid (HORIZONTAL_CS_CODE, Geoposition, Size).
    Masked: SCL in {0,1,3,8,9,10}, each 20 m SCL cell covering 2 x 2 of the 10 m cells.
  * Landsat C2 L2 (a folder with *_MTL.json or *_MTL.txt, or the MTL file): id
    LANDSAT_PRODUCT_ID, DATE_ACQUIRED, REFLECTANCE_MULT/ADD_BAND_4/5, FILE_NAME_BAND_4/5,
    FILE_NAME_QUALITY_L1_PIXEL; grid from SR_B4. Masked: QA_PIXEL bits 0-5, any set.

Per scene, reflectance = DN x scale + offset (float64); DN 0 in red or NIR = nodata. A
cell is a clear observation when not nodata, not masked and red + NIR > 0; NDVI = (nir -
red) / (nir + red) in float64. Scenes dated in the season of the audit year (inclusive)
count; scenes of one date covering the same cell count once: the first in (date, id)
order that is clear there. Per cell over the clear observations: median (mean of the two
middle values for an even count), max, or latest (latest date). NDVI >= restored_min ->
restored, < water_max -> water, else unrestored; fewer than min_clear (at least 1) clear
observations -> unobserved. The virtual grid is the union of the scenes' extents (one CRS,
aligned grids); pit area beyond it is unobserved.

Pieces (pit - smaller-id pits, cut by the liable licences in priority order) are built
by ../conformance/audit_compare.py's Reference (shapely/GEOS) on this class grid; the
areas per piece are exactextract 0.3.0 coverage fractions x cell area (second opinion:
GEOS cell boxes, double precision). clear_obs_mean = coverage-weighted mean of the
per-cell clear count over the piece's area (0 beyond the grid); clear_obs_mean_covered =
the same over the part of the piece on the grid only.

Writes DIR/classes.tif (0 restored, 1 unrestored, 2 water, 3 unobserved), DIR/clear_count.tif,
DIR/composite_ndvi.tif (float64, NaN unobserved) and DIR/reference.csv.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import glob
import json
import math
import os
import re
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import numpy as np
import rasterio
import shapely
from rasterio.crs import CRS
from rasterio.transform import Affine

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance"))
import audit_compare as ac  # noqa: E402

RESTORED, UNRESTORED, WATER, UNOBSERVED = range(4)
CLASS_COLS = ["restored_ha", "unrestored_ha", "water_ha", "unobserved_ha"]
SCL_MASKED = [0, 1, 3, 8, 9, 10]
QA_BITS = 0b111111
REF_HEADER = ac.ATTRIBUTION_HEADER + ["clear_obs_mean", "clear_obs_mean_covered"]


@dataclass
class Scene:
    id: str
    kind: str  # "s2" or "landsat"
    date: dt.date
    red: str
    nir: str
    mask: str
    scale: tuple[float, float]  # red, nir
    offset: tuple[float, float]
    epsg: int
    x0: float
    y0: float
    res: float
    width: int
    height: int
    source: str = ""
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------- scene readers


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def find_all(root, name):
    return [e for e in root.iter() if local(e.tag) == name]


def find_one(root, name, path):
    found = find_all(root, name)
    if not found:
        raise SystemExit(f"{path}: no <{name}>")
    return found[0]


def read_safe(safe: str) -> Scene:
    mtd = os.path.join(safe, "MTD_MSIL2A.xml")
    root = ET.parse(mtd).getroot()
    uri = find_one(root, "PRODUCT_URI", mtd).text.strip()
    sid = uri[:-5] if uri.endswith(".SAFE") else uri
    date = dt.date.fromisoformat(find_one(root, "PRODUCT_START_TIME", mtd).text.strip()[:10])
    q = float(find_one(root, "BOA_QUANTIFICATION_VALUE", mtd).text)
    band_id = {e.get("physicalBand"): e.get("bandId") for e in find_all(root, "Spectral_Information")}
    offs = {e.get("band_id"): float(e.text) for e in find_all(root, "BOA_ADD_OFFSET")}
    off_r = offs.get(band_id.get("B4", "3"), 0.0) / q
    off_n = offs.get(band_id.get("B8", "7"), 0.0) / q
    files = [e.text.strip() for e in find_all(root, "IMAGE_FILE")]

    def pick(suffix):
        hits = [f for f in files if f.endswith(suffix)]
        if len(hits) != 1:
            raise SystemExit(f"{mtd}: {len(hits)} IMAGE_FILE ending {suffix}")
        return os.path.join(safe, hits[0] + ".jp2")

    tls = glob.glob(os.path.join(safe, "GRANULE", "*", "MTD_TL.xml"))
    if len(tls) != 1:
        raise SystemExit(f"{safe}: {len(tls)} GRANULE/*/MTD_TL.xml")
    tl = ET.parse(tls[0]).getroot()
    epsg = int(find_one(tl, "HORIZONTAL_CS_CODE", tls[0]).text.split(":")[1])
    geo = [e for e in find_all(tl, "Geoposition") if e.get("resolution") == "10"][0]
    size = [e for e in find_all(tl, "Size") if e.get("resolution") == "10"][0]
    g = {local(e.tag): float(e.text) for e in geo}
    s = {local(e.tag): int(e.text) for e in size}
    if g["XDIM"] != -g["YDIM"]:
        raise SystemExit(f"{tls[0]}: non-square cells")
    return Scene(sid, "s2", date, pick("_B04_10m"), pick("_B08_10m"), pick("_SCL_20m"),
                 (1 / q, 1 / q), (off_r, off_n), epsg, g["ULX"], g["ULY"], g["XDIM"],
                 s["NCOLS"], s["NROWS"], source=safe)


def parse_mtl_txt(path: str) -> dict:
    root: dict = {}
    stack = [root]
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line == "END":
                continue
            k, _, v = (p.strip() for p in line.partition("="))
            if k == "GROUP":
                d = {}
                stack[-1][v] = d
                stack.append(d)
            elif k == "END_GROUP":
                stack.pop()
            else:
                stack[-1][k] = v.strip('"')
    return root


def read_landsat(mtl: str) -> Scene:
    if mtl.endswith(".json"):
        with open(mtl) as f:
            meta = json.load(f)
    else:
        meta = parse_mtl_txt(mtl)
    m = meta["LANDSAT_METADATA_FILE"]
    pc, ia = m["PRODUCT_CONTENTS"], m["IMAGE_ATTRIBUTES"]
    sr = m["LEVEL2_SURFACE_REFLECTANCE_PARAMETERS"]
    d = os.path.dirname(mtl)
    red = os.path.join(d, pc["FILE_NAME_BAND_4"])
    with rasterio.open(red) as ds:
        t = ds.transform
        if not (t.b == 0 and t.d == 0 and t.a == -t.e):
            raise SystemExit(f"{red}: only north-up square cells")
        epsg = ds.crs.to_epsg()
        w, h = ds.width, ds.height
    return Scene(pc["LANDSAT_PRODUCT_ID"], "landsat", dt.date.fromisoformat(ia["DATE_ACQUIRED"]),
                 red, os.path.join(d, pc["FILE_NAME_BAND_5"]),
                 os.path.join(d, pc["FILE_NAME_QUALITY_L1_PIXEL"]),
                 (float(sr["REFLECTANCE_MULT_BAND_4"]), float(sr["REFLECTANCE_MULT_BAND_5"])),
                 (float(sr["REFLECTANCE_ADD_BAND_4"]), float(sr["REFLECTANCE_ADD_BAND_5"])),
                 epsg, t.c, t.f, t.a, w, h, source=mtl)


def recognise(path: str) -> Scene | None:
    """A scene from a path (SAFE folder, Landsat folder, MTD/MTL file), or None."""
    path = os.path.normpath(path)
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, "MTD_MSIL2A.xml")):
            return read_safe(path)
        mtls = sorted(glob.glob(os.path.join(path, "*_MTL.json"))) or \
            sorted(glob.glob(os.path.join(path, "*_MTL.txt")))
        if mtls:
            return read_landsat(mtls[0])
        return None
    base = os.path.basename(path)
    if base == "MTD_MSIL2A.xml":
        return read_safe(os.path.dirname(path))
    if re.search(r"_MTL\.(json|txt)$", base):
        return read_landsat(path)
    return None


def find_scenes(cfg_dir: str, im: dict) -> list[Scene]:
    found: dict[str, Scene] = {}
    paths = []
    if "scenes" in im:
        for pat in im["scenes"]:
            hits = sorted(glob.glob(os.path.join(cfg_dir, pat)))
            if not hits:
                raise SystemExit(f"scenes: {pat!r} matches nothing")
            paths += hits
    if "collection" in im:
        top = os.path.join(cfg_dir, im["collection"])
        for d, subdirs, files in os.walk(top):
            if os.path.isfile(os.path.join(d, "MTD_MSIL2A.xml")) or any(
                    re.search(r"_MTL\.(json|txt)$", f) for f in files):
                paths.append(d)
                subdirs[:] = []
            subdirs.sort()
    for p in paths:
        s = recognise(p)
        if s is None:
            raise SystemExit(f"{p}: not a Sentinel-2 L2A SAFE or Landsat C2 L2 scene")
        found.setdefault(s.id, s)
    return sorted(found.values(), key=lambda s: (s.date, s.id))


# ---------------------------------------------------------------- the composite


def read_clear_ndvi(s: Scene):
    """(clear mask, NDVI float64) of one scene on its own grid."""
    with rasterio.open(s.red) as ds:
        red = ds.read(1)
        own = ds.transform
    with rasterio.open(s.nir) as ds:
        nir = ds.read(1)
    if red.shape != (s.height, s.width) or nir.shape != red.shape:
        raise SystemExit(f"{s.id}: band size {red.shape} != metadata {(s.height, s.width)}")
    if own != Affine.identity() and (own.c, own.f, own.a) != (s.x0, s.y0, s.res):
        raise SystemExit(f"{s.id}: the file's georef {own} differs from the metadata's")
    with rasterio.open(s.mask) as ds:
        m = ds.read(1)
    if s.kind == "s2":
        f = 2
        if m.shape != (math.ceil(s.height / f), math.ceil(s.width / f)):
            raise SystemExit(f"{s.id}: SCL {m.shape} is not half the 10 m grid")
        masked = np.isin(m, SCL_MASKED)
        masked = np.repeat(np.repeat(masked, f, axis=0), f, axis=1)[:s.height, :s.width]
    else:
        if m.shape != red.shape:
            raise SystemExit(f"{s.id}: QA_PIXEL not on the band grid")
        masked = (m.astype(np.uint32) & QA_BITS) != 0
    r = red.astype(np.float64) * s.scale[0] + s.offset[0]
    n = nir.astype(np.float64) * s.scale[1] + s.offset[1]
    tot = n + r
    clear = (red != 0) & (nir != 0) & ~masked & (tot > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ndvi = (n - r) / tot
    return clear, ndvi


class Composite:
    """The class grid of a seasonal composite (attributes as audit_compare.Classes)."""

    def __init__(self, cfg_path: str):
        with open(cfg_path, "rb") as f:
            self.cfg = tomllib.load(f)
        im = self.cfg["imagery"]
        self.im = im
        cfg_dir = os.path.dirname(os.path.abspath(cfg_path))
        year = int(str(self.cfg["audit_date"])[:4])
        lo_d, hi_d = (dt.date.fromisoformat(f"{year}-{x}") for x in im["season"])
        self.rule = im.get("composite", "median")
        self.min_clear = max(1, int(im.get("min_clear", 1)))
        self.all_scenes = find_scenes(cfg_dir, im)
        self.scenes = [s for s in self.all_scenes if lo_d <= s.date <= hi_d]
        if not self.scenes:
            raise SystemExit("no scene in the season")
        epsg = {s.epsg for s in self.scenes}
        res = {s.res for s in self.scenes}
        if len(epsg) != 1 or len(res) != 1:
            raise SystemExit(f"scenes in several CRSs / resolutions: {epsg} {res}")
        self.res = self.rx = self.ry = res.pop()
        self.crs = CRS.from_epsg(epsg.pop())
        self.xmin = min(s.x0 for s in self.scenes)
        self.ymax = max(s.y0 for s in self.scenes)
        self.xmax = max(s.x0 + s.width * self.res for s in self.scenes)
        self.ymin = min(s.y0 - s.height * self.res for s in self.scenes)
        self.w = round((self.xmax - self.xmin) / self.res)
        self.h = round((self.ymax - self.ymin) / self.res)
        self.cell_area = self.res * self.res
        self.transform = Affine(self.res, 0, self.xmin, 0, -self.res, self.ymax)
        H, W = self.h, self.w

        # one layer per date: the first clear scene of that date in id order
        dates = sorted({s.date for s in self.scenes})
        stack = np.full((len(dates), H, W), np.nan)
        self.same_date_cells = 0  # cells clear in two scenes of one date
        self.same_date_differ = 0  # ... with different NDVI (the id order decides)
        for k, d in enumerate(dates):
            layer = stack[k]
            for s in (s for s in self.scenes if s.date == d):
                c0 = (s.x0 - self.xmin) / self.res
                r0 = (self.ymax - s.y0) / self.res
                if abs(c0 - round(c0)) > 1e-9 or abs(r0 - round(r0)) > 1e-9:
                    raise SystemExit(f"{s.id}: grid not aligned with the other scenes")
                r0, c0 = round(r0), round(c0)
                clear, ndvi = read_clear_ndvi(s)
                win = layer[r0:r0 + s.height, c0:c0 + s.width]
                taken = ~np.isnan(win)
                self.same_date_cells += int((taken & clear).sum())
                self.same_date_differ += int((taken & clear & (win != ndvi)).sum())
                put = clear & ~taken
                win[put] = ndvi[put]
        self.dates = dates
        valid = ~np.isnan(stack)
        self.count = valid.sum(axis=0).astype(np.int32)
        if self.rule == "median":
            srt = np.sort(stack, axis=0)  # NaN last
            c = self.count
            lo_i = np.clip((c - 1) // 2, 0, None)
            hi_i = np.clip(c // 2, 0, None)
            a = np.take_along_axis(srt, lo_i[None], axis=0)[0]
            b = np.take_along_axis(srt, hi_i[None], axis=0)[0]
            comp = np.where(c % 2 == 1, a, (a + b) / 2)
            comp[c == 0] = np.nan
        elif self.rule == "max":
            comp = np.full((H, W), np.nan)
            for k in range(len(dates)):
                comp = np.fmax(comp, stack[k])
        elif self.rule == "latest":
            comp = np.full((H, W), np.nan)
            for k in range(len(dates)):
                v = ~np.isnan(stack[k])
                comp[v] = stack[k][v]
        else:
            raise SystemExit(f"unknown composite {self.rule!r}")
        self.ndvi = comp
        hi, lo = float(im.get("restored_min_ndvi", 0.3)), float(im.get("water_max_ndvi", 0.0))
        cls = np.full((H, W), UNRESTORED, dtype=np.uint8)
        cls[comp >= hi] = RESTORED
        cls[comp < lo] = WATER
        obs = self.count >= self.min_clear
        cls[~obs] = UNOBSERVED
        self.cls = cls
        self.near_threshold = int((obs & ((np.abs(comp - hi) < 1e-9)
                                          | ((np.abs(comp - lo) < 1e-9) & (comp != lo)))).sum())
        self.counts = {c: int((cls == i).sum()) for i, c in enumerate(ac.CLASSES)}

    def write(self, out: str):
        os.makedirs(out, exist_ok=True)
        prof = dict(driver="GTiff", width=self.w, height=self.h, count=1, crs=self.crs,
                    transform=self.transform, tiled=True, blockxsize=256, blockysize=256,
                    compress="deflate")
        with rasterio.open(os.path.join(out, "classes.tif"), "w", dtype="uint8", **prof) as d:
            d.write(self.cls, 1)
        with rasterio.open(os.path.join(out, "clear_count.tif"), "w", dtype="int32", **prof) as d:
            d.write(self.count, 1)
        with rasterio.open(os.path.join(out, "composite_ndvi.tif"), "w", dtype="float64",
                           nodata=float("nan"), **prof) as d:
            d.write(self.ndvi, 1)


# ---------------------------------------------------------------- areas per piece


def exactextract_table(ref, grid) -> dict:
    """{key: [restored, unrestored, water, unobserved] m2 + [sum(area x count) m2]}."""
    from exactextract import exact_extract
    from exactextract.raster import NumPyRasterSource
    src = NumPyRasterSource(grid.cls, grid.xmin, grid.ymin, grid.xmax, grid.ymax,
                            srs_wkt=grid.crs.to_wkt())
    keys = list(ref.pieces)
    feats = [{"type": "Feature", "properties": {"k": i},
              "geometry": ref.pieces[k][1].__geo_interface__} for i, k in enumerate(keys)]
    res = exact_extract(src, feats, ["cell_id", "coverage"], include_cols=["k"],
                        output="geojson")
    out = {k: [0.0] * 6 for k in keys}
    flat_cls, flat_cnt = grid.cls.ravel(), grid.count.ravel()
    for f in res:
        p = f["properties"]
        key = keys[p["k"]]
        ids = np.asarray(p["cell_id"], dtype=np.int64)
        cov = np.asarray(p["coverage"], dtype=np.float64) * grid.cell_area
        cl = flat_cls[ids]
        a = [float(cov[cl == i].sum()) for i in range(4)]
        covered = float(cov.sum())
        a[UNOBSERVED] += max(0.0, ref.pieces[key][1].area - covered)
        out[key] = a + [float((cov * flat_cnt[ids]).sum()), covered]
    return out


def geos_table(ref, grid) -> dict:
    """The same by brute force: every cell box it touches intersected with the piece."""
    out = {}
    for key, (_, g) in ref.pieces.items():
        a = [0.0] * 4
        wsum = covered = 0.0
        minx, miny, maxx, maxy = g.bounds
        c0 = max(0, math.floor((minx - grid.xmin) / grid.rx))
        c1 = min(grid.w, math.ceil((maxx - grid.xmin) / grid.rx))
        r0 = max(0, math.floor((grid.ymax - maxy) / grid.ry))
        r1 = min(grid.h, math.ceil((grid.ymax - miny) / grid.ry))
        if c0 < c1 and r0 < r1:
            rr, cc = np.mgrid[r0:r1, c0:c1]
            boxes = shapely.box(grid.xmin + cc * grid.rx, grid.ymax - (rr + 1) * grid.ry,
                                grid.xmin + (cc + 1) * grid.rx, grid.ymax - rr * grid.ry)
            shapely.prepare(g)
            inside = shapely.contains_properly(g, boxes)
            area = np.where(inside, grid.cell_area, 0.0)
            edge = ~inside & shapely.intersects(g, boxes)
            area[edge] = shapely.area(shapely.intersection(boxes[edge], g))
            cls = grid.cls[r0:r1, c0:c1]
            a = [float(area[cls == i].sum()) for i in range(4)]
            covered = float(area.sum())
            wsum = float((area * grid.count[r0:r1, c0:c1]).sum())
        a[UNOBSERVED] += max(0.0, g.area - covered)
        out[key] = a + [wsum, covered]
    return out


def to_rows(ref, t: dict) -> dict:
    rows = {}
    for key, v in t.items():
        holder, g = ref.pieces[key]
        r = {"holder": holder}
        for c, x in zip(CLASS_COLS, v[:4]):
            r[c] = x / 1e4
        r["total_ha"] = sum(v[:4]) / 1e4
        r["polygon_ha"] = g.area / 1e4
        r["clear_obs_mean"] = v[4] / g.area if g.area > 0 else 0.0
        r["clear_obs_mean_covered"] = v[4] / v[5] if v[5] > 0 else 0.0
        rows[key] = r
    return rows


def build(cfg_path: str):
    """(Composite, audit_compare.Reference, rows from exactextract, max |d| vs GEOS)."""
    comp = Composite(cfg_path)
    ref = ac.Reference(os.path.dirname(os.path.abspath(cfg_path)), cfg=comp.cfg, grid=comp)
    rows = to_rows(ref, exactextract_table(ref, comp))
    geos = to_rows(ref, geos_table(ref, comp))
    maxd = {"ha": 0.0, "clear": 0.0}
    for k, r in rows.items():
        g = geos[k]
        maxd["ha"] = max([maxd["ha"]] + [abs(r[c] - g[c]) for c in CLASS_COLS + ["total_ha"]])
        maxd["clear"] = max(maxd["clear"], abs(r["clear_obs_mean"] - g["clear_obs_mean"]))
    return comp, ref, rows, geos, maxd


def self_check(comp, ref, rows, geos, maxd, scene_dir) -> list[str]:
    errs = ac.self_check(ref, geos, scene_dir)  # pieces tile the pits; classes = area
    if maxd["ha"] > 1e-7:
        errs.append(f"exactextract and GEOS differ by {maxd['ha']:.3e} ha")
    if maxd["clear"] > 1e-6:
        errs.append(f"exactextract and GEOS clear_obs_mean differ by {maxd['clear']:.3e}")
    if int(comp.count.max()) > len(comp.dates):
        errs.append("a cell has more clear observations than dates")
    for key, r in rows.items():
        if not -1e-6 <= r["clear_obs_mean"] <= len(comp.dates) + 1e-6:
            errs.append(f"{key}: clear_obs_mean {r['clear_obs_mean']} out of range")
    return errs


def write_csv(path: str, rows: dict):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(REF_HEADER)
        for (pid, lid), r in sorted(rows.items()):
            w.writerow([pid, lid, r["holder"], "responsible" if lid else "legacy"]
                       + [repr(r[c]) for c in CLASS_COLS + ["total_ha", "clear_obs_mean",
                                                              "clear_obs_mean_covered"]])


def describe(comp, ref, maxd, secs) -> str:
    n_out = len(comp.all_scenes) - len(comp.scenes)
    return (f"{len(comp.scenes)} scenes in season ({n_out} outside ignored), {len(comp.dates)} "
            f"dates, rule {comp.rule}, min_clear {comp.min_clear}; grid {comp.w} x {comp.h} "
            f"@ {comp.res:g} m; cells {comp.counts}; same-date overlap cells {comp.same_date_cells}"
            f" ({comp.same_date_differ} with different NDVI); {comp.near_threshold} cells within "
            f"1e-9 of a threshold; {len(ref.pits)} pits, {len(ref.pieces)} pieces; exactextract "
            f"vs GEOS max |d| {maxd['ha']:.2e} ha, clear mean {maxd['clear']:.2e}; {secs:.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--out", help="write classes.tif, clear_count.tif, reference.csv here")
    args = ap.parse_args()
    t0 = time.perf_counter()
    comp, ref, rows, geos, maxd = build(args.config)
    errs = self_check(comp, ref, rows, geos, maxd, os.path.dirname(os.path.abspath(args.config)))
    print(f"{os.path.basename(args.config)}: " + describe(comp, ref, maxd, time.perf_counter() - t0))
    if args.out:
        comp.write(args.out)
        write_csv(os.path.join(args.out, "reference.csv"), rows)
    if errs:
        print("reference self-check FAILED:\n  " + "\n  ".join(errs), file=sys.stderr)
        return 1
    print("reference self-check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
