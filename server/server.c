/*
 * server.c — the daemon of `xcheck serve`: libmicrohttpd with a pool of polling threads (epoll),
 * one request state per request (its body gathered up to the configured limit; a larger
 * Content-Length is refused with 413 before the body is read), dispatch to routes.c once the
 * body is complete, and one log line per request when it finishes (text or JSON; the path is
 * logged without its query string, which holds the names screened). SIGTERM or SIGINT stops
 * accepting connections, lets the requests in flight finish, then stops the daemon.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server.h"

typedef struct server {
    srv_ctx ctx;
    size_t max_body;
    bool log_json;
    atomic_int inflight; /* requests begun and not yet completed */
} server;

typedef struct request_state {
    struct timespec start;
    char method[16];
    char path[512];
    char remote[64];
    srv_buf body;
    bool too_big;    /* the body passed max_body: it is discarded and 413 answered */
    bool answered;   /* a response is queued */
    int status;      /* HTTP status sent, 0 before */
    size_t bytes;    /* response body length */
    const char *endpoint;
} request_state;

static void remote_of(struct MHD_Connection *conn, char *out, size_t size)
{
    snprintf(out, size, "-");
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

static enum MHD_Result queue(struct MHD_Connection *conn, request_state *st, srv_response *resp)
{
    if (!resp->body) { /* a handler that failed to allocate its answer */
        srv_error(resp, 503, XC_NOMEM, "out of memory");
        if (!resp->body)
            return MHD_NO;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(resp->len, resp->body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(resp->body);
        return MHD_NO;
    }
    resp->body = NULL; /* the response owns it now */
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            resp->content_type ? resp->content_type : "application/json");
    if (resp->extra_header[0]) {
        char name[64];
        snprintf(name, sizeof name, "%s", resp->extra_header);
        char *colon = strchr(name, ':');
        if (colon) {
            *colon = '\0';
            const char *value = colon + 1;
            while (*value == ' ')
                value++;
            MHD_add_response_header(r, name, value);
        }
    }
    enum MHD_Result rc = MHD_queue_response(conn, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    st->answered = true;
    st->status = resp->status;
    st->bytes = resp->len;
    st->endpoint = resp->endpoint;
    return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    server *s = cls;
    request_state *st = *con_cls;
    (void)version;
    if (!st) {
        st = calloc(1, sizeof *st);
        if (!st)
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &st->start);
        snprintf(st->method, sizeof st->method, "%s", method);
        snprintf(st->path, sizeof st->path, "%s", url);
        remote_of(conn, st->remote, sizeof st->remote);
        atomic_fetch_add(&s->inflight, 1);
        srv_metrics_in_flight(s->ctx.metrics, 1);
        *con_cls = st;
        const char *length =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length) {
            char *end;
            unsigned long long n = strtoull(length, &end, 10);
            if (*end == '\0' && n > s->max_body) {
                st->too_big = true;
                srv_response resp = {0};
                resp.endpoint = "-";
                srv_error(&resp, 413, XC_TOOBIG, "request body of %llu bytes: at most %zu",
                          n, s->max_body);
                return queue(conn, st, &resp);
            }
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!st->too_big && st->body.len + *upload_size > s->max_body) {
            st->too_big = true;
            free(st->body.data);
            st->body = (srv_buf){0};
        }
        if (!st->too_big)
            srv_buf_add(&st->body, upload_data, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (st->answered)
        return MHD_YES;
    srv_response resp = {0};
    if (st->too_big) {
        resp.endpoint = "-";
        srv_error(&resp, 413, XC_TOOBIG, "request body over %zu bytes", s->max_body);
    } else if (st->body.failed) {
        resp.endpoint = "-";
        srv_error(&resp, 503, XC_NOMEM, "out of memory reading the request body");
    } else {
        srv_request req = {conn, method, url, st->body.data ? st->body.data : "", st->body.len};
        srv_route(&s->ctx, &req, &resp);
    }
    return queue(conn, st, &resp);
}

/* Writes the request's log line; returns its duration in seconds. */
static double log_request(const server *s, const request_state *st,
                          enum MHD_RequestTerminationCode toe)
{
    struct timespec now, wall;
    clock_gettime(CLOCK_MONOTONIC, &now);
    clock_gettime(CLOCK_REALTIME, &wall);
    double ms = (double)(now.tv_sec - st->start.tv_sec) * 1e3 +
                (double)(now.tv_nsec - st->start.tv_nsec) / 1e6;
    struct tm tm;
    gmtime_r(&wall.tv_sec, &tm);
    char when[64];
    snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (int)(wall.tv_nsec / 1000000) % 1000);
    const char *outcome = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "ok" : "aborted";
    if (s->log_json) {
        json_t *line = json_pack("{s:s,s:s,s:s,s:s,s:i,s:I,s:I,s:s}", "time", when, "remote",
                                 st->remote, "method", st->method, "path", st->path, "status",
                                 st->status, "us", (json_int_t)(ms * 1000), "bytes",
                                 (json_int_t)st->bytes,
                                 "outcome", outcome);
        char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
        if (text)
            fprintf(stderr, "%s\n", text);
        free(text);
        json_decref(line);
    } else {
        /* the path is client text: keep the line one line */
        char path[sizeof st->path];
        size_t k = 0;
        for (const char *p = st->path; *p && k + 1 < sizeof path; p++)
            path[k++] = (unsigned char)*p < 0x20 || *p == ' ' ? '?' : *p;
        path[k] = '\0';
        fprintf(stderr, "%s %s %s %s %d %.2fms %zuB%s\n", when, st->remote, st->method, path,
                st->status, ms, st->bytes, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK
                                                ? "" : " aborted");
    }
    return ms / 1e3;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    server *s = cls;
    request_state *st = *con_cls;
    (void)conn;
    if (!st)
        return;
    double seconds = log_request(s, st, toe);
    if (st->status)
        srv_metrics_request(s->ctx.metrics, st->endpoint, st->status, seconds);
    srv_metrics_in_flight(s->ctx.metrics, -1);
    free(st->body.data);
    free(st);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n')
        line[--n] = '\0';
    fprintf(stderr, "xcheck serve: %s\n", line);
}

/* "ADDR:PORT" or "[ADDR6]:PORT" into *addr; false when malformed. */
static bool parse_listen(const char *listen, struct sockaddr_storage *addr, socklen_t *len,
                         char *host, size_t host_size)
{
    memset(addr, 0, sizeof *addr);
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen)
        return false;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535)
        return false;
    size_t hlen = (size_t)(colon - listen);
    if (hlen + 1 > host_size)
        return false;
    memcpy(host, listen, hlen);
    host[hlen] = '\0';
    if (host[0] == '[' && hlen > 2 && host[hlen - 1] == ']') {
        char bare[64];
        snprintf(bare, sizeof bare, "%.*s", (int)(hlen - 2), host + 1);
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;
        if (inet_pton(AF_INET6, bare, &a6->sin6_addr) != 1)
            return false;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *len = sizeof *a6;
        return true;
    }
    if (strcmp(host, "localhost") == 0)
        snprintf(host, host_size, "127.0.0.1");
    struct sockaddr_in *a4 = (struct sockaddr_in *)addr;
    if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return false;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    *len = sizeof *a4;
    return true;
}

