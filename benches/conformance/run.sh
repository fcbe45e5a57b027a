#!/usr/bin/env bash
# End-to-end conformance check of `reclaim zonal` against exactextract (see README.md).
# What CI calls. Steps: venv (setup_venv.sh) -> build reclaim (unless RECLAIM_BIN is set)
# -> write the scenes into a temp dir -> compare.py. Exit status is compare.py's.
#
#   RECLAIM_BIN    use this reclaim binary instead of building one
#   RECLAIM_VENV   venv path (default: $HOME/.cache/reclaim-venv)
#   SCENE_SEED     seed for make_scene.py (default: the script's own)
#   KEEP_DIR       if set, keep the scene and all CSVs (reclaim, exactextract, GEOS) there
#   extra arguments are passed to compare.py (e.g. --only classes_tiled)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

venv="$("$here/setup_venv.sh" | tail -n 1)"
py="$venv/bin/python"

if [[ -n "${RECLAIM_BIN:-}" ]]; then
    bin="$RECLAIM_BIN"
else
    (cd "$repo" && cargo build --release --quiet -p reclaim-cli)
    target_dir="${CARGO_TARGET_DIR:-$repo/target}"
    bin="$target_dir/release/reclaim"
fi
if [[ ! -x "$bin" ]]; then
    echo "conformance: no reclaim binary at $bin" >&2
    exit 2
fi

if [[ -n "${KEEP_DIR:-}" ]]; then
    work="$KEEP_DIR"
    mkdir -p "$work"
else
    work="$(mktemp -d -t reclaim-conformance.XXXXXX)"
    trap 'rm -rf "$work"' EXIT
fi

seed_args=()
if [[ -n "${SCENE_SEED:-}" ]]; then seed_args=(--seed "$SCENE_SEED"); fi
"$py" "$here/make_scene.py" "$work/scene" "${seed_args[@]}"

keep_args=()
if [[ -n "${KEEP_DIR:-}" ]]; then keep_args=(--keep "$work/csv"); fi
exec "$py" "$here/compare.py" --reclaim "$bin" --scene "$work/scene" "${keep_args[@]}" "$@"
