#!/usr/bin/env python3
"""Original-script eval sets built from the official lists in ../shared/data/lists
(XCHECK_SHARED overrides; see its PROVENANCE.md), which the matching code was not shaped to.

Each set pairs a name a list gives in its original script with the same entity's Latin names:
  un    UN Security Council consolidated list (un/consolidated.xml): NAME_ORIGINAL_SCRIPT of an
        INDIVIDUAL or ENTITY, against its FIRST..FOURTH_NAME and Latin aliases;
  uk    OFSI ConList.xlsx (uk-ofsi/ConList.xlsx): the "Name Non-Latin Script" cells of a Group
        ID, against the Latin names (Name 1..5, Name 6) of every row of that group;
  meti  METI End User List, third-party JSON (jp-meti/derived/jp.json): the kanji/kana part of
        a name ("Air Koryo (高麗航空)", or a name in Japanese alone), against the Latin names of
        the same entry.
Every entity goes to one half by a hash of its source and id (SHA-1, even first byte: dev, odd:
test), so the split is deterministic and independent of list order. Tune on dev only.

Writes to OUT_DIR (default build/bench/script_sets):
  SOURCE_latin.csv  an internal watch list (README, "Lists of one's own") of every entity's
                    Latin names, list id bench_SOURCE, so the original-script name itself is
                    not in the list screened against;
  queries.csv       half, source, script, entity_id, kind, name: one row per distinct
                    original-script name of an entity that has Latin names.
Nothing from ../shared is copied into the project: the sets are rebuilt on every run.
usage: script_sets.py [OUT_DIR]
"""
import csv
import hashlib
import json
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("XCHECK_SHARED") or os.path.join(root, "..", "shared")
lists_dir = os.path.join(shared, "data/lists")


def half(source, entity_id):
    return "dev" if hashlib.sha1(("%s:%s" % (source, entity_id)).encode()).digest()[0] % 2 == 0 \
        else "test"


def script_of(name):
    """The script of a name's letters: Kana when any kana is present (Japanese), else the
    most frequent of Arabic, Cyrillic, Hangul, Han, Greek, ...; Latin when nothing else."""
    counts = {}
    for ch in name:
        if not ch.isalpha():
            continue
        n = unicodedata.name(ch, "")
        if n.startswith(("HIRAGANA", "KATAKANA")):
            return "Kana"
        for s, keys in (("Arabic", ("ARABIC",)), ("Cyrillic", ("CYRILLIC",)),
                        ("Hangul", ("HANGUL",)), ("Han", ("CJK",)), ("Greek", ("GREEK",)),
                        ("Latin", ("LATIN",))):
            if n.startswith(keys):
                counts[s] = counts.get(s, 0) + 1
                break
        else:
            counts["other"] = counts.get("other", 0) + 1
    others = {k: v for k, v in counts.items() if k != "Latin"}
    if not others:
        return "Latin"
    return max(sorted(others), key=lambda k: others[k])


def clean(s):
    return re.sub(r"\s+", " ", (s or "").strip())


