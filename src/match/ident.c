/*
 * ident.c — the identifier index (see ident.h). Lists publish identifiers as free text with a
 * type ("Passport", "Vessel Registration Identification IMO", "Digital Currency Address -
 * XBT"); we keep each under a normalised value (upper case, no spaces or punctuation) and a
 * coarse class taken from the type, in a chained hash table built at engine open. A query
 * identifier is an exact, normalised equality; its type, when given, must be of the same class
 * as the listed one unless the listed type is one we cannot classify. Short values (under four
 * characters) and values without a digit (other than SWIFT/BIC codes and wallet addresses) are
 * not indexed: they are words, not identifiers, and would match by accident.
 */
#include <string.h>

#include "ident.h"
#include "index.h"

#define MIN_ID_LEN 4
#define MAX_ID_LEN 256

static const char *const class_names[XC__ID_CLASS_COUNT] = {
    "other",  "imo", "mmsi", "call_sign", "passport", "national_id", "tax_id", "registration",
    "swift_bic", "crypto", "aircraft"};

const char *xc__id_class_name(xc__id_class c)
{
    return (unsigned)c < XC__ID_CLASS_COUNT ? class_names[c] : "other";
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Case-insensitive search for word in s, at word boundaries when whole. */
static bool has_word(const char *s, const char *word, bool whole)
{
    size_t n = strlen(s), m = strlen(word);
    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && lower(s[i + k]) == lower(word[k]))
            k++;
        if (k < m)
            continue;
        if (!whole || ((i == 0 || !is_alnum(s[i - 1])) && (i + m == n || !is_alnum(s[i + m]))))
            return true;
    }
    return false;
}

xc__id_class xc__id_class_of_listed(const char *type)
{
    static const struct {
        const char *word;
        bool whole;
        xc__id_class c;
    } rules[] = {
        /* first rule that applies wins: "Vessel Registration Identification IMO" is an IMO
         * number, not a registration */
        {"Digital Currency", false, XC__ID_CRYPTO}, {"SWIFT", false, XC__ID_SWIFT},
        {"BIC", true, XC__ID_SWIFT},               {"IMO", true, XC__ID_IMO},
        {"MMSI", true, XC__ID_MMSI},               {"Call Sign", false, XC__ID_CALL_SIGN},
        {"Aircraft", false, XC__ID_AIRCRAFT},      {"Tail Number", false, XC__ID_AIRCRAFT},
        {"MSN", true, XC__ID_AIRCRAFT},            {"Passport", false, XC__ID_PASSPORT},
        {"Tax", false, XC__ID_TAX},                {"RFC", true, XC__ID_TAX},
        {"NIT", true, XC__ID_TAX},                 {"INN", true, XC__ID_TAX},
        {"VAT", true, XC__ID_TAX},                 {"RUC", true, XC__ID_TAX},
        {"TIN", true, XC__ID_TAX},                 {"Registration", false, XC__ID_REGISTRATION},
        {"Registry", false, XC__ID_REGISTRATION},  {"Register", false, XC__ID_REGISTRATION},
        {"Company Number", false, XC__ID_REGISTRATION},
        {"Legal Entity", false, XC__ID_REGISTRATION}, {"LEI", true, XC__ID_REGISTRATION},
        {"OGRN", true, XC__ID_REGISTRATION},       {"Business Number", false, XC__ID_REGISTRATION},
        {"National", false, XC__ID_NATIONAL},      {"Cedula", false, XC__ID_NATIONAL},
        {"C.U.R.P", false, XC__ID_NATIONAL},       {"CURP", true, XC__ID_NATIONAL},
        {"D.N.I", false, XC__ID_NATIONAL},         {"DNI", true, XC__ID_NATIONAL},
        {"Identity", false, XC__ID_NATIONAL},      {"ID Card", false, XC__ID_NATIONAL},
        {"Personal", false, XC__ID_NATIONAL},      {"NI Number", false, XC__ID_NATIONAL},
        {"Social Security", false, XC__ID_NATIONAL}};
    if (!type)
        return XC__ID_OTHER;
    for (size_t i = 0; i < XC__ARRAY_LEN(rules); i++)
        if (has_word(type, rules[i].word, rules[i].whole))
            return rules[i].c;
    return XC__ID_OTHER;
}

