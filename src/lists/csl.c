/*
 * csl.c — the trade.gov Consolidated Screening List (CSL), CSV and JSON forms.
 *
 * One CSL file holds thirteen source lists (BIS, State, Treasury); each `source` value becomes
 * its own xc__list with a stable snake_case id from the table below (an unknown source gets a
 * slug of its name) and the source's full name as title. The CSV has a header row (29 columns,
 * looked up by name so a reordered export still reads), quoted fields with embedded newlines,
 * and multi-valued fields joined with "; ". The JSON form ({"results":[...]} or a bare array)
 * has the same field names, with arrays (of strings or of address/id objects) in place of the
 * joined strings. `_id` is the entity id (a 40-hex hash for BIS and State rows, the OFAC
 * ent_num for Treasury rows). The CSL carries no publication date, so the version stays "".
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "csv.h"
#include "lists.h"

#define CSL_JSON_MAX ((size_t)512 << 20)

/* Source name fragments (case-insensitive) -> list id. */
static const struct {
    const char *fragment;
    const char *id;
} csl_sources[] = {
    {"Entity List", "us_bis_entity_list"},
    {"Denied Persons", "us_bis_dpl"},
    {"Unverified List", "us_bis_uvl"},
    {"Military End User", "us_bis_meu"},
    {"Nonproliferation Sanctions", "us_state_isn"},
    {"ITAR Debarred", "us_state_dtc"},
    {"Specially Designated Nationals", "us_csl_sdn"},
    {"Sectoral Sanctions", "us_treas_ssi"},
    {"Foreign Sanctions Evaders", "us_treas_fse"},
    {"Palestinian Legislative Council", "us_treas_plc"},
    {"Capta", "us_treas_capta"},
    {"NS-MBS", "us_treas_nsmbs"},
    {"Menu-Based", "us_treas_nsmbs"},
    {"CMIC", "us_treas_cmic"},
    {"Chinese Military-Industrial", "us_treas_cmic"},
};

bool xc__csl_list_id(const char *id)
{
    for (size_t i = 0; id && i < XC__ARRAY_LEN(csl_sources); i++)
        if (strcmp(csl_sources[i].id, id) == 0)
            return true;
    return false;
}

enum {
    C_ID, C_SOURCE, C_TYPE, C_PROGRAMS, C_NAME, C_ADDRESSES, C_START, C_REMARKS, C_ALT,
    C_CITIZENSHIPS, C_DOBS, C_NATIONALITIES, C_IDS, C_POBS, C_COUNT
};
static const char *const column_names[C_COUNT] = {
    "_id",     "source",       "type",           "programs",      "name",
    "addresses", "start_date", "remarks",        "alt_names",     "citizenships",
    "dates_of_birth", "nationalities", "ids", "places_of_birth"};

#define SOURCE_CACHE 32

typedef struct csl_ctx {
    xc__listset *set;
    const char *files;
    const char *sha256;
    const char *label;
    xc__ebuild b;
    struct {
        char *source; /* arena copy */
        int list;
    } cache[SOURCE_CACHE + 1]; /* the last slot is the pool for surplus sources */
    int cached;
    int first_list;   /* a list to hang file-level issues on before any source is seen */
} csl_ctx;

static bool icontains(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (xc__strn_ieq(hay + i, n, needle))
            return true;
    return false;
}

