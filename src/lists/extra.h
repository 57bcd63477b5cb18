/*
 * extra.h — helpers shared by the EU, UK and METI parsers (eu.c, uk.c, meti.c): an entity
 * collector that groups sub-records by source id (rows of one entity need not be adjacent),
 * deduplicates names and facts and adds the finished entities to the list set in first-seen
 * order; and opening csv.h readers with the EU/UK settings.
 */
#ifndef XC_LISTS_EXTRA_H
#define XC_LISTS_EXTRA_H

#include <stdio.h>

#include "csv.h"
#include "lists.h"

/* ---- entity collector ---- */
typedef struct xc__x_ent xc__x_ent;
typedef struct xc__x_coll xc__x_coll;

/* A collector for list index `list` of set; `file` names the file in reports. NULL on OOM. */
xc__x_coll *xc__x_coll_new(xc__listset *set, int list, const char *file);
/* Frees everything not yet added. NULL is a no-op. */
void xc__x_coll_free(xc__x_coll *coll);
/* Sets the row that later reports refer to. */
void xc__x_coll_row(xc__x_coll *coll, size_t row);
/* The entity with this source id, created when new (kind ANY). NULL on OOM or limits. */
xc__x_ent *xc__x_get(xc__x_coll *coll, const char *id, size_t len);
/* The entity with this source id when one was collected, else NULL (nothing is created). */
xc__x_ent *xc__x_find(xc__x_coll *coll, const char *id, size_t len);
size_t xc__x_count(const xc__x_coll *coll);

/* Each adder trims, replaces invalid UTF-8 (reported once per row), ignores empty text and
 * duplicates, and returns XC_OK, XC_NOMEM, or XC_OK after reporting a per-entity limit. */
void xc__x_kind(xc__x_ent *ent, xc_kind kind);
xc_status xc__x_name(xc__x_coll *coll, xc__x_ent *ent, const char *text, size_t len,
                     xc__name_type type, bool reorder);
xc_status xc__x_dob(xc__x_coll *coll, xc__x_ent *ent, xc__pdate date);
/* A country: alpha-2 code when the text is one or a name xc__country_code knows (also before a
 * "(...)" note), else the text as published. */
xc_status xc__x_country(xc__x_coll *coll, xc__x_ent *ent, const char *text, size_t len);
/* The same, given as a nationality or citizenship: also kept in the entity's nationalities. */
xc_status xc__x_nationality(xc__x_coll *coll, xc__x_ent *ent, const char *text, size_t len);
/* A place of birth as published. */
xc_status xc__x_pob(xc__x_coll *coll, xc__x_ent *ent, const char *text, size_t len);
xc_status xc__x_address(xc__x_coll *coll, xc__x_ent *ent, const char *text, size_t len);
xc_status xc__x_ident(xc__x_coll *coll, xc__x_ent *ent, const char *type, const char *value,
                      size_t value_len, const char *country);
xc_status xc__x_program(xc__x_coll *coll, xc__x_ent *ent, const char *text, size_t len);
xc_status xc__x_remark(xc__x_coll *coll, xc__x_ent *ent, const char *text, size_t len);
/* Keeps the earliest date given (YYYY-MM-DD). */
void xc__x_listed(xc__x_ent *ent, xc__pdate date);
/* Adds every collected entity to the set (entities without a name are reported and dropped),
 * then empties the collector. */
xc_status xc__x_finish(xc__x_coll *coll);
/* Copies text into the set's arena, trimmed and UTF-8 sanitised. NULL on OOM. */
const char *xc__x_str(xc__x_coll *coll, const char *text, size_t len);

/* ---- CSV ----
 * The EU and UK CSVs are read with csv.h under the rules their parsers were written for: records
 * up to 4 MiB with at most 1024 fields, and blank lines and 0x1A bytes returned as data (the
 * parsers report what does not fit the header). */

/* Opens a reader over data[0..len), or over the file at path when data is NULL; *file is then
 * the open stream (else NULL). Close both with xc__x_csv_close. XC_IO ("path: reason") or
 * XC_NOMEM. */
xc_status xc__x_csv_open(const char *path, const void *data, size_t len, char delim,
                         xc__csv **csv, FILE **file, xc_error *err);
void xc__x_csv_close(xc__csv *csv, FILE *file);

/* Finds the index of header cell `name` (trimmed, case-insensitive) or -1. */
int xc__x_header_index(const char *const *cells, size_t ncells, const char *name);

#endif /* XC_LISTS_EXTRA_H */
