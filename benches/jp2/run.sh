#!/usr/bin/env bash
# JPEG 2000 decode benchmark: reclaim (per-tile, rayon) vs GDAL/OpenJPEG, 2 threads.
# Usage: benches/jp2/run.sh [DIR]   (default /tmp/s2b; needs gdal_translate and a
# Python with numpy + rasterio in $PY, default ~/.cache/reclaim-venv/bin/python)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-/tmp/s2b}
py=${PY:-$HOME/.cache/reclaim-venv/bin/python}
mkdir -p "$dir"
if [ ! -f "$dir/b04.jp2" ]; then
  "$py" "$here/make_s2_band.py" "$dir"
  gdal_translate -q -of JP2OpenJPEG -co REVERSIBLE=YES -co QUALITY=100 -co NBITS=15 \
    -co BLOCKXSIZE=1024 -co BLOCKYSIZE=1024 -co TLM=YES "$dir/b04.tif" "$dir/b04.jp2"
fi
cargo build --release -q -p reclaim-benches --bin jp2-bench
bin=$(cd "$here/../.." && pwd)/target/release/jp2-bench
uptime
for _ in 1 2; do
  /usr/bin/time -f "reclaim %U user %S sys %e wall %M maxrss_kb" "$bin" "$dir/b04.jp2" 2
  GDAL_NUM_THREADS=2 /usr/bin/time -f "rasterio %U user %S sys %e wall %M maxrss_kb" \
    "$py" "$here/gdal_read.py" "$dir/b04.jp2"
  GDAL_NUM_THREADS=2 /usr/bin/time -f "gdal_translate %U user %S sys %e wall %M maxrss_kb" \
    gdal_translate -q -of GTiff "$dir/b04.jp2" "$dir/out.tif"
  rm -f "$dir/out.tif"
done
uptime
