/*
 * sheet.c — xlsx and ods rows by streaming (see sheet.h). One zip entry at a time is opened with
 * libzip and fed to an xmlTextReader through xmlReaderForIO; the reader's callbacks count the
 * bytes so that an entry inflating past max_entry stops the read whatever its header declares.
 * Each row's cells are gathered as (column, text) pairs in one bounded buffer and turned into a
 * dense array when the row ends. libxml2 errors are captured on the reader, never printed.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "sheet.h"

#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define ODS_MIME "application/vnd.oasis.opendocument.spreadsheet"
#define MAX_SHARED_STRINGS 20000000u

typedef struct cell_ref {
    size_t col;
    size_t off; /* into reader.rowtext */
} cell_ref;

typedef struct reader {
    zip_t *zip;
    xc__sheet_opts opts;
    xc__sheet_row_fn row_fn;
    void *ctx;
    xc_error *err;
    xc_status status;       /* first error, XC_OK while reading */
    /* current entry */
    zip_file_t *file;
    const char *entry;
    uint64_t entry_bytes;
    bool entry_too_big, entry_read_error;
    char xml_error[300];
    /* current row */
    xc__buf rowtext;        /* NUL-separated cell texts */
    cell_ref *refs;
    size_t ref_count, ref_cap;
    const char **cells;     /* max_columns + 1 */
    xc__buf cell;           /* text of the cell being read */
    bool cell_cut;
    bool row_cols_dropped;
    size_t rows_delivered;
    /* Replay after an XML error: libxml2's reader drops the nodes of the chunk in which the
     * error lies, so the sheet is read again in small chunks, skipping the rows already
     * delivered, to recover the rows just before the error. */
    bool small_reads;
    size_t replay_skip;       /* rows to pass over silently */
    size_t rows_seen;
    /* xlsx shared strings */
    xc__buf sst;
    size_t *sst_off;
    size_t sst_count, sst_cap;
} reader;

