/*
 * api.c — the public licence-determination calls of xcheck.h: JSON shipment in (jansson) -> an
 * xc__shipment -> xc__decide_item per item (decide.c) -> JSON out (bounded buffer). Parties are
 * screened once per shipment with the public xc_screen on the engine; the hits become bits the
 * decision reads. Also the dated views: groups of a country on a date, the timeline between two
 * countries, and decisions over a period (--between) split where anything changes.
 */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tables.h"
#include "../match/engine.h"


/* Appends a string literal (its length known at compile time). */
#define PUT(b, lit) app((b), (lit), sizeof(lit) - 1)

#define MAX_ITEMS 1000
#define MAX_PARTIES 100
#define MAX_OUTPUT (64u << 20)

/* ---- JSON writing ---- */

/* Rendering appends: the first failed append (out of memory, over the ceiling) makes the buffer
 * refuse every later one (max = 0), so a truncated document is never returned as success. */
static xc_status app(xc__buf *b, const void *data, size_t len)
{
    xc_status rc = xc__buf_append(b, data, len);
    if (rc != XC_OK)
        b->max = 0;
    return rc;
}

static xc_status appc(xc__buf *b, char c)
{
    return app(b, &c, 1);
}

static xc_status appf(xc__buf *b, const char *fmt, ...) XC__PRINTF(2, 3);
static xc_status appf(xc__buf *b, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->max = 0;
        return XC_INVALID;
    }
    if ((size_t)n < sizeof text)
        return app(b, text, (size_t)n);
    char *big = xc__malloc((size_t)n + 1);
    if (!big) {
        b->max = 0;
        return XC_NOMEM;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    xc_status rc = app(b, big, (size_t)n);
    xc__free_mem(big);
    return rc;
}


static void put_str(xc__buf *b, const char *s)
{
    appc(b, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            appc(b, '\\');
            appc(b, (char)*p);
        } else if (*p < 0x20) {
            appf(b, "\\u%04x", *p);
        } else {
            appc(b, (char)*p);
        }
    }
    appc(b, '"');
}

static void put_day(xc__buf *b, int32_t day)
{
    if (day == XC__DAY_OPEN_START || day == XC__DAY_OPEN_END) {
        PUT(b, "null");
        return;
    }
    char s[11];
    xc__date_format(day, s);
    put_str(b, s);
}

static void put_licences(xc__buf *b, uint32_t mask)
{
    appc(b, '[');
    bool first = true;
    for (int k = 0; k < XC__LIC_COUNT; k++)
        if (mask & (1u << k)) {
            if (!first)
                appc(b, ',');
            put_str(b, xc__licence_name(k));
            first = false;
        }
    appc(b, ']');
}

static void reason_text(xc__buf *b, const xc__reason *r)
{
    xc__buf t;
    xc__buf_init(&t, 1 << 16);
    appf(&t, "%s", r->fact->text);
    if (r->arg)
        appf(&t, ": %s", r->arg);
    if (r->has_num)
        appf(&t, " (limit $%.0f)", r->num);
    if (!t.data || t.max == 0)
        b->max = 0;
    put_str(b, t.data ? t.data : "");
    xc__buf_free(&t);
}

static void put_reason(xc__buf *b, const xc__reason *r)
{
    PUT(b, "{\"rule\":");
    put_str(b, r->fact->rule);
    PUT(b, ",\"text\":");
    reason_text(b, r);
    PUT(b, ",\"citation\":");
    if (*r->fact->citation)
        put_str(b, r->fact->citation);
    else
        PUT(b, "null");
    PUT(b, ",\"confidence\":");
    put_str(b, xc__conf_name(r->fact->conf));
    PUT(b, ",\"valid_from\":");
    put_day(b, r->fact->from);
    PUT(b, ",\"valid_to\":");
    put_day(b, r->fact->to);
    appc(b, '}');
}

static void put_decision(xc__buf *b, const xc__regimes *reg, const xc__decision *d)
{
    PUT(b, "{\"jurisdiction\":");
    put_str(b, xc__jur_name(d->jur));
    PUT(b, ",\"item\":");
    put_str(b, d->item->code);
    if (d->item->description) {
        PUT(b, ",\"description\":");
        put_str(b, d->item->description);
    }
    PUT(b, ",\"outcome\":");
    put_str(b, xc__outcome_name(d->outcome));
    PUT(b, ",\"licences\":");
    put_licences(b, d->licences);
    PUT(b, ",\"covered_by\":");
    put_licences(b, d->covered);
    PUT(b, ",\"reasons\":[");
    for (int i = 0; i < d->reason_count; i++) {
        if (i)
            appc(b, ',');
        put_reason(b, &d->reasons[i]);
    }
    PUT(b, "],\"data_version\":");
    if (d->jur == XC__JUR_US)
        appf(b, "\"%s; eCFR 2026-07-23\"", xc__regimes_version(reg));
    else
        put_str(b, xc__regimes_version(reg));
    appc(b, '}');
}

