#!/usr/bin/env bash
# Check an audit folder's GIS files with real GIS tools (GDAL/OGR, Fiona, Shapely):
# results.gpkg and every shapefile in shapefiles/ open, their CRS is the audit's
# (summary.json's provenance.crs), every geometry is valid, each piece's polygon
# has the area attribution.csv gives it, and the figures add up to summary.json.
#
# usage: scripts/check_gis.sh AUDIT_DIR
# needs: gdal-bin python3-fiona python3-shapely (Debian packages; apt's python3)
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 AUDIT_DIR" >&2
    exit 2
fi
dir=$1
for f in summary.json results.gpkg shapefiles; do
    if [ ! -e "$dir/$f" ]; then
        echo "error: $dir/$f: no such file" >&2
        exit 2
    fi
done

# The Debian packages install into the system python, not a pyenv/venv one.
py=${PYTHON:-}
if [ -z "$py" ]; then
    for cand in /usr/bin/python3 python3; do
        if "$cand" -c 'import fiona, shapely' >/dev/null 2>&1; then
            py=$cand
            break
        fi
    done
fi
if [ -z "$py" ]; then
    echo "error: no python3 with fiona and shapely (apt-get install python3-fiona python3-shapely)" >&2
    exit 2
fi

echo "--- ogrinfo -so -al results.gpkg (first lines of each layer)"
ogrinfo -ro -so -al "$dir/results.gpkg" | grep -E '^(Layer name|Geometry|Feature Count|Extent):'
for shp in "$dir"/shapefiles/*.shp; do
    echo "--- ogrinfo -so -al $(basename "$shp")"
    ogrinfo -ro -so -al "$shp" | grep -E '^(Layer name|Geometry|Feature Count):'
done
# OGR's SQLite dialect on the GeoPackage: no feature without a geometry.
for layer in pieces pits mines orphans; do
    n=$(ogrinfo -ro -q "$dir/results.gpkg" -dialect SQLite \
        -sql "SELECT count(*) AS n FROM $layer WHERE geom IS NULL" | sed -n 's/.*n (Integer) = //p')
    if [ "$n" != "0" ]; then
        echo "error: $layer: $n features without geometry" >&2
        exit 1
    fi
done

"$py" - "$dir" <<'EOF'
import csv, json, math, os, sys
import fiona
from shapely.geometry import shape

d = sys.argv[1]
summary = json.load(open(os.path.join(d, "summary.json"), encoding="utf-8"))
crs = summary["provenance"]["crs"]
epsg = int(crs.split(":")[1]) if crs.upper().startswith("EPSG:") else None
errors = []

def err(msg):
    errors.append(msg)
    print("FAIL:", msg)

def close(what, got, want, tol=1e-6):
    if not (abs(got - want) <= tol):
        err(f"{what}: {got!r} vs {want!r}")

def table(name):
    with open(os.path.join(d, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))

# Short .dbf names of the long columns (docs/gis.md).
SHORT = {"restored_ha": "restored", "unrestored_ha": "unrestored", "unobserved_ha": "unobserved"}

def read(path, layer=None):
    with fiona.open(path, layer=layer) as src:
        got = src.crs.to_epsg() if src.crs else None
        if epsg is not None and got != epsg:
            err(f"{path}:{layer or ''}: CRS EPSG:{got}, summary.json says {crs}")
        feats = list(src)
    for i, f in enumerate(feats):
        g = shape(f["geometry"]) if f["geometry"] else None
        if g is None or g.is_empty:
            err(f"{path}:{layer or ''}: feature {i} has no geometry")
        elif not g.is_valid:
            err(f"{path}:{layer or ''}: feature {i} is not valid")
    return feats

gpkg = os.path.join(d, "results.gpkg")
layers = [l for l in fiona.listlayers(gpkg) if l != "layer_styles"]
expected = ["pieces", "pits", "mines", "orphans"] + (["candidates"] if "discovery" in summary else [])
if sorted(layers) != sorted(expected):
    err(f"results.gpkg layers {layers}, expected {expected}")

att, pits, mines = table("attribution.csv"), table("pits.csv"), table("mines.csv")
for source, get in [
    ("results.gpkg", lambda name: read(gpkg, name)),
    ("shapefiles", lambda name: read(os.path.join(d, "shapefiles", name + ".shp"))),
]:
    field = (lambda c: c) if source == "results.gpkg" else (lambda c: SHORT.get(c, c))
    pieces = get("pieces")
    if len(pieces) != len(att):
        err(f"{source} pieces: {len(pieces)} features, attribution.csv {len(att)} rows")
    for i, (f, row) in enumerate(zip(pieces, att)):
        close(f"{source} piece {i} area", shape(f["geometry"]).area / 1e4, float(row["total_ha"]))
        close(f"{source} piece {i} restored", f["properties"][field("restored_ha")], float(row["restored_ha"]), 1e-9)
    for k in ["restored_ha", "unrestored_ha"]:
        close(f"{source} pieces {k} sum", sum(f["properties"][field(k)] for f in pieces), summary[k])
    legacy = sum(f["properties"][field("unrestored_ha")] for f in pieces
                 if f["properties"][field("responsibility") if source == "results.gpkg" else "resp"] == "legacy")
    close(f"{source} legacy unrestored", legacy, summary["unrestored_legacy_ha"])
    p = get("pits")
    if len(p) != len(pits):
        err(f"{source} pits: {len(p)} features, pits.csv {len(pits)} rows")
    close(f"{source} pits total", sum(f["properties"]["total_ha"] for f in p), summary["footprint_ha"])
    for i, (f, row) in enumerate(zip(p, pits)):
        # The layers keep full precision; pits.csv rounds to 0.01 ha.
        own = f["properties"][field("polygon_ha")]
        close(f"{source} pit {i} polygon", shape(f["geometry"]).area / 1e4, own)
        close(f"{source} pit {i} polygon vs pits.csv", own, float(row["polygon_ha"]), 0.005 + 1e-9)
    m = get("mines")
    if len(m) != len(mines) or len(m) != summary["license_count"]:
        err(f"{source} mines: {len(m)} features, mines.csv {len(mines)} rows, summary {summary['license_count']}")
    o = get("orphans")
    if len(o) != summary["orphan_piece_count"]:
        err(f"{source} orphans: {len(o)} features, summary {summary['orphan_piece_count']}")
    if "discovery" in summary:
        c = get("candidates")
        if len(c) != summary["discovery"]["count"]:
            err(f"{source} candidates: {len(c)}, summary {summary['discovery']['count']}")
        close(f"{source} candidates area", sum(f["properties"]["area_ha"] for f in c), summary["discovery"]["area_ha"])
    print(f"{source}: {len(pieces)} pieces, {len(p)} pits, {len(m)} mines, {len(o)} orphans: ok" if not errors else f"{source}: checked")

for name in os.listdir(os.path.join(d, "shapefiles")):
    if name.endswith(".cpg"):
        enc = open(os.path.join(d, "shapefiles", name)).read().strip()
        if enc not in ("UTF-8", "GBK"):
            err(f"{name}: {enc!r}")

if errors:
    print(f"{len(errors)} problem(s)", file=sys.stderr)
    sys.exit(1)
print(f"GIS files of {d}: CRS {crs}, geometries valid, figures reconcile with summary.json")
EOF
