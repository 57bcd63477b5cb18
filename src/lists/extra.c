/*
 * extra.c — the entity collector and CSV settings used by the EU, UK and METI parsers (see
 * extra.h). The collector keeps each entity's growing arrays on the heap and copies them into the
 * set's arena only when the entity is finished, so that a list whose sub-records arrive in any
 * order costs one hash lookup per row.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "extra.h"

#define MAX_ENTITIES 20000000u
#define MAX_NAMES 2000u
#define MAX_FACTS 500u
#define MAX_RECORD ((size_t)4 << 20)

/* ---- growable arrays on the heap ---- */

static bool grow(void **items, uint32_t *cap, uint32_t count, size_t size)
{
    if (count < *cap)
        return true;
    uint32_t ncap = *cap ? *cap * 2 : 4;
    void *p = xc__realloc(*items, (size_t)ncap * size);
    if (!p)
        return false;
    *items = p;
    *cap = ncap;
    return true;
}

struct xc__x_ent {
    const char *id;
    uint8_t kind;
    xc__name *names;
    uint32_t name_count, name_cap;
    xc__pdate *dobs;
    uint32_t dob_count, dob_cap;
    const char **countries;
    uint32_t country_count, country_cap;
    const char **addresses;
    uint32_t address_count, address_cap;
    const char **pobs;
    uint32_t pob_count, pob_cap;
    const char **nationalities;
    uint32_t nationality_count, nationality_cap;
    xc__ident *idents;
    uint32_t ident_count, ident_cap;
    const char **programs;
    uint32_t program_count, program_cap;
    const char **remarks;
    uint32_t remark_count, remark_cap;
    xc__pdate listed;
    bool limit_reported;
};

struct xc__x_coll {
    xc__listset *set;
    int list;
    const char *file;
    size_t row;
    size_t utf8_row_reported; /* row + 1 of the last UTF-8 report */
    xc__x_ent **ents;         /* first-seen order */
    size_t count, cap;
    uint32_t *slots;          /* open addressing: index + 1, 0 = empty */
    size_t slot_count;
};

xc__x_coll *xc__x_coll_new(xc__listset *set, int list, const char *file)
{
    xc__x_coll *c = xc__calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->set = set;
    c->list = list;
    c->file = file ? xc__path_base(file) : "";
    return c;
}

static void ent_free(xc__x_ent *e)
{
    if (!e)
        return;
    xc__free_mem(e->names);
    xc__free_mem(e->dobs);
    xc__free_mem(e->countries);
    xc__free_mem(e->addresses);
    xc__free_mem(e->pobs);
    xc__free_mem(e->nationalities);
    xc__free_mem(e->idents);
    xc__free_mem(e->programs);
    xc__free_mem(e->remarks);
    xc__free_mem(e);
}

void xc__x_coll_free(xc__x_coll *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        ent_free(c->ents[i]);
    xc__free_mem(c->ents);
    xc__free_mem(c->slots);
    xc__free_mem(c);
}

void xc__x_coll_row(xc__x_coll *c, size_t row)
{
    c->row = row;
}

size_t xc__x_count(const xc__x_coll *c)
{
    return c->count;
}

const char *xc__x_str(xc__x_coll *c, const char *text, size_t len)
{
    text = xc__trim(text, &len);
    if (xc__utf8_check(text, len) == len)
        return xc__arena_strndup(c->set->arena, text, len);
    if (c->utf8_row_reported != c->row + 1) {
        c->utf8_row_reported = c->row + 1;
        xc__list_issue(c->set, c->list, "%s row %zu: invalid UTF-8 replaced with U+FFFD", c->file,
                   c->row);
    }
    size_t out_len = 0;
    char *clean = xc__utf8_sanitize(text, len, &out_len);
    if (!clean)
        return NULL;
    const char *copy = xc__arena_strndup(c->set->arena, clean, out_len);
    xc__free_mem(clean);
    return copy;
}

