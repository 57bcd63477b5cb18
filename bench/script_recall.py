#!/usr/bin/env python3
"""Recall of original-script names against the same entity's Latin names (sets built by
script_sets.py from the official lists in ../shared; see there), per source, script and half.

Each source's queries are screened with `build/xcheck screen --input` against that source's
Latin-name watch list (every entity of the source, so other entities compete) at the default
threshold. Printed per source / script / half: n, recall (the entity itself among the matches),
and the share of queries raising an alert on some other entity ("other").
The test half is for reporting only: never look at its misses to tune.
  BENCH_VERBOSE=1      list the dev half's misses (never the test half's);
  BENCH_SOURCES=un,uk  only these sources.
usage: script_recall.py [OUT_DIR]
"""
import collections
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build/bench/script_sets")
xcheck = os.path.join(root, "build/xcheck")
DEFAULT = float(re.search(r"#define XC_BAND_POSSIBLE ([0-9.]+)",
                          open(os.path.join(root, "include/xcheck.h")).read()).group(1))

rc = subprocess.run([sys.executable, os.path.join(root, "bench/script_sets.py"), out_dir]).returncode
if rc:
    sys.exit(rc)
queries = list(csv.DictReader(open(os.path.join(out_dir, "queries.csv"), encoding="utf-8")))
wanted = set(filter(None, os.environ.get("BENCH_SOURCES", "").split(",")))
verbose = os.environ.get("BENCH_VERBOSE", "") not in ("", "0")
stats = collections.defaultdict(lambda: [0, 0, 0])  # n, found, other alert
misses = []
env = dict(os.environ)
for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME"):
    env[var] = tempfile.mkdtemp()
for source in sorted(set(q["source"] for q in queries)):
    if wanted and source not in wanted:
        continue
    rows = [q for q in queries if q["source"] == source]
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8",
                                     newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "kind"])
        for i, q in enumerate(rows):
            w.writerow([str(i), q["name"], q["kind"]])
        input_path = f.name
    res = subprocess.run([xcheck, "screen", "--data", os.path.join(out_dir, source + "_latin.csv"),
                          "--input", input_path, "--no-audit", "--top", "20"],
                         capture_output=True, text=True, env=env)
    os.unlink(input_path)
    if res.returncode:
        print("script_recall: xcheck screen failed for %s: %s" % (source, res.stderr.strip()))
        sys.exit(1)
    for line in res.stdout.splitlines():
        answer = json.loads(line)
        q = rows[int(answer["id"])]
        matches = answer.get("matches", [])
        found = any(m["entity_id"] == q["entity_id"] for m in matches)
        other = any(m["entity_id"] != q["entity_id"] for m in matches)
        s = stats[(source, q["script"], q["half"])]
        s[0] += 1
        s[1] += found
        s[2] += other
        if not found and q["half"] == "dev":
            best = matches[0] if matches else None
            misses.append("  miss %s %s %s %s | %s" % (
                source, q["script"], q["entity_id"], q["name"],
                "%s %.3f" % (best["matched_name"], best["score"]) if best else "-"))
print("script sets (original-script name vs the same entity's Latin names, at %.2f):" % DEFAULT)
for (source, script, h), (n, found, other) in sorted(stats.items()):
    print("script %-4s %-8s %-4s n=%4d  recall %.3f  other-entity alerts %.3f" %
          (source, script, h, n, found / n, other / n))
if verbose:
    print("\n".join(misses))

# Katakana renderings of listed foreign names (bench/data/katakana_names.tsv, hand-made with a
# source per row), against the OFAC SDN, UN and CSL lists as bench_screen loads them: each Latin
# name is screened first and the entities it meets at >= 0.9 are the answer; the katakana name
# is found when it meets one of them at the default threshold.
import hashlib
lists = os.path.join(os.environ.get("XCHECK_SHARED") or os.path.join(root, "..", "shared"),
                     "data/lists")
data = [os.path.join(lists, p) for p in ("ofac", "un/consolidated.xml", "us-csl/consolidated.csv")]
kata = [l.rstrip("\n").split("\t") for l in open(os.path.join(root, "bench/data/katakana_names.tsv"),
                                               encoding="utf-8") if not l.startswith("#")]
if all(os.path.exists(p) for p in data) and (not wanted or "katakana" in wanted):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8",
                                     newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "kind"])
        for i, (k, latin, kind, _) in enumerate(kata):
            w.writerow(["l%d" % i, latin, kind])
            w.writerow(["k%d" % i, k, kind])
        input_path = f.name
    args = [xcheck, "screen", "--no-audit", "--top", "20", "--input", input_path]
    for p in data:
        args[2:2] = ["--data", p]
    res = subprocess.run(args, capture_output=True, text=True, env=env)
    os.unlink(input_path)
    answers = {}
    for line in res.stdout.splitlines():
        a = json.loads(line)
        answers[a["id"]] = a.get("matches", [])
    kstats = collections.defaultdict(lambda: [0, 0])
    unlisted = []
    for i, (k, latin, kind, _) in enumerate(kata):
        gold = {(m["list"], m["entity_id"]) for m in answers.get("l%d" % i, []) if m["score"] >= 0.9}
        if not gold:
            unlisted.append(latin)
            continue
        h = "dev" if hashlib.sha1(latin.encode()).digest()[0] % 2 == 0 else "test"
        found = any((m["list"], m["entity_id"]) in gold for m in answers.get("k%d" % i, []))
        kstats[h][0] += 1
        kstats[h][1] += found
        if verbose and not found and h == "dev":
            best = answers.get("k%d" % i, [])
            print("  miss katakana %s | %s | %s" % (k, latin, "%s %.3f" % (
                best[0]["matched_name"], best[0]["score"]) if best else "-"))
    for h in sorted(kstats):
        n, found = kstats[h]
        print("script kata Katakana %-4s n=%4d  recall %.3f  (SDN + UN + CSL)" % (h, n, found / n))
    print("script kata: %d of %d rows not met by their Latin name in these lists: %s" %
          (len(unlisted), len(kata), ", ".join(unlisted)))