static void warnf(reader *r, size_t row, const char *fmt, ...) XC__PRINTF(3, 4);
static void warnf(reader *r, size_t row, const char *fmt, ...)
{
    if (!r->opts.warn || r->rows_seen < r->replay_skip)
        return;
    char message[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    r->opts.warn(r->ctx, row, message);
}

static xc_status fail(reader *r, xc_status code, const char *fmt, ...) XC__PRINTF(3, 4);
static xc_status fail(reader *r, xc_status code, const char *fmt, ...)
{
    if (r->status != XC_OK)
        return r->status;
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    r->status = code;
    return xc__error_set(r->err, code, "%s", message);
}

/* ---- zip entries as libxml2 input ---- */

static int entry_read(void *context, char *buffer, int len)
{
    reader *r = context;
    if (len <= 0)
        return 0;
    if (r->small_reads && len > 128)
        len = 128;
    zip_int64_t n = zip_fread(r->file, buffer, (zip_uint64_t)len);
    if (n < 0) {
        r->entry_read_error = true;
        return -1;
    }
    r->entry_bytes += (uint64_t)n;
    if (r->entry_bytes > r->opts.max_entry) {
        r->entry_too_big = true;
        return -1;
    }
    return (int)n;
}

static int entry_close(void *context)
{
    (void)context;
    return 0;
}

static void xml_error_handler(void *context, const xmlError *error)
{
    reader *r = context;
    if (r->xml_error[0] || !error)
        return;
    const char *msg = error->message ? error->message : "XML error";
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    snprintf(r->xml_error, sizeof r->xml_error, "line %d: %.*s", error->line, (int)n, msg);
}

/* libxml2 2.12 made the error argument const. */
#if LIBXML_VERSION >= 21200
static void xml_error_cb(void *context, const xmlError *error)
#else
static void xml_error_cb(void *context, xmlErrorPtr error)
#endif
{
    xml_error_handler(context, error);
}

static void zip_status_text(zip_error_t *zerr, char *out, size_t size)
{
    snprintf(out, size, "%s", zip_error_strerror(zerr));
}

/* Opens entry `name`; returns a reader positioned before its first node, or NULL with
 * r->status set. */
static xmlTextReaderPtr entry_open(reader *r, const char *name, bool required)
{
    zip_int64_t index = zip_name_locate(r->zip, name, 0);
    if (index < 0) {
        if (required)
            fail(r, XC_UNSUPPORTED, "archive has no %s", name);
        return NULL;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(r->zip, (zip_uint64_t)index, 0, &st) != 0) {
        fail(r, XC_CORRUPT, "%s: cannot stat entry", name);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > r->opts.max_entry) {
        fail(r, XC_TOOBIG, "%s: declares %llu bytes uncompressed, limit %zu", name,
             (unsigned long long)st.size, r->opts.max_entry);
        return NULL;
    }
    r->file = zip_fopen_index(r->zip, (zip_uint64_t)index, 0);
    if (!r->file) {
        char text[200];
        zip_status_text(zip_get_error(r->zip), text, sizeof text);
        fail(r, XC_CORRUPT, "%s: %s", name, text);
        return NULL;
    }
    r->entry = name;
    r->entry_bytes = 0;
    r->entry_too_big = r->entry_read_error = false;
    r->xml_error[0] = '\0';
    xmlTextReaderPtr xr = xmlReaderForIO(entry_read, entry_close, r, name, NULL,
                                         XML_PARSE_NONET | XML_PARSE_NOERROR |
                                             XML_PARSE_NOWARNING | XML_PARSE_COMPACT |
                                             XML_PARSE_RECOVER);
    if (!xr) {
        zip_fclose(r->file);
        r->file = NULL;
        fail(r, XC_NOMEM, "%s: cannot create XML reader", name);
        return NULL;
    }
    xmlTextReaderSetStructuredErrorHandler(xr, xml_error_cb, r);
    return xr;
}

/* Closes the entry; turns a reader failure (-1 from xmlTextReaderRead) into the right status. */
static xc_status entry_close_all(reader *r, xmlTextReaderPtr xr, int last_read)
{
    /* In recover mode the reader may go on past an error; the error still counts. */
    if (last_read >= 0 && r->xml_error[0] && r->status == XC_OK)
        last_read = -1;
    if (last_read < 0 && r->status == XC_OK) {
        if (r->entry_too_big)
            fail(r, XC_TOOBIG, "%s: inflates past %zu bytes", r->entry, r->opts.max_entry);
        else if (r->entry_read_error) {
            char text[200];
            zip_status_text(zip_file_get_error(r->file), text, sizeof text);
            fail(r, XC_CORRUPT, "%s: %s", r->entry, text);
        } else
            fail(r, XC_PARSE, "%s %s", r->entry,
                 r->xml_error[0] ? r->xml_error : "malformed XML");
    }
    xmlFreeTextReader(xr);
    if (r->file)
        zip_fclose(r->file);
    r->file = NULL;
    return r->status;
}

/* ---- helpers ---- */

static bool name_is(xmlTextReaderPtr xr, const char *local)
{
    const xmlChar *n = xmlTextReaderConstLocalName(xr);
    return n && strcmp((const char *)n, local) == 0;
}

static bool ns_is(xmlTextReaderPtr xr, const char *ns)
{
    const xmlChar *u = xmlTextReaderConstNamespaceUri(xr);
    return u && strcmp((const char *)u, ns) == 0;
}

/* Parses a non-negative decimal attribute; saturates at limit; `dflt` when absent or bad. */
static size_t attr_count(xmlTextReaderPtr xr, const char *name, const char *ns, size_t dflt,
                         size_t limit)
{
    xmlChar *v = ns ? xmlTextReaderGetAttributeNs(xr, (const xmlChar *)name, (const xmlChar *)ns)
                    : xmlTextReaderGetAttribute(xr, (const xmlChar *)name);
    if (!v)
        return dflt;
    size_t n = 0;
    const char *p = (const char *)v;
    bool any = false;
    while (*p >= '0' && *p <= '9') {
        any = true;
        if (n < limit)
            n = n * 10 + (size_t)(*p - '0');
        if (n > limit)
            n = limit;
        p++;
    }
    bool whole = any && *p == '\0';
    xmlFree(v);
    return whole ? n : dflt;
}

static void cell_append(reader *r, const char *s, size_t len, size_t row)
{
    if (r->cell_cut)
        return;
    xc_status rc = xc__buf_append(&r->cell, s, len);
    if (rc == XC_NOMEM) {
        r->cell_cut = true;
        fail(r, XC_NOMEM, "out of memory");
        return;
    }
    if (rc != XC_OK) {
        r->cell_cut = true;
        warnf(r, row, "%s row %zu: cell longer than %zu bytes, cut", r->entry, row,
              r->opts.max_cell);
    }
}

static void row_begin(reader *r)
{
    xc__buf_reset(&r->rowtext);
    r->ref_count = 0;
    r->row_cols_dropped = false;
}

/* Adds the cell text (trimmed) at column col of the current row. */
static xc_status row_put(reader *r, size_t col, const char *text, size_t len, size_t row)
{
    text = xc__trim(text, &len);
    if (len == 0)
        return XC_OK;
    if (col >= r->opts.max_columns) {
        if (!r->row_cols_dropped)
            warnf(r, row, "%s row %zu: text beyond column %zu dropped", r->entry, row,
                  r->opts.max_columns);
        r->row_cols_dropped = true;
        return XC_OK;
    }
    if (r->ref_count == r->ref_cap) {
        size_t cap = r->ref_cap ? r->ref_cap * 2 : 64;
        cell_ref *refs = xc__realloc(r->refs, cap * sizeof *refs);
        if (!refs)
            return fail(r, XC_NOMEM, "out of memory");
        r->refs = refs;
        r->ref_cap = cap;
    }
    size_t off = r->rowtext.len;
    xc_status rc = xc__buf_append(&r->rowtext, text, len);
    if (rc == XC_OK)
        rc = xc__buf_putc(&r->rowtext, '\0');
    if (rc != XC_OK) {
        r->rowtext.len = off;
        if (rc == XC_NOMEM)
            return fail(r, XC_NOMEM, "out of memory");
        warnf(r, row, "%s row %zu: row text too long, cell dropped", r->entry, row);
        return XC_OK;
    }
    r->refs[r->ref_count].col = col;
    r->refs[r->ref_count].off = off;
    r->ref_count++;
    return XC_OK;
}

static xc_status row_emit(reader *r, size_t row)
{
    if (r->ref_count == 0)
        return XC_OK;
    if (r->rows_seen++ < r->replay_skip)
        return XC_OK;
    if (r->rows_delivered >= r->opts.max_rows)
        return fail(r, XC_TOOBIG, "%s: more than %zu rows", r->entry, r->opts.max_rows);
    size_t ncells = 0;
    for (size_t i = 0; i < r->ref_count; i++)
        if (r->refs[i].col + 1 > ncells)
            ncells = r->refs[i].col + 1;
    for (size_t i = 0; i < ncells; i++)
        r->cells[i] = "";
    for (size_t i = 0; i < r->ref_count; i++)
        r->cells[r->refs[i].col] = r->rowtext.data + r->refs[i].off;
    r->rows_delivered++;
    xc_status rc = r->row_fn(r->ctx, row, r->cells, ncells);
    if (rc != XC_OK && r->status == XC_OK) {
        r->status = rc;
        if (r->err && r->err->code == XC_OK)
            xc__error_set(r->err, rc, "row callback stopped at %s row %zu", r->entry, row);
    }
    return rc;
}

/* ---- xlsx ---- */

/* Column index (0-based) from a cell reference such as "AB12"; SIZE_MAX when not letters. */
static size_t column_of(const char *ref)
{
    size_t col = 0;
    const char *p = ref;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        int c = (*p >= 'a') ? *p - 'a' : *p - 'A';
        col = col * 26 + (size_t)c + 1;
        if (col > 1000000)
            return SIZE_MAX;
        p++;
    }
    return p == ref ? SIZE_MAX : col - 1;
}

