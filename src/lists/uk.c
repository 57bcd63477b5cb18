/*
 * uk.c — the two UK lists. The FCDO UK Sanctions List (uk_fcdo) comes here as the ODS
 * designation export: one row per designation, keyed by Unique ID. The OFSI consolidated list
 * (uk_ofsi) comes as ConList.xlsx (2022 format) or the older ConList.csv (Windows-1252): one row
 * per name, grouped into one entity per Group ID wherever the rows are. Both layouts are read by
 * header titles, after an optional "Last Updated" preamble row that gives the version.
 */
#include <string.h>

#include <libxml/xmlreader.h>

#include "extra.h"
#include "sheet.h"
#include "sources_extra.h"

/* ---- shared ---- */

static bool parse_dmy(const char *s, xc__pdate *out)
{
    size_t len = strlen(s);
    s = xc__trim(s, &len);
    return len > 0 && xc__pdate_parse(s, len, true, out);
}

static void version_from(xc__listset *set, int list, const char *text)
{
    xc__pdate d;
    if (parse_dmy(text, &d) && d.month && d.day)
        xc__date_format(xc__date_from_ymd(d.year, d.month, d.day), set->lists[list].version);
}

static xc_kind kind_of(const char *type)
{
    if (xc__str_ieq(type, "Individual"))
        return XC_KIND_PERSON;
    if (xc__str_ieq(type, "Entity"))
        return XC_KIND_ORG;
    if (xc__str_ieq(type, "Ship"))
        return XC_KIND_VESSEL;
    return XC_KIND_ANY;
}

static bool is_zip(const void *head, size_t len)
{
    return len >= 4 && memcmp(head, "PK\x03\x04", 4) == 0;
}

static void sheet_warn(void *ctx, size_t row, const char *message);
static void fcdo_warn(void *ctx, size_t row, const char *message);

/* ======================= OFSI ConList ======================= */

enum {
    O_NAME6, O_NAME1, O_NAME2, O_NAME3, O_NAME4, O_NAME5, O_TITLE, O_NONLATIN, O_DOB,
    O_NATIONALITY, O_PASSPORT, O_PASSPORT_DETAILS, O_NATID, O_NATID_DETAILS, O_NI, O_ADDR1,
    O_ADDR2, O_ADDR3, O_ADDR4, O_ADDR5, O_ADDR6, O_POSTCODE, O_COUNTRY, O_OTHER, O_GROUP_TYPE,
    O_ALIAS_TYPE, O_ALIAS_QUALITY, O_REGIME, O_LISTED_ON, O_GROUP_ID, O_TOWN_OF_BIRTH,
    O_COUNTRY_OF_BIRTH, O_COUNT
};

static const char *const ofsi_titles[O_COUNT] = {
    "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title",
    "Name Non-Latin Script", "DOB", "Nationality", "Passport Number", "Passport Details",
    "National Identification Number", "National Identification Details", "NI Number",
    "Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6",
    "Post/Zip Code", "Country", "Other Information", "Group Type", "Alias Type",
    "Alias Quality", "Regime", "Listed On", "Group ID", "Town of Birth", "Country of Birth"};

/* The FCDO UK Sanctions List CSV has the same one-row-per-name shape under other titles
 * (taken from a third-party reader of UK_Sanctions_List.csv; not checked against a real file). */
static const char *const fcdo_csv_titles[O_COUNT] = {
    "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title",
    "Name non-latin script", "D.O.B", "Nationality(/ies)", "Passport number",
    "Passport additional information", "National Identifier number",
    "National Identifier additional information", "", "Address Line 1", "Address Line 2",
    "Address Line 3", "Address Line 4", "Address Line 5", "Address Line 6",
    "Address Postal Code", "Address Country", "Other Information", "Designation Type",
    "Name type", "Alias strength", "Regime Name", "Date Designated", "Unique ID", "", ""};

typedef struct ofsi_ctx {
    xc__listset *set;
    const char *path;
    const char *file;  /* base name for reports */
    int list;
    const char *const *titles; /* ofsi_titles or fcdo_csv_titles */
    const char *list_id, *list_title;
    xc__x_coll *coll;
    int col[O_COUNT];
    bool header_seen;
    char version_text[32];
    bool cp1252;
    xc_status status;
} ofsi_ctx;

static const char *cell(const char *const *cells, size_t ncells, int col)
{
    return col >= 0 && (size_t)col < ncells ? cells[col] : "";
}

/* Splits "1) Saudi Arabia 2) Qatar" (or a single value) into countries (nationalities too when
 * nationality). */
static xc_status add_countries(xc__x_coll *coll, xc__x_ent *e, const char *text,
                               bool nationality)
{
    const char *p = text;
    xc_status rc = XC_OK;
    while (*p && rc == XC_OK) {
        /* skip a "(n)" or "n)" marker */
        const char *q = p;
        while (*q == ' ' || *q == '(')
            q++;
        const char *digits = q;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q > digits && q - digits <= 2 && *q == ')')
            p = q + 1;
        /* the value runs to the next marker */
        const char *end = p;
        for (;;) {
            if (!*end)
                break;
            const char *m = end;
            while (*m == ' ' || *m == '(')
                m++;
            const char *d = m;
            while (*m >= '0' && *m <= '9')
                m++;
            if (m > d && m - d <= 2 && *m == ')' && end > p && (end[0] == ' ' || end[0] == '('))
                break;
            end++;
        }
        rc = nationality ? xc__x_nationality(coll, e, p, (size_t)(end - p))
                         : xc__x_country(coll, e, p, (size_t)(end - p));
        p = end;
    }
    return rc;
}

