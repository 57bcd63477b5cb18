/*
 * cmd_serve.c — `xcheck serve`: the HTTP JSON service (server/, docs/server.md) over one engine
 * opened as `xcheck screen` opens it (--data, $XCHECK_DATA or the managed lists; the bundled
 * sample only with --sample). Runs until SIGTERM or SIGINT.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../server/server.h"
#include "cli.h"
#include "util.h"

static int usage(FILE *out, int code)
{
    fprintf(out,
            "usage: xcheck serve [--listen ADDR:PORT] [--data PATH]... [--sample]\n"
            "                    [--allow-incomplete] [--max-age DAYS] [--threads N]\n"
            "                    [--max-body BYTES] [--log-json]\n\n"
            "Serves the screening API (docs/server.md) on ADDR:PORT, 127.0.0.1:8080 by default\n"
            "(port 0 picks a free port). The first line on standard output is\n"
            "\"listening on http://ADDR:PORT\"; one log line per request goes to standard error\n"
            "(--log-json: one JSON object). Lists as for `xcheck screen`: --data, else\n"
            "$XCHECK_DATA, else the lists `xcheck update` installed; --sample serves the\n"
            "bundled sample. /readyz fails when a list is older than --max-age days. --threads:\n"
            "request threads (default: the cores). SIGTERM or SIGINT stops the server after the\n"
            "requests in flight.\n");
    return code;
}

int cmd_serve(int argc, char **argv)
{
    const char *data[64];
    int ndata = 0;
    cli_open_opts open_opts = {.data = data, .max_age_days = cli_max_age_days("serve")};
    srv_config cfg = {0};
    bool max_age_given = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        char *end;
        if (strcmp(a, "--listen") == 0 && has) {
            cfg.listen = argv[++i];
        } else if (strcmp(a, "--data") == 0 && has && ndata < 63) {
            data[ndata++] = argv[++i];
        } else if (strcmp(a, "--sample") == 0) {
            open_opts.sample = true;
        } else if (strcmp(a, "--allow-incomplete") == 0) {
            open_opts.allow_incomplete = true;
        } else if (strcmp(a, "--log-json") == 0) {
            cfg.log_json = true;
        } else if (strcmp(a, "--threads") == 0 && has) {
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "xcheck serve: --threads: a number from 1 to 256 expected\n");
                return 2;
            }
            cfg.threads = (int)n;
        } else if (strcmp(a, "--max-body") == 0 && has) {
            long long n = strtoll(argv[++i], &end, 10);
            if (*end || n < 1024 || n > (1LL << 30)) {
                fprintf(stderr, "xcheck serve: --max-body: bytes from 1024 to 1 GiB expected\n");
                return 2;
            }
            cfg.max_body = (size_t)n;
        } else if (strcmp(a, "--max-age") == 0 && has) {
            long days = strtol(argv[++i], &end, 10);
            if (*end || days < 1 || days > 100000) {
                fprintf(stderr, "xcheck serve: --max-age: a number of days expected\n");
                return 2;
            }
            open_opts.max_age_days = (int)days;
            max_age_given = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            return usage(stdout, 0);
        } else {
            return usage(stderr, 2);
        }
    }
    open_opts.ndata = ndata;
    /* A stop signal during the open (seconds for a first parse) waits for srv_run's sigwait. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    xc_engine *eng = cli_open_engine_ex(&open_opts);
    if (!eng)
        return 1;
    cfg.max_age_days = max_age_given ? open_opts.max_age_days : 0;
    int rc = srv_run(eng, &cfg);
    xc_engine_close(eng);
    return rc;
}
