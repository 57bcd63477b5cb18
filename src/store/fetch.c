/*
 * fetch.c — downloading one published list file with libcurl for `xcheck update`: HTTP(S) only,
 * TLS peer and host verification left on, a connect timeout, a total timeout, a low-speed abort,
 * a size ceiling checked both against Content-Length and while receiving, and retries with a
 * growing pause for failures that may pass (timeouts, resets, truncated bodies, HTTP 5xx/429).
 * The body goes straight to the destination file, hashed on the way, and is fsynced.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "store.h"

typedef struct sink {
    int fd;
    int64_t size, max;
    xc__sha256 hash;
    int too_big, write_failed;
} sink;

static size_t on_data(char *data, size_t size, size_t count, void *userdata)
{
    sink *s = userdata;
    size_t len = size * count;
    if (s->size + (int64_t)len > s->max) {
        s->too_big = 1;
        return 0; /* aborts the transfer */
    }
    for (size_t done = 0; done < len;) {
        ssize_t w = write(s->fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            s->write_failed = 1;
            return 0;
        }
        done += (size_t)w;
    }
    xc__sha256_update(&s->hash, data, len);
    s->size += (int64_t)len;
    return len;
}

static bool transient(CURLcode code, long http)
{
    switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
        return true;
    case CURLE_HTTP_RETURNED_ERROR:
        return http >= 500 || http == 429;
    default:
        return false;
    }
}

xc_status xc__store_fetch(const char *url, const char *dst, const xc__fetch_limits *limits,
                          unsigned char digest[32], int64_t *size, bool *absent, xc_error *err)
{
    *absent = false;
    *size = 0;
    CURL *curl = curl_easy_init();
    if (!curl)
        return xc__error_set(err, XC_NOMEM, "%s: cannot start a transfer", url);
    xc_status rc = XC_NETWORK;
    char curl_error[CURL_ERROR_SIZE];
    for (int attempt = 0; attempt <= limits->retries; attempt++) {
        if (attempt > 0) {
            struct timespec pause = {limits->retry_pause_ms * attempt / 1000,
                                     (limits->retry_pause_ms * attempt % 1000) * 1000000L};
            nanosleep(&pause, NULL);
        }
        sink s = {.max = limits->max_bytes};
        s.fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (s.fd < 0) {
            rc = xc__error_set(err, XC_IO, "%s: %s", dst, strerror(errno));
            break;
        }
        xc__sha256_init(&s.hash);
        curl_error[0] = '\0';
        curl_easy_reset(curl);
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 20L);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, limits->timeout_seconds);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 512L);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, limits->low_speed_seconds);
        curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)limits->max_bytes);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "xcheck/" XC_VERSION);
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &s);
        CURLcode code = curl_easy_perform(curl);
        long http = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http);
        int synced = code == CURLE_OK ? fsync(s.fd) : 0;
        close(s.fd);
        if (code == CURLE_OK && synced == 0) {
            xc__sha256_final(&s.hash, digest);
            *size = s.size;
            rc = XC_OK;
            break;
        }
        if (s.too_big || code == CURLE_FILESIZE_EXCEEDED) {
            rc = xc__error_set(err, XC_TOOBIG, "%s: larger than %lld bytes", url,
                               (long long)limits->max_bytes);
            break;
        }
        if (s.write_failed || synced != 0) {
            rc = xc__error_set(err, XC_IO, "%s: cannot write %s", url, dst);
            break;
        }
        if (code == CURLE_HTTP_RETURNED_ERROR && (http == 404 || http == 410)) {
            *absent = true;
            rc = xc__error_set(err, XC_NOTFOUND, "%s: HTTP %ld", url, http);
            break;
        }
        rc = xc__error_set(err, XC_NETWORK, "%s: %s (attempt %d of %d)", url,
                           curl_error[0] ? curl_error : curl_easy_strerror(code), attempt + 1,
                           limits->retries + 1);
        if (!transient(code, http))
            break;
    }
    curl_easy_cleanup(curl);
    if (rc != XC_OK)
        unlink(dst);
    return rc;
}

/* ---- links on a publisher's page ---- */

#define PAGE_MAX ((int64_t)8 << 20)

/* Resolves href against base into out (libcurl's URL parser); false when it cannot. */
static bool resolve_url(const char *base, const char *href, char *out, size_t size)
{
    CURLU *u = curl_url();
    if (!u)
        return false;
    char *full = NULL;
    bool ok = curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
              curl_url_set(u, CURLUPART_URL, href, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK && full &&
              strlen(full) < size;
    if (ok)
        xc__strlcpy(out, full, size);
    curl_free(full);
    curl_url_cleanup(u);
    return ok;
}

/* First case-insensitive occurrence of the ASCII word needle in s, or NULL. */
static char *find_ci(char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (strncasecmp(s, needle, n) == 0)
            return s;
    return NULL;
}

xc_status xc__store_discover(const char *spec, const char *tmp, const xc__fetch_limits *limits,
                             char *url, size_t url_size, xc_error *err)
{
    char page[2048];
    const char *space = strchr(spec, ' ');
    if (!space || (size_t)(space - spec) >= sizeof page || !space[1])
        return xc__error_set(err, XC_PARSE, "page source '%s': expected \"page:URL REGEX\"", spec);
    memcpy(page, spec, (size_t)(space - spec));
    page[space - spec] = '\0';
    const char *pattern = space + 1;
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB) != 0)
        return xc__error_set(err, XC_PARSE, "page source: bad pattern '%s'", pattern);
    xc__fetch_limits page_limits = *limits;
    if (page_limits.max_bytes > PAGE_MAX)
        page_limits.max_bytes = PAGE_MAX;
    unsigned char digest[32];
    int64_t size = 0;
    bool absent = false;
    xc_status rc = xc__store_fetch(page, tmp, &page_limits, digest, &size, &absent, err);
    char *html = NULL;
    size_t len = 0;
    if (rc == XC_OK)
        rc = xc__file_read(tmp, (size_t)PAGE_MAX, &html, &len, err);
    if (rc != XC_OK) {
        regfree(&re);
        return rc;
    }
    rc = xc__error_set(err, XC_NOTFOUND, "%s: no link matching '%s'", page, pattern);
    /* href="...", href='...' or href=bare, in any case */
    for (char *p = html; (p = find_ci(p, "href")) != NULL;) {
        p += 4;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (*p != '=')
            continue;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        char quote = (*p == '"' || *p == '\'') ? *p++ : 0;
        char *end = p;
        while (*end && (quote ? *end != quote : (*end != ' ' && *end != '>' && *end != '\t')))
            end++;
        if (!*end && quote)
            break;
        char saved = *end;
        *end = '\0';
        /* &amp; in an attribute is & */
        char href[2048];
        size_t n = 0;
        for (const char *q = p; *q && n + 1 < sizeof href; q++) {
            if (strncmp(q, "&amp;", 5) == 0) {
                href[n++] = '&';
                q += 4;
            } else {
                href[n++] = *q;
            }
        }
        href[n] = '\0';
        *end = saved;
        p = end;
        if (regexec(&re, href, 0, NULL, 0) != 0)
            continue;
        if (resolve_url(page, href, url, url_size)) {
            rc = XC_OK;
            if (err)
                memset(err, 0, sizeof *err);
            break;
        }
    }
    regfree(&re);
    xc__free_mem(html);
    return rc;
}
