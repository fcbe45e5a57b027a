"""Writes landcover.tif, the README's library example imagery (run from this folder).

A 10 x 10 ESA WorldCover-coded land-cover map, 10 m cells, EPSG:32651 (UTM 51N),
top-left corner (686000, 4796100): columns 0-4 are 10 (tree cover, restored),
columns 5-9 are 60 (bare / sparse vegetation, unrestored). Written by rasterio
(which bundles GDAL): python3 make.py
"""
import numpy as np
import rasterio
from rasterio.transform import from_origin

cells = np.full((10, 10), 60, dtype=np.uint8)
cells[:, :5] = 10
with rasterio.open(
    "landcover.tif", "w", driver="GTiff", width=10, height=10, count=1,
    dtype="uint8", crs="EPSG:32651", transform=from_origin(686000, 4796100, 10, 10),
    compress="deflate",
) as dst:
    dst.write(cells, 1)
