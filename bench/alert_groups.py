#!/usr/bin/env python3
"""Alerts raised by a first re-screen of 20,000 parties (issue 11, "one alert per party and
real-world entity"): yente's UN positives (untreated and treated) and its negatives (global,
then US) up to 20,000 parties, imported into a fresh store, screened against OFAC SDN, UN, the
US CSL and the UK list installed with `xcheck update --from`. Prints the hits (one per listed
entry matched: the alerts before grouping, one per entry) and the alerts (one per party and
real-world entity), with the entries per alert. Everything runs in a temporary folder."""
import csv
import json
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("XCHECK_SHARED") or os.path.join(root, "..", "shared")
xcheck = os.path.join(root, "build/xcheck")
lists = os.path.join(shared, "data/lists")
yente = os.path.join(shared, "data/eval/yente")
sources = {"ofac": ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"],
           "un": ["consolidated.xml"], "us-csl": ["consolidated.csv"],
           "uk-fcdo": ["FCDO_SL_Mon_Aug_11_2025.ods"]}
needed = [os.path.join(lists, d, f) for d, fs in sources.items() for f in fs]
needed += [os.path.join(yente, f) for f in ("positives_un_untreated.csv",
                                            "positives_un_treated.csv", "negatives_global.csv",
                                            "negatives_us.csv")]
missing = [p for p in needed if not os.path.exists(p)]
if missing:
    print("alert_groups: %s missing, skipped" % missing[0])
    sys.exit(1 if os.environ.get("CI") == "true" else 0)

tmp = tempfile.mkdtemp(prefix="xc_alert_groups_")
env = dict(os.environ, XDG_DATA_HOME=os.path.join(tmp, "data"),
           XDG_CACHE_HOME=os.path.join(tmp, "cache"))
db = os.path.join(tmp, "store.db")
src = os.path.join(tmp, "from")
for d, fs in sources.items():
    os.makedirs(os.path.join(src, d))
    for f in fs:
        os.symlink(os.path.join(lists, d, f), os.path.join(src, d, f))


def run(*args):
    p = subprocess.run([xcheck, *args], env=env, capture_output=True, text=True)
    if p.returncode != 0:
        print("alert_groups: xcheck %s failed: %s" % (args[0], p.stderr.strip()[:400]))
        sys.exit(1)
    return p.stdout


run("update", "--from", src, "--db", db)
parties = os.path.join(tmp, "parties.csv")
with open(parties, "w", newline="", encoding="utf-8") as out:
    w = csv.writer(out)
    w.writerow(["id", "name", "kind"])
    n = 0
    for f in ("positives_un_untreated.csv", "positives_un_treated.csv", "negatives_global.csv",
              "negatives_us.csv"):
        for row in csv.DictReader(open(os.path.join(yente, f), encoding="utf-8")):
            name = row.get("full_name") or row.get("name") or ""
            if name and n < 20000:
                w.writerow(["%s:%d" % (f.split(".")[0], n), name, "person"])
                n += 1
run("parties", "import", parties, "--db", db)
report = json.loads(run("rescreen", "--json", "--db", db))
alerts = [json.loads(l) for l in run("alerts", "--json", "--db", db).splitlines() if l.strip()]
entries = sum(len(a.get("members") or []) for a in alerts)
multi = sum(1 for a in alerts if len(a.get("members") or []) > 1)
print("alert groups: %d parties, first re-screen: %d hits (alerts before grouping, one per "
      "listed entry), %d alerts after grouping (%.2fx fewer); %d alerts cover more than one "
      "entry, %d entries in all" % (n, report["hits"], report["alerts"],
                                   report["hits"] / max(1, report["alerts"]), multi, entries))
