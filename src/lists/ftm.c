/*
 * ftm.c — OpenSanctions entities in FollowTheMoney (FtM) JSON Lines: one entity per line,
 * {"id", "schema", "properties": {prop: [values]}, "datasets", "first_seen", "last_seen",
 * "last_change", "target", ...}, as OpenSanctions exports them (entities.ftm.json).
 *
 * The file is read line by line (lines.h, each line at most XC__FTM_MAX_LINE bytes) and each
 * line parsed on its own with jansson, so a broken line (not JSON, truncated, over the limit)
 * is reported with its number and skipped and no other line is lost. Invalid UTF-8 is replaced
 * with U+FFFD before parsing (jansson would refuse the whole line) and reported.
 *
 * data/lists/ftm.tsv says which schemas are entities to screen (and of which kind) and which
 * properties become names, dates of birth, countries, addresses, programmes, remarks and
 * identifiers. Records of other schemas are counted (xc__list.other_records) and lend their
 * facts to the entities they point at, which may come before or after them in the file:
 * a Sanction its programme id and listing date to its "entity", an Address its full text to
 * the entities naming it in "addressEntity", a Passport or Identification its number to its
 * "holder". Entities are collected by id (extra.h), so an id repeated on several lines is one
 * entity. Places of birth (birthPlace) are not read here.
 *
 * List id: "os_<name>" from the file name <name>.entities.ftm.json or <name>.ftm.json(l), a
 * date in the name left out so versions keep one id; "opensanctions" for entities.ftm.json.
 * Version: the newest last_seen date (the day OpenSanctions last confirmed the data), else the
 * newest last_change date, else a date in the file name, else "".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extra.h"
#include "lines.h"
#include "sources_own.h"

const char *xc__data_file(const char *name, size_t *len);

/* ---- the mapping table (data/lists/ftm.tsv), read once ---- */

enum { KIND_OTHER = -1 };
enum { R_NAME, R_AKA, R_WEAK_AKA, R_FKA, R_DOB, R_COUNTRY, R_ADDRESS, R_PROGRAM, R_REMARK,
       R_IDENT };

#define TABLE_MAX 160
#define WORD_MAX 48

typedef struct schema_row {
    char name[WORD_MAX];
    int kind; /* xc_kind, or KIND_OTHER */
} schema_row;

typedef struct prop_row {
    char name[WORD_MAX];
    int role;
    char ident[WORD_MAX]; /* identifier type for R_IDENT */
} prop_row;

