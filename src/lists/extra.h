/*
 * extra.h — helpers shared by the EU, UK and METI parsers (eu.c, uk.c, meti.c): an entity
 * collector that groups sub-records by source id (rows of one entity need not be adjacent),
 * deduplicates names and facts and adds the finished entities to the list set in first-seen
 * order; a small streaming CSV reader (any one-byte separator, quotes, CRLF, BOM, SHA-256 of the
 * bytes read); file hashing; and a short country-name table.
 *
 * TODO(lead): the CSV reader and the fallback country table duplicate what csv.c / country.c
 * provide; fold them.
 */
#ifndef XC_LISTS_EXTRA_H
#define XC_LISTS_EXTRA_H

#include <stdio.h>

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
size_t xc__x_count(const xc__x_coll *coll);

/* Each adder trims, replaces invalid UTF-8 (reported once per row), ignores empty text and
 * duplicates, and returns XC_OK, XC_NOMEM, or XC_OK after reporting a per-entity limit. */
void xc__x_kind(xc__x_ent *ent, xc_kind kind);
xc_status xc__x_name(xc__x_coll *coll, xc__x_ent *ent, const char *text, size_t len,
                     xc__name_type type, bool reorder);
xc_status xc__x_dob(xc__x_coll *coll, xc__x_ent *ent, xc__pdate date);
/* A country: alpha-2 code when the text is one or a known name, else the text as published. */
xc_status xc__x_country(xc__x_coll *coll, xc__x_ent *ent, const char *text, size_t len);
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

/* ---- streaming CSV ---- */
typedef struct xc__x_csv {
    FILE *file;             /* owned when opened by xc__x_csv_open */
    const char *mem;        /* or an in-memory input */
    size_t mem_len, mem_pos;
    char chunk[65536];
    size_t chunk_len, chunk_pos;
    char sep;
    bool started, eof, io_error, oom;
    xc__buf rec;            /* NUL-separated fields of the current record */
    size_t *offs;
    const char **fields;    /* valid after xc__x_csv_next returns 1 */
    size_t nfields, fields_cap, max_fields;
    bool truncated;         /* record was longer than the limit: treat as malformed */
    size_t line;            /* line on which the current record starts (1-based) */
    size_t next_line;
    xc__sha256 sha;
} xc__x_csv;

xc_status xc__x_csv_open(xc__x_csv *csv, const char *path, char sep, xc_error *err);
void xc__x_csv_init_mem(xc__x_csv *csv, const void *data, size_t len, char sep);
/* 1 = a record is in fields[0..nfields), 0 = end of input, -1 = read error (io_error) or out
 * of memory (oom). */
int xc__x_csv_next(xc__x_csv *csv);
/* Hex SHA-256 of every byte read so far (call at the end). */
void xc__x_csv_sha256(xc__x_csv *csv, char out[65]);
void xc__x_csv_close(xc__x_csv *csv);

/* Fallback alpha-2 code for a country name (after xc__country_code), or NULL. Static result. */
const char *xc__x_country_code(const char *name, size_t len);

/* Finds the index of header cell `name` (trimmed, case-insensitive) or -1. */
int xc__x_header_index(const char *const *cells, size_t ncells, const char *name);

#endif /* XC_LISTS_EXTRA_H */
