#!/usr/bin/env python3
"""Check `reclaim audit` with seasonal composites against reference.py.

Usage:
  compare.py --reclaim BIN --scene DIR [--configs audit.toml ...] [--keep DIR]
  compare.py --reference-only --scene DIR      # no reclaim: build and self-check references

Two steps:

1. bridge (works with any reclaim that has `audit`): the reference of the 1-scene season
   single/audit_single_composite.toml against `reclaim audit` on single/audit_single.toml,
   the same S2 scene exported to GeoTIFF (red_path / nir_path / SCL upsampled to 10 m as
   mask_path); and single/audit_single_landsat_composite.toml against a classic audit of
   that Landsat scene's own SR_B4/SR_B5/QA_PIXEL (mask_preset qa_pixel). Validates the
   reference's scene reading, grid, pieces and areas with today's binary.
2. composite: for every config of scene.json (audit.toml = median, audit_max.toml,
   audit_latest.toml, audit_median_min3.toml, audit_landsat*.toml) `reclaim audit
   --config C --out O` against reference.py. When reclaim refuses the config with an
   "unknown key" error naming `scenes`/`season`/`composite`/`min_clear`/`collection` and
   its list of accepted keys lacks `scenes`, the step is SKIPPED (exit status 3 when
   nothing else failed): the engine has no composites yet.

Per config: attribution.csv rows matched on (pit_id, license_id or legacy); restored,
unrestored, water, unobserved, total within 1e-6 ha, same holder; the column totals within
1e-6 ha; `clear_obs_mean` (when reclaim writes it) within 1e-6; summary.json and the
reconciliation of reclaim's own files as in ../conformance/audit_compare.py.
Exit status: 0 agree, 1 any mismatch, 2 setup error, 3 composite step skipped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import reference as rf

ac = rf.ac
COLS = ac.COLS
TOL = 1e-6
TOL_CLEAR = 1e-6
COMPOSITE_KEYS = ("`scenes`", "`season`", "`composite`", "`min_clear`", "`collection`")
SKIP = 3


def read_attribution(path: str) -> tuple[dict, bool]:
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        head = next(rd)
        missing = [c for c in ac.ATTRIBUTION_HEADER if c not in head]
        if missing:
            raise ValueError(f"attribution.csv: columns {missing} missing (header {head})")
        has_clear = "clear_obs_mean" in head
        table = {}
        for n, rec in enumerate(rd, start=2):
            if not rec:
                continue
            r = dict(zip(head, rec))
            key = (r["pit_id"], r["license_id"])
            if key in table:
                raise ValueError(f"attribution.csv line {n}: duplicate row {key}")
            row = {"holder": r["holder"], **{c: float(r[c]) for c in COLS}}
            if has_clear:
                row["clear_obs_mean"] = float(r["clear_obs_mean"]) if r["clear_obs_mean"] else 0.0
            table[key] = row
    return table, has_clear


def no_composites(err: str) -> bool:
    """reclaim refused a composite key and its list of [imagery] keys lacks `scenes`
    (an engine that knows `scenes` but refuses another key has a bug: not skipped)."""
    if "unknown key" not in err or not any(k in err for k in COMPOSITE_KEYS):
        return False
    listed = err.split("the keys here are:", 1)
    if len(listed) == 2:
        keys = {k.strip().strip("`") for k in listed[1].splitlines()[0].split(",")}
        return "scenes" not in keys
    return True


def run_reclaim(binary, config, out):
    if os.path.isdir(out):
        shutil.rmtree(out)
    cmd = [binary, "audit", "--config", config, "--out", out, "--quiet"]
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    return cmd, p, time.perf_counter() - t0


def check_one(binary, config, ref_config, out, keep, label) -> dict:
    """Run reclaim on `config`, the reference on `ref_config`; a result row."""
    res = {"config": label,
           "status": "?", "rows": 0, "max_ha": float("nan"), "max_clear": None,
           "fails": [], "reclaim_s": 0.0, "ref_s": 0.0}
    t0 = time.perf_counter()
    comp, ref, rows, geos, maxd = rf.build(ref_config)
    res["ref_s"] = time.perf_counter() - t0
    errs = rf.self_check(comp, ref, rows, geos, maxd, os.path.dirname(os.path.abspath(ref_config)))
    res["ref_desc"] = rf.describe(comp, ref, maxd, res["ref_s"])
    if keep:
        comp.write(os.path.join(keep, "reference"))
        rf.write_csv(os.path.join(keep, "reference", "reference.csv"), rows)
    if errs:
        res["status"] = "FAIL"
        res["fails"] = ["reference self-check: " + e for e in errs]
        return res
    if binary is None:
        res["status"] = "ref ok"
        return res
    cmd, p, res["reclaim_s"] = run_reclaim(binary, config, out)
    if p.returncode != 0:
        err = p.stderr.strip()
        if no_composites(err):
            res["status"] = "SKIP"
            res["fails"] = [f"reclaim has no composites yet: {err.splitlines()[0]}"]
        else:
            res["status"] = "FAIL"
            res["fails"] = [f"reclaim exited {p.returncode}: {' '.join(cmd)}\n{err}"]
        return res
    try:
        ours, has_clear = read_attribution(os.path.join(out, "attribution.csv"))
        pits = ac.read_csv(os.path.join(out, "pits.csv"))
        mines = ac.read_csv(os.path.join(out, "mines.csv"))
        with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
            summary = json.load(f)
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as e:
        res["status"] = "FAIL"
        res["fails"] = [f"reading reclaim's output: {e}"]
        return res
    n, md, worst, fails = ac.compare_rows(ours, rows)
    res["rows"] = n
    res["max_ha"] = max(md.values())
    # column totals
    for c in COLS:
        a = sum(r[c] for r in ours.values())
        b = sum(r[c] for r in rows.values())
        if abs(a - b) > TOL:
            fails.append(f"total {c}: reclaim {a:.9f} reference {b:.9f} (d {a - b:+.3e})")
    if has_clear:
        mc = 0.0
        for key in set(ours) & set(rows):
            d = abs(ours[key]["clear_obs_mean"] - rows[key]["clear_obs_mean"])
            mc = max(mc, d)
            if d > TOL_CLEAR:
                alt = abs(ours[key]["clear_obs_mean"] - rows[key]["clear_obs_mean_covered"])
                hint = (" (matches the mean over the covered part only: "
                        "clear_obs_mean_covered)" if alt <= TOL_CLEAR else "")
                fails.append(f"{ac.label(key)} clear_obs_mean reclaim "
                             f"{ours[key]['clear_obs_mean']!r} reference "
                             f"{rows[key]['clear_obs_mean']!r}{hint}")
        res["max_clear"] = mc
    rec = ac.reconcile(ours, pits, mines, summary, ref)
    _, sfails, _ = ac.compare_summary(summary, ref, rows)
    res["fails"] = fails + sfails + rec
    res["status"] = "FAIL" if res["fails"] else "ok"
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reclaim", help="path to the reclaim binary")
    ap.add_argument("--scene", required=True, help="directory written by make_scenes.py")
    ap.add_argument("--configs", nargs="*", help="configs of the scene to check (default: all)")
    ap.add_argument("--keep", help="keep reclaim's output and the references here")
    ap.add_argument("--reference-only", action="store_true")
    ap.add_argument("--no-bridge", action="store_true")
    args = ap.parse_args()
    if not args.reference_only and not args.reclaim:
        ap.error("--reclaim is required unless --reference-only")
    binary = None if args.reference_only else os.path.abspath(args.reclaim)
    with open(os.path.join(args.scene, "scene.json")) as f:
        meta = json.load(f)
    configs = args.configs or meta.get("configs", [])
    work = args.keep or tempfile.mkdtemp(prefix="reclaim-composite-")
    results = []
    try:
        if not args.no_bridge:
            sd = os.path.join(args.scene, "single")
            for name in ("audit_single", "audit_single_landsat"):
                if not os.path.exists(os.path.join(sd, f"{name}.toml")):
                    continue
                results.append(("bridge", check_one(
                    binary, os.path.join(sd, f"{name}.toml"),
                    os.path.join(sd, f"{name}_composite.toml"),
                    os.path.join(work, name, "reclaim_out"),
                    os.path.join(work, name) if args.keep else None,
                    f"single/{name}.toml")))
        for c in configs:
            results.append(("composite", check_one(
                binary, os.path.join(args.scene, c), os.path.join(args.scene, c),
                os.path.join(work, c, "reclaim_out"),
                os.path.join(work, c) if args.keep else None, c)))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"| step | config | status | rows | max abs d (ha) | max abs d clear_obs_mean "
          f"| reclaim s | reference s |")
    print("|---|---|---|---|---|---|---|---|")
    for step, r in results:
        mc = "-" if r["max_clear"] is None else f"{r['max_clear']:.2e}"
        mh = "-" if r["rows"] == 0 else f"{r['max_ha']:.2e}"
        print(f"| {step} | {r['config']} | {r['status']} | {r['rows']} | {mh} | {mc} "
              f"| {r['reclaim_s']:.2f} | {r['ref_s']:.2f} |")
    for step, r in results:
        print(f"  {r['config']}: {r.get('ref_desc', '')}", file=sys.stderr)
    failed = [(s, r) for s, r in results if r["status"] == "FAIL"]
    skipped = [(s, r) for s, r in results if r["status"] == "SKIP"]
    for _, r in failed:
        print(f"FAIL {r['config']}: {len(r['fails'])} problems", file=sys.stderr)
        for m in r["fails"][:40]:
            print("  " + m, file=sys.stderr)
    if skipped:
        print(f"SKIPPED {len(skipped)} composite configs: {skipped[0][1]['fails'][0]}",
              file=sys.stderr)
    if failed:
        return 1
    if skipped:
        return SKIP
    print("ok: reclaim audit agrees with the composite reference" if binary
          else "ok: references self-checked")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit as e:
        if isinstance(e.code, str):
            print(f"compare.py: {e.code}", file=sys.stderr)
            sys.exit(2)
        raise
