/*
 * compat.c — drop-in endpoints of the screening services integrators already call, answered from
 * the same engine as /v1 (docs/server.md says what each maps and does not support):
 *   POST /match/{dataset}  OpenSanctions yente: FollowTheMoney example entities keyed by the
 *                          caller's ids in, responses.{key}.results[] of scored FtM entities out;
 *                          {dataset} is "default" (every list loaded) or a list id;
 *   GET  /v2/search        moov-io watchman: ?name=&type=&birthDate=&limit=&minMatch=, answered
 *                          {query, entities:[{...entity, match}]};
 *   GET  /v2/listinfo      watchman: entities and hashes per list.
 * Each match is screened by xc_screen and rendered from the result JSON's "entity" object (the
 * listed entity whole), so the peers' shapes carry the same facts as /v1. Errors use the peers'
 * shapes ({"detail":..} for yente, {"error":..} for watchman) with the /v1 error object beside.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "server.h"

#define MAX_NAMES 8  /* names of one yente query screened (best score per entity kept) */
#define MAX_LISTS 64

/* ---- shared ---- */

/* The parsed result JSON of one screening (new reference), or NULL with err set. */
static json_t *screen_parsed(const srv_ctx *ctx, const xc_party *party,
                             const xc_screen_opts *opts, xc_error *err)
{
    xc_result *res = NULL;
    xc_status rc = xc_screen(ctx->eng, party, opts, &res, err);
    srv_metrics_screened(ctx->metrics, rc == XC_OK);
    if (rc != XC_OK)
        return NULL;
    char *text = xc_result_json(res);
    xc_result_free(res);
    json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
    xc_free(text);
    if (!doc) {
        err->code = XC_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return doc;
}

/* An error body in a peer's shape: {"<key>":message,"error_detail":{code,message}}. */
static void peer_error(srv_response *resp, int http, const char *key, xc_status code,
                       const char *message)
{
    xc_error err = {code, ""};
    snprintf(err.message, sizeof err.message, "%s", message);
    json_t *doc = json_pack("{s:s,s:o}", key, message, "xcheck_error", srv_error_object(&err));
    srv_json(resp, http ? http : srv_http_status(code), doc);
    json_decref(doc);
}

static bool list_loaded(const xc_engine *eng, const char *id)
{
    for (size_t i = 0; i < xc_engine_list_count(eng); i++)
        if (strcmp(xc_engine_list(eng, i)->id, id) == 0)
            return true;
    return false;
}

static bool in_set(const char *const *set, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(set[i], s) == 0)
            return true;
    return false;
}

/* Letters and digits in s: ids with fewer than 4 are skipped (the library refuses them). */
static size_t alnum_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += isalnum((unsigned char)*s) != 0;
    return n;
}

/* ---- yente: POST /match/{dataset} ---- */

static const char *ftm_schema(const char *kind)
{
    if (strcmp(kind, "person") == 0)
        return "Person";
    if (strcmp(kind, "org") == 0)
        return "Organization";
    if (strcmp(kind, "vessel") == 0)
        return "Vessel";
    if (strcmp(kind, "aircraft") == 0)
        return "Airplane";
    return "LegalEntity";
}

static xc_kind kind_of_schema(const char *schema)
{
    if (!schema)
        return XC_KIND_ANY;
    if (strcmp(schema, "Person") == 0)
        return XC_KIND_PERSON;
    if (strcmp(schema, "Organization") == 0 || strcmp(schema, "Company") == 0 ||
        strcmp(schema, "PublicBody") == 0)
        return XC_KIND_ORG;
    if (strcmp(schema, "Vessel") == 0)
        return XC_KIND_VESSEL;
    if (strcmp(schema, "Airplane") == 0)
        return XC_KIND_AIRCRAFT;
    return XC_KIND_ANY; /* LegalEntity, Thing, ... */
}

