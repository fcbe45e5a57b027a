#!/usr/bin/env python3
"""Write a small synthetic county for the seasonal-composite check (and the benchmark).

Usage: make_scenes.py OUT [--seed N] [--size S] [--scenes K] [--outside N] [--no-vectors]

Everything comes from one seeded numpy generator: the same arguments give the same files.

Sentinel-2 part (EPSG:32651, 10 m):
  s2/<PRODUCT>.SAFE/   two overlapping L2A tiles T51TYM and T51TYN, S x S cells each
                       (default 600), aligned 10 m grids, T51TYN offset by (0.6 S, 0.25 S)
                       cells east/south. ESA SAFE layout (templated on GDAL's autotest fake
                       L2A product, baseline 05.xx): MTD_MSIL2A.xml (PRODUCT_URI, start
                       time, BOA_QUANTIFICATION_VALUE 10000, BOA_ADD_OFFSET -1000 per band,
                       IMAGE_FILE list), GRANULE/L2A_<tile>_A..._<t>/MTD_TL.xml
                       (HORIZONTAL_CS_CODE, Size and Geoposition for 10/20/60 m) and
                       IMG_DATA/R10m/<tile>_<t>_B04_10m.jp2, _B08_10m.jp2 (uint16, lossless
                       JPEG 2000, NBITS 15) and IMG_DATA/R20m/<tile>_<t>_SCL_20m.jp2.
                       K in-season dates per tile (default 6, evenly from 05-01 to 09-30,
                       both season ends included); T51TYN has one date of its own instead
                       of T51TYM's second; plus N out-of-season dates per tile (default 1:
                       04-24 for T51TYM, 10-08 for T51TYN) that the composite must ignore.
                       Same-date products of both tiles share the datatake (their ids differ
                       only in the tile), with different noise in the overlap, so the
                       "first clear in (date, id) order" rule decides there.
                       Clouds (SCL 8 core, 9 rim, 3 shadow), cirrus (10) and saturated (1)
                       dots, unmasked 2/7/11 dots; nodata wedges (DN 0, SCL 0) along tile
                       edges; red-only / NIR-only dropouts (DN 0 with a clear SCL); a dark
                       patch with reflectance sum <= 0 (one cell exactly 0 + 0); one
                       tile-only cloud in the overlap.
Landsat part (EPSG:32651, 30 m; a separate audit, since 30 m and 10 m cannot share a grid):
  landsat/<ID>/        C2 L2 scenes: <ID>_SR_B4.TIF, _SR_B5.TIF (uint16, tiled 256, DEFLATE),
                       _QA_PIXEL.TIF (uint16 bit flags) and <ID>_MTL.json (first scene) or
                       <ID>_MTL.txt (the others); scale 2.75e-05, offset -0.2. Three scenes
                       in season (two on path/row 118/029, one on 117/029 shifted east and
                       south), one out of season.
Vectors (EPSG:32651, no reprojection: this check is about the imagery):
  pits.shp / pits_landsat.shp   star-shaped pits (TBBH id, LX kind) placed on the tile
                       overlap, tile and scene edges, cloud tracks, licence edges, one
                       beyond every scene.
  licenses.shp         9 licences (XKZH, CKQR holder, ZT status, YXQZ valid-to), some
                       overlapping, one revoked.
Configs: audit.toml (median, min_clear 1), audit_max.toml, audit_latest.toml,
  audit_median_min3.toml, audit_collection.toml (median, `collection = "s2"`); audit_landsat.toml (median), audit_landsat_latest.toml
  (the composite syntax); single/audit_single.toml (the classic red_path/nir_path/mask_path
  audit of one scene exported to GeoTIFF, SCL upsampled to 10 m) and
  single/audit_single_composite.toml (the same scene as a 1-scene season): the bridge
  that validates the reference's pieces with today's binary; single/audit_single_landsat
  (_composite).toml the same for one Landsat scene (its own GeoTIFFs, mask_preset qa_pixel).
  scene.json: arguments, grids, scene list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys

import numpy as np
import rasterio
from rasterio.transform import Affine

CRS = "EPSG:32651"
X0, Y0 = 680000.0, 4810000.0  # north-west corner of the county (near Yitong, Jilin)
YEAR = 2024
SEASON = ("05-01", "09-30")
S2_SCALE, S2_OFFSET = 1e-4, -0.1  # BOA_QUANTIFICATION_VALUE 10000, BOA_ADD_OFFSET -1000
LS_SCALE, LS_OFFSET = 2.75e-05, -0.2
TILES = ["T51TYM", "T51TYN"]
ORBITS = {"T51TYM": "R089", "T51TYN": "R089"}

# land types: (name, NDVI at the start of the season, NDVI peak gain, refl. sum, SCL)
LAND = [
    ("veg", (0.30, 0.55), (0.15, 0.35), (0.30, 0.65), 4),
    ("bare", (0.02, 0.20), (0.00, 0.08), (0.25, 0.60), 5),
    ("water", (-0.55, -0.10), (-0.05, 0.05), (0.04, 0.15), 6),
    ("mixed", (0.15, 0.30), (0.00, 0.20), (0.25, 0.60), 4),  # straddles 0.3
    ("wet", (-0.12, 0.05), (-0.05, 0.10), (0.10, 0.30), 6),  # straddles 0.0
]


def disk(rows, cols, r, c, rad):
    return (rows - r) ** 2 + (cols - c) ** 2 < rad * rad


class Land:
    """Voronoi land patches on a virtual grid (rows x cols of `res` m from X0, Y0)."""

    def __init__(self, rng, h, w, res):
        self.h, self.w, self.res = h, w, res
        n = max(30, int(h * w * res * res / 4e5))  # a patch every ~40 ha
        n = min(n, 400)
        sr, sc = rng.uniform(0, h, n), rng.uniform(0, w, n)
        kind = rng.choice(len(LAND), n, p=[0.34, 0.28, 0.12, 0.16, 0.10])
        # nearest seed by brute force in row blocks (memory-bounded); on a coarser grid
        # (f x f cells) for the benchmark's large tiles
        f = max(1, math.ceil(math.sqrt(h * w / 1.5e6)))
        hc, wc = math.ceil(h / f), math.ceil(w / f)
        patch = np.empty((hc, wc), dtype=np.int32)
        cols = (np.arange(wc, dtype=np.float32) + 0.5) * f - 0.5
        for r0 in range(0, hc, 256):
            rows = ((np.arange(r0, min(hc, r0 + 256), dtype=np.float32) + 0.5) * f - 0.5)[:, None]
            best = np.full((len(rows), wc), np.inf, dtype=np.float32)
            out = np.zeros((len(rows), wc), dtype=np.int32)
            for i in range(n):
                d = (rows - sr[i]) ** 2 + (cols - sc[i]) ** 2
                closer = d < best
                best[closer] = d[closer]
                out[closer] = i
            patch[r0:r0 + len(rows)] = out
        if f > 1:
            patch = np.repeat(np.repeat(patch, f, axis=0), f, axis=1)[:h, :w]
        self.kind = kind[patch].astype(np.uint8)
        self.base = np.array([rng.uniform(*LAND[k][1]) for k in kind])[patch].astype(np.float32)
        self.gain = np.array([rng.uniform(*LAND[k][2]) for k in kind])[patch].astype(np.float32)
        self.bright = np.array([rng.uniform(*LAND[k][3]) for k in kind])[patch].astype(np.float32)
        self.scl = np.array([LAND[k][4] for k in range(len(LAND))], dtype=np.uint8)[self.kind]

    def ndvi(self, date: dt.date, r0, c0, h, w, rng):
        """NDVI and reflectance sum of the window, on `date`, with observation noise."""
        doy = date.timetuple().tm_yday
        phase = np.clip(math.sin(math.pi * (doy - 110) / 180), 0, 1)
        sl = (slice(r0, r0 + h), slice(c0, c0 + w))
        v = self.base[sl] + self.gain[sl] * phase + rng.normal(0, 0.05, (h, w)).astype(np.float32)
        s = self.bright[sl] * rng.uniform(0.9, 1.1, (h, w)).astype(np.float32)
        return np.clip(v, -0.9, 0.95), np.clip(s, 0.02, 1.2)


def to_dn(refl, scale, offset):
    return np.clip(np.rint((refl - offset) / scale), 1, 32767).astype(np.uint16)


def avoid_thresholds(red, nir, scale, offset):
    """Nudge NIR by +1 DN where one observation's NDVI lies within 1e-9 of 0.3 or of 0.0
    (integer DNs hit both exactly): no class hangs on the last bit of a division."""
    for _ in range(10):
        r = red.astype(np.float64) * scale + offset
        n = nir.astype(np.float64) * scale + offset
        with np.errstate(divide="ignore", invalid="ignore"):
            v = (n - r) / (n + r)
        near = (np.abs(v - 0.3) < 1e-9) | (np.abs(v) < 1e-9)
        if not near.any():
            return
        nir[near] += 1


def season_dates(k: int) -> list[dt.date]:
    a = dt.date.fromisoformat(f"{YEAR}-{SEASON[0]}")
    b = dt.date.fromisoformat(f"{YEAR}-{SEASON[1]}")
    if k == 1:
        return [a + (b - a) / 2]
    span = (b - a).days
    return [a + dt.timedelta(days=round(i * span / (k - 1))) for i in range(k)]


# ---------------------------------------------------------------- Sentinel-2 SAFE

SPECTRAL = [("B1", 60), ("B2", 10), ("B3", 10), ("B4", 10), ("B5", 20), ("B6", 20),
            ("B7", 20), ("B8", 10), ("B8A", 20), ("B9", 60), ("B10", 60), ("B11", 20),
            ("B12", 20)]


def mtd_msil2a(uri, start, gen, sat, orbit, granule_dir, files) -> str:
    image_files = "\n".join(f"                        <IMAGE_FILE>{granule_dir}/{f}</IMAGE_FILE>"
                            for f in files)
    offsets = "\n".join(f'        <BOA_ADD_OFFSET band_id="{i}">-1000</BOA_ADD_OFFSET>'
                        for i in range(13))
    spectral = "\n".join(
        f'        <Spectral_Information bandId="{i}" physicalBand="{b}">\n'
        f"          <RESOLUTION>{r}</RESOLUTION>\n        </Spectral_Information>"
        for i, (b, r) in enumerate(SPECTRAL))
    ds = f"S2{sat}_OPER_MSI_L2A_DS_2BPS_{gen}_S{start}_N05.10"
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-2A_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd">
    <n1:General_Info>
        <Product_Info>
            <PRODUCT_START_TIME>{iso(start)}</PRODUCT_START_TIME>
            <PRODUCT_STOP_TIME>{iso(start)}</PRODUCT_STOP_TIME>
            <PRODUCT_URI>{uri}</PRODUCT_URI>
            <PROCESSING_LEVEL>Level-2A</PROCESSING_LEVEL>
            <PRODUCT_TYPE>S2MSI2A</PRODUCT_TYPE>
            <PROCESSING_BASELINE>05.10</PROCESSING_BASELINE>
            <GENERATION_TIME>{iso(gen)}</GENERATION_TIME>
            <Datatake datatakeIdentifier="GS2{sat}_{start}_000000_N05.10">
                <SPACECRAFT_NAME>Sentinel-2{sat}</SPACECRAFT_NAME>
                <DATATAKE_TYPE>INS-NOBS</DATATAKE_TYPE>
                <DATATAKE_SENSING_START>{iso(start)}</DATATAKE_SENSING_START>
                <SENSING_ORBIT_NUMBER>{int(orbit[1:])}</SENSING_ORBIT_NUMBER>
                <SENSING_ORBIT_DIRECTION>DESCENDING</SENSING_ORBIT_DIRECTION>
            </Datatake>
            <Query_Options completeSingleTile="true">
                <PRODUCT_FORMAT>SAFE_COMPACT</PRODUCT_FORMAT>
            </Query_Options>
            <Product_Organisation>
                <Granule_List>
                    <Granule datastripIdentifier="{ds}" granuleIdentifier="S2{sat}_OPER_MSI_L2A_TL_2BPS_{gen}_{granule_dir.split('_')[2]}_{uri.split('_')[5]}_N05.10" imageFormat="JPEG2000">
{image_files}
                    </Granule>
                </Granule_List>
            </Product_Organisation>
        </Product_Info>
        <Product_Image_Characteristics>
            <Special_Values>
                <SPECIAL_VALUE_TEXT>NODATA</SPECIAL_VALUE_TEXT>
                <SPECIAL_VALUE_INDEX>0</SPECIAL_VALUE_INDEX>
            </Special_Values>
            <Special_Values>
                <SPECIAL_VALUE_TEXT>SATURATED</SPECIAL_VALUE_TEXT>
                <SPECIAL_VALUE_INDEX>65535</SPECIAL_VALUE_INDEX>
            </Special_Values>
            <QUANTIFICATION_VALUES_LIST>
                <BOA_QUANTIFICATION_VALUE unit="none">10000</BOA_QUANTIFICATION_VALUE>
                <AOT_QUANTIFICATION_VALUE unit="none">1000.0</AOT_QUANTIFICATION_VALUE>
                <WVP_QUANTIFICATION_VALUE unit="cm">1000.0</WVP_QUANTIFICATION_VALUE>
            </QUANTIFICATION_VALUES_LIST>
            <BOA_ADD_OFFSET_VALUES_LIST>
{offsets}
            </BOA_ADD_OFFSET_VALUES_LIST>
            <Spectral_Information_List>
{spectral}
            </Spectral_Information_List>
        </Product_Image_Characteristics>
    </n1:General_Info>
</n1:Level-2A_User_Product>
"""


