/*
 * routes.c — the native API of `xcheck serve`, versioned under /v1, plus health and readiness:
 *   GET  /v1/screen?name=&kind=&country=&dob=&ref=&id=&threshold=&top=&list=&scorer=
 *   POST /v1/screen          one party object, a JSON array of them (at most SRV_MAX_BATCH), or
 *                            JSON Lines in and out (Content-Type: application/x-ndjson)
 *   GET  /v1/lists           the lists loaded: versions, ages, counts
 *   GET  /v1/entities/{list}/{id}   one listed entity whole (xc_entity_json)
 *   POST /v1/decide          a shipment (xc_decide_json)
 *   GET  /healthz, /readyz, /metrics (metrics.c)
 * Screen answers are xc_result_json's, byte for byte what `xcheck screen --json` prints; a
 * batch answers every row in input order, a row's error in its place. Routes not listed here go
 * to compat.c (yente, watchman), then 404.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server.h"

#define MAX_IDS 17 /* one more than the library takes, so that it names the limit */

/* A party read from a JSON object; strings borrowed from the object (or ref_buf). */
typedef struct party_in {
    xc_party party;
    const char *idv[MAX_IDS + 1];
    char ref_buf[32];
} party_in;

static const char *opt_string(const json_t *obj, const char *key, xc_error *err, bool *bad)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        err->code = XC_INVALID;
        snprintf(err->message, sizeof err->message, "%s: a string expected", key);
        *bad = true;
        return NULL;
    }
    return json_string_value(v);
}

/* {"name":..,"kind":..,"country":..,"dob":..,"id":..(string or number: the caller's
 * reference),"ids":[..] or ".."} into p. false with err set when a field has the wrong type. */
static bool party_from_json(const json_t *obj, party_in *p, xc_error *err)
{
    memset(p, 0, sizeof *p);
    if (!json_is_object(obj)) {
        err->code = XC_INVALID;
        snprintf(err->message, sizeof err->message, "a party object expected");
        return false;
    }
    bool bad = false;
    p->party.name = opt_string(obj, "name", err, &bad);
    const char *kind = opt_string(obj, "kind", err, &bad);
    p->party.country = opt_string(obj, "country", err, &bad);
    p->party.dob = opt_string(obj, "dob", err, &bad);
    if (bad)
        return false;
    const json_t *ref = json_object_get(obj, "id");
    if (json_is_string(ref)) {
        p->party.id = json_string_value(ref);
    } else if (json_is_integer(ref)) {
        snprintf(p->ref_buf, sizeof p->ref_buf, "%" JSON_INTEGER_FORMAT, json_integer_value(ref));
        p->party.id = p->ref_buf;
    } else if (ref && !json_is_null(ref)) {
        err->code = XC_INVALID;
        snprintf(err->message, sizeof err->message, "id: a string or an integer expected");
        return false;
    }
    if (!p->party.name) {
        err->code = XC_INVALID;
        snprintf(err->message, sizeof err->message, "name: required");
        return false;
    }
    if (kind && xc_kind_parse(kind, &p->party.kind) != XC_OK) {
        err->code = XC_INVALID;
        snprintf(err->message, sizeof err->message, "kind: unknown kind '%.40s'", kind);
        return false;
    }
    const json_t *ids = json_object_get(obj, "ids");
    size_t n = 0;
    if (json_is_string(ids)) {
        p->idv[n++] = json_string_value(ids);
    } else if (json_is_array(ids)) {
        size_t i;
        const json_t *v;
        json_array_foreach(ids, i, v) {
            if (!json_is_string(v)) {
                err->code = XC_INVALID;
                snprintf(err->message, sizeof err->message, "ids[%zu]: a string expected", i);
                return false;
            }
            if (n < MAX_IDS)
                p->idv[n++] = json_string_value(v);
        }
    } else if (ids && !json_is_null(ids)) {
        err->code = XC_INVALID;
        snprintf(err->message, sizeof err->message, "ids: an array of strings expected");
        return false;
    }
    p->idv[n] = NULL;
    p->party.ids = n ? p->idv : NULL;
    return true;
}

