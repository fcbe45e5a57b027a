"""Writes the mask, NaN and geographic fixtures of testdata/zonal with GDAL (run with a Python that
has `osgeo`, e.g. Debian's python3-gdal: `/usr/bin/python3 testdata/zonal/make.py`).

A 6 x 4 uint8 grid in EPSG:32651, 10 m cells, top-left (686000, 4796040):

    1 1 2 2 3 3
    1 1 2 2 3 3
    4 4 5 5 6 6
    4 4 5 5 6 6

with a per-dataset mask marking cells (0,0), (1,0), (2,0) (top row, first three
columns) and (5,3) (bottom-right) invalid.
"""
import os
from osgeo import gdal, osr

gdal.UseExceptions()
here = os.path.dirname(os.path.abspath(__file__))
VALUES = [[1, 1, 2, 2, 3, 3], [1, 1, 2, 2, 3, 3], [4, 4, 5, 5, 6, 6], [4, 4, 5, 5, 6, 6]]
MASKED = {(0, 0), (1, 0), (2, 0), (5, 3)}  # (col, row)


def mem(dtype=gdal.GDT_Byte, values=VALUES):
    ds = gdal.GetDriverByName("MEM").Create("", 6, 4, 1, dtype)
    ds.SetGeoTransform((686000.0, 10.0, 0.0, 4796040.0, 0.0, -10.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32651)
    ds.SetProjection(srs.ExportToWkt())
    b = ds.GetRasterBand(1)
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            b.WriteRaster(c, r, 1, 1, bytes([v]) if dtype == gdal.GDT_Byte else v)
    return ds


def with_mask(ds):
    ds.CreateMaskBand(gdal.GMF_PER_DATASET)
    m = ds.GetRasterBand(1).GetMaskBand()
    for r in range(4):
        for c in range(6):
            m.WriteRaster(c, r, 1, 1, bytes([0 if (c, r) in MASKED else 255]))
    return ds


def out(name, ds, opts, internal=True):
    path = os.path.join(here, name)
    for p in (path, path + ".msk"):
        if os.path.exists(p):
            os.remove(p)
    gdal.SetConfigOption("GDAL_TIFF_INTERNAL_MASK", "YES" if internal else "NO")
    gdal.GetDriverByName("GTiff").CreateCopy(path, ds, options=opts)


# Internal 1-bit mask (GDAL's default), DEFLATE strips.
out("mask_internal.tif", with_mask(mem()), ["COMPRESS=DEFLATE"])
# Internal mask, 16 x 16 tiles (edge tiles clipped on read), no compression.
out("mask_internal_tiled.tif", with_mask(mem()), ["TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"])
# External mask: mask_sidecar.tif.msk.
out("mask_sidecar.tif", with_mask(mem()), ["COMPRESS=LZW"], internal=False)

# float32, no nodata declared, NaN in cells (0,0) and (1,0) and (5,3).
import struct

fvals = [[struct.pack("<f", float(v)) for v in row] for row in VALUES]
nan = struct.pack("<f", float("nan"))
for c, r in MASKED - {(2, 0)}:
    fvals[r][c] = nan
ds = gdal.GetDriverByName("MEM").Create("", 6, 4, 1, gdal.GDT_Float32)
ds.SetGeoTransform((686000.0, 10.0, 0.0, 4796040.0, 0.0, -10.0))
srs = osr.SpatialReference()
srs.ImportFromEPSG(32651)
ds.SetProjection(srs.ExportToWkt())
for r, row in enumerate(fvals):
    for c, v in enumerate(row):
        ds.GetRasterBand(1).WriteRaster(c, r, 1, 1, v)
out("nan_no_nodata.tif", ds, ["COMPRESS=DEFLATE"])

# Geographic: EPSG:4326, 12 x 10 cells of 0.5 degrees, top-left (120E, 46N), all 7.
ds = gdal.GetDriverByName("MEM").Create("", 12, 10, 1, gdal.GDT_Byte)
ds.SetGeoTransform((120.0, 0.5, 0.0, 46.0, 0.0, -0.5))
srs = osr.SpatialReference()
srs.ImportFromEPSG(4326)
ds.SetProjection(srs.ExportToWkt())
ds.GetRasterBand(1).Fill(7)
out("geographic.tif", ds, ["COMPRESS=DEFLATE"])

# Overviews before the mask: 300 x 200 uint8, 128 x 128 DEFLATE tiles (edge tiles
# clipped), value = (col // 30 + row // 40) % 5 + 1, masked where
# (col * 7 + row * 3) % 11 == 0 or col >= 290; overviews 2 and 4 (and their masks),
# so the full-resolution mask is not the second directory.
ds = gdal.GetDriverByName("MEM").Create("", 300, 200, 1, gdal.GDT_Byte)
ds.SetGeoTransform((686000.0, 10.0, 0.0, 4796040.0, 0.0, -10.0))
srs = osr.SpatialReference()
srs.ImportFromEPSG(32651)
ds.SetProjection(srs.ExportToWkt())
ds.GetRasterBand(1).WriteRaster(
    0, 0, 300, 200,
    bytes((c // 30 + r // 40) % 5 + 1 for r in range(200) for c in range(300)),
)
ds.CreateMaskBand(gdal.GMF_PER_DATASET)
ds.GetRasterBand(1).GetMaskBand().WriteRaster(
    0, 0, 300, 200,
    bytes(0 if ((c * 7 + r * 3) % 11 == 0 or c >= 290) else 255 for r in range(200) for c in range(300)),
)
path = os.path.join(here, "mask_overviews.tif")
if os.path.exists(path):
    os.remove(path)
gdal.SetConfigOption("GDAL_TIFF_INTERNAL_MASK", "YES")
tmp = gdal.GetDriverByName("GTiff").CreateCopy(
    path, ds, options=["TILED=YES", "BLOCKXSIZE=128", "BLOCKYSIZE=128", "COMPRESS=DEFLATE"]
)
tmp.BuildOverviews("NEAREST", [2, 4])
tmp = None