def mtd_tl(tile_id, ds_id, sensing, epsg, ulx, uly, size) -> str:
    sizes = "\n".join(
        f'      <Size resolution="{r}">\n        <NROWS>{math.ceil(size * 10 / r)}</NROWS>\n'
        f"        <NCOLS>{math.ceil(size * 10 / r)}</NCOLS>\n      </Size>" for r in (10, 20, 60))
    geopos = "\n".join(
        f'      <Geoposition resolution="{r}">\n        <ULX>{ulx:.0f}</ULX>\n'
        f"        <ULY>{uly:.0f}</ULY>\n        <XDIM>{r}</XDIM>\n        <YDIM>-{r}</YDIM>\n"
        f"      </Geoposition>" for r in (10, 20, 60))
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<n1:Level-2A_Tile_ID xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/S2_PDI_Level-2A_Tile_Metadata.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="https://psd-14.sentinel2.eo.esa.int/PSD/S2_PDI_Level-2A_Tile_Metadata.xsd">
  <n1:General_Info>
    <TILE_ID metadataLevel="Brief">{tile_id}</TILE_ID>
    <DATASTRIP_ID metadataLevel="Standard">{ds_id}</DATASTRIP_ID>
    <DOWNLINK_PRIORITY metadataLevel="Standard">NOMINAL</DOWNLINK_PRIORITY>
    <SENSING_TIME metadataLevel="Standard">{iso(sensing)}</SENSING_TIME>
  </n1:General_Info>
  <n1:Geometric_Info>
    <Tile_Geocoding metadataLevel="Brief">
      <HORIZONTAL_CS_NAME>WGS84 / UTM zone 51N</HORIZONTAL_CS_NAME>
      <HORIZONTAL_CS_CODE>EPSG:{epsg}</HORIZONTAL_CS_CODE>
{sizes}
{geopos}
    </Tile_Geocoding>
  </n1:Geometric_Info>
