/*
 * meti.c — Japan METI End User List (外国ユーザーリスト), list id jp_meti_eul, from METI's xlsx.
 * Columns: No., Country or Region, Company or Organization name, Also Known As, Type of WMD
 * concern. The header row is found by its titles, English or Japanese (番号, 国名・地域名,
 * 企業名・組織名, 別名, 懸念区分), wherever it is; rows before it may carry a revision date
 * ("2025年9月29日" or "2025-09-29"), which becomes the version. The Also Known As cell holds one
 * alias per line, each usually bulleted with "・"; a trailing parenthesis in CJK script, as in
 * "Kim Chaek Iron Works (金策製鉄所)", is split off as a name of its own.
 */
#include <string.h>
#include <strings.h>

#include "extra.h"
#include "sheet.h"
#include "sources_extra.h"

enum { M_NO, M_COUNTRY, M_NAME, M_AKA, M_TYPE, M_COUNT };

typedef struct meti_ctx {
    xc__listset *set;
    const char *path;
    const char *file;
    int list;
    xc__x_coll *coll;
    int col[M_COUNT];
    bool header_seen;
    char version[11];
    xc_status status;
} meti_ctx;

static bool has(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

/* Case-insensitive ASCII substring. */
static bool has_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle), h = strlen(hay);
    for (size_t i = 0; i + n <= h; i++)
        if (strncasecmp(hay + i, needle, n) == 0)
            return true;
    return false;
}

static int header_role(const char *cell)
{
    if (strlen(cell) > 200)
        return -1;
    if (has_ci(cell, "Company") || has_ci(cell, "Organization") || has(cell, "企業名") ||
        has(cell, "組織名"))
        return M_NAME;
    if (has_ci(cell, "Also Known") || has(cell, "別名"))
        return M_AKA;
    if (has_ci(cell, "WMD") || has(cell, "懸念区分"))
        return M_TYPE;
    if (has_ci(cell, "Country") || has(cell, "国名"))
        return M_COUNTRY;
    if (has_ci(cell, "No.") || has(cell, "番号"))
        return M_NO;
    return -1;
}

/* "2025年9月29日" or an ISO date anywhere in a preamble cell. */
static void preamble_date(const char *cell, char out[11])
{
    for (const char *p = cell; *p; p++) {
        if (!(p[0] >= '0' && p[0] <= '9'))
            continue;
        int y = 0, m = 0, d = 0, k = 0;
        const char *q = p;
        while (k < 4 && *q >= '0' && *q <= '9')
            y = y * 10 + (*q++ - '0'), k++;
        if (k != 4 || (*q >= '0' && *q <= '9'))
            continue;
        bool kanji = strncmp(q, "年", strlen("年")) == 0;
        if (kanji)
            q += strlen("年");
        else if (*q == '-' || *q == '/')
            q++;
        else
            continue;
        while (*q >= '0' && *q <= '9' && m < 100)
            m = m * 10 + (*q++ - '0');
        if (kanji && strncmp(q, "月", strlen("月")) == 0)
            q += strlen("月");
        else if (!kanji && (*q == '-' || *q == '/'))
            q++;
        else
            continue;
        while (*q >= '0' && *q <= '9' && d < 100)
            d = d * 10 + (*q++ - '0');
        if (xc__date_valid(y, m, d)) {
            xc__date_format(xc__date_from_ymd(y, m, d), out);
            return;
        }
    }
}

static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
           (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2FFFF);
}

static bool any_cjk(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int n = xc__utf8_decode(s + i, len - i, &cp);
        if (n <= 0)
            return false;
        if (is_cjk(cp))
            return true;
        i += (size_t)n;
    }
    return false;
}

/* Adds `text` as a name; when it ends in a parenthesis written in CJK script, the part before
 * it gets `type` and the parenthesis content gets cjk_type. */
