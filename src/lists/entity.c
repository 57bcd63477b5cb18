/*
 * entity.c — the list set that every parser fills: list records with their counters and skip
 * reasons, and the growing entity array. Strings and per-entity arrays live in the set's arena.
 */
#include <stdio.h>
#include <string.h>

#include "lists.h"

const char *xc__name_type_str(xc__name_type type)
{
    switch (type) {
    case XC__NAME_PRIMARY: return "primary";
    case XC__NAME_AKA: return "aka";
    case XC__NAME_WEAK_AKA: return "weak_aka";
    case XC__NAME_FKA: return "fka";
    case XC__NAME_NKA: return "nka";
    case XC__NAME_ORIGINAL: return "original_script";
    case XC__NAME_VARIANT: return "variant";
    }
    return "aka";
}

xc_status xc__listset_init(xc__listset *set)
{
    memset(set, 0, sizeof *set);
    set->arena = xc__arena_new(1 << 20);
    return set->arena ? XC_OK : XC_NOMEM;
}

void xc__listset_free(xc__listset *set)
{
    if (!set)
        return;
    xc__arena_free(set->arena);
    xc__free_mem(set->lists);
    xc__free_mem(set->entities);
    memset(set, 0, sizeof *set);
}

int xc__listset_list(xc__listset *set, const char *id, const char *title, const char *files)
{
    /* Same id from another file is another record (the CSL's DPL rows next to BIS's dpl.txt):
     * each record keeps the version and digest of the file its entities came from. */
    for (size_t i = 0; i < set->list_count; i++)
        if (strcmp(set->lists[i].id, id) == 0 &&
            (!files || !set->lists[i].files || strcmp(set->lists[i].files, files) == 0))
            return (int)i;
    return xc__listset_list_new(set, id, title, files);
}

int xc__listset_list_new(xc__listset *set, const char *id, const char *title, const char *files)
{
    if (set->list_count == set->list_cap) {
        size_t cap = set->list_cap ? set->list_cap * 2 : 8;
        xc__list *lists = xc__realloc(set->lists, cap * sizeof *lists);
        if (!lists)
            return -1;
        set->lists = lists;
        set->list_cap = cap;
    }
    xc__list *list = &set->lists[set->list_count];
    memset(list, 0, sizeof *list);
    list->id = xc__arena_strdup(set->arena, id);
    list->title = xc__arena_strdup(set->arena, title ? title : id);
    list->files = xc__arena_strdup(set->arena, files ? files : "");
    if (!list->id || !list->title || !list->files)
        return -1;
    return (int)set->list_count++;
}

xc_status xc__listset_add(xc__listset *set, const xc__entity *entity)
{
    if (set->entity_count == set->entity_cap) {
        size_t cap = set->entity_cap ? set->entity_cap * 2 : 1024;
        xc__entity *entities = xc__realloc(set->entities, cap * sizeof *entities);
        if (!entities)
            return XC_NOMEM;
        set->entities = entities;
        set->entity_cap = cap;
    }
    set->entities[set->entity_count++] = *entity;
    xc__list *list = &set->lists[entity->list];
    list->entities++;
    list->names += entity->name_count;
    return XC_OK;
}

/* Keeps the first XC__LIST_MAX_ISSUES messages of a list, in its set's arena. */
static void add_issue(xc__listset *set, xc__list *list, const char *fmt, va_list ap)
{
    if (list->issue_count >= XC__LIST_MAX_ISSUES)
        return;
    char message[400];
    vsnprintf(message, sizeof message, fmt, ap);
    const char *copy = xc__arena_strdup(set->arena, message);
    if (copy) {
        list->issues[list->issue_count++] = copy;
        list->issues[list->issue_count] = NULL;
    }
}

void xc__list_skip(xc__listset *set, int list_index, const char *fmt, ...)
{
    if (list_index < 0 || (size_t)list_index >= set->list_count)
        return;
    xc__list *list = &set->lists[list_index];
    list->rows_skipped++;
    va_list ap;
    va_start(ap, fmt);
    add_issue(set, list, fmt, ap);
    va_end(ap);
}

void xc__list_issue(xc__listset *set, int list_index, const char *fmt, ...)
{
    if (list_index < 0 || (size_t)list_index >= set->list_count)
        return;
    va_list ap;
    va_start(ap, fmt);
    add_issue(set, &set->lists[list_index], fmt, ap);
    va_end(ap);
}

