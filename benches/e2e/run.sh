#!/usr/bin/env bash
# End-to-end speed comparison (see docs/performance.md): make the county scene with
# GDAL (rasterio) in a venv, then time reclaim against exactextract, rasterstats and a
# Python audit workflow, as whole processes, alternating, median of the rounds.
#
#   RECLAIM_BENCH_VENV  venv (default $HOME/.cache/reclaim-bench-venv): the conformance
#                       wheels (benches/conformance/setup_venv.sh) + requirements.txt
#   SCENE_DIR           where the scene is written / reused (default /tmp/reclaim-county)
#   REPEATS             rounds (default 5)
#   MARKDOWN            also write the result table to this file
#   extra arguments go to make_county.py (e.g. --pits 2000)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${RECLAIM_BENCH_VENV:-$HOME/.cache/reclaim-bench-venv}"
RECLAIM_VENV="$venv" "$repo/benches/conformance/setup_venv.sh" >/dev/null
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
    -r "$here/requirements.txt" >&2
py="$venv/bin/python"

(cd "$repo" && cargo build --release --quiet -p reclaim-cli -p reclaim-benches --bins)
target="${CARGO_TARGET_DIR:-$repo/target}/release"

scene="${SCENE_DIR:-/tmp/reclaim-county}"
if [[ ! -f "$scene/audit.toml" ]]; then
    "$py" "$here/make_county.py" "$scene" "$@"
fi
md_args=()
if [[ -n "${MARKDOWN:-}" ]]; then md_args=(--markdown "$MARKDOWN"); fi
"$py" "$here/bench.py" --scene "$scene" --reclaim "$target/reclaim" \
    --reclaim-bench "$target/reclaim-bench" --repeats "${REPEATS:-5}" "${md_args[@]}"