</n1:Level-2A_Tile_ID>
"""


def iso(stamp: str) -> str:
    """20240601T023551 -> 2024-06-01T02:35:51.024Z"""
    return (f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:11]}:{stamp[11:13]}:"
            f"{stamp[13:15]}.024Z")


def write_jp2(path, arr, transform, nbits=None, block=1024):
    opts = dict(REVERSIBLE="YES", QUALITY=100, BLOCKXSIZE=min(block, arr.shape[1]),
                BLOCKYSIZE=min(block, arr.shape[0]))
    if nbits:
        opts["NBITS"] = nbits
    with rasterio.open(path, "w", driver="JP2OpenJPEG", width=arr.shape[1],
                       height=arr.shape[0], count=1, dtype=arr.dtype, crs=CRS,
                       transform=transform, **opts) as d:
        d.write(arr, 1)


def tile_layout(size):
    dx, dy = 2 * round(0.3 * size), 2 * round(0.125 * size)  # even: 20 m grids align too
    return {"T51TYM": (0, 0), "T51TYN": (dy, dx)}, size + dy, size + dx


def s2_scenes(k, outside):
    """[(date, tile, satellite)] of every product."""
    dates = season_dates(k)
    out = []
    for i, d in enumerate(dates):
        out.append((d, "T51TYM"))
        out.append((d + dt.timedelta(days=3) if (i == 1 and k > 2) else d, "T51TYN"))
    extra = [(dt.date(YEAR, 4, 24), "T51TYM"), (dt.date(YEAR, 10, 8), "T51TYN"),
             (dt.date(YEAR, 3, 30), "T51TYN"), (dt.date(YEAR, 11, 2), "T51TYM")]
    out += extra[:2 * outside] if outside > 1 else extra[:2] if outside == 1 else []
    return sorted(out)


def make_s2(out, rng, size, k, outside, land, keep_single):
    layout, H, W = tile_layout(size)
    os.makedirs(os.path.join(out, "s2"), exist_ok=True)
    rows, cols = np.mgrid[0:size, 0:size]
    products = []
    # physical clouds per date (virtual-grid coordinates), same on both tiles
    clouds = {}
    for n, (d, tile) in enumerate(s2_scenes(k, outside)):
        if d not in clouds:
            nc = int(rng.integers(1, 4))
            clouds[d] = [(rng.uniform(0, H), rng.uniform(0, W), rng.uniform(0.03, 0.09) * size)
                         for _ in range(nc)]
        r0, c0 = layout[tile]
        sat = "A" if d.toordinal() % 2 else "B"
        start = d.strftime("%Y%m%d") + "T023551"
        gen = d.strftime("%Y%m%d") + "T061223"
        orbit = ORBITS[tile]
        uri = f"S2{sat}_MSIL2A_{start}_N0510_{orbit}_{tile}_{gen}.SAFE"
        abs_orbit = 37000 + d.toordinal() % 1000
        granule = f"L2A_{tile}_A0{abs_orbit}_{d.strftime('%Y%m%d')}T024208"
        ulx, uly = X0 + c0 * 10.0, Y0 - r0 * 10.0
        t10 = Affine(10.0, 0.0, ulx, 0.0, -10.0, uly)
        t20 = Affine(20.0, 0.0, ulx, 0.0, -20.0, uly)

        ndvi, s = land.ndvi(d, r0, c0, size, size, rng)
        red = to_dn(s * (1 - ndvi) / 2, S2_SCALE, S2_OFFSET)
        nir = to_dn(s * (1 + ndvi) / 2, S2_SCALE, S2_OFFSET)
        avoid_thresholds(red, nir, S2_SCALE, S2_OFFSET)
        # SCL on 20 m: land type of the 10 m cell (2r, 2c)
        h2 = size // 2
        scl = land.scl[r0:r0 + size:2, c0:c0 + size:2][:h2, :h2].copy()
        r2, c2 = np.mgrid[0:h2, 0:h2]
        for (cr, cc, rad) in clouds[d]:
            lr, lc = (cr - r0) / 2, (cc - c0) / 2
            scl[disk(r2, c2, lr + rad / 4, lc - rad / 3, rad / 2.2)] = 3  # shadow
            scl[disk(r2, c2, lr, lc, rad / 2)] = 9
            scl[disk(r2, c2, lr, lc, rad / 3.2)] = 8
        scl[rng.random((h2, h2)) < 0.004] = 10
        scl[rng.random((h2, h2)) < 0.001] = 1
        for v in (2, 7, 11):
            scl[rng.random((h2, h2)) < 0.003] = v
        if tile == "T51TYM" and n % 3 == 1:  # a tile-only cloud in the overlap
            oy, ox = layout["T51TYN"]
            scl[disk(r2, c2, (oy + 0.35 * size) / 2, (ox + 0.2 * size) / 2, size / 30)] = 8
        # nodata wedge along one tile edge on some dates (DN 0 and SCL 0)
        wedge = None
        if n % 2 == 0:
            side = int(rng.integers(0, 4))
            a = rng.uniform(0.05, 0.25) * size
            slope = rng.uniform(-0.3, 0.3)
            coord = [cols, size - 1 - cols, rows, size - 1 - rows][side]
            other = [rows, rows, cols, cols][side]
            wedge = coord < a + slope * (other - size / 2)
            w2 = wedge[::2, ::2] & wedge[1::2, ::2] & wedge[::2, 1::2] & wedge[1::2, 1::2]
            scl[w2] = 0
            red[wedge] = 0
            nir[wedge] = 0
        # red-only / NIR-only dropouts under a clear SCL
        red[rng.random((size, size)) < 0.002] = 0
        nir[rng.random((size, size)) < 0.002] = 0
        if n == 2:  # a dark patch: reflectance sum <= 0, one cell exactly 0 + 0
            dark = disk(rows, cols, size * 0.6, size * 0.4, size / 40)
            red[dark] = rng.integers(850, 1000, int(dark.sum()))
            nir[dark] = rng.integers(900, 1001, int(dark.sum()))
            pr, pc = int(size * 0.6), int(size * 0.4)
            red[pr, pc] = nir[pr, pc] = 1000
            scl[pr // 2, pc // 2] = 4

        safe = os.path.join(out, "s2", uri)
        gdir = f"GRANULE/{granule}"
        img10 = os.path.join(safe, gdir, "IMG_DATA", "R10m")
        img20 = os.path.join(safe, gdir, "IMG_DATA", "R20m")
        os.makedirs(img10, exist_ok=True)
        os.makedirs(img20, exist_ok=True)
        stem = f"{tile}_{start}"
        files = [f"IMG_DATA/R10m/{stem}_B04_10m", f"IMG_DATA/R10m/{stem}_B08_10m",
                 f"IMG_DATA/R20m/{stem}_SCL_20m"]
        write_jp2(os.path.join(img10, f"{stem}_B04_10m.jp2"), red, t10, nbits=15)
        write_jp2(os.path.join(img10, f"{stem}_B08_10m.jp2"), nir, t10, nbits=15)
        write_jp2(os.path.join(img20, f"{stem}_SCL_20m.jp2"), scl, t20)
        with open(os.path.join(safe, "MTD_MSIL2A.xml"), "w") as f:
            f.write(mtd_msil2a(uri, start, gen, sat, orbit, gdir, files))
        ds_id = f"S2{sat}_OPER_MSI_L2A_DS_2BPS_{gen}_S{start}_N05.10"
        tile_id = f"S2{sat}_OPER_MSI_L2A_TL_2BPS_{gen}_A0{abs_orbit}_{tile}_N05.10"
        with open(os.path.join(safe, gdir, "MTD_TL.xml"), "w") as f:
            f.write(mtd_tl(tile_id, ds_id, start, 32651, ulx, uly, size))
        products.append({"id": uri[:-5], "date": d.isoformat(), "tile": tile,
                         "path": f"s2/{uri}", "row0": r0, "col0": c0})
        if keep_single is not None and keep_single(n, d, tile):
            write_single(out, red, nir, scl, t10, uri, d)
    return products, {"crs": CRS, "res": 10.0, "x0": X0, "y0": Y0, "width": W,
                      "height": H, "tile_size": size,
                      "tiles": {t: {"row0": r, "col0": c} for t, (r, c) in layout.items()}}


def write_single(out, red, nir, scl, t10, uri, d):
    """The bridge: one scene as classic GeoTIFFs (+ SCL upsampled to the 10 m grid)."""
    sd = os.path.join(out, "single")
    os.makedirs(sd, exist_ok=True)
    prof = dict(driver="GTiff", width=red.shape[1], height=red.shape[0], count=1,
                dtype="uint16", crs=CRS, transform=t10, nodata=0, tiled=True,
                blockxsize=256, blockysize=256, compress="deflate", predictor=2)
    for name, a in (("red.tif", red), ("nir.tif", nir)):
        with rasterio.open(os.path.join(sd, name), "w", **prof) as dst:
            dst.write(a, 1)
    up = np.repeat(np.repeat(scl, 2, axis=0), 2, axis=1)[:red.shape[0], :red.shape[1]]
    prof.update(dtype="uint8", nodata=None, predictor=1)
    with rasterio.open(os.path.join(sd, "scl_10m.tif"), "w", **prof) as dst:
        dst.write(up, 1)
    with open(os.path.join(sd, "audit_single.toml"), "w") as f:
        f.write(f"""# one scene ({uri}) as a classic single-raster audit (make_scenes.py)