static xc_status ofsi_row(void *vctx, size_t row, const char *const *cells, size_t ncells)
{
    ofsi_ctx *ctx = vctx;
    if (!ctx->header_seen) {
        if (ncells >= 2 && xc__str_ieq(cells[0], "Last Updated")) {
            xc__strlcpy(ctx->version_text, cells[1], sizeof ctx->version_text);
            return XC_OK;
        }
        if (xc__x_header_index(cells, ncells, ctx->titles[O_GROUP_ID]) < 0 ||
            xc__x_header_index(cells, ncells, "Name 6") < 0) {
            /* a preamble row: "Report Date: 11-Aug-2025" or similar may date the file */
            for (size_t i = 0; i < ncells && !ctx->version_text[0]; i++) {
                const char *colon = strrchr(cells[i], ':');
                const char *text = colon ? colon + 1 : cells[i];
                xc__pdate d;
                if (parse_dmy(text, &d) && d.month && d.day)
                    xc__strlcpy(ctx->version_text, text, sizeof ctx->version_text);
            }
            return XC_OK;
        }
        for (int i = 0; i < O_COUNT; i++)
            ctx->col[i] = ctx->titles[i][0] ? xc__x_header_index(cells, ncells, ctx->titles[i])
                                            : -1;
        ctx->list = xc__listset_list(ctx->set, ctx->list_id, ctx->list_title, ctx->path);
        if (ctx->list < 0)
            return ctx->status = XC_NOMEM;
        ctx->coll = xc__x_coll_new(ctx->set, ctx->list, ctx->path);
        if (!ctx->coll)
            return ctx->status = XC_NOMEM;
        if (ctx->version_text[0])
            version_from(ctx->set, ctx->list, ctx->version_text);
        ctx->header_seen = true;
        return XC_OK;
    }
    xc__x_coll *coll = ctx->coll;
    xc__x_coll_row(coll, row);
    const char *group = cell(cells, ncells, ctx->col[O_GROUP_ID]);
    size_t glen = strlen(group);
    group = xc__trim(group, &glen);
    if (glen == 0) {
        xc__list_skip(ctx->set, ctx->list, "%s row %zu: no %s", ctx->file, row,
                      ctx->titles[O_GROUP_ID]);
        return XC_OK;
    }
    /* The name: "SURNAME, Given names" for a person with given names, else as written. */
    char name[2048];
    size_t pos = 0;
    const char *surname = cell(cells, ncells, ctx->col[O_NAME6]);
    bool given = false;
    for (int k = O_NAME1; k <= O_NAME5; k++)
        if (*cell(cells, ncells, ctx->col[k]))
            given = true;
    xc_kind kind = kind_of(cell(cells, ncells, ctx->col[O_GROUP_TYPE]));
    bool reorder = false;
    name[0] = '\0';
    if (given && *surname && kind == XC_KIND_PERSON) {
        pos = (size_t)snprintf(name, sizeof name, "%s,", surname);
        reorder = true;
        for (int k = O_NAME1; k <= O_NAME5 && pos < sizeof name; k++) {
            const char *part = cell(cells, ncells, ctx->col[k]);
            if (*part)
                pos += (size_t)snprintf(name + pos, sizeof name - pos, " %s", part);
        }
    } else {
        static const int order[] = {O_NAME1, O_NAME2, O_NAME3, O_NAME4, O_NAME5, O_NAME6};
        for (size_t k = 0; k < XC__ARRAY_LEN(order) && pos < sizeof name; k++) {
            const char *part = cell(cells, ncells, ctx->col[order[k]]);
            if (*part)
                pos += (size_t)snprintf(name + pos, sizeof name - pos, "%s%s", pos ? " " : "",
                                        part);
        }
    }
    if (pos >= sizeof name)
        pos = sizeof name - 1;
    size_t nlen = pos;
    const char *name_text = xc__trim(name, &nlen);
    const char *nonlatin = cell(cells, ncells, ctx->col[O_NONLATIN]);
    if (nlen == 0 && !*nonlatin) {
        xc__list_skip(ctx->set, ctx->list, "%s row %zu: group %s has no name", ctx->file, row,
                      group);
        return XC_OK;
    }
    xc__x_ent *e = xc__x_get(coll, group, glen);
    if (!e)
        return ctx->status = XC_NOMEM;
    xc__x_kind(e, kind);
    const char *alias_type = cell(cells, ncells, ctx->col[O_ALIAS_TYPE]);
    const char *quality = cell(cells, ncells, ctx->col[O_ALIAS_QUALITY]);
    xc__name_type type = XC__NAME_AKA;
    if (xc__str_ieq(alias_type, "Primary name") || xc__str_ieq(alias_type, "Prime Alias"))
        type = XC__NAME_PRIMARY;
    else if (xc__str_ieq(alias_type, "Primary name variation"))
        type = XC__NAME_VARIANT;
    else if (xc__strn_ieq(quality, 4, "Weak"))
        type = XC__NAME_WEAK_AKA;
    else if (xc__str_ieq(alias_type, "FKA") || xc__str_ieq(alias_type, "F.K.A."))
        type = XC__NAME_FKA;
    else if (xc__strn_ieq(quality, 3, "Low"))
        type = XC__NAME_WEAK_AKA;
    xc_status rc = xc__x_name(coll, e, name_text, nlen, type, reorder);
    if (rc == XC_OK && *nonlatin)
        rc = xc__x_name(coll, e, nonlatin, strlen(nonlatin), XC__NAME_ORIGINAL, false);
    xc__pdate d;
    const char *dob = cell(cells, ncells, ctx->col[O_DOB]);
    if (rc == XC_OK && *dob && parse_dmy(dob, &d))
        rc = xc__x_dob(coll, e, d);
    if (rc == XC_OK)
        rc = add_countries(coll, e, cell(cells, ncells, ctx->col[O_NATIONALITY]), true);
    const char *country = cell(cells, ncells, ctx->col[O_COUNTRY]);
    if (rc == XC_OK && *country)
        rc = add_countries(coll, e, country, false);
    const char *town = cell(cells, ncells, ctx->col[O_TOWN_OF_BIRTH]);
    const char *birth_country = cell(cells, ncells, ctx->col[O_COUNTRY_OF_BIRTH]);
    if (rc == XC_OK && (*town || *birth_country)) {
        char pob[1024];
        int n = snprintf(pob, sizeof pob, "%.500s%s%.500s", town,
                         *town && *birth_country ? ", " : "", birth_country);
        rc = xc__x_pob(coll, e, pob, n > 0 ? (size_t)n : 0);
    }
    const char *passport = cell(cells, ncells, ctx->col[O_PASSPORT]);
    if (!*passport)
        passport = cell(cells, ncells, ctx->col[O_PASSPORT_DETAILS]);
    if (rc == XC_OK && *passport)
        rc = xc__x_ident(coll, e, "Passport", passport, strlen(passport), NULL);
    const char *natid = cell(cells, ncells, ctx->col[O_NATID]);
    if (!*natid)
        natid = cell(cells, ncells, ctx->col[O_NATID_DETAILS]);
    if (!*natid)
        natid = cell(cells, ncells, ctx->col[O_NI]);
    if (rc == XC_OK && *natid)
        rc = xc__x_ident(coll, e, "National ID No.", natid, strlen(natid), NULL);
    char address[2048];
    size_t apos = 0;
    for (int k = O_ADDR1; k <= O_COUNTRY && apos < sizeof address; k++) {
        const char *part = cell(cells, ncells, ctx->col[k]);
        if (*part)
            apos += (size_t)snprintf(address + apos, sizeof address - apos, "%s%s",
                                     apos ? ", " : "", part);
    }
    /* An address of only a country says no more than the country list. */
    if (rc == XC_OK && apos > 0 && strcmp(address, country) != 0)
        rc = xc__x_address(coll, e, address, apos < sizeof address ? apos : sizeof address - 1);
    const char *regime = cell(cells, ncells, ctx->col[O_REGIME]);
    if (rc == XC_OK && *regime)
        rc = xc__x_program(coll, e, regime, strlen(regime));
    const char *listed = cell(cells, ncells, ctx->col[O_LISTED_ON]);
    if (*listed && parse_dmy(listed, &d))
        xc__x_listed(e, d);
    const char *other = cell(cells, ncells, ctx->col[O_OTHER]);
    if (rc == XC_OK && *other)
        rc = xc__x_remark(coll, e, other, strlen(other));
    if (rc != XC_OK)
        ctx->status = rc;
    return rc;
}

