#!/usr/bin/env bash
# Create (or reuse) the Python venv for the conformance check and install the pinned
# wheels from requirements.txt. Idempotent: when the venv already holds exactly these
# requirements (stamp file = sha256 of requirements.txt + interpreter), it does nothing.
#
#   RECLAIM_VENV   venv path (default: $HOME/.cache/reclaim-venv)
#   PYTHON         interpreter used to create the venv (default: python3.11, else python3)
#
# Prints the venv path on the last line of stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${RECLAIM_VENV:-$HOME/.cache/reclaim-venv}"
req="$here/requirements.txt"

if [[ -z "${PYTHON:-}" ]]; then
    if command -v python3.11 >/dev/null 2>&1; then PYTHON=python3.11; else PYTHON=python3; fi
fi

stamp_want="$(
    {
        cat "$req"
        "$PYTHON" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
)"
stamp_file="$venv/.reclaim-requirements.sha256"

if [[ -x "$venv/bin/python" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp_want" ]]; then
    echo "venv up to date: $venv" >&2
    echo "$venv"
    exit 0
fi

echo "creating/updating venv at $venv with $PYTHON" >&2
"$PYTHON" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --only-binary=:all: -r "$req" >&2
# Smoke test: every module imports and GDAL/PROJ are bundled.
"$venv/bin/python" - >&2 <<'PY'
import exactextract, fiona, numpy, pyproj, rasterio, shapely
print("rasterio", rasterio.__version__, "GDAL", rasterio.__gdal_version__,
      "exactextract", exactextract.__version__ if hasattr(exactextract, "__version__") else "?",
      "fiona", fiona.__version__, "numpy", numpy.__version__, "shapely", shapely.__version__,
      "pyproj", pyproj.__version__, "PROJ", pyproj.proj_version_str)
PY
echo "$stamp_want" >"$stamp_file"
echo "$venv"
