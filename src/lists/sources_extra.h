/*
 * sources_extra.h — parsers and sniffers for the EU, UK and Japan METI lists (eu.c, uk.c,
 * meti.c). Each parser follows lists.h: it streams the file, adds one list record (id, title,
 * version, SHA-256) and its entities to the set, reports malformed rows with xc__list_skip and
 * returns XC_OK; an error only when the file cannot be read or is not of that format at all.
 * The _mem variants parse a buffer (borrowed) under a display name; they exist for the fuzzers.
 *
 * Each sniff function answers "is this file mine?" from the base name and the first bytes
 * (4 KiB is plenty; fewer is fine), so load.c can hold one detection row per source.
 */
#ifndef XC_LISTS_SOURCES_EXTRA_H
#define XC_LISTS_SOURCES_EXTRA_H

#include "lists.h"

/* ---- EU consolidated financial sanctions list (FSF), list id "eu_fsf" ----
 * CSV 1.1 (';', 118 columns, one row per sub-record) or XML 1.1 (namespace
 * http://eu.europa.eu/fpi/fsd/export); xc__parse_eu picks by content. */
xc_status xc__parse_eu(xc__listset *set, const char *path, xc_error *err);
xc_status xc__parse_eu_csv(xc__listset *set, const char *path, xc_error *err);
xc_status xc__parse_eu_xml(xc__listset *set, const char *path, xc_error *err);
xc_status xc__parse_eu_csv_mem(xc__listset *set, const char *name, const void *data, size_t len,
                               xc_error *err);
xc_status xc__parse_eu_xml_mem(xc__listset *set, const char *name, const void *data, size_t len,
                               xc_error *err);
/* *FULL*.csv or *sanctions*.csv starting with the FSF header, or *.xml whose root is `export`
 * in the EU namespace. */
bool xc__sniff_eu(const char *name, const void *head, size_t len);

/* ---- UK FCDO UK Sanctions List, list id "uk_fcdo" ----
 * The ODS designation export (8 columns, one row per designation, keyed by Unique ID), or
 * UK_Sanctions_List.csv (one row per name, grouped by Unique ID; layout taken from a
 * third-party reader, not verified on a real file), or UK_Sanctions_List.xml (Designations /
 * Designation; element names from the same reader, equally unverified). xc__parse_uk_fcdo
 * picks by content (zip, '<', else CSV). */
xc_status xc__parse_uk_fcdo(xc__listset *set, const char *path, xc_error *err);
xc_status xc__parse_uk_fcdo_mem(xc__listset *set, const char *name, const void *data,
                                size_t len, xc_error *err);
xc_status xc__parse_uk_fcdo_csv_mem(xc__listset *set, const char *name, const void *data,
                                    size_t len, xc_error *err);
xc_status xc__parse_uk_fcdo_xml_mem(xc__listset *set, const char *name, const void *data,
                                    size_t len, xc_error *err);
/* UK_Sanctions_List.ods or FCDO_SL*.ods (a zip), or UK_Sanctions_List.csv / .xml. */
bool xc__sniff_uk_fcdo(const char *name, const void *head, size_t len);

/* ---- UK OFSI consolidated list of financial sanctions targets, list id "uk_ofsi" ----
 * ConList.xlsx (2022 format, 36 columns) or ConList.csv (pre-2022, Windows-1252, 29 columns);
 * one entity per Group ID. xc__parse_uk_ofsi picks by content (zip or text). */
xc_status xc__parse_uk_ofsi(xc__listset *set, const char *path, xc_error *err);
xc_status xc__parse_uk_ofsi_xlsx_mem(xc__listset *set, const char *name, const void *data,
                                     size_t len, xc_error *err);
xc_status xc__parse_uk_ofsi_csv_mem(xc__listset *set, const char *name, const void *data,
                                    size_t len, xc_error *err);
/* ConList.csv / ConList.xlsx (any case), or a CSV starting "Last Updated," whose header has
 * Group ID. */
bool xc__sniff_uk_ofsi(const char *name, const void *head, size_t len);

/* ---- Japan METI End User List (外国ユーザーリスト), list id "jp_meti_eul" ----
 * METI's xlsx: the header row (English or Japanese titles) is found wherever it is. */
xc_status xc__parse_meti(xc__listset *set, const char *path, xc_error *err);
xc_status xc__parse_meti_mem(xc__listset *set, const char *name, const void *data, size_t len,
                             xc_error *err);
/* *.xlsx whose first rows carry the METI header; a zip cannot be looked into from its first
 * bytes, so this also accepts an .xlsx named like METI's file (*enduser*, *end_user*,
 * *eul*, *ユーザー*). load.c should try xc__parse_meti on other .xlsx files only when asked. */
bool xc__sniff_meti(const char *name, const void *head, size_t len);

#endif /* XC_LISTS_SOURCES_EXTRA_H */