static const struct {
    const char *name;
    xc__id_class c;
} query_types[] = {
    {"imo", XC__ID_IMO},
    {"mmsi", XC__ID_MMSI},
    {"call_sign", XC__ID_CALL_SIGN},
    {"callsign", XC__ID_CALL_SIGN},
    {"passport", XC__ID_PASSPORT},
    {"national_id", XC__ID_NATIONAL},
    {"national", XC__ID_NATIONAL},
    {"nid", XC__ID_NATIONAL},
    {"id_card", XC__ID_NATIONAL},
    {"cedula", XC__ID_NATIONAL},
    {"curp", XC__ID_NATIONAL},
    {"tax_id", XC__ID_TAX},
    {"tax", XC__ID_TAX},
    {"tin", XC__ID_TAX},
    {"vat", XC__ID_TAX},
    {"inn", XC__ID_TAX},
    {"rfc", XC__ID_TAX},
    {"nit", XC__ID_TAX},
    {"registration", XC__ID_REGISTRATION},
    {"reg", XC__ID_REGISTRATION},
    {"company", XC__ID_REGISTRATION},
    {"lei", XC__ID_REGISTRATION},
    {"ogrn", XC__ID_REGISTRATION},
    {"swift_bic", XC__ID_SWIFT},
    {"swift", XC__ID_SWIFT},
    {"bic", XC__ID_SWIFT},
    {"crypto", XC__ID_CRYPTO},
    {"wallet", XC__ID_CRYPTO},
    {"digital_currency", XC__ID_CRYPTO},
    {"aircraft", XC__ID_AIRCRAFT},
    {"tail", XC__ID_AIRCRAFT},
    {"msn", XC__ID_AIRCRAFT},
};

bool xc__id_class_of_query(const char *type, size_t len, xc__id_class *out)
{
    char name[32];
    if (len == 0 || len >= sizeof name)
        return false;
    for (size_t i = 0; i < len; i++) /* "Call Sign", "swift-bic" -> call_sign, swift_bic */
        name[i] = type[i] == ' ' || type[i] == '-' || type[i] == '/' ? '_' : lower(type[i]);
    name[len] = '\0';
    for (size_t i = 0; i < XC__ARRAY_LEN(query_types); i++)
        if (strcmp(name, query_types[i].name) == 0) {
            *out = query_types[i].c;
            return true;
        }
    return false;
}

const char *xc__id_query_types(void)
{
    return "imo, mmsi, call_sign, passport, national_id, tax_id, registration, swift_bic, "
           "crypto, aircraft (and aliases nid, tin, vat, lei, bic, wallet ...)";
}

size_t xc__id_normalise(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && !is_alnum((char)c))
            continue; /* spaces, hyphens, dots, slashes, other ASCII punctuation */
        if (n + 1 >= size)
            return 0;
        out[n++] = c >= 'a' && c <= 'z' ? (char)(c - 32) : (char)c;
    }
    if (size)
        out[n < size ? n : size - 1] = '\0';
    return n;
}

/* ---- the table ---- */

typedef struct entry {
    uint64_t hash;
    const char *norm;
    uint32_t len;
    uint32_t entity;
    uint32_t ident;
    uint32_t next;  /* next entry in the bucket, UINT32_MAX at the end */
    uint8_t cls;    /* xc__id_class */
} entry;

struct xc__idindex {
    xc__arena *arena;    /* normalised values */
    entry *entries;
    size_t count, cap;
    uint32_t *buckets;   /* head entry per bucket, UINT32_MAX when empty */
    size_t mask;
    const struct xc__index *index; /* names, to turn an entity into its first name id */
};

void xc__idindex_free(xc__idindex *ix)
{
    if (!ix)
        return;
    xc__arena_free(ix->arena);
    xc__free_mem(ix->entries);
    xc__free_mem(ix->buckets);
    xc__free_mem(ix);
}

size_t xc__idindex_count(const xc__idindex *ix)
{
    return ix ? ix->count : 0;
}

