/*
 * watchlist.c — the internal watch list: a CSV file of one's own lists (README.md, "Lists of
 * one's own"), loaded like an official source.
 *
 * The first line must be exactly XC__WATCHLIST_HEADER (list_id, entity_id, name, aliases, kind,
 * country, date_of_birth, identifiers), optionally followed by the optional columns programs,
 * listed_on, remarks and addresses in any order; anything else is not a watch list, so the
 * file is recognised by that line alone and nothing else can be taken for one. Fields are read
 * with the project's CSV reader (csv.h, RFC 4180 quoting), one line at a time: a row is one
 * line, so an unterminated quote or a truncated last line is an error on that line only and
 * every other row still loads. Multi-valued fields (aliases, country, date_of_birth,
 * identifiers, programs, addresses) separate their values with ';'; an identifier is
 * "TYPE:VALUE" or a bare value.
 *
 * One file may hold several lists: each distinct list_id becomes a list record (at most
 * XC__WATCHLIST_MAX_LISTS), with the file's SHA-256 and as version a date in the file name
 * (YYYY-MM-DD or YYYYMMDD), else "" (the store then names the version by the digest). A list id
 * must be snake_case and may not be an official source's id (see xc__watchlist_id_ok).
 *
 * A row is skipped and reported (file, line, reason) when it has the wrong number of fields,
 * an unterminated quote, an invalid list id, no entity id, an entity id already used in its
 * list, or no name; a row broken before its list id can be trusted (a wrong field count, an
 * unterminated quote, a bad list id) is counted on the file's first list. A bad kind, country,
 * date of birth or listing date loses only that value, reported as an issue, so that a
 * qualifier never hides a name.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "lines.h"
#include "sources_own.h"

enum { W_LIST, W_ID, W_NAME, W_ALIASES, W_KIND, W_COUNTRY, W_DOB, W_IDENTS, W_PROGRAMS,
       W_LISTED, W_REMARKS, W_ADDRESSES, W_COUNT };
#define W_REQUIRED 8
static const char *const column_names[W_COUNT] = {
    "list_id", "entity_id", "name",     "aliases",   "kind",    "country",
    "date_of_birth", "identifiers", "programs", "listed_on", "remarks", "addresses"};

/* Official sources' ids (load.c, data/sources.tsv) an internal list may not take. */
static const char *const official_ids[] = {
    "us_ofac_sdn", "us_ofac_cons", "un_sc",     "us_csl",      "us_bis_dpl",
    "eu_fsf",      "uk_fcdo",      "uk_ofsi",   "jp_meti_eul", "watchlist"};

bool xc__watchlist_id_ok(const char *id, size_t len)
{
    if (len < 2 || len > 64 || id[0] < 'a' || id[0] > 'z' || id[len - 1] == '_')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
        if (c == '_' && id[i + 1] == '_')
            return false;
    }
    if ((len >= 3 && memcmp(id, "os_", 3) == 0) || xc__strn_ieq(id, len, "opensanctions"))
        return false;
    char copy[65];
    memcpy(copy, id, len);
    copy[len] = '\0';
    for (size_t i = 0; i < XC__ARRAY_LEN(official_ids); i++)
        if (strcmp(copy, official_ids[i]) == 0)
            return false;
    return !xc__csl_list_id(copy);
}

bool xc__sniff_watchlist(const char *name, const void *head, size_t len)
{
    (void)name;
    const char *p = head;
    if (!p)
        return false;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        len -= 3;
    }
    size_t n = strlen(XC__WATCHLIST_HEADER);
    if (len < n || memcmp(p, XC__WATCHLIST_HEADER, n) != 0)
        return false;
    return len == n || p[n] == ',' || p[n] == '\r' || p[n] == '\n';
}

/* ---- (list, entity id) pairs already taken, for duplicate rows ---- */
typedef struct taken {
    const char *id; /* arena copy; NULL = empty slot */
    int list;
    size_t line;
} taken;

typedef struct wl_ctx {
    xc__listset *set;
    const char *label, *files, *sha;
    char version[11];
    xc__ebuild b;
    int col[W_COUNT];
    size_t fields;
    int lists[XC__WATCHLIST_MAX_LISTS];
    size_t list_count;
    taken *slots;
    size_t slot_count, used;
    /* rows skipped before any list existed: reported on the first list made */
    char early[16][320];
    size_t early_count, early_more;
} wl_ctx;