/* The result JSON of one screening (xc_free it), or NULL with err set. */
static char *screen_one(const srv_ctx *ctx, const xc_party *party, const xc_screen_opts *opts,
                        xc_error *err)
{
    xc_result *res = NULL;
    xc_status rc = xc_screen(ctx->eng, party, opts, &res, err);
    srv_metrics_screened(ctx->metrics, rc == XC_OK);
    if (rc != XC_OK)
        return NULL;
    char *json = xc_result_json(res);
    xc_result_free(res);
    if (!json) {
        err->code = XC_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory");
    }
    return json;
}

/* {"<where>":N,"id":ref|null,"error":{..}} of a batch row that failed, appended to out. */
static void row_error(srv_buf *out, const char *where, size_t n, const char *ref,
                      const xc_error *err)
{
    json_t *row = json_pack("{s:I,s:s?,s:o}", where, (json_int_t)n, "id", ref, "error",
                            srv_error_object(err));
    char *text = row ? json_dumps(row, JSON_COMPACT) : NULL;
    if (text)
        srv_buf_str(out, text);
    else
        out->failed = true;
    free(text);
    json_decref(row);
}

static void screen_row(const srv_ctx *ctx, const json_t *obj, const xc_screen_opts *opts,
                       srv_buf *out, const char *where, size_t n)
{
    party_in p;
    xc_error err = {0};
    char *json = NULL;
    if (party_from_json(obj, &p, &err))
        json = screen_one(ctx, &p.party, opts, &err);
    else
        srv_metrics_screened(ctx->metrics, false);
    if (json) {
        srv_buf_str(out, json);
    } else {
        const json_t *ref = json_is_object(obj) ? json_object_get(obj, "id") : NULL;
        char number[32];
        if (json_is_integer(ref))
            snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value(ref));
        row_error(out, where, n, json_is_integer(ref) ? number : json_string_value(ref), &err);
    }
    xc_free(json);
}

/* A batch: rows screened by several threads (the engine is shared; each row's answer goes to
 * its own buffer), then joined in input order. */
typedef struct batch_row {
    const json_t *obj; /* the party; NULL when out already holds the row's error */
    size_t n;          /* index or line number */
    srv_buf out;
} batch_row;

typedef struct batch {
    const srv_ctx *ctx;
    const xc_screen_opts *opts;
    const char *where; /* "index" or "line" */
    batch_row *rows;
    size_t count;
    atomic_size_t next;
} batch;

static void *batch_worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->count)
            return NULL;
        if (b->rows[i].obj)
            screen_row(b->ctx, b->rows[i].obj, b->opts, &b->rows[i].out, b->where,
                       b->rows[i].n);
    }
}

#define ROWS_PER_THREAD 32 /* smaller batches are screened by the request's thread alone */

