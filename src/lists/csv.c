/*
 * csv.c — the streaming CSV/DSV reader behind every delimited list format (OFAC legacy CSV and
 * its '@' and '|' variants, the trade.gov CSL, BIS dpl.txt, the EU FSF and UK OFSI CSVs). See
 * csv.h for the contract.
 *
 * The reader is a small state machine over a byte source (a 64 KiB window over a FILE, or a
 * memory buffer). A record's fields are stored back to back, each NUL-terminated, in one
 * buffer that never grows past max_record; an over-long record keeps being scanned (so quoting
 * stays in step) but no longer stored, and is then reported as XC_TOOBIG.
 */
#include <string.h>

#include "csv.h"

#define IN_WINDOW 65536

enum { ST_START, ST_UNQUOTED, ST_QUOTED, ST_AFTER_QUOTE };

struct xc__csv {
    FILE *file;          /* source, or NULL for memory */
    const unsigned char *mem;
    size_t mem_len, mem_pos;
    unsigned char *window; /* read window over file */
    size_t win_len, win_pos;
    bool eof, io_error, checked_bom;
    int pushback;        /* -2 = none */
    xc__csv_opts opts;
    char *rec;           /* fields, each NUL-terminated */
    size_t rec_len, rec_cap;
    size_t *starts;      /* field start offsets into rec */
    size_t *lens;
    size_t count, fields_cap;
    size_t line;         /* current physical line (1-based) */
    size_t rec_line;     /* line the current record starts on */
    bool too_big;
    bool unterminated;   /* the current record ended inside a quoted field */
    char error[96];
};

static void set_defaults(xc__csv_opts *o, const xc__csv_opts *in)
{
    memset(o, 0, sizeof *o);
    if (in)
        *o = *in;
    if (!o->delim)
        o->delim = ',';
    if (!o->quote)
        o->quote = '"';
    if (!o->max_field)
        o->max_field = (size_t)1 << 20;
    if (!o->max_record)
        o->max_record = (size_t)8 << 20;
    if (!o->max_fields)
        o->max_fields = 4096;
}

static xc__csv *csv_new(const xc__csv_opts *opts)
{
    xc__csv *csv = xc__calloc(1, sizeof *csv);
    if (!csv)
        return NULL;
    set_defaults(&csv->opts, opts);
    csv->pushback = -2;
    csv->line = 1;
    return csv;
}

xc__csv *xc__csv_open_file(FILE *file, const xc__csv_opts *opts)
{
    xc__csv *csv = csv_new(opts);
    if (!csv)
        return NULL;
    csv->file = file;
    csv->window = xc__malloc(IN_WINDOW);
    if (!csv->window) {
        xc__free_mem(csv);
        return NULL;
    }
    return csv;
}

xc__csv *xc__csv_open_mem(const char *data, size_t len, const xc__csv_opts *opts)
{
    xc__csv *csv = csv_new(opts);
    if (!csv)
        return NULL;
    csv->mem = (const unsigned char *)data;
    csv->mem_len = data ? len : 0;
    return csv;
}

void xc__csv_close(xc__csv *csv)
{
    if (!csv)
        return;
    xc__free_mem(csv->window);
    xc__free_mem(csv->rec);
    xc__free_mem(csv->starts);
    xc__free_mem(csv->lens);
    xc__free_mem(csv);
}

/* Next byte, or -1 at end of input (or after a read error, which is remembered). */
static int get_byte(xc__csv *csv)
{
    if (csv->pushback != -2) {
        int c = csv->pushback;
        csv->pushback = -2;
        return c;
    }
    if (!csv->file)
        return csv->mem_pos < csv->mem_len ? csv->mem[csv->mem_pos++] : -1;
    if (csv->win_pos == csv->win_len) {
        if (csv->eof)
            return -1;
        csv->win_len = fread(csv->window, 1, IN_WINDOW, csv->file);
        csv->win_pos = 0;
        if (csv->win_len < IN_WINDOW) {
            csv->eof = true;
            if (ferror(csv->file))
                csv->io_error = true;
        }
        if (csv->win_len == 0)
            return -1;
    }
    return csv->window[csv->win_pos++];
}

static int peek_byte(xc__csv *csv)
{
    int c = get_byte(csv);
    csv->pushback = c;
    return c;
}

/* Skips a UTF-8 byte order mark at the very start of the input. */
static void skip_bom(xc__csv *csv)
{
    csv->checked_bom = true;
    if (!csv->file) {
        if (csv->mem_len >= 3 && memcmp(csv->mem, "\xEF\xBB\xBF", 3) == 0)
            csv->mem_pos = 3;
        return;
    }
    get_byte(csv); /* fills the window */
    csv->win_pos = 0;
    if (csv->win_len >= 3 && memcmp(csv->window, "\xEF\xBB\xBF", 3) == 0)
        csv->win_pos = 3;
}

static void too_big(xc__csv *csv, const char *what, size_t limit)
{
    if (!csv->too_big)
        snprintf(csv->error, sizeof csv->error, "%s over %zu", what, limit);
    csv->too_big = true;
}

static xc_status reserve(xc__csv *csv, size_t extra)
{
    if (csv->rec_len + extra <= csv->rec_cap)
        return XC_OK;
    size_t cap = csv->rec_cap ? csv->rec_cap : 1024;
    while (cap < csv->rec_len + extra)
        cap *= 2;
    char *rec = xc__realloc(csv->rec, cap);
    if (!rec)
        return XC_NOMEM;
    csv->rec = rec;
    csv->rec_cap = cap;
    return XC_OK;
}