static xc_status ofsi_end(ofsi_ctx *ctx, xc_status read_status, const xc_error *read_err,
                          const char *sha, xc_error *err)
{
    if (!ctx->header_seen) {
        xc_status st = read_status != XC_OK ? read_status : XC_PARSE;
        if (read_status != XC_OK && read_err)
            return xc__error_set(err, st, "%s: %s", ctx->file, read_err->message);
        return xc__error_set(err, st, "%s: no header with Name 6 and %s", ctx->file,
                             ctx->titles[O_GROUP_ID]);
    }
    if (ctx->status == XC_NOMEM || read_status == XC_NOMEM) {
        xc__x_coll_free(ctx->coll);
        return xc__error_set(err, XC_NOMEM, "%s: out of memory", ctx->file);
    }
    if (read_status != XC_OK)
        xc__list_skip(ctx->set, ctx->list, "%s: %s; rest of the file skipped", ctx->file,
                      read_err ? read_err->message : "read error");
    xc_status rc = xc__x_finish(ctx->coll);
    xc__x_coll_free(ctx->coll);
    if (sha)
        xc__strlcpy(ctx->set->lists[ctx->list].sha256, sha, 65);
    if (rc != XC_OK)
        return xc__error_set(err, rc, "%s: out of memory", ctx->file);
    return XC_OK;
}

static void sheet_warn(void *vctx, size_t row, const char *message)
{
    ofsi_ctx *ctx = vctx;
    if (ctx->list >= 0)
        xc__list_issue(ctx->set, ctx->list, "%s: %s", ctx->file, message);
}

static void ofsi_init(ofsi_ctx *ctx, xc__listset *set, const char *path)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->titles = ofsi_titles;
    ctx->list_id = "uk_ofsi";
    ctx->list_title = "UK OFSI Consolidated List of Financial Sanctions Targets";
    ctx->set = set;
    ctx->path = path;
    ctx->file = xc__path_base(path);
    ctx->list = -1;
}

