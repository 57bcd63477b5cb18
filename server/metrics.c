/*
 * metrics.c — the counters behind GET /metrics, in the Prometheus text format (names prefixed
 * xcheck_): requests by endpoint and HTTP status, a latency histogram by endpoint, parties
 * screened, requests in flight, and the lists loaded (entities, age, version). Counters are
 * atomics updated by the request threads without a lock; a scrape reads them as they are.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

/* Route labels (srv_response.endpoint); anything else counts as "other". */
static const char *const endpoints[] = {
    "/v1/screen", "/v1/lists", "/v1/entities", "/v1/decide", "/healthz", "/readyz",
    "/metrics",   "/match",    "/v2/search",   "/v2/listinfo", "other",
};
#define NEP (sizeof endpoints / sizeof endpoints[0])
/* Upper bounds of the latency buckets, seconds (then +Inf). */
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                 0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
#define NB (sizeof buckets / sizeof buckets[0])

struct srv_metrics {
    atomic_ulong requests[NEP][600]; /* by endpoint and HTTP status (100-599) */
    atomic_ulong latency[NEP][NB + 1];
    atomic_ulong latency_us[NEP];    /* sum, microseconds */
    atomic_ulong screens;            /* parties screened (each row of a batch) */
    atomic_ulong screen_errors;      /* parties refused (bad fields, ...) */
    atomic_int in_flight;
};

srv_metrics *srv_metrics_new(void)
{
    srv_metrics *m = calloc(1, sizeof *m); /* all-zero atomics are valid zero counters */
    return m;
}

void srv_metrics_free(srv_metrics *m)
{
    free(m);
}

static size_t endpoint_index(const char *endpoint)
{
    for (size_t i = 0; endpoint && i < NEP; i++)
        if (strcmp(endpoints[i], endpoint) == 0)
            return i;
    return NEP - 1;
}

void srv_metrics_request(srv_metrics *m, const char *endpoint, int status, double seconds)
{
    if (!m)
        return;
    size_t e = endpoint_index(endpoint);
    if (status >= 100 && status < 600)
        atomic_fetch_add_explicit(&m->requests[e][status], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < NB && seconds > buckets[b])
        b++;
    atomic_fetch_add_explicit(&m->latency[e][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->latency_us[e], (unsigned long)(seconds * 1e6),
                              memory_order_relaxed);
}

void srv_metrics_screened(srv_metrics *m, bool ok)
{
    if (m)
        atomic_fetch_add_explicit(ok ? &m->screens : &m->screen_errors, 1, memory_order_relaxed);
}

void srv_metrics_in_flight(srv_metrics *m, int delta)
{
    if (m)
        atomic_fetch_add_explicit(&m->in_flight, delta, memory_order_relaxed);
}

/* A label value with \ " and newlines escaped, as the text format wants. */
static void label(srv_buf *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\\' || *s == '"')
            srv_buf_add(out, "\\", 1);
        if (*s == '\n')
            srv_buf_str(out, "\\n");
        else
            srv_buf_add(out, s, 1);
    }
}