/* The list for a source name, created on first sight. -1 on out of memory. */
static int source_list(csl_ctx *c, const char *source, size_t len)
{
    source = xc__trim(source, &len);
    for (int i = 0; i < c->cached; i++)
        if (strlen(c->cache[i].source) == len && memcmp(c->cache[i].source, source, len) == 0)
            return c->cache[i].list;
    if (c->cached >= SOURCE_CACHE) {
        /* A real CSL has 13 sources; past 32 the file is not a CSL we know: pool the rest
         * instead of creating a list per row. */
        source = "CSL (other sources)";
        len = strlen(source);
        for (int i = 0; i < c->cached; i++)
            if (strcmp(c->cache[i].source, source) == 0)
                return c->cache[i].list;
    }
    char id[64];
    id[0] = '\0';
    for (size_t i = 0; i < XC__ARRAY_LEN(csl_sources); i++)
        if (icontains(source, len, csl_sources[i].fragment)) {
            xc__strlcpy(id, csl_sources[i].id, sizeof id);
            break;
        }
    if (!id[0]) { /* slug: lower-case letters and digits, runs of anything else -> '_' */
        size_t n = 0;
        for (size_t i = 0; i < len && n < sizeof id - 2; i++) {
            unsigned char ch = (unsigned char)source[i];
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
                id[n++] = (char)ch;
            else if (ch >= 'A' && ch <= 'Z')
                id[n++] = (char)(ch - 'A' + 'a');
            else if (n && id[n - 1] != '_')
                id[n++] = '_';
        }
        while (n && id[n - 1] == '_')
            n--;
        id[n] = '\0';
        if (!n)
            xc__strlcpy(id, "us_csl_unknown", sizeof id);
    }
    char *title = xc__arena_strndup(c->set->arena, source, len);
    if (!title)
        return -1;
    /* A title with invalid UTF-8 would leak into every report: clean it. */
    if (xc__utf8_check(title, len) != len) {
        size_t out_len;
        char *clean = xc__utf8_sanitize(title, len, &out_len);
        if (!clean)
            return -1;
        title = xc__arena_strndup(c->set->arena, clean, out_len);
        xc__free_mem(clean);
        if (!title)
            return -1;
    }
    int list = xc__listset_list(c->set, id, title, c->files);
    if (list < 0)
        return -1;
    xc__strlcpy(c->set->lists[list].sha256, c->sha256, 65);
    if (c->cached <= SOURCE_CACHE) {
        c->cache[c->cached].source = xc__arena_strndup(c->set->arena, source, len);
        if (!c->cache[c->cached].source)
            return -1;
        c->cache[c->cached].list = list;
        c->cached++;
    }
    return list;
}

static xc_kind kind_of(const char *s, size_t len)
{
    s = xc__trim(s, &len);
    if (xc__strn_ieq(s, len, "Individual"))
        return XC_KIND_PERSON;
    if (xc__strn_ieq(s, len, "Entity"))
        return XC_KIND_ORG;
    if (xc__strn_ieq(s, len, "Vessel"))
        return XC_KIND_VESSEL;
    if (xc__strn_ieq(s, len, "Aircraft"))
        return XC_KIND_AIRCRAFT;
    return XC_KIND_ANY; /* BIS and State rows give no type */
}

/* Calls fn on every ';'-separated, trimmed, non-empty piece of s[0..len). */
typedef void (*piece_fn)(xc__ebuild *b, const char *s, size_t len, int arg);
static void each_piece(xc__ebuild *b, const char *s, size_t len, piece_fn fn, int arg)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++)
        if (i == len || s[i] == ';') {
            size_t n = i - start;
            const char *p = xc__trim(s + start, &n);
            if (n)
                fn(b, p, n, arg);
            start = i + 1;
        }
}

static void piece_name(xc__ebuild *b, const char *s, size_t len, int person)
{
    xc__eb_name(b, s, len, XC__NAME_AKA, person && memchr(s, ',', len));
}

static void piece_dob(xc__ebuild *b, const char *s, size_t len, int unused)
{
    xc__eb_dob_text(b, s, len, false);
}

static void piece_nationality(xc__ebuild *b, const char *s, size_t len, int unused)
{
    xc__eb_nationality(b, s, len);
}

static void piece_pob(xc__ebuild *b, const char *s, size_t len, int unused)
{
    xc__eb_pob(b, s, len);
}