/* "IMO 9187629" given as the value (the CSL: "IMO 8898831, Vessel Registration
 * Identification"; a caller's bare id): the IMO number, of class IMO. */
static size_t canonical(char *norm, size_t len, xc__id_class *c)
{
    if (len == 10 && memcmp(norm, "IMO", 3) == 0) {
        bool digits = true;
        for (size_t i = 3; i < len; i++)
            digits = digits && norm[i] >= '0' && norm[i] <= '9';
        if (digits) {
            memmove(norm, norm + 3, 8); /* with the NUL */
            *c = XC__ID_IMO;
            return 7;
        }
    }
    return len;
}

static bool indexable(const char *norm, size_t len, xc__id_class c)
{
    if (len < MIN_ID_LEN)
        return false;
    if (c == XC__ID_SWIFT || c == XC__ID_CRYPTO)
        return true;
    for (size_t i = 0; i < len; i++)
        if (norm[i] >= '0' && norm[i] <= '9')
            return true;
    return false;
}

xc_status xc__idindex_build(xc__idindex **out, const xc__listset *set,
                            const struct xc__index *index, xc_error *err)
{
    *out = NULL;
    xc__idindex *ix = xc__calloc(1, sizeof *ix);
    if (!ix || !(ix->arena = xc__arena_new(65536)))
        goto nomem;
    ix->index = index;
    /* Lists repeat a few dozen type texts thousands of times: classify each text once. */
    struct {
        uint64_t hash;
        uint8_t cls;
        bool used;
    } memo[512] = {{0}};
    size_t memo_count = 0;
    for (size_t e = 0; e < set->entity_count; e++) {
        const xc__entity *ent = &set->entities[e];
        for (uint32_t k = 0; k < ent->ident_count; k++) {
            const xc__ident *id = &ent->idents[k];
            char norm[MAX_ID_LEN];
            size_t len = id->value ? xc__id_normalise(id->value, strlen(id->value), norm,
                                                      sizeof norm)
                                   : 0;
            uint64_t th = xc__hash64_str(id->type ? id->type : "");
            size_t slot = th & 511;
            while (memo[slot].used && memo[slot].hash != th)
                slot = (slot + 1) & 511;
            xc__id_class c;
            if (memo[slot].used) {
                c = (xc__id_class)memo[slot].cls;
            } else {
                c = xc__id_class_of_listed(id->type);
                if (memo_count < 384) { /* keep the table sparse; beyond, classify each time */
                    memo[slot].used = true;
                    memo[slot].hash = th;
                    memo[slot].cls = (uint8_t)c;
                    memo_count++;
                }
            }
            len = canonical(norm, len, &c);
            if (!indexable(norm, len, c))
                continue;
            if (ix->count == ix->cap) {
                size_t cap = ix->cap ? ix->cap * 2 : 1024;
                entry *grown = xc__realloc(ix->entries, cap * sizeof *grown);
                if (!grown)
                    goto nomem;
                ix->entries = grown;
                ix->cap = cap;
            }
            const char *copy = xc__arena_strndup(ix->arena, norm, len);
            if (!copy)
                goto nomem;
            ix->entries[ix->count++] = (entry){xc__hash64(norm, len), copy, (uint32_t)len,
                                               (uint32_t)e, k, UINT32_MAX, (uint8_t)c};
        }
    }
    size_t slots = 16;
    while (slots < ix->count * 2)
        slots *= 2;
    ix->mask = slots - 1;
    ix->buckets = xc__malloc(slots * sizeof *ix->buckets);
    if (!ix->buckets)
        goto nomem;
    memset(ix->buckets, 0xff, slots * sizeof *ix->buckets);
    for (size_t i = ix->count; i-- > 0;) { /* so that each bucket lists entries in list order */
        size_t b = ix->entries[i].hash & ix->mask;
        ix->entries[i].next = ix->buckets[b];
        ix->buckets[b] = (uint32_t)i;
    }
    *out = ix;
    return XC_OK;
nomem:
    xc__idindex_free(ix);
    return xc__error_set(err, XC_NOMEM, "out of memory building the identifier index");
}

/* The entity's first index name (its primary one when analysed), UINT32_MAX when none. The
 * index keeps names in entity order (index.c), so a binary search finds them; a linear scan
 * stands behind it should that order ever change. */
