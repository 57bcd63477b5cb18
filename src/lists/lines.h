/*
 * lines.h — a bounded line reader for the line-oriented list formats (the internal watch list,
 * FollowTheMoney JSON Lines; watchlist.c, ftm.c).
 *
 * Reads one line at a time from a FILE or a memory buffer. A line ends at LF (a CR before it is
 * dropped) or at the end of the input; a last line without LF is returned as any other. A line
 * longer than max bytes is consumed to its end and reported as XC_TOOBIG, so the next call
 * returns the next line: one over-long line never costs the lines after it. Memory is bounded by
 * max. A UTF-8 byte-order mark at the very start is skipped.
 */
#ifndef XC_LISTS_LINES_H
#define XC_LISTS_LINES_H

#include <stdio.h>

#include "../base/base.h"

typedef struct xc__lines xc__lines;

/* Opens a reader over an open stream (not closed by the reader) or over memory (borrowed, must
 * outlive the reader). max: longest line kept, in bytes (0 = 1 MiB). NULL on out of memory. */
xc__lines *xc__lines_open_file(FILE *file, size_t max);
xc__lines *xc__lines_open_mem(const char *data, size_t len, size_t max);
void xc__lines_close(xc__lines *lines);

/* Reads the next line. XC_OK: *line (borrowed until the next call, NUL-terminated; may contain
 * NUL bytes from hostile input) and *len are set; XC_NOTFOUND: end of input; XC_TOOBIG: the line
 * was over max bytes and was skipped; XC_IO: read error. */
xc_status xc__lines_next(xc__lines *lines, const char **line, size_t *len);
/* 1-based number of the line last returned (or skipped). */
size_t xc__lines_number(const xc__lines *lines);

#endif /* XC_LISTS_LINES_H */
