#!/usr/bin/env python3
"""Check `reclaim audit` against an independent reference on the scene of audit_scene.py.

Usage:
  audit_compare.py --reclaim BIN --scene DIR [--keep DIR]
  audit_compare.py --reference-only --scene DIR [--keep DIR]   # no reclaim

Runs `reclaim audit --config DIR/audit.toml --out OUT` and rebuilds every figure of
attribution.csv and summary.json without any reclaim code:

  * inputs are read by GDAL (rasterio, fiona); vectors in another CRS than the raster
    are reprojected vertex by vertex with PyPROJ (no densification);
  * liable licence: status in liable_statuses (default valid, expired, suspended;
    trimmed, case-insensitive) and a non-blank holder; ranked valid first, then latest
    valid-to (missing last), then smallest id (code-point order = UTF-8 byte order);
    effective_k = licence_k - union(higher-ranked liable licences);
  * counted_pit_i = pit_i - union(pits with a smaller id);
    responsible piece = counted_pit ∩ effective_k, legacy piece = counted_pit -
    union(liable licences); pieces under 1e-6 m2 dropped (shapely 2 / GEOS overlay);
  * cell classes: reflectance = DN x scale + offset, NDVI = (n - r) / (n + r) in f64;
    nodata in either band, n + r <= 0, or a masked SCL value -> unobserved;
    NDVI >= restored_min_ndvi -> restored; NDVI < water_max_ndvi -> water; else
    unrestored;
  * areas: every piece intersected with every cell box it touches (GEOS, double
    precision); the piece's area beyond the raster is unobserved. exactextract 0.3.0
    computes the same table as a second reference (float32 coverage, ~1e-8 ha).

Rows are matched on (pit_id, license_id or legacy). A row passes when |d| <= 1e-6 ha for
each class and the total, and the holder is the same; a row below 1e-9 ha may be missing
on the other side. The same tolerance holds with the licences in EPSG:4551: a vertex
shift d between reclaim's and PROJ's Gauss-Krueger -> UTM moves at most (edge length in
the pit) x d between two pieces, < 3e-7 ha even at d = 1e-5 m (see README.md).
summary.json figures must agree within 1e-4 ha; counts and the overlap pairs exactly.
reclaim's own files must reconcile: row totals, pieces -> pits.csv, responsible pieces
-> mines.csv, pieces -> summary, unrestored = responsible + legacy; pits.csv polygon_ha,
total_ha (counted area) and overlaps, and mines.csv liable, must match the reference.
Exit status: 0 agree, 1 any mismatch, 2 usage or setup error.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib

import fiona
import numpy as np
import rasterio
import shapely
from pyproj import Transformer
from shapely.geometry import shape

CLASSES = ["restored", "unrestored", "water", "unobserved"]
RESTORED, UNRESTORED, WATER, UNOBSERVED = range(4)
ATTRIBUTION_HEADER = ["pit_id", "license_id", "holder", "responsibility", "restored_ha",
                      "unrestored_ha", "water_ha", "unobserved_ha", "total_ha"]
COLS = ["restored_ha", "unrestored_ha", "water_ha", "unobserved_ha", "total_ha"]
SCL_PRESET = [0, 1, 3, 8, 9, 10]
DEFAULT_LIABLE = ["valid", "expired", "suspended"]
MIN_PIECE_M2 = 1e-6
TOL_ROW_HA = 1e-6
TOL_SUMMARY_HA = 1e-4
IGNORE_HA = 1e-9
TOL_RECONCILE_HA = 1e-6
# pits.csv and mines.csv round hectares to 0.01 ha (docs/report.md): a figure there is
# within half of that of the full-precision sum (attribution.csv keeps full precision).
TOL_TABLE_HA = 0.005 + 1e-9


# ---------------------------------------------------------------- inputs


def load_config(scene: str) -> dict:
    path = os.path.join(scene, "audit.toml")
    try:
        with open(path, "rb") as f:
            cfg = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise SystemExit(f"cannot read {path}: {e}") from e
    im = cfg["imagery"]
    if im.get("classifier", "ndvi") != "ndvi" or "path" not in im:
        raise SystemExit("audit_compare.py handles classifier = \"ndvi\" with one `path`")
    return cfg


class Classes:
    """The land class of every cell, from the imagery as GDAL decodes it."""

    def __init__(self, scene: str, im: dict):
        path = os.path.join(scene, im["path"])
        with rasterio.open(path) as ds:
            t = ds.transform
            if not (t.b == 0 and t.d == 0 and t.a > 0 and t.e < 0):
                raise SystemExit(f"{path}: only north-up grids are handled")
            self.crs = ds.crs
            self.h, self.w = ds.height, ds.width
            self.rx, self.ry = t.a, -t.e
            self.xmin, self.ymax = t.c, t.f
            self.xmax, self.ymin = t.c + t.a * self.w, t.f + t.e * self.h
            red = ds.read(int(im.get("red_band", 1)), masked=True)
            nir = ds.read(int(im.get("nir_band", 2)), masked=True)
        self.cell_area = self.rx * self.ry
        scale, offset = float(im.get("scale", 1.0)), float(im.get("offset", 0.0))
        r = np.ma.getdata(red).astype(np.float64) * scale + offset
        n = np.ma.getdata(nir).astype(np.float64) * scale + offset
        s = n + r
        bad = np.ma.getmaskarray(red) | np.ma.getmaskarray(nir) | ~(s > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ndvi = (n - r) / s
        hi = float(im.get("restored_min_ndvi", 0.3))
        lo = float(im.get("water_max_ndvi", 0.0))
        cls = np.full((self.h, self.w), UNRESTORED, dtype=np.uint8)
        cls[ndvi >= hi] = RESTORED
        cls[ndvi < lo] = WATER
        cls[bad] = UNOBSERVED
        self.near_threshold = int((~bad & ((np.abs(ndvi - hi) < 1e-9)
                                           | ((np.abs(ndvi - lo) < 1e-9) & (ndvi != lo)))).sum())
        if im.get("mask_path"):
            values = list(im.get("mask_values", []))
            if im.get("mask_preset"):
                if im["mask_preset"].lower() != "scl":
                    raise SystemExit(f"unknown mask preset {im['mask_preset']}")
                values += SCL_PRESET
            mpath = os.path.join(scene, im["mask_path"])
            with rasterio.open(mpath) as ds:
                if (ds.height, ds.width) != (self.h, self.w) or ds.transform != t:
                    raise SystemExit(f"{mpath}: not on the imagery's grid")
                m = ds.read(int(im.get("mask_band", 1)))
            cls[np.isin(m, values)] = UNOBSERVED
        self.cls = cls
        self.counts = {c: int((cls == i).sum()) for i, c in enumerate(CLASSES)}


def read_layer(scene: str, sec: dict, raster_crs, fields: list[str]):
    """[(props, shapely geometry in the raster CRS)] in file order, and the source CRS."""
    path = os.path.join(scene, sec["path"])
    with fiona.open(path) as src:
        src_crs = sec.get("crs") or src.crs
        feats = [({k: f["properties"].get(k) for k in fields}, shape(f["geometry"]))
                 for f in src]
    if rasterio.crs.CRS.from_user_input(src_crs) != raster_crs:
        tr = Transformer.from_crs(src_crs, raster_crs, always_xy=True)
        feats = [(p, shapely.transform(g, tr.transform, interleaved=False))
                 for p, g in feats]
    # parts of one MultiPolygon may overlap: their union is the footprint
    def fix(g):
        if g.geom_type == "MultiPolygon":
            return shapely.union_all([fix(p) for p in g.geoms])
        return g if g.is_valid else shapely.make_valid(g)

    feats = [(p, fix(g)) for p, g in feats]
    return feats, str(src_crs)


def text(v) -> str:
    return "" if v is None else str(v).strip()


def parse_date(s: str):
    s = s.strip()
    if not s:
        return None
    return dt.date.fromisoformat(s.replace("/", "-").replace(".", "-"))


# ---------------------------------------------------------------- reference pieces


class Reference:
    def __init__(self, scene: str, cfg: dict | None = None, grid=None):
        """`cfg` and `grid` (an object with Classes' attributes: crs, h, w, rx, ry, xmin,
        ymax, xmax, ymin, cell_area, cls) default to scene/audit.toml and its single
        raster; benches/composite passes a composite's class grid instead."""
        self.cfg = cfg if cfg is not None else load_config(scene)
        self.grid = grid if grid is not None else Classes(scene, self.cfg["imagery"])
        pc, lc = self.cfg["pits"], self.cfg["licenses"]
        self.pit_field = pc["id_field"]
        pits, self.pit_crs = read_layer(scene, pc, self.grid.crs, [self.pit_field])
        self.lf = {k: lc.get(f"{k}_field", k if k != "id" else "license_id")
                   for k in ("id", "holder", "status", "valid_to")}
        lics, self.lic_crs = read_layer(scene, lc, self.grid.crs, list(self.lf.values()))
        liable_set = {s.strip().lower() for s in lc.get("liable_statuses", DEFAULT_LIABLE)}

        self.pits = {}
        for p, g in pits:
            pid = text(p[self.pit_field])
            if pid in self.pits:
                raise SystemExit(f"duplicate pit id {pid}")
            self.pits[pid] = g
        self.licences = []  # (id, holder, status, date, liable, geometry), file order
        for p, g in lics:
            status = text(p[self.lf["status"]]).lower()
            holder = text(p[self.lf["holder"]])
            self.licences.append({
                "id": text(p[self.lf["id"]]), "holder": holder, "status": status,
                "date": parse_date(text(p[self.lf["valid_to"]])),
                "liable": status in liable_set and holder != "", "geom": g})
        liable = [lic for lic in self.licences if lic["liable"]]
        liable.sort(key=lambda lic: (lic["status"] != "valid", lic["date"] is None,
                                     -(lic["date"].toordinal() if lic["date"] else 0),
                                     lic["id"]))
        self.rank = [lic["id"] for lic in liable]
        effective, higher = [], None
        for lic in liable:
            g = lic["geom"]
            effective.append((lic, g if higher is None else shapely.difference(g, higher)))
            higher = g if higher is None else shapely.union(higher, g)
        all_liable = higher

        # pits: smaller id keeps shared land
        self.pit_area, self.counted, self.overlaps = {}, {}, {}
        earlier = None
        for pid in sorted(self.pits):
            g = self.pits[pid]
            self.pit_area[pid] = g.area
            c = g if earlier is None else shapely.difference(g, earlier)
            self.counted[pid] = c
            earlier = g if earlier is None else shapely.union(earlier, g)
        ids = sorted(self.pits)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                ov = shapely.intersection(self.pits[a], self.pits[b]).area
                if ov >= MIN_PIECE_M2:
                    self.overlaps[(a, b)] = ov
        self.union_area = earlier.area if earlier is not None else 0.0

        # pieces: key (pit_id, license_id or "") -> (holder, geometry)
        self.pieces = {}
        self.dropped = 0
        for pid in sorted(self.pits):
            c = self.counted[pid]
            for lic, eff in effective:
                g = shapely.intersection(c, eff)
                if g.area >= MIN_PIECE_M2:
                    self.pieces[(pid, lic["id"])] = (lic["holder"], g)
                elif g.area > 0:
                    self.dropped += 1
            g = c if all_liable is None else shapely.difference(c, all_liable)
            if g.area >= MIN_PIECE_M2:
                self.pieces[(pid, "")] = ("", g)
            elif g.area > 0:
                self.dropped += 1

    # ---------------------------------------------------------- areas

    def geos_areas(self, g) -> list[float]:
        """[restored, unrestored, water, unobserved] m2 of g: GEOS cell-box brute force."""
        gr = self.grid
        out = [0.0, 0.0, 0.0, 0.0]
        minx, miny, maxx, maxy = g.bounds
        c0 = max(0, math.floor((minx - gr.xmin) / gr.rx))
        c1 = min(gr.w, math.ceil((maxx - gr.xmin) / gr.rx))
        r0 = max(0, math.floor((gr.ymax - maxy) / gr.ry))
        r1 = min(gr.h, math.ceil((gr.ymax - miny) / gr.ry))
        covered = 0.0
        if c0 < c1 and r0 < r1:
            rr, cc = np.mgrid[r0:r1, c0:c1]
            boxes = shapely.box(gr.xmin + cc * gr.rx, gr.ymax - (rr + 1) * gr.ry,
                                gr.xmin + (cc + 1) * gr.rx, gr.ymax - rr * gr.ry)
            shapely.prepare(g)
            inside = shapely.contains_properly(g, boxes)
            area = np.where(inside, gr.cell_area, 0.0)
            edge = ~inside & shapely.intersects(g, boxes)
            area[edge] = shapely.area(shapely.intersection(boxes[edge], g))
            cls = gr.cls[r0:r1, c0:c1]
            for i in range(4):
                out[i] = float(area[cls == i].sum())
            covered = float(area.sum())
        out[UNOBSERVED] += max(0.0, g.area - covered)
        return out

    def exactextract_areas(self) -> dict:
        """The same per-piece class areas (m2) with exactextract 0.3.0 (second opinion)."""
        from exactextract import exact_extract
        from exactextract.raster import NumPyRasterSource
        gr = self.grid
        src = NumPyRasterSource(gr.cls, gr.xmin, gr.ymin, gr.xmax, gr.ymax,
                                srs_wkt=gr.crs.wkt)
        keys = list(self.pieces)
        feats = [{"type": "Feature", "properties": {"k": i},
                  "geometry": self.pieces[k][1].__geo_interface__} for i, k in enumerate(keys)]
        res = exact_extract(src, feats, ["coverage", "values"], include_cols=["k"],
                            output="geojson")
        out = {}
        for f in res:
            p = f["properties"]
            key = keys[p["k"]]
            cov = np.asarray(p["coverage"], dtype=np.float64)
            val = np.asarray(p["values"])
            a = [float(cov[val == i].sum()) * gr.cell_area for i in range(4)]
            a[UNOBSERVED] += max(0.0, self.pieces[key][1].area - float(cov.sum()) * gr.cell_area)
            out[key] = a
        return out

    def table(self) -> dict:
        """{(pit_id, license_id): {"holder", "restored_ha", ..., "total_ha"}}."""
        t = {}
        for key, (holder, g) in self.pieces.items():
            a = self.geos_areas(g)
            row = {"holder": holder}
            for c, v in zip(COLS, a + [sum(a)]):
                row[c] = v / 1e4
            row["polygon_ha"] = g.area / 1e4
            t[key] = row
        return t