static schema_row schemas[TABLE_MAX];
static size_t schema_count;
static prop_row props[TABLE_MAX];
static size_t prop_count;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static int role_of(const char *s)
{
    static const char *const names[] = {"name", "aka", "weak_aka", "fka", "dob", "country",
                                        "address", "program", "remark", "ident"};
    for (size_t i = 0; i < XC__ARRAY_LEN(names); i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

static int kind_of(const char *s)
{
    if (strcmp(s, "person") == 0)
        return XC_KIND_PERSON;
    if (strcmp(s, "organization") == 0)
        return XC_KIND_ORG;
    if (strcmp(s, "vessel") == 0)
        return XC_KIND_VESSEL;
    if (strcmp(s, "aircraft") == 0)
        return XC_KIND_AIRCRAFT;
    if (strcmp(s, "any") == 0)
        return XC_KIND_ANY;
    return KIND_OTHER;
}

static void build_table(void)
{
    size_t len = 0;
    const char *data = xc__data_file("lists/ftm.tsv", &len);
    const char *end = data ? data + len : NULL;
    for (const char *line = data; line && line < end;) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            eol = end;
        char buf[256], *cells[4] = {NULL, NULL, NULL, NULL};
        size_t n = (size_t)(eol - line);
        if (n < sizeof buf && line[0] != '#') {
            memcpy(buf, line, n);
            buf[n] = '\0';
            int count = 0;
            for (char *p = buf; p && count < 4;) {
                cells[count++] = p;
                p = strchr(p, '\t');
                if (p)
                    *p++ = '\0';
            }
            if (count >= 3 && strcmp(cells[0], "schema") == 0 && schema_count < TABLE_MAX) {
                xc__strlcpy(schemas[schema_count].name, cells[1], WORD_MAX);
                schemas[schema_count++].kind = kind_of(cells[2]);
            } else if (count >= 3 && strcmp(cells[0], "prop") == 0 && prop_count < TABLE_MAX &&
                       role_of(cells[2]) >= 0) {
                xc__strlcpy(props[prop_count].name, cells[1], WORD_MAX);
                props[prop_count].role = role_of(cells[2]);
                xc__strlcpy(props[prop_count].ident, count == 4 ? cells[3] : "", WORD_MAX);
                prop_count++;
            }
        }
        line = eol + 1;
    }
}

/* Kind of a schema: an xc_kind, KIND_OTHER, or -2 when the table does not know it. */
static int schema_kind(const char *schema)
{
    for (size_t i = 0; i < schema_count; i++)
        if (strcmp(schemas[i].name, schema) == 0)
            return schemas[i].kind;
    return -2;
}

/* ---- file names: dates, list ids ---- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Finds a date in name: YYYY-MM-DD, YYYY_MM_DD or YYYYMMDD not inside a longer digit run.
 * Returns its start and sets *len, or NULL. */
static const char *find_date(const char *name, size_t *len, char out[11])
{
    size_t n = strlen(name);
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(name[i]) || (i > 0 && is_digit(name[i - 1])))
            continue;
        int y, m, d;
        size_t used;
        const char *p = name + i;
        if (i + 10 <= n && is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) &&
            is_digit(p[3]) && (p[4] == '-' || p[4] == '_') && is_digit(p[5]) && is_digit(p[6]) &&
            p[7] == p[4] && is_digit(p[8]) && is_digit(p[9])) {
            y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
            m = (p[5] - '0') * 10 + (p[6] - '0');
            d = (p[8] - '0') * 10 + (p[9] - '0');
            used = 10;
        } else {
            size_t run = 0;
            while (i + run < n && is_digit(p[run]))
                run++;
            if (run != 8)
                continue;
            y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
            m = (p[4] - '0') * 10 + (p[5] - '0');
            d = (p[6] - '0') * 10 + (p[7] - '0');
            used = 8;
        }
        if (i + used < n && is_digit(name[i + used]))
            continue;
        if (y < 1900 || y > 2999 || !xc__date_valid(y, m, d))
            continue;
        char iso[40];
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
        xc__strlcpy(out, iso, 11);
        *len = used;
        return p;
    }
    return NULL;
}

bool xc__name_date(const char *name, char out[11])
{
    size_t len;
    out[0] = '\0';
    return name && find_date(name, &len, out) != NULL;
}

static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && xc__strn_ieq(s + n - k, k, suffix);
}

bool xc__sniff_ftm(const char *name, const void *head, size_t len)
{
    (void)head;
    (void)len;
    size_t n = name ? strlen(name) : 0;
    return ends_with_ci(name, n, ".ftm.json") || ends_with_ci(name, n, ".ftm.jsonl");
}