/* ---- JSON reading ---- */

static xc_status bad(xc_error *err, const char *field, const char *what)
{
    return xc__error_set(err, XC_INVALID, "%s: %s", field, what);
}

static xc_status country_field(const xc__regimes *reg, json_t *obj, const char *name,
                               bool allow_eu, uint16_t *out, uint8_t *is_eu, xc_error *err)
{
    json_t *v = json_object_get(obj, name);
    if (!v)
        return bad(err, name, "missing (ISO 3166 alpha-2 country code)");
    if (!json_is_string(v))
        return bad(err, name, "must be a string (ISO 3166 alpha-2 country code)");
    const char *s = json_string_value(v);
    if (is_eu)
        *is_eu = 0;
    if (allow_eu && strcmp(s, "EU") == 0) {
        *out = XC__NO_COUNTRY;
        *is_eu = 1;
        return XC_OK;
    }
    uint16_t c = xc__regimes_country(reg, s);
    if (c == XC__NO_COUNTRY)
        return xc__error_set(err, XC_INVALID, "%s: unknown country code '%.16s' (ISO 3166 alpha-2)",
                             name, s);
    *out = c;
    if (is_eu)
        *is_eu = xc__regimes_is_eu_member(reg, c);
    return XC_OK;
}

static xc_status parse_shipment(const xc__regimes *reg, json_t *root, xc__arena *arena,
                                xc__shipment *s, bool need_date, xc_error *err)
{
    memset(s, 0, sizeof *s);
    if (!json_is_object(root))
        return xc__error_set(err, XC_PARSE, "shipment: expected a JSON object");
    json_t *v = json_object_get(root, "date");
    if (need_date || v) {
        if (!v)
            return bad(err, "date", "missing (YYYY-MM-DD)");
        if (!json_is_string(v) || !xc__date_parse_iso(json_string_value(v), &s->date))
            return bad(err, "date", "expected a valid date YYYY-MM-DD");
    }
    xc_status rc = country_field(reg, root, "exporter", true, &s->exporter, &s->exporter_eu, err);
    if (rc != XC_OK)
        return rc;
    uint8_t dummy;
    rc = country_field(reg, root, "destination", false, &s->dest, &dummy, err);
    if (rc != XC_OK)
        return rc;
    json_t *items = json_object_get(root, "items");
    if (!items)
        return bad(err, "items", "missing (array of items)");
    if (!json_is_array(items) || json_array_size(items) == 0)
        return bad(err, "items", "must be a non-empty array");
    if (json_array_size(items) > MAX_ITEMS)
        return xc__error_set(err, XC_TOOBIG, "items: more than %d items", MAX_ITEMS);
    size_t n = json_array_size(items);
    xc__item *arr = xc__arena_alloc(arena, n * sizeof *arr);
    if (!arr)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    memset(arr, 0, n * sizeof *arr);
    for (size_t i = 0; i < n; i++) {
        char field[48];
        json_t *it = json_array_get(items, i);
        if (!json_is_object(it)) {
            snprintf(field, sizeof field, "items[%zu]", i);
            return bad(err, field, "must be an object");
        }
        json_t *jur = json_object_get(it, "jurisdiction");
        int j = json_is_string(jur) ? xc__jur_parse(json_string_value(jur)) : -1;
        if (j < 0) {
            snprintf(field, sizeof field, "items[%zu].jurisdiction", i);
            return bad(err, field, "must be one of JP, KR, US, EU");
        }
        arr[i].jur = (uint8_t)j;
        json_t *code = json_object_get(it, "code");
        if (!json_is_string(code) || !*json_string_value(code) ||
            strlen(json_string_value(code)) > 64) {
            snprintf(field, sizeof field, "items[%zu].code", i);
            return bad(err, field, "must be a non-empty string (at most 64 bytes)");
        }
        arr[i].code = xc__arena_strdup(arena, json_string_value(code));
        json_t *desc = json_object_get(it, "description");
        if (json_is_string(desc))
            arr[i].description = xc__arena_strdup(arena, json_string_value(desc));
        json_t *value = json_object_get(it, "value");
        if (value) {
            if (!json_is_number(value) || json_number_value(value) < 0 ||
                !isfinite(json_number_value(value))) {
                snprintf(field, sizeof field, "items[%zu].value", i);
                return bad(err, field, "must be a non-negative number");
            }
            arr[i].value = json_number_value(value);
            arr[i].has_value = 1;
        }
        json_t *cur = json_object_get(it, "currency");
        if (cur && !json_is_string(cur)) {
            snprintf(field, sizeof field, "items[%zu].currency", i);
            return bad(err, field, "must be a string (ISO 4217)");
        }
        arr[i].usd = !cur || strcmp(json_string_value(cur), "USD") == 0;
        if (!arr[i].code || (desc && json_is_string(desc) && !arr[i].description))
            return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    s->items = arr;
    s->item_count = n;
    json_t *use = json_object_get(root, "end_use");
    if (use) {
        const char *u = json_is_string(use) ? json_string_value(use) : "";
        if (strcmp(u, "civil") == 0)
            s->end_use = 1;
        else if (strcmp(u, "military") == 0)
            s->end_use = 2;
        else if (strcmp(u, "wmd") == 0)
            s->end_use = 3;
        else
            return bad(err, "end_use", "must be one of civil, military, wmd");
    }
    json_t *knowledge = json_object_get(root, "knowledge");
    if (knowledge) {
        json_t *wmd = json_is_object(knowledge) ? json_object_get(knowledge, "wmd") : NULL;
        if (!json_is_object(knowledge) || (wmd && !json_is_boolean(wmd)))
            return bad(err, "knowledge.wmd", "must be true or false");
        s->wmd_knowledge = wmd && json_is_true(wmd);
    }
    json_t *informed = json_object_get(root, "informed");
    if (informed) {
        if (!json_is_boolean(informed))
            return bad(err, "informed", "must be true or false");
        s->informed = json_is_true(informed);
    }
    json_t *held = json_object_get(root, "licences_held");
    if (held) {
        if (!json_is_array(held))
            return bad(err, "licences_held", "must be an array of licence kinds");
        for (size_t i = 0; i < json_array_size(held); i++) {
            json_t *h = json_array_get(held, i);
            int k = json_is_string(h) ? xc__licence_parse(json_string_value(h)) : -1;
            if (k < 0) {
                char field[48];
                snprintf(field, sizeof field, "licences_held[%zu]", i);
                return bad(err, field, "unknown licence kind (see docs/licences.md)");
            }
            s->held |= 1u << k;
        }
    }
    json_t *parties = json_object_get(root, "parties");
    if (parties) {
        if (!json_is_array(parties))
            return bad(err, "parties", "must be an array");
        if (json_array_size(parties) > MAX_PARTIES)
            return xc__error_set(err, XC_TOOBIG, "parties: more than %d parties", MAX_PARTIES);
        for (size_t i = 0; i < json_array_size(parties); i++) {
            char field[48];
            json_t *p = json_array_get(parties, i);
            json_t *name = json_is_object(p) ? json_object_get(p, "name") : NULL;
            if (!json_is_string(name) || !*json_string_value(name)) {
                snprintf(field, sizeof field, "parties[%zu].name", i);
                return bad(err, field, "missing (non-empty string)");
            }
            json_t *c = json_object_get(p, "country");
            if (c) {
                snprintf(field, sizeof field, "parties[%zu].country", i);
                if (!json_is_string(c) ||
                    xc__regimes_country(reg, json_string_value(c)) == XC__NO_COUNTRY)
                    return xc__error_set(err, XC_INVALID,
                                         "%s: unknown country code (ISO 3166 alpha-2)", field);
            }
        }
        s->parties_given = json_array_size(parties) > 0;
    }
    return XC_OK;
}

static int hit_class(const char *list)
{
    if (strcmp(list, "un_sc") == 0 || strncmp(list, "un_", 3) == 0)
        return XC__HIT_UN;
    if (strcmp(list, "jp_meti_eul") == 0)
        return XC__HIT_JP_EUL;
    if (strstr(list, "entity"))
        return XC__HIT_US_ENTITY;
    if (strstr(list, "dpl"))
        return XC__HIT_US_DPL;
    if (strcmp(list, "us_ofac_sdn") == 0 || strcmp(list, "us_csl_sdn") == 0)
        return XC__HIT_US_SDN;
    if (strncmp(list, "eu_", 3) == 0)
        return XC__HIT_EU;
    return -1;
}

/* Screens every party once; sets the hit bits and renders the screening results into out. */
static xc_status screen_parties(const xc_engine *eng, json_t *root, xc__arena *arena,
                                xc__shipment *s, xc__buf *out, xc_error *err)
{
    json_t *parties = json_object_get(root, "parties");
    appc(out, '[');
    s->lists_loaded = eng->lists.list_count > 0;
    for (size_t i = 0; i < eng->lists.list_count; i++) {
        int cls = hit_class(eng->lists.lists[i].id);
        if (cls >= 0)
            s->lists_present |= (uint16_t)(1u << cls);
    }
    /* Parties that cannot be screened are not clear: an error, as xc_screen's (issue 11). */
    if (s->parties_given && !s->lists_loaded)
        return xc__error_set(err, XC_NODATA, "parties: %zu given but no restricted-party lists "
                             "are loaded, so they cannot be screened (absence is not permission)",
                             json_array_size(parties));
    if (!s->parties_given || !s->lists_loaded) {
        for (size_t i = 0; s->parties_given && i < json_array_size(parties); i++) {
            json_t *p = json_array_get(parties, i);
            json_t *role = json_object_get(p, "role");
            if (i)
                appc(out, ',');
            PUT(out, "{\"role\":");
            put_str(out, json_is_string(role) ? json_string_value(role) : "");
            PUT(out, ",\"name\":");
            put_str(out, json_string_value(json_object_get(p, "name")));
            PUT(out, ",\"screened\":false,\"reason\":\"no restricted-party lists loaded\"}");
        }
        appc(out, ']');
        return XC_OK;
    }
    for (size_t i = 0; i < json_array_size(parties); i++) {
        json_t *p = json_array_get(parties, i);
        json_t *role = json_object_get(p, "role"), *country = json_object_get(p, "country");
        xc_party party = {0};
        party.name = json_string_value(json_object_get(p, "name"));
        party.kind = XC_KIND_ANY;
        party.country = json_is_string(country) ? json_string_value(country) : NULL;
        party.id = json_is_string(role) ? json_string_value(role) : NULL;
        xc_result *res = NULL;
        xc_status rc = xc_screen(eng, &party, NULL, &res, err);
        if (rc != XC_OK) {
            char msg[sizeof err->message];
            xc__strlcpy(msg, err->message, sizeof msg);
            return xc__error_set(err, rc, "parties[%zu]: %s", i, msg);
        }
        for (size_t k = 0; k < xc_result_count(res); k++) {
            const xc_match *m = xc_result_match(res, k);
            int cls = hit_class(m->list);
            if (cls < 0)
                continue;
            bool strong = strcmp(m->band, "strong") == 0;
            if (strong)
                s->hit_strong |= (uint16_t)(1u << cls);
            else
                s->hit_possible |= (uint16_t)(1u << cls);
            if (!s->hit_note[cls] || strong) {
                xc__buf note;
                xc__buf_init(&note, 4096);
                appf(&note, "%s matches %s on %s (%s, score %.2f)", party.name,
                               m->name, m->list, m->band, m->score);
                s->hit_note[cls] = note.data ? xc__arena_strdup(arena, note.data) : NULL;
                xc__buf_free(&note);
            }
        }
        char *json = xc_result_json(res);
        if (i)
            appc(out, ',');
        if (json)
            app(out, json, strlen(json));
        else
            out->max = 0; /* out of memory rendering the screening result */
        xc_free(json);
        xc_result_free(res);
    }
    appc(out, ']');
    return XC_OK;
}

/* Parses and screens: shared by xc_decide_json and xc_decide_between_json. */
static xc_status prepare(const xc_engine *eng, const char *json, size_t len, bool need_date,
                         xc__arena *arena, json_t **root_out, xc__shipment *s, xc__buf *parties,
                         xc_error *err)
{
    *root_out = NULL;
    if (!eng)
        return xc__error_set(err, XC_INVALID, "engine: NULL");
    if (!xc__engine_regimes(eng, err))
        return err ? err->code : XC_NODATA;
    if (!json)
        return xc__error_set(err, XC_INVALID, "json: NULL");
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return xc__error_set(err, XC_PARSE, "shipment JSON line %d column %d: %s", jerr.line,
                             jerr.column, jerr.text);
    xc_status rc = parse_shipment(eng->regimes, root, arena, s, need_date, err);
    if (rc == XC_OK)
        rc = screen_parties(eng, root, arena, s, parties, err);
    if (rc != XC_OK) {
        json_decref(root);
        return rc;
    }
    *root_out = root;
    return XC_OK;
}

static void put_header(xc__buf *b, const xc__regimes *reg, const xc__shipment *s)
{
    PUT(b, "\"exporter\":");
    put_str(b, s->exporter == XC__NO_COUNTRY ? "EU" : xc__regimes_country_code(reg, s->exporter));
    PUT(b, ",\"destination\":");
    put_str(b, xc__regimes_country_code(reg, s->dest));
}

xc_status xc_decide_json(const xc_engine *eng, const char *json, size_t len, char **json_out,
                         xc_error *err)
{
    *json_out = NULL;
    xc__arena *arena = xc__arena_new(1 << 14);
    if (!arena)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    xc__buf parties, out;
    xc__buf_init(&parties, MAX_OUTPUT);
    xc__buf_init(&out, MAX_OUTPUT);
    json_t *root = NULL;
    xc__shipment s;
    xc_status rc = prepare(eng, json, len, true, arena, &root, &s, &parties, err);
    if (rc == XC_OK) {
        const xc__regimes *reg = xc__engine_regimes(eng, NULL);
        PUT(&out, "{\"date\":");
        put_day(&out, s.date);
        appc(&out, ',');
        put_header(&out, reg, &s);
        PUT(&out, ",\"decisions\":[");
        for (size_t i = 0; i < s.item_count; i++) {
            xc__decision d;
            xc__decide_item(reg, &s, &s.items[i], &d);
            if (i)
                appc(&out, ',');
            put_decision(&out, reg, &d);
        }
        PUT(&out, "],\"parties\":");
        app(&out, parties.data ? parties.data : "[]", parties.data ? parties.len : 2);
        if (parties.max == 0 || appc(&out, '}') != XC_OK)
            rc = xc__error_set(err, XC_NOMEM, "out of memory rendering the decision");
        else
            *json_out = xc__buf_steal(&out);
    }
    json_decref(root);
    xc__buf_free(&parties);
    xc__buf_free(&out);
    xc__arena_free(arena);
    return rc;
}

/* ---- decisions over a period ---- */

static bool same_decision(const xc__decision *a, const xc__decision *b)
{
    if (a->outcome != b->outcome || a->licences != b->licences || a->covered != b->covered ||
        a->reason_count != b->reason_count)
        return false;
    for (int i = 0; i < a->reason_count; i++)
        if (a->reasons[i].fact != b->reasons[i].fact || a->reasons[i].arg != b->reasons[i].arg ||
            a->reasons[i].num != b->reasons[i].num)
            return false;
    return true;
}

static bool has_fact(const xc__decision *d, const xc__fact *f)
{
    for (int i = 0; i < d->reason_count; i++)
        if (d->reasons[i].fact == f)
            return true;
    return false;
}

static void put_changes(xc__buf *b, const xc__regimes *reg, const xc__shipment *s,
                        const xc__decision *prev, const xc__decision *cur, int32_t day)
{
    PUT(b, "\"changed_by\":[");
    bool first = true;
    for (size_t i = 0; prev && i < s->item_count; i++) {
        for (int k = 0; k < cur[i].reason_count; k++) {
            const xc__reason *r = &cur[i].reasons[k];
            if (has_fact(&prev[i], r->fact))
                continue;
            bool dup = false;
            for (size_t j = 0; j < i && !dup; j++)
                dup = has_fact(&cur[j], r->fact) && !has_fact(&prev[j], r->fact);
            for (int q = 0; q < k && !dup; q++)
                dup = cur[i].reasons[q].fact == r->fact;
            if (dup)
                continue;
            if (!first)
                appc(b, ',');
            first = false;
            PUT(b, "{\"change\":\"started\",\"reason\":");
            put_reason(b, r);
            appc(b, '}');
        }
        for (int k = 0; k < prev[i].reason_count; k++) {
            const xc__reason *r = &prev[i].reasons[k];
            if (has_fact(&cur[i], r->fact))
                continue;
            bool dup = false;
            for (int q = 0; q < k && !dup; q++)
                dup = prev[i].reasons[q].fact == r->fact;
            for (size_t j = 0; j < i && !dup; j++)
                dup = has_fact(&prev[j], r->fact) && !has_fact(&cur[j], r->fact);
            if (dup)
                continue;
            if (!first)
                appc(b, ',');
            first = false;
            PUT(b, "{\"change\":\"ended\",\"reason\":");
            put_reason(b, r);
            appc(b, '}');
        }
    }
    PUT(b, "],\"events\":[");
    first = true;
    for (size_t i = 0; prev && i < reg->event_count; i++) {
        const xc__event *e = &reg->events[i];
        if (e->from != day || !e->in_force)
            continue;
        bool pair = (e->a == s->exporter || (e->a_eu && s->exporter_eu)) &&
                    (e->b == s->dest || e->b == XC__NO_COUNTRY);
        bool reverse = e->a == s->dest && e->b == s->exporter;
        if (!pair && !reverse)
            continue;
        if (!first)
            appc(b, ',');
        first = false;
        PUT(b, "{\"date\":");
        put_day(b, e->from);
        PUT(b, ",\"jurisdiction\":");
        put_str(b, e->jur);
        PUT(b, ",\"text\":");
        put_str(b, e->text);
        PUT(b, ",\"citation\":");
        put_str(b, e->citation);
        appc(b, '}');
    }
    appc(b, ']');
}

xc_status xc_decide_between_json(const xc_engine *eng, const char *json, size_t len,
                                 const char *from, const char *to, char **json_out,
                                 xc_error *err)
{
    *json_out = NULL;
    int32_t d1, d2;
    if (!from || !xc__date_parse_iso(from, &d1))
        return bad(err, "from", "expected a valid date YYYY-MM-DD");
    if (!to || !xc__date_parse_iso(to, &d2))
        return bad(err, "to", "expected a valid date YYYY-MM-DD");
    if (d2 < d1)
        return bad(err, "to", "is before from");
    xc__arena *arena = xc__arena_new(1 << 14);
    if (!arena)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    xc__buf parties, out;
    xc__buf_init(&parties, MAX_OUTPUT);
    xc__buf_init(&out, MAX_OUTPUT);
    json_t *root = NULL;
    xc__shipment s;
    xc__decision *prev = NULL, *cur = NULL;
    xc_status rc = prepare(eng, json, len, false, arena, &root, &s, &parties, err);
    if (rc == XC_OK) {
        prev = xc__calloc(s.item_count, sizeof *prev);
        cur = xc__calloc(s.item_count, sizeof *cur);
        if (!prev || !cur)
            rc = xc__error_set(err, XC_NOMEM, "out of memory");
    }
    if (rc == XC_OK) {
        const xc__regimes *reg = xc__engine_regimes(eng, NULL);
        size_t nb;
        const int32_t *bounds = xc__regimes_boundaries(reg, &nb);
        /* the US edition date is a boundary too: the edition warning starts/stops there */
        PUT(&out, "{\"from\":");
        put_day(&out, d1);
        PUT(&out, ",\"to\":");
        put_day(&out, d2);
        appc(&out, ',');
        put_header(&out, reg, &s);
        PUT(&out, ",\"intervals\":[");
        int32_t start = d1;
        bool have_prev = false;
        size_t bi = 0;
        int32_t day = d1;
        int intervals = 0;
        for (;;) {
            s.date = day;
            for (size_t i = 0; i < s.item_count; i++)
                xc__decide_item(reg, &s, &s.items[i], &cur[i]);
            bool changed = !have_prev;
            for (size_t i = 0; have_prev && i < s.item_count && !changed; i++)
                changed = !same_decision(&prev[i], &cur[i]);
            if (changed) {
                if (have_prev) {
                    put_day(&out, day); /* closes the previous interval's valid_to */
                    PUT(&out, ",\"decisions\":[");
                    for (size_t i = 0; i < s.item_count; i++) {
                        if (i)
                            appc(&out, ',');
                        put_decision(&out, reg, &prev[i]);
                    }
                    PUT(&out, "]},");
                }
                PUT(&out, "{\"valid_from\":");
                put_day(&out, day);
                appc(&out, ',');
                put_changes(&out, reg, &s, have_prev ? prev : NULL, cur, day);
                PUT(&out, ",\"valid_to\":");
                start = day;
                intervals++;
                xc__decision *t = prev;
                prev = cur;
                cur = t;
                have_prev = true;
            }
            /* next day on which anything may change: a data boundary or the US edition day */
            int32_t next = INT32_MAX;
            while (bi < nb && bounds[bi] <= day)
                bi++;
            if (bi < nb)
                next = bounds[bi];
            int32_t ed = xc__regimes_us_edition(reg);
            if (ed > day && ed < next)
                next = ed;
            if (ed + 1 > day && ed + 1 < next)
                next = ed + 1;
            if (next > d2)
                break;
            day = next;
        }
        (void)start;
        put_day(&out, d2 + 1);
        PUT(&out, ",\"decisions\":[");
        for (size_t i = 0; i < s.item_count; i++) {
            if (i)
                appc(&out, ',');
            put_decision(&out, reg, &prev[i]);
        }
        PUT(&out, "]}],\"parties\":");
        app(&out, parties.data ? parties.data : "[]", parties.data ? parties.len : 2);
        if (parties.max == 0 || appc(&out, '}') != XC_OK)
            rc = xc__error_set(err, XC_NOMEM, "out of memory rendering the decisions");
        else
            *json_out = xc__buf_steal(&out);
        (void)intervals;
    }
    xc__free_mem(prev);
    xc__free_mem(cur);
    json_decref(root);
    xc__buf_free(&parties);
    xc__buf_free(&out);
    xc__arena_free(arena);
    return rc;
}

/* ---- groups and timeline ---- */

static xc_status check_country(const xc__regimes *reg, const char *name, const char *code,
                               uint16_t *out, xc_error *err)
{
    if (!code || (*out = xc__regimes_country(reg, code)) == XC__NO_COUNTRY)
        return xc__error_set(err, XC_INVALID, "%s: unknown country code '%.16s' (ISO 3166 "
                                              "alpha-2)", name, code ? code : "");
    return XC_OK;
}

static void put_group(xc__buf *b, xc_format format, bool *first, const char *group,
                      const xc__fact *f)
{
    if (format == XC_FORMAT_TEXT) {
        char from[11] = "-", to[11] = "-";
        if (f->from != XC__DAY_OPEN_START)
            xc__date_format(f->from, from);
        if (f->to != XC__DAY_OPEN_END)
            xc__date_format(f->to, to);
        appf(b, "  %-6s %s [%s; %s; valid %s .. %s (exclusive)]\n", group, f->text,
                       xc__conf_name(f->conf), *f->citation ? f->citation : "engine rule", from,
                       to);
        return;
    }
    if (!*first)
        appc(b, ',');
    *first = false;
    PUT(b, "{\"group\":");
    put_str(b, group);
    PUT(b, ",\"text\":");
    put_str(b, f->text);
    PUT(b, ",\"confidence\":");
    put_str(b, xc__conf_name(f->conf));
    PUT(b, ",\"citation\":");
    if (*f->citation)
        put_str(b, f->citation);
    else
        PUT(b, "null");
    PUT(b, ",\"valid_from\":");
    put_day(b, f->from);
    PUT(b, ",\"valid_to\":");
    put_day(b, f->to);
    appc(b, '}');
}

static const xc__fact G_JP_C = {"jp.group_c",
                                "Group C (residual: not in Group A, B or D as far as the data "
                                "shows; Group B membership beyond KR is not verified)",
                                "S-JP-2019-0802-NIKKEI", XC__DAY_OPEN_START, XC__DAY_OPEN_END,
                                XC__CONF_VERIFIED, XC__JUR_JP, XC__NO_COUNTRY, NULL};
static const xc__fact G_KR_NA = {"kr.region_unverified",
                                 "Region not verified: only Japan's region is in the data (Na, "
                                 "'all others', is assumed for decisions)",
                                 "S-KR-2019-0712", XC__DAY_OPEN_START, XC__DAY_OPEN_END,
                                 XC__CONF_UNCERTAIN, XC__JUR_KR, XC__NO_COUNTRY, NULL};
static const xc__fact G_NONE = {"groups.none", "No group of this jurisdiction lists the country",
                                "", XC__DAY_OPEN_START, XC__DAY_OPEN_END, XC__CONF_VERIFIED, 0,
                                XC__NO_COUNTRY, NULL};

xc_status xc_groups_render(const xc_engine *eng, const char *jurisdiction, const char *country,
                           const char *date, xc_format format, char **out, xc_error *err)
{
    *out = NULL;
    const xc__regimes *reg = eng ? xc__engine_regimes(eng, err) : NULL;
    if (!reg)
        return eng ? (err ? err->code : XC_NODATA)
                   : xc__error_set(err, XC_NODATA, "engine opened without regime data");
    int jur = jurisdiction ? xc__jur_parse(jurisdiction) : -1;
    if (jur < 0)
        return bad(err, "jurisdiction", "must be one of JP, KR, US, EU");
    uint16_t c;
    xc_status rc = check_country(reg, "country", country, &c, err);
    if (rc != XC_OK)
        return rc;
    int32_t day;
    if (!date || !xc__date_parse_iso(date, &day))
        return bad(err, "date", "expected a valid date YYYY-MM-DD");
    xc__buf b;
    xc__buf_init(&b, MAX_OUTPUT);
    if (format == XC_FORMAT_TEXT)
        appf(&b, "%s groups of %s on %s:\n", jurisdiction, country, date);
    else {
        PUT(&b, "{\"jurisdiction\":");
        put_str(&b, jurisdiction);
        PUT(&b, ",\"country\":");
        put_str(&b, country);
        PUT(&b, ",\"date\":");
        put_str(&b, date);
        PUT(&b, ",\"groups\":[");
    }
    bool first = true, any = false, non_d = false;
    size_t n = reg->member_n[jur][c];
    const xc__member *m = n ? &reg->members[reg->member_first[jur][c]] : NULL;
    for (size_t i = 0; i < n; i++)
        if (xc__fact_on(&m[i].fact, day)) {
            put_group(&b, format, &first, m[i].group, &m[i].fact);
            any = true;
            non_d = non_d || m[i].group[0] != 'D';
        }
    if (jur == XC__JUR_JP && !non_d)
        put_group(&b, format, &first, "C", &G_JP_C);
    else if (jur == XC__JUR_KR && !any)
        put_group(&b, format, &first, "?", &G_KR_NA);
    else if (!any)
        put_group(&b, format, &first, "-", &G_NONE);
    if (format == XC_FORMAT_JSON) {
        PUT(&b, "],\"data_version\":");
        put_str(&b, xc__regimes_version(reg));
        appc(&b, '}');
    }
    if (!b.data || appc(&b, 0) != XC_OK) {
        xc__buf_free(&b);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    b.len--; /* keep the NUL out of the length */
    *out = xc__buf_steal(&b);
    return XC_OK;
}

xc_status xc_timeline_render(const xc_engine *eng, const char *a, const char *b_code,
                             xc_format format, char **out, xc_error *err)
{
    *out = NULL;
    const xc__regimes *reg = eng ? xc__engine_regimes(eng, err) : NULL;
    if (!reg)
        return eng ? (err ? err->code : XC_NODATA)
                   : xc__error_set(err, XC_NODATA, "engine opened without regime data");
    uint16_t ca, cb;
    bool a_eu = a && strcmp(a, "EU") == 0;
    xc_status rc = XC_OK;
    if (a_eu)
        ca = XC__NO_COUNTRY;
    else
        rc = check_country(reg, "a", a, &ca, err);
    if (rc == XC_OK)
        rc = check_country(reg, "b", b_code, &cb, err);
    if (rc != XC_OK)
        return rc;
    xc__buf b;
    xc__buf_init(&b, MAX_OUTPUT);
    if (format == XC_FORMAT_TEXT)
        appf(&b, "Dated changes between %s and %s (* = step that changed the law):\n",
                       a, b_code);
    else {
        PUT(&b, "{\"a\":");
        put_str(&b, a);
        PUT(&b, ",\"b\":");
        put_str(&b, b_code);
        PUT(&b, ",\"events\":[");
    }
    bool first = true;
    for (size_t i = 0; i < reg->event_count; i++) {
        const xc__event *e = &reg->events[i];
        bool a_side = (e->a_eu && (a_eu || xc__regimes_is_eu_member(reg, ca))) ||
                      (!e->a_eu && e->a == ca);
        bool b_side = (e->a_eu && xc__regimes_is_eu_member(reg, cb)) || (!e->a_eu && e->a == cb);
        bool match = (a_side && (e->b == cb || e->b == XC__NO_COUNTRY)) ||
                     (b_side && !a_eu && e->b == ca);
        if (!match)
            continue;
        char from[11], to[11] = "";
        xc__date_format(e->from, from);
        if (e->to != XC__DAY_OPEN_END)
            xc__date_format(e->to, to);
        if (format == XC_FORMAT_TEXT) {
            appf(&b, "%s%s%s%s %-3s %-16s %s%s (%s) [%s; %s]\n", e->in_force ? "*" : " ", from,
                 *to ? " .. " : "", to, e->jur, e->step, e->in_force ? "IN FORCE: " : "", e->text,
                 e->instrument, xc__conf_name(e->conf), e->citation);
            continue;
        }
        if (!first)
            appc(&b, ',');
        first = false;
        PUT(&b, "{\"date\":");
        put_str(&b, from);
        PUT(&b, ",\"valid_to\":");
        if (*to)
            put_str(&b, to);
        else
            PUT(&b, "null");
        PUT(&b, ",\"jurisdiction\":");
        put_str(&b, e->jur);
        PUT(&b, ",\"step\":");
        put_str(&b, e->step);
        appf(&b, ",\"changed_law\":%s,\"text\":", e->in_force ? "true" : "false");
        put_str(&b, e->text);
        PUT(&b, ",\"instrument\":");
        put_str(&b, e->instrument);
        PUT(&b, ",\"confidence\":");
        put_str(&b, xc__conf_name(e->conf));
        PUT(&b, ",\"citation\":");
        put_str(&b, e->citation);
        appc(&b, '}');
    }
    if (format == XC_FORMAT_JSON) {
        PUT(&b, "],\"data_version\":");
        put_str(&b, xc__regimes_version(reg));
        appc(&b, '}');
    }
    if (!b.data || appc(&b, 0) != XC_OK) {
        xc__buf_free(&b);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    b.len--;
    *out = xc__buf_steal(&b);
    return XC_OK;
}

/* ---- for the benchmark and tests: parse without screening ---- */

xc_status xc__shipment_parse(const xc__regimes *reg, const char *json, size_t len,
                             xc__arena *arena, xc__shipment *out, xc_error *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return xc__error_set(err, XC_PARSE, "shipment JSON line %d column %d: %s", jerr.line,
                             jerr.column, jerr.text);
    xc_status rc = parse_shipment(reg, root, arena, out, true, err);
    json_decref(root);
    return rc;
}