static xc_status add_split_name(xc__x_coll *coll, xc__x_ent *e, const char *text, size_t len,
                                xc__name_type type, xc__name_type cjk_type)
{
    text = xc__trim(text, &len);
    if (len == 0)
        return XC_OK;
    static const char fw_close[] = "\xEF\xBC\x89", fw_open[] = "\xEF\xBC\x88"; /* （） */
    size_t close_len = 0;
    if (text[len - 1] == ')')
        close_len = 1;
    else if (len >= 3 && memcmp(text + len - 3, fw_close, 3) == 0)
        close_len = 3;
    if (close_len) {
        /* find the matching opening parenthesis, scanning back */
        for (size_t i = len - close_len; i-- > 0;) {
            size_t open_len = 0;
            if (text[i] == '(')
                open_len = 1;
            else if (i + 3 <= len - close_len && memcmp(text + i, fw_open, 3) == 0)
                open_len = 3;
            if (!open_len)
                continue;
            const char *inner = text + i + open_len;
            size_t inner_len = len - close_len - i - open_len;
            if (!any_cjk(inner, inner_len))
                break;
            size_t outer_len = i;
            const char *outer = xc__trim(text, &outer_len);
            xc_status rc = XC_OK;
            if (outer_len > 0)
                rc = xc__x_name(coll, e, outer, outer_len, type, false);
            if (rc == XC_OK)
                rc = xc__x_name(coll, e, inner, inner_len, outer_len ? cjk_type : type, false);
            return rc;
        }
    }
    return xc__x_name(coll, e, text, len, type, false);
}

/* Strips a leading bullet ("・", "･", "•", "-", "*") from an alias line. */
static const char *unbullet(const char *s, size_t *len)
{
    static const char *const bullets[] = {"\xE3\x83\xBB", "\xEF\xBD\xA5", "\xE2\x80\xA2", "-",
                                          "*"};
    s = xc__trim(s, len);
    for (size_t i = 0; i < XC__ARRAY_LEN(bullets); i++) {
        size_t bl = strlen(bullets[i]);
        if (*len >= bl && memcmp(s, bullets[i], bl) == 0) {
            s += bl;
            *len -= bl;
            return xc__trim(s, len);
        }
    }
    return s;
}

static const char *cellv(const char *const *cells, size_t ncells, int col)
{
    return col >= 0 && (size_t)col < ncells ? cells[col] : "";
}

/* "12" or "12.0" -> true. */
static bool is_number(const char *s)
{
    size_t len = strlen(s);
    s = xc__trim(s, &len);
    size_t digits = 0;
    while (digits < len && s[digits] >= '0' && s[digits] <= '9')
        digits++;
    if (digits == 0 || digits > 9)
        return false;
    if (digits == len)
        return true;
    return len == digits + 2 && s[digits] == '.' && s[digits + 1] == '0';
}