/* "No. 88 Xinye Road, Chengdu, CN": the address, whose last part is a country code. */
static void piece_address(xc__ebuild *b, const char *s, size_t len, int unused)
{
    xc__eb_address(b, s, len);
    const char *comma = NULL;
    for (size_t i = len; i > 0; i--)
        if (s[i - 1] == ',') {
            comma = s + i - 1;
            break;
        }
    const char *last = comma ? comma + 1 : s;
    size_t n = len - (size_t)(last - s);
    last = xc__trim(last, &n);
    if (n == 2)
        xc__eb_country(b, last, n);
}

/* "ZA, T00043812, Passport" (country, number, type) or "7402016297260, Refugee ID Card". Pieces
 * without a digit in the number ("Male, Gender") are facts, not identifiers. */
static void piece_ident(xc__ebuild *b, const char *s, size_t len, int unused)
{
    const char *first = memchr(s, ',', len);
    const char *last = NULL;
    for (size_t i = len; i > 0; i--)
        if (s[i - 1] == ',') {
            last = s + i - 1;
            break;
        }
    if (!first)
        return;
    const char *country = NULL;
    size_t country_len = 0;
    const char *value = s;
    size_t value_len = (size_t)(last - s);
    if (first != last) {
        size_t n = (size_t)(first - s);
        const char *cc = xc__trim(s, &n);
        if (n == 2) {
            country = cc;
            country_len = 2;
            value = first + 1;
            value_len = (size_t)(last - value);
        }
    }
    size_t type_len = len - (size_t)(last + 1 - s);
    const char *type = xc__trim(last + 1, &type_len);
    /* Treasury rows put other remarks in this column too ("..., Secondary sanctions risk:",
     * "..., Organization Established Date"): not identifiers. */
    static const char *const not_ids[] = {"anctions", "Date", "Gender", "Website", "Email",
                                          "Phone", "Organization", "Target Type", "Linked",
                                          "Executive Order", "Listing", "Nationality", "Model",
                                          "Operator", "Flag", "Issuer Name"};
    if (type_len == 0 || type[type_len - 1] == ':')
        return;
    for (size_t i = 0; i < XC__ARRAY_LEN(not_ids); i++)
        if (icontains(type, type_len, not_ids[i]))
            return;
    bool digit = icontains(type, type_len, "SWIFT"); /* bank codes may have no digit */
    for (size_t i = 0; i < value_len; i++)
        if (value[i] >= '0' && value[i] <= '9')
            digit = true;
    if (!digit)
        return;
    xc__eb_ident(b, type, type_len, value, value_len, country, country_len);
}

static const char *programs_of(xc__ebuild *b, const char *s, size_t len)
{
    char out[1024];
    size_t n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++)
        if (i == len || s[i] == ';') {
            size_t plen = i - start;
            const char *p = xc__trim(s + start, &plen);
            if (plen && n + plen + 2 < sizeof out) {
                if (n)
                    out[n++] = ';';
                memcpy(out + n, p, plen);
                n += plen;
            }
            start = i + 1;
        }
    return xc__eb_str(b, out, n);
}

static void set_listed_on(xc__ebuild *b, const char *s, size_t len)
{
    s = xc__trim(s, &len);
    char date[11];
    int32_t days;
    if (len < 10)
        return;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (xc__date_parse_iso(date, &days))
        b->entity.listed_on = xc__eb_str(b, date, 10);
}

/* ---- CSV ---- */