/* "os_<name>" from the file name, or "opensanctions" (see the file comment). */
static void list_id_for(const char *file, char *out, size_t size)
{
    const char *base = xc__path_base(file);
    size_t n = strlen(base);
    static const char *const suffixes[] = {".entities.ftm.jsonl", ".entities.ftm.json",
                                           ".ftm.jsonl", ".ftm.json", ".jsonl", ".json"};
    for (size_t i = 0; i < XC__ARRAY_LEN(suffixes); i++)
        if (ends_with_ci(base, n, suffixes[i])) {
            n -= strlen(suffixes[i]);
            break;
        }
    char stem[128];
    if (n >= sizeof stem)
        n = sizeof stem - 1;
    memcpy(stem, base, n);
    stem[n] = '\0';
    size_t date_len = 0;
    char date[11];
    const char *at = find_date(stem, &date_len, date);
    char slug[72];
    size_t used = 0;
    for (size_t i = 0; i < n && used < 60; i++) {
        if (at && stem + i == at) {
            i += date_len - 1;
            if (used && slug[used - 1] != '_')
                slug[used++] = '_';
            continue;
        }
        char c = stem[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || is_digit(c))
            slug[used++] = c;
        else if (used && slug[used - 1] != '_')
            slug[used++] = '_';
    }
    while (used && slug[used - 1] == '_')
        used--;
    slug[used] = '\0';
    if (!used || strcmp(slug, "entities") == 0)
        xc__strlcpy(out, "opensanctions", size);
    else
        snprintf(out, size, "os_%s", slug);
}

/* ---- facts lent by records of other schemas ---- */

enum { P_PROGRAM, P_LISTED, P_IDENT, P_ADDR_REF, P_ADDR_TEXT };

typedef struct pending {
    const char *ref;  /* entity id (address id for P_ADDR_TEXT) */
    const char *text; /* programme, date, number, address id (P_ADDR_REF) or address text */
    const char *type; /* identifier type (P_IDENT) */
    int what;
} pending;

typedef struct ftm_ctx {
    xc__listset *set;
    int list;
    const char *label;
    xc__x_coll *coll;
    xc__arena *scratch;     /* pending facts' strings */
    pending *facts;
    size_t fact_count, fact_cap;
    char last_seen[11], last_change[11];
    size_t lines, entity_lines;
    char unknown[16][WORD_MAX]; /* unknown schemas already reported */
    size_t unknown_count;
} ftm_ctx;

static xc_status add_fact(ftm_ctx *c, int what, const char *ref, const char *text,
                          const char *type)
{
    if (!ref || !*ref || !text || !*text)
        return XC_OK;
    if (c->fact_count == c->fact_cap) {
        size_t cap = c->fact_cap ? c->fact_cap * 2 : 256;
        pending *grown = xc__realloc(c->facts, cap * sizeof *grown);
        if (!grown)
            return XC_NOMEM;
        c->facts = grown;
        c->fact_cap = cap;
    }
    pending *p = &c->facts[c->fact_count];
    p->ref = xc__arena_strdup(c->scratch, ref);
    p->text = xc__arena_strdup(c->scratch, text);
    p->type = type ? xc__arena_strdup(c->scratch, type) : "";
    p->what = what;
    if (!p->ref || !p->text || !p->type)
        return XC_NOMEM;
    c->fact_count++;
    return XC_OK;
}

/* The i-th string of property `name` of props (NULL when absent or not a string). */
static const char *prop_str(json_t *properties, const char *name, size_t i, size_t *len)
{
    json_t *values = json_object_get(properties, name);
    json_t *v = json_is_array(values) ? json_array_get(values, i)
                                      : (i == 0 ? values : NULL);
    if (!json_is_string(v))
        return NULL;
    if (len)
        *len = json_string_length(v);
    return json_string_value(v);
}

static size_t prop_size(json_t *properties, const char *name)
{
    json_t *values = json_object_get(properties, name);
    return json_is_array(values) ? json_array_size(values) : json_is_string(values) ? 1 : 0;
}