static xc_status xlsx_shared_strings(reader *r, const char *name)
{
    xmlTextReaderPtr xr = entry_open(r, name, false);
    if (!xr)
        return r->status;
    xc__buf_init(&r->sst, r->opts.max_entry);
    int rc;
    bool in_si = false, in_t = false;
    int rph_depth = 0;
    while ((rc = xmlTextReaderRead(xr)) == 1 && r->status == XC_OK) {
        int type = xmlTextReaderNodeType(xr);
        if (type == XML_READER_TYPE_ELEMENT) {
            bool empty = xmlTextReaderIsEmptyElement(xr);
            if (name_is(xr, "si")) {
                in_si = true;
                xc__buf_reset(&r->cell);
                r->cell_cut = false;
            } else if (name_is(xr, "rPh") && !empty) {
                rph_depth++;
            } else if (name_is(xr, "t") && in_si && !empty) {
                in_t = true;
            }
            if (!(empty && name_is(xr, "si")))
                continue;
        } else if (type != XML_READER_TYPE_END_ELEMENT) {
            if (in_t && rph_depth == 0 &&
                (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                 type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                 type == XML_READER_TYPE_WHITESPACE)) {
                const char *v = (const char *)xmlTextReaderConstValue(xr);
                if (v)
                    cell_append(r, v, strlen(v), 0);
            }
            continue;
        }
        /* end element (or empty <si/>) */
        if (name_is(xr, "t")) {
            in_t = false;
        } else if (name_is(xr, "rPh")) {
            if (rph_depth > 0)
                rph_depth--;
        } else if (name_is(xr, "si") && in_si) {
            in_si = false;
            if (r->sst_count >= MAX_SHARED_STRINGS) {
                fail(r, XC_TOOBIG, "%s: more than %u shared strings", name,
                     MAX_SHARED_STRINGS);
                break;
            }
            if (r->sst_count == r->sst_cap) {
                size_t cap = r->sst_cap ? r->sst_cap * 2 : 1024;
                size_t *off = xc__realloc(r->sst_off, cap * sizeof *off);
                if (!off) {
                    fail(r, XC_NOMEM, "out of memory");
                    break;
                }
                r->sst_off = off;
                r->sst_cap = cap;
            }
            size_t off = r->sst.len;
            xc_status st = xc__buf_append(&r->sst, r->cell.data ? r->cell.data : "",
                                          r->cell.len);
            if (st == XC_OK)
                st = xc__buf_putc(&r->sst, '\0');
            if (st != XC_OK) {
                fail(r, st, "%s: shared strings too large", name);
                break;
            }
            r->sst_off[r->sst_count++] = off;
        }
    }
    return entry_close_all(r, xr, rc);
}