audit_date = "{YEAR}-12-31"

[imagery]
classifier = "ndvi"
red_path = "red.tif"
nir_path = "nir.tif"
scale = 0.0001
offset = -0.1
restored_min_ndvi = 0.3
water_max_ndvi = 0.0
mask_path = "scl_10m.tif"
mask_preset = "scl"
{VECTORS.replace('path = "', 'path = "../')}""")
    with open(os.path.join(sd, "audit_single_composite.toml"), "w") as f:
        f.write(composite_toml(f"../s2/{uri}", "median", 1, (d.strftime("%m-%d"),) * 2,
                               vectors=VECTORS.replace('path = "', 'path = "../')))


def write_single_landsat(out, sc, vectors):
    """The Landsat bridge: one scene's own GeoTIFFs as a classic audit (QA_PIXEL with
    mask_preset qa_pixel, the MTL's scale and offset) and as a 1-scene season."""
    sd = os.path.join(out, "single")
    os.makedirs(sd, exist_ok=True)
    pid, d = sc["id"], dt.date.fromisoformat(sc["date"])
    up = vectors.replace('path = "', 'path = "../')
    with open(os.path.join(sd, "audit_single_landsat.toml"), "w") as f:
        f.write(f"""# one Landsat scene ({pid}) as a classic single-raster audit (make_scenes.py)
audit_date = "{YEAR}-12-31"

[imagery]
classifier = "ndvi"
red_path = "../landsat/{pid}/{pid}_SR_B4.TIF"
nir_path = "../landsat/{pid}/{pid}_SR_B5.TIF"
scale = 0.0000275
offset = -0.2
restored_min_ndvi = 0.3
water_max_ndvi = 0.0
mask_path = "../landsat/{pid}/{pid}_QA_PIXEL.TIF"
mask_preset = "qa_pixel"
{up}""")
    with open(os.path.join(sd, "audit_single_landsat_composite.toml"), "w") as f:
        f.write(composite_toml(f"../landsat/{pid}", "latest", 1, (d.strftime("%m-%d"),) * 2,
                               vectors=up))


