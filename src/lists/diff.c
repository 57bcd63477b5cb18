/*
 * diff.c — list diffs: which entities a new version of a list added, removed or changed, keyed
 * by the source's own stable id (OFAC ent_num, UN DATAID, ...). Both versions are sorted by
 * (list id, source id) and walked together. An entity counts as changed when its set of names
 * (primary and aliases, order ignored), its identifiers, its programmes or its kind differ;
 * address and remark edits are not reported, since they do not change who a list names. The
 * changed ids are what a re-screening of stored counterparties needs to look at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

typedef struct keyed {
    const char *list;          /* list id */
    const char *sid;           /* source id */
    const xc__entity *entity;
} keyed;

/* Numbers compare as numbers ("48321" after "9"), anything else as bytes after them. */
static int id_compare(const char *a, const char *b)
{
    size_t la = strspn(a, "0123456789"), lb = strspn(b, "0123456789");
    bool na = la > 0 && a[la] == '\0', nb = lb > 0 && b[lb] == '\0';
    if (na && nb) {
        while (la > 1 && *a == '0')
            a++, la--;
        while (lb > 1 && *b == '0')
            b++, lb--;
        if (la != lb)
            return la < lb ? -1 : 1;
        return strcmp(a, b);
    }
    if (na != nb)
        return na ? -1 : 1;
    return strcmp(a, b);
}

static int keyed_compare(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int c = strcmp(a->list, b->list);
    return c ? c : id_compare(a->sid, b->sid);
}

static const char *kind_word(unsigned kind)
{
    static const char *const words[] = {"any", "person", "org", "vessel", "aircraft"};
    return kind < XC__ARRAY_LEN(words) ? words[kind] : "any";
}

static int str_compare(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Sorted, de-duplicated keys of a set (first entity wins for a repeated id). */
static keyed *sorted_keys(const xc__listset *set, size_t *count)
{
    keyed *keys = xc__malloc((set->entity_count ? set->entity_count : 1) * sizeof *keys);
    if (!keys)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < set->entity_count; i++) {
        const xc__entity *e = &set->entities[i];
        if (!e->source_id || e->list >= set->list_count)
            continue;
        keys[n].list = set->lists[e->list].id;
        keys[n].sid = e->source_id;
        keys[n].entity = e;
        n++;
    }
    /* qsort is not stable: among equal keys keep the lowest entity address, the first loaded. */
    qsort(keys, n, sizeof *keys, keyed_compare);
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        if (out > 0 && keyed_compare(&keys[out - 1], &keys[i]) == 0) {
            if (keys[i].entity < keys[out - 1].entity)
                keys[out - 1] = keys[i];
            continue;
        }
        keys[out++] = keys[i];
    }
    *count = out;
    return keys;
}

/* A sorted, de-duplicated array of strings describing one facet of an entity. */
typedef struct strset {
    const char **items;
    size_t count;
} strset;

static void strset_sort(strset *set)
{
    qsort(set->items, set->count, sizeof *set->items, str_compare);
    size_t out = 0;
    for (size_t i = 0; i < set->count; i++)
        if (out == 0 || strcmp(set->items[out - 1], set->items[i]) != 0)
            set->items[out++] = set->items[i];
    set->count = out;
}

static xc_status names_of(const xc__entity *e, xc__arena *arena, strset *out)
{
    out->count = 0;
    out->items = xc__arena_alloc(arena, (e->name_count + 1) * sizeof *out->items);
    if (!out->items)
        return XC_NOMEM;
    for (uint32_t i = 0; i < e->name_count; i++)
        if (e->names[i].text && *e->names[i].text)
            out->items[out->count++] = e->names[i].text;
    strset_sort(out);
    return XC_OK;
}

static xc_status idents_of(const xc__entity *e, xc__arena *arena, strset *out)
{
    out->count = 0;
    out->items = xc__arena_alloc(arena, (e->ident_count + 1) * sizeof *out->items);
    if (!out->items)
        return XC_NOMEM;
    for (uint32_t i = 0; i < e->ident_count; i++) {
        const xc__ident *id = &e->idents[i];
        char text[1024];
        snprintf(text, sizeof text, "%s: %s%s%s%s", id->type ? id->type : "",
                 id->value ? id->value : "", id->country && *id->country ? " (" : "",
                 id->country ? id->country : "", id->country && *id->country ? ")" : "");
        const char *copy = xc__arena_strdup(arena, text);
        if (!copy)
            return XC_NOMEM;
        out->items[out->count++] = copy;
    }
    strset_sort(out);
    return XC_OK;
}

