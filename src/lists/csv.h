/*
 * csv.h — a streaming CSV/DSV reader for the official list files.
 *
 * Reads one record at a time from a FILE or a memory buffer with a configurable delimiter and
 * quote character. Handles RFC 4180 quoting (doubled quotes, delimiters and newlines inside
 * quotes), CRLF or LF, a UTF-8 BOM at the start, OFAC's trailing 0x1A (Ctrl-Z) byte, and blank
 * lines (skipped; options keep them, and 0x1A bytes, as data). Memory is bounded: a field longer
 * than max_field, a record longer than max_record or with more than max_fields fields makes that
 * record an error (XC_TOOBIG); the reader still consumes it to its end, so the next call returns
 * the next record.
 *
 * Bytes are passed through as they are; callers decide what to do about invalid UTF-8.
 */
#ifndef XC_CSV_H
#define XC_CSV_H

#include <stdio.h>

#include "../base/base.h"

typedef struct xc__csv xc__csv;

typedef struct xc__csv_opts {
    char delim;        /* ',' by default (0 means ',') */
    char quote;        /* '"' by default (0 means '"'); use '\1' for "no quoting" */
    size_t max_field;  /* bytes; 0 = 1 MiB */
    size_t max_record; /* bytes of all fields together; 0 = 8 MiB */
    size_t max_fields; /* fields per record; 0 = 4096 */
    bool keep_blank;   /* return a blank line as a record of one empty field, not skip it */
    bool keep_ctrl_z;  /* keep 0x1A bytes as data instead of dropping them */
} xc__csv_opts;

/* Opens a reader over an open stream (not closed by the reader) or over memory (borrowed; must
 * outlive the reader). opts may be NULL for the defaults. NULL on out of memory. */
xc__csv *xc__csv_open_file(FILE *file, const xc__csv_opts *opts);
xc__csv *xc__csv_open_mem(const char *data, size_t len, const xc__csv_opts *opts);
void xc__csv_close(xc__csv *csv);

/* Reads the next record. XC_OK: a record is available; XC_NOTFOUND: end of input;
 * XC_TOOBIG: the record broke a size limit and was consumed and dropped (line and the limit
 * are available); XC_IO: read error; XC_NOMEM. After XC_TOOBIG the caller may go on. */
xc_status xc__csv_next(xc__csv *csv);

/* Fields of the current record. Borrowed: valid until the next xc__csv_next. Each field is
 * NUL-terminated; len gets its length (fields may contain NUL bytes from hostile input). */
size_t xc__csv_count(const xc__csv *csv);
const char *xc__csv_field(const xc__csv *csv, size_t i, size_t *len);
/* True when the current record ended inside a quoted field (the input ended first): what was
 * read is returned as the field, and a caller that reads one record per line refuses it. */
bool xc__csv_unterminated(const xc__csv *csv);
/* 1-based line on which the current (or just dropped) record starts. */
size_t xc__csv_line(const xc__csv *csv);
/* For XC_TOOBIG: a short description of the limit broken ("field over 1048576 bytes"). */
const char *xc__csv_error(const xc__csv *csv);

#endif /* XC_CSV_H */