/* Reads a small XML entry and returns the value of attribute `want` on the first element
 * named `element` whose attribute `match_attr` equals match_value (or ends with it when
 * suffix is set); out empty when none. Used for workbook.xml and its relationships. */
static void xml_find_attr(reader *r, const char *entry, const char *element,
                          const char *match_attr, const char *match_ns, const char *match_value,
                          bool suffix, const char *want, const char *want_ns, char *out,
                          size_t out_size)
{
    out[0] = '\0';
    xmlTextReaderPtr xr = entry_open(r, entry, false);
    if (!xr)
        return;
    int rc;
    while ((rc = xmlTextReaderRead(xr)) == 1) {
        if (xmlTextReaderNodeType(xr) != XML_READER_TYPE_ELEMENT || !name_is(xr, element))
            continue;
        bool ok = true;
        if (match_attr) {
            xmlChar *v = match_ns ? xmlTextReaderGetAttributeNs(xr, (const xmlChar *)match_attr,
                                                                (const xmlChar *)match_ns)
                                  : xmlTextReaderGetAttribute(xr, (const xmlChar *)match_attr);
            ok = false;
            if (v) {
                size_t vl = strlen((const char *)v), ml = strlen(match_value);
                ok = suffix ? (vl >= ml && strcmp((const char *)v + vl - ml, match_value) == 0)
                            : strcmp((const char *)v, match_value) == 0;
                xmlFree(v);
            }
        }
        if (!ok)
            continue;
        xmlChar *v = want_ns ? xmlTextReaderGetAttributeNs(xr, (const xmlChar *)want,
                                                           (const xmlChar *)want_ns)
                             : xmlTextReaderGetAttribute(xr, (const xmlChar *)want);
        if (v) {
            xc__strlcpy(out, (const char *)v, out_size);
            xmlFree(v);
        }
        break;
    }
    /* Problems in these small entries only mean falling back to the usual names. */
    xc_status saved = r->status;
    xmlFreeTextReader(xr);
    zip_fclose(r->file);
    r->file = NULL;
    r->status = saved;
}