static xc_status ofsi_xlsx(xc__listset *set, const char *path, const void *data, size_t len,
                           xc_error *err)
{
    ofsi_ctx ctx;
    ofsi_init(&ctx, set, path);
    xc__sheet_opts opts = {0};
    opts.warn = sheet_warn;
    xc_error read_err;
    xc_status st = data ? xc__sheet_read_mem(data, len, XC__SHEET_XLSX, &opts, ofsi_row, &ctx,
                                             &read_err)
                        : xc__sheet_read_file(path, XC__SHEET_XLSX, &opts, ofsi_row, &ctx,
                                              &read_err);
    char sha[65] = "";
    if (data)
        xc__sha256_hex(data, len, sha);
    else if (ctx.header_seen && xc__file_sha256(path, sha, NULL) != XC_OK)
        sha[0] = '\0';
    return ofsi_end(&ctx, st, &read_err, sha, err);
}

static xc_status ofsi_csv(xc__listset *set, const char *path, const void *data, size_t len,
                          bool fcdo, xc_error *err)
{
    ofsi_ctx ctx;
    ofsi_init(&ctx, set, path);
    if (fcdo) {
        ctx.titles = fcdo_csv_titles;
        ctx.list_id = "uk_fcdo";
        ctx.list_title = "UK Sanctions List (FCDO)";
    }
    xc__csv *csv;
    FILE *in;
    xc_status r = xc__x_csv_open(path, data, len, ',', &csv, &in, err);
    if (r != XC_OK)
        return r;
    xc_status st = XC_OK;
    xc_error read_err = {XC_OK, ""};
    const char **cells = NULL;
    size_t cells_cap = 0;
    char **owned = NULL;
    while ((r = xc__csv_next(csv)) == XC_OK || r == XC_TOOBIG) {
        size_t line = xc__csv_line(csv), ncells = xc__csv_count(csv);
        if (r == XC_TOOBIG) {
            if (ctx.list >= 0)
                xc__list_skip(set, ctx.list, "%s line %zu: record too long", ctx.file, line);
            continue;
        }
        if (ncells > cells_cap) {
            size_t cap = ncells;
            const char **nc = xc__realloc(cells, cap * sizeof *nc);
            char **no = xc__realloc(owned, cap * sizeof *no);
            if (!nc || !no) {
                xc__free_mem(nc ? nc : cells);
                xc__free_mem(no ? no : owned);
                cells = NULL;
                owned = NULL;
                st = XC_NOMEM;
                break;
            }
            cells = nc;
            owned = no;
            cells_cap = cap;
        }
        /* ConList.csv is Windows-1252 (convert every field to UTF-8); the FCDO CSV is UTF-8
         * (sanitised, and reported, by the collector). */
        bool oom = false;
        for (size_t i = 0; i < ncells; i++) {
            const char *field = xc__csv_field(csv, i, NULL);
            size_t out_len;
            owned[i] = fcdo ? xc__strdup(field)
                            : xc__cp1252_to_utf8(field, strlen(field), &out_len);
            if (!owned[i])
                oom = true;
            cells[i] = owned[i] ? owned[i] : "";
        }
        if (!oom && ctx.header_seen && ctx.col[O_GROUP_ID] >= 0 &&
            ncells <= (size_t)ctx.col[O_GROUP_ID]) {
            xc__list_skip(set, ctx.list, "%s line %zu: %zu fields, expected at least %d",
                          ctx.file, line, ncells, ctx.col[O_GROUP_ID] + 1);
        } else if (!oom) {
            st = ofsi_row(&ctx, line, cells, ncells);
        }
        for (size_t i = 0; i < ncells; i++)
            xc__free_mem(owned[i]);
        if (oom)
            st = XC_NOMEM;
        if (st != XC_OK)
            break;
    }
    if (st == XC_OK && (r == XC_IO || r == XC_NOMEM)) {
        st = r;
        xc__error_set(&read_err, st, "read error at line %zu", xc__csv_line(csv));
    }
    xc__free_mem(cells);
    xc__free_mem(owned);
    char sha[65] = "";
    xc__source_sha256(data ? NULL : path, data, len, sha, NULL);
    xc__x_csv_close(csv, in);
    return ofsi_end(&ctx, st, &read_err, sha, err);
}

static xc_status head_of(const char *path, unsigned char *head, size_t *len, xc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return xc__error_set(err, XC_IO, "%s: cannot open", path);
    *len = fread(head, 1, *len, f);
    fclose(f);
    return XC_OK;
}

xc_status xc__parse_uk_ofsi(xc__listset *set, const char *path, xc_error *err)
{
    unsigned char head[8];
    size_t len = sizeof head;
    xc_status st = head_of(path, head, &len, err);
    if (st != XC_OK)
        return st;
    return is_zip(head, len) ? ofsi_xlsx(set, path, NULL, 0, err)
                             : ofsi_csv(set, path, NULL, 0, false, err);
}

xc_status xc__parse_uk_ofsi_xlsx_mem(xc__listset *set, const char *name, const void *data,
                                     size_t len, xc_error *err)
{
    return ofsi_xlsx(set, name, data ? data : "", data ? len : 0, err);
}