static xc_status programs_of(const xc__entity *e, xc__arena *arena, strset *out)
{
    const char *p = e->programs ? e->programs : "";
    size_t parts = 1;
    for (const char *q = p; *q; q++)
        parts += *q == ';';
    out->count = 0;
    out->items = xc__arena_alloc(arena, parts * sizeof *out->items);
    if (!out->items)
        return XC_NOMEM;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        size_t trimmed = len;
        const char *start = xc__trim(p, &trimmed);
        if (trimmed) {
            const char *copy = xc__arena_strndup(arena, start, trimmed);
            if (!copy)
                return XC_NOMEM;
            out->items[out->count++] = copy;
        }
        p += len + (end ? 1 : 0);
    }
    strset_sort(out);
    return XC_OK;
}

static bool strset_equal(const strset *a, const strset *b)
{
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return false;
    return true;
}

static void json_str(xc__buf *buf, const char *s)
{
    xc__buf_putc(buf, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            xc__buf_printf(buf, "\\%c", *p);
        else if (*p == '\n')
            xc__buf_append(buf, "\\n", 2);
        else if (*p < 0x20)
            xc__buf_printf(buf, "\\u%04x", *p);
        else
            xc__buf_putc(buf, (char)*p);
    }
    xc__buf_putc(buf, '"');
}

/* Writes the items of a that are not in b (both sorted) as JSON strings or quoted text. */
static void set_minus(xc__buf *out, const strset *a, const strset *b, bool json,
                      const char *prefix)
{
    size_t j = 0;
    bool first = true;
    for (size_t i = 0; i < a->count; i++) {
        while (j < b->count && strcmp(b->items[j], a->items[i]) < 0)
            j++;
        if (j < b->count && strcmp(b->items[j], a->items[i]) == 0)
            continue;
        if (json) {
            if (!first)
                xc__buf_putc(out, ',');
            json_str(out, a->items[i]);
        } else {
            xc__buf_printf(out, " %s", prefix);
            json_str(out, a->items[i]);
        }
        first = false;
    }
}

static void facet_json(xc__buf *out, const char *name, const strset *old_set,
                       const strset *new_set)
{
    xc__buf_printf(out, ",\"%s\":{\"added\":[", name);
    set_minus(out, new_set, old_set, true, "");
    xc__buf_append(out, "],\"removed\":[", 13);
    set_minus(out, old_set, new_set, true, "");
    xc__buf_append(out, "]}", 2);
}

static void facet_text(xc__buf *out, const char *name, const strset *old_set,
                       const strset *new_set)
{
    xc__buf_printf(out, "; %s", name);
    set_minus(out, new_set, old_set, false, "+");
    set_minus(out, old_set, new_set, false, "-");
}

/* Per-list counts for the summary lines. */
typedef struct list_stat {
    const char *id;
    const xc__list *old_list, *new_list;
    size_t added, removed, changed, unchanged;
} list_stat;

static list_stat *stat_for(list_stat *stats, size_t *count, const char *id)
{
    for (size_t i = 0; i < *count; i++)
        if (strcmp(stats[i].id, id) == 0)
            return &stats[i];
    list_stat *s = &stats[(*count)++];
    memset(s, 0, sizeof *s);
    s->id = id;
    return s;
}

static void lists_json(xc__buf *out, const char *key, const xc__listset *set)
{
    xc__buf_printf(out, ",\"%s\":[", key);
    for (size_t i = 0; i < set->list_count; i++) {
        const xc__list *l = &set->lists[i];
        xc__buf_printf(out, "%s{\"list\":", i ? "," : "");
        json_str(out, l->id);
        xc__buf_append(out, ",\"version\":", 11);
        json_str(out, l->version);
        xc__buf_append(out, ",\"sha256\":", 10);
        json_str(out, l->sha256);
        xc__buf_printf(out, ",\"entities\":%zu,\"rows_skipped\":%zu}", l->entities,
                       l->rows_skipped);
    }
    xc__buf_putc(out, ']');
}

