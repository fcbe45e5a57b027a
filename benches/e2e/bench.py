#!/usr/bin/env python3
"""Time reclaim against exactextract, rasterstats and a Python audit, as whole processes.

Usage: bench.py --scene DIR --reclaim BIN --reclaim-bench BIN [--repeats 5]
                [--markdown docs/performance.md] [--only NAME ...]

Every command runs as its own process on the same files; rounds alternate the
commands, each round starting one command later (A B C, B C A, C A B, …), so a slow
spell of the machine hits them all and no command always follows the same one, and
each figure is the median of the rounds. Peak memory is the process's max RSS (wait4).
After the first round the outputs are checked: reclaim zonal must equal
exactextract's areas to 1e-6 ha per (pit, class) row.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOL_HA = 1e-6


def run(cmd, cwd):
    """Runs cmd; returns (wall seconds, max RSS MiB, stdout, (user s, system s))."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{err.decode()}")
    return wall, ru.ru_maxrss / 1024.0, out.decode(), (ru.ru_utime, ru.ru_stime)


def load_loadavg():
    try:
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])
    except OSError:
        return float("nan")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def check_zonal(reclaim_csv, ee_csv):
    """Max |Δ area_ha| per (zone, class) row between reclaim and exactextract."""
    def rows(path, value_col):
        d = {}
        with open(path) as f:
            for r in csv.DictReader(f):
                if r["class"] in ("nodata", "outside"):
                    continue
                d[(r["zone_id"], str(int(float(r["class"]))))] = float(r[value_col])
        return d
    a, b = rows(reclaim_csv, "area_ha"), rows(ee_csv, "area_ha")
    worst, n_bad = 0.0, 0
    for k in set(a) | set(b):
        x, y = a.get(k, 0.0), b.get(k, 0.0)
        if (k not in a and y < 1e-9) or (k not in b and x < 1e-9):
            continue
        d = abs(x - y)
        worst = max(worst, d)
        n_bad += d > TOL_HA
    return len(a), worst, n_bad


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scene", required=True)
    ap.add_argument("--reclaim", required=True)
    ap.add_argument("--reclaim-bench", required=True)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--markdown", help="write the results table to this file (section)")
    ap.add_argument("--only", nargs="*", help="run only these command names")
    a = ap.parse_args()

    scene = os.path.abspath(a.scene)
    py = sys.executable
    work = tempfile.mkdtemp(prefix="reclaim-bench-")
    reclaim, rbench = os.path.abspath(a.reclaim), os.path.abspath(a.reclaim_bench)
    cmds = {
        "reclaim zonal": [reclaim, "zonal", "--raster", f"{scene}/classes.tif", "--zones",
                          f"{scene}/pits.shp", "--id-field", "pit_id", "--out",
                          f"{work}/reclaim_zonal.csv", "--quiet"],
        "exactextract zonal": [py, f"{HERE}/py_zonal_exactextract.py", scene,
                               f"{work}/ee_zonal.csv"],
        "rasterstats zonal": [py, f"{HERE}/py_zonal_rasterstats.py", scene,
                              f"{work}/rs_zonal.csv"],
        "reclaim audit": [reclaim, "audit", "--config", f"{scene}/audit.toml", "--out",
                          f"{work}/audit", "--quiet"],
        "reclaim audit, no checksum cache": [
            reclaim, "audit", "--config", f"{scene}/audit.toml", "--out",
            f"{work}/audit-nocache", "--quiet", "--no-checksum-cache"],
        "python audit": [py, f"{HERE}/py_audit.py", scene, f"{work}/py_audit.csv"],
        "reclaim decode-only": [rbench, "decode", "--config", f"{scene}/audit.toml"],
    }
    if a.only:
        cmds = {k: v for k, v in cmds.items() if k in a.only}
    # A checksum cache of this run's own: `reclaim audit` hashes the inputs in its
    # first round and reuses the checksums after (as an auditor's reruns do); the
    # no-cache command hashes every input every time.
    os.environ["RECLAIM_CACHE_DIR"] = os.path.join(work, "checksum-cache")
    times = {k: [] for k in cmds}
    rss = {k: [] for k in cmds}
    cpu = {k: [] for k in cmds}
    outputs = {}
    load_before = load_loadavg()
    t_start = time.time()
    names = list(cmds)
    for rnd in range(a.repeats):
        # Each round starts one command later, so no command always runs right after
        # the same other one (a 1.2 GB Python process leaves the VM's memory in a
        # different state for whatever follows it).
        k = rnd % len(names)
        for name in names[k:] + names[:k]:
            cmd = cmds[name]
            w, m, out, c = run(cmd, work)
            times[name].append(w)
            cpu[name].append(c)
            rss[name].append(m)
            outputs[name] = out
            print(f"round {rnd + 1}/{a.repeats}  {name:<22} {w:8.3f} s  {m:8.1f} MiB",
                  file=sys.stderr)
    load_after = load_loadavg()
    elapsed = time.time() - t_start

    med = {k: statistics.median(v) for k, v in times.items()}
    peak = {k: max(v) for k, v in rss.items()}
    lines = []
    lines.append("| command | median wall s | min s | max s | median user s | median system s "
                 "| peak RSS MiB |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for k in cmds:
        user = statistics.median(u for u, _ in cpu[k])
        system = statistics.median(s for _, s in cpu[k])
        lines.append(f"| {k} | {med[k]:.3f} | {min(times[k]):.3f} | {max(times[k]):.3f} | "
                     f"{user:.3f} | {system:.3f} | {peak[k]:.0f} |")
    ratios = []

    def ratio(label, num, den, target):
        if num in med and den in med:
            r = med[num] / med[den]
            ratios.append(f"| {label} | {r:.2f}× | {target} |")

    ratio("exactextract zonal / reclaim zonal", "exactextract zonal", "reclaim zonal", "≥ 3×")
    ratio("rasterstats zonal / reclaim zonal", "rasterstats zonal", "reclaim zonal", "—")
    ratio("python audit / reclaim audit", "python audit", "reclaim audit", "≥ 10×")
    ratio("reclaim audit / reclaim decode-only", "reclaim audit", "reclaim decode-only",
          "≤ 1.25×")
    ratio("python audit / reclaim audit, no checksum cache", "python audit",
          "reclaim audit, no checksum cache", "(≥ 10×)")
    ratio("reclaim audit, no checksum cache / reclaim decode-only",
          "reclaim audit, no checksum cache", "reclaim decode-only", "(≤ 1.25×)")
    checks = []
    if "reclaim zonal" in cmds and "exactextract zonal" in cmds:
        n, worst, bad = check_zonal(f"{work}/reclaim_zonal.csv", f"{work}/ee_zonal.csv")
        checks.append(f"zonal areas: {n} (pit, class) rows, max |Δ| vs exactextract "
                      f"{worst:.2e} ha, {bad} rows over {TOL_HA:g} ha")
    if "reclaim decode-only" in outputs:
        d = json.loads(outputs["reclaim decode-only"].strip().splitlines()[-1])
        checks.append(f"decode-only: {d['blocks']} blocks, {d['cells']:,} cells per band")
    if "reclaim audit" in cmds:
        with open(f"{work}/audit/summary.json") as f:
            s = json.load(f)
        checks.append("reclaim audit county ha: restored %.2f unrestored %.2f water %.2f "
                      "unobserved %.2f (%d pits, %d pieces)" % (
                          s["restored_ha"], s["unrestored_ha"], s["water_ha"],
                          s["unobserved_ha"], s["pit_count"], s["piece_count"]))
    if "python audit" in outputs:
        checks.append("python audit " + outputs["python audit"].strip().splitlines()[-1])
    machine = (f"{os.cpu_count()} CPUs ({cpu_model()}), load average {load_before:.2f} "
               f"before / {load_after:.2f} after, {a.repeats} alternating rounds in "
               f"{elapsed:.0f} s")
    report = "\n".join(lines) + "\n\n| ratio (medians) | measured | target |\n|---|---:|---|\n" \
        + "\n".join(ratios) + "\n\n" + "\n".join(f"- {c}" for c in checks) \
        + f"\n- machine: {machine}\n"
    if "reclaim audit" in times:
        report += (f"- reclaim audit round by round (the first hashes the inputs, later "
                   f"rounds reuse the cached checksums): "
                   + ", ".join(f"{t:.3f}" for t in times["reclaim audit"]) + " s\n")
    print(report)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(report)


if __name__ == "__main__":
    main()