static bool rehash(xc__x_coll *c)
{
    size_t n = c->slot_count ? c->slot_count * 2 : 1024;
    uint32_t *slots = xc__calloc(n, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < c->count; i++) {
        size_t h = (size_t)xc__hash64_str(c->ents[i]->id) & (n - 1);
        while (slots[h])
            h = (h + 1) & (n - 1);
        slots[h] = (uint32_t)(i + 1);
    }
    xc__free_mem(c->slots);
    c->slots = slots;
    c->slot_count = n;
    return true;
}

xc__x_ent *xc__x_get(xc__x_coll *c, const char *id, size_t len)
{
    id = xc__trim(id, &len);
    if (len == 0 || len > 200)
        return NULL;
    if ((c->count + 1) * 2 > c->slot_count && !rehash(c))
        return NULL;
    size_t h = (size_t)xc__hash64(id, len) & (c->slot_count - 1);
    while (c->slots[h]) {
        xc__x_ent *e = c->ents[c->slots[h] - 1];
        if (strlen(e->id) == len && memcmp(e->id, id, len) == 0)
            return e;
        h = (h + 1) & (c->slot_count - 1);
    }
    if (c->count >= MAX_ENTITIES)
        return NULL;
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        xc__x_ent **ents = xc__realloc(c->ents, cap * sizeof *ents);
        if (!ents)
            return NULL;
        c->ents = ents;
        c->cap = cap;
    }
    xc__x_ent *e = xc__calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->id = xc__x_str(c, id, len);
    if (!e->id) {
        xc__free_mem(e);
        return NULL;
    }
    c->ents[c->count] = e;
    c->slots[h] = (uint32_t)(++c->count);
    return e;
}

xc__x_ent *xc__x_find(xc__x_coll *c, const char *id, size_t len)
{
    id = xc__trim(id, &len);
    if (len == 0 || !c->slot_count)
        return NULL;
    size_t h = (size_t)xc__hash64(id, len) & (c->slot_count - 1);
    while (c->slots[h]) {
        xc__x_ent *e = c->ents[c->slots[h] - 1];
        if (strlen(e->id) == len && memcmp(e->id, id, len) == 0)
            return e;
        h = (h + 1) & (c->slot_count - 1);
    }
    return NULL;
}

void xc__x_kind(xc__x_ent *e, xc_kind kind)
{
    if (kind != XC_KIND_ANY)
        e->kind = (uint8_t)kind;
}

static xc_status over_limit(xc__x_coll *c, xc__x_ent *e, const char *what)
{
    if (!e->limit_reported) {
        e->limit_reported = true;
        xc__list_issue(c->set, c->list, "%s row %zu: entity %s has too many %s; rest dropped",
                   c->file, c->row, e->id, what);
    }
    return XC_OK;
}

/* Trims and checks text; *empty set when nothing remains. */
static const char *clean_in(const char *text, size_t *len)
{
    if (!text) {
        *len = 0;
        return "";
    }
    return xc__trim(text, len);
}

static bool has_str(const char *const *items, uint32_t n, const char *s, size_t len)
{
    for (uint32_t i = 0; i < n; i++)
        if (strncmp(items[i], s, len) == 0 && items[i][len] == '\0')
            return true;
    return false;
}

xc_status xc__x_name(xc__x_coll *c, xc__x_ent *e, const char *text, size_t len,
                     xc__name_type type, bool reorder)
{
    text = clean_in(text, &len);
    if (len == 0)
        return XC_OK;
    for (uint32_t i = 0; i < e->name_count; i++) {
        const char *t = e->names[i].text;
        if (strncmp(t, text, len) == 0 && t[len] == '\0') {
            /* The same text seen again: keep the strongest type. */
            if (type == XC__NAME_PRIMARY)
                e->names[i].type = XC__NAME_PRIMARY;
            else if (e->names[i].type == XC__NAME_WEAK_AKA && type == XC__NAME_AKA)
                e->names[i].type = XC__NAME_AKA;
            return XC_OK;
        }
    }
    if (e->name_count >= MAX_NAMES)
        return over_limit(c, e, "names");
    if (!grow((void **)&e->names, &e->name_cap, e->name_count, sizeof *e->names))
        return XC_NOMEM;
    const char *copy = xc__x_str(c, text, len);
    if (!copy)
        return XC_NOMEM;
    e->names[e->name_count].text = copy;
    e->names[e->name_count].type = (uint8_t)type;
    e->names[e->name_count].reorder = reorder ? 1 : 0;
    e->name_count++;
    return XC_OK;
}