/* A record of another schema: its facts for the entities it names. */
static xc_status lend_facts(ftm_ctx *c, const char *schema, const char *id, json_t *properties)
{
    xc_status rc = XC_OK;
    if (strcmp(schema, "Sanction") == 0) {
        for (size_t e = 0; rc == XC_OK && e < prop_size(properties, "entity"); e++) {
            const char *ref = prop_str(properties, "entity", e, NULL);
            const char *key = prop_size(properties, "programId") ? "programId" : "program";
            for (size_t k = 0; rc == XC_OK && k < prop_size(properties, key); k++)
                rc = add_fact(c, P_PROGRAM, ref, prop_str(properties, key, k, NULL), NULL);
            static const char *const dates[] = {"listingDate", "startDate"};
            for (size_t d = 0; d < 2; d++)
                for (size_t k = 0; rc == XC_OK && k < prop_size(properties, dates[d]); k++)
                    rc = add_fact(c, P_LISTED, ref, prop_str(properties, dates[d], k, NULL), NULL);
        }
    } else if (strcmp(schema, "Address") == 0) {
        for (size_t k = 0; rc == XC_OK && k < prop_size(properties, "full"); k++)
            rc = add_fact(c, P_ADDR_TEXT, id, prop_str(properties, "full", k, NULL), NULL);
    } else if (strcmp(schema, "Passport") == 0 || strcmp(schema, "Identification") == 0) {
        const char *type = strcmp(schema, "Passport") == 0 ? "Passport"
                                                           : prop_str(properties, "type", 0, NULL);
        if (!type || !*type)
            type = "National ID No.";
        for (size_t h = 0; rc == XC_OK && h < prop_size(properties, "holder"); h++)
            for (size_t k = 0; rc == XC_OK && k < prop_size(properties, "number"); k++)
                rc = add_fact(c, P_IDENT, prop_str(properties, "holder", h, NULL),
                              prop_str(properties, "number", k, NULL), type);
    }
    return rc;
}

static void keep_newest(char newest[11], json_t *value)
{
    if (!json_is_string(value) || json_string_length(value) < 10)
        return;
    char date[11];
    memcpy(date, json_string_value(value), 10);
    date[10] = '\0';
    int32_t days;
    if (xc__date_parse_iso(date, &days) && strcmp(date, newest) > 0)
        memcpy(newest, date, 11);
}

/* Joins the strings of an array property into a remark "label: a, b" (bounded). */
static xc_status remark_list(ftm_ctx *c, xc__x_ent *ent, json_t *values, const char *label)
{
    if (!json_is_array(values) || json_array_size(values) == 0)
        return XC_OK;
    char text[1024];
    int used = snprintf(text, sizeof text, "%s: ", label);
    for (size_t i = 0; i < json_array_size(values) && used > 0 && (size_t)used < sizeof text;
         i++) {
        json_t *v = json_array_get(values, i);
        if (!json_is_string(v))
            continue;
        int w = snprintf(text + used, sizeof text - (size_t)used, "%s%s",
                         i ? ", " : "", json_string_value(v));
        used = w > 0 ? used + w : used;
    }
    if (used <= 0)
        return XC_OK;
    size_t len = (size_t)used < sizeof text ? (size_t)used : sizeof text - 1;
    return xc__x_remark(c->coll, ent, text, len);
}

