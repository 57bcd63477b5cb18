/*
 * json.c — helpers the server's handlers share: the one table mapping library statuses to HTTP
 * statuses, error bodies ({"error":{"code":"XC_…","message":…}}), a growing response buffer,
 * query-string parameters and screening options, and request-body parsing (jansson).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "server.h"

/* One row per library status; statuses not listed are 500. A status is the client's fault
 * (4xx) only when the request alone decides it. */
static const struct {
    xc_status status;
    int http;
} http_table[] = {
    {XC_OK, 200},          {XC_ERROR, 500},       {XC_NOMEM, 503},   {XC_INVALID, 400},
    {XC_IO, 500},          {XC_PARSE, 400},       {XC_UTF8, 400},    {XC_TOOBIG, 413},
    {XC_NOTFOUND, 404},    {XC_UNSUPPORTED, 415}, {XC_NODATA, 503},  {XC_DB, 500},
    {XC_NETWORK, 502},     {XC_CORRUPT, 500},
};

int srv_http_status(xc_status status)
{
    for (size_t i = 0; i < sizeof http_table / sizeof http_table[0]; i++)
        if (http_table[i].status == status)
            return http_table[i].http;
    return 500;
}

void srv_buf_add(srv_buf *b, const char *s, size_t len)
{
    if (b->failed)
        return;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) {
            b->failed = true;
            return;
        }
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void srv_buf_str(srv_buf *b, const char *s)
{
    srv_buf_add(b, s, strlen(s));
}

void srv_text(srv_response *resp, int http, char *text, size_t len)
{
    free(resp->body);
    resp->status = http;
    resp->body = text;
    resp->len = len;
}

json_t *srv_error_object(const xc_error *err)
{
    return json_pack("{s:s,s:s}", "code", xc_status_name(err->code), "message",
                     err->message[0] ? err->message : xc_strerror(err->code));
}

void srv_json(srv_response *resp, int http, const json_t *value)
{
    char *text = value ? json_dumps(value, JSON_COMPACT) : NULL;
    if (!text) {
        static const char oom[] = "{\"error\":{\"code\":\"XC_NOMEM\",\"message\":\"out of memory\"}}";
        char *copy = strdup(oom);
        srv_text(resp, 503, copy, copy ? strlen(copy) : 0);
        return;
    }
    srv_text(resp, http, text, strlen(text));
}

void srv_error(srv_response *resp, int http, xc_status code, const char *fmt, ...)
{
    xc_error err = {code, ""};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err.message, sizeof err.message, fmt, ap);
    va_end(ap);
    json_t *inner = srv_error_object(&err);
    json_t *outer = inner ? json_pack("{s:o}", "error", inner) : NULL;
    srv_json(resp, http ? http : srv_http_status(code), outer);
    json_decref(outer);
}

const char *srv_arg(const srv_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

typedef struct arg_walk {
    const char *name;
    const char **out;
    size_t max, n;
} arg_walk;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    arg_walk *w = cls;
    (void)kind;
    if (key && strcmp(key, w->name) == 0) {
        if (w->n < w->max)
            w->out[w->n] = value ? value : "";
        w->n++;
    }
    return MHD_YES;
}

size_t srv_args(const srv_request *req, const char *name, const char **out, size_t max)
{
    arg_walk w = {name, out, max, 0};
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, collect_arg, &w);
    return w.n;
}

bool srv_screen_opts(const srv_request *req, xc_screen_opts *opts, const char **lists,
                     srv_response *resp)
{
    const char *v;
    if ((v = srv_arg(req, "threshold")) != NULL) {
        char *end;
        opts->threshold = strtod(v, &end);
        if (!*v || *end || !(opts->threshold > 0 && opts->threshold <= 1)) {
            srv_error(resp, 0, XC_INVALID, "threshold: a number in (0,1] expected");
            return false;
        }
    }
    if ((v = srv_arg(req, "top")) != NULL) {
        char *end;
        long top = strtol(v, &end, 10);
        if (!*v || *end || top < 1 || top > 1000) {
            srv_error(resp, 0, XC_INVALID, "top: a number from 1 to 1000 expected");
            return false;
        }
        opts->top = (int)top;
    }
    if ((v = srv_arg(req, "scorer")) != NULL) {
        if (strcmp(v, "xcheck") != 0 && strcmp(v, "ofac") != 0) {
            srv_error(resp, 0, XC_INVALID, "scorer: 'xcheck' or 'ofac' expected");
            return false;
        }
        opts->scorer = v;
    }
    size_t n = srv_args(req, "list", lists, 63);
    if (n > 63) {
        srv_error(resp, 0, XC_TOOBIG, "list: at most 63 lists");
        return false;
    }
    lists[n] = NULL;
    opts->lists = n ? lists : NULL;
    return true;
}

json_t *srv_parse_json(const char *body, size_t len, srv_response *resp)
{
    if (len == 0) {
        srv_error(resp, 0, XC_PARSE, "empty body: a JSON document expected");
        return NULL;
    }
    json_error_t jerr;
    json_t *value = json_loadb(body, len, 0, &jerr);
    if (!value) {
        xc_status code = json_error_code(&jerr) == json_error_invalid_utf8 ? XC_UTF8 : XC_PARSE;
        srv_error(resp, 0, code, "body line %d column %d: %s", jerr.line, jerr.column,
                  jerr.text);
    }
    return value;
}

/* Days from a YYYY-MM-DD date to now, or -1 when the text is no such date. */
long srv_age_days(const char *date, time_t now)
{
    int y, m, d;
    char tail;
    if (!date || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    time_t t = timegm(&tm);
    return t == (time_t)-1 || t > now ? (t > now ? 0 : -1) : (long)((now - t) / 86400);
}
