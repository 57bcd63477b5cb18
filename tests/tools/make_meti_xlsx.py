#!/usr/bin/env python3
"""Writes an xlsx in the layout of METI's End User List (外国ユーザーリスト) from the
third-party JSON rendering in ../shared (data/lists/jp-meti/derived/jp.json), for the tests.

METI's own xlsx was not at hand; the layout follows the published column titles: No., Country or
Region, Company or Organization name, Also Known As (one "・"-bulleted alias per line), Type of
WMD concern. A title row and a revision-date row come first, so the reader must find the header.
Usage: make_meti_xlsx.py JSON OUT.xlsx [en|ja]
"""
import json
import re
import sys

import openpyxl

src, out = sys.argv[1], sys.argv[2]
lang = sys.argv[3] if len(sys.argv) > 3 else "en"
entries = json.load(open(src, encoding="utf-8"))
entries.sort(key=lambda e: int(e["id"].rsplit("-", 1)[1]))

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "End User List" if lang == "en" else "外国ユーザーリスト"
ws.append(["外国ユーザーリスト (End User List)"])
ws.append(["2025年9月29日改訂"])
ws.append([])
if lang == "en":
    ws.append(["No.", "Country or Region", "Company or Organization name", "Also Known As",
               "Type of WMD concern"])
else:
    ws.append(["番号", "国名・地域名", "企業名・組織名", "別名", "懸念区分"])
PRC = "People's Republic of China"
for e in entries:
    no = int(e["id"].rsplit("-", 1)[1])
    country = (e["addresses"] or [""])[0]
    name = e["entity_name"]
    # The rendering lost 37 names into the country field ("People's Republic of China
    # 23rd Research Institute"); METI's sheet has them in their own column, so put them back.
    if not name.strip() and country.startswith(PRC + " "):
        name, country = country[len(PRC) + 1:], PRC
    codes = re.findall(r"\b(CW|B|C|M|N)\b", e.get("reason") or "")
    seen = []
    for c in codes:
        if c not in seen:
            seen.append(c)
    aka = "\n".join("・" + a for a in e["aliases"])
    ws.append([no, country, name, aka or None,
               ",".join(seen) or None])
ws.append([])
ws.append([None, "注: this note row has no number and is not an entry"])
wb.save(out)
