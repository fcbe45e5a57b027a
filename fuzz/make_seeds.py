#!/usr/bin/env python3
"""Rebuilds fuzz/seeds/ from the shared corpus and the project's vector fixtures.

Run from anywhere: python3 fuzz/make_seeds.py [CORPUS]. CORPUS defaults to
../../shared/corpus relative to this file (or $RECLAIM_CORPUS). Provenance of every
corpus file is in the corpus MANIFEST.tsv; see fuzz/README.md.
"""
import os
import pathlib
import shutil
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = pathlib.Path(
    sys.argv[1] if len(sys.argv) > 1
    else os.environ.get("RECLAIM_CORPUS", ROOT / ".." / "shared" / "corpus")
).resolve()
FIXTURES = ROOT / "testdata" / "vector"
SEEDS = HERE / "seeds"

TIFFS = [
    "image-tiff/seq-1c-16b-bigendian-68f373a0.tiff",
    "image-tiff/seq-1c-16b-tiled-68f373a0.tiff",
    "image-tiff/seq-1c-32f-deflate-fpredict-390fe673.tiff",
    "image-tiff/seq-1c-8b-lzw-hpredict-20f3db0c.tiff",
    "image-tiff/seq-1c-8b-packbits-20f3db0c.tiff",
    "image-tiff/seq-1c-8b-tiled-bigtiff-20f3db0c.tiff",
    "image-tiff/seq-3c-16b-bigtiff-1b40ca6e.tiff",
    "image-tiff/seq-3c-8b-tiled-8743c999.tiff",
    "image-tiff/geo-5b.tif",
    "image-tiff/int16_zstd.tif",
    "image-tiff/issue_69_lzw.tiff",
    "rasterio/byte.tif",
    "rasterio/float.tif",
    "rasterio/float32.tif",
    "rasterio/float_nan.tif",
    "rasterio/rotated.tif",
    "rasterio/test_esri_wkt.tif",
    "rasterio/float_raster_with_nodata.tif",
    "rasterio/all-nodata.tif",
    "eo-learn/import-tiff-test2.tiff",
    "georust-geotiff/austrian_capitals_model_transformation_pixel_is_area.tif",
    "georust-geotiff/austrian_capitals_model_tie_points_pixel_is_point.tif",
    "rio-tiler/cog_uint8_rgb_nodata.tif",
    "rio-tiler/cog_gradient.tif",
    "rasterframes/m_3607_box.tif",
]
GEOJSONS = [
    "eo-learn/bbox.geojson",
    "georust-gdal/null_feature_fields.geojson",
    "rasterframes/L8-Labels-Elkton-VA.geojson",
    "rasterframes/example.geojson",
]
FIXTURE_GEOJSONS = [
    "legacy_crs.geojson",
    "lonlat.geojson",
    "malformed/bad_crs.geojson",
    "malformed/three_positions.geojson",
    "malformed/unclosed.geojson",
]
# (directory, stem) of shapefiles: corpus ones first, then fixtures.
SHAPEFILES = [
    (CORPUS / "rasterio", "box"),
    (CORPUS / "mapshaper" / "cpg", "big5"),
    (CORPUS / "mapshaper" / "ldid", "chinese"),
    (FIXTURES, "gbk_pits"),
    (FIXTURES, "gb18030_pit"),
    (FIXTURES / "malformed", "null_shape"),
    (FIXTURES / "malformed", "count_mismatch"),
]


def seed_name(rel):
    return rel.replace("/", "__")


def shapefile_bundle(shp, dbf, prj):
    """The shapefile target's input: u32 len + .shp, u32 len + .dbf, then .prj text."""
    return struct.pack("<I", len(shp)) + shp + struct.pack("<I", len(dbf)) + dbf + prj


def main():
    if SEEDS.exists():
        shutil.rmtree(SEEDS)
    for t in ("geotiff", "dbf", "shapefile", "geojson"):
        (SEEDS / t).mkdir(parents=True)
    for rel in TIFFS:
        shutil.copyfile(CORPUS / rel, SEEDS / "geotiff" / seed_name(rel))
    for rel in GEOJSONS:
        shutil.copyfile(CORPUS / rel, SEEDS / "geojson" / seed_name(rel))
    for rel in FIXTURE_GEOJSONS:
        shutil.copyfile(FIXTURES / rel, SEEDS / "geojson" / ("fixture__" + seed_name(rel)))
    for folder, stem in SHAPEFILES:
        shp = (folder / f"{stem}.shp").read_bytes()
        dbf = (folder / f"{stem}.dbf").read_bytes()
        prj_path = folder / f"{stem}.prj"
        prj = prj_path.read_bytes() if prj_path.exists() else b""
        (SEEDS / "shapefile" / f"{stem}.bin").write_bytes(shapefile_bundle(shp, dbf, prj))
        shutil.copyfile(folder / f"{stem}.dbf", SEEDS / "dbf" / f"{stem}.dbf")
    total = sum(p.stat().st_size for p in SEEDS.rglob("*") if p.is_file())
    print(f"seeds: {total} bytes")
    assert total < 2 * 1024 * 1024


if __name__ == "__main__":
    main()