/* Which facets (XC__DIFF_*) differ between two versions of one entity; 0 when none. */
static xc_status entity_facets(const xc__entity *a, const xc__entity *b, xc__arena *arena,
                               unsigned *facets)
{
    strset sa, sb;
    *facets = 0;
    xc__arena_reset(arena);
    if (names_of(a, arena, &sa) != XC_OK || names_of(b, arena, &sb) != XC_OK)
        return XC_NOMEM;
    *facets |= strset_equal(&sa, &sb) ? 0 : XC__DIFF_NAMES;
    if (idents_of(a, arena, &sa) != XC_OK || idents_of(b, arena, &sb) != XC_OK)
        return XC_NOMEM;
    *facets |= strset_equal(&sa, &sb) ? 0 : XC__DIFF_IDENTS;
    if (programs_of(a, arena, &sa) != XC_OK || programs_of(b, arena, &sb) != XC_OK)
        return XC_NOMEM;
    *facets |= strset_equal(&sa, &sb) ? 0 : XC__DIFF_PROGRAMS;
    *facets |= a->kind != b->kind ? XC__DIFF_KIND : 0;
    return XC_OK;
}

xc_status xc__diff_each(const xc__listset *old_set, const xc__listset *new_set,
                        xc__diff_fn fn, void *ctx)
{
    size_t old_count = 0, new_count = 0;
    keyed *old_keys = sorted_keys(old_set, &old_count);
    keyed *new_keys = sorted_keys(new_set, &new_count);
    xc__arena *arena = xc__arena_new(1 << 16);
    xc_status rc = old_keys && new_keys && arena ? XC_OK : XC_NOMEM;
    size_t i = 0, j = 0;
    while (rc == XC_OK && (i < old_count || j < new_count)) {
        int c = i == old_count ? 1 : j == new_count ? -1 : keyed_compare(&old_keys[i],
                                                                          &new_keys[j]);
        if (c < 0) {
            fn(ctx, XC__DIFF_REMOVED, 0, old_keys[i].entity, NULL);
            i++;
        } else if (c > 0) {
            fn(ctx, XC__DIFF_ADDED, 0, NULL, new_keys[j].entity);
            j++;
        } else {
            unsigned facets = 0;
            rc = entity_facets(old_keys[i].entity, new_keys[j].entity, arena, &facets);
            if (rc == XC_OK && facets)
                fn(ctx, XC__DIFF_CHANGED, facets, old_keys[i].entity, new_keys[j].entity);
            i++;
            j++;
        }
    }
    xc__free_mem(old_keys);
    xc__free_mem(new_keys);
    xc__arena_free(arena);
    return rc;
}

enum { ADDED = 1, REMOVED = 2, CHANGED = 3 };

typedef struct change {
    int what;          /* ADDED, REMOVED, CHANGED */
    unsigned facets;   /* XC__DIFF_* for CHANGED */
    const keyed *old_key, *new_key;
} change;

