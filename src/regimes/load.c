/*
 * load.c — reads the data/regimes CSV files (embedded or from a folder) into the rule tables of
 * tables.h. The CSV dialect: UTF-8, '#' comment lines before the header, a header row naming the
 * columns (read by name, so columns may be added), RFC 4180 quoting. Dates are YYYY-MM-DD with the
 * half-open convention of data/regimes/README.md: valid_to is the first day no longer in force.
 * Every citation key must resolve in sources.csv, or loading fails naming the file and line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tables.h"
#include "../match/engine.h"

#define MAX_FIELDS 24
#define MAX_DATA_FILE (16u << 20)

typedef struct csv_file {
    const char *name;
    const char *p, *end;
    long line;
    char *header[MAX_FIELDS];
    size_t header_count;
    char *field[MAX_FIELDS];
    size_t field_count;
    const char *error;  /* why csv_next returned -1 */
    bool oom;           /* ... because memory ran out */
} csv_file;

typedef struct loader {
    xc__regimes *reg;
    const char *dir;
    xc_error *err;
    xc__sha256 sha;
    /* growable arrays use xc__realloc then are copied into the arena at the end */
    const xc__fact **facts;
    size_t fact_count, fact_cap;
} loader;

static xc_status corrupt(loader *ld, const csv_file *csv, const char *what)
{
    return xc__error_set(ld->err, XC_CORRUPT, "%s line %ld: %s", csv->name, csv->line, what);
}

/* The error for a record csv_next refused: out of memory, or the file is corrupt (with why). */
static xc_status csv_failed(loader *ld, const csv_file *csv)
{
    if (csv->oom)
        return xc__error_set(ld->err, XC_NOMEM, "%s line %ld: out of memory", csv->name,
                             csv->line);
    return corrupt(ld, csv, csv->error ? csv->error : "malformed CSV record");
}

/* Reads one record into csv->field (arena strings). Returns 1 for a record, 0 at the end, -1 on
 * a record it cannot take (csv->error / csv->oom say why: csv_failed). A cell is never cut
 * short: one over 64 KiB is an error. */
static int csv_next(xc__regimes *reg, csv_file *csv)
{
    for (;;) {
        if (csv->p >= csv->end)
            return 0;
        if (*csv->p == '#' || *csv->p == '\n' || *csv->p == '\r') {
            const char *nl = memchr(csv->p, '\n', (size_t)(csv->end - csv->p));
            csv->p = nl ? nl + 1 : csv->end;
            csv->line++;
            continue;
        }
        break;
    }
    csv->line++;
    csv->field_count = 0;
    csv->error = NULL;
    csv->oom = false;
    xc_status put = XC_OK;
    xc__buf cell;
    xc__buf_init(&cell, 1 << 16);
    for (;;) {
        xc__buf_reset(&cell);
        int quoted = 0;
        if (csv->p < csv->end && *csv->p == '"') {
            quoted = 1;
            csv->p++;
        }
        for (;;) {
            if (csv->p >= csv->end) {
                if (quoted) {
                    xc__buf_free(&cell);
                    csv->error = "quoted field not closed before the end of the file";
                    return -1;
                }
                break;
            }
            char c = *csv->p;
            if (quoted) {
                if (c == '"') {
                    if (csv->p + 1 < csv->end && csv->p[1] == '"') {
                        if ((put = xc__buf_putc(&cell, '"')) != XC_OK)
                            goto cell_failed;
                        csv->p += 2;
                        continue;
                    }
                    quoted = 0;
                    csv->p++;
                    continue;
                }
                if (c == '\n')
                    csv->line++;
                if ((put = xc__buf_putc(&cell, c)) != XC_OK)
                    goto cell_failed;
                csv->p++;
                continue;
            }
            if (c == ',' || c == '\n' || c == '\r')
                break;
            if ((put = xc__buf_putc(&cell, c)) != XC_OK)
                goto cell_failed;
            csv->p++;
        }
        if (csv->field_count >= MAX_FIELDS) {
            xc__buf_free(&cell);
            csv->error = "too many fields";
            return -1;
        }
        char *s = xc__arena_strndup(reg->arena, cell.data ? cell.data : "", cell.len);
        if (!s) {
            xc__buf_free(&cell);
            csv->oom = true;
            return -1;
        }
        csv->field[csv->field_count++] = s;
        if (csv->p < csv->end && *csv->p == ',') {
            csv->p++;
            continue;
        }
        if (csv->p < csv->end && *csv->p == '\r')
            csv->p++;
        if (csv->p < csv->end && *csv->p == '\n')
            csv->p++;
        break;
    }
    xc__buf_free(&cell);
    return 1;
cell_failed:
    /* xc__buf fails with XC_TOOBIG past its 64 KiB maximum, else out of memory */
    if (put == XC_TOOBIG)
        csv->error = "field longer than 64 KiB";
    else
        csv->oom = true;
    xc__buf_free(&cell);
    return -1;
}

static xc_status csv_open(loader *ld, csv_file *csv, const char *name, char **owned)
{
    memset(csv, 0, sizeof *csv);
    csv->name = name;
    *owned = NULL;
    const char *data;
    size_t len;
    if (ld->dir) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", ld->dir, name) >= sizeof path)
            return xc__error_set(ld->err, XC_INVALID, "regimes_dir path too long");
        xc_status rc = xc__file_read(path, MAX_DATA_FILE, owned, &len, ld->err);
        if (rc != XC_OK)
            return rc;
        data = *owned;
    } else {
        char key[128];
        snprintf(key, sizeof key, "regimes/%s", name);
        data = xc__data_file(key, &len);
        if (!data)
            return xc__error_set(ld->err, XC_NODATA, "regime data file %s is not embedded", name);
    }
    xc__sha256_update(&ld->sha, data, len);
    csv->p = data;
    csv->end = data + len;
    int rc = csv_next(ld->reg, csv);
    if (rc < 0)
        return csv_failed(ld, csv);
    if (rc == 0)
        return corrupt(ld, csv, "no header row");
    memcpy(csv->header, csv->field, sizeof csv->field);
    csv->header_count = csv->field_count;
    return XC_OK;
}

