#!/usr/bin/env python3
"""What a Python user would write for `reclaim discover`: rasterio reads the whole
land-cover raster, the footprints are rasterised by cell centre, scipy labels
the bare cells, small components are dropped by bincount, rasterio.features.shapes
outlines the rest and shapely merges them per component and measures their part
inside the liable licences. Prints one JSON line of stage times.

usage: bench.py SCENE_DIR [--connectivity 8] [--min-area-ha 0.5]
"""
import argparse
import json
import time

import numpy as np
import rasterio
import rasterio.features
import scipy.ndimage
import shapely
from shapely.geometry import shape


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scene")
    ap.add_argument("--connectivity", type=int, default=8)
    ap.add_argument("--min-area-ha", type=float, default=0.5)
    a = ap.parse_args()
    times = {}
    t0 = time.perf_counter()
    with rasterio.open(f"{a.scene}/landcover.tif") as src:
        v = src.read(1)
        t = src.transform
    times["read"] = time.perf_counter() - t0
    pits = json.load(open(f"{a.scene}/pits.geojson"))["features"]
    fp = rasterio.features.rasterize([(f["geometry"], 1) for f in pits], out_shape=v.shape,
                                     transform=t, all_touched=False, dtype="uint8")
    bare = (v == 60) & (fp == 0)
    del fp
    times["mask"] = time.perf_counter() - t0 - times["read"]
    s = time.perf_counter()
    labels, n = scipy.ndimage.label(bare, structure=np.ones((3, 3), bool) if a.connectivity == 8 else None)
    del bare
    counts = np.bincount(labels.ravel())
    kept = np.nonzero(counts * abs(t.a * t.e) >= a.min_area_ha * 1e4)[0]
    kept = kept[kept != 0]
    times["label"] = time.perf_counter() - s
    s = time.perf_counter()
    mask = np.isin(labels, kept)
    polys = {}
    for geom, value in rasterio.features.shapes(labels, mask=mask, connectivity=a.connectivity, transform=t):
        polys.setdefault(int(value), []).append(shape(geom))
    del mask
    geoms = {k: shapely.union_all([shapely.make_valid(p) for p in ps]) for k, ps in polys.items()}
    times["vectorise"] = time.perf_counter() - s
    s = time.perf_counter()
    lic = json.load(open(f"{a.scene}/licences.geojson"))["features"]
    liable = shapely.union_all([shape(f["geometry"]) for f in lic if f["properties"]["status"] == "valid"])
    inside = {k: g.intersection(liable).area for k, g in geoms.items()}
    times["licences"] = time.perf_counter() - s
    times["total"] = time.perf_counter() - t0
    print(json.dumps({"cells": int(v.size), "components": int(n), "candidates": len(geoms),
                      "inside_ha": sum(inside.values()) / 1e4,
                      "seconds": {k: round(x, 3) for k, x in times.items()}}))


if __name__ == "__main__":
    main()
