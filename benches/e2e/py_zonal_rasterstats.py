#!/usr/bin/env python3
"""rasterstats' categorical zonal statistics of classes.tif over pits.shp, to CSV.

Usage: py_zonal_rasterstats.py SCENE OUT.csv
`zonal_stats(..., categorical=True)`: cell counts by the cell-centre rule (not exact
coverage, so areas differ from reclaim's and exactextract's; timed only).
"""
import csv
import sys

from rasterstats import zonal_stats

scene, out = sys.argv[1], sys.argv[2]
stats = zonal_stats(f"{scene}/pits.shp", f"{scene}/classes.tif", categorical=True,
                    geojson_out=True)
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["zone_id", "class", "cells"])
    for ft in stats:
        p = ft["properties"]
        for k, v in p.items():
            if isinstance(k, int) or (isinstance(k, str) and k.isdigit()):
                w.writerow([p["pit_id"], k, v])