static xc_status meti_row(void *vctx, size_t row, const char *const *cells, size_t ncells)
{
    meti_ctx *ctx = vctx;
    if (!ctx->header_seen) {
        int col[M_COUNT];
        int found = 0;
        for (int i = 0; i < M_COUNT; i++)
            col[i] = -1;
        for (size_t c = 0; c < ncells; c++) {
            int role = header_role(cells[c]);
            if (role >= 0 && col[role] < 0) {
                col[role] = (int)c;
                found++;
            }
        }
        if (col[M_NAME] < 0 || col[M_NO] < 0 || found < 3) {
            for (size_t c = 0; c < ncells && !ctx->version[0]; c++)
                preamble_date(cells[c], ctx->version);
            return XC_OK;
        }
        memcpy(ctx->col, col, sizeof col);
        ctx->list = xc__listset_list(ctx->set, "jp_meti_eul",
                                     "METI End User List (Japan)", ctx->path);
        if (ctx->list < 0)
            return ctx->status = XC_NOMEM;
        ctx->coll = xc__x_coll_new(ctx->set, ctx->list, ctx->path);
        if (!ctx->coll)
            return ctx->status = XC_NOMEM;
        xc__strlcpy(ctx->set->lists[ctx->list].version, ctx->version, 11);
        ctx->header_seen = true;
        return XC_OK;
    }
    xc__x_coll *coll = ctx->coll;
    xc__x_coll_row(coll, row);
    const char *no = cellv(cells, ncells, ctx->col[M_NO]);
    const char *name = cellv(cells, ncells, ctx->col[M_NAME]);
    if (!is_number(no) || !*name) {
        /* Notes under the table have neither; anything else is a malformed entry. */
        if (*no || *name)
            xc__list_skip(ctx->set, ctx->list, "%s row %zu: %s", ctx->file, row,
                          !*name ? "no name" : "No. is not a number");
        return XC_OK;
    }
    size_t nolen = strlen(no);
    no = xc__trim(no, &nolen);
    if (nolen > 2 && no[nolen - 2] == '.')
        nolen -= 2;
    xc__x_ent *e = xc__x_get(coll, no, nolen);
    if (!e)
        return ctx->status = XC_NOMEM;
    xc__x_kind(e, XC_KIND_ORG);
    xc_status rc =
        add_split_name(coll, e, name, strlen(name), XC__NAME_PRIMARY, XC__NAME_ORIGINAL);
    const char *aka = cellv(cells, ncells, ctx->col[M_AKA]);
    while (rc == XC_OK && *aka) {
        size_t len = strcspn(aka, "\r\n");
        size_t l = len;
        const char *line = unbullet(aka, &l);
        if (l > 0)
            rc = add_split_name(coll, e, line, l, XC__NAME_AKA, XC__NAME_AKA);
        aka += len;
        while (*aka == '\r' || *aka == '\n')
            aka++;
    }
    const char *country = cellv(cells, ncells, ctx->col[M_COUNTRY]);
    if (rc == XC_OK && *country)
        rc = xc__x_country(coll, e, country, strlen(country));
    const char *type = cellv(cells, ncells, ctx->col[M_TYPE]);
    while (rc == XC_OK && *type) {
        size_t len = strcspn(type, ",、 \n/");
        if (len > 0)
            rc = xc__x_program(coll, e, type, len);
        type += len;
        if (*type == ',' || *type == ' ' || *type == '\n' || *type == '/')
            type++;
        else if (strncmp(type, "、", strlen("、")) == 0)
            type += strlen("、");
    }
    if (rc != XC_OK)
        ctx->status = rc;
    return rc;
}

static void meti_warn(void *vctx, size_t row, const char *message)
{
    meti_ctx *ctx = vctx;
    if (ctx->list >= 0)
        xc__list_issue(ctx->set, ctx->list, "%s: %s", ctx->file, message);
}

static xc_status meti(xc__listset *set, const char *path, const void *data, size_t len,
                      xc_error *err)
{
    meti_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.set = set;
    ctx.path = path;
    ctx.file = xc__path_base(path);
    ctx.list = -1;
    xc__sheet_opts opts = {0};
    opts.warn = meti_warn;
    xc_error read_err;
    xc_status st = data ? xc__sheet_read_mem(data, len, XC__SHEET_AUTO, &opts, meti_row, &ctx,
                                             &read_err)
                        : xc__sheet_read_file(path, XC__SHEET_AUTO, &opts, meti_row, &ctx,
                                              &read_err);
    if (!ctx.header_seen) {
        xc_status code = st != XC_OK ? st : XC_PARSE;
        if (st != XC_OK)
            return xc__error_set(err, code, "%s: %s", ctx.file, read_err.message);
        return xc__error_set(err, code, "%s: no METI End User List header", ctx.file);
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
    if (data)
        xc__sha256_hex(data, len, list->sha256);
    else if (xc__file_sha256(path, list->sha256, NULL) != XC_OK)
        list->sha256[0] = '\0';
    if (rc != XC_OK)
        return xc__error_set(err, rc, "%s: out of memory", ctx.file);
    return XC_OK;
}

xc_status xc__parse_meti(xc__listset *set, const char *path, xc_error *err)
{
    return meti(set, path, NULL, 0, err);
}

xc_status xc__parse_meti_mem(xc__listset *set, const char *name, const void *data, size_t len,
                             xc_error *err)
{
    return meti(set, name, data ? data : "", data ? len : 0, err);
}

bool xc__sniff_meti(const char *name, const void *head, size_t len)
{
    const char *base = xc__path_base(name);
    size_t n = strlen(base);
    if (n < 5 || !xc__str_ieq(base + n - 5, ".xlsx") || len < 4 ||
        memcmp(head, "PK\x03\x04", 4) != 0)
        return false;
    return has_ci(base, "enduser") || has_ci(base, "end_user") || has_ci(base, "end-user") ||
           has_ci(base, "eul") || has(base, "ユーザー");
}