static xc_status parse_csv(csl_ctx *c, FILE *f, xc_error *err)
{
    xc__csv *csv = xc__csv_open_file(f, NULL);
    if (!csv)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    int col[C_COUNT];
    size_t header_fields = 0;
    xc_status rc = XC_OK;
    bool header = false;
    xc__ebuild *b = &c->b;
    for (;;) {
        xc_status st = xc__csv_next(csv);
        if (st == XC_NOTFOUND)
            break;
        if (st == XC_TOOBIG) {
            if (!header)
                continue;
            int list = c->cached ? c->cache[0].list : -1;
            if (list < 0) {
                list = source_list(c, "CSL (unknown source)", 20);
                if (list < 0) {
                    rc = XC_NOMEM;
                    break;
                }
            }
            xc__list_skip(c->set, list, "%s line %zu: %s, row skipped", c->label,
                          xc__csv_line(csv), xc__csv_error(csv));
            continue;
        }
        if (st != XC_OK) {
            rc = st;
            break;
        }
        size_t n = xc__csv_count(csv);
        if (!header) {
            for (int k = 0; k < C_COUNT; k++) {
                col[k] = -1;
                for (size_t i = 0; i < n; i++) {
                    size_t len;
                    const char *name = xc__csv_field(csv, i, &len);
                    name = xc__trim(name, &len);
                    if (xc__strn_ieq(name, len, column_names[k]))
                        col[k] = (int)i;
                }
            }
            if (col[C_SOURCE] < 0 || col[C_NAME] < 0) {
                rc = xc__error_set(err, XC_UNSUPPORTED,
                                   "%s line %zu: not a CSL header (no source and name columns)",
                                   c->label, xc__csv_line(csv));
                break;
            }
            header = true;
            header_fields = n;
            continue;
        }
        size_t len;
        const char *source = xc__csv_field(csv, (size_t)col[C_SOURCE], &len);
        int list = source_list(c, source, len);
        if (list < 0) {
            rc = XC_NOMEM;
            break;
        }
        if (n != header_fields) {
            xc__list_skip(c->set, list, "%s line %zu: %zu fields, expected %zu", c->label,
                          xc__csv_line(csv), n, header_fields);
            continue;
        }
#define FIELD(k) (col[k] >= 0 ? xc__csv_field(csv, (size_t)col[k], &len) : (len = 0, ""))
        const char *s = FIELD(C_TYPE);
        xc_kind kind = kind_of(s, len);
        bool person = kind == XC_KIND_PERSON;
        xc__eb_begin(b, list, kind);
        b->line = xc__csv_line(csv);
        s = FIELD(C_ID);
        b->entity.source_id = xc__eb_str(b, s, len);
        s = FIELD(C_NAME);
        xc__eb_name(b, s, len, XC__NAME_PRIMARY, person && memchr(s, ',', len));
        s = FIELD(C_ALT);
        each_piece(b, s, len, piece_name, person);
        s = FIELD(C_DOBS);
        each_piece(b, s, len, piece_dob, 0);
        s = FIELD(C_NATIONALITIES);
        each_piece(b, s, len, piece_nationality, 0);
        s = FIELD(C_CITIZENSHIPS);
        each_piece(b, s, len, piece_nationality, 0);
        s = FIELD(C_POBS);
        each_piece(b, s, len, piece_pob, 0);
        s = FIELD(C_ADDRESSES);
        each_piece(b, s, len, piece_address, 0);
        s = FIELD(C_IDS);
        each_piece(b, s, len, piece_ident, 0);
        s = FIELD(C_PROGRAMS);
        b->entity.programs = programs_of(b, s, len);
        s = FIELD(C_START);
        set_listed_on(b, s, len);
        s = FIELD(C_REMARKS);
        b->entity.remarks = xc__eb_str(b, s, len);
#undef FIELD
        rc = xc__eb_commit(b);
        if (rc != XC_OK)
            break;
    }
    if (rc == XC_OK && !header)
        rc = xc__error_set(err, XC_PARSE, "%s: empty file, no CSL header", c->label);
    if (rc == XC_NOMEM)
        xc__error_set(err, XC_NOMEM, "%s: out of memory", c->label);
    else if (rc == XC_IO)
        xc__error_set(err, XC_IO, "%s: read error", c->label);
    xc__csv_close(csv);
    return rc;
}