/* The FtM property an identifier type of a listed entity goes under. */
static const char *ftm_id_property(const char *type)
{
    static const struct {
        const char *prefix, *property;
    } map[] = {
        {"imo", "imoNumber"},         {"mmsi", "mmsi"},         {"call sign", "callSign"},
        {"swift", "swiftBic"},        {"bic", "swiftBic"},      {"passport", "passportNumber"},
        {"tax", "taxNumber"},         {"vat", "vatCode"},       {"inn", "innCode"},
        {"lei", "leiCode"},           {"registration", "registrationNumber"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncasecmp(type, map[i].prefix, strlen(map[i].prefix)) == 0)
            return map[i].property;
    return "idNumber";
}

static void add_prop(json_t *props, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    json_t *arr = json_object_get(props, key);
    if (!arr) {
        arr = json_array();
        json_object_set_new(props, key, arr);
    }
    json_array_append_new(arr, json_string(value));
}

static void add_props(json_t *props, const char *key, const json_t *strings)
{
    size_t i;
    const json_t *v;
    json_array_foreach(strings, i, v) add_prop(props, key, json_string_value(v));
}

/* One match of a result as yente's ScoredEntityResponse. */
static json_t *yente_entity(const json_t *match, double threshold)
{
    const json_t *e = json_object_get(match, "entity");
    const char *list = json_string_value(json_object_get(match, "list"));
    const char *entity_id = json_string_value(json_object_get(match, "entity_id"));
    const char *kind = json_string_value(json_object_get(match, "kind"));
    char id[256];
    snprintf(id, sizeof id, "%s-%s", list ? list : "", entity_id ? entity_id : "");
    json_t *props = json_object();
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(e, "names"), i, v) {
        const char *type = json_string_value(json_object_get(v, "type"));
        const char *name = json_string_value(json_object_get(v, "name"));
        add_prop(props,
                 type && strcmp(type, "primary") == 0        ? "name"
                 : type && strcmp(type, "weak_aka") == 0     ? "weakAlias"
                 : type && strcmp(type, "fka") == 0          ? "previousName"
                                                             : "alias",
                 name);
    }
    add_props(props, "birthDate", json_object_get(e, "dates_of_birth"));
    add_props(props, "birthPlace", json_object_get(e, "places_of_birth"));
    add_props(props, "nationality", json_object_get(e, "nationalities"));
    add_props(props, "country", json_object_get(e, "countries"));
    add_props(props, "address", json_object_get(e, "addresses"));
    add_props(props, "programId", json_object_get(e, "programs"));
    json_array_foreach(json_object_get(e, "identifiers"), i, v) {
        const char *type = json_string_value(json_object_get(v, "type"));
        add_prop(props, ftm_id_property(type ? type : ""),
                 json_string_value(json_object_get(v, "value")));
    }
    add_prop(props, "notes", json_string_value(json_object_get(e, "remarks")));
    add_prop(props, "createdAt", json_string_value(json_object_get(e, "listed_on")));
    double score = json_real_value(json_object_get(match, "score"));
    const json_t *expl = json_object_get(match, "explanation");
    /* "hamas~hamas 1.00(exact) ..." as the name feature's detail */
    char detail[512];
    size_t k = 0;
    detail[0] = '\0';
    json_array_foreach(json_object_get(expl, "pairs"), i, v) {
        int n = snprintf(detail + k, sizeof detail - k, "%s%s~%s %.2f(%s)", k ? " " : "",
                         json_string_value(json_object_get(v, "query")),
                         json_string_value(json_object_get(v, "candidate")),
                         json_real_value(json_object_get(v, "similarity")),
                         json_string_value(json_object_get(v, "how")));
        if (n < 0 || (size_t)n >= sizeof detail - k)
            break;
        k += (size_t)n;
    }
    const char *qualifiers = json_string_value(json_object_get(expl, "qualifiers"));
    json_t *explanations = json_pack(
        "{s:{s:f,s:s},s:{s:f,s:s},s:{s:O?,s:O?}}", "name",
        "score", json_real_value(json_object_get(expl, "name_score")), "detail", detail,
        "qualifiers", "score", score - json_real_value(json_object_get(expl, "name_score")),
        "detail", qualifiers ? qualifiers : "", "xcheck", "band", json_object_get(match, "band"),
        "matched_name", json_object_get(match, "matched_name"));
    return json_pack("{s:s,s:O?,s:s,s:o,s:[s?],s:[s?],s:b,s:n,s:n,s:n,s:f,s:b,s:o}", "id", id,
                     "caption", json_object_get(match, "name"), "schema",
                     ftm_schema(kind ? kind : ""), "properties", props, "datasets", list,
                     "referents", entity_id, "target", 1, "first_seen", "last_seen",
                     "last_change", "score", score, "match", score >= threshold,
                     "explanations", explanations);
}