/* An entity to screen. */
static xc_status take_entity(ftm_ctx *c, json_t *obj, const char *id, int kind,
                             json_t *properties, size_t line)
{
    xc__x_ent *ent = xc__x_get(c->coll, id, strlen(id));
    if (!ent) {
        if (strlen(id) > 200) {
            xc__list_skip(c->set, c->list, "%s line %zu: id over 200 bytes, entity skipped",
                          c->label, line);
            return XC_OK;
        }
        return XC_NOMEM;
    }
    c->entity_lines++;
    xc__x_kind(ent, (xc_kind)kind);
    xc_status rc = XC_OK;
    json_t *caption = json_object_get(obj, "caption");
    bool have_primary = false;
    if (json_is_string(caption) && json_string_length(caption) > 0) {
        const char *text = json_string_value(caption);
        rc = xc__x_name(c->coll, ent, text, json_string_length(caption), XC__NAME_PRIMARY,
                        kind == XC_KIND_PERSON && strchr(text, ','));
        have_primary = true;
    }
    for (size_t p = 0; p < prop_count && rc == XC_OK; p++) {
        const prop_row *row = &props[p];
        size_t n = prop_size(properties, row->name);
        for (size_t i = 0; i < n && rc == XC_OK; i++) {
            size_t len = 0;
            const char *v = prop_str(properties, row->name, i, &len);
            if (!v)
                continue;
            switch (row->role) {
            case R_NAME:
                rc = xc__x_name(c->coll, ent, v, len,
                                have_primary ? XC__NAME_AKA : XC__NAME_PRIMARY,
                                kind == XC_KIND_PERSON && memchr(v, ',', len));
                have_primary = true;
                break;
            case R_AKA:
                rc = xc__x_name(c->coll, ent, v, len, XC__NAME_AKA, false);
                break;
            case R_WEAK_AKA:
                rc = xc__x_name(c->coll, ent, v, len, XC__NAME_WEAK_AKA, false);
                break;
            case R_FKA:
                rc = xc__x_name(c->coll, ent, v, len, XC__NAME_FKA, false);
                break;
            case R_DOB: {
                xc__pdate d;
                if (xc__pdate_parse(v, len, false, &d))
                    rc = xc__x_dob(c->coll, ent, d);
                break;
            }
            case R_COUNTRY:
                rc = xc__x_country(c->coll, ent, v, len);
                break;
            case R_ADDRESS:
                rc = xc__x_address(c->coll, ent, v, len);
                break;
            case R_PROGRAM:
                rc = xc__x_program(c->coll, ent, v, len);
                break;
            case R_REMARK:
                rc = xc__x_remark(c->coll, ent, v, len);
                break;
            case R_IDENT:
                rc = xc__x_ident(c->coll, ent, row->ident, v, len, NULL);
                break;
            }
        }
    }
    for (size_t i = 0; rc == XC_OK && i < prop_size(properties, "addressEntity"); i++)
        rc = add_fact(c, P_ADDR_REF, id, prop_str(properties, "addressEntity", i, NULL), NULL);
    if (rc == XC_OK)
        rc = remark_list(c, ent, json_object_get(properties, "topics"), "topics");
    if (rc == XC_OK)
        rc = remark_list(c, ent, json_object_get(obj, "datasets"), "OpenSanctions datasets");
    if (rc == XC_OK && json_is_false(json_object_get(obj, "target")))
        rc = xc__x_remark(c->coll, ent, "not a sanctions target (a related entity)", 41);
    return rc;
}

static xc_status take_line(ftm_ctx *c, const char *text, size_t len, size_t line)
{
    size_t trimmed = len;
    if (xc__trim(text, &trimmed), trimmed == 0)
        return XC_OK; /* blank line */
    char *clean = NULL;
    if (xc__utf8_check(text, len) != len) {
        size_t clean_len = 0;
        clean = xc__utf8_sanitize(text, len, &clean_len);
        if (!clean)
            return XC_NOMEM;
        text = clean;
        len = clean_len;
        c->set->lists[c->list].utf8_replaced++;
        xc__list_issue(c->set, c->list, "%s line %zu: invalid UTF-8 replaced with U+FFFD",
                       c->label, line);
    }
    json_error_t jerr;
    json_t *obj = json_loadb(text, len, 0, &jerr);
    xc__free_mem(clean);
    if (!obj) {
        xc__list_skip(c->set, c->list, "%s line %zu: not JSON (%s at column %d); line skipped",
                      c->label, line, jerr.text, jerr.column);
        return XC_OK;
    }
    xc_status rc = XC_OK;
    json_t *id = json_object_get(obj, "id"), *schema = json_object_get(obj, "schema");
    json_t *properties = json_object_get(obj, "properties");
    if (!json_is_object(obj) || !json_is_string(id) || !json_string_length(id) ||
        !json_is_string(schema) || (properties && !json_is_object(properties))) {
        xc__list_skip(c->set, c->list,
                      "%s line %zu: not an FtM entity (needs \"id\", \"schema\" and an object "
                      "\"properties\"); line skipped", c->label, line);
        json_decref(obj);
        return XC_OK;
    }
    c->lines++;
    keep_newest(c->last_seen, json_object_get(obj, "last_seen"));
    keep_newest(c->last_change, json_object_get(obj, "last_change"));
    xc__x_coll_row(c->coll, line);
    const char *schema_name = json_string_value(schema);
    int kind = schema_kind(schema_name);
    if (kind == -2) {
        if (prop_size(properties, "name") == 0) {
            kind = KIND_OTHER;
        } else {
            kind = XC_KIND_ANY;
            bool seen = false;
            for (size_t i = 0; i < c->unknown_count; i++)
                seen |= strcmp(c->unknown[i], schema_name) == 0;
            if (!seen && c->unknown_count < XC__ARRAY_LEN(c->unknown)) {
                xc__strlcpy(c->unknown[c->unknown_count++], schema_name, WORD_MAX);
                xc__list_issue(c->set, c->list,
                               "%s line %zu: schema %.40s is not in the FtM table; its named "
                               "entities are screened as kind any", c->label, line, schema_name);
            }
        }
    }
    if (kind == KIND_OTHER) {
        c->set->lists[c->list].other_records++;
        rc = lend_facts(c, schema_name, json_string_value(id), properties);
    } else {
        rc = take_entity(c, obj, json_string_value(id), kind, properties, line);
    }
    json_decref(obj);
    return rc;
}