static xc_status csv_entry(xc__listset *set, const char *path, const char *data, size_t len,
                           const char *label, xc_error *err)
{
    csl_ctx c;
    memset(&c, 0, sizeof c);
    char sha[65];
    FILE *f;
    xc_status rc = xc__source_sha256(path, data, len, sha, err);
    if (rc != XC_OK)
        return rc;
    if (path)
        f = fopen(path, "rb");
    else
        f = len ? fmemopen((void *)data, len, "rb") : fopen("/dev/null", "rb");
    if (!f)
        return xc__error_set(err, XC_IO, "%s: cannot open", label);
    c.set = set;
    c.files = path ? path : label;
    c.sha256 = sha;
    c.label = label;
    xc__eb_init(&c.b, set, label);
    rc = parse_csv(&c, f, err);
    xc__eb_free(&c.b);
    fclose(f);
    return rc;
}

xc_status xc__parse_csl_csv(xc__listset *set, const char *path, xc_error *err)
{
    return csv_entry(set, path, NULL, 0, xc__path_base(path), err);
}

xc_status xc__parse_csl_csv_mem(xc__listset *set, const char *data, size_t len,
                                const char *label, xc_error *err)
{
    return csv_entry(set, NULL, data, len, label ? label : "memory", err);
}

/* ---- JSON ---- */

/* Calls fn for a string (split on ';') or for each string of an array. */
static void each_value(xc__ebuild *b, json_t *v, piece_fn fn, int arg)
{
    if (json_is_string(v)) {
        each_piece(b, json_string_value(v), json_string_length(v), fn, arg);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            if (json_is_string(item) && json_string_length(item))
                fn(b, json_string_value(item), json_string_length(item), arg);
        }
    }
}

static const char *jstr(json_t *obj, const char *key, size_t *len)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_string(v)) {
        *len = json_string_length(v);
        return json_string_value(v);
    }
    *len = 0;
    return "";
}

static xc_status json_entity(csl_ctx *c, json_t *obj, size_t index)
{
    size_t len;
    const char *source = jstr(obj, "source", &len);
    int list = source_list(c, source, len);
    if (list < 0)
        return XC_NOMEM;
    xc__ebuild *b = &c->b;
    const char *s = jstr(obj, "type", &len);
    xc_kind kind = kind_of(s, len);
    bool person = kind == XC_KIND_PERSON;
    xc__eb_begin(b, list, kind);
    b->line = index + 1; /* JSON has no useful line: report the 1-based result number */
    s = jstr(obj, "_id", &len);
    if (!len)
        s = jstr(obj, "id", &len);
    b->entity.source_id = xc__eb_str(b, s, len);
    s = jstr(obj, "name", &len);
    xc__eb_name(b, s, len, XC__NAME_PRIMARY, person && memchr(s, ',', len));
    each_value(b, json_object_get(obj, "alt_names"), piece_name, person);
    each_value(b, json_object_get(obj, "dates_of_birth"), piece_dob, 0);
    each_value(b, json_object_get(obj, "nationalities"), piece_nationality, 0);
    each_value(b, json_object_get(obj, "citizenships"), piece_nationality, 0);
    each_value(b, json_object_get(obj, "places_of_birth"), piece_pob, 0);
    json_t *addresses = json_object_get(obj, "addresses");
    if (json_is_array(addresses)) {
        size_t i;
        json_t *a;
        json_array_foreach(addresses, i, a)
        {
            if (json_is_string(a)) {
                piece_address(b, json_string_value(a), json_string_length(a), 0);
                continue;
            }
            static const char *const parts[] = {"address", "city", "state", "postal_code",
                                                "country"};
            char line[4096];
            size_t used = 0;
            line[0] = '\0';
            for (size_t k = 0; k < XC__ARRAY_LEN(parts); k++) {
                const char *p = jstr(a, parts[k], &len);
                if (len && used < sizeof line - 1) {
                    int n = snprintf(line + used, sizeof line - used, "%s%.*s",
                                     used ? ", " : "", (int)(len > 2000 ? 2000 : len), p);
                    used = n > 0 ? used + (size_t)n : used;
                    if (used > sizeof line - 1)
                        used = sizeof line - 1;
                }
            }
            xc__eb_address(b, line, used);
            const char *country = jstr(a, "country", &len);
            xc__eb_country(b, country, len);
        }
    } else {
        each_value(b, addresses, piece_address, 0);
    }
    json_t *ids = json_object_get(obj, "ids");
    if (json_is_array(ids)) {
        size_t i;
        json_t *id;
        json_array_foreach(ids, i, id)
        {
            if (json_is_string(id)) {
                piece_ident(b, json_string_value(id), json_string_length(id), 0);
                continue;
            }
            size_t tl, nl, cl;
            const char *type = jstr(id, "type", &tl);
            const char *number = jstr(id, "number", &nl);
            const char *country = jstr(id, "country", &cl);
            xc__eb_ident(b, type, tl, number, nl, cl ? country : NULL, cl);
        }
    } else {
        each_value(b, ids, piece_ident, 0);
    }
    json_t *programs = json_object_get(obj, "programs");
    if (json_is_array(programs)) {
        char out[1024];
        size_t n = 0, i;
        json_t *p;
        json_array_foreach(programs, i, p)
        {
            size_t plen = json_string_length(p);
            if (json_is_string(p) && plen && n + plen + 2 < sizeof out) {
                if (n)
                    out[n++] = ';';
                memcpy(out + n, json_string_value(p), plen);
                n += plen;
            }
        }
        b->entity.programs = xc__eb_str(b, out, n);
    } else {
        s = jstr(obj, "programs", &len);
        b->entity.programs = programs_of(b, s, len);
    }
    s = jstr(obj, "start_date", &len);
    set_listed_on(b, s, len);
    s = jstr(obj, "remarks", &len);
    b->entity.remarks = xc__eb_str(b, s, len);
    return xc__eb_commit(b);
}

