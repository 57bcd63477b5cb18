#!/usr/bin/env python3
"""Name-matching quality on nomenklatura's labelled pairs (../shared/data/eval/nomenklatura/
cases.csv): runs `xcheck match --input` on all 826 pairs and prints precision, recall and F1
at the default alert threshold (the 'possible' band), the best threshold for reference, and
the same on the non-ASCII rows. Reference (PROVENANCE.md): logic-v2 F1 0.790 (all) and 0.864
(non-ASCII) at 0.70."""
import csv
import re
import json
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("XCHECK_SHARED") or os.path.join(root, "..", "shared")
cases_path = os.path.join(shared, "data/eval/nomenklatura/cases.csv")
xcheck = os.path.join(root, "build/xcheck")
DEFAULT = float(re.search(r"#define XC_BAND_POSSIBLE ([0-9.]+)",
                          open(os.path.join(root, "include/xcheck.h")).read()).group(1))

if not os.path.exists(cases_path):
    print("quality_cases: %s missing, skipped" % cases_path)
    sys.exit(1 if os.environ.get("CI") == "true" else 0)

rows = list(csv.DictReader(open(cases_path, encoding="utf-8")))
kinds = {"Person": "person", "Company": "org", "Organization": "org", "LegalEntity": "org",
         "Vessel": "vessel"}
with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["name1", "name2", "kind"])
    for r in rows:
        w.writerow([r["name1"], r["name2"], kinds.get(r["schema"], "any")])
    pairs_path = f.name
out = subprocess.run([xcheck, "match", "--input", pairs_path], capture_output=True, text=True,
                     check=True).stdout.splitlines()
os.unlink(pairs_path)
scores = [json.loads(line).get("score", 0.0) for line in out]
assert len(scores) == len(rows), (len(scores), len(rows))


def f1(th, subset):
    tp = fp = fn = 0
    for r, s in subset:
        m = r["is_match"] == "true"
        p = s >= th
        tp += m and p
        fp += (not m) and p
        fn += m and not p
    prec = tp / (tp + fp) if tp + fp else 0
    rec = tp / (tp + fn) if tp + fn else 0
    return (2 * prec * rec / (prec + rec) if prec + rec else 0), prec, rec


allrows = list(zip(rows, scores))
nonascii = [(r, s) for r, s in allrows if any(ord(ch) > 127 for ch in r["name1"] + r["name2"])]
for label, subset in (("all", allrows), ("non-ascii", nonascii)):
    f, p, r = f1(DEFAULT, subset)
    best = max((f1(t / 100, subset)[0], t / 100) for t in range(40, 100))
    print("cases.csv %-9s n=%3d  F1 %.3f (P %.3f R %.3f) at %.2f   best F1 %.3f at %.2f" %
          (label, len(subset), f, p, r, DEFAULT, best[0], best[1]))
# -v (or BENCH_VERBOSE=1, as bench_screen) lists the errors at the default threshold; a '*'
# marks the non-ASCII rows. -v nonascii (BENCH_VERBOSE=nonascii) lists those rows only.
verbose = os.environ.get("BENCH_VERBOSE", "")
if "-v" in sys.argv:
    verbose = sys.argv[sys.argv.index("-v") + 1] if len(sys.argv) > sys.argv.index("-v") + 1 else "1"
if verbose and verbose != "0":
    na = set(id(r) for r, _ in nonascii)
    for r, s in allrows:
        m = r["is_match"] == "true"
        if verbose == "nonascii" and id(r) not in na:
            continue
        if m != (s >= DEFAULT):
            print("%s%s %.3f %s | %s | %s" % ("FN" if m else "FP", "*" if id(r) in na else " ", s,
                                              r["schema"], r["name1"], r["name2"]))