static xc_status put(xc__csv *csv, char c, size_t *field_len)
{
    if (csv->too_big)
        return XC_OK;
    if (*field_len >= csv->opts.max_field) {
        too_big(csv, "field bytes", csv->opts.max_field);
        return XC_OK;
    }
    if (csv->rec_len >= csv->opts.max_record) {
        too_big(csv, "record bytes", csv->opts.max_record);
        return XC_OK;
    }
    if (reserve(csv, 1) != XC_OK)
        return XC_NOMEM;
    csv->rec[csv->rec_len++] = c;
    (*field_len)++;
    return XC_OK;
}

static xc_status begin_field(xc__csv *csv)
{
    if (csv->too_big)
        return XC_OK;
    if (csv->count >= csv->opts.max_fields) {
        too_big(csv, "fields", csv->opts.max_fields);
        return XC_OK;
    }
    if (csv->count == csv->fields_cap) {
        size_t cap = csv->fields_cap ? csv->fields_cap * 2 : 32;
        size_t *starts = xc__realloc(csv->starts, cap * sizeof *starts);
        if (!starts)
            return XC_NOMEM;
        csv->starts = starts;
        size_t *lens = xc__realloc(csv->lens, cap * sizeof *lens);
        if (!lens)
            return XC_NOMEM;
        csv->lens = lens;
        csv->fields_cap = cap;
    }
    csv->starts[csv->count] = csv->rec_len;
    csv->lens[csv->count] = 0;
    csv->count++;
    return XC_OK;
}

static xc_status end_field(xc__csv *csv, size_t field_len)
{
    if (csv->too_big)
        return XC_OK;
    if (reserve(csv, 1) != XC_OK)
        return XC_NOMEM;
    csv->rec[csv->rec_len++] = '\0';
    csv->lens[csv->count - 1] = field_len;
    return XC_OK;
}

xc_status xc__csv_next(xc__csv *csv)
{
    if (!csv->checked_bom)
        skip_bom(csv);
    csv->count = 0;
    csv->rec_len = 0;
    csv->too_big = false;
    csv->unterminated = false;
    csv->error[0] = '\0';
    const int delim = (unsigned char)csv->opts.delim, quote = (unsigned char)csv->opts.quote;

    /* Skip blank lines and stray Ctrl-Z bytes between records. */
    int c;
    for (;;) {
        c = get_byte(csv);
        if (c == -1)
            return csv->io_error ? XC_IO : XC_NOTFOUND;
        if (c == 0x1A && !csv->opts.keep_ctrl_z)
            continue;
        if (csv->opts.keep_blank)
            break; /* a newline here ends a record of one empty field */
        if (c == '\n') {
            csv->line++;
            continue;
        }
        if (c == '\r') {
            if (peek_byte(csv) == '\n')
                get_byte(csv);
            csv->line++;
            continue;
        }
        break;
    }
    csv->rec_line = csv->line;
    int state = ST_START;
    size_t field_len = 0;
    xc_status rc = begin_field(csv);
    for (; rc == XC_OK; c = get_byte(csv)) {
        if (state == ST_QUOTED) {
            if (c == -1) {
                csv->unterminated = true; /* keep what was read; the caller may refuse it */
                break;
            }
            if (c == quote) {
                if (peek_byte(csv) == quote) {
                    get_byte(csv);
                    rc = put(csv, (char)c, &field_len);
                } else {
                    state = ST_AFTER_QUOTE;
                }
                continue;
            }
            if (c == '\n')
                csv->line++;
            rc = put(csv, (char)c, &field_len);
            continue;
        }
        if (c == -1)
            break;
        if (c == 0x1A && !csv->opts.keep_ctrl_z && peek_byte(csv) == -1)
            break; /* Ctrl-Z right before the end of the file */
        if (c == delim) {
            rc = end_field(csv, field_len);
            if (rc == XC_OK)
                rc = begin_field(csv);
            field_len = 0;
            state = ST_START;
            continue;
        }
        if (c == '\n' || c == '\r') {
            if (c == '\r' && peek_byte(csv) == '\n')
                get_byte(csv);
            csv->line++;
            break;
        }
        if (state == ST_START && c == quote) {
            state = ST_QUOTED;
            continue;
        }
        if (state == ST_START)
            state = ST_UNQUOTED;
        rc = put(csv, (char)c, &field_len); /* text after a closing quote is kept as is */
    }
    if (rc == XC_OK)
        rc = end_field(csv, field_len);
    if (rc != XC_OK)
        return rc;
    if (csv->io_error)
        return XC_IO;
    if (csv->too_big) {
        csv->count = 0;
        return XC_TOOBIG;
    }
    return XC_OK;
}

size_t xc__csv_count(const xc__csv *csv)
{
    return csv->count;
}

const char *xc__csv_field(const xc__csv *csv, size_t i, size_t *len)
{
    if (i >= csv->count) {
        if (len)
            *len = 0;
        return "";
    }
    if (len)
        *len = csv->lens[i];
    return csv->rec + csv->starts[i];
}

bool xc__csv_unterminated(const xc__csv *csv)
{
    return csv->unterminated;
}

size_t xc__csv_line(const xc__csv *csv)
{
    return csv->rec_line;
}

const char *xc__csv_error(const xc__csv *csv)
{
    return csv->error;
}
