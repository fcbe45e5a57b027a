#!/usr/bin/env python3
"""exactextract's categorical zonal histogram of classes.tif over pits.shp, to CSV.

Usage: py_zonal_exactextract.py SCENE OUT.csv
Ops `unique`, `frac`, `count` (what a user of exactextract writes for the job of
`reclaim zonal`); rows pit_id,class,area_ha with area = frac x count x cell area.
"""
import csv
import sys

import rasterio
from exactextract import exact_extract

scene, out = sys.argv[1], sys.argv[2]
with rasterio.open(f"{scene}/classes.tif") as ds:
    cell_ha = abs(ds.transform.a * ds.transform.e) / 10_000
feats = exact_extract(f"{scene}/classes.tif", f"{scene}/pits.shp", ["unique", "frac", "count"],
                      include_cols=["pit_id"])
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["zone_id", "class", "area_ha"])
    for ft in feats:
        p = ft["properties"]
        for v, fr in zip(p["unique"], p["frac"]):
            w.writerow([p["pit_id"], int(v), repr(float(fr * p["count"] * cell_ha))])
