#!/usr/bin/env python3
"""Is the scene sensitive to every rule? Mutate reference.py one rule at a time and count
the attribution rows (> 1e-6 ha in any class, or clear_obs_mean > 1e-6) that change.

Usage: mutations.py --scene DIR

A mutation no config notices would also go unnoticed in reclaim: every line must show
changed rows for at least one config.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

MUTATIONS = [  # (name, old, new)
    ("same-date: last clear scene instead of first",
     "for s in (s for s in self.scenes if s.date == d):",
     "for s in reversed([s for s in self.scenes if s.date == d]):"),
    ("season end exclusive", "lo_d <= s.date <= hi_d", "lo_d <= s.date < hi_d"),
    ("season ignored (out-of-season scenes count)",
     "if lo_d <= s.date <= hi_d]", "if True]"),
    ("median of an even count = lower middle", "(a + b) / 2)", "a)"),
    ("latest = earliest", "for k in range(len(dates)):\n                v = ~np.isnan",
     "for k in reversed(range(len(dates))):\n                v = ~np.isnan"),
    ("max = min", "comp = np.fmax(comp, stack[k])", "comp = np.fmin(comp, stack[k])"),
    ("min_clear ignored", "self.min_clear = max(1, int(im.get(\"min_clear\", 1)))",
     "self.min_clear = 1"),
    ("SCL shadow (3) not masked", "SCL_MASKED = [0, 1, 3, 8, 9, 10]",
     "SCL_MASKED = [0, 1, 8, 9, 10]"),
    ("SCL 20 m cell shifted by one 10 m row",
     "masked = np.repeat(np.repeat(masked, f, axis=0), f, axis=1)[:s.height, :s.width]",
     "masked = np.roll(np.repeat(np.repeat(masked, f, axis=0), f, axis=1), 1, axis=0)"
     "[:s.height, :s.width]"),
    ("QA_PIXEL snow bit 5 ignored", "QA_BITS = 0b111111", "QA_BITS = 0b011111"),
    ("red DN 0 not nodata", "clear = (red != 0) & (nir != 0)", "clear = (nir != 0)"),
    ("reflectance sum <= 0 observed", "& ~masked & (tot > 0)", "& ~masked"),
    ("S2 offset ignored", "off_r = offs.get(band_id.get(\"B4\", \"3\"), 0.0) / q",
     "off_r = 0.0"),
    ("Landsat offset ignored", "(float(sr[\"REFLECTANCE_ADD_BAND_4\"]), float(sr[\"REFLECTANCE_ADD_BAND_5\"]))",
     "(0.0, 0.0)"),
]


def load(src: str, name: str):
    d = tempfile.mkdtemp(prefix="reclaim-mut-")
    p = os.path.join(d, f"{name}.py")
    with open(p, "w") as f:
        f.write(src.replace('os.path.dirname(os.path.abspath(__file__)), "..", "conformance"',
                            f'{os.path.join(HERE, "..", "conformance")!r}'))
    spec = importlib.util.spec_from_file_location(name, p)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def rows_of(mod, cfg):
    _, _, rows, _, _ = mod.build(cfg)
    return rows


def changed(a: dict, b: dict) -> int:
    n = 0
    for k in set(a) | set(b):
        if k not in a or k not in b:
            n += 1
            continue
        if any(abs(a[k][c] - b[k][c]) > 1e-6 for c in
               ["restored_ha", "unrestored_ha", "water_ha", "unobserved_ha", "clear_obs_mean"]):
            n += 1
    return n


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scene", required=True)
    args = ap.parse_args()
    with open(os.path.join(args.scene, "scene.json")) as f:
        configs = json.load(f)["configs"]
    src = open(os.path.join(HERE, "reference.py")).read()
    base = load(src, "ref_base")
    want = {c: rows_of(base, os.path.join(args.scene, c)) for c in configs}
    print("| mutation | " + " | ".join(configs) + " |")
    print("|---" * (len(configs) + 1) + "|")
    silent = []
    for i, (name, old, new) in enumerate(MUTATIONS):
        if old not in src:
            print(f"mutation {name!r}: pattern not found", file=sys.stderr)
            return 2
        mod = load(src.replace(old, new), f"ref_mut{i}")
        counts = []
        for c in configs:
            try:
                counts.append(str(changed(want[c], rows_of(mod, os.path.join(args.scene, c)))))
            except SystemExit as e:
                counts.append(f"error ({e.code})")
        print(f"| {name} | " + " | ".join(counts) + " |")
        if all(x == "0" for x in counts):
            silent.append(name)
    if silent:
        print(f"silent mutations (the scene does not test them): {silent}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