/* ---- entity builder ---- */

void xc__eb_init(xc__ebuild *b, xc__listset *set, const char *file)
{
    memset(b, 0, sizeof *b);
    b->set = set;
    b->file = file ? xc__path_base(file) : "";
    b->list = -1;
}

void xc__eb_free(xc__ebuild *b)
{
    xc__free_mem(b->names);
    xc__free_mem(b->dobs);
    xc__free_mem(b->countries);
    xc__free_mem(b->addresses);
    xc__free_mem(b->idents);
    xc__free_mem(b->pobs);
    xc__free_mem(b->nationalities);
    b->pobs = NULL;
    b->nationalities = NULL;
    b->names = NULL;
    b->dobs = NULL;
    b->countries = NULL;
    b->addresses = NULL;
    b->idents = NULL;
}

void xc__eb_begin(xc__ebuild *b, int list, xc_kind kind)
{
    memset(&b->entity, 0, sizeof b->entity);
    b->entity.list = (uint32_t)(list < 0 ? 0 : list);
    b->entity.kind = (uint8_t)kind;
    b->entity.source_id = "";
    b->entity.programs = "";
    b->entity.listed_on = "";
    b->entity.remarks = "";
    b->list = list;
    b->reported_utf8 = false;
    b->reported_cap = false;
}

/* Grows one scratch array to hold one more element; false (and a sticky NOMEM) on failure. */
static bool grow(xc__ebuild *b, void **array, uint32_t *cap, uint32_t count, size_t size)
{
    if (b->status != XC_OK)
        return false;
    if (count < *cap)
        return true;
    /* A hostile file could give one entity millions of aliases: cap every array. */
    if (count >= XC__EB_MAX_ITEMS) {
        if (!b->reported_cap && b->list >= 0)
            xc__list_issue(b->set, b->list, "%s line %zu: more than %d names, dates, countries, "
                           "addresses or identifiers in one entry; the rest ignored",
                           b->file, b->line, XC__EB_MAX_ITEMS);
        b->reported_cap = true;
        return false;
    }
    uint32_t ncap = *cap ? *cap * 2 : 8;
    void *p = xc__realloc(*array, (size_t)ncap * size);
    if (!p) {
        b->status = XC_NOMEM;
        return false;
    }
    *array = p;
    *cap = ncap;
    return true;
}

const char *xc__eb_str(xc__ebuild *b, const char *s, size_t len)
{
    if (b->status != XC_OK)
        return NULL;
    s = xc__trim(s, &len);
    if (len == 0 || (len == 3 && memcmp(s, "-0-", 3) == 0))
        return "";
    size_t bad = xc__utf8_check(s, len);
    char *copy;
    if (bad == len) {
        copy = xc__arena_strndup(b->set->arena, s, len);
    } else {
        size_t out_len;
        char *clean = xc__utf8_sanitize(s, len, &out_len);
        if (!clean) {
            b->status = XC_NOMEM;
            return NULL;
        }
        copy = xc__arena_strndup(b->set->arena, clean, out_len);
        xc__free_mem(clean);
        if (b->list >= 0 && (size_t)b->list < b->set->list_count) {
            b->set->lists[b->list].utf8_replaced++;
            if (!b->reported_utf8)
                xc__list_issue(b->set, b->list,
                               "%s line %zu: invalid UTF-8 at byte %zu of a field, replaced "
                               "with U+FFFD", b->file, b->line, bad);
        }
        b->reported_utf8 = true;
    }
    if (!copy)
        b->status = XC_NOMEM;
    return copy;
}

void xc__eb_name(xc__ebuild *b, const char *s, size_t len, xc__name_type type, bool reorder)
{
    s = xc__trim(s, &len);
    if (len == 0 || b->status != XC_OK)
        return;
    for (uint32_t i = 0; i < b->entity.name_count; i++)
        if (strlen(b->names[i].text) == len && memcmp(b->names[i].text, s, len) == 0) {
            if (type == XC__NAME_PRIMARY) { /* an alias equal to the primary name, seen first */
                b->names[i].type = XC__NAME_PRIMARY;
                b->names[i].reorder = reorder ? 1 : 0;
            }
            return;
        }
    if (!grow(b, (void **)&b->names, &b->name_cap, b->entity.name_count, sizeof *b->names))
        return;
    const char *text = xc__eb_str(b, s, len);
    if (!text || !*text)
        return;
    xc__name *name = &b->names[b->entity.name_count++];
    name->text = text;
    name->type = (uint8_t)type;
    name->reorder = reorder ? 1 : 0;
}