xc_status xc__parse_uk_ofsi_csv_mem(xc__listset *set, const char *name, const void *data,
                                    size_t len, xc_error *err)
{
    return ofsi_csv(set, name, data ? data : "", data ? len : 0, false, err);
}

bool xc__sniff_uk_ofsi(const char *name, const void *head, size_t len)
{
    const char *base = xc__path_base(name);
    if (xc__str_ieq(base, "ConList.csv") || xc__str_ieq(base, "ConList.xlsx"))
        return true;
    const char *h = head;
    if (len >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) {
        h += 3;
        len -= 3;
    }
    if (len < 13 || !xc__strn_ieq(h, 13, "Last Updated,"))
        return false;
    for (size_t i = 0; i + 8 <= len; i++)
        if (memcmp(h + i, "Group ID", 8) == 0)
            return true;
    return false;
}

/* ======================= FCDO UK Sanctions List (ODS export) ======================= */

enum { F_ID, F_GROUP, F_NAME, F_REGIME, F_TYPE, F_SOURCE, F_DATE, F_IMPOSED, F_COUNT };
static const char *const fcdo_titles[F_COUNT] = {
    "Unique ID", "OFSI Group ID", "Name", "Regime Name", "Type", "Designation source",
    "Date Designated", "Sanctions Imposed"};

typedef struct fcdo_ctx {
    xc__listset *set;
    const char *path;
    const char *file;
    int list;
    xc__x_coll *coll;
    int col[F_COUNT];
    bool header_seen;
    xc_status status;
} fcdo_ctx;

static xc_status fcdo_row(void *vctx, size_t row, const char *const *cells, size_t ncells)
{
    fcdo_ctx *ctx = vctx;
    if (!ctx->header_seen) {
        if (xc__x_header_index(cells, ncells, "Unique ID") < 0 ||
            xc__x_header_index(cells, ncells, "Name") < 0)
            return XC_OK;
        for (int i = 0; i < F_COUNT; i++)
            ctx->col[i] = xc__x_header_index(cells, ncells, fcdo_titles[i]);
        ctx->list = xc__listset_list(ctx->set, "uk_fcdo", "UK Sanctions List (FCDO)", ctx->path);
        if (ctx->list < 0)
            return ctx->status = XC_NOMEM;
        ctx->coll = xc__x_coll_new(ctx->set, ctx->list, ctx->path);
        if (!ctx->coll)
            return ctx->status = XC_NOMEM;
        ctx->header_seen = true;
        return XC_OK;
    }
    xc__x_coll_row(ctx->coll, row);
    const char *id = cell(cells, ncells, ctx->col[F_ID]);
    const char *name = cell(cells, ncells, ctx->col[F_NAME]);
    if (!*id || !*name) {
        xc__list_skip(ctx->set, ctx->list, "%s row %zu: %s", ctx->file, row,
                      !*id ? "no Unique ID" : "no Name");
        return XC_OK;
    }
    xc__x_ent *e = xc__x_get(ctx->coll, id, strlen(id));
    if (!e)
        return ctx->status = XC_NOMEM;
    xc__x_kind(e, kind_of(cell(cells, ncells, ctx->col[F_TYPE])));
    xc_status rc = xc__x_name(ctx->coll, e, name, strlen(name), XC__NAME_PRIMARY, false);
    const char *regime = cell(cells, ncells, ctx->col[F_REGIME]);
    if (rc == XC_OK && *regime)
        rc = xc__x_program(ctx->coll, e, regime, strlen(regime));
    xc__pdate d;
    const char *date = cell(cells, ncells, ctx->col[F_DATE]);
    if (*date && parse_dmy(date, &d))
        xc__x_listed(e, d);
    char remark[1024];
    const char *source = cell(cells, ncells, ctx->col[F_SOURCE]);
    const char *imposed = cell(cells, ncells, ctx->col[F_IMPOSED]);
    const char *group = cell(cells, ncells, ctx->col[F_GROUP]);
    int n = snprintf(remark, sizeof remark, "%s%s%s%s%s%s", *source ? "Designation source: " : "",
                     source, *imposed ? (*source ? "; Sanctions imposed: " : "Sanctions imposed: ")
                                      : "",
                     imposed, *group ? "; OFSI Group ID: " : "", group);
    if (rc == XC_OK && n > 0)
        rc = xc__x_remark(ctx->coll, e, remark,
                          (size_t)n < sizeof remark ? (size_t)n : sizeof remark - 1);
    if (rc != XC_OK)
        ctx->status = rc;
    return rc;
}

static void fcdo_warn(void *vctx, size_t row, const char *message)
{
    fcdo_ctx *ctx = vctx;
    if (ctx->list >= 0)
        xc__list_issue(ctx->set, ctx->list, "%s: %s", ctx->file, message);
}

/* "FCDO_SL_Mon_Aug_11_2025.ods" -> 2025-08-11. */
static void fcdo_version(const char *file, char out[11])
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (const char *p = file; *p; p++)
        for (int m = 0; m < 12; m++)
            if (strncmp(p, months[m], 3) == 0 && (p[3] == '_' || p[3] == ' ')) {
                int day = 0, year = 0;
                const char *q = p + 4;
                while (*q >= '0' && *q <= '9' && day < 100)
                    day = day * 10 + (*q++ - '0');
                if (*q != '_' && *q != ' ')
                    continue;
                q++;
                for (int k = 0; k < 4 && *q >= '0' && *q <= '9'; k++)
                    year = year * 10 + (*q++ - '0');
                if (xc__date_valid(year, m + 1, day)) {
                    xc__date_format(xc__date_from_ymd(year, m + 1, day), out);
                    return;
                }
            }
}