# ---------------------------------------------------------------- Landsat C2 L2

def mtl_dict(pid, d, x0, y0, h, w):
    sat = pid[:4]
    base = f"{pid}"
    return {"LANDSAT_METADATA_FILE": {
        "PRODUCT_CONTENTS": {
            "ORIGIN": "Image courtesy of the U.S. Geological Survey",
            "DIGITAL_OBJECT_IDENTIFIER": "https://doi.org/10.5066/P9OGBGM6",
            "LANDSAT_PRODUCT_ID": pid, "PROCESSING_LEVEL": "L2SP",
            "COLLECTION_NUMBER": "02", "COLLECTION_CATEGORY": "T1", "OUTPUT_FORMAT": "GEOTIFF",
            "FILE_NAME_BAND_4": f"{base}_SR_B4.TIF", "FILE_NAME_BAND_5": f"{base}_SR_B5.TIF",
            "FILE_NAME_QUALITY_L1_PIXEL": f"{base}_QA_PIXEL.TIF",
            "FILE_NAME_METADATA_ODL": f"{base}_MTL.txt",
            "FILE_NAME_METADATA_XML": f"{base}_MTL.xml",
            "DATA_TYPE_BAND_4": "UINT16", "DATA_TYPE_BAND_5": "UINT16",
            "DATA_TYPE_QUALITY_L1_PIXEL": "UINT16"},
        "IMAGE_ATTRIBUTES": {
            "SPACECRAFT_ID": {"LC08": "LANDSAT_8", "LC09": "LANDSAT_9"}[sat],
            "SENSOR_ID": "OLI_TIRS", "WRS_TYPE": "2", "WRS_PATH": pid[10:13],
            "WRS_ROW": pid[13:16], "DATE_ACQUIRED": d.isoformat(),
            "SCENE_CENTER_TIME": "02:21:34.5781250Z", "CLOUD_COVER": "12.34"},
        "PROJECTION_ATTRIBUTES": {
            "MAP_PROJECTION": "UTM", "DATUM": "WGS84", "ELLIPSOID": "WGS84", "UTM_ZONE": "51",
            "GRID_CELL_SIZE_REFLECTIVE": "30.00", "REFLECTIVE_LINES": str(h),
            "REFLECTIVE_SAMPLES": str(w), "ORIENTATION": "NORTH_UP",
            # pixel centres, as in USGS MTLs
            "CORNER_UL_PROJECTION_X_PRODUCT": f"{x0 + 15:.3f}",
            "CORNER_UL_PROJECTION_Y_PRODUCT": f"{y0 - 15:.3f}",
            "CORNER_LR_PROJECTION_X_PRODUCT": f"{x0 + 30 * w - 15:.3f}",
            "CORNER_LR_PROJECTION_Y_PRODUCT": f"{y0 - 30 * h + 15:.3f}"},
        "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS": {
            **{f"REFLECTANCE_MULT_BAND_{b}": "2.75E-05" for b in range(1, 8)},
            **{f"REFLECTANCE_ADD_BAND_{b}": "-0.200000" for b in range(1, 8)}},
    }}