/* The field of the current record under column `name`; "" when the column or cell is absent. */
static const char *col(const csv_file *csv, const char *name)
{
    for (size_t i = 0; i < csv->header_count; i++)
        if (strcmp(csv->header[i], name) == 0)
            return i < csv->field_count ? csv->field[i] : "";
    return "";
}

static bool has_col(const csv_file *csv, const char *name)
{
    for (size_t i = 0; i < csv->header_count; i++)
        if (strcmp(csv->header[i], name) == 0)
            return true;
    return false;
}

static xc_status need_cols(loader *ld, csv_file *csv, const char *const *names)
{
    for (; *names; names++)
        if (!has_col(csv, *names)) {
            char msg[128];
            snprintf(msg, sizeof msg, "missing column '%s'", *names);
            csv->line = 1;
            return corrupt(ld, csv, msg);
        }
    return XC_OK;
}

static int parse_conf(const char *s)
{
    if (strcmp(s, "verified") == 0)
        return XC__CONF_VERIFIED;
    if (strcmp(s, "secondary-consistent") == 0)
        return XC__CONF_SECONDARY_CONSISTENT;
    if (strcmp(s, "secondary") == 0)
        return XC__CONF_SECONDARY;
    if (strcmp(s, "uncertain") == 0)
        return XC__CONF_UNCERTAIN;
    return -1;
}

static bool citation_ok(const xc__regimes *reg, const char *citation)
{
    if (!*citation)
        return false;
    const char *p = citation;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        bool found = false;
        for (size_t i = 0; i < reg->source_count && !found; i++)
            if (strlen(reg->sources[i].key) == len && memcmp(reg->sources[i].key, p, len) == 0)
                found = true;
        if (!found)
            return false;
        p += len;
        if (*p == ';')
            p++;
    }
    return true;
}

static xc_status add_fact(loader *ld, const xc__fact *fact)
{
    if (ld->fact_count == ld->fact_cap) {
        size_t cap = ld->fact_cap ? ld->fact_cap * 2 : 256;
        const xc__fact **grown = xc__realloc((void *)ld->facts, cap * sizeof *grown);
        if (!grown)
            return xc__error_set(ld->err, XC_NOMEM, "out of memory loading regimes");
        ld->facts = grown;
        ld->fact_cap = cap;
    }
    ld->facts[ld->fact_count++] = fact;
    return XC_OK;
}

/* Fills the common columns (valid_from, valid_to, confidence, citation, text). */
static xc_status read_fact(loader *ld, csv_file *csv, xc__fact *fact, const char *rule, int jur,
                           const char *text)
{
    memset(fact, 0, sizeof *fact);
    fact->rule = rule;
    fact->jur = (uint8_t)jur;
    fact->probe_dest = XC__NO_COUNTRY;
    const char *from = col(csv, "valid_from"), *to = col(csv, "valid_to");
    fact->from = XC__DAY_OPEN_START;
    fact->to = XC__DAY_OPEN_END;
    if (*from && !xc__date_parse_iso(from, &fact->from))
        return corrupt(ld, csv, "bad valid_from date");
    if (*to && !xc__date_parse_iso(to, &fact->to))
        return corrupt(ld, csv, "bad valid_to date");
    if (fact->to <= fact->from)
        return corrupt(ld, csv, "valid_to is not after valid_from (valid_to is exclusive)");
    const char *conf = has_col(csv, "confidence") ? col(csv, "confidence") : "verified";
    int c = parse_conf(conf);
    if (c < 0)
        return corrupt(ld, csv, "unknown confidence (verified | secondary-consistent | secondary | "
                                "uncertain)");
    fact->conf = (uint8_t)c;
    fact->citation = col(csv, "citation");
    if (!citation_ok(ld->reg, fact->citation))
        return corrupt(ld, csv, "citation key not found in sources.csv");
    fact->text = text ? text : col(csv, "text");
    return XC_OK;
}