static xc_status fcdo_ods(xc__listset *set, const char *path, const void *data, size_t len,
                          xc_error *err)
{
    fcdo_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.set = set;
    ctx.path = path;
    ctx.file = xc__path_base(path);
    ctx.list = -1;
    xc__sheet_opts opts = {0};
    opts.warn = fcdo_warn;
    xc_error read_err;
    xc_status st = data ? xc__sheet_read_mem(data, len, XC__SHEET_AUTO, &opts, fcdo_row, &ctx,
                                             &read_err)
                        : xc__sheet_read_file(path, XC__SHEET_AUTO, &opts, fcdo_row, &ctx,
                                              &read_err);
    if (!ctx.header_seen) {
        xc_status code = st != XC_OK ? st : XC_PARSE;
        if (st != XC_OK)
            return xc__error_set(err, code, "%s: %s", ctx.file, read_err.message);
        return xc__error_set(err, code, "%s: no UK Sanctions List header (Unique ID, Name)",
                             ctx.file);
    }
    if (st == XC_NOMEM || ctx.status == XC_NOMEM) {
        xc__x_coll_free(ctx.coll);
        return xc__error_set(err, XC_NOMEM, "%s: out of memory", ctx.file);
    }
    if (st != XC_OK)
        xc__list_skip(set, ctx.list, "%s: %s; rest of the file skipped", ctx.file,
                      read_err.message);
    xc_status rc = xc__x_finish(ctx.coll);
    xc__x_coll_free(ctx.coll);
    xc__list *list = &set->lists[ctx.list];
    fcdo_version(ctx.file, list->version);
    if (data)
        xc__sha256_hex(data, len, list->sha256);
    else if (xc__file_sha256(path, list->sha256, NULL) != XC_OK)
        list->sha256[0] = '\0';
    if (rc != XC_OK)
        return xc__error_set(err, rc, "%s: out of memory", ctx.file);
    return XC_OK;
}

/* ---- FCDO UK Sanctions List XML ----
 * Element names follow a third-party reader of UK_Sanctions_List.xml (root Designations with
 * DateGenerated, then Designation elements: UniqueID, IndividualEntityShip, RegimeName,
 * DateDesignated, Names/Name/{Name1..Name6, NameType, AliasStrength},
 * NonLatinNames/NonLatinName/NameNonLatinScript, Addresses/Address/{AddressLine1..6,
 * AddressPostalCode, AddressCountry}, DOBs/DOB, Nationalities/Nationality,
 * IMONumbers/IMONumber, OtherInformation). Not verified against a published file. A
 * designation's facts are buffered until its end, since UniqueID need not come first. */

typedef struct fx_state {
    char error[300];
} fx_state;

static void fx_error(void *context, const xmlError *error)
{
    fx_state *st = context;
    if (st->error[0] || !error)
        return;
    const char *msg = error->message ? error->message : "XML error";
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    snprintf(st->error, sizeof st->error, "line %d: %.*s", error->line, (int)n, msg);
}

#if LIBXML_VERSION >= 21200
static void fx_error_cb(void *context, const xmlError *error)
#else
static void fx_error_cb(void *context, xmlErrorPtr error)
#endif
{
    fx_error(context, error);
}

/* One buffered fact: a tag byte, a sub-type byte, the text, NUL. */
static void fx_put(xc__buf *facts, char tag, int sub, const char *text)
{
    size_t len = strlen(text);
    text = xc__trim(text, &len);
    if (len == 0)
        return;
    char head[2] = {tag, (char)sub};
    size_t before = facts->len;
    if (xc__buf_append(facts, head, 2) != XC_OK || xc__buf_append(facts, text, len) != XC_OK ||
        xc__buf_putc(facts, '\0') != XC_OK)
        facts->len = before; /* over the per-designation limit: dropped */
}

static xc_status fx_flush(xc__x_coll *coll, xc__listset *set, int list, const char *file,
                          size_t line, const char *id, xc__buf *facts)
{
    if (!id[0]) {
        if (facts->len)
            xc__list_skip(set, list, "%s line %zu: Designation without UniqueID", file, line);
        return XC_OK;
    }
    xc__x_coll_row(coll, line);
    xc__x_ent *e = xc__x_get(coll, id, strlen(id));
    if (!e)
        return XC_NOMEM;
    xc_status rc = XC_OK;
    for (size_t pos = 0; pos + 2 < facts->len && rc == XC_OK;) {
        char tag = facts->data[pos];
        int sub = (unsigned char)facts->data[pos + 1];
        const char *text = facts->data + pos + 2;
        size_t len = strlen(text);
        pos += 2 + len + 1;
        xc__pdate d;
        switch (tag) {
        case 'k': xc__x_kind(e, kind_of(text)); break;
        case 'n': rc = xc__x_name(coll, e, text, len, (xc__name_type)(sub >> 1), sub & 1); break;
        case 'c': rc = add_countries(coll, e, text, sub == 1); break;
        case 'a': rc = xc__x_address(coll, e, text, len); break;
        case 'i': rc = xc__x_ident(coll, e, "IMO", text, len, NULL); break;
        case 'p': rc = xc__x_program(coll, e, text, len); break;
        case 'r': rc = xc__x_remark(coll, e, text, len); break;
        case 'd':
            if (parse_dmy(text, &d))
                rc = xc__x_dob(coll, e, d);
            break;
        case 'l':
            if (parse_dmy(text, &d))
                xc__x_listed(e, d);
            break;
        default: break;
        }
    }
    return rc;
}