xc_status xc__diff_render(const xc__listset *old_set, const xc__listset *new_set, bool json,
                          xc__buf *out)
{
    size_t old_count = 0, new_count = 0, change_count = 0, stat_count = 0;
    keyed *old_keys = sorted_keys(old_set, &old_count);
    keyed *new_keys = sorted_keys(new_set, &new_count);
    change *changes = xc__malloc((old_count + new_count + 1) * sizeof *changes);
    list_stat *stats =
        xc__malloc((old_set->list_count + new_set->list_count + 1) * sizeof *stats);
    xc__arena *arena = xc__arena_new(1 << 16);
    xc_status rc = XC_OK;
    if (!old_keys || !new_keys || !changes || !stats || !arena) {
        rc = XC_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < old_set->list_count; i++)
        stat_for(stats, &stat_count, old_set->lists[i].id)->old_list = &old_set->lists[i];
    for (size_t i = 0; i < new_set->list_count; i++)
        stat_for(stats, &stat_count, new_set->lists[i].id)->new_list = &new_set->lists[i];

    size_t i = 0, j = 0;
    while (i < old_count || j < new_count) {
        int c = i == old_count ? 1 : j == new_count ? -1 : keyed_compare(&old_keys[i],
                                                                          &new_keys[j]);
        change *ch = &changes[change_count];
        memset(ch, 0, sizeof *ch);
        if (c < 0) {
            ch->what = REMOVED;
            ch->old_key = &old_keys[i++];
            stat_for(stats, &stat_count, ch->old_key->list)->removed++;
            change_count++;
            continue;
        }
        if (c > 0) {
            ch->what = ADDED;
            ch->new_key = &new_keys[j++];
            stat_for(stats, &stat_count, ch->new_key->list)->added++;
            change_count++;
            continue;
        }
        unsigned facets = 0;
        if (entity_facets(old_keys[i].entity, new_keys[j].entity, arena, &facets) != XC_OK) {
            rc = XC_NOMEM;
            goto done;
        }
        list_stat *stat = stat_for(stats, &stat_count, old_keys[i].list);
        if (facets) {
            ch->what = CHANGED;
            ch->facets = facets;
            ch->old_key = &old_keys[i];
            ch->new_key = &new_keys[j];
            change_count++;
            stat->changed++;
        } else {
            stat->unchanged++;
        }
        i++;
        j++;
    }

    size_t totals[4] = {0, 0, 0, 0};
    for (size_t k = 0; k < change_count; k++)
        totals[changes[k].what]++;
    size_t unchanged = 0;
    for (size_t k = 0; k < stat_count; k++)
        unchanged += stats[k].unchanged;

    if (json) {
        static const char *const keys[4] = {"", "added", "removed", "changed"};
        xc__buf_putc(out, '{');
        for (int what = ADDED; what <= CHANGED; what++) {
            xc__buf_printf(out, "%s\"%s\":[", what == ADDED ? "" : ",", keys[what]);
            bool first = true;
            for (size_t k = 0; k < change_count; k++) {
                if (changes[k].what != what)
                    continue;
                const keyed *key = changes[k].new_key ? changes[k].new_key : changes[k].old_key;
                if (!first)
                    xc__buf_putc(out, ',');
                json_str(out, key->sid);
                first = false;
            }
            xc__buf_putc(out, ']');
        }
        xc__buf_printf(out, ",\"counts\":{\"added\":%zu,\"removed\":%zu,\"changed\":%zu,"
                            "\"unchanged\":%zu}",
                       totals[ADDED], totals[REMOVED], totals[CHANGED], unchanged);
        lists_json(out, "old", old_set);
        lists_json(out, "new", new_set);
        xc__buf_append(out, ",\"details\":[", 12);
    } else {
        for (size_t k = 0; k < stat_count; k++) {
            const list_stat *s = &stats[k];
            xc__buf_printf(out, "%s: %s (%zu entities) -> %s (%zu entities): %zu added, "
                                "%zu removed, %zu changed, %zu unchanged\n",
                           s->id,
                           s->old_list ? (*s->old_list->version ? s->old_list->version
                                                                : "undated")
                                       : "absent",
                           s->old_list ? s->old_list->entities : 0,
                           s->new_list ? (*s->new_list->version ? s->new_list->version
                                                                : "undated")
                                       : "absent",
                           s->new_list ? s->new_list->entities : 0, s->added, s->removed,
                           s->changed, s->unchanged);
        }
    }
    for (size_t k = 0; k < change_count; k++) {
        const change *ch = &changes[k];
        const keyed *key = ch->new_key ? ch->new_key : ch->old_key;
        const xc__entity *e = key->entity;
        const char *primary = e->name_count ? e->names[0].text : "";
        if (json) {
            static const char *const words[4] = {"", "added", "removed", "changed"};
            xc__buf_printf(out, "%s{\"id\":", k ? "," : "");
            json_str(out, key->sid);
            xc__buf_append(out, ",\"list\":", 8);
            json_str(out, key->list);
            xc__buf_printf(out, ",\"change\":\"%s\",\"name\":", words[ch->what]);
            json_str(out, primary);
        } else {
            xc__buf_printf(out, "%c %s %s ", ch->what == ADDED ? '+' : ch->what == REMOVED ? '-'
                                                                                        : '~',
                           key->list, key->sid);
            json_str(out, primary);
        }
        if (ch->what == CHANGED) {
            const xc__entity *a = ch->old_key->entity, *b = ch->new_key->entity;
            strset sa, sb;
            xc__arena_reset(arena);
            static const struct {
                unsigned bit;
                const char *name;
                xc_status (*of)(const xc__entity *, xc__arena *, strset *);
            } facets[3] = {{XC__DIFF_NAMES, "names", names_of},
                           {XC__DIFF_IDENTS, "identifiers", idents_of},
                           {XC__DIFF_PROGRAMS, "programs", programs_of}};
            for (int f = 0; f < 3; f++) {
                if (!(ch->facets & facets[f].bit))
                    continue;
                if (facets[f].of(a, arena, &sa) != XC_OK || facets[f].of(b, arena, &sb) != XC_OK) {
                    rc = XC_NOMEM;
                    goto done;
                }
                if (json)
                    facet_json(out, facets[f].name, &sa, &sb);
                else
                    facet_text(out, facets[f].name, &sa, &sb);
            }
            if (ch->facets & XC__DIFF_KIND)
                xc__buf_printf(out, json ? ",\"kind\":{\"old\":\"%s\",\"new\":\"%s\"}"
                                         : "; kind %s -> %s",
                               kind_word(a->kind), kind_word(b->kind));
        }
        if (json)
            xc__buf_putc(out, '}');
        else
            xc__buf_putc(out, '\n');
    }
    rc = json ? xc__buf_append(out, "]}", 2) : xc__buf_append(out, "", 0);
done:
    xc__free_mem(old_keys);
    xc__free_mem(new_keys);
    xc__free_mem(changes);
    xc__free_mem(stats);
    xc__arena_free(arena);
    return rc;
}