static xc_status json_entry(xc__listset *set, const char *path, const char *data, size_t len,
                            const char *label, xc_error *err)
{
    char *owned = NULL;
    if (path) {
        xc_status rc = xc__file_read(path, CSL_JSON_MAX, &owned, &len, err);
        if (rc != XC_OK)
            return rc;
        data = owned;
    }
    char sha[65];
    xc__sha256_hex(data ? data : "", data ? len : 0, sha);
    json_error_t jerr;
    json_t *root = json_loadb(data ? data : "", data ? len : 0, JSON_ALLOW_NUL, &jerr);
    xc__free_mem(owned);
    if (!root)
        return xc__error_set(err, XC_PARSE, "%s line %d: %s", label, jerr.line, jerr.text);
    json_t *results = json_is_array(root) ? root : json_object_get(root, "results");
    if (!json_is_array(results)) {
        json_decref(root);
        return xc__error_set(err, XC_UNSUPPORTED, "%s: no results array", label);
    }
    csl_ctx c;
    memset(&c, 0, sizeof c);
    c.set = set;
    c.files = path ? path : label;
    c.sha256 = sha;
    c.label = label;
    xc__eb_init(&c.b, set, label);
    xc_status rc = XC_OK;
    size_t i;
    json_t *item;
    json_array_foreach(results, i, item)
    {
        if (!json_is_object(item)) {
            int list = source_list(&c, "CSL (unknown source)", 20);
            if (list < 0) {
                rc = XC_NOMEM;
                break;
            }
            xc__list_skip(set, list, "%s result %zu: not an object", label, i + 1);
            continue;
        }
        rc = json_entity(&c, item, i);
        if (rc != XC_OK)
            break;
    }
    xc__eb_free(&c.b);
    json_decref(root);
    if (rc == XC_NOMEM)
        xc__error_set(err, XC_NOMEM, "%s: out of memory", label);
    return rc;
}

xc_status xc__parse_csl_json(xc__listset *set, const char *path, xc_error *err)
{
    return json_entry(set, path, NULL, 0, xc__path_base(path), err);
}

xc_status xc__parse_csl_json_mem(xc__listset *set, const char *data, size_t len,
                                 const char *label, xc_error *err)
{
    return json_entry(set, NULL, data, len, label ? label : "memory", err);
}