static size_t slot_of(const taken *slots, size_t n, int list, const char *id)
{
    size_t h = (size_t)(xc__hash64_str(id) ^ (uint64_t)list * 0x9E3779B97F4A7C15ull) & (n - 1);
    while (slots[h].id && (slots[h].list != list || strcmp(slots[h].id, id) != 0))
        h = (h + 1) & (n - 1);
    return h;
}

static bool remember(wl_ctx *c, int list, const char *id, size_t line)
{
    if ((c->used + 1) * 2 > c->slot_count) {
        size_t n = c->slot_count ? c->slot_count * 2 : 1024;
        taken *slots = xc__calloc(n, sizeof *slots);
        if (!slots)
            return false;
        for (size_t i = 0; i < c->slot_count; i++)
            if (c->slots[i].id)
                slots[slot_of(slots, n, c->slots[i].list, c->slots[i].id)] = c->slots[i];
        xc__free_mem(c->slots);
        c->slots = slots;
        c->slot_count = n;
    }
    size_t h = slot_of(c->slots, c->slot_count, list, id);
    c->slots[h].id = id;
    c->slots[h].list = list;
    c->slots[h].line = line;
    c->used++;
    return true;
}

static size_t taken_line(const wl_ctx *c, int list, const char *id)
{
    if (!c->slot_count)
        return 0;
    size_t h = slot_of(c->slots, c->slot_count, list, id);
    return c->slots[h].id ? c->slots[h].line : 0;
}