static uint16_t country_or_none(const xc__regimes *reg, const char *code)
{
    if (strlen(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
        return XC__NO_COUNTRY;
    uint16_t idx = xc__cidx(code);
    return reg->valid_country[idx] ? idx : XC__NO_COUNTRY;
}

/* Grows a table by one element (arrays are xc__realloc'd and freed at close). */
static void *grow(loader *ld, void **array, size_t *count, size_t size)
{
    void *grown = xc__realloc(*array, (*count + 1) * size);
    if (!grown) {
        xc__error_set(ld->err, XC_NOMEM, "out of memory loading regimes");
        return NULL;
    }
    *array = grown;
    void *slot = (char *)grown + *count * size;
    memset(slot, 0, size);
    (*count)++;
    return slot;
}

#define GROW(ld, arr, cnt) grow((ld), (void **)&(arr), &(cnt), sizeof *(arr))

/* ---- individual files ---- */

static xc_status load_countries(loader *ld)
{
    csv_file csv;
    char *owned;
    xc_status rc = csv_open(ld, &csv, "countries.csv", &owned);
    if (rc != XC_OK)
        return rc;
    int r;
    while ((r = csv_next(ld->reg, &csv)) > 0) {
        const char *code = col(&csv, "code");
        if (strlen(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') {
            rc = corrupt(ld, &csv, "bad country code");
            break;
        }
        uint16_t idx = xc__cidx(code);
        ld->reg->valid_country[idx] = 1;
        ld->reg->country_name[idx] = col(&csv, "name");
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    return rc;
}

static xc_status load_sources(loader *ld)
{
    csv_file csv;
    char *owned;
    xc_status rc = csv_open(ld, &csv, "sources.csv", &owned);
    if (rc != XC_OK)
        return rc;
    int r;
    while ((r = csv_next(ld->reg, &csv)) > 0) {
        xc__source *src = GROW(ld, ld->reg->sources, ld->reg->source_count);
        if (!src) {
            rc = XC_NOMEM;
            break;
        }
        src->key = col(&csv, "key");
        src->kind = col(&csv, "kind");
        src->title = col(&csv, "title");
        src->url = col(&csv, "url");
        src->date = col(&csv, "date");
        if (!*src->key || !*src->title) {
            rc = corrupt(ld, &csv, "source without key or title");
            break;
        }
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    return rc;
}

static const char *probe_item_for(int jur)
{
    switch (jur) {
    case XC__JUR_JP: return "6";
    case XC__JUR_KR: return "3C002";
    case XC__JUR_US: return "3C002";
    default: return "3C002";
    }
}

static xc_status load_members(loader *ld, const char *name, const char *rule)
{
    static const char *const cols[] = {"jurisdiction", "group", "country", "valid_from",
                                       "valid_to", "confidence", "citation", "text", NULL};
    csv_file csv;
    char *owned;
    xc_status rc = csv_open(ld, &csv, name, &owned);
    if (rc == XC_OK)
        rc = need_cols(ld, &csv, cols);
    int r = 0;
    while (rc == XC_OK && (r = csv_next(ld->reg, &csv)) > 0) {
        int jur = xc__jur_parse(col(&csv, "jurisdiction"));
        uint16_t country = country_or_none(ld->reg, col(&csv, "country"));
        const char *group = col(&csv, "group");
        if (jur < 0) {
            rc = corrupt(ld, &csv, "unknown jurisdiction");
            break;
        }
        if (country == XC__NO_COUNTRY) {
            rc = corrupt(ld, &csv, "unknown country code");
            break;
        }
        if (!*group || strlen(group) >= 8) {
            rc = corrupt(ld, &csv, "bad group");
            break;
        }
        xc__member *m = GROW(ld, ld->reg->members, ld->reg->member_count);
        if (!m) {
            rc = XC_NOMEM;
            break;
        }
        m->jur = (uint8_t)jur;
        memcpy(m->group, group, strlen(group) + 1);
        m->country = country;
        rc = read_fact(ld, &csv, &m->fact, rule, jur, NULL);
        m->fact.probe_dest = country;
        m->fact.probe_item = probe_item_for(jur);
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    return rc;
}

static xc_status load_jp_rows(loader *ld)
{
    csv_file csv;
    char *owned;
    xc_status rc = csv_open(ld, &csv, "jp_rows.csv", &owned);
    int r = 0;
    while (rc == XC_OK && (r = csv_next(ld->reg, &csv)) > 0) {
        xc__jp_row *row = GROW(ld, ld->reg->jp_rows, ld->reg->jp_row_count);
        if (!row) {
            rc = XC_NOMEM;
            break;
        }
        const char *code = col(&csv, "row");
        if (!*code || strlen(code) >= sizeof row->code) {
            rc = corrupt(ld, &csv, "bad row");
            break;
        }
        memcpy(row->code, code, strlen(code) + 1);
        row->catchall = strcmp(col(&csv, "control"), "catch-all") == 0;
        rc = read_fact(ld, &csv, &row->fact, row->catchall ? "jp.catchall_row" : "jp.list_row",
                       XC__JUR_JP, NULL);
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    return rc;
}

static xc_status load_jp_licences(loader *ld)
{
    csv_file csv;
    char *owned;
    xc_status rc = csv_open(ld, &csv, "jp_licences.csv", &owned);
    int r = 0;
    while (rc == XC_OK && (r = csv_next(ld->reg, &csv)) > 0) {
        xc__jp_licence *l = GROW(ld, ld->reg->jp_licences, ld->reg->jp_licence_count);
        if (!l) {
            rc = XC_NOMEM;
            break;
        }
        const char *kind = col(&csv, "licence"), *dest = col(&csv, "destination");
        const char *item = col(&csv, "item"), *effect = col(&csv, "effect");
        if (strcmp(kind, "bulk") == 0)
            l->kind = XC__LIC_ALL_BULK;
        else if (xc__licence_parse(kind) >= 0)
            l->kind = (uint8_t)xc__licence_parse(kind);
        else {
            rc = corrupt(ld, &csv, "unknown licence kind");
            break;
        }
        l->country = XC__NO_COUNTRY;
        if (strcmp(dest, "*") == 0)
            l->dest_kind = XC__DEST_ANY;
        else if (strcmp(dest, "group:A") == 0)
            l->dest_kind = XC__DEST_GROUP_A;
        else if (strcmp(dest, "group:nonA") == 0)
            l->dest_kind = XC__DEST_NON_A;
        else if ((l->country = country_or_none(ld->reg, dest)) != XC__NO_COUNTRY)
            l->dest_kind = XC__DEST_COUNTRY;
        else {
            rc = corrupt(ld, &csv, "bad destination");
            break;
        }
        if (strcmp(item, "list") == 0)
            l->item_kind = XC__ITEM_LIST;
        else if (strcmp(item, "catchall") == 0)
            l->item_kind = XC__ITEM_CATCHALL;
        else if (*item && strlen(item) < sizeof l->item) {
            l->item_kind = XC__ITEM_ROW;
            memcpy(l->item, item, strlen(item) + 1);
        } else {
            rc = corrupt(ld, &csv, "bad item");
            break;
        }
        if (strcmp(effect, "available") == 0)
            l->effect = XC__EFFECT_AVAILABLE;
        else if (strcmp(effect, "unavailable") == 0)
            l->effect = XC__EFFECT_UNAVAILABLE;
        else if (strcmp(effect, "possible") == 0)
            l->effect = XC__EFFECT_POSSIBLE;
        else {
            rc = corrupt(ld, &csv, "bad effect");
            break;
        }
        rc = read_fact(ld, &csv, &l->fact, "jp.licence", XC__JUR_JP, NULL);
        l->fact.probe_dest = l->dest_kind == XC__DEST_COUNTRY ? l->country
                             : l->dest_kind == XC__DEST_NON_A ? xc__cidx("CN")
                                                              : xc__cidx("US");
        l->fact.probe_item = l->item_kind == XC__ITEM_ROW
                                 ? xc__arena_strdup(ld->reg->arena, l->item)
                             : l->item_kind == XC__ITEM_CATCHALL ? "16"
                                                                 : "6";
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    return rc;
}

static xc_status load_jp_catchall(loader *ld)
{
    csv_file csv;
    char *owned;
    xc_status rc = csv_open(ld, &csv, "jp_catchall.csv", &owned);
    int r = 0;
    while (rc == XC_OK && (r = csv_next(ld->reg, &csv)) > 0) {
        xc__jp_catchall *c = GROW(ld, ld->reg->jp_catchall, ld->reg->jp_catchall_count);
        if (!c) {
            rc = XC_NOMEM;
            break;
        }
        const char *scope = col(&csv, "scope"), *req = col(&csv, "requirement");
        const char *effect = col(&csv, "effect");
        if (strcmp(scope, "groupA") != 0 && strcmp(scope, "nonA") != 0) {
            rc = corrupt(ld, &csv, "scope must be groupA or nonA");
            break;
        }
        if (strcmp(req, "objective") != 0 && strcmp(req, "inform") != 0) {
            rc = corrupt(ld, &csv, "requirement must be objective or inform");
            break;
        }
        if (strcmp(effect, "applies") != 0 && strcmp(effect, "not_applicable") != 0) {
            rc = corrupt(ld, &csv, "effect must be applies or not_applicable");
            break;
        }
        c->group_a = strcmp(scope, "groupA") == 0;
        c->inform = strcmp(req, "inform") == 0;
        c->applies = strcmp(effect, "applies") == 0;
        rc = read_fact(ld, &csv, &c->fact, "jp.catchall", XC__JUR_JP, NULL);
        c->fact.probe_dest = c->group_a ? xc__cidx("US") : xc__cidx("CN");
        c->fact.probe_item = "16";
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    return rc;
}

/* Files with a destination column: jp_embargoes.csv, eu_rules.csv. */
static xc_status load_dest_facts(loader *ld, const char *name, const char *rule, int jur,
                                 xc__dest_fact **table, size_t *count)
{
    csv_file csv;
    char *owned;
    xc_status rc = csv_open(ld, &csv, name, &owned);
    int r = 0;
    while (rc == XC_OK && (r = csv_next(ld->reg, &csv)) > 0) {
        xc__dest_fact *d = grow(ld, (void **)table, count, sizeof **table);
        if (!d) {
            rc = XC_NOMEM;
            break;
        }
        const char *dest = col(&csv, "destination");
        d->country = XC__NO_COUNTRY;
        if (strcmp(dest, "*") != 0 && (d->country = country_or_none(ld->reg, dest)) ==
                                          XC__NO_COUNTRY) {
            rc = corrupt(ld, &csv, "bad destination");
            break;
        }
        const char *kind = col(&csv, "rule");
        d->kind = strcmp(kind, "restrictive") == 0;
        rc = read_fact(ld, &csv, &d->fact, rule, jur, NULL);
        if (jur == XC__JUR_EU && d->kind)
            d->fact.rule = "eu.restrictive";
        d->fact.probe_dest = d->country != XC__NO_COUNTRY ? d->country : xc__cidx("JP");
        d->fact.probe_item = jur == XC__JUR_JP ? "6" : "3C002";
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    return rc;
}

static xc_status load_kr_procs(loader *ld)
{
    csv_file csv;
    char *owned;
    xc_status rc = csv_open(ld, &csv, "kr_procedures.csv", &owned);
    int r = 0;
    while (rc == XC_OK && (r = csv_next(ld->reg, &csv)) > 0) {
        xc__kr_proc *p = GROW(ld, ld->reg->kr_procs, ld->reg->kr_proc_count);
        if (!p) {
            rc = XC_NOMEM;
            break;
        }
        const char *region = col(&csv, "region"), *param = col(&csv, "parameter");
        if (!*region || strlen(region) >= sizeof p->region) {
            rc = corrupt(ld, &csv, "bad region");
            break;
        }
        memcpy(p->region, region, strlen(region) + 1);
        if (strcmp(param, "documents") == 0)
            p->param = XC__KR_DOCS;
        else if (strcmp(param, "review_days") == 0)
            p->param = XC__KR_REVIEW;
        else if (strcmp(param, "comprehensive") == 0)
            p->param = XC__KR_COMPREHENSIVE;
        else {
            rc = corrupt(ld, &csv, "unknown parameter");
            break;
        }
        p->value = col(&csv, "value");
        rc = read_fact(ld, &csv, &p->fact, "kr.procedure", XC__JUR_KR, NULL);
        p->fact.probe_dest = xc__cidx("JP");
        p->fact.probe_item = "3C002";
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    return rc;
}

static xc_status load_eu_annex1(loader *ld)
{
    csv_file csv;
    char *owned;
    xc_status rc = csv_open(ld, &csv, "eu_annex1.csv", &owned);
    int r = 0;
    while (rc == XC_OK && (r = csv_next(ld->reg, &csv)) > 0) {
        xc__eu_entry *e = GROW(ld, ld->reg->eu_annex1, ld->reg->eu_annex1_count);
        if (!e) {
            rc = XC_NOMEM;
            break;
        }
        const char *code = col(&csv, "code");
        if (strlen(code) != 5) {
            rc = corrupt(ld, &csv, "code must be a five-character entry");
            break;
        }
        memcpy(e->code, code, 6);
        rc = read_fact(ld, &csv, &e->fact, "eu.annex1", XC__JUR_EU, NULL);
        e->fact.probe_dest = xc__cidx("CN");
        e->fact.probe_item = xc__arena_strdup(ld->reg->arena, e->code);
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    return rc;
}

/* ---- US ---- */

static int column_index(const char *s, size_t len)
{
    static const char *const names[] = {"CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1",
                                        "RS1", "RS2", "FC1", "CC1", "CC2", "CC3", "AT1", "AT2"};
    for (int i = 0; i < 16; i++)
        if (len == 3 && memcmp(names[i], s, 3) == 0)
            return i;
    return -1;
}

static int us_group_index(const char *s, size_t len)
{
    static const char *const names[] = {"A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B",
                                        "D:1", "D:2", "D:3", "D:4", "D:5", "E:1", "E:2"};
    for (int i = 0; i < XC__USG_COUNT; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return -1;
}

/* Splits "a;b;c" calling fn on each part; returns false when fn does. */
typedef bool (*part_fn)(void *ctx, const char *s, size_t len);
static bool each_part(const char *list, part_fn fn, void *ctx)
{
    const char *p = list;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        if (len && !fn(ctx, p, len))
            return false;
        p += len;
        if (*p == ';')
            p++;
    }
    return true;
}

static bool add_column(void *ctx, const char *s, size_t len)
{
    int i = column_index(s, len);
    if (i < 0)
        return false;
    *(uint16_t *)ctx |= (uint16_t)(1u << i);
    return true;
}

static bool add_footnote(void *ctx, const char *s, size_t len)
{
    char buf[8];
    if (len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    long n = strtol(buf, &end, 10);
    if (*end || n < 1 || n > 15)
        return false;
    *(uint16_t *)ctx |= (uint16_t)(1u << n);
    return true;
}

static xc_status load_us_chart(loader *ld)
{
    csv_file csv;
    char *owned;
    xc__regimes *reg = ld->reg;
    xc_status rc = csv_open(ld, &csv, "us_country_chart.csv", &owned);
    int r = 0;
    while (rc == XC_OK && (r = csv_next(reg, &csv)) > 0) {
        uint16_t c = country_or_none(reg, col(&csv, "country"));
        if (c == XC__NO_COUNTRY) {
            rc = corrupt(ld, &csv, "unknown country code");
            break;
        }
        xc__us_chart *row = &reg->us_chart[c];
        row->present = 1;
        row->inherits = XC__NO_COUNTRY;
        if (!each_part(col(&csv, "marks"), add_column, &row->marks) ||
            !each_part(col(&csv, "footnotes"), add_footnote, &row->footnotes)) {
            rc = corrupt(ld, &csv, "bad marks or footnotes");
            break;
        }
        const char *emb = col(&csv, "embargo"), *inh = col(&csv, "inherits");
        row->embargo = *emb ? emb : NULL;
        if (*inh && (row->inherits = country_or_none(reg, inh)) == XC__NO_COUNTRY) {
            rc = corrupt(ld, &csv, "bad inherits");
            break;
        }
        char *text = xc__arena_strdup(reg->arena, "");
        xc__buf b;
        xc__buf_init(&b, 4096);
        if (row->embargo)
            xc__buf_printf(&b, "Commerce Country Chart row for %s carries no marks: %s",
                           col(&csv, "name"), row->embargo);
        else if (*inh)
            xc__buf_printf(&b, "%s has no Country Chart row: governed by the row for %s",
                           col(&csv, "name"), inh);
        else
            xc__buf_printf(&b, "Commerce Country Chart row for %s: X in %s",
                           col(&csv, "name"),
                           *col(&csv, "marks") ? col(&csv, "marks") : "no column");
        if (b.data)
            text = xc__arena_strdup(reg->arena, b.data);
        xc__buf_free(&b);
        rc = read_fact(ld, &csv, &row->fact, "us.chart", XC__JUR_US, text);
        row->fact.probe_dest = c;
        row->fact.probe_item = "3C002";
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    if (rc != XC_OK)
        return rc;
    /* footnotes */
    rc = csv_open(ld, &csv, "us_footnotes.csv", &owned);
    while (rc == XC_OK && (r = csv_next(reg, &csv)) > 0) {
        long n = strtol(col(&csv, "number"), NULL, 10);
        if (n < 1 || n > 15) {
            rc = corrupt(ld, &csv, "bad footnote number");
            break;
        }
        rc = read_fact(ld, &csv, &reg->us_footnote[n], "us.chart_footnote", XC__JUR_US, NULL);
    }
    xc__free_mem(owned);
    return rc;
}

typedef struct destset_ctx {
    xc__regimes *reg;
    uint8_t *set;
    uint8_t fn1;
} destset_ctx;

static bool destset_part(void *vctx, const char *s, size_t len)
{
    destset_ctx *ctx = vctx;
    bool exclude = s[0] == '-';
    if (exclude) {
        s++;
        len--;
    }
    int g = us_group_index(s, len);
    if (g >= 0) {
        for (int c = 0; c < XC__NCOUNTRY; c++)
            if (ctx->reg->us_groups[c] & (1u << g)) {
                if (exclude)
                    ctx->set[c / 8] &= (uint8_t)~(1u << (c % 8));
                else
                    ctx->set[c / 8] |= (uint8_t)(1u << (c % 8));
            }
        return true;
    }
    if (len == 3 && memcmp(s, "ALL", 3) == 0) {
        memset(ctx->set, 0xFF, (XC__NCOUNTRY + 7) / 8);
        return true;
    }
    if (len == 3 && memcmp(s, "FN1", 3) == 0) {
        for (int c = 0; c < XC__NCOUNTRY; c++)
            if (ctx->reg->us_chart[c].footnotes & (1u << 1))
                ctx->set[c / 8] |= (uint8_t)(1u << (c % 8));
        return true;
    }
    if (len == 2) {
        char code[3] = {s[0], s[1], 0};
        uint16_t c = country_or_none(ctx->reg, code);
        if (c == XC__NO_COUNTRY)
            return false;
        if (exclude)
            ctx->set[c / 8] &= (uint8_t)~(1u << (c % 8));
        else
            ctx->set[c / 8] |= (uint8_t)(1u << (c % 8));
        return true;
    }
    return false;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const xc__us_entry *)a)->eccn, ((const xc__us_entry *)b)->eccn);
}

static xc_status load_us_ccl(loader *ld)
{
    csv_file csv;
    char *owned;
    xc__regimes *reg = ld->reg;
    xc_status rc = csv_open(ld, &csv, "us_ccl.csv", &owned);
    int r = 0;
    while (rc == XC_OK && (r = csv_next(reg, &csv)) > 0) {
        xc__us_entry *e = GROW(ld, reg->us_entries, reg->us_entry_count);
        if (!e) {
            rc = XC_NOMEM;
            break;
        }
        const char *eccn = col(&csv, "eccn");
        if (strlen(eccn) != 5) {
            rc = corrupt(ld, &csv, "bad ECCN");
            break;
        }
        memcpy(e->eccn, eccn, 6);
        const char *lvs = col(&csv, "lvs_limit");
        e->lvs_limit = *lvs ? strtoll(lvs, NULL, 10) : -1;
        e->lvs_note = *col(&csv, "lvs_note") ? col(&csv, "lvs_note") : NULL;
        const char *gbs = col(&csv, "gbs");
        e->gbs = strcmp(gbs, "yes") == 0           ? XC__GBS_YES
                 : strcmp(gbs, "conditional") == 0 ? XC__GBS_CONDITIONAL
                                                   : XC__GBS_NO;
        e->gbs_note = *col(&csv, "gbs_note") ? col(&csv, "gbs_note") : NULL;
        char text[600];
        snprintf(text, sizeof text, "%s is on the Commerce Control List: %s", eccn,
                 col(&csv, "heading"));
        rc = read_fact(ld, &csv, &e->fact, "us.ccl", XC__JUR_US,
                       xc__arena_strdup(reg->arena, text));
        e->fact.probe_dest = xc__cidx("CN");
        e->fact.probe_item = xc__arena_strdup(reg->arena, e->eccn);
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    if (rc != XC_OK)
        return rc;
    qsort(reg->us_entries, reg->us_entry_count, sizeof *reg->us_entries, cmp_entry);

    rc = csv_open(ld, &csv, "us_ccl_rows.csv", &owned);
    xc__us_entry *cur = NULL;
    while (rc == XC_OK && (r = csv_next(reg, &csv)) > 0) {
        const char *eccn = col(&csv, "eccn");
        if (!cur || strcmp(cur->eccn, eccn) != 0) {
            xc__us_entry key;
            xc__strlcpy(key.eccn, eccn, sizeof key.eccn);
            cur = bsearch(&key, reg->us_entries, reg->us_entry_count, sizeof key, cmp_entry);
            if (!cur || cur->row_count) {
                rc = corrupt(ld, &csv, "row for an unknown ECCN, or rows not grouped by ECCN");
                break;
            }
            cur->row_start = (uint32_t)reg->us_row_count;
        }
        xc__us_row *row = GROW(ld, reg->us_rows, reg->us_row_count);
        if (!row) {
            rc = XC_NOMEM;
            break;
        }
        cur->row_count++;
        xc__strlcpy(row->reason, col(&csv, "reason"), sizeof row->reason);
        row->entire = strcmp(col(&csv, "scope"), "entire") == 0;
        const char *paragraphs = col(&csv, "paragraphs");
        row->paragraphs = *paragraphs ? xc__arena_strdup(reg->arena, paragraphs) : NULL;
        if (*paragraphs && !row->paragraphs) {
            rc = XC_NOMEM;
            break;
        }
        const char *cols = col(&csv, "columns"), *dest = col(&csv, "destinations");
        if (*cols) {
            row->dest_kind = XC__US_DEST_COLUMNS;
            if (!each_part(cols, add_column, &row->columns)) {
                rc = corrupt(ld, &csv, "bad columns");
                break;
            }
        } else if (strcmp(dest, "?") == 0 || !*dest) {
            row->dest_kind = XC__US_DEST_UNKNOWN;
        } else {
            row->dest_kind = XC__US_DEST_SET;
            destset_ctx ctx = {reg, row->destset, 0};
            if (!each_part(dest, destset_part, &ctx)) {
                rc = corrupt(ld, &csv, "bad destinations");
                break;
            }
        }
        char text[700];
        snprintf(text, sizeof text, "%s License Requirements: %s", eccn, col(&csv, "control"));
        rc = read_fact(ld, &csv, &row->fact, "us.ccl_reason", XC__JUR_US,
                       xc__arena_strdup(reg->arena, text));
        row->fact.probe_dest = xc__cidx("CN");
        row->fact.probe_item = xc__arena_strdup(reg->arena, cur->eccn);
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    if (rc != XC_OK)
        return rc;

    rc = csv_open(ld, &csv, "us_all_destinations.csv", &owned);
    while (rc == XC_OK && (r = csv_next(reg, &csv)) > 0) {
        xc__us_alldest *a = GROW(ld, reg->us_alldest, reg->us_alldest_count);
        if (!a) {
            rc = XC_NOMEM;
            break;
        }
        const char *code = col(&csv, "code"), *kind = col(&csv, "kind");
        if (!*code || strlen(code) >= sizeof a->code) {
            rc = corrupt(ld, &csv, "bad code");
            break;
        }
        memcpy(a->code, code, strlen(code) + 1);
        a->kind = strncmp(kind, "gov_only", 8) == 0 ? XC__ALLDEST_GOV_ONLY : XC__ALLDEST_NO_EXC;
        a->conditional = strstr(kind, "_conditional") != NULL;
        rc = read_fact(ld, &csv, &a->fact, "us.all_destinations", XC__JUR_US, NULL);
        a->fact.probe_dest = xc__cidx("JP");
        a->fact.probe_item = xc__arena_strdup(reg->arena, a->code);
    }
    xc__free_mem(owned);
    return rc;
}

static int cmp_event(const void *a, const void *b)
{
    const xc__event *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return (int)x->in_force - (int)y->in_force;
}

static xc_status load_events(loader *ld)
{
    csv_file csv;
    char *owned;
    xc__regimes *reg = ld->reg;
    xc_status rc = csv_open(ld, &csv, "timeline.csv", &owned);
    int r = 0;
    while (rc == XC_OK && (r = csv_next(reg, &csv)) > 0) {
        xc__event *e = GROW(ld, reg->events, reg->event_count);
        if (!e) {
            rc = XC_NOMEM;
            break;
        }
        xc__fact tmp;
        rc = read_fact(ld, &csv, &tmp, "timeline", 0, NULL);
        if (rc != XC_OK)
            break;
        if (tmp.from == XC__DAY_OPEN_START) {
            rc = corrupt(ld, &csv, "an event needs valid_from");
            break;
        }
        e->from = tmp.from;
        e->to = tmp.to;
        e->conf = tmp.conf;
        e->citation = tmp.citation;
        e->text = tmp.text;
        xc__strlcpy(e->jur, col(&csv, "jurisdiction"), sizeof e->jur);
        const char *countries = col(&csv, "countries");
        const char *semi = strchr(countries, ';');
        if (!semi || semi - countries != 2 || strlen(semi + 1) < 1) {
            rc = corrupt(ld, &csv, "countries must be 'XX;YY' or 'XX;*'");
            break;
        }
        char a[3] = {countries[0], countries[1], 0};
        e->a_eu = strcmp(a, "EU") == 0;
        e->a = e->a_eu ? XC__NO_COUNTRY : country_or_none(reg, a);
        e->b = strcmp(semi + 1, "*") == 0 ? XC__NO_COUNTRY : country_or_none(reg, semi + 1);
        if ((!e->a_eu && e->a == XC__NO_COUNTRY) ||
            (e->b == XC__NO_COUNTRY && strcmp(semi + 1, "*") != 0)) {
            rc = corrupt(ld, &csv, "unknown country in countries");
            break;
        }
        e->step = col(&csv, "step");
        e->instrument = col(&csv, "instrument");
        e->in_force = strcmp(col(&csv, "in_force"), "yes") == 0;
    }
    if (r < 0 && rc == XC_OK)
        rc = csv_failed(ld, &csv);
    xc__free_mem(owned);
    if (rc == XC_OK)
        qsort(reg->events, reg->event_count, sizeof *reg->events, cmp_event);
    return rc;
}

/* ---- assembly ---- */

static int cmp_member(const void *a, const void *b)
{
    const xc__member *x = a, *y = b;
    if (x->jur != y->jur)
        return x->jur - y->jur;
    if (x->country != y->country)
        return x->country - y->country;
    if (x->fact.from != y->fact.from)
        return x->fact.from < y->fact.from ? -1 : 1;
    return strcmp(x->group, y->group);
}

static int cmp_day(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

static xc_status index_tables(loader *ld)
{
    xc__regimes *reg = ld->reg;
    qsort(reg->members, reg->member_count, sizeof *reg->members, cmp_member);
    for (size_t i = reg->member_count; i-- > 0;) {
        xc__member *m = &reg->members[i];
        reg->member_first[m->jur][m->country] = (uint32_t)i;
        reg->member_n[m->jur][m->country]++;
        if (m->jur == XC__JUR_US) {
            int g = us_group_index(m->group, strlen(m->group));
            if (g >= 0)
                reg->us_groups[m->country] |= (uint16_t)(1u << g);
            if (g == XC__USG_B)
                reg->us_group_b[m->country] = m;
        }
        if (m->jur == XC__JUR_EU && strcmp(m->group, "EU") == 0)
            reg->eu_member[m->country] = 1;
    }
    return XC_OK;
}

static xc_status collect_facts(loader *ld)
{
    xc__regimes *reg = ld->reg;
    xc_status rc = XC_OK;
    for (size_t i = 0; i < reg->member_count && rc == XC_OK; i++)
        rc = add_fact(ld, &reg->members[i].fact);
    for (size_t i = 0; i < reg->jp_licence_count && rc == XC_OK; i++)
        rc = add_fact(ld, &reg->jp_licences[i].fact);
    for (size_t i = 0; i < reg->jp_catchall_count && rc == XC_OK; i++)
        rc = add_fact(ld, &reg->jp_catchall[i].fact);
    for (size_t i = 0; i < reg->jp_embargo_count && rc == XC_OK; i++)
        rc = add_fact(ld, &reg->jp_embargoes[i].fact);
    for (size_t i = 0; i < reg->kr_proc_count && rc == XC_OK; i++)
        rc = add_fact(ld, &reg->kr_procs[i].fact);
    for (size_t i = 0; i < reg->eu_rule_count && rc == XC_OK; i++)
        rc = add_fact(ld, &reg->eu_rules[i].fact);
    if (rc != XC_OK)
        return rc;
    reg->facts = ld->facts;
    reg->fact_count = ld->fact_count;
    ld->facts = NULL;
    /* boundaries: every finite from/to */
    reg->boundaries = xc__malloc((reg->fact_count * 2 + 1) * sizeof *reg->boundaries);
    if (!reg->boundaries)
        return xc__error_set(ld->err, XC_NOMEM, "out of memory loading regimes");
    size_t n = 0;
    for (size_t i = 0; i < reg->fact_count; i++) {
        if (reg->facts[i]->from != XC__DAY_OPEN_START)
            reg->boundaries[n++] = reg->facts[i]->from;
        if (reg->facts[i]->to != XC__DAY_OPEN_END)
            reg->boundaries[n++] = reg->facts[i]->to;
    }
    qsort(reg->boundaries, n, sizeof *reg->boundaries, cmp_day);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || reg->boundaries[k - 1] != reg->boundaries[i])
            reg->boundaries[k++] = reg->boundaries[i];
    reg->boundary_count = k;
    return XC_OK;
}

xc_status xc__regimes_open(xc__regimes **out, const char *dir, xc_error *err)
{
    *out = NULL;
    xc__regimes *reg = xc__calloc(1, sizeof *reg);
    if (!reg)
        return xc__error_set(err, XC_NOMEM, "out of memory loading regimes");
    reg->arena = xc__arena_new(1 << 16);
    if (!reg->arena) {
        xc__free_mem(reg);
        return xc__error_set(err, XC_NOMEM, "out of memory loading regimes");
    }
    for (int c = 0; c < XC__NCOUNTRY; c++) {
        reg->codes[c][0] = (char)('A' + c / 26);
        reg->codes[c][1] = (char)('A' + c % 26);
        reg->codes[c][2] = 0;
    }
    loader ld = {.reg = reg, .dir = dir, .err = err};
    xc__sha256_init(&ld.sha);
    xc_status rc = load_countries(&ld);
    if (rc == XC_OK)
        rc = load_sources(&ld);
    if (rc == XC_OK)
        rc = load_members(&ld, "jp_groups.csv", "jp.group");
    if (rc == XC_OK)
        rc = load_members(&ld, "kr_regions.csv", "kr.region");
    if (rc == XC_OK)
        rc = load_members(&ld, "eu_members.csv", "eu.member");
    if (rc == XC_OK)
        rc = load_members(&ld, "eu_ugea.csv", "eu.ugea");
    if (rc == XC_OK)
        rc = load_members(&ld, "us_country_groups.csv", "us.country_group");
    if (rc == XC_OK)
        rc = load_jp_rows(&ld);
    if (rc == XC_OK)
        rc = load_jp_licences(&ld);
    if (rc == XC_OK)
        rc = load_jp_catchall(&ld);
    if (rc == XC_OK)
        rc = load_dest_facts(&ld, "jp_embargoes.csv", "jp.embargo", XC__JUR_JP,
                             &reg->jp_embargoes, &reg->jp_embargo_count);
    if (rc == XC_OK)
        rc = load_kr_procs(&ld);
    if (rc == XC_OK)
        rc = load_eu_annex1(&ld);
    if (rc == XC_OK)
        rc = load_dest_facts(&ld, "eu_rules.csv", "eu.regulation", XC__JUR_EU, &reg->eu_rules,
                             &reg->eu_rule_count);
    if (rc == XC_OK)
        rc = index_tables(&ld); /* US groups are needed by the CCL destination scopes */
    if (rc == XC_OK)
        rc = load_us_chart(&ld);
    if (rc == XC_OK)
        rc = load_us_ccl(&ld);
    if (rc == XC_OK)
        rc = load_events(&ld);
    if (rc == XC_OK)
        rc = collect_facts(&ld);
    xc__free_mem((void *)ld.facts);
    if (rc != XC_OK) {
        xc__regimes_close(reg);
        return rc;
    }
    unsigned char digest[32];
    xc__sha256_final(&ld.sha, digest);
    char hex[65];
    xc__hex(digest, 32, hex);
    snprintf(reg->version, sizeof reg->version, "regimes sha256:%.12s", hex);
    xc__date_parse_iso("2026-07-23", &reg->us_edition);
    *out = reg;
    return XC_OK;
}

void xc__regimes_close(xc__regimes *reg)
{
    if (!reg)
        return;
    xc__free_mem(reg->sources);
    xc__free_mem(reg->members);
    xc__free_mem(reg->jp_rows);
    xc__free_mem(reg->jp_licences);
    xc__free_mem(reg->jp_catchall);
    xc__free_mem(reg->jp_embargoes);
    xc__free_mem(reg->kr_procs);
    xc__free_mem(reg->eu_annex1);
    xc__free_mem(reg->eu_rules);
    xc__free_mem(reg->us_entries);
    xc__free_mem(reg->us_rows);
    xc__free_mem(reg->us_alldest);
    xc__free_mem(reg->events);
    xc__free_mem((void *)reg->facts);
    xc__free_mem(reg->boundaries);
    xc__arena_free(reg->arena);
    xc__free_mem(reg);
}

uint16_t xc__regimes_country(const xc__regimes *reg, const char *code)
{
    return country_or_none(reg, code);
}

const char *xc__regimes_country_code(const xc__regimes *reg, uint16_t country)
{
    return country < XC__NCOUNTRY ? reg->codes[country] : "";
}

bool xc__regimes_is_eu_member(const xc__regimes *reg, uint16_t country)
{
    return country < XC__NCOUNTRY && reg->eu_member[country];
}

const xc__fact *const *xc__regimes_facts(const xc__regimes *reg, size_t *count)
{
    *count = reg->fact_count;
    return reg->facts;
}

const int32_t *xc__regimes_boundaries(const xc__regimes *reg, size_t *count)
{
    *count = reg->boundary_count;
    return reg->boundaries;
}

const char *xc__regimes_version(const xc__regimes *reg)
{
    return reg->version;
}

int32_t xc__regimes_us_edition(const xc__regimes *reg)
{
    return reg->us_edition;
}