static uint32_t first_name(const struct xc__index *index, uint32_t entity)
{
    size_t n = index ? xc__index_name_count(index) : 0, lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (xc__index_name(index, (uint32_t)mid)->entity < entity)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && xc__index_name(index, (uint32_t)lo)->entity == entity)
        return (uint32_t)lo;
    for (size_t i = 0; i < n; i++)
        if (xc__index_name(index, (uint32_t)i)->entity == entity)
            return (uint32_t)i;
    return UINT32_MAX;
}

/* Appends the entries equal to one query identifier, skipping entities already hit. */
static size_t lookup(const xc__idindex *ix, const xc__idquery *q, uint32_t qi, xc__idhit *hits,
                     size_t n, size_t max)
{
    uint64_t h = xc__hash64(q->norm, q->len);
    for (uint32_t i = ix->buckets[h & ix->mask]; i != UINT32_MAX && n < max;
         i = ix->entries[i].next) {
        const entry *e = &ix->entries[i];
        if (e->hash != h || e->len != q->len || memcmp(e->norm, q->norm, q->len) != 0)
            continue;
        if (!q->any_class && e->cls != XC__ID_OTHER && e->cls != q->cls)
            continue;
        bool seen = false; /* one hit per entity: the same number listed twice, or two ids */
        for (size_t k = 0; k < n && !seen; k++)
            seen = hits[k].entity == e->entity;
        if (!seen)
            hits[n++] = (xc__idhit){qi, e->entity, e->ident, first_name(ix->index, e->entity),
                                    e->cls};
    }
    return n;
}

size_t xc__idindex_find(const xc__idindex *ix, const xc__idquery *q, size_t nq, xc__idhit *hits,
                        size_t max)
{
    size_t n = 0;
    for (size_t i = 0; ix && ix->count && i < nq; i++)
        n = lookup(ix, &q[i], (uint32_t)i, hits, n, max);
    return n;
}

xc_status xc__idquery_parse(const char *const *ids, xc__idquery *q, size_t *n, xc_error *err)
{
    *n = 0;
    for (size_t i = 0; ids && ids[i]; i++) {
        if (i >= XC__MAX_QUERY_IDS)
            return xc__error_set(err, XC_TOOBIG, "ids: more than %d identifiers",
                                 XC__MAX_QUERY_IDS);
        const char *s = ids[i];
        size_t len = strlen(s);
        if (len >= MAX_QUERY_ID_BYTES)
            return xc__error_set(err, XC_TOOBIG, "ids[%zu]: over %d bytes", i,
                                 MAX_QUERY_ID_BYTES - 1);
        if (xc__utf8_check(s, len) != len)
            return xc__error_set(err, XC_UTF8, "ids[%zu]: invalid UTF-8", i);
        xc__idquery *out = &q[*n];
        out->raw = s;
        out->any_class = true;
        out->cls = XC__ID_OTHER;
        const char *colon = memchr(s, ':', len);
        const char *value = s;
        if (colon) {
            size_t tlen = (size_t)(colon - s);
            const char *type = xc__trim(s, &tlen);
            if (!xc__id_class_of_query(type, tlen, &out->cls))
                return xc__error_set(err, XC_INVALID,
                                     "ids[%zu]: unknown identifier type '%.*s' (known: %s)", i,
                                     (int)(tlen > 40 ? 40 : tlen), type, xc__id_query_types());
            out->any_class = false;
            value = colon + 1;
        }
        out->len = xc__id_normalise(value, strlen(value), out->norm, sizeof out->norm);
        xc__id_class c = out->cls;
        out->len = canonical(out->norm, out->len, &c);
        if (c == XC__ID_IMO && out->any_class) { /* a bare "IMO 9187629" says its type */
            out->any_class = false;
            out->cls = XC__ID_IMO;
        }
        if (out->len < MIN_ID_LEN)
            return xc__error_set(err, XC_INVALID,
                                 "ids[%zu]: '%.60s' has under %d letters or digits: too short "
                                 "to identify anyone", i, s, MIN_ID_LEN);
        (*n)++;
    }
    return XC_OK;
}