xc_status xc__x_dob(xc__x_coll *c, xc__x_ent *e, xc__pdate d)
{
    if (d.year == 0)
        return XC_OK;
    for (uint32_t i = 0; i < e->dob_count; i++)
        if (e->dobs[i].year == d.year && e->dobs[i].month == d.month && e->dobs[i].day == d.day)
            return XC_OK;
    if (e->dob_count >= MAX_FACTS)
        return over_limit(c, e, "dates of birth");
    if (!grow((void **)&e->dobs, &e->dob_cap, e->dob_count, sizeof *e->dobs))
        return XC_NOMEM;
    e->dobs[e->dob_count++] = d;
    return XC_OK;
}

static xc_status add_str(xc__x_coll *c, xc__x_ent *e, const char ***items, uint32_t *count,
                         uint32_t *cap, const char *text, size_t len, const char *what)
{
    text = clean_in(text, &len);
    if (len == 0 || has_str(*items, *count, text, len))
        return XC_OK;
    if (*count >= MAX_FACTS)
        return over_limit(c, e, what);
    if (!grow((void **)items, cap, *count, sizeof **items))
        return XC_NOMEM;
    const char *copy = xc__x_str(c, text, len);
    if (!copy)
        return XC_NOMEM;
    (*items)[(*count)++] = copy;
    return XC_OK;
}

/* Adds a country; a nationality goes to the nationalities too. */
static xc_status add_country(xc__x_coll *c, xc__x_ent *e, const char *text, size_t len,
                             bool nationality);

xc_status xc__x_country(xc__x_coll *c, xc__x_ent *e, const char *text, size_t len)
{
    return add_country(c, e, text, len, false);
}

xc_status xc__x_nationality(xc__x_coll *c, xc__x_ent *e, const char *text, size_t len)
{
    return add_country(c, e, text, len, true);
}

xc_status xc__x_pob(xc__x_coll *c, xc__x_ent *e, const char *text, size_t len)
{
    return add_str(c, e, &e->pobs, &e->pob_count, &e->pob_cap, text, len, "places of birth");
}

/* Both lists when nationality. */
static xc_status add_both(xc__x_coll *c, xc__x_ent *e, const char *text, size_t len,
                          bool nationality)
{
    xc_status rc = add_str(c, e, &e->countries, &e->country_count, &e->country_cap, text, len,
                           "countries");
    if (rc == XC_OK && nationality)
        rc = add_str(c, e, &e->nationalities, &e->nationality_count, &e->nationality_cap, text,
                     len, "nationalities");
    return rc;
}

static xc_status add_country(xc__x_coll *c, xc__x_ent *e, const char *text, size_t len,
                             bool nationality)
{
    text = clean_in(text, &len);
    if (len == 0 || (len == 2 && text[0] == '0' && text[1] == '0'))
        return XC_OK;
    char code[3];
    if (len == 2 && ((text[0] >= 'A' && text[0] <= 'Z') || (text[0] >= 'a' && text[0] <= 'z')) &&
        ((text[1] >= 'A' && text[1] <= 'Z') || (text[1] >= 'a' && text[1] <= 'z'))) {
        code[0] = (char)(text[0] & ~0x20);
        code[1] = (char)(text[1] & ~0x20);
        code[2] = '\0';
        return add_both(c, e, code, 2, nationality);
    }
    const char *known = xc__country_code(text, len);
    const char *paren = memchr(text, '(', len);
    if (!known && paren && paren > text) /* "Afghanistan (since 2009)" */
        known = xc__country_code(text, (size_t)(paren - text));
    if (known)
        return add_both(c, e, known, strlen(known), nationality);
    /* Unknown: kept as published. */
    return add_both(c, e, text, len, nationality);
}

xc_status xc__x_address(xc__x_coll *c, xc__x_ent *e, const char *text, size_t len)
{
    return add_str(c, e, &e->addresses, &e->address_count, &e->address_cap, text, len,
                   "addresses");
}