static int fact_cmp(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    return strcmp(x->ref, y->ref);
}

/* Hands each lent fact to the entity it names (facts naming no entity of the file are
 * dropped: the entity may be in another export). */
static xc_status apply_facts(ftm_ctx *c)
{
    /* Address texts sorted by address id for lookup; the other facts keep file order. */
    if (c->fact_count == 0)
        return XC_OK;
    pending *ordered = xc__malloc(c->fact_count * sizeof *ordered);
    if (!ordered)
        return XC_NOMEM;
    size_t texts = 0, rest = 0;
    for (size_t i = 0; i < c->fact_count; i++)
        texts += c->facts[i].what == P_ADDR_TEXT;
    for (size_t i = 0, t = 0; i < c->fact_count; i++)
        ordered[c->facts[i].what == P_ADDR_TEXT ? t++ : texts + rest++] = c->facts[i];
    xc__free_mem(c->facts);
    c->facts = ordered;
    c->fact_cap = c->fact_count;
    qsort(c->facts, texts, sizeof *c->facts, fact_cmp);
    xc_status rc = XC_OK;
    for (size_t i = texts; i < c->fact_count && rc == XC_OK; i++) {
        pending *p = &c->facts[i];
        xc__x_ent *ent = xc__x_find(c->coll, p->ref, strlen(p->ref));
        if (!ent)
            continue;
        size_t len = strlen(p->text);
        switch (p->what) {
        case P_PROGRAM:
            rc = xc__x_program(c->coll, ent, p->text, len);
            break;
        case P_LISTED: {
            xc__pdate d;
            if (xc__pdate_parse(p->text, len, false, &d))
                xc__x_listed(ent, d);
            break;
        }
        case P_IDENT:
            rc = xc__x_ident(c->coll, ent, p->type, p->text, len, NULL);
            break;
        case P_ADDR_REF: {
            pending key = {.ref = p->text};
            pending *hit = bsearch(&key, c->facts, texts, sizeof *c->facts, fact_cmp);
            while (hit && hit > c->facts && strcmp(hit[-1].ref, p->text) == 0)
                hit--;
            for (; hit && hit < c->facts + texts && strcmp(hit->ref, p->text) == 0 &&
                   rc == XC_OK; hit++)
                rc = xc__x_address(c->coll, ent, hit->text, strlen(hit->text));
            break;
        }
        }
    }
    return rc;
}