void xc__eb_dob(xc__ebuild *b, xc__pdate date)
{
    if (date.year == 0)
        return;
    for (uint32_t i = 0; i < b->entity.dob_count; i++)
        if (memcmp(&b->dobs[i], &date, sizeof date) == 0)
            return;
    if (!grow(b, (void **)&b->dobs, &b->dob_cap, b->entity.dob_count, sizeof *b->dobs))
        return;
    b->dobs[b->entity.dob_count++] = date;
}

/* Finds " to " in s[0..len); returns its offset or len. */
static size_t find_to(const char *s, size_t len)
{
    for (size_t i = 0; i + 4 <= len; i++)
        if (memcmp(s + i, " to ", 4) == 0)
            return i;
    return len;
}

int xc__eb_dob_text(xc__ebuild *b, const char *s, size_t len, bool dayfirst)
{
    s = xc__trim(s, &len);
    while (len && s[len - 1] == '.')
        len--;
    if (len >= 6 && xc__strn_ieq(s, 6, "circa ")) {
        s += 6;
        len -= 6;
    }
    size_t to = find_to(s, len);
    xc__pdate first, last;
    if (to == len)
        return xc__pdate_parse(s, len, dayfirst, &first) ? (xc__eb_dob(b, first), 1) : 0;
    size_t rest = to + 4;
    bool ok_first = xc__pdate_parse(s, to, dayfirst, &first);
    bool ok_last = xc__pdate_parse(s + rest, len - rest, dayfirst, &last);
    int added = 0;
    if (ok_first && ok_last && first.month == 0 && last.month == 0 &&
        last.year >= first.year && last.year - first.year <= 12) {
        for (int y = first.year; y <= last.year; y++) {
            xc__pdate d = {(int16_t)y, 0, 0};
            xc__eb_dob(b, d);
            added++;
        }
        return added;
    }
    if (ok_first) {
        xc__eb_dob(b, first);
        added++;
    }
    if (ok_last) {
        xc__eb_dob(b, last);
        added++;
    }
    return added;
}

void xc__eb_country_code(xc__ebuild *b, const char *code)
{
    if (!code)
        return;
    for (uint32_t i = 0; i < b->entity.country_count; i++)
        if (strcmp(b->countries[i], code) == 0)
            return;
    if (!grow(b, (void **)&b->countries, &b->country_cap, b->entity.country_count,
              sizeof *b->countries))
        return;
    b->countries[b->entity.country_count++] = code;
}

bool xc__eb_country(xc__ebuild *b, const char *s, size_t len)
{
    s = xc__trim(s, &len);
    if (len == 0)
        return false;
    const char *code = xc__country_code(s, len);
    if (code)
        xc__eb_country_code(b, code);
    return code != NULL;
}

void xc__eb_address(xc__ebuild *b, const char *s, size_t len)
{
    s = xc__trim(s, &len);
    if (len == 0)
        return;
    if (!grow(b, (void **)&b->addresses, &b->address_cap, b->entity.address_count,
              sizeof *b->addresses))
        return;
    const char *text = xc__eb_str(b, s, len);
    if (text && *text)
        b->addresses[b->entity.address_count++] = text;
}

void xc__eb_pob(xc__ebuild *b, const char *s, size_t len)
{
    s = xc__trim(s, &len);
    while (len && (s[len - 1] == '.' || s[len - 1] == ';' || s[len - 1] == ','))
        len--;
    if (len == 0 || b->status != XC_OK)
        return;
    for (uint32_t i = 0; i < b->entity.pob_count; i++)
        if (strlen(b->pobs[i]) == len && memcmp(b->pobs[i], s, len) == 0)
            return;
    if (!grow(b, (void **)&b->pobs, &b->pob_cap, b->entity.pob_count, sizeof *b->pobs))
        return;
    const char *text = xc__eb_str(b, s, len);
    if (text && *text)
        b->pobs[b->entity.pob_count++] = text;
}

void xc__eb_nationality_code(xc__ebuild *b, const char *code)
{
    if (!code)
        return;
    xc__eb_country_code(b, code);
    for (uint32_t i = 0; i < b->entity.nationality_count; i++)
        if (strcmp(b->nationalities[i], code) == 0)
            return;
    if (!grow(b, (void **)&b->nationalities, &b->nationality_cap, b->entity.nationality_count,
              sizeof *b->nationalities))
        return;
    b->nationalities[b->entity.nationality_count++] = code;
}

