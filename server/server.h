/*
 * server.h — the HTTP JSON service behind `xcheck serve` (libmicrohttpd). The server is a front
 * end like the CLI: it includes only xcheck.h (and jansson to read request bodies), never the
 * library's internal headers. server.c owns the daemon (listening, threads, body limits, one log
 * line per request, clean stop on SIGTERM/SIGINT); routes.c the native /v1 API, health and
 * readiness; compat.c the yente and watchman drop-in endpoints; json.c the shared helpers (the
 * status-to-HTTP table, error bodies, growing buffers, request parameters).
 */
#ifndef XC_SERVER_H
#define XC_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "xcheck.h"

/* How `xcheck serve` runs (cmd_serve.c fills it from the command line). */
typedef struct srv_config {
    const char *listen;  /* "ADDR:PORT" ("[ADDR]:PORT" for IPv6); NULL = 127.0.0.1:8080 */
    int threads;         /* request threads; <= 0 = the online cores */
    bool log_json;       /* one JSON object per request line instead of text */
    size_t max_body;     /* largest request body accepted; 0 = SRV_MAX_BODY */
    int max_age_days;    /* /readyz fails when a list is older than this; 0 = no check */
    FILE *ready_out;     /* where "listening on http://HOST:PORT" is written (first line) */
} srv_config;

#define SRV_MAX_BODY (32u * 1024u * 1024u) /* default body limit: 10,000 parties fit easily */
#define SRV_MAX_BATCH 10000                /* parties in one POST /v1/screen or /match */

/* Serves eng (borrowed; must outlive the call) until SIGTERM or SIGINT. The calling thread
 * blocks both before the daemon's threads start (they inherit the mask) and waits for them with
 * sigwait; a caller that blocks them earlier (cmd_serve.c, during the engine open) keeps a
 * signal pending until then. Requests in flight when the signal comes are finished (up to 30 s)
 * before the daemon stops. Returns 0 after a clean stop, 1 after printing why the server could
 * not start. */
int srv_run(const xc_engine *eng, const srv_config *cfg);

/* ---- Request and response, as the handlers see them ---- */
struct MHD_Connection;

typedef struct srv_metrics srv_metrics;

typedef struct srv_ctx {
    const xc_engine *eng;
    const srv_config *cfg;
    time_t started;       /* when the server started serving (UTC) */
    srv_metrics *metrics; /* counters the request threads update (metrics.c) */
} srv_ctx;

typedef struct srv_request {
    struct MHD_Connection *conn;
    const char *method;  /* "GET", "POST", ... */
    const char *path;    /* decoded path, no query string */
    const char *body;    /* NUL-terminated (len excludes the NUL); "" when none */
    size_t body_len;
} srv_request;

typedef struct srv_response {
    int status;               /* HTTP status */
    char *body;               /* owned, freed with free() */
    size_t len;
    const char *content_type; /* static; NULL = application/json */
    const char *endpoint;     /* static route label for logs and metrics ("/v1/screen") */
    char extra_header[64];    /* "Name: value" added to the response, or "" */
} srv_response;

/* Dispatches a complete request (routes.c). Always fills resp. */
void srv_route(const srv_ctx *ctx, const srv_request *req, srv_response *resp);
/* The yente and watchman endpoints (compat.c). srv_compat_route returns false when the path is
 * none of theirs. */
bool srv_compat_route(const srv_ctx *ctx, const srv_request *req, srv_response *resp);

/* ---- Metrics (metrics.c): GET /metrics in the Prometheus text format ---- */
srv_metrics *srv_metrics_new(void); /* NULL on out of memory (the counters are then off) */
void srv_metrics_free(srv_metrics *m);
/* One answered request: its route label (srv_response.endpoint), HTTP status and duration. */
void srv_metrics_request(srv_metrics *m, const char *endpoint, int status, double seconds);
/* One party screened (ok) or refused. */
void srv_metrics_screened(srv_metrics *m, bool ok);
void srv_metrics_in_flight(srv_metrics *m, int delta);
/* Fills resp with the text format (requests, latency, screens, lists). */
void srv_metrics_render(const srv_ctx *ctx, srv_response *resp);

/* ---- Helpers (json.c) ---- */
/* Days from a YYYY-MM-DD date to now (0 for a date after now), or -1 when it is no such date. */
long srv_age_days(const char *date, time_t now);
/* The HTTP status of a library status: one table (json.c). */
int srv_http_status(xc_status status);
/* Fills resp with {"error":{"code":"XC_…","message":…}}; http 0 = srv_http_status(code). */
void srv_error(srv_response *resp, int http, xc_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Fills resp with the JSON text of value (value is not consumed); 500 on out of memory. */
void srv_json(srv_response *resp, int http, const json_t *value);
/* Takes ownership of text (allocated with malloc), as the body. */
void srv_text(srv_response *resp, int http, char *text, size_t len);

/* A growing byte buffer for response bodies. */
typedef struct srv_buf {
    char *data;
    size_t len, cap;
    bool failed; /* an allocation failed: the content is incomplete */
} srv_buf;
void srv_buf_add(srv_buf *b, const char *s, size_t len);
void srv_buf_str(srv_buf *b, const char *s);

/* Query-string parameters. srv_arg: the first value of name, or NULL. srv_args: every value of
 * a repeated parameter, in order, at most max, into out (borrowed from the connection); returns
 * the count. */
const char *srv_arg(const srv_request *req, const char *name);
size_t srv_args(const srv_request *req, const char *name, const char **out, size_t max);

/* Screening options from the query string (threshold, top, list, scorer); lists receives the
 * list ids (NULL-terminated, at most 63). false with resp filled when one is invalid. */
bool srv_screen_opts(const srv_request *req, xc_screen_opts *opts, const char **lists,
                     srv_response *resp);

/* Parses body as JSON; false with resp filled (400 XC_PARSE, or XC_UTF8 for invalid UTF-8). */
json_t *srv_parse_json(const char *body, size_t len, srv_response *resp);

/* {"code":"XC_…","message":…} of an error (new reference; NULL on out of memory). */
json_t *srv_error_object(const xc_error *err);

#endif /* XC_SERVER_H */