static xc_status parse(xc__listset *set, const char *path, const char *name, const void *data,
                       size_t len, xc_error *err)
{
    const char *label = xc__path_base(name);
    char sha[65];
    xc_status rc = xc__source_sha256(data ? NULL : path, data, len, sha, err);
    if (rc != XC_OK)
        return rc;
    pthread_once(&table_once, build_table);
    if (schema_count == 0)
        return xc__error_set(err, XC_ERROR, "%s: the FtM table (data/lists/ftm.tsv) is not "
                             "built in", label);
    FILE *f = NULL;
    if (!data && !(f = fopen(path, "rb")))
        return xc__error_set(err, XC_IO, "%s: cannot open", path);
    xc__lines *lines = f ? xc__lines_open_file(f, XC__FTM_MAX_LINE)
                         : xc__lines_open_mem(data, len, XC__FTM_MAX_LINE);
    char id[80], title[160];
    list_id_for(name, id, sizeof id);
    snprintf(title, sizeof title, "OpenSanctions %s (FollowTheMoney entities)", label);
    size_t lists_before = set->list_count, entities_before = set->entity_count;
    int list = lines ? xc__listset_list_new(set, id, title, path ? path : name) : -1;
    ftm_ctx c = {.set = set, .list = list, .label = label};
    if (list >= 0) {
        c.coll = xc__x_coll_new(set, list, label);
        c.scratch = xc__arena_new(1 << 16);
    }
    if (!lines || list < 0 || !c.coll || !c.scratch)
        rc = xc__error_set(err, XC_NOMEM, "%s: out of memory", label);
    while (rc == XC_OK) {
        const char *text;
        size_t n;
        xc_status st = xc__lines_next(lines, &text, &n);
        if (st == XC_NOTFOUND)
            break;
        size_t number = xc__lines_number(lines);
        if (st == XC_TOOBIG) {
            xc__list_skip(set, list, "%s line %zu: over %zu bytes; line skipped", label, number,
                          (size_t)XC__FTM_MAX_LINE);
            continue;
        }
        if (st != XC_OK) {
            rc = xc__error_set(err, st, "%s: %s", label,
                               st == XC_NOMEM ? "out of memory" : "read error");
            break;
        }
        rc = take_line(&c, text, n, number);
        if (rc != XC_OK)
            xc__error_set(err, rc, "%s line %zu: out of memory", label, number);
    }
    if (rc == XC_OK && (rc = apply_facts(&c)) != XC_OK)
        xc__error_set(err, rc, "%s: out of memory", label);
    if (rc == XC_OK && (rc = xc__x_finish(c.coll)) != XC_OK)
        xc__error_set(err, rc, "%s: out of memory", label);
    if (rc == XC_OK && c.lines == 0)
        rc = xc__error_set(err, XC_PARSE, "%s: no line is a FollowTheMoney entity%s%s", label,
                           set->lists[list].issue_count ? "; first problem: " : "",
                           set->lists[list].issue_count ? set->lists[list].issues[0] : "");
    if (rc == XC_OK) {
        xc__list *l = &set->lists[list];
        xc__strlcpy(l->sha256, sha, sizeof l->sha256);
        if (c.last_seen[0])
            memcpy(l->version, c.last_seen, 11);
        else if (c.last_change[0])
            memcpy(l->version, c.last_change, 11);
        else
            xc__name_date(label, l->version);
    } else if (list >= 0) {
        set->list_count = lists_before; /* nothing is added from a file that failed */
        set->entity_count = entities_before;
    }
    xc__x_coll_free(c.coll);
    xc__arena_free(c.scratch);
    xc__free_mem(c.facts);
    xc__lines_close(lines);
    if (f)
        fclose(f);
    return rc;
}

xc_status xc__parse_ftm(xc__listset *set, const char *path, xc_error *err)
{
    return parse(set, path, path, NULL, 0, err);
}

xc_status xc__parse_ftm_mem(xc__listset *set, const char *name, const void *data, size_t len,
                            xc_error *err)
{
    return parse(set, NULL, name ? name : "entities.ftm.json", data ? data : "", len, err);
}
