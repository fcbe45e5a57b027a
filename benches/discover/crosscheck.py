#!/usr/bin/env python3
"""Cross-check `reclaim discover` against rasterio + scipy + shapely.

Independently of reclaim: bare cells (WorldCover 60; 50 is excluded by the
scene's config) minus the footprints rasterised by cell centre
(rasterio.features.rasterize, all_touched=False), connected components by
scipy.ndimage.label (4 or 8), outlines by rasterio.features.shapes, merged per
component with shapely. Then, for every candidate of candidates_projected.geojson:
the same component (by a point inside it), the same area and the same outline
(symmetric difference) to 1e-9 relative, the same area inside the liable licences
(shapely intersection) and the same label; and no component is missed.

usage: crosscheck.py SCENE_DIR OUT_DIR [--connectivity 8] [--min-area-ha 0.5]
Exit 1 on any mismatch.
"""
import argparse
import json
import math
import sys

import numpy as np
import rasterio
import rasterio.features
import scipy.ndimage
import shapely
from shapely.geometry import shape

REL = 1e-9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scene")
    ap.add_argument("out")
    ap.add_argument("--connectivity", type=int, default=8)
    ap.add_argument("--min-area-ha", type=float, default=0.5)
    a = ap.parse_args()

    with rasterio.open(f"{a.scene}/landcover.tif") as src:
        v = src.read(1)
        t = src.transform
    cell_m2 = abs(t.a * t.e)
    pits = json.load(open(f"{a.scene}/pits.geojson"))["features"]
    fp = rasterio.features.rasterize(
        [(f["geometry"], 1) for f in pits], out_shape=v.shape, transform=t,
        all_touched=False, dtype="uint8") if pits else np.zeros(v.shape, "uint8")
    bare = (v == 60) & (fp == 0)
    structure = np.ones((3, 3), bool) if a.connectivity == 8 else None
    labels, n = scipy.ndimage.label(bare, structure=structure)
    counts = np.bincount(labels.ravel())
    min_cells = a.min_area_ha * 10_000 / cell_m2
    kept = np.nonzero(counts >= min_cells * (1 - 1e-12))[0]
    kept = kept[kept != 0]
    mask = np.isin(labels, kept)
    polys = {}
    for geom, value in rasterio.features.shapes(labels.astype("int32"), mask=mask,
                                                connectivity=a.connectivity, transform=t):
        polys.setdefault(int(value), []).append(shape(geom))
    ref = {k: (sum(p.area for p in ps), shapely.union_all([shapely.make_valid(p) for p in ps]))
           for k, ps in polys.items()}

    lic = json.load(open(f"{a.scene}/licences.geojson"))["features"]
    liable = shapely.union_all([shape(f["geometry"]) for f in lic
                                if f["properties"]["status"] in ("valid", "expired", "suspended")])

    got = json.load(open(f"{a.out}/candidates_projected.geojson"))["features"]
    errors, seen, worst = [], set(), 0.0
    for f in got:
        p = f["properties"]
        g = shape(f["geometry"])
        pt = g.representative_point()
        row, col = rasterio.transform.rowcol(t, pt.x, pt.y)
        k = int(labels[row, col])
        if k == 0 or k not in ref:
            errors.append(f"{p['id']}: no kept component at ({row}, {col})")
            continue
        if k in seen:
            errors.append(f"{p['id']}: component {k} reported twice")
        seen.add(k)
        area, rg = ref[k]
        cells_area = counts[k] * cell_m2
        rel = max(abs(g.area - area), abs(p["area_ha"] * 1e4 - area),
                  abs(cells_area - area), g.symmetric_difference(rg).area) / area
        worst = max(worst, rel)
        if rel > REL:
            errors.append(f"{p['id']}: area {g.area} vs {area} (rel {rel:.3g})")
        inside = rg.intersection(liable).area if not liable.is_empty else 0.0
        d_in = abs(p["ha_inside_licence"] * 1e4 - inside) / area
        label = ("unlicensed" if inside <= REL * area else
                 "within_licence" if area - inside <= REL * area else "beyond_licence")
        if label != p["label"] or (p["label"] == "beyond_licence" and d_in > REL):
            errors.append(f"{p['id']}: {p['label']} inside {p['ha_inside_licence']} ha; "
                          f"shapely: {label} inside {inside / 1e4} ha")
        worst = max(worst, d_in if p["label"] == "beyond_licence" else 0.0)
    missed = set(ref) - seen
    if missed:
        errors.append(f"{len(missed)} components not reported, e.g. {sorted(missed)[:5]}")
    labels_n = {}
    for f in got:
        labels_n[f["properties"]["label"]] = labels_n.get(f["properties"]["label"], 0) + 1
    print(json.dumps({"components": int(n), "kept": len(ref), "reported": len(got),
                      "labels": labels_n, "worst_relative_difference": worst,
                      "errors": len(errors)}))
    for e in errors[:20]:
        print("MISMATCH", e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