/* The strings of an FtM property (a string or an array of strings), at most max; NULL-free. */
static size_t prop_strings(const json_t *props, const char *key, const char **out, size_t max)
{
    const json_t *v = json_object_get(props, key);
    size_t n = 0;
    if (json_is_string(v)) {
        if (max)
            out[n++] = json_string_value(v);
        return n;
    }
    size_t i;
    const json_t *s;
    json_array_foreach(v, i, s) {
        if (json_is_string(s) && *json_string_value(s) && n < max)
            out[n++] = json_string_value(s);
    }
    return n;
}

typedef struct yente_params {
    int limit;
    double threshold, cutoff;
    const char *lists[MAX_LISTS + 1]; /* NULL-terminated; lists[0] NULL = nothing to screen */
    const char *excluded[64];
    size_t nexcluded;
} yente_params;

/* Screens one yente query; fills the per-query response object. */
static json_t *yente_query(const srv_ctx *ctx, const yente_params *p, const char *key,
                           const json_t *query)
{
    const json_t *props = json_object_get(query, "properties");
    const char *schema = json_string_value(json_object_get(query, "schema"));
    json_t *echo = json_pack("{s:O?,s:s,s:o}", "id", json_object_get(query, "id"), "schema",
                             schema ? schema : "LegalEntity", "properties",
                             json_is_object(props) ? json_incref((json_t *)props) : json_object());
    json_t *results = json_array();
    const char *names[MAX_NAMES];
    size_t nnames = json_is_object(query) ? prop_strings(props, "name", names, MAX_NAMES) : 0;
    if (nnames == 0) {
        json_decref(results);
        return json_pack("{s:i,s:s,s:[],s:{s:i,s:s},s:o}", "status", 400, "detail",
                         json_is_object(query) ? "properties.name: at least one name needed"
                                               : "a query object expected",
                         "results", "total", "value", 0, "relation", "eq", "query", echo);
    }
    xc_party party = {0};
    party.kind = kind_of_schema(schema);
    const char *dob[1], *country[1];
    if (prop_strings(props, "birthDate", dob, 1))
        party.dob = dob[0];
    if (prop_strings(props, "nationality", country, 1) ||
        prop_strings(props, "country", country, 1) ||
        prop_strings(props, "jurisdiction", country, 1) ||
        prop_strings(props, "citizenship", country, 1))
        party.country = country[0];
    /* identifiers: typed where the FtM property says what they are */
    static const struct {
        const char *property, *type;
    } id_props[] = {
        {"idNumber", ""},           {"registrationNumber", "registration:"},
        {"taxNumber", "tax_id:"},   {"vatCode", "tax_id:"},   {"innCode", "tax_id:"},
        {"passportNumber", "passport:"}, {"imoNumber", "imo:"}, {"mmsi", "mmsi:"},
        {"callSign", "call_sign:"}, {"swiftBic", "swift_bic:"}, {"leiCode", "registration:"},
    };
    char idbuf[16][160];
    const char *idv[17];
    size_t nid = 0;
    for (size_t i = 0; i < sizeof id_props / sizeof id_props[0]; i++) {
        const char *values[16];
        size_t n = prop_strings(props, id_props[i].property, values, 16);
        for (size_t j = 0; j < n && nid < 16; j++) {
            if (alnum_count(values[j]) < 4)
                continue;
            snprintf(idbuf[nid], sizeof idbuf[nid], "%s%.150s", id_props[i].type, values[j]);
            idv[nid] = idbuf[nid];
            nid++;
        }
    }
    idv[nid] = NULL;
    party.ids = nid ? idv : NULL;
    xc_screen_opts opts = {0};
    opts.threshold = p->cutoff > 0 ? p->cutoff : 0.01;
    opts.top = p->limit + (int)p->nexcluded;
    opts.lists = p->lists;
    /* each name screened; the best score per entity kept */
    json_t *best = json_object(); /* "list-id" -> match */
    for (size_t k = 0; k < nnames && p->lists[0]; k++) {
        party.name = names[k];
        xc_error err = {0};
        json_t *doc = screen_parsed(ctx, &party, &opts, &err);
        if (!doc) {
            json_decref(best);
            json_decref(results);
            json_t *r = json_pack("{s:i,s:s,s:[],s:{s:i,s:s},s:o,s:o}", "status",
                                  srv_http_status(err.code), "detail", err.message, "results",
                                  "total", "value", 0, "relation", "eq", "query", echo,
                                  "xcheck_error", srv_error_object(&err));
            return r;
        }
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(doc, "matches"), i, m) {
            char id[256];
            snprintf(id, sizeof id, "%s-%s", json_string_value(json_object_get(m, "list")),
                     json_string_value(json_object_get(m, "entity_id")));
            const char *eid = json_string_value(json_object_get(m, "entity_id"));
            if (in_set(p->excluded, p->nexcluded, id) ||
                (eid && in_set(p->excluded, p->nexcluded, eid)))
                continue;
            json_t *old = json_object_get(best, id);
            if (!old || json_real_value(json_object_get(old, "score")) <
                            json_real_value(json_object_get(m, "score")))
                json_object_set(best, id, m);
        }
        json_decref(doc);
    }
    /* best first, then by id: a stable order */
    json_t *sorted = json_array();
    const char *id;
    json_t *m;
    json_object_foreach(best, id, m) {
        size_t at = json_array_size(sorted);
        double score = json_real_value(json_object_get(m, "score"));
        for (size_t i = 0; i < json_array_size(sorted); i++) {
            double other = json_real_value(json_object_get(json_array_get(sorted, i), "score"));
            if (score > other) {
                at = i;
                break;
            }
        }
        json_array_insert(sorted, at, m);
    }
    for (size_t i = 0; i < json_array_size(sorted) && i < (size_t)p->limit; i++)
        json_array_append_new(results, yente_entity(json_array_get(sorted, i), p->threshold));
    json_decref(sorted);
    json_decref(best);
    (void)key;
    return json_pack("{s:i,s:o,s:{s:I,s:s},s:o}", "status", 200, "results", results, "total",
                     "value", (json_int_t)json_array_size(results), "relation", "eq", "query",
                     echo);
}