bool xc__eb_nationality(xc__ebuild *b, const char *s, size_t len)
{
    s = xc__trim(s, &len);
    if (len == 0)
        return false;
    const char *code = xc__country_code(s, len);
    xc__eb_nationality_code(b, code);
    return code != NULL;
}

void xc__eb_ident(xc__ebuild *b, const char *type, size_t type_len, const char *value,
                  size_t value_len, const char *country, size_t country_len)
{
    value = xc__trim(value, &value_len);
    if (value_len == 0)
        return;
    if (!grow(b, (void **)&b->idents, &b->ident_cap, b->entity.ident_count, sizeof *b->idents))
        return;
    const char *t = xc__eb_str(b, type ? type : "", type ? type_len : 0);
    const char *v = xc__eb_str(b, value, value_len);
    const char *c = country ? xc__eb_str(b, country, country_len) : "";
    if (!t || !v || !c || !*v)
        return;
    xc__ident *ident = &b->idents[b->entity.ident_count++];
    ident->type = t;
    ident->value = v;
    ident->country = *c ? c : NULL;
}

/* Copies a scratch array into the arena. */
static void *arena_copy(xc__ebuild *b, const void *src, size_t count, size_t size)
{
    if (count == 0 || b->status != XC_OK)
        return NULL;
    void *dst = xc__arena_alloc(b->set->arena, count * size);
    if (!dst) {
        b->status = XC_NOMEM;
        return NULL;
    }
    memcpy(dst, src, count * size);
    return dst;
}

xc_status xc__eb_commit(xc__ebuild *b)
{
    if (b->status != XC_OK)
        return b->status;
    if (b->list < 0)
        return XC_OK;
    xc__entity *e = &b->entity;
    if (e->name_count == 0) {
        xc__list_skip(b->set, b->list, "%s line %zu: no name (id \"%s\")", b->file, b->line,
                      e->source_id ? e->source_id : "");
        b->list = -1;
        return XC_OK;
    }
    /* Parsers may add the primary name last (XML gives its parts after aliases in places):
     * move the first primary name to the front, keeping the others in order. */
    for (uint32_t i = 1; i < e->name_count; i++)
        if (b->names[i].type == XC__NAME_PRIMARY && b->names[0].type != XC__NAME_PRIMARY) {
            xc__name primary = b->names[i];
            memmove(&b->names[1], &b->names[0], i * sizeof *b->names);
            b->names[0] = primary;
            break;
        }
    e->names = arena_copy(b, b->names, e->name_count, sizeof *b->names);
    e->dobs = arena_copy(b, b->dobs, e->dob_count, sizeof *b->dobs);
    e->countries = arena_copy(b, b->countries, e->country_count, sizeof *b->countries);
    e->addresses = arena_copy(b, b->addresses, e->address_count, sizeof *b->addresses);
    e->idents = arena_copy(b, b->idents, e->ident_count, sizeof *b->idents);
    e->pobs = arena_copy(b, b->pobs, e->pob_count, sizeof *b->pobs);
    e->nationalities =
        arena_copy(b, b->nationalities, e->nationality_count, sizeof *b->nationalities);
    if (b->status != XC_OK)
        return b->status;
    xc_status rc = xc__listset_add(b->set, e);
    b->list = -1;
    return rc;
}

xc_status xc__file_sha256(const char *path, char out[65], xc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return xc__error_set(err, XC_IO, "%s: cannot open", path);
    xc__sha256 ctx;
    xc__sha256_init(&ctx);
    unsigned char block[65536];
    size_t n;
    while ((n = fread(block, 1, sizeof block, f)) > 0)
        xc__sha256_update(&ctx, block, n);
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed)
        return xc__error_set(err, XC_IO, "%s: read error", path);
    unsigned char digest[32];
    xc__sha256_final(&ctx, digest);
    xc__hex(digest, 32, out);
    return XC_OK;
}

xc_status xc__source_sha256(const char *path, const char *data, size_t len, char out[65],
                            xc_error *err)
{
    if (path)
        return xc__file_sha256(path, out, err);
    xc__sha256_hex(data ? data : "", data ? len : 0, out);
    return XC_OK;
}