/* Reports a skipped row: on list `list`, or before any list exists, kept for the first. */
static void skip_row(wl_ctx *c, int list, const char *fmt, ...) XC__PRINTF(3, 4);
static void skip_row(wl_ctx *c, int list, const char *fmt, ...)
{
    char reason[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (list < 0 && c->list_count)
        list = c->lists[0];
    if (list >= 0)
        xc__list_skip(c->set, list, "%s", reason);
    else if (c->early_count < XC__ARRAY_LEN(c->early))
        xc__strlcpy(c->early[c->early_count++], reason, sizeof c->early[0]);
    else
        c->early_more++;
}

/* The list record for id, made on first sight; -1 when over the limit (reported), -2 OOM. */
static int list_for(wl_ctx *c, const char *id, size_t len, size_t line)
{
    for (size_t i = 0; i < c->list_count; i++) {
        const char *have = c->set->lists[c->lists[i]].id;
        if (strlen(have) == len && memcmp(have, id, len) == 0)
            return c->lists[i];
    }
    char copy[65];
    memcpy(copy, id, len);
    copy[len] = '\0';
    if (c->list_count == XC__WATCHLIST_MAX_LISTS) {
        skip_row(c, -1, "%s line %zu: list id %s is one list too many (at most %d per file)",
                 c->label, line, copy, XC__WATCHLIST_MAX_LISTS);
        return -1;
    }
    int list = xc__listset_list_new(c->set, copy, copy, c->files);
    if (list < 0)
        return -2;
    xc__list *l = &c->set->lists[list];
    xc__strlcpy(l->sha256, c->sha, sizeof l->sha256);
    memcpy(l->version, c->version, sizeof l->version);
    c->lists[c->list_count++] = list;
    if (c->list_count == 1) {
        for (size_t i = 0; i < c->early_count; i++)
            xc__list_skip(c->set, list, "%s", c->early[i]);
        l = &c->set->lists[list];
        l->rows_skipped += c->early_more;
    }
    return list;
}

/* Steps through the ';'-separated values of s[0..len): sets value and value_len to the next
 * trimmed, non-empty one and returns true, or returns false at the end. *at starts at 0. */
static bool next_value(const char *s, size_t len, size_t *at, const char **value,
                       size_t *value_len)
{
    while (*at <= len) {
        const char *semi = memchr(s + *at, ';', len - *at);
        size_t end = semi ? (size_t)(semi - s) : len;
        size_t n = end - *at;
        const char *v = xc__trim(s + *at, &n);
        *at = end + 1;
        if (n) {
            *value = v;
            *value_len = n;
            return true;
        }
    }
    return false;
}

static int kind_word(const char *s, size_t len)
{
    static const struct {
        const char *word;
        int kind;
    } words[] = {{"person", XC_KIND_PERSON},       {"individual", XC_KIND_PERSON},
                 {"organization", XC_KIND_ORG},    {"organisation", XC_KIND_ORG},
                 {"org", XC_KIND_ORG},             {"company", XC_KIND_ORG},
                 {"entity", XC_KIND_ORG},          {"vessel", XC_KIND_VESSEL},
                 {"aircraft", XC_KIND_AIRCRAFT},   {"any", XC_KIND_ANY}};
    s = xc__trim(s, &len);
    if (len == 0)
        return XC_KIND_ANY;
    for (size_t i = 0; i < XC__ARRAY_LEN(words); i++)
        if (xc__strn_ieq(s, len, words[i].word))
            return words[i].kind;
    return -1;
}

static xc_status take_row(wl_ctx *c, xc__csv *csv, size_t line)
{
    size_t n = xc__csv_count(csv), len;
    if (xc__csv_unterminated(csv)) {
        skip_row(c, -1, "%s line %zu: unterminated quote; row skipped", c->label, line);
        return XC_OK;
    }
    if (n != c->fields) {
        skip_row(c, -1, "%s line %zu: %zu fields, expected %zu; row skipped", c->label, line, n,
                 c->fields);
        return XC_OK;
    }
#define FIELD(k) (c->col[k] >= 0 ? xc__csv_field(csv, (size_t)c->col[k], &len) : (len = 0, ""))
    const char *list_id = FIELD(W_LIST);
    size_t list_len = len;
    list_id = xc__trim(list_id, &list_len);
    if (!xc__watchlist_id_ok(list_id, list_len)) {
        char shown[80];
        snprintf(shown, sizeof shown, "%.*s", (int)(list_len > 64 ? 64 : list_len), list_id);
        skip_row(c, -1,
                 "%s line %zu: list id '%s' is not a snake_case id of one's own (not an "
                 "official list's id, not os_*); row skipped", c->label, line, shown);
        return XC_OK;
    }
    int list = list_for(c, list_id, list_len, line);
    if (list == -2)
        return XC_NOMEM;
    if (list < 0)
        return XC_OK;
    const char *entity_id = FIELD(W_ID);
    size_t id_len = len;
    entity_id = xc__trim(entity_id, &id_len);
    if (id_len == 0 || id_len > 200) {
        skip_row(c, list, "%s line %zu: %s entity id; row skipped", c->label, line,
                 id_len ? "over-long" : "no");
        return XC_OK;
    }
    xc__ebuild *b = &c->b;
    xc__eb_begin(b, list, XC_KIND_ANY);
    b->line = line;
    b->entity.source_id = xc__eb_str(b, entity_id, id_len);
    if (!b->entity.source_id)
        return XC_NOMEM;
    size_t earlier = taken_line(c, list, b->entity.source_id);
    if (earlier) {
        skip_row(c, list, "%s line %zu: entity id %.200s repeats line %zu of list %s; row "
                 "skipped", c->label, line, b->entity.source_id, earlier,
                 c->set->lists[list].id);
        return XC_OK;
    }
    const char *s = FIELD(W_NAME);
    xc__eb_name(b, s, len, XC__NAME_PRIMARY, false);
    s = FIELD(W_ALIASES);
    const char *v;
    size_t vlen, at = 0;
    while (next_value(s, len, &at, &v, &vlen))
        xc__eb_name(b, v, vlen, XC__NAME_AKA, false);
    s = FIELD(W_KIND);
    int kind = kind_word(s, len);
    if (kind < 0)
        xc__list_issue(c->set, list, "%s line %zu: kind '%.40s' unknown (person, organization, "
                       "vessel, aircraft or empty); screened as any", c->label, line, s);
    b->entity.kind = (uint8_t)(kind < 0 ? XC_KIND_ANY : kind);
    s = FIELD(W_COUNTRY);
    for (at = 0; next_value(s, len, &at, &v, &vlen);)
        if (!xc__eb_country(b, v, vlen))
            xc__list_issue(c->set, list, "%s line %zu: country '%.*s' unknown; ignored",
                           c->label, line, (int)(vlen > 60 ? 60 : vlen), v);
    s = FIELD(W_DOB);
    for (at = 0; next_value(s, len, &at, &v, &vlen);)
        if (xc__eb_dob_text(b, v, vlen, false) == 0)
            xc__list_issue(c->set, list, "%s line %zu: date of birth '%.*s' is no date; "
                           "ignored", c->label, line, (int)(vlen > 40 ? 40 : vlen), v);
    s = FIELD(W_IDENTS);
    for (at = 0; next_value(s, len, &at, &v, &vlen);) {
        const char *colon = memchr(v, ':', vlen);
        if (colon && colon > v)
            xc__eb_ident(b, v, (size_t)(colon - v), colon + 1, vlen - (size_t)(colon - v) - 1,
                         NULL, 0);
        else
            xc__eb_ident(b, "", 0, colon ? colon + 1 : v, colon ? vlen - 1 : vlen, NULL, 0);
    }
    s = FIELD(W_PROGRAMS);
    if (len) {
        char joined[2048];
        size_t used = 0;
        for (at = 0; next_value(s, len, &at, &v, &vlen);)
            if (used + vlen + 2 < sizeof joined) {
                if (used)
                    joined[used++] = ';';
                memcpy(joined + used, v, vlen);
                used += vlen;
            }
        b->entity.programs = xc__eb_str(b, joined, used);
    }
    s = FIELD(W_LISTED);
    if (len) {
        xc__pdate d;
        if (xc__pdate_parse(s, len, false, &d) && d.day) {
            char iso[11];
            xc__date_format(xc__date_from_ymd(d.year, d.month, d.day), iso);
            b->entity.listed_on = xc__eb_str(b, iso, 10);
        } else {
            xc__list_issue(c->set, list, "%s line %zu: listed_on '%.*s' is no full date; "
                           "ignored", c->label, line, (int)(len > 40 ? 40 : len), s);
        }
    }
    s = FIELD(W_REMARKS);
    if (len)
        b->entity.remarks = xc__eb_str(b, s, len);
    s = FIELD(W_ADDRESSES);
    for (at = 0; next_value(s, len, &at, &v, &vlen);)
        xc__eb_address(b, v, vlen);
#undef FIELD
    size_t before = c->set->entity_count;
    const char *id = b->entity.source_id;
    xc_status rc = xc__eb_commit(b);
    if (rc == XC_OK && c->set->entity_count > before && !remember(c, list, id, line))
        rc = XC_NOMEM;
    return rc;
}

/* Reads the header line: the eight columns in order, then optional ones. */
static xc_status take_header(wl_ctx *c, xc__csv *csv, xc_error *err)
{
    size_t n = xc__csv_count(csv);
    for (int k = 0; k < W_COUNT; k++)
        c->col[k] = -1;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *cell = xc__csv_field(csv, i, &len);
        int found = -1;
        for (int k = 0; k < W_COUNT; k++)
            if (strlen(column_names[k]) == len && memcmp(cell, column_names[k], len) == 0)
                found = k;
        if (i < W_REQUIRED ? found != (int)i : (found < W_REQUIRED || c->col[found] >= 0))
            return xc__error_set(err, XC_UNSUPPORTED,
                                 "%s: header column %zu '%.*s' is not the watch-list column "
                                 "expected (the header is " XC__WATCHLIST_HEADER
                                 " then any of programs, listed_on, remarks, addresses, once)",
                                 c->label, i + 1, (int)(len > 40 ? 40 : len), cell);
        c->col[found] = (int)i;
    }
    if (n < W_REQUIRED)
        return xc__error_set(err, XC_UNSUPPORTED, "%s: not a watch list (the header is "
                             XC__WATCHLIST_HEADER ")", c->label);
    c->fields = n;
    return XC_OK;
}