# ---------------------------------------------------------------- reclaim side


def read_csv(path: str, header: list[str] | None = None) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        head = next(rd, None)
        if header is not None and head != header:
            raise ValueError(f"{os.path.basename(path)}: header {head!r}, expected {header!r}")
        return [dict(zip(head, rec)) for rec in rd if rec]


def num(v: str) -> float:
    return float(v) if v != "" else 0.0


def read_reclaim(out: str):
    rows = read_csv(os.path.join(out, "attribution.csv"), ATTRIBUTION_HEADER)
    table = {}
    for n, r in enumerate(rows, start=2):
        key = (r["pit_id"], r["license_id"])
        want = "legacy" if r["license_id"] == "" else "responsible"
        if r["responsibility"] != want:
            raise ValueError(f"attribution.csv line {n}: responsibility "
                             f"{r['responsibility']!r} with license_id {r['license_id']!r}")
        if key in table:
            raise ValueError(f"attribution.csv line {n}: duplicate row {key}")
        table[key] = {"holder": r["holder"], **{c: float(r[c]) for c in COLS}}
    pits = read_csv(os.path.join(out, "pits.csv"))
    mines = read_csv(os.path.join(out, "mines.csv"))
    with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    return table, pits, mines, summary


def run_reclaim(binary: str, scene: str, out: str):
    cmd = [binary, "audit", "--config", os.path.join(scene, "audit.toml"), "--out", out,
           "--quiet"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    return cmd, p, time.perf_counter() - t0


# ---------------------------------------------------------------- checks


def label(key) -> str:
    return f"{key[0]}/{key[1] or 'legacy'}"


def compare_rows(ours: dict, ref: dict):
    """Per-row, per-class comparison. Returns (rows compared, max |d| per column,
    worst key per column, failures)."""
    fails, n = [], 0
    maxd = {c: 0.0 for c in COLS}
    worst = {c: None for c in COLS}
    for key in sorted(set(ours) | set(ref)):
        a, b = ours.get(key), ref.get(key)
        if a is None or b is None:
            present = a if a is not None else b
            if present["total_ha"] < IGNORE_HA:
                continue
            side = "reclaim only" if b is None else "reference only"
            fails.append(f"{label(key):>16}  {side}: "
                         + " ".join(f"{c}={present[c]:.9f}" for c in COLS))
            n += 1
            continue
        n += 1
        bad = []
        for c in COLS:
            d = abs(a[c] - b[c])
            if d > maxd[c]:
                maxd[c], worst[c] = d, key
            if d > TOL_ROW_HA:
                bad.append(f"{c} reclaim {a[c]:.9f} ref {b[c]:.9f} (d {a[c] - b[c]:+.3e})")
        if a["holder"] != b["holder"]:
            bad.append(f"holder reclaim {a['holder']!r} ref {b['holder']!r}")
        if bad:
            fails.append(f"{label(key):>16}  " + "; ".join(bad))
    return n, maxd, worst, fails


def close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= max(tol, 1e-12 * max(abs(a), abs(b)))


def reconcile(ours: dict, pits: list, mines: list, s: dict, ref: Reference) -> list[str]:
    """reclaim's own files add up, and its per-pit/per-licence facts match the reference."""
    errs = []
    cls = COLS[:4]
    for key, r in ours.items():
        if not close(sum(r[c] for c in cls), r["total_ha"], 1e-9):
            errs.append(f"attribution {label(key)}: classes sum {sum(r[c] for c in cls)!r} "
                        f"!= total_ha {r['total_ha']!r}")
        if any(r[c] < 0 or not math.isfinite(r[c]) for c in COLS):
            errs.append(f"attribution {label(key)}: negative or non-finite area")
    # pieces -> pits.csv
    by_pit = {}
    for (pid, _), r in ours.items():
        acc = by_pit.setdefault(pid, dict.fromkeys(COLS, 0.0))
        for c in COLS:
            acc[c] += r[c]
    seen = set()
    for p in pits:
        pid = p["pit_id"]
        seen.add(pid)
        acc = by_pit.get(pid, dict.fromkeys(COLS, 0.0))
        for c in COLS:
            if not close(num(p[c]), acc[c], TOL_TABLE_HA):
                errs.append(f"pits.csv {pid} {c} {p[c]} != sum of its pieces {acc[c]!r}")
        # independent facts: full polygon area and counted area (= pieces + dropped)
        if pid in ref.pit_area and not close(num(p["polygon_ha"]), ref.pit_area[pid] / 1e4,
                                             TOL_TABLE_HA):
            errs.append(f"pits.csv {pid} polygon_ha {p['polygon_ha']} != reference "
                        f"{ref.pit_area[pid] / 1e4!r}")
        if pid in ref.counted and not close(num(p["total_ha"]), ref.counted[pid].area / 1e4,
                                            TOL_TABLE_HA):
            errs.append(f"pits.csv {pid} total_ha {p['total_ha']} != reference counted "
                        f"area {ref.counted[pid].area / 1e4!r}")
        want = sorted({b for a, b in ref.overlaps if a == pid}
                      | {a for a, b in ref.overlaps if b == pid})
        got = sorted(x for x in p["overlaps"].split(";") if x)
        if got != want:
            errs.append(f"pits.csv {pid} overlaps {got} != reference {want}")
    if seen != set(ref.pits):
        errs.append(f"pits.csv ids differ from the pit file: missing "
                    f"{sorted(set(ref.pits) - seen)}, extra {sorted(seen - set(ref.pits))}")
    for pid in set(by_pit) - seen:
        errs.append(f"attribution.csv has pieces of pit {pid} that pits.csv lacks")
    # responsible pieces -> mines.csv
    by_lic, pits_of = {}, {}
    for (pid, lid), r in ours.items():
        if lid:
            acc = by_lic.setdefault(lid, dict.fromkeys(COLS, 0.0))
            for c in COLS:
                acc[c] += r[c]
            pits_of.setdefault(lid, set()).add(pid)
    ref_lic = {lic["id"]: lic for lic in ref.licences}
    mine_ids = set()
    for m in mines:
        lid = m["license_id"]
        mine_ids.add(lid)
        acc = by_lic.get(lid, dict.fromkeys(COLS, 0.0))
        for c in COLS:
            if not close(num(m[c]), acc[c], TOL_TABLE_HA):
                errs.append(f"mines.csv {lid} {c} {m[c]} != sum of its pieces {acc[c]!r}")
        if int(m["pit_count"]) != len(pits_of.get(lid, ())):
            errs.append(f"mines.csv {lid} pit_count {m['pit_count']} != "
                        f"{len(pits_of.get(lid, ()))} pits in attribution.csv")
        lic = ref_lic.get(lid)
        if lic is None:
            errs.append(f"mines.csv {lid}: no such licence in the licence file")
        elif (m["liable"] == "true") != lic["liable"]:
            errs.append(f"mines.csv {lid} liable={m['liable']}, reference {lic['liable']}")
    if mine_ids != set(ref_lic):
        errs.append(f"mines.csv ids differ from the licence file: missing "
                    f"{sorted(set(ref_lic) - mine_ids)}, extra {sorted(mine_ids - set(ref_lic))}")
    for lid in set(by_lic) - mine_ids:
        errs.append(f"attribution.csv has pieces of licence {lid} that mines.csv lacks")
    # pieces -> summary
    tot = dict.fromkeys(COLS, 0.0)
    resp = legacy = 0.0
    for (pid, lid), r in ours.items():
        for c in COLS:
            tot[c] += r[c]
        if lid:
            resp += r["unrestored_ha"]
        else:
            legacy += r["unrestored_ha"]
    pit_tot = {c: sum(num(p[c]) for p in pits) for c in COLS}
    for c in COLS:
        sc = "footprint_ha" if c == "total_ha" else c
        if not close(s[sc], tot[c], TOL_RECONCILE_HA):
            errs.append(f"summary {sc} {s[sc]!r} != sum of pieces {tot[c]!r}")
        if not close(s[sc], pit_tot[c], TOL_TABLE_HA * max(1, len(pits))):
            errs.append(f"summary {sc} {s[sc]!r} != sum of pits.csv {pit_tot[c]!r}")
    four = sum(s[c] for c in cls)
    if not close(s["footprint_ha"], four, TOL_RECONCILE_HA):
        errs.append(f"summary footprint {s['footprint_ha']!r} != r+u+w+o {four!r}")
    if not close(s["unrestored_ha"],
                 s["unrestored_responsible_ha"] + s["unrestored_legacy_ha"], TOL_RECONCILE_HA):
        errs.append("summary unrestored != responsible + legacy")
    if not close(s["unrestored_responsible_ha"], resp, TOL_RECONCILE_HA):
        errs.append(f"summary unrestored_responsible_ha != sum of responsible pieces {resp!r}")
    if not close(s["unrestored_legacy_ha"], legacy, TOL_RECONCILE_HA):
        errs.append(f"summary unrestored_legacy_ha != sum of legacy pieces {legacy!r}")
    for k, want in (("piece_count", len(ours)), ("pit_count", len(pits)),
                    ("license_count", len(mines))):
        if s.get(k) != want:
            errs.append(f"summary {k} {s.get(k)} != {want} rows")
    return errs


def compare_summary(s: dict, ref: Reference, rt: dict) -> tuple[list[str], list[str], float]:
    """summary.json against the reference totals. Returns (lines, failures, max |d|)."""
    tot = dict.fromkeys(COLS, 0.0)
    resp = legacy = 0.0
    for (_, lid), r in rt.items():
        for c in COLS:
            tot[c] += r[c]
        if lid:
            resp += r["unrestored_ha"]
        else:
            legacy += r["unrestored_ha"]
    want = {"restored_ha": tot["restored_ha"], "unrestored_ha": tot["unrestored_ha"],
            "unrestored_responsible_ha": resp, "unrestored_legacy_ha": legacy,
            "water_ha": tot["water_ha"], "unobserved_ha": tot["unobserved_ha"],
            "footprint_ha": ref.union_area / 1e4,
            "overlap_ha": sum(ref.overlaps.values()) / 1e4}
    lines, fails, maxd = [], [], 0.0
    for k, v in want.items():
        got = s.get(k)
        d = abs(got - v) if isinstance(got, (int, float)) else math.inf
        maxd = max(maxd, d)
        lines.append(f"  {k:<26} reclaim {got!r:<22} reference {v:.10f}  d {d:.2e}")
        if not d <= TOL_SUMMARY_HA:
            fails.append(f"summary {k}: reclaim {got!r} reference {v!r}")
    counts = {"pit_count": len(ref.pits), "license_count": len(ref.licences),
              "liable_license_count": sum(lic["liable"] for lic in ref.licences),
              "overlap_count": len(ref.overlaps), "piece_count": len(ref.pieces)}
    for k, v in counts.items():
        if s.get(k) != v:
            fails.append(f"summary {k}: reclaim {s.get(k)!r} reference {v}")
    got_pairs = {(o["pit_a"], o["pit_b"]): o["overlap_ha"] for o in s.get("overlaps", [])}
    if set(got_pairs) != set(ref.overlaps):
        fails.append(f"summary overlaps: pairs differ: reclaim only "
                     f"{sorted(set(got_pairs) - set(ref.overlaps))}, reference only "
                     f"{sorted(set(ref.overlaps) - set(got_pairs))}")
    for pair in set(got_pairs) & set(ref.overlaps):
        if abs(got_pairs[pair] - ref.overlaps[pair] / 1e4) > TOL_ROW_HA:
            fails.append(f"summary overlap {pair}: reclaim {got_pairs[pair]!r} ha, reference "
                         f"{ref.overlaps[pair] / 1e4!r} ha")
    return lines, fails, maxd


def self_check(ref: Reference, rt: dict, scene: str) -> list[str]:
    """Facts about the reference that hold by construction or by hand."""
    errs = []
    # pieces tile each counted pit; counted pits tile the union
    for pid, c in ref.counted.items():
        s = sum(g.area for (p, _), (_, g) in ref.pieces.items() if p == pid)
        if abs(s - c.area) > 1e-6 + 1e-9 * c.area:
            errs.append(f"reference pieces of {pid} sum to {s} m2, counted area {c.area}")
    if abs(sum(c.area for c in ref.counted.values()) - ref.union_area) > 1e-4:
        errs.append("reference counted pits do not add up to their union")
    # every piece's class areas add up to its polygon area
    for key, r in rt.items():
        if abs(r["total_ha"] - r["polygon_ha"]) > 1e-10:
            errs.append(f"reference {label(key)}: classes {r['total_ha']} != area "
                        f"{r['polygon_ha']}")
    meta_path = os.path.join(scene, "scene.json")
    if os.path.exists(meta_path):
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        fx = meta.get("fixed_pits", {})

        for name, v in fx.items():
            got = ref.pit_area.get(v["id"], math.nan)
            if not abs(got - v["area_m2"]) <= 1e-9:
                errs.append(f"reference fixed pit {name} ({v['id']}): {got} m2, "
                            f"expected {v['area_m2']}")
        if "outside" in fx:
            pid = fx["outside"]["id"]
            if any(r["unobserved_ha"] != r["total_ha"] for (p, _), r in rt.items() if p == pid):
                errs.append("reference: the pit beyond the raster is not all unobserved")
        if "cell_rect" in fx:  # on cell corners: if uncut, whole cells only (n x 0.01 ha)
            pid = fx["cell_rect"]["id"]
            rows = [r for (p, _), r in rt.items() if p == pid]
            if len(rows) == 1 and abs(rows[0]["total_ha"] - ref.pit_area[pid] / 1e4) < 1e-12:
                for c in COLS:
                    if abs(rows[0][c] / 0.01 - round(rows[0][c] / 0.01)) > 1e-9:
                        errs.append(f"reference cell_rect {c} {rows[0][c]} not whole cells")
        for case in meta.get("priority_cases", []):
            a, b = case["a"], case["b"]
            if a not in ref.rank and b not in ref.rank:
                errs.append(f"priority case {a}/{b}: neither licence is liable")
    return errs


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reclaim", help="path to the reclaim binary")
    ap.add_argument("--scene", required=True, help="directory written by audit_scene.py")
    ap.add_argument("--keep", help="keep reclaim's output and reference.csv here")
    ap.add_argument("--reference-only", action="store_true",
                    help="build and self-check the reference only (no reclaim)")
    args = ap.parse_args()
    if not args.reference_only and not args.reclaim:
        ap.error("--reclaim is required unless --reference-only")

    t0 = time.perf_counter()
    ref = Reference(args.scene)
    rt = ref.table()
    t_ref = time.perf_counter() - t0
    ee = ref.exactextract_areas()
    ee_max = max((abs(a - b) / 1e4 for k, v in ee.items()
                  for a, b in zip(v, [rt[k][c] * 1e4 for c in COLS[:4]])), default=0.0)
    errs = self_check(ref, rt, args.scene)
    if ee_max > TOL_ROW_HA:
        errs.append(f"exactextract and GEOS references differ by {ee_max:.3e} ha")
    g = ref.grid
    print(f"reference: {len(ref.pits)} pits ({ref.pit_crs}), {len(ref.licences)} licences "
          f"({ref.lic_crs}, {len(ref.rank)} liable, rank {' > '.join(ref.rank)}), "
          f"{len(ref.pieces)} pieces ({ref.dropped} slivers < {MIN_PIECE_M2:g} m2 dropped), "
          f"{len(ref.overlaps)} pit overlaps; cells {g.counts}; "
          f"{g.near_threshold} cells within 1e-9 of an NDVI threshold; GEOS vs exactextract "
          f"max |d| {ee_max:.2e} ha; {t_ref:.2f} s")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        with open(os.path.join(args.keep, "reference.csv"), "w", newline="",
                  encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(ATTRIBUTION_HEADER)
            for (pid, lid), r in sorted(rt.items()):
                w.writerow([pid, lid, r["holder"], "responsible" if lid else "legacy"]
                           + [repr(r[c]) for c in COLS])
    if errs:
        print("reference self-check FAILED:\n  " + "\n  ".join(errs), file=sys.stderr)
        return 1
    if args.reference_only:
        print("reference self-check passed")
        return 0

    tmp = tempfile.mkdtemp(prefix="reclaim-audit-conformance-")
    try:
        out = os.path.join(args.keep or tmp, "reclaim_out")
        if os.path.isdir(out):
            shutil.rmtree(out)
        cmd, p, t_rec = run_reclaim(args.reclaim, args.scene, out)
        if p.returncode != 0:
            print(f"FAIL reclaim exited {p.returncode}: {' '.join(cmd)}\n{p.stderr.strip()}",
                  file=sys.stderr)
            return 1
        try:
            ours, pits, mines, summary = read_reclaim(out)
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as e:
            print(f"FAIL reading reclaim's output: {e}", file=sys.stderr)
            return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    n, maxd, worst, fails = compare_rows(ours, rt)
    rec = reconcile(ours, pits, mines, summary, ref)
    lines, sfails, smax = compare_summary(summary, ref, rt)
    print(f"attribution.csv: {n} rows compared ({len(ours)} reclaim, {len(rt)} reference), "
          f"tol {TOL_ROW_HA:g} ha per class; reclaim {t_rec:.2f} s")
    for c in COLS:
        w = label(worst[c]) if worst[c] else "-"
        print(f"  max |d| {c:<14} {maxd[c]:.3e} ha  (worst {w})")
    print(f"summary.json (tol {TOL_SUMMARY_HA:g} ha): max |d| {smax:.3e} ha")
    print("\n".join(lines))
    print(f"reconciliation of reclaim's files: {len(rec)} problems")
    bad = fails + sfails + rec
    if bad:
        print(f"FAIL: {len(fails)} attribution rows, {len(sfails)} summary figures, "
              f"{len(rec)} reconciliation problems:", file=sys.stderr)
        for m in bad[:80]:
            print("  " + m, file=sys.stderr)
        if len(bad) > 80:
            print(f"  ... {len(bad) - 80} more", file=sys.stderr)
        return 1
    print("ok: reclaim audit agrees with the reference")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit as e:
        if isinstance(e.code, str):  # a setup problem (unsupported scene, bad input)
            print(f"audit_compare.py: {e.code}", file=sys.stderr)
            sys.exit(2)
        raise