/* Loads one version. Archived copies of OFAC's CSV are usually saved under dated names
 * ("sdn-2024-05-01.csv"), which the loader does not recognise by name: a single file named
 * sdn*.csv or cons_prim*.csv is parsed as that OFAC primary file alone (aliases then come from
 * its remarks column only, the same for both versions). */
static xc_status load_version(xc__listset *set, const char *const *paths, xc_error *err)
{
    /* A diff reports what the files hold: a set missing a companion diffs as it is. */
    xc_status rc = xc__load_paths_ex(set, paths, XC__LOAD_ALLOW_INCOMPLETE, err);
    if (rc != XC_UNSUPPORTED || !paths[0] || paths[1])
        return rc;
    const char *base = xc__path_base(paths[0]);
    size_t len = strlen(base);
    if (len < 4 || !xc__str_ieq(base + len - 4, ".csv"))
        return rc;
    if (xc__strn_ieq(base, 3, "sdn"))
        return xc__parse_ofac_csv(set, "us_ofac_sdn", paths[0], NULL, NULL, NULL, err);
    if (len >= 9 && xc__strn_ieq(base, 9, "cons_prim"))
        return xc__parse_ofac_csv(set, "us_ofac_cons", paths[0], NULL, NULL, NULL, err);
    return rc;
}

static xc_status diff_paths(const char *const *old_paths, const char *const *new_paths, bool json,
                            char **out, xc_error *err)
{
    if (!out)
        return xc__error_set(err, XC_INVALID, "diff: no output pointer");
    *out = NULL;
    if (!old_paths || !old_paths[0] || !new_paths || !new_paths[0])
        return xc__error_set(err, XC_INVALID, "diff: needs an old and a new version");
    xc__listset old_set, new_set;
    xc_status rc = xc__listset_init(&old_set);
    if (rc != XC_OK)
        return xc__error_set(err, rc, "diff: out of memory");
    rc = xc__listset_init(&new_set);
    if (rc != XC_OK) {
        xc__listset_free(&old_set);
        return xc__error_set(err, rc, "diff: out of memory");
    }
    rc = load_version(&old_set, old_paths, err);
    if (rc == XC_OK)
        rc = load_version(&new_set, new_paths, err);
    if (rc == XC_OK && old_set.entity_count == 0 && new_set.entity_count == 0)
        rc = xc__error_set(err, XC_NODATA, "diff: no list entities found in either version");
    if (rc == XC_OK) {
        xc__buf buf;
        xc__buf_init(&buf, 0);
        rc = xc__diff_render(&old_set, &new_set, json, &buf);
        if (rc == XC_OK && !(*out = xc__buf_steal(&buf)))
            rc = XC_NOMEM;
        xc__buf_free(&buf);
        if (rc != XC_OK)
            xc__error_set(err, rc, "diff: %s", xc_strerror(rc));
    }
    xc__listset_free(&old_set);
    xc__listset_free(&new_set);
    return rc;
}

xc_status xc_diff_json(const char *const *old_paths, const char *const *new_paths,
                       char **json_out, xc_error *err)
{
    return diff_paths(old_paths, new_paths, true, json_out, err);
}

xc_status xc_diff_text(const char *const *old_paths, const char *const *new_paths,
                       char **text_out, xc_error *err)
{
    return diff_paths(old_paths, new_paths, false, text_out, err);
}
