#!/usr/bin/env bash
# Seasonal-composite conformance (see README.md): make_scenes.py -> compare.py.
# Steps: venv (../conformance/setup_venv.sh) -> build reclaim (unless RECLAIM_BIN) ->
# make_scenes.py -> compare.py (bridge: single-raster audit of one scene vs the 1-scene
# reference; composite: every composite config vs reference.py).
# Exit status: 0 agree, 1 mismatch, 2 setup error, 3 composite step skipped because
# reclaim's `audit` does not know `scenes` yet (the bridge still ran and passed).
#
#   RECLAIM_BIN      use this reclaim binary instead of building one
#   RECLAIM_VENV     venv path (default: $HOME/.cache/reclaim-venv)
#   COMPOSITE_SEED   seed for make_scenes.py (default: the script's own)
#   KEEP_DIR         keep the scene, reclaim's outputs and the reference rasters/CSVs here
#   extra arguments are passed to compare.py (e.g. --configs audit.toml)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

venv="$("$here/../conformance/setup_venv.sh" | tail -n 1)"
py="$venv/bin/python"

if [[ -n "${RECLAIM_BIN:-}" ]]; then
    bin="$RECLAIM_BIN"
else
    (cd "$repo" && cargo build --release --quiet -p reclaim-cli)
    bin="${CARGO_TARGET_DIR:-$repo/target}/release/reclaim"
fi
if [[ ! -x "$bin" ]]; then
    echo "composite: no reclaim binary at $bin" >&2
    exit 2
fi

if [[ -n "${KEEP_DIR:-}" ]]; then
    work="$KEEP_DIR"
    mkdir -p "$work"
else
    work="$(mktemp -d -t reclaim-composite.XXXXXX)"
    trap 'rm -rf "$work"' EXIT
fi

seed_args=()
if [[ -n "${COMPOSITE_SEED:-}" ]]; then seed_args=(--seed "$COMPOSITE_SEED"); fi
"$py" "$here/make_scenes.py" "$work/scene" "${seed_args[@]}"
keep_args=()
if [[ -n "${KEEP_DIR:-}" ]]; then keep_args=(--keep "$work/out"); fi
"$py" "$here/compare.py" --reclaim "$bin" --scene "$work/scene" "${keep_args[@]}" "$@"