static void batch_run(batch *b)
{
    long threads = b->ctx->cfg->threads > 0 ? b->ctx->cfg->threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (threads > 16)
        threads = 16;
    if ((size_t)threads > b->count / ROWS_PER_THREAD)
        threads = (long)(b->count / ROWS_PER_THREAD);
    pthread_t tid[16];
    long started = 0;
    for (long t = 1; t < threads; t++)
        if (pthread_create(&tid[started], NULL, batch_worker, b) == 0)
            started++;
    batch_worker(b); /* this thread works too; alone when no thread could start */
    for (long t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
}

/* Joins the rows' answers with sep (and ends with end) into out; frees the rows' buffers. */
static void batch_join(batch *b, srv_buf *out, const char *sep, const char *end)
{
    for (size_t i = 0; i < b->count; i++) {
        if (i && sep)
            srv_buf_str(out, sep);
        if (b->rows[i].out.failed || !b->rows[i].out.data)
            out->failed = true;
        else
            srv_buf_add(out, b->rows[i].out.data, b->rows[i].out.len);
        if (end)
            srv_buf_str(out, end);
        free(b->rows[i].out.data);
    }
}

static void finish_buf(srv_response *resp, srv_buf *out, const char *content_type)
{
    if (out->failed) {
        free(out->data);
        srv_error(resp, 503, XC_NOMEM, "out of memory");
        return;
    }
    if (!out->data)
        srv_buf_str(out, "");
    resp->content_type = content_type;
    srv_text(resp, 200, out->data, out->len);
}

static void screen_get(const srv_ctx *ctx, const srv_request *req, srv_response *resp)
{
    xc_screen_opts opts = {0};
    const char *lists[64];
    if (!srv_screen_opts(req, &opts, lists, resp))
        return;
    party_in p;
    memset(&p, 0, sizeof p);
    p.party.name = srv_arg(req, "name");
    p.party.country = srv_arg(req, "country");
    p.party.dob = srv_arg(req, "dob");
    p.party.id = srv_arg(req, "ref");
    if (!p.party.name || !*p.party.name) {
        srv_error(resp, 0, XC_INVALID, "name: required (GET /v1/screen?name=...)");
        return;
    }
    const char *kind = srv_arg(req, "kind");
    if (kind && *kind && xc_kind_parse(kind, &p.party.kind) != XC_OK) {
        srv_error(resp, 0, XC_INVALID, "kind: unknown kind '%.40s'", kind);
        return;
    }
    size_t n = srv_args(req, "id", p.idv, MAX_IDS);
    if (n > MAX_IDS)
        n = MAX_IDS;
    p.idv[n] = NULL;
    p.party.ids = n ? p.idv : NULL;
    xc_error err = {0};
    char *json = screen_one(ctx, &p.party, &opts, &err);
    if (!json) {
        srv_error(resp, 0, err.code, "%s", err.message);
        return;
    }
    char *copy = strdup(json);
    xc_free(json);
    if (!copy) {
        srv_error(resp, 503, XC_NOMEM, "out of memory");
        return;
    }
    srv_text(resp, 200, copy, strlen(copy));
}

static bool is_ndjson(const srv_request *req)
{
    const char *type =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!type)
        return false;
    return strncasecmp(type, "application/x-ndjson", 20) == 0 ||
           strncasecmp(type, "application/jsonl", 17) == 0 ||
           strncasecmp(type, "application/jsonlines", 21) == 0;
}

/* JSON Lines: every line one party; the answer has one line per input line that is not blank,
 * in order, a line that fails as {"line":N,"error":{..}}. */
