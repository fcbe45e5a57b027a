#!/usr/bin/env python3
"""The audit as a Python user would script it: rasterio + numpy NDVI + shapely + exactextract.

Usage: py_audit.py SCENE OUT.csv

1. rasterio reads red and NIR whole; numpy computes reflectance (DN x 1e-4 - 0.1) and
   NDVI in float32 and classes: nodata / sum <= 0 -> unobserved, NDVI >= 0.3 restored,
   < 0.0 water, else unrestored.
2. shapely cuts the pieces: liable licences (status valid/expired/suspended with a
   holder) ranked valid first, latest date, smallest id; effective licence = licence
   minus the higher-ranked ones; piece = pit n effective licence, legacy = pit minus
   every liable licence (pit-pit overlaps are not deduplicated: simpler than reclaim).
3. exactextract (`unique`, `frac`, `count` on the class array) gives each piece's
   hectares by class; written as piece rows and printed as county totals.
"""
import csv
import sys

import fiona
import numpy as np
import rasterio
import shapely
from exactextract import exact_extract
from exactextract.raster import NumPyRasterSource
from shapely.geometry import mapping, shape

scene, out = sys.argv[1], sys.argv[2]

with rasterio.open(f"{scene}/red_nir.tif") as ds:
    red = ds.read(1)
    nir = ds.read(2)
    nodata = ds.nodata
    b = ds.bounds
    cell_ha = abs(ds.transform.a * ds.transform.e) / 10_000
r = red.astype(np.float32) * np.float32(1e-4) - np.float32(0.1)
n = nir.astype(np.float32) * np.float32(1e-4) - np.float32(0.1)
s = r + n
observed = (red != nodata) & (nir != nodata) & (s > 0)
with np.errstate(divide="ignore", invalid="ignore"):
    ndvi = (n - r) / s
classes = np.full(red.shape, 3, dtype=np.uint8)  # unobserved
classes[observed] = 1  # unrestored
classes[observed & (ndvi >= 0.3)] = 0  # restored
classes[observed & (ndvi < 0.0)] = 2  # water
del r, n, s, ndvi, observed, red, nir

with fiona.open(f"{scene}/pits.shp") as src:
    pits = [(f["properties"]["pit_id"], shape(f["geometry"])) for f in src]
with fiona.open(f"{scene}/licences.shp") as src:
    lic = [dict(f["properties"], geom=shape(f["geometry"])) for f in src]
liable = [l for l in lic if l["status"].strip().lower() in ("valid", "expired", "suspended")
          and (l["holder"] or "").strip()]
liable.sort(key=lambda l: (l["status"].strip().lower() != "valid", not l["valid_to"],
                           "".join(chr(255 - ord(c)) for c in (l["valid_to"] or "")),
                           l["license_id"]))
effective, taken = [], None
for l in liable:
    g = l["geom"] if taken is None else l["geom"].difference(taken)
    effective.append((l["license_id"], g))
    taken = l["geom"] if taken is None else taken.union(l["geom"])
tree = shapely.STRtree([g for _, g in effective])
pieces = []
for pid, g in pits:
    hits = tree.query(g, predicate="intersects")
    for i in hits:
        lid, eg = effective[i]
        part = g.intersection(eg)
        if not part.is_empty and part.area > 1e-6:
            pieces.append({"geometry": mapping(part), "properties": {"pit": pid, "lic": lid}})
    rest = g.difference(taken) if taken is not None else g
    if not rest.is_empty and rest.area > 1e-6:
        pieces.append({"geometry": mapping(rest), "properties": {"pit": pid, "lic": ""}})

src = NumPyRasterSource(classes, b.left, b.bottom, b.right, b.top)
res = exact_extract(src, pieces, ["unique", "frac", "count"], include_cols=["pit", "lic"])
totals = np.zeros(4)
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["pit_id", "license_id", "restored", "unrestored", "water", "unobserved"])
    for ft in res:
        p = ft["properties"]
        row = np.zeros(4)
        for v, fr in zip(p["unique"], p["frac"]):
            row[int(v)] += fr * p["count"] * cell_ha
        totals += row
        w.writerow([p["pit"], p["lic"], *row])
print("county ha restored %.2f unrestored %.2f water %.2f unobserved %.2f" % tuple(totals))
