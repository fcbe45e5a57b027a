#!/usr/bin/env bash
# End-to-end conformance checks (see README.md): `reclaim zonal` against exactextract,
# then `reclaim audit` against an independent shapely/GEOS reference, then the seasonal
# composite audit against ../composite's numpy reference (skipped while reclaim has no
# composites). What CI calls.
# Steps: venv (setup_venv.sh) -> build reclaim (unless RECLAIM_BIN is set) -> zonal:
# make_scene.py + compare.py -> audit: audit_scene.py + audit_compare.py.
# Exit status: 0 when all pass, else the first non-zero status (all always run).
#
#   RECLAIM_BIN    use this reclaim binary instead of building one
#   RECLAIM_VENV   venv path (default: $HOME/.cache/reclaim-venv)
#   SCENE_SEED     seed for make_scene.py (default: the script's own)
#   AUDIT_SEED     seed for audit_scene.py (default: the script's own)
#   COMPOSITE_SEED seed for ../composite/make_scenes.py (default: the script's own)
#   KEEP_DIR       if set, keep the scenes, all CSVs (reclaim, exactextract, GEOS) and
#                  the audit output (KEEP_DIR/audit/reclaim_out, reference.csv) there
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
status=0
echo "== zonal: reclaim zonal vs exactextract / GEOS" >&2
"$py" "$here/compare.py" --reclaim "$bin" --scene "$work/scene" "${keep_args[@]}" "$@" \
    || status=$?

echo "== audit: reclaim audit vs shapely/GEOS reference" >&2
audit_seed_args=()
if [[ -n "${AUDIT_SEED:-}" ]]; then audit_seed_args=(--seed "$AUDIT_SEED"); fi
audit_keep_args=()
if [[ -n "${KEEP_DIR:-}" ]]; then audit_keep_args=(--keep "$work/audit"); fi
audit_status=0
"$py" "$here/audit_scene.py" "$work/audit_scene" "${audit_seed_args[@]}" \
    && "$py" "$here/audit_compare.py" --reclaim "$bin" --scene "$work/audit_scene" \
        "${audit_keep_args[@]}" \
    || audit_status=$?
if [[ $status -eq 0 ]]; then status=$audit_status; fi

# composite: seasonal composites of many scenes (../composite). Its compare.py exits 3
# when reclaim's `audit` does not know `scenes` yet: SKIPPED, not a failure (the bridge
# step, a single-raster audit against the same reference, must still pass).
echo "== composite: reclaim audit (seasonal composite) vs numpy/exactextract reference" >&2
composite_status=0
composite_seed_args=()
if [[ -n "${COMPOSITE_SEED:-}" ]]; then composite_seed_args=(--seed "$COMPOSITE_SEED"); fi
composite_keep_args=()
if [[ -n "${KEEP_DIR:-}" ]]; then composite_keep_args=(--keep "$work/composite"); fi
"$py" "$here/../composite/make_scenes.py" "$work/composite_scene" "${composite_seed_args[@]}" \
    && "$py" "$here/../composite/compare.py" --reclaim "$bin" --scene "$work/composite_scene" \
        "${composite_keep_args[@]}" \
    || composite_status=$?
if [[ $composite_status -eq 3 ]]; then
    echo "composite: SKIPPED - this reclaim's audit does not support [imagery] scenes yet" \
        "(the bridge check passed)" >&2
    composite_status=0
fi
if [[ $status -eq 0 ]]; then status=$composite_status; fi
exit "$status"