/* Resolves a relationship target against xl/. */
static void xlsx_target(const char *target, char *out, size_t size)
{
    if (target[0] == '/')
        xc__strlcpy(out, target + 1, size);
    else
        snprintf(out, size, "xl/%s", target);
}

static xc_status xlsx_sheet(reader *r, const char *name)
{
    xmlTextReaderPtr xr = entry_open(r, name, true);
    if (!xr)
        return r->status;
    int rc;
    size_t row = 0, col = 0;
    bool in_row = false, in_cell = false, in_value = false;
    int rph_depth = 0;
    char type[16] = "";
    while ((rc = xmlTextReaderRead(xr)) == 1 && r->status == XC_OK) {
        int nt = xmlTextReaderNodeType(xr);
        if (nt == XML_READER_TYPE_ELEMENT) {
            bool empty = xmlTextReaderIsEmptyElement(xr);
            if (name_is(xr, "row")) {
                size_t n = attr_count(xr, "r", NULL, 0, 100000000);
                row = n ? n : row + 1;
                col = SIZE_MAX;
                row_begin(r);
                in_row = !empty;
            } else if (name_is(xr, "c") && in_row) {
                xmlChar *ref = xmlTextReaderGetAttribute(xr, (const xmlChar *)"r");
                size_t c = ref ? column_of((const char *)ref) : (col == SIZE_MAX ? 0 : col + 1);
                if (ref)
                    xmlFree(ref);
                col = c;
                xmlChar *t = xmlTextReaderGetAttribute(xr, (const xmlChar *)"t");
                xc__strlcpy(type, t ? (const char *)t : "", sizeof type);
                if (t)
                    xmlFree(t);
                xc__buf_reset(&r->cell);
                r->cell_cut = false;
                in_cell = !empty;
            } else if (in_cell && (name_is(xr, "v") || name_is(xr, "t")) && !empty) {
                in_value = true;
            } else if (in_cell && name_is(xr, "rPh") && !empty) {
                rph_depth++;
            }
        } else if (nt == XML_READER_TYPE_END_ELEMENT) {
            if (name_is(xr, "v") || name_is(xr, "t")) {
                in_value = false;
            } else if (name_is(xr, "rPh")) {
                if (rph_depth > 0)
                    rph_depth--;
            } else if (name_is(xr, "c") && in_cell) {
                in_cell = false;
                const char *text = r->cell.data ? r->cell.data : "";
                size_t len = r->cell.len;
                if (strcmp(type, "s") == 0) {
                    size_t idx = 0;
                    bool ok = len > 0 && len < 12;
                    for (size_t i = 0; ok && i < len; i++) {
                        if (text[i] < '0' || text[i] > '9')
                            ok = false;
                        else
                            idx = idx * 10 + (size_t)(text[i] - '0');
                    }
                    if (!ok || idx >= r->sst_count) {
                        warnf(r, row, "%s row %zu: bad shared string index", r->entry, row);
                        continue;
                    }
                    text = r->sst.data + r->sst_off[idx];
                    len = strlen(text);
                }
                if (col != SIZE_MAX && row_put(r, col, text, len, row) != XC_OK)
                    break;
            } else if (name_is(xr, "row") && in_row) {
                in_row = false;
                if (row_emit(r, row) != XC_OK)
                    break;
            }
        } else if (in_value && rph_depth == 0 &&
                   (nt == XML_READER_TYPE_TEXT || nt == XML_READER_TYPE_CDATA ||
                    nt == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                    nt == XML_READER_TYPE_WHITESPACE)) {
            const char *v = (const char *)xmlTextReaderConstValue(xr);
            if (v)
                cell_append(r, v, strlen(v), row);
        }
    }
    return entry_close_all(r, xr, rc);
}

/* Sets up a second, small-chunk pass after an XML error (see reader.small_reads). The error
 * message of the first pass is kept if the second ends the same way. */