int srv_run(const xc_engine *eng, const srv_config *cfg)
{
    server s = {.ctx = {eng, cfg, time(NULL), srv_metrics_new()},
                .max_body = cfg->max_body ? cfg->max_body : SRV_MAX_BODY,
                .log_json = cfg->log_json};
    atomic_init(&s.inflight, 0);
    struct sockaddr_storage addr;
    socklen_t addr_len = 0;
    char host[128];
    const char *listen = cfg->listen ? cfg->listen : "127.0.0.1:8080";
    if (!parse_listen(listen, &addr, &addr_len, host, sizeof host)) {
        fprintf(stderr, "xcheck serve: --listen %s: ADDR:PORT expected (127.0.0.1:8080, "
                        "[::1]:8080; port 0 picks a free one)\n", listen);
        srv_metrics_free(s.ctx.metrics);
        return 1;
    }
    long threads = cfg->threads > 0 ? cfg->threads : sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    if (threads > 256)
        threads = 256;

    /* The daemon's threads inherit this mask: only sigwait below sees the stop signals. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG;
    if (addr.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    struct MHD_OptionItem pool[] = {
        {threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, (intptr_t)threads, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_Daemon *daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, &s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_ARRAY, pool, MHD_OPTION_END);
    if (!daemon) {
        fprintf(stderr, "xcheck serve: cannot listen on %s: %s\n", listen, strerror(errno));
        srv_metrics_free(s.ctx.metrics);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    FILE *out = cfg->ready_out ? cfg->ready_out : stdout;
    fprintf(out, "listening on http://%s:%u\n", host, port);
    fflush(out);
    fprintf(stderr, "xcheck serve: %zu lists, %ld threads, bodies up to %zu bytes\n",
            xc_engine_list_count(eng), threads, s.max_body);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "xcheck serve: %s: stopping (%d requests in flight)\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT", atomic_load(&s.inflight));
    MHD_socket listener = MHD_quiesce_daemon(daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    for (int waited = 0; atomic_load(&s.inflight) > 0 && waited < 3000; waited++)
        usleep(10000); /* requests in flight finish (30 s at most) */
    int left = atomic_load(&s.inflight);
    MHD_stop_daemon(daemon);
    fprintf(stderr, "xcheck serve: stopped%s\n", left > 0 ? " (some requests cut short)" : "");
    srv_metrics_free(s.ctx.metrics);
    return 0;
}