static xc_status fcdo_xml(xc__listset *set, const char *path, const void *data, size_t len,
                          xc_error *err)
{
    const char *file = xc__path_base(path);
    fx_state state = {""};
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT;
    if (data && len > INT32_MAX)
        return xc__error_set(err, XC_TOOBIG, "%s: too large", file);
    xmlTextReaderPtr xr = data ? xmlReaderForMemory(data, (int)len, file, NULL, options)
                               : xmlReaderForFile(path, NULL, options);
    if (!xr)
        return xc__error_set(err, data ? XC_NOMEM : XC_IO, "%s: cannot open", file);
    xmlTextReaderSetStructuredErrorHandler(xr, fx_error_cb, &state);
    int list = -1;
    xc__x_coll *coll = NULL;
    xc__buf text, facts;
    xc__buf_init(&text, (size_t)1 << 20);
    xc__buf_init(&facts, (size_t)4 << 20);
    char id[128] = "", name_parts[6][256], name_type[64] = "", strength[64] = "";
    char address[1024] = "";
    bool in_designation = false;
    size_t line = 0;
    xc_status rc = XC_OK;
    int r;
    while (rc == XC_OK && (r = xmlTextReaderRead(xr)) == 1) {
        int nt = xmlTextReaderNodeType(xr);
        const char *local = (const char *)xmlTextReaderConstLocalName(xr);
        if (!local)
            local = "";
        if (nt == XML_READER_TYPE_ELEMENT) {
            if (list < 0) {
                if (strcmp(local, "Designations") != 0)
                    break;
                list = xc__listset_list(set, "uk_fcdo", "UK Sanctions List (FCDO)", path);
                coll = list >= 0 ? xc__x_coll_new(set, list, path) : NULL;
                if (!coll)
                    rc = XC_NOMEM;
                continue;
            }
            xc__buf_reset(&text);
            if (strcmp(local, "Designation") == 0) {
                in_designation = true;
                line = (size_t)xmlTextReaderGetParserLineNumber(xr);
                id[0] = '\0';
                xc__buf_reset(&facts);
            } else if (strcmp(local, "Name") == 0) {
                memset(name_parts, 0, sizeof name_parts);
                name_type[0] = strength[0] = '\0';
            } else if (strcmp(local, "Address") == 0) {
                address[0] = '\0';
            }
            continue;
        }
        if (nt == XML_READER_TYPE_TEXT || nt == XML_READER_TYPE_CDATA) {
            const char *v = (const char *)xmlTextReaderConstValue(xr);
            if (v && xc__buf_append(&text, v, strlen(v)) == XC_NOMEM)
                rc = XC_NOMEM;
            continue;
        }
        if (nt != XML_READER_TYPE_END_ELEMENT || list < 0)
            continue;
        const char *t = text.data && text.len ? text.data : "";
        if (strcmp(local, "DateGenerated") == 0) {
            size_t tl = strlen(t);
            const char *tt = xc__trim(t, &tl);
            xc__pdate d;
            if (tl >= 10 && tt[4] == '-' && xc__pdate_parse(tt, 10, true, &d) && d.day)
                xc__date_format(xc__date_from_ymd(d.year, d.month, d.day),
                                set->lists[list].version);
            else if (parse_dmy(t, &d) && d.day)
                xc__date_format(xc__date_from_ymd(d.year, d.month, d.day),
                                set->lists[list].version);
        } else if (!in_designation) {
        } else if (strcmp(local, "Designation") == 0) {
            in_designation = false;
            rc = fx_flush(coll, set, list, file, line, id, &facts);
        } else if (strcmp(local, "UniqueID") == 0) {
            size_t tl = strlen(t);
            const char *tt = xc__trim(t, &tl);
            snprintf(id, sizeof id, "%.*s", (int)(tl < sizeof id ? tl : sizeof id - 1), tt);
        } else if (strcmp(local, "IndividualEntityShip") == 0) {
            fx_put(&facts, 'k', 0, t);
        } else if (strlen(local) == 5 && strncmp(local, "Name", 4) == 0 && local[4] >= '1' &&
                   local[4] <= '6') {
            snprintf(name_parts[local[4] - '1'], sizeof name_parts[0], "%s", t);
        } else if (strcmp(local, "NameType") == 0) {
            snprintf(name_type, sizeof name_type, "%s", t);
        } else if (strcmp(local, "AliasStrength") == 0) {
            snprintf(strength, sizeof strength, "%s", t);
        } else if (strcmp(local, "Name") == 0) {
            char full[1600] = "";
            size_t pos = 0;
            bool given = false;
            for (int k = 0; k < 5; k++)
                given = given || name_parts[k][0];
            if (given && name_parts[5][0]) {
                pos = (size_t)snprintf(full, sizeof full, "%s,", name_parts[5]);
                for (int k = 0; k < 5 && pos < sizeof full; k++)
                    if (name_parts[k][0])
                        pos += (size_t)snprintf(full + pos, sizeof full - pos, " %s",
                                                name_parts[k]);
            } else {
                for (int k = 0; k < 6 && pos < sizeof full; k++)
                    if (name_parts[k][0])
                        pos += (size_t)snprintf(full + pos, sizeof full - pos, "%s%s",
                                                pos ? " " : "", name_parts[k]);
            }
            xc__name_type type = XC__NAME_AKA;
            if (xc__str_ieq(name_type, "Primary Name"))
                type = XC__NAME_PRIMARY;
            else if (xc__str_ieq(name_type, "Primary Name Variation"))
                type = XC__NAME_VARIANT;
            else if (xc__strn_ieq(strength, 3, "Low") || xc__strn_ieq(strength, 4, "Weak"))
                type = XC__NAME_WEAK_AKA;
            fx_put(&facts, 'n', (int)type << 1 | (given && name_parts[5][0]), full);
        } else if (strcmp(local, "NameNonLatinScript") == 0) {
            fx_put(&facts, 'n', XC__NAME_ORIGINAL << 1, t);
        } else if (strncmp(local, "AddressLine", 11) == 0 ||
                   strcmp(local, "AddressPostalCode") == 0 ||
                   strcmp(local, "AddressCountry") == 0) {
            size_t tl = strlen(t), al = strlen(address);
            const char *tt = xc__trim(t, &tl);
            if (tl > 0 && al < sizeof address)
                snprintf(address + al, sizeof address - al, "%s%.*s", al ? ", " : "", (int)tl,
                         tt);
            if (strcmp(local, "AddressCountry") == 0)
                fx_put(&facts, 'c', 0, t);
        } else if (strcmp(local, "Address") == 0) {
            fx_put(&facts, 'a', 0, address);
        } else if (strcmp(local, "DOB") == 0) {
            fx_put(&facts, 'd', 0, t);
        } else if (strcmp(local, "Nationality") == 0) {
            fx_put(&facts, 'c', 1, t);
        } else if (strcmp(local, "IMONumber") == 0) {
            fx_put(&facts, 'i', 0, t);
        } else if (strcmp(local, "RegimeName") == 0) {
            fx_put(&facts, 'p', 0, t);
        } else if (strcmp(local, "DateDesignated") == 0) {
            fx_put(&facts, 'l', 0, t);
        } else if (strcmp(local, "OtherInformation") == 0) {
            fx_put(&facts, 'r', 0, t);
        }
        xc__buf_reset(&text);
    }
    xc__buf_free(&text);
    xc__buf_free(&facts);
    if (list < 0) {
        xmlFreeTextReader(xr);
        if (rc == XC_NOMEM)
            return xc__error_set(err, rc, "%s: out of memory", file);
        return xc__error_set(err, XC_PARSE, "%s: %s", file,
                             state.error[0] ? state.error
                                            : "root is not the UK Sanctions List <Designations>");
    }
    if (rc == XC_OK && r < 0)
        xc__list_skip(set, list, "%s %s; rest of the file skipped", file,
                      state.error[0] ? state.error : "malformed XML");
    xmlFreeTextReader(xr);
    if (rc == XC_OK)
        rc = xc__x_finish(coll);
    xc__x_coll_free(coll);
    if (rc != XC_OK)
        return xc__error_set(err, rc, "%s: out of memory", file);
    if (data)
        xc__sha256_hex(data, len, set->lists[list].sha256);
    else if (xc__file_sha256(path, set->lists[list].sha256, NULL) != XC_OK)
        set->lists[list].sha256[0] = '\0';
    return XC_OK;
}