static xc_status parse(xc__listset *set, const char *path, const char *name, const void *data,
                       size_t len, xc_error *err)
{
    wl_ctx *c = xc__calloc(1, sizeof *c);
    if (!c)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    c->set = set;
    c->label = xc__path_base(name);
    c->files = path ? path : name;
    char sha[65];
    xc_status rc = xc__source_sha256(data ? NULL : path, data, len, sha, err);
    c->sha = sha;
    xc__name_date(c->label, c->version);
    FILE *f = NULL;
    if (rc == XC_OK && !data && !(f = fopen(path, "rb")))
        rc = xc__error_set(err, XC_IO, "%s: cannot open", path);
    xc__lines *lines = NULL;
    if (rc == XC_OK) {
        lines = f ? xc__lines_open_file(f, XC__WATCHLIST_MAX_LINE)
                  : xc__lines_open_mem(data, len, XC__WATCHLIST_MAX_LINE);
        if (!lines)
            rc = xc__error_set(err, XC_NOMEM, "out of memory");
    }
    xc__eb_init(&c->b, set, c->label);
    size_t lists_before = set->list_count, entities_before = set->entity_count;
    bool header = false;
    while (rc == XC_OK) {
        const char *text;
        size_t n;
        xc_status st = xc__lines_next(lines, &text, &n);
        if (st == XC_NOTFOUND)
            break;
        size_t line = xc__lines_number(lines);
        if (st == XC_TOOBIG && header) {
            skip_row(c, -1, "%s line %zu: over %zu bytes; row skipped", c->label, line,
                     (size_t)XC__WATCHLIST_MAX_LINE);
            continue;
        }
        if (st != XC_OK && st != XC_TOOBIG) {
            rc = xc__error_set(err, st, "%s: %s", c->label,
                               st == XC_NOMEM ? "out of memory" : "read error");
            break;
        }
        size_t blank = n;
        if (st == XC_OK && header && (xc__trim(text, &blank), blank == 0))
            continue;
        xc__csv_opts opts = {.max_field = XC__WATCHLIST_MAX_LINE,
                             .max_record = XC__WATCHLIST_MAX_LINE, .max_fields = 64,
                             .keep_ctrl_z = true};
        xc__csv *csv = st == XC_OK ? xc__csv_open_mem(text, n, &opts) : NULL;
        if (st == XC_OK && !csv) {
            rc = xc__error_set(err, XC_NOMEM, "%s: out of memory", c->label);
            break;
        }
        xc_status got = csv ? xc__csv_next(csv) : st;
        if (got == XC_NOMEM) {
            xc__csv_close(csv);
            rc = xc__error_set(err, XC_NOMEM, "%s: out of memory", c->label);
            break;
        }
        if (!header) {
            rc = got == XC_OK ? take_header(c, csv, err)
                              : xc__error_set(err, XC_UNSUPPORTED, "%s: not a watch list (the "
                                              "header is " XC__WATCHLIST_HEADER ")", c->label);
            header = rc == XC_OK;
        } else if (got == XC_OK) {
            rc = take_row(c, csv, line);
            if (rc == XC_OK)
                rc = c->b.status;
            if (rc != XC_OK)
                xc__error_set(err, rc, "%s line %zu: out of memory", c->label, line);
        } else if (got == XC_TOOBIG) {
            skip_row(c, -1, "%s line %zu: %s; row skipped", c->label, line, xc__csv_error(csv));
        } else {
            rc = xc__error_set(err, got == XC_NOTFOUND ? XC_NOMEM : got, "%s line %zu: %s",
                               c->label, line, csv ? "unreadable row" : "out of memory");
        }
        xc__csv_close(csv);
    }
    if (rc == XC_OK && !header)
        rc = xc__error_set(err, XC_UNSUPPORTED, "%s: empty file, not a watch list", c->label);
    if (rc == XC_OK && c->list_count == 0 && c->early_count)
        rc = xc__error_set(err, XC_PARSE, "%s: no valid row; first problem: %s", c->label,
                           c->early[0]);
    if (rc != XC_OK) {
        set->list_count = lists_before; /* nothing is added from a file that failed */
        set->entity_count = entities_before;
    }
    xc__eb_free(&c->b);
    xc__lines_close(lines);
    if (f)
        fclose(f);
    xc__free_mem(c->slots);
    xc__free_mem(c);
    return rc;
}

xc_status xc__parse_watchlist(xc__listset *set, const char *path, xc_error *err)
{
    return parse(set, path, path, NULL, 0, err);
}

xc_status xc__parse_watchlist_mem(xc__listset *set, const char *name, const void *data,
                                  size_t len, xc_error *err)
{
    return parse(set, NULL, name ? name : "watchlist.csv", data ? data : "", len, err);
}