def mtl_txt(d: dict) -> str:
    lines = []

    def emit(name, v, ind):
        if isinstance(v, dict):
            lines.append("  " * ind + f"GROUP = {name}")
            for k2, v2 in v.items():
                emit(k2, v2, ind + 1)
            lines.append("  " * ind + f"END_GROUP = {name}")
        else:
            numeric = name.startswith(("REFLECTANCE_", "CORNER_", "GRID_", "REFLECTIVE_",
                                       "CLOUD_", "UTM_", "WRS_", "COLLECTION_NUMBER"))
            val = v if numeric or name == "DATE_ACQUIRED" else f'"{v}"'
            lines.append("  " * ind + f"{name} = {val}")

    for k, v in d.items():
        emit(k, v, 0)
    lines.append("END")
    return "\n".join(lines) + "\n"


QA_CLEAR_LAND, QA_CLEAR_WATER, QA_FILL = 21824, 21952, 1


def make_landsat(out, rng, land30, lsize):
    """Landsat scenes on a 30 m grid from X0, Y0 (virtual grid of `land30`)."""
    specs = [  # (product id, date, row0, col0, MTL kind)
        ("LC08_L2SP_118029_20240612_20240620_02_T1", dt.date(YEAR, 6, 12), 0, 0, "json"),
        ("LC09_L2SP_118029_20240706_20240712_02_T1", dt.date(YEAR, 7, 6), 0, 0, "txt"),
        ("LC08_L2SP_117029_20240723_20240801_02_T1", dt.date(YEAR, 7, 23),
         lsize // 5, lsize // 3, "txt"),
        ("LC09_L2SP_118029_20241017_20241023_02_T1", dt.date(YEAR, 10, 17), 0, 0, "txt"),
    ]
    rows, cols = np.mgrid[0:lsize, 0:lsize]
    scenes = []
    for n, (pid, d, r0, c0, kind) in enumerate(specs):
        ndvi, s = land30.ndvi(d, r0, c0, lsize, lsize, rng)
        red = to_dn(s * (1 - ndvi) / 2, LS_SCALE, LS_OFFSET)
        nir = to_dn(s * (1 + ndvi) / 2, LS_SCALE, LS_OFFSET)
        avoid_thresholds(red, nir, LS_SCALE, LS_OFFSET)
        qa = np.where(land30.kind[r0:r0 + lsize, c0:c0 + lsize] == 2, QA_CLEAR_WATER,
                      QA_CLEAR_LAND).astype(np.uint16)
        for _ in range(int(rng.integers(1, 3))):
            cr, cc, rad = rng.uniform(0, lsize), rng.uniform(0, lsize), rng.uniform(0.04, 0.1) * lsize
            qa[disk(rows, cols, cr + rad * 0.6, cc - rad * 0.5, rad * 0.8)] |= 1 << 4  # shadow
            qa[disk(rows, cols, cr, cc, rad)] |= (1 << 1)  # dilated
            core = disk(rows, cols, cr, cc, rad * 0.7)
            qa[core] = (qa[core] | (1 << 3) | (3 << 8)) & ~np.uint16(1 << 6)
        qa[rng.random((lsize, lsize)) < 0.003] |= 1 << 2  # cirrus
        qa[rng.random((lsize, lsize)) < 0.002] |= 1 << 5  # snow
        qa[rng.random((lsize, lsize)) < 0.01] |= 3 << 8  # high confidence bits only: clear
        qa[rng.random((lsize, lsize)) < 0.01] |= 1 << 7  # water bit only: clear
        # the scan-edge fill (Landsat's tilted swath): DN 0 and QA fill
        fill = (cols + 0.25 * rows < lsize * 0.06) | (cols - 0.25 * rows > lsize * 0.88)
        red[fill] = nir[fill] = 0
        qa[fill] = QA_FILL
        red[rng.random((lsize, lsize)) < 0.002] = 0
        nir[rng.random((lsize, lsize)) < 0.002] = 0
        if n == 0:
            dark = disk(rows, cols, lsize * 0.5, lsize * 0.6, lsize / 40)
            lo = int(round(0.2 / LS_SCALE))  # DN of reflectance 0 = 7273 (7272.7)
            red[dark] = rng.integers(lo - 300, lo, int(dark.sum()))
            nir[dark] = rng.integers(lo - 300, lo + 1, int(dark.sum()))
        sd = os.path.join(out, "landsat", pid)
        os.makedirs(sd, exist_ok=True)
        x0, y0 = X0 + 30.0 * c0, Y0 - 30.0 * r0
        prof = dict(driver="GTiff", width=lsize, height=lsize, count=1, dtype="uint16",
                    crs=CRS, transform=Affine(30.0, 0, x0, 0, -30.0, y0), tiled=True,
                    blockxsize=256, blockysize=256, compress="deflate", predictor=2)
        for name, a, nod in (("SR_B4", red, 0), ("SR_B5", nir, 0), ("QA_PIXEL", qa, 1)):
            with rasterio.open(os.path.join(sd, f"{pid}_{name}.TIF"), "w", nodata=nod,
                               **prof) as dst:
                dst.write(a, 1)
        meta = mtl_dict(pid, d, x0, y0, lsize, lsize)
        if kind == "json":
            with open(os.path.join(sd, f"{pid}_MTL.json"), "w") as f:
                json.dump(meta, f, indent=4)
        else:
            with open(os.path.join(sd, f"{pid}_MTL.txt"), "w") as f:
                f.write(mtl_txt(meta))
        scenes.append({"id": pid, "date": d.isoformat(), "path": f"landsat/{pid}",
                       "row0": r0, "col0": c0})
    W = max(c0 for *_, c0, _ in specs) + lsize
    H = max(r0 for *_, r0, _, _ in specs) + lsize
    return scenes, {"crs": CRS, "res": 30.0, "x0": X0, "y0": Y0, "width": W, "height": H}


# ---------------------------------------------------------------- vectors

def star(rng, cx, cy, r, n=None, amp=0.35):
    from shapely.geometry import Polygon
    n = n or int(rng.integers(8, 24))
    ang = np.sort(rng.uniform(0, 2 * math.pi, n))
    rad = r * (1 + amp * rng.uniform(-1, 1, n))
    p = Polygon(list(zip(cx + rad * np.cos(ang), cy + rad * np.sin(ang))))
    return p if p.is_valid else p.convex_hull


def make_pits(rng, grid, anchors, n_random, prefix):
    """Pits on the anchors (points that must be crossed) and at random."""
    from shapely.geometry import MultiPolygon, Polygon, box
    xmax = grid["x0"] + grid["width"] * grid["res"]
    ymin = grid["y0"] - grid["height"] * grid["res"]
    span = min(xmax - grid["x0"], grid["y0"] - ymin)
    rmax = max(40.0, span / 60)
    geoms = []
    for (x, y) in anchors:
        geoms.append(star(rng, x + rng.uniform(-10, 10), y + rng.uniform(-10, 10),
                          rng.uniform(0.5, 1.0) * rmax))
    for i in range(n_random):
        cx, cy = rng.uniform(grid["x0"], xmax), rng.uniform(ymin, grid["y0"])
        g = star(rng, cx, cy, rng.uniform(0.3, 1.0) * rmax)
        if i % 5 == 1:  # a hole
            h = star(rng, cx, cy, 0.2 * rmax, amp=0.1)
            if h.within(g):
                g = Polygon(g.exterior.coords, [h.exterior.coords])
        if i % 7 == 3:  # a MultiPolygon
            q = star(rng, cx + 3 * rmax, cy, 0.5 * rmax)
            if not q.intersects(g):
                g = MultiPolygon([g, q])
        geoms.append(g)
    # overlapping pits (smaller id keeps shared land), one on cell corners, one beyond
    g0 = geoms[-1]
    c = g0.centroid
    geoms.append(star(rng, c.x + 0.6 * rmax, c.y, 0.6 * rmax))
    x, y = grid["x0"] + 0.37 * (xmax - grid["x0"]), grid["y0"] - 0.41 * (grid["y0"] - ymin)
    x, y = grid["x0"] + round((x - grid["x0"]) / 30) * 30, grid["y0"] - round((grid["y0"] - y) / 30) * 30
    geoms.append(box(x, y, x + 90, y + 60))
    geoms.append(box(xmax + 300, ymin + 500, xmax + 380, ymin + 560))
    ids = rng.permutation(np.arange(1, len(geoms) + 1))
    return [(f"{prefix}-{n}", g) for n, g in zip(ids, geoms)]


def write_pits(path, pits):
    import fiona
    from shapely.geometry import mapping
    schema = {"geometry": "Polygon", "properties": {"TBBH": "str:16", "LX": "str:16"}}
    with fiona.open(path, "w", driver="ESRI Shapefile", crs=CRS, schema=schema,
                    encoding="utf-8") as dst:
        for pid, g in pits:
            dst.write({"geometry": mapping(g), "properties": {"TBBH": pid, "LX": "open pit"}})


def make_licences(rng, grid):
    from shapely.geometry import Polygon
    xmax = grid["x0"] + grid["width"] * grid["res"]
    ymin = grid["y0"] - grid["height"] * grid["res"]
    wx, wy = xmax - grid["x0"], grid["y0"] - ymin

    def q(fx0, fy0, fx1, fy1):
        pts = [(fx0, fy0), (fx1, fy0), (fx1, fy1), (fx0, fy1)]
        return Polygon([(grid["x0"] + (fx + rng.uniform(-0.01, 0.01)) * wx,
                         grid["y0"] - (fy + rng.uniform(-0.01, 0.01)) * wy) for fx, fy in pts])

    table = [
        ("C001", "伊通县鑫源矿业有限公司", "Valid", "2027-06-30", q(0.05, 0.05, 0.45, 0.40)),
        ("C002", "伊通县宏达采石场", "expired", "2029-12-31", q(0.35, 0.30, 0.70, 0.60)),
        ("C003", "四平市金石建材有限公司", "valid", "2030-01-01", q(0.55, 0.10, 0.95, 0.45)),
        ("C004", "伊通县营城子镇砂石厂", "Valid", "2026-05-01", q(0.60, 0.40, 0.98, 0.85)),
        ("C005", "伊通县景台镇采石场", "suspended", "", q(0.05, 0.55, 0.40, 0.95)),
        ("C006", "伊通县已吊销矿山", "revoked", "2031-12-31", q(0.25, 0.65, 0.65, 0.98)),
        ("L7", "Jilin Quarry Co.", "valid", "2028-01-01", q(0.42, 0.02, 0.62, 0.25)),
        ("L8", "", "valid", "2029-09-30", q(0.80, 0.02, 0.99, 0.20)),
        ("L10", "Yitong Stone, Inc.", "Expired", "", q(0.15, 0.35, 0.32, 0.62)),
    ]
    return [({"XKZH": a, "CKQR": b, "ZT": c, "YXQZ": d}, g) for a, b, c, d, g in table]


def write_licences(path, lics):
    import fiona
    from shapely.geometry import mapping
    schema = {"geometry": "Polygon", "properties": {"XKZH": "str:20", "CKQR": "str:80",
                                                     "ZT": "str:12", "YXQZ": "str:10"}}
    with fiona.open(path, "w", driver="ESRI Shapefile", crs=CRS, schema=schema,
                    encoding="utf-8") as dst:
        for p, g in lics:
            dst.write({"geometry": mapping(g), "properties": p})


VECTORS = """
[pits]
path = "pits.shp"
id_field = "TBBH"
kind_field = "LX"
repair_geometry = true

[licenses]
path = "licenses.shp"
id_field = "XKZH"
holder_field = "CKQR"
status_field = "ZT"
valid_to_field = "YXQZ"
"""


def composite_toml(scenes, rule, min_clear, season=SEASON, vectors=VECTORS,
                   collection=None) -> str:
    sc = scenes if isinstance(scenes, list) else [scenes]
    src = (f"collection = {json.dumps(collection)}" if collection
           else f"scenes = {json.dumps(sc)}")
    return f"""# seasonal composite audit (written by benches/composite/make_scenes.py)
audit_date = "{YEAR}-12-31"

[imagery]
classifier = "ndvi"
{src}
season = {json.dumps(list(season))}
composite = "{rule}"
min_clear = {min_clear}
restored_min_ndvi = 0.3
water_max_ndvi = 0.0
{vectors}"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=20240930)
    ap.add_argument("--size", type=int, default=600, help="S2 tile size, cells (even)")
    ap.add_argument("--scenes", type=int, default=6, help="in-season dates per S2 tile")
    ap.add_argument("--outside", type=int, default=1, help="out-of-season dates per tile")
    ap.add_argument("--no-landsat", action="store_true")
    ap.add_argument("--no-vectors", action="store_true",
                    help="imagery only (the benchmark writes its own pits)")
    args = ap.parse_args()
    if args.size % 2:
        ap.error("--size must be even (the 20 m SCL covers 2 x 2 cells)")
    out = args.outdir
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(args.seed)

    layout, H, W = tile_layout(args.size)
    land = Land(rng, H, W, 10.0)
    single_date = season_dates(args.scenes)[min(2, args.scenes - 1)]
    products, grid = make_s2(out, rng, args.size, args.scenes, args.outside, land,
                             lambda n, d, tile: d == single_date and tile == "T51TYM")
    meta = {"seed": args.seed, "size": args.size, "scenes_per_tile": args.scenes,
            "season": [f"{YEAR}-{SEASON[0]}", f"{YEAR}-{SEASON[1]}"], "s2_grid": grid,
            "s2_products": products, "single_scene_date": single_date.isoformat()}

    lsize = max(60, args.size // 3)
    if not args.no_landsat:
        land30 = Land(rng, lsize + lsize // 5, lsize + lsize // 3, 30.0)
        lscenes, lgrid = make_landsat(out, rng, land30, lsize)
        meta.update(landsat_grid=lgrid, landsat_scenes=lscenes)

    if not args.no_vectors:
        res = 10.0
        xs = lambda c: X0 + c * res  # noqa: E731
        ys = lambda r: Y0 - r * res  # noqa: E731
        S = args.size
        ny, nx = layout["T51TYN"]
        anchors = [  # tile edges inside the union, the overlap, corners of no data
            (xs(nx), ys(ny + 0.5 * S)), (xs(S), ys(0.6 * S)), (xs(0.5 * S), ys(S)),
            (xs(nx + 0.5 * S), ys(ny)), (xs(nx + 0.2 * S), ys(ny + 0.35 * S)),
            (xs(nx + 0.1 * S), ys(ny + 0.5 * S)), (xs(W - 1), ys(5)), (xs(5), ys(H - 5)),
            (xs(0.4 * S), ys(0.6 * S)), (xs(W), ys(0.5 * H)), (xs(0.5 * S), ys(0)),
        ]
        pits = make_pits(rng, grid, anchors, 30, "YT")
        write_pits(os.path.join(out, "pits.shp"), pits)
        lics = make_licences(rng, grid)
        write_licences(os.path.join(out, "licenses.shp"), lics)
        configs = {"audit.toml": ("median", 1), "audit_max.toml": ("max", 1),
                   "audit_latest.toml": ("latest", 1), "audit_median_min3.toml": ("median", 3)}
        for name, (rule, mc) in configs.items():
            with open(os.path.join(out, name), "w") as f:
                f.write(composite_toml(["s2/*.SAFE"], rule, mc))
        with open(os.path.join(out, "audit_collection.toml"), "w") as f:
            f.write(composite_toml(None, "median", 1, collection="s2"))
        meta["configs"] = list(configs) + ["audit_collection.toml"]
        if not args.no_landsat:
            lg = meta["landsat_grid"]
            la = [(X0 + 30 * lsize, Y0 - 30 * lsize * 0.5), (X0 + 30 * (lsize // 3), Y0 - 30 * lsize * 0.6),
                  (X0 + 30 * lsize * 0.5, Y0 - 30 * (lsize // 5)), (X0 + 30 * lsize * 0.05, Y0 - 30 * lsize * 0.5)]
            lpits = make_pits(rng, lg, la, 16, "LS")
            write_pits(os.path.join(out, "pits_landsat.shp"), lpits)
            lv = VECTORS.replace('"pits.shp"', '"pits_landsat.shp"')
            write_single_landsat(out, meta["landsat_scenes"][1], lv)
            for name, rule in (("audit_landsat.toml", "median"),
                               ("audit_landsat_latest.toml", "latest")):
                with open(os.path.join(out, name), "w") as f:
                    f.write(composite_toml(["landsat/*"], rule, 1, vectors=lv))
                meta["configs"].append(name)
    with open(os.path.join(out, "scene.json"), "w") as f:
        json.dump(meta, f, indent=2, ensure_ascii=False)
        f.write("\n")
    n_ls = len(meta.get("landsat_scenes", []))
    print(f"wrote {len(products)} S2 products ({args.size}^2 cells per tile, virtual grid "
          f"{W} x {H}), {n_ls} Landsat scenes to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