xc_status xc__parse_uk_fcdo_xml_mem(xc__listset *set, const char *name, const void *data,
                                    size_t len, xc_error *err)
{
    return fcdo_xml(set, name, data ? data : "", data ? len : 0, err);
}

xc_status xc__parse_uk_fcdo(xc__listset *set, const char *path, xc_error *err)
{
    unsigned char head[8];
    size_t len = sizeof head;
    xc_status st = head_of(path, head, &len, err);
    if (st != XC_OK)
        return st;
    if (!is_zip(head, len)) {
        size_t i = len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        if (i < len && head[i] == '<')
            return fcdo_xml(set, path, NULL, 0, err);
        return ofsi_csv(set, path, NULL, 0, true, err);
    }
    return fcdo_ods(set, path, NULL, 0, err);
}

xc_status xc__parse_uk_fcdo_mem(xc__listset *set, const char *name, const void *data,
                                size_t len, xc_error *err)
{
    return fcdo_ods(set, name, data ? data : "", data ? len : 0, err);
}

xc_status xc__parse_uk_fcdo_csv_mem(xc__listset *set, const char *name, const void *data,
                                    size_t len, xc_error *err)
{
    return ofsi_csv(set, name, data ? data : "", data ? len : 0, true, err);
}

bool xc__sniff_uk_fcdo(const char *name, const void *head, size_t len)
{
    const char *base = xc__path_base(name);
    size_t n = strlen(base);
    if (xc__str_ieq(base, "UK_Sanctions_List.csv") || xc__str_ieq(base, "UK_Sanctions_List.xml"))
        return true;
    bool ods = n > 4 && xc__str_ieq(base + n - 4, ".ods");
    if (!ods || !is_zip(head, len))
        return false;
    return xc__str_ieq(base, "UK_Sanctions_List.ods") || (n >= 7 && xc__strn_ieq(base, 7, "FCDO_SL"));
}