static bool parse_double(const char *s, double *out)
{
    if (!s)
        return true;
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v >= 0 && v <= 1))
        return false;
    *out = v;
    return true;
}

static void yente_match(const srv_ctx *ctx, const srv_request *req, const char *dataset,
                        srv_response *resp)
{
    if (strcmp(req->method, "POST") != 0) {
        snprintf(resp->extra_header, sizeof resp->extra_header, "Allow: POST");
        peer_error(resp, 405, "detail", XC_UNSUPPORTED, "Method Not Allowed");
        return;
    }
    if (strcmp(dataset, "default") != 0 && !list_loaded(ctx->eng, dataset)) {
        char msg[200];
        snprintf(msg, sizeof msg, "Dataset not found: %.100s", dataset);
        peer_error(resp, 404, "detail", XC_NOTFOUND, msg);
        return;
    }
    yente_params p = {.limit = 5, .threshold = 0.7, .cutoff = 0.7};
    const char *v = srv_arg(req, "limit");
    if (v) {
        char *end;
        long limit = strtol(v, &end, 10);
        if (!*v || *end || limit < 1 || limit > 500) {
            peer_error(resp, 400, "detail", XC_INVALID, "limit: a number from 1 to 500 expected");
            return;
        }
        p.limit = (int)limit;
    }
    double cutoff = -1;
    if (!parse_double(srv_arg(req, "threshold"), &p.threshold) ||
        !parse_double(srv_arg(req, "cutoff"), &cutoff)) {
        peer_error(resp, 400, "detail", XC_INVALID, "threshold, cutoff: a number in [0,1] expected");
        return;
    }
    p.cutoff = cutoff >= 0 && cutoff < p.threshold ? cutoff : p.threshold;
    /* the lists screened: the dataset, narrowed by include_dataset, less exclude_dataset */
    const char *include[MAX_LISTS], *exclude[MAX_LISTS];
    size_t ninclude = srv_args(req, "include_dataset", include, MAX_LISTS);
    size_t nexclude = srv_args(req, "exclude_dataset", exclude, MAX_LISTS);
    p.nexcluded = srv_args(req, "exclude_entity_ids", p.excluded, 64);
    if (ninclude > MAX_LISTS || nexclude > MAX_LISTS || p.nexcluded > 64) {
        peer_error(resp, 400, "detail", XC_TOOBIG,
                   "include_dataset, exclude_dataset: at most 64; exclude_entity_ids: at most 64");
        return;
    }
    size_t nlists = 0;
    for (size_t i = 0; i < xc_engine_list_count(ctx->eng) && nlists < MAX_LISTS; i++) {
        const char *id = xc_engine_list(ctx->eng, i)->id;
        if ((strcmp(dataset, "default") == 0 || strcmp(dataset, id) == 0) &&
            (ninclude == 0 || in_set(include, ninclude, id)) && !in_set(exclude, nexclude, id) &&
            !in_set(p.lists, nlists, id))
            p.lists[nlists++] = id;
    }
    p.lists[nlists] = NULL;
    json_error_t jerr;
    json_t *body = req->body_len ? json_loadb(req->body, req->body_len, 0, &jerr) : NULL;
    if (!body) {
        char msg[300];
        snprintf(msg, sizeof msg, "body: %s", req->body_len ? jerr.text : "empty");
        peer_error(resp, 400, "detail",
                   req->body_len && json_error_code(&jerr) == json_error_invalid_utf8 ? XC_UTF8
                                                                                      : XC_PARSE,
                   msg);
        return;
    }
    const json_t *queries = json_object_get(body, "queries");
    if (!json_is_object(queries) || json_object_size(queries) == 0) {
        peer_error(resp, 400, "detail", XC_INVALID, "No queries provided.");
        json_decref(body);
        return;
    }
    if (json_object_size(queries) > SRV_MAX_BATCH) {
        char msg[100];
        snprintf(msg, sizeof msg, "Too many queries in one batch (limit: %d)", SRV_MAX_BATCH);
        peer_error(resp, 400, "detail", XC_TOOBIG, msg);
        json_decref(body);
        return;
    }
    json_t *responses = json_object();
    const char *key;
    const json_t *query;
    json_object_foreach((json_t *)queries, key, query) {
        if (!json_is_null(query))
            json_object_set_new(responses, key, yente_query(ctx, &p, key, query));
    }
    json_t *doc = json_pack("{s:o,s:i}", "responses", responses, "limit", p.limit);
    snprintf(resp->extra_header, sizeof resp->extra_header, "x-batch-size: %zu",
             json_object_size(responses));
    srv_json(resp, 200, doc);
    json_decref(doc);
    json_decref(body);
}