static void line(srv_buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(srv_buf *out, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n > 0)
        srv_buf_add(out, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
}

void srv_metrics_render(const srv_ctx *ctx, srv_response *resp)
{
    srv_metrics *m = ctx->metrics;
    srv_buf out = {0};
    srv_buf_str(&out, "# HELP xcheck_http_requests_total HTTP requests answered, by endpoint and "
                      "status.\n# TYPE xcheck_http_requests_total counter\n");
    for (size_t e = 0; m && e < NEP; e++)
        for (int s = 100; s < 600; s++) {
            unsigned long n = atomic_load_explicit(&m->requests[e][s], memory_order_relaxed);
            if (n)
                line(&out, "xcheck_http_requests_total{endpoint=\"%s\",status=\"%d\"} %lu\n",
                     endpoints[e], s, n);
        }
    srv_buf_str(&out, "# HELP xcheck_http_request_duration_seconds Time from the request's "
                      "headers to its answer.\n"
                      "# TYPE xcheck_http_request_duration_seconds histogram\n");
    for (size_t e = 0; m && e < NEP; e++) {
        unsigned long total = 0;
        for (size_t b = 0; b <= NB; b++)
            total += atomic_load_explicit(&m->latency[e][b], memory_order_relaxed);
        if (!total)
            continue;
        unsigned long cumulative = 0;
        for (size_t b = 0; b <= NB; b++) {
            cumulative += atomic_load_explicit(&m->latency[e][b], memory_order_relaxed);
            if (b < NB)
                line(&out, "xcheck_http_request_duration_seconds_bucket{endpoint=\"%s\","
                           "le=\"%g\"} %lu\n", endpoints[e], buckets[b], cumulative);
            else
                line(&out, "xcheck_http_request_duration_seconds_bucket{endpoint=\"%s\","
                           "le=\"+Inf\"} %lu\n", endpoints[e], cumulative);
        }
        line(&out, "xcheck_http_request_duration_seconds_sum{endpoint=\"%s\"} %.6f\n",
             endpoints[e],
             (double)atomic_load_explicit(&m->latency_us[e], memory_order_relaxed) / 1e6);
        line(&out, "xcheck_http_request_duration_seconds_count{endpoint=\"%s\"} %lu\n",
             endpoints[e], cumulative);
    }
    line(&out, "# HELP xcheck_screens_total Parties screened (each row of a batch).\n"
               "# TYPE xcheck_screens_total counter\nxcheck_screens_total %lu\n",
         m ? atomic_load(&m->screens) : 0UL);
    line(&out, "# HELP xcheck_screen_errors_total Parties refused (a bad field, a limit).\n"
               "# TYPE xcheck_screen_errors_total counter\nxcheck_screen_errors_total %lu\n",
         m ? atomic_load(&m->screen_errors) : 0UL);
    line(&out, "# HELP xcheck_http_requests_in_flight Requests begun and not yet answered.\n"
               "# TYPE xcheck_http_requests_in_flight gauge\nxcheck_http_requests_in_flight %d\n",
         m ? atomic_load(&m->in_flight) : 0);
    line(&out, "# HELP xcheck_start_time_seconds When the server started (Unix time).\n"
               "# TYPE xcheck_start_time_seconds gauge\nxcheck_start_time_seconds %lld\n",
         (long long)ctx->started);
    srv_buf_str(&out, "# HELP xcheck_list_entities Entities loaded per list.\n"
                      "# TYPE xcheck_list_entities gauge\n");
    time_t now = time(NULL);
    size_t count = xc_engine_list_count(ctx->eng);
    for (size_t i = 0; i < count; i++) {
        const xc_list_info *l = xc_engine_list(ctx->eng, i);
        srv_buf_str(&out, "xcheck_list_entities{list=\"");
        label(&out, l->id);
        line(&out, "\"} %zu\n", l->entities);
    }
    srv_buf_str(&out, "# HELP xcheck_list_info A list loaded: its version (publication date, or "
                      "\"unknown\") and digest.\n# TYPE xcheck_list_info gauge\n");
    for (size_t i = 0; i < count; i++) {
        const xc_list_info *l = xc_engine_list(ctx->eng, i);
        srv_buf_str(&out, "xcheck_list_info{list=\"");
        label(&out, l->id);
        srv_buf_str(&out, "\",version=\"");
        label(&out, *l->version ? l->version : "unknown");
        srv_buf_str(&out, "\",sha256=\"");
        label(&out, l->sha256);
        line(&out, "\",incomplete=\"%s\"} 1\n", l->incomplete ? "true" : "false");
    }
    srv_buf_str(&out, "# HELP xcheck_list_age_days Days since a list's publication date (lists "
                      "whose file gives one).\n# TYPE xcheck_list_age_days gauge\n");
    for (size_t i = 0; i < count; i++) {
        const xc_list_info *l = xc_engine_list(ctx->eng, i);
        long age = srv_age_days(l->version, now);
        if (age < 0)
            continue;
        srv_buf_str(&out, "xcheck_list_age_days{list=\"");
        label(&out, l->id);
        line(&out, "\"} %ld\n", age);
    }
    if (out.failed) {
        free(out.data);
        srv_error(resp, 503, XC_NOMEM, "out of memory");
        return;
    }
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    srv_text(resp, 200, out.data, out.len);
}
