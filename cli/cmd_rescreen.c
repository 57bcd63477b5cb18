/*
 * cmd_rescreen.c — `xcheck rescreen [--json] [--db PATH]`: after `xcheck update`, screens the
 * stored counterparties against what changed in the lists since they were last screened
 * (delta screening, xc_store_rescreen; semantics in docs/rescreen.md) and reports how many
 * were screened, the hits, the alerts raised and the time taken.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static int usage(FILE *out)
{
    fprintf(out,
            "usage: xcheck rescreen [--threshold T] [--top N] [--threads N] [--allow-incomplete]\n"
            "                       [--max-age DAYS] [--json] [--db PATH]\n\n"
            "Screens the stored counterparties (xcheck parties import) against the entities\n"
            "added or changed since the versions they were last screened against (xcheck update\n"
            "installs new versions). Parties with a candidate there, whose stored result names a\n"
            "removed or changed entity, never screened or edited since, are screened against the\n"
            "whole lists; their result is stored and audited and new or changed hits raise\n"
            "alerts (xcheck alerts). The first run, or a source with no earlier version, screens\n"
            "in full. An interrupted run resumes where it stopped. No list in service is an\n"
            "error; --allow-incomplete accepts a source in service missing a required file.\n");
    return out == stdout ? 0 : 2;
}

typedef struct print_ctx {
    int json;
    int count;
} print_ctx;

static void print_source(void *ctx, const xc_rescreen_source *s)
{
    print_ctx *p = ctx;
    if (p->json) {
        printf("%s{\"source\":", p->count ? "," : "");
        cli_json_str(stdout, s->source);
        fputs(",\"from\":", stdout);
        cli_json_str(stdout, s->from_version);
        fputs(",\"to\":", stdout);
        cli_json_str(stdout, s->to_version);
        printf(",\"mode\":\"%s\",\"added\":%lld,\"changed\":%lld,\"removed\":%lld}", s->mode,
               (long long)s->added, (long long)s->changed, (long long)s->removed);
    } else {
        printf("%-14s %-10s %-24s -> %-24s", s->source, s->mode,
               *s->from_version ? s->from_version : "(none)", s->to_version);
        if (strcmp(s->mode, "unchanged") != 0)
            printf("  %lld added, %lld changed, %lld removed", (long long)s->added,
                   (long long)s->changed, (long long)s->removed);
        fputc('\n', stdout);
    }
    p->count++;
}

int cmd_rescreen(int argc, char **argv)
{
    const char *db = NULL;
    xc_rescreen_opts opts = {0};
    opts.snapshot_dir = cli_snapshot_dir();
    opts.max_age_days = cli_max_age_days("rescreen");
    print_ctx ctx = {0};
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout);
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--json") == 0) {
            ctx.json = 1;
        } else if (strcmp(argv[i], "--allow-incomplete") == 0) {
            opts.allow_incomplete = 1;
        } else if (strcmp(argv[i], "--max-age") == 0 && i + 1 < argc) {
            opts.max_age_days = (int)strtol(argv[++i], &end, 10);
            if (*end || opts.max_age_days < 1)
                return usage(stderr);
        } else if (strcmp(argv[i], "--threshold") == 0 && i + 1 < argc) {
            opts.threshold = strtod(argv[++i], &end);
            if (*end || opts.threshold <= 0 || opts.threshold > 1)
                return usage(stderr);
        } else if (strcmp(argv[i], "--top") == 0 && i + 1 < argc) {
            opts.top = (int)strtol(argv[++i], &end, 10);
            if (*end || opts.top < 1 || opts.top > 1000)
                return usage(stderr);
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            opts.threads = (int)strtol(argv[++i], &end, 10);
            if (*end || opts.threads < 1 || opts.threads > 16)
                return usage(stderr);
        } else {
            return usage(stderr);
        }
    }
    xc_store *store = cli_store_open(db);
    if (!store)
        return 1;
    opts.on_source = print_source;
    opts.ctx = &ctx;
    if (ctx.json)
        printf("{\"sources\":[");
    xc_rescreen_report r;
    xc_error err = {0};
    xc_status status = xc_store_rescreen(store, &opts, &r, &err);
    xc_store_close(store);
    if (ctx.json) {
        printf("],\"parties\":%lld,\"screened\":%lld,\"full\":%lld,\"reevaluated\":%lld,"
               "\"hits\":%lld,\"alerts\":%lld,\"resumed_after\":%lld,\"seconds\":%.3f,"
               "\"ok\":%s}\n",
               (long long)r.parties, (long long)r.screened, (long long)r.full,
               (long long)r.reevaluated, (long long)r.hits, (long long)r.alerts,
               (long long)r.resumed_after, r.seconds, status == XC_OK ? "true" : "false");
    } else if (status == XC_OK) {
        printf("rescreen: %lld parties, %lld screened (%lld in full, %lld re-evaluated), "
               "%lld hits, %lld alerts, %.2f s%s\n",
               (long long)r.parties, (long long)r.screened, (long long)r.full,
               (long long)r.reevaluated, (long long)r.hits, (long long)r.alerts, r.seconds,
               r.resumed_after ? " (resumed an interrupted run)" : "");
    }
    return status == XC_OK ? 0 : cli_fail(&err);
}