/* ---- watchman: GET /v2/search, GET /v2/listinfo ---- */

static const char *watchman_type(const char *kind)
{
    if (strcmp(kind, "person") == 0)
        return "person";
    if (strcmp(kind, "org") == 0)
        return "business";
    if (strcmp(kind, "vessel") == 0)
        return "vessel";
    if (strcmp(kind, "aircraft") == 0)
        return "aircraft";
    return "unknown";
}

/* "YYYY-MM-DD" as watchman's time ("YYYY-MM-DDT00:00:00Z"); null for a partial date. */
static json_t *watchman_date(const char *date)
{
    int y, m, d;
    char tail;
    if (!date || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return json_null();
    char out[32];
    snprintf(out, sizeof out, "%04d-%02d-%02dT00:00:00Z", y, m, d);
    return json_string(out);
}

static json_t *watchman_entity(const json_t *match)
{
    const json_t *e = json_object_get(match, "entity");
    const char *kind = json_string_value(json_object_get(match, "kind"));
    const char *type = watchman_type(kind ? kind : "");
    const char *name = json_string_value(json_object_get(match, "name"));
    json_t *alt = json_array();
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(e, "names"), i, v) {
        const char *t = json_string_value(json_object_get(v, "type"));
        if (!t || strcmp(t, "primary") != 0)
            json_array_append(alt, json_object_get(v, "name"));
    }
    json_t *gov = json_array();
    const char *imo = "", *mmsi = "", *call_sign = "";
    json_array_foreach(json_object_get(e, "identifiers"), i, v) {
        const char *t = json_string_value(json_object_get(v, "type"));
        const char *value = json_string_value(json_object_get(v, "value"));
        t = t ? t : "";
        if (strcasecmp(t, "IMO") == 0)
            imo = value;
        else if (strcasecmp(t, "MMSI") == 0)
            mmsi = value;
        else if (strcasecmp(t, "Call Sign") == 0)
            call_sign = value;
        const char *country = json_string_value(json_object_get(v, "country"));
        json_array_append_new(gov, json_pack("{s:s,s:s,s:s,s:s}", "name", t, "type",
                                             strncasecmp(t, "passport", 8) == 0 ? "passport"
                                             : strncasecmp(t, "tax", 3) == 0    ? "tax-id"
                                             : strncasecmp(t, "national", 8) == 0
                                                 ? "national-id"
                                                 : t,
                                             "country", country ? country : "", "identifier",
                                             value ? value : ""));
    }
    const json_t *dobs = json_object_get(e, "dates_of_birth");
    const json_t *pobs = json_object_get(e, "places_of_birth");
    json_t *person = json_null(), *business = json_null(), *vessel = json_null(),
           *aircraft = json_null();
    if (strcmp(type, "person") == 0) {
        const char *pob = json_string_value(json_array_get(pobs, 0));
        person = json_pack("{s:s?,s:O,s:s,s:o,s:s,s:n,s:[],s:O}", "name", name, "altNames", alt,
                           "gender", "unknown", "birthDate",
                           watchman_date(json_string_value(json_array_get(dobs, 0))),
                           "placeOfBirth", pob ? pob : "", "deathDate", "titles",
                           "governmentIDs", gov);
    } else if (strcmp(type, "business") == 0) {
        business = json_pack("{s:s?,s:O,s:n,s:n,s:O}", "name", name, "altNames", alt, "created",
                             "dissolved", "governmentIDs", gov);
    } else if (strcmp(type, "vessel") == 0) {
        vessel = json_pack("{s:s?,s:O,s:s,s:s,s:s,s:n,s:s,s:i,s:s,s:s,s:i,s:s}", "name", name,
                           "altNames", alt, "imoNumber", imo, "type", "", "flag", "", "built",
                           "model", "", "tonnage", 0, "mmsi", mmsi, "callSign", call_sign,
                           "grossRegisteredTonnage", 0, "owner", "");
    } else if (strcmp(type, "aircraft") == 0) {
        aircraft = json_pack("{s:s?,s:O,s:s,s:s,s:n,s:s,s:s,s:s}", "name", name, "altNames", alt,
                             "type", "", "flag", "", "built", "icaoCode", "", "model", "",
                             "serialNumber", "");
    }
    json_t *addresses = json_array();
    json_array_foreach(json_object_get(e, "addresses"), i, v)
        json_array_append_new(addresses, json_pack("{s:O,s:s,s:s,s:s,s:s,s:s,s:f,s:f}", "line1",
                                                   v, "line2", "", "city", "", "postalCode", "",
                                                   "state", "", "country", "", "latitude", 0.0,
                                                   "longitude", 0.0));
    const char *remarks = json_string_value(json_object_get(e, "remarks"));
    json_t *out = json_pack(
        "{s:s?,s:s,s:O?,s:O?,s:o,s:o,s:n,s:o,s:o,s:{s:[],s:[],s:[],s:[]},s:o,s:[],s:[],"
        "s:{s:O?,s:b,s:s},s:[],s:n,s:O?}",
        "name", name, "entityType", type, "sourceList", json_object_get(match, "list"),
        "sourceID", json_object_get(match, "entity_id"), "person", person, "business", business,
        "organization", "aircraft", aircraft, "vessel", vessel, "contact", "emailAddresses",
        "phoneNumbers", "faxNumbers", "websites", "addresses", addresses, "cryptoAddresses",
        "affiliations", "sanctionsInfo", "programs", json_object_get(e, "programs"),
        "secondary", remarks && strstr(remarks, "Secondary Sanctions") != NULL, "description",
        remarks ? remarks : "", "historicalInfo", "sourceData", "match",
        json_object_get(match, "score"));
    json_decref(alt);
    json_decref(gov);
    return out;
}