static bool replay_prepare(reader *r)
{
    if (r->small_reads)
        return false;
    r->small_reads = true;
    r->replay_skip = r->rows_delivered;
    r->rows_seen = 0;
    r->status = XC_OK;
    if (r->err) {
        r->err->code = XC_OK;
        r->err->message[0] = '\0';
    }
    return true;
}

static xc_status read_xlsx(reader *r)
{
    char rid[128], target[512], path[600], sst_path[600];
    xml_find_attr(r, "xl/workbook.xml", "sheet", NULL, NULL, NULL, false, "id", NS_REL, rid,
                  sizeof rid);
    xc__strlcpy(path, "xl/worksheets/sheet1.xml", sizeof path);
    xc__strlcpy(sst_path, "xl/sharedStrings.xml", sizeof sst_path);
    if (rid[0]) {
        xml_find_attr(r, "xl/_rels/workbook.xml.rels", "Relationship", "Id", NULL, rid, false,
                      "Target", NULL, target, sizeof target);
        if (target[0])
            xlsx_target(target, path, sizeof path);
    }
    xml_find_attr(r, "xl/_rels/workbook.xml.rels", "Relationship", "Type", NULL,
                  "/sharedStrings", true, "Target", NULL, target, sizeof target);
    if (target[0])
        xlsx_target(target, sst_path, sizeof sst_path);
    if (r->status != XC_OK)
        return r->status;
    xc_status rc = xlsx_shared_strings(r, sst_path);
    if (rc != XC_OK)
        return rc;
    rc = xlsx_sheet(r, path);
    if (rc == XC_PARSE && r->rows_delivered > 0 && replay_prepare(r))
        rc = xlsx_sheet(r, path);
    return rc;
}

/* ---- ods ---- */