static void screen_ndjson(const srv_ctx *ctx, const srv_request *req, const xc_screen_opts *opts,
                          srv_response *resp)
{
    size_t lines = 0;
    for (size_t i = 0; i < req->body_len; i++)
        lines += req->body[i] == '\n';
    if (lines > SRV_MAX_BATCH) {
        srv_error(resp, 0, XC_TOOBIG, "%zu lines: at most %d parties in one request", lines,
                  SRV_MAX_BATCH);
        return;
    }
    batch_row *rows = calloc(lines + 1, sizeof *rows);
    json_t **objs = calloc(lines + 1, sizeof *objs);
    if (!rows || !objs) {
        free(rows);
        free(objs);
        srv_error(resp, 503, XC_NOMEM, "out of memory");
        return;
    }
    size_t line = 0, count = 0;
    for (const char *p = req->body, *end = req->body + req->body_len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        line++;
        size_t len = (size_t)(stop - p);
        while (len && (p[len - 1] == '\r' || p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        size_t skip = 0;
        while (skip < len && (p[skip] == ' ' || p[skip] == '\t'))
            skip++;
        if (len > skip) {
            batch_row *r = &rows[count];
            json_error_t jerr;
            r->n = line;
            r->obj = objs[count] = json_loadb(p + skip, len - skip, 0, &jerr);
            if (!r->obj) {
                xc_error err = {json_error_code(&jerr) == json_error_invalid_utf8 ? XC_UTF8
                                                                                   : XC_PARSE,
                                ""};
                snprintf(err.message, sizeof err.message, "line %zu column %d: %s", line,
                         jerr.column, jerr.text);
                row_error(&r->out, "line", line, NULL, &err);
                srv_metrics_screened(ctx->metrics, false);
            }
            count++;
        }
        p = stop + 1;
    }
    batch b = {ctx, opts, "line", rows, count, 0};
    batch_run(&b);
    srv_buf out = {0};
    batch_join(&b, &out, NULL, "\n");
    for (size_t i = 0; i < count; i++)
        json_decref(objs[i]);
    free(objs);
    free(rows);
    finish_buf(resp, &out, "application/x-ndjson");
}

static void screen_post(const srv_ctx *ctx, const srv_request *req, srv_response *resp)
{
    xc_screen_opts opts = {0};
    const char *lists[64];
    if (!srv_screen_opts(req, &opts, lists, resp))
        return;
    if (is_ndjson(req)) {
        screen_ndjson(ctx, req, &opts, resp);
        return;
    }
    json_t *doc = srv_parse_json(req->body, req->body_len, resp);
    if (!doc)
        return;
    srv_buf out = {0};
    if (json_is_array(doc)) {
        size_t count = json_array_size(doc);
        if (count > SRV_MAX_BATCH) {
            srv_error(resp, 0, XC_TOOBIG, "%zu parties: at most %d in one request", count,
                      SRV_MAX_BATCH);
            json_decref(doc);
            return;
        }
        batch_row *rows = calloc(count + 1, sizeof *rows);
        if (!rows) {
            srv_error(resp, 503, XC_NOMEM, "out of memory");
            json_decref(doc);
            return;
        }
        for (size_t i = 0; i < count; i++) {
            rows[i].obj = json_array_get(doc, i);
            rows[i].n = i;
        }
        batch b = {ctx, &opts, "index", rows, count, 0};
        batch_run(&b);
        srv_buf_add(&out, "[", 1);
        batch_join(&b, &out, ",", NULL);
        free(rows);
        srv_buf_add(&out, "]", 1);
        finish_buf(resp, &out, NULL);
    } else {
        party_in p;
        xc_error err = {0};
        char *json = NULL;
        if (party_from_json(doc, &p, &err))
            json = screen_one(ctx, &p.party, &opts, &err);
        if (json) {
            srv_buf_str(&out, json);
            finish_buf(resp, &out, NULL);
        } else {
            srv_error(resp, 0, err.code, "%s", err.message);
        }
        xc_free(json);
    }
    json_decref(doc);
}

static void lists_get(const srv_ctx *ctx, srv_response *resp)
{
    time_t now = time(NULL);
    json_t *lists = json_array();
    for (size_t i = 0; i < xc_engine_list_count(ctx->eng); i++) {
        const xc_list_info *l = xc_engine_list(ctx->eng, i);
        long age = srv_age_days(l->version, now);
        json_array_append_new(
            lists, json_pack("{s:s,s:s,s:s?,s:o,s:I,s:I,s:I,s:s,s:b,s:s}", "id", l->id, "title",
                             l->title, "version", *l->version ? l->version : NULL, "age_days",
                             age >= 0 ? json_integer(age) : json_null(), "entities",
                             (json_int_t)l->entities, "names", (json_int_t)l->names,
                             "rows_skipped", (json_int_t)l->rows_skipped, "sha256", l->sha256,
                             "incomplete", l->incomplete, "missing", l->missing));
    }
    json_t *warnings = json_array();
    for (size_t i = 0; i < xc_engine_warning_count(ctx->eng); i++)
        json_array_append_new(warnings, json_string(xc_engine_warning(ctx->eng, i)));
    json_t *doc = json_pack("{s:o,s:o}", "lists", lists, "warnings", warnings);
    srv_json(resp, 200, doc);
    json_decref(doc);
}

static void entity_get(const srv_ctx *ctx, const char *rest, srv_response *resp)
{
    const char *slash = strchr(rest, '/');
    if (!slash || slash == rest || !slash[1]) {
        srv_error(resp, 404, XC_NOTFOUND, "GET /v1/entities/{list}/{id} expected");
        return;
    }
    char list[128];
    snprintf(list, sizeof list, "%.*s", (int)(slash - rest), rest);
    char *json = NULL;
    xc_error err = {0};
    if (xc_entity_json(ctx->eng, list, slash + 1, &json, &err) != XC_OK) {
        srv_error(resp, 0, err.code, "%s", err.message);
        return;
    }
    char *copy = strdup(json);
    xc_free(json);
    if (!copy) {
        srv_error(resp, 503, XC_NOMEM, "out of memory");
        return;
    }
    srv_text(resp, 200, copy, strlen(copy));
}

static void decide_post(const srv_ctx *ctx, const srv_request *req, srv_response *resp)
{
    char *json = NULL;
    xc_error err = {0};
    if (xc_decide_json(ctx->eng, req->body, req->body_len, &json, &err) != XC_OK) {
        srv_error(resp, 0, err.code, "%s", err.message);
        return;
    }
    char *copy = strdup(json);
    xc_free(json);
    if (!copy) {
        srv_error(resp, 503, XC_NOMEM, "out of memory");
        return;
    }
    srv_text(resp, 200, copy, strlen(copy));
}

static void readyz(const srv_ctx *ctx, srv_response *resp)
{
    size_t count = xc_engine_list_count(ctx->eng);
    time_t now = time(NULL);
    json_t *stale = json_array();
    for (size_t i = 0; i < count && ctx->cfg->max_age_days > 0; i++) {
        const xc_list_info *l = xc_engine_list(ctx->eng, i);
        long age = srv_age_days(l->version, now);
        if (age > ctx->cfg->max_age_days)
            json_array_append_new(stale, json_string(l->id));
    }
    bool ready = count > 0 && json_array_size(stale) == 0;
    json_t *doc = json_pack("{s:b,s:I,s:o}", "ready", ready, "lists", (json_int_t)count,
                            "stale", stale);
    srv_json(resp, ready ? 200 : 503, doc);
    json_decref(doc);
}

static bool method_is(const srv_request *req, const char *method, srv_response *resp)
{
    if (strcmp(req->method, method) == 0)
        return true;
    snprintf(resp->extra_header, sizeof resp->extra_header, "Allow: %s", method);
    srv_error(resp, 405, XC_UNSUPPORTED, "%s %s: method not allowed (use %s)", req->method,
              req->path, method);
    return false;
}

void srv_route(const srv_ctx *ctx, const srv_request *req, srv_response *resp)
{
    const char *path = req->path;
    if (strcmp(path, "/v1/screen") == 0) {
        resp->endpoint = "/v1/screen";
        if (strcmp(req->method, "GET") == 0) {
            screen_get(ctx, req, resp);
        } else if (strcmp(req->method, "POST") == 0) {
            screen_post(ctx, req, resp);
        } else {
            snprintf(resp->extra_header, sizeof resp->extra_header, "Allow: GET, POST");
            srv_error(resp, 405, XC_UNSUPPORTED, "%s /v1/screen: method not allowed (use GET "
                      "or POST)", req->method);
        }
    } else if (strcmp(path, "/v1/lists") == 0) {
        resp->endpoint = "/v1/lists";
        if (method_is(req, "GET", resp))
            lists_get(ctx, resp);
    } else if (strncmp(path, "/v1/entities/", 13) == 0) {
        resp->endpoint = "/v1/entities";
        if (method_is(req, "GET", resp))
            entity_get(ctx, path + 13, resp);
    } else if (strcmp(path, "/v1/decide") == 0) {
        resp->endpoint = "/v1/decide";
        if (method_is(req, "POST", resp))
            decide_post(ctx, req, resp);
    } else if (strcmp(path, "/healthz") == 0) {
        resp->endpoint = "/healthz";
        if (method_is(req, "GET", resp)) {
            char *ok = strdup("{\"status\":\"ok\"}");
            srv_text(resp, ok ? 200 : 503, ok, ok ? strlen(ok) : 0);
        }
    } else if (strcmp(path, "/metrics") == 0) {
        resp->endpoint = "/metrics";
        if (method_is(req, "GET", resp))
            srv_metrics_render(ctx, resp);
    } else if (strcmp(path, "/readyz") == 0) {
        resp->endpoint = "/readyz";
        if (method_is(req, "GET", resp))
            readyz(ctx, resp);
    } else if (!srv_compat_route(ctx, req, resp)) {
        resp->endpoint = "other";
        srv_error(resp, 404, XC_NOTFOUND, "no such endpoint: %s %s", req->method, path);
    }
}