static void watchman_search(const srv_ctx *ctx, const srv_request *req, srv_response *resp)
{
    const char *name = srv_arg(req, "name");
    if (!name || !*name) {
        peer_error(resp, 400, "error", XC_INVALID, "name: required");
        return;
    }
    xc_party party = {0};
    party.name = name;
    const char *type = srv_arg(req, "type");
    if (type && *type) {
        if (strcasecmp(type, "person") == 0)
            party.kind = XC_KIND_PERSON;
        else if (strcasecmp(type, "business") == 0 || strcasecmp(type, "organization") == 0)
            party.kind = XC_KIND_ORG;
        else if (strcasecmp(type, "vessel") == 0)
            party.kind = XC_KIND_VESSEL;
        else if (strcasecmp(type, "aircraft") == 0)
            party.kind = XC_KIND_AIRCRAFT;
        else {
            peer_error(resp, 400, "error", XC_INVALID,
                       "type: person, business, organization, vessel or aircraft expected");
            return;
        }
    }
    party.dob = srv_arg(req, "birthDate");
    xc_screen_opts opts = {0};
    opts.top = 10;
    const char *v = srv_arg(req, "limit");
    if (v) {
        long limit = strtol(v, NULL, 10); /* as watchman: a bad or <= 0 limit is the default */
        opts.top = limit > 0 ? (limit > 100 ? 100 : (int)limit) : 10;
    }
    double min_match = 0;
    if (!parse_double(srv_arg(req, "minMatch"), &min_match)) {
        peer_error(resp, 400, "error", XC_INVALID, "minMatch: a number in [0,1] expected");
        return;
    }
    opts.threshold = min_match; /* 0 = xcheck's default threshold (the possible band) */
    xc_error err = {0};
    json_t *doc = screen_parsed(ctx, &party, &opts, &err);
    if (!doc) {
        peer_error(resp, 0, "error", err.code, err.message);
        return;
    }
    json_t *entities = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(doc, "matches"), i, m)
        json_array_append_new(entities, watchman_entity(m));
    const char *qtype = party.kind == XC_KIND_ANY ? "" : watchman_type(xc_kind_name(party.kind));
    json_t *person = json_null();
    if (party.kind == XC_KIND_PERSON)
        person = json_pack("{s:s,s:[],s:s,s:o}", "name", name, "altNames", "gender", "unknown",
                           "birthDate", watchman_date(party.dob));
    json_t *out = json_pack("{s:{s:s,s:s,s:s,s:s,s:o},s:o}", "query", "name", name, "entityType",
                            qtype, "sourceList", "api-request", "sourceID", "", "person", person,
                            "entities", entities);
    srv_json(resp, 200, out);
    json_decref(out);
    json_decref(doc);
}

