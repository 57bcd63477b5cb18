#!/usr/bin/env python3
"""pg_names.py — inputs of bench/pg_bench.sh, written as CSV into OUT_DIR:

  names.csv      list,entity_id,name: every primary name and alias of OFAC SDN (sdn.csv,
                 alt.csv), the UN consolidated list (XML) and the CSL (consolidated.csv): the
                 table pg_trgm searches (the same lists xcheck loads in the benchmark);
  customers.csv  id,name,dob: ROWS rows from yente's negatives (global, US) and UN positives
                 (untreated), repeated with variations (upper case, tokens reversed, first token
                 dropped) until ROWS;
  positives.csv  name: yente's UN positives (untreated);
  negatives.csv  name: the first NEG of yente's negatives (global then US).

usage: pg_names.py SHARED OUT_DIR ROWS NEG
"""
import csv
import os
import sys
import xml.etree.ElementTree as ET


def ofac(shared, out):
    base = os.path.join(shared, "data/lists/ofac")
    with open(os.path.join(base, "sdn.csv"), encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) > 1 and row[0].strip().isdigit():
                out.writerow(["us_ofac_sdn", row[0].strip(), row[1].strip()])
    with open(os.path.join(base, "alt.csv"), encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) > 3 and row[0].strip().isdigit() and row[3].strip() not in ("", "-0-"):
                out.writerow(["us_ofac_sdn", row[0].strip(), row[3].strip()])


def un(shared, out):
    root = ET.parse(os.path.join(shared, "data/lists/un/consolidated.xml")).getroot()
    for tag, alias_tag in (("INDIVIDUAL", "INDIVIDUAL_ALIAS"), ("ENTITY", "ENTITY_ALIAS")):
        for e in root.iter(tag):
            ref = (e.findtext("REFERENCE_NUMBER") or e.findtext("DATAID") or "").strip()
            parts = [(e.findtext(t) or "").strip() for t in
                     ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            name = " ".join(p for p in parts if p)
            if name:
                out.writerow(["un_sc", ref, name])
            original = (e.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
            if original:
                out.writerow(["un_sc", ref, original])
            for a in e.iter(alias_tag):
                alias = (a.findtext("ALIAS_NAME") or "").strip()
                if alias:
                    out.writerow(["un_sc", ref, alias])


def csl(shared, out):
    with open(os.path.join(shared, "data/lists/us-csl/consolidated.csv"), encoding="utf-8-sig",
              newline="") as f:
        for row in csv.DictReader(f):
            ident = row.get("_id") or row.get("entity_number") or ""
            if row.get("name", "").strip():
                out.writerow(["us_csl", ident, row["name"].strip()])
            for alias in (row.get("alt_names") or "").split(";"):
                if alias.strip():
                    out.writerow(["us_csl", ident, alias.strip()])


def people(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [(r["full_name"], r.get("date_of_birth") or "") for r in csv.DictReader(f)
                if r.get("full_name")]


def variant(name, k):
    tokens = name.split()
    if k == 1:
        return name.upper()
    if k == 2 and len(tokens) > 1:
        return " ".join(reversed(tokens))
    if k == 3 and len(tokens) > 2:
        return " ".join(tokens[1:])
    return name


def main():
    shared, out_dir, rows, neg = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    yente = os.path.join(shared, "data/eval/yente")
    with open(os.path.join(out_dir, "names.csv"), "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["list", "entity_id", "name"])
        ofac(shared, out)
        un(shared, out)
        csl(shared, out)
    negatives = people(os.path.join(yente, "negatives_global.csv")) + \
        people(os.path.join(yente, "negatives_us.csv"))
    positives = people(os.path.join(yente, "positives_un_untreated.csv"))
    base = negatives + positives
    with open(os.path.join(out_dir, "customers.csv"), "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["id", "name", "dob"])
        for i in range(rows):
            name, dob = base[i % len(base)]
            out.writerow([i + 1, variant(name, (i // len(base)) % 4), dob])
    for file, subset in (("positives.csv", positives), ("negatives.csv", negatives[:neg])):
        with open(os.path.join(out_dir, file), "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["name"])
            for name, _ in subset:
                out.writerow([name])


if __name__ == "__main__":
    main()