def un_entities(path):
    """(entity_id, kind, latin names, original-script names) per UN entry."""
    tree = ET.parse(path).getroot()
    for tag, kind in (("INDIVIDUAL", "person"), ("ENTITY", "org")):
        for e in tree.iter(tag):
            eid = clean(e.findtext("REFERENCE_NUMBER")) or clean(e.findtext("DATAID"))
            parts = [clean(e.findtext(t)) for t in
                     ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            latin = [" ".join(p for p in parts if p)]
            for a in e.iter(tag + "_ALIAS"):
                latin.append(clean(a.findtext("ALIAS_NAME")))
            latin = [n for n in latin if n and script_of(n) == "Latin"]
            orig = [clean(o.text) for o in e.findall("NAME_ORIGINAL_SCRIPT") if clean(o.text)]
            yield eid, kind, latin, orig


def xlsx_rows(path):
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    z = zipfile.ZipFile(path)
    strings = ["".join(t.text or "" for t in si.iter(ns + "t"))
               for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall(ns + "si")]
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    for r in sheet.iter(ns + "row"):
        row = {}
        for c in r.findall(ns + "c"):
            v = c.find(ns + "v")
            if v is not None:
                col = re.match(r"[A-Z]+", c.get("r")).group()
                row[col] = strings[int(v.text)] if c.get("t") == "s" else v.text
        yield row


def uk_entities(path):
    rows = xlsx_rows(path)
    header = None
    groups = {}
    for row in rows:
        if header is None:
            if "Group ID" in row.values():
                header = {v: k for k, v in row.items()}
            continue
        get = lambda col: clean(row.get(header[col], ""))
        gid = get("Group ID")
        if not gid:
            continue
        kind = {"Individual": "person", "Entity": "org", "Ship": "vessel"}.get(
            get("Group Type"), "any")
        g = groups.setdefault(gid, (kind, [], []))
        if get("Group Type") == "Individual":
            name = " ".join(p for p in [get("Name %d" % i) for i in range(1, 6)] + [get("Name 6")]
                            if p)
        else:
            name = get("Name 6")
        if name and script_of(name) == "Latin" and name not in g[1]:
            g[1].append(name)
        nl = get("Name Non-Latin Script")
        if nl and script_of(nl) != "Latin" and nl not in g[2]:
            g[2].append(nl)
    for gid, (kind, latin, orig) in groups.items():
        yield gid, kind, latin, orig


CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")


def meti_entities(path):
    for e in json.load(open(path, encoding="utf-8")):
        kind = "person" if e.get("entity_type") == "individual" else "org"
        latin, orig = [], []
        for s in [e.get("entity_name", "")] + (e.get("aliases") or []):
            s = clean(s)
            # "Latin (原語)" or "Latin （原語）": the parenthesised part in Japanese is the
            # original-script name; a name wholly in CJK is one too.
            m = re.match(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$", s)
            if m and CJK.search(m.group(2)) and not CJK.search(m.group(1)):
                lat, jp = clean(m.group(1)), clean(m.group(2))
            elif CJK.search(s):
                lat, jp = "", s
            else:
                lat, jp = s, ""
            if lat and script_of(lat) == "Latin" and lat not in latin:
                latin.append(lat)
            if jp and jp not in orig:
                orig.append(jp)
        yield e["id"], kind, latin, orig


SOURCES = (
    ("un", "un/consolidated.xml", un_entities),
    ("uk", "uk-ofsi/ConList.xlsx", uk_entities),
    ("meti", "jp-meti/derived/jp.json", meti_entities),
)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build/bench/script_sets")
    os.makedirs(out, exist_ok=True)
    queries = []
    missing = []
    for source, rel, reader in SOURCES:
        path = os.path.join(lists_dir, rel)
        if not os.path.exists(path):
            missing.append(path)
            continue
        with open(os.path.join(out, source + "_latin.csv"), "w", encoding="utf-8",
                  newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["list_id", "entity_id", "name", "aliases", "kind", "country",
                        "date_of_birth", "identifiers"])
            for eid, kind, latin, orig in reader(path):
                if not latin:
                    continue
                w.writerow(["bench_" + source, eid, latin[0],
                            ";".join(n.replace(";", ",") for n in latin[1:]), kind, "", "", ""])
                for name in orig:
                    if script_of(name) == "Latin":
                        continue
                    queries.append((half(source, eid), source, script_of(name), eid, kind, name))
    with open(os.path.join(out, "queries.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["half", "source", "script", "entity_id", "kind", "name"])
        w.writerows(sorted(set(queries)))
    for p in missing:
        print("script_sets: %s missing, skipped" % p, file=sys.stderr)
    return 1 if missing and os.environ.get("CI") == "true" else 0


if __name__ == "__main__":
    sys.exit(main())