static xc_status read_ods(reader *r)
{
    xmlTextReaderPtr xr = entry_open(r, "content.xml", true);
    if (!xr)
        return r->status;
    const size_t big = (size_t)1 << 40;
    int rc;
    int table_depth = 0, tables_seen = 0;
    bool in_row = false, in_cell = false;
    int p_depth = 0, paragraphs = 0;
    size_t row = 0, col = 0, row_repeat = 1, col_repeat = 1;
    char fallback[128] = "";
    while ((rc = xmlTextReaderRead(xr)) == 1 && r->status == XC_OK) {
        int nt = xmlTextReaderNodeType(xr);
        if (nt == XML_READER_TYPE_ELEMENT) {
            bool empty = xmlTextReaderIsEmptyElement(xr);
            if (ns_is(xr, NS_TABLE) && name_is(xr, "table")) {
                if (table_depth == 0)
                    tables_seen++;
                if (!empty)
                    table_depth++;
                continue;
            }
            if (table_depth != 1 || tables_seen != 1)
                continue;
            if (ns_is(xr, NS_TABLE) && name_is(xr, "table-row")) {
                row_repeat = attr_count(xr, "number-rows-repeated", NS_TABLE, 1, big);
                if (row_repeat == 0)
                    row_repeat = 1;
                row_begin(r);
                col = 0;
                if (empty) {
                    row = row + row_repeat > row ? row + row_repeat : SIZE_MAX;
                } else {
                    in_row = true;
                }
            } else if (in_row && ns_is(xr, NS_TABLE) &&
                       (name_is(xr, "table-cell") || name_is(xr, "covered-table-cell"))) {
                col_repeat = attr_count(xr, "number-columns-repeated", NS_TABLE, 1, big);
                if (col_repeat == 0)
                    col_repeat = 1;
                xc__buf_reset(&r->cell);
                r->cell_cut = false;
                paragraphs = 0;
                fallback[0] = '\0';
                static const char *const value_attrs[] = {"value", "date-value", "time-value",
                                                          "boolean-value", "string-value"};
                for (size_t i = 0; i < XC__ARRAY_LEN(value_attrs) && !fallback[0]; i++) {
                    xmlChar *v = xmlTextReaderGetAttributeNs(
                        xr, (const xmlChar *)value_attrs[i], (const xmlChar *)NS_OFFICE);
                    if (v) {
                        xc__strlcpy(fallback, (const char *)v, sizeof fallback);
                        xmlFree(v);
                    }
                }
                in_cell = true;
                if (!empty)
                    continue;
                /* empty element: fall through to finish the cell now */
                nt = XML_READER_TYPE_END_ELEMENT;
            } else if (in_cell && ns_is(xr, NS_TEXT)) {
                if (name_is(xr, "p") || name_is(xr, "h")) {
                    if (paragraphs++ > 0)
                        cell_append(r, "\n", 1, row + 1);
                    if (!empty)
                        p_depth++;
                } else if (p_depth > 0 && name_is(xr, "s")) {
                    size_t n = attr_count(xr, "c", NS_TEXT, 1, 1000);
                    for (size_t i = 0; i < n; i++)
                        cell_append(r, " ", 1, row + 1);
                } else if (p_depth > 0 && name_is(xr, "tab")) {
                    cell_append(r, "\t", 1, row + 1);
                } else if (p_depth > 0 && name_is(xr, "line-break")) {
                    cell_append(r, "\n", 1, row + 1);
                }
                continue;
            } else {
                continue;
            }
            if (nt != XML_READER_TYPE_END_ELEMENT)
                continue;
        }
        if (nt == XML_READER_TYPE_END_ELEMENT) {
            if (ns_is(xr, NS_TABLE) && name_is(xr, "table")) {
                if (table_depth > 0)
                    table_depth--;
                if (table_depth == 0 && tables_seen >= 1)
                    break; /* first sheet done */
                continue;
            }
            if (table_depth != 1 || tables_seen != 1)
                continue;
            if (ns_is(xr, NS_TEXT) && (name_is(xr, "p") || name_is(xr, "h"))) {
                if (p_depth > 0)
                    p_depth--;
            } else if (in_cell && ns_is(xr, NS_TABLE) &&
                       (name_is(xr, "table-cell") || name_is(xr, "covered-table-cell"))) {
                in_cell = false;
                p_depth = 0;
                const char *text = r->cell.data ? r->cell.data : "";
                size_t len = r->cell.len;
                if (len == 0) {
                    text = fallback;
                    len = strlen(fallback);
                }
                size_t tl = len;
                xc__trim(text, &tl);
                if (tl > 0) {
                    size_t copies = col_repeat;
                    if (col >= r->opts.max_columns)
                        copies = 1; /* row_put reports the drop */
                    else if (copies > r->opts.max_columns - col) {
                        warnf(r, row + 1,
                              "%s row %zu: cell repeated %zu times, capped at %zu columns",
                              r->entry, row + 1, col_repeat, r->opts.max_columns);
                        copies = r->opts.max_columns - col;
                    }
                    for (size_t k = 0; k < copies; k++)
                        if (row_put(r, col + k, text, len, row + 1) != XC_OK)
                            break;
                }
                col = col + col_repeat > col ? col + col_repeat : SIZE_MAX;
            } else if (in_row && ns_is(xr, NS_TABLE) && name_is(xr, "table-row")) {
                in_row = false;
                size_t copies = row_repeat;
                if (r->ref_count > 0 && copies > r->opts.max_repeat) {
                    warnf(r, row + 1, "%s row %zu: row repeated %zu times, capped at %zu",
                          r->entry, row + 1, row_repeat, r->opts.max_repeat);
                    copies = r->opts.max_repeat;
                }
                for (size_t k = 0; k < copies && r->ref_count > 0; k++)
                    if (row_emit(r, row + 1 + k) != XC_OK)
                        break;
                row = row + row_repeat > row ? row + row_repeat : SIZE_MAX;
            }
        } else if (in_cell && p_depth > 0 &&
                   (nt == XML_READER_TYPE_TEXT || nt == XML_READER_TYPE_CDATA ||
                    nt == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                    nt == XML_READER_TYPE_WHITESPACE)) {
            const char *v = (const char *)xmlTextReaderConstValue(xr);
            if (v)
                cell_append(r, v, strlen(v), row + 1);
        }
    }
    return entry_close_all(r, xr, rc);
}

/* ---- entry points ---- */

