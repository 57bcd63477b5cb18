/*
 * lines.c — the bounded line reader of lines.h: a 64 KiB window over a FILE (or a memory
 * buffer) and one line buffer that never grows past the caller's maximum.
 */
#include <string.h>

#include "lines.h"

#define WINDOW 65536

struct xc__lines {
    FILE *file;               /* source, or NULL for memory */
    const unsigned char *mem; /* memory source or the window */
    size_t mem_len, pos;
    unsigned char *window;
    bool eof, io_error, started;
    char *line;               /* current line, NUL-terminated */
    size_t cap, max;
    size_t number;
};

static xc__lines *open_reader(size_t max)
{
    xc__lines *r = xc__calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->max = max ? max : (size_t)1 << 20;
    r->cap = r->max < 4096 ? r->max + 1 : 4096;
    r->line = xc__malloc(r->cap);
    if (!r->line) {
        xc__free_mem(r);
        return NULL;
    }
    return r;
}

xc__lines *xc__lines_open_file(FILE *file, size_t max)
{
    xc__lines *r = open_reader(max);
    if (!r)
        return NULL;
    r->window = xc__malloc(WINDOW);
    if (!r->window) {
        xc__lines_close(r);
        return NULL;
    }
    r->file = file;
    r->mem = r->window;
    return r;
}

xc__lines *xc__lines_open_mem(const char *data, size_t len, size_t max)
{
    xc__lines *r = open_reader(max);
    if (!r)
        return NULL;
    r->mem = (const unsigned char *)(data ? data : "");
    r->mem_len = data ? len : 0;
    r->eof = true; /* nothing more to read beyond the buffer */
    return r;
}

void xc__lines_close(xc__lines *lines)
{
    if (!lines)
        return;
    xc__free_mem(lines->line);
    xc__free_mem(lines->window);
    xc__free_mem(lines);
}

/* Makes at least one unread byte available; false at the end of input. */
static bool fill(xc__lines *r)
{
    if (r->pos < r->mem_len)
        return true;
    if (r->eof || !r->file)
        return false;
    size_t n = fread(r->window, 1, WINDOW, r->file);
    if (n == 0) {
        r->eof = true;
        r->io_error = ferror(r->file) != 0;
        return false;
    }
    r->mem_len = n;
    r->pos = 0;
    return true;
}

xc_status xc__lines_next(xc__lines *r, const char **line, size_t *len)
{
    *line = "";
    *len = 0;
    if (!r->started) {
        r->started = true;
        if (fill(r) && r->mem_len - r->pos >= 3 && memcmp(r->mem + r->pos, "\xEF\xBB\xBF", 3) == 0)
            r->pos += 3;
    }
    if (!fill(r))
        return r->io_error ? XC_IO : XC_NOTFOUND;
    r->number++;
    size_t used = 0;
    bool too_long = false, ended = false;
    while (!ended && fill(r)) {
        const unsigned char *start = r->mem + r->pos;
        size_t avail = r->mem_len - r->pos;
        const unsigned char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        r->pos += take + (nl ? 1 : 0);
        ended = nl != NULL;
        if (too_long)
            continue;
        if (used + take > r->max) {
            too_long = true;
            continue;
        }
        if (used + take + 1 > r->cap) {
            size_t cap = r->cap;
            while (cap < used + take + 1)
                cap *= 2;
            if (cap > r->max + 1)
                cap = r->max + 1;
            char *grown = xc__realloc(r->line, cap);
            if (!grown)
                return XC_NOMEM;
            r->line = grown;
            r->cap = cap;
        }
        memcpy(r->line + used, start, take);
        used += take;
    }
    if (r->io_error)
        return XC_IO;
    if (too_long)
        return XC_TOOBIG;
    if (used && r->line[used - 1] == '\r')
        used--;
    r->line[used] = '\0';
    *line = r->line;
    *len = used;
    return XC_OK;
}

size_t xc__lines_number(const xc__lines *lines)
{
    return lines->number;
}