static void watchman_listinfo(const srv_ctx *ctx, srv_response *resp)
{
    json_t *lists = json_object(), *hashes = json_object();
    for (size_t i = 0; i < xc_engine_list_count(ctx->eng); i++) {
        const xc_list_info *l = xc_engine_list(ctx->eng, i);
        json_object_set_new(lists, l->id, json_integer((json_int_t)l->entities));
        json_object_set_new(hashes, l->id, json_string(l->sha256));
    }
    char when[32];
    struct tm tm;
    gmtime_r(&ctx->started, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *out = json_pack("{s:o,s:o,s:s,s:s,s:s}", "lists", lists, "listHashes", hashes,
                            "startedAt", when, "endedAt", when, "version", "xcheck " XC_VERSION);
    srv_json(resp, 200, out);
    json_decref(out);
}

bool srv_compat_route(const srv_ctx *ctx, const srv_request *req, srv_response *resp)
{
    if (strncmp(req->path, "/match/", 7) == 0 && req->path[7] && !strchr(req->path + 7, '/')) {
        resp->endpoint = "/match";
        yente_match(ctx, req, req->path + 7, resp);
        return true;
    }
    if (strcmp(req->path, "/v2/search") == 0 || strcmp(req->path, "/v2/listinfo") == 0) {
        bool search = req->path[4] == 's';
        resp->endpoint = search ? "/v2/search" : "/v2/listinfo";
        if (strcmp(req->method, "GET") != 0) {
            snprintf(resp->extra_header, sizeof resp->extra_header, "Allow: GET");
            peer_error(resp, 405, "error", XC_UNSUPPORTED, "method not allowed (use GET)");
        } else if (search) {
            watchman_search(ctx, req, resp);
        } else {
            watchman_listinfo(ctx, resp);
        }
        return true;
    }
    return false;
}