static xc_status read_archive(reader *r, xc__sheet_format format)
{
    if (format == XC__SHEET_AUTO) {
        if (zip_name_locate(r->zip, "xl/workbook.xml", 0) >= 0)
            format = XC__SHEET_XLSX;
        else if (zip_name_locate(r->zip, "content.xml", 0) >= 0) {
            format = XC__SHEET_ODS;
            /* mimetype is advisory: a content.xml is enough to try. */
        } else
            return fail(r, XC_UNSUPPORTED, "zip archive is neither xlsx nor ods");
    }
    r->cells = xc__malloc((r->opts.max_columns + 1) * sizeof *r->cells);
    if (!r->cells)
        return fail(r, XC_NOMEM, "out of memory");
    if (format == XC__SHEET_XLSX)
        return read_xlsx(r);
    xc_status rc = read_ods(r);
    if (rc == XC_PARSE && r->rows_delivered > 0 && replay_prepare(r))
        rc = read_ods(r);
    return rc;
}

static void reader_init(reader *r, const xc__sheet_opts *opts, xc__sheet_row_fn row, void *ctx,
                        xc_error *err)
{
    memset(r, 0, sizeof *r);
    if (opts)
        r->opts = *opts;
    if (!r->opts.max_entry)
        r->opts.max_entry = (size_t)512 << 20;
    if (!r->opts.max_cell)
        r->opts.max_cell = (size_t)256 << 10;
    if (!r->opts.max_columns)
        r->opts.max_columns = 1024;
    if (r->opts.max_columns > 1 << 20)
        r->opts.max_columns = 1 << 20;
    if (!r->opts.max_rows)
        r->opts.max_rows = 4000000;
    if (!r->opts.max_repeat)
        r->opts.max_repeat = 1000;
    r->row_fn = row;
    r->ctx = ctx;
    r->err = err;
    xc__buf_init(&r->cell, r->opts.max_cell);
    xc__buf_init(&r->rowtext, (size_t)64 << 20);
    xc__buf_init(&r->sst, r->opts.max_entry);
    if (err) {
        err->code = XC_OK;
        err->message[0] = '\0';
    }
}

static void reader_free(reader *r)
{
    if (r->zip)
        zip_discard(r->zip);
    xc__buf_free(&r->cell);
    xc__buf_free(&r->rowtext);
    xc__buf_free(&r->sst);
    xc__free_mem(r->refs);
    xc__free_mem(r->cells);
    xc__free_mem(r->sst_off);
}

xc_status xc__sheet_read_file(const char *path, xc__sheet_format format,
                              const xc__sheet_opts *opts, xc__sheet_row_fn row, void *ctx,
                              xc_error *err)
{
    reader r;
    reader_init(&r, opts, row, ctx, err);
    int code = 0;
    r.zip = zip_open(path, ZIP_RDONLY, &code);
    if (!r.zip) {
        zip_error_t zerr;
        zip_error_init_with_code(&zerr, code);
        xc_status st = (code == ZIP_ER_OPEN || code == ZIP_ER_NOENT || code == ZIP_ER_READ)
                           ? XC_IO
                           : XC_CORRUPT;
        fail(&r, st, "%s: %s", path, zip_error_strerror(&zerr));
        zip_error_fini(&zerr);
        reader_free(&r);
        return st;
    }
    xc_status rc = read_archive(&r, format);
    reader_free(&r);
    return rc;
}

xc_status xc__sheet_read_mem(const void *data, size_t len, xc__sheet_format format,
                             const xc__sheet_opts *opts, xc__sheet_row_fn row, void *ctx,
                             xc_error *err)
{
    reader r;
    reader_init(&r, opts, row, ctx, err);
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
    if (src)
        r.zip = zip_open_from_source(src, ZIP_RDONLY, &zerr);
    if (!r.zip) {
        fail(&r, XC_CORRUPT, "not a readable zip archive: %s", zip_error_strerror(&zerr));
        if (src)
            zip_source_free(src);
        zip_error_fini(&zerr);
        reader_free(&r);
        return XC_CORRUPT;
    }
    zip_error_fini(&zerr);
    xc_status rc = read_archive(&r, format);
    reader_free(&r);
    return rc;
}