xc_status xc__x_program(xc__x_coll *c, xc__x_ent *e, const char *text, size_t len)
{
    text = clean_in(text, &len);
    /* ';' separates programmes in the model; replace it inside a code. */
    if (memchr(text, ';', len)) {
        char tmp[256];
        if (len >= sizeof tmp)
            len = sizeof tmp - 1;
        memcpy(tmp, text, len);
        for (size_t i = 0; i < len; i++)
            if (tmp[i] == ';')
                tmp[i] = ',';
        return add_str(c, e, &e->programs, &e->program_count, &e->program_cap, tmp, len,
                       "programmes");
    }
    return add_str(c, e, &e->programs, &e->program_count, &e->program_cap, text, len,
                   "programmes");
}

xc_status xc__x_remark(xc__x_coll *c, xc__x_ent *e, const char *text, size_t len)
{
    return add_str(c, e, &e->remarks, &e->remark_count, &e->remark_cap, text, len, "remarks");
}

xc_status xc__x_ident(xc__x_coll *c, xc__x_ent *e, const char *type, const char *value,
                      size_t value_len, const char *country)
{
    value = clean_in(value, &value_len);
    if (value_len == 0)
        return XC_OK;
    type = type ? type : "";
    for (uint32_t i = 0; i < e->ident_count; i++)
        if (strncmp(e->idents[i].value, value, value_len) == 0 &&
            e->idents[i].value[value_len] == '\0' && strcmp(e->idents[i].type, type) == 0)
            return XC_OK;
    if (e->ident_count >= MAX_FACTS)
        return over_limit(c, e, "identifiers");
    if (!grow((void **)&e->idents, &e->ident_cap, e->ident_count, sizeof *e->idents))
        return XC_NOMEM;
    xc__ident *id = &e->idents[e->ident_count];
    id->type = xc__x_str(c, type, strlen(type));
    id->value = xc__x_str(c, value, value_len);
    id->country = country && *country ? xc__x_str(c, country, strlen(country)) : NULL;
    if (!id->type || !id->value)
        return XC_NOMEM;
    e->ident_count++;
    return XC_OK;
}

static int pdate_cmp(xc__pdate a, xc__pdate b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

void xc__x_listed(xc__x_ent *e, xc__pdate d)
{
    if (d.year == 0 || d.month == 0 || d.day == 0)
        return;
    if (e->listed.year == 0 || pdate_cmp(d, e->listed) < 0)
        e->listed = d;
}

static const char *join(xc__x_coll *c, const char *const *items, uint32_t n, const char *sep)
{
    if (n == 0)
        return "";
    size_t total = 1, seplen = strlen(sep);
    for (uint32_t i = 0; i < n; i++)
        total += strlen(items[i]) + seplen;
    char *out = xc__arena_alloc(c->set->arena, total);
    if (!out)
        return NULL;
    size_t pos = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i) {
            memcpy(out + pos, sep, seplen);
            pos += seplen;
        }
        size_t l = strlen(items[i]);
        memcpy(out + pos, items[i], l);
        pos += l;
    }
    out[pos] = '\0';
    return out;
}

static void *arena_copy(xc__x_coll *c, const void *src, size_t size)
{
    if (size == 0)
        return NULL;
    void *p = xc__arena_alloc(c->set->arena, size);
    if (p)
        memcpy(p, src, size);
    return p;
}

xc_status xc__x_finish(xc__x_coll *c)
{
    xc_status rc = XC_OK;
    for (size_t i = 0; i < c->count && rc == XC_OK; i++) {
        xc__x_ent *e = c->ents[i];
        if (e->name_count == 0) {
            xc__list_skip(c->set, c->list, "%s: entity %s has no name; dropped", c->file, e->id);
            continue;
        }
        /* names[0] must be the primary name; extra primaries become plain a.k.a.s. */
        uint32_t primary = UINT32_MAX;
        for (uint32_t k = 0; k < e->name_count; k++)
            if (e->names[k].type == XC__NAME_PRIMARY) {
                if (primary == UINT32_MAX)
                    primary = k;
                else
                    e->names[k].type = XC__NAME_AKA;
            }
        if (primary == UINT32_MAX) {
            primary = 0;
            e->names[0].type = XC__NAME_PRIMARY;
        }
        if (primary != 0) {
            xc__name tmp = e->names[primary];
            memmove(e->names + 1, e->names, primary * sizeof *e->names);
            e->names[0] = tmp;
        }
        xc__entity ent;
        memset(&ent, 0, sizeof ent);
        ent.list = (uint32_t)c->list;
        ent.kind = e->kind;
        ent.source_id = e->id;
        ent.names = arena_copy(c, e->names, e->name_count * sizeof *e->names);
        ent.name_count = e->name_count;
        ent.dobs = arena_copy(c, e->dobs, e->dob_count * sizeof *e->dobs);
        ent.dob_count = e->dob_count;
        ent.countries = arena_copy(c, e->countries, e->country_count * sizeof *e->countries);
        ent.country_count = e->country_count;
        ent.addresses = arena_copy(c, e->addresses, e->address_count * sizeof *e->addresses);
        ent.address_count = e->address_count;
        ent.pobs = arena_copy(c, e->pobs, e->pob_count * sizeof *e->pobs);
        ent.pob_count = e->pob_count;
        ent.nationalities =
            arena_copy(c, e->nationalities, e->nationality_count * sizeof *e->nationalities);
        ent.nationality_count = e->nationality_count;
        ent.idents = arena_copy(c, e->idents, e->ident_count * sizeof *e->idents);
        ent.ident_count = e->ident_count;
        ent.programs = join(c, e->programs, e->program_count, ";");
        ent.remarks = join(c, e->remarks, e->remark_count, "\n");
        char listed[11] = "";
        if (e->listed.year > 0)
            xc__date_format(xc__date_from_ymd(e->listed.year, e->listed.month, e->listed.day),
                            listed);
        ent.listed_on = xc__arena_strdup(c->set->arena, listed);
        if (!ent.names || (e->dob_count && !ent.dobs) || (e->country_count && !ent.countries) ||
            (e->address_count && !ent.addresses) || (e->ident_count && !ent.idents) ||
            (e->pob_count && !ent.pobs) || (e->nationality_count && !ent.nationalities) ||
            !ent.programs || !ent.remarks || !ent.listed_on) {
            rc = XC_NOMEM;
            break;
        }
        rc = xc__listset_add(c->set, &ent);
    }
    for (size_t i = 0; i < c->count; i++)
        ent_free(c->ents[i]);
    c->count = 0;
    if (c->slots)
        memset(c->slots, 0, c->slot_count * sizeof *c->slots);
    return rc;
}

/* ---- CSV ---- */

xc_status xc__x_csv_open(const char *path, const void *data, size_t len, char delim,
                         xc__csv **csv, FILE **file, xc_error *err)
{
    /* One field may fill the record; the record limit counts a NUL after each field, as the
     * reader these parsers had did. */
    xc__csv_opts opts = {.delim = delim, .max_field = MAX_RECORD - 1,
                         .max_record = MAX_RECORD - 1, .max_fields = 1024,
                         .keep_blank = true, .keep_ctrl_z = true};
    *file = NULL;
    if (data) {
        *csv = xc__csv_open_mem(data, len, &opts);
    } else {
        *file = fopen(path, "rb");
        if (!*file)
            return xc__error_set(err, XC_IO, "%s: %s", path, strerror(errno));
        *csv = xc__csv_open_file(*file, &opts);
    }
    if (*csv)
        return XC_OK;
    if (*file)
        fclose(*file);
    *file = NULL;
    return xc__error_set(err, XC_NOMEM, "%s: out of memory", path ? xc__path_base(path) : "");
}

void xc__x_csv_close(xc__csv *csv, FILE *file)
{
    xc__csv_close(csv);
    if (file)
        fclose(file);
}

int xc__x_header_index(const char *const *cells, size_t ncells, const char *name)
{
    for (size_t i = 0; i < ncells; i++) {
        size_t len = strlen(cells[i]);
        const char *t = xc__trim(cells[i], &len);
        if (xc__strn_ieq(t, len, name))
            return (int)i;
    }
    return -1;
}
