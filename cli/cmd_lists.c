/*
 * cmd_lists.c — `xcheck lists [--data DIR]... [--json]`: each list loaded, its version date,
 * entity and name counts, rows skipped and why, and the SHA-256 of its files. With the managed
 * lists (no --data) or --db, also each managed source's version in service and its age, with a
 * warning when it is older than --max-age DAYS ($XCHECK_MAX_AGE_DAYS, default 7).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "util.h"

typedef struct age_ctx {
    double max_days;
    time_t now;
    int json, shown, stale;
} age_ctx;

/* Seconds since the epoch of "YYYY-MM-DDTHH:MM:SS...Z", or -1. */
static time_t parse_utc(const char *text)
{
    struct tm tm = {0};
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

static int print_age(void *ctx, const xc_list_version *v)
{
    age_ctx *a = ctx;
    if (strcmp(v->status, "active") != 0)
        return 0;
    time_t fetched = parse_utc(v->fetched_at);
    double days = fetched < 0 ? -1 : difftime(a->now, fetched) / 86400.0;
    bool stale = days < 0 || days > a->max_days;
    a->stale += stale;
    if (!a->json) {
        if (!a->shown++)
            printf("\n%-22s %-24s %-24s %8s\n", "managed source", "version in service",
                   "fetched (UTC)", "age");
        printf("%-22s %-24s %-24s %6.1f d%s\n", v->source, v->version, v->fetched_at,
               days < 0 ? 0.0 : days, stale ? "  WARNING: older than the limit" : "");
    }
    if (stale)
        fprintf(stderr, "xcheck lists: warning: %s version %s was fetched %s, %.1f days ago "
                        "(limit %g days: run xcheck update)\n",
                v->source, v->version, v->fetched_at, days, a->max_days);
    return 0;
}

int cmd_lists(int argc, char **argv)
{
    const char *data[64];
    const char *db = NULL, *env_age = getenv("XCHECK_MAX_AGE_DAYS");
    int ndata = 0;
    bool json = false;
    cli_open_opts open_opts = {.data = data, .no_lists_ok = true};
    age_ctx age = {.max_days = 7, .now = time(NULL)};
    if (env_age && *env_age) {
        char *end;
        double days = strtod(env_age, &end);
        if (*end || days <= 0) {
            fprintf(stderr, "xcheck lists: XCHECK_MAX_AGE_DAYS: a positive number expected\n");
            return 2;
        }
        age.max_days = days;
    }
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc && ndata < 63) {
            data[ndata++] = argv[++i];
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--sample") == 0) {
            open_opts.sample = true;
        } else if (strcmp(argv[i], "--allow-incomplete") == 0) {
            open_opts.allow_incomplete = true;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--max-age") == 0 && i + 1 < argc &&
                   (age.max_days = strtod(argv[++i], &end)) > 0 && !*end) {
            continue;
        } else {
            fprintf(stderr, "usage: xcheck lists [--data DIR]... [--sample] [--allow-incomplete]"
                            " [--json] [--db PATH] [--max-age DAYS]\n");
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    open_opts.ndata = ndata;
    open_opts.max_age_days = (int)age.max_days;
    xc_engine *eng = cli_open_engine_ex(&open_opts);
    if (!eng)
        return 1;
    size_t n = xc_engine_list_count(eng);
    if (json)
        printf("[");
    else
        printf("%-22s %-10s %9s %9s %8s  %s\n", "list", "version", "entities", "names", "skipped",
               "sha256");
    for (size_t i = 0; i < n; i++) {
        const xc_list_info *l = xc_engine_list(eng, i);
        if (json) {
            printf("%s{\"id\":\"%s\",\"version\":%s%s%s,\"entities\":%zu,\"names\":%zu,"
                   "\"rows_skipped\":%zu,\"sha256\":\"%s\",\"incomplete\":%s,\"missing\":\"%s\"}",
                   i ? "," : "", l->id, *l->version ? "\"" : "", *l->version ? l->version : "null",
                   *l->version ? "\"" : "", l->entities, l->names, l->rows_skipped, l->sha256,
                   l->incomplete ? "true" : "false", l->missing ? l->missing : "");
            continue;
        }
        printf("%-22s %-10s %9zu %9zu %8zu  %.16s\n", l->id, *l->version ? l->version : "-",
               l->entities, l->names, l->rows_skipped, l->sha256);
        printf("    %s (%s)\n", l->title, l->files);
        if (l->incomplete)
            printf("    INCOMPLETE: loaded without %s\n", l->missing);
        for (size_t k = 0; l->issues && l->issues[k] && k < 5; k++)
            printf("    skipped: %s\n", l->issues[k]);
        if (l->rows_skipped > 5)
            printf("    ... %zu rows skipped in all\n", l->rows_skipped);
    }
    if (json)
        printf("]\n");
    else if (n == 0)
        printf("(no lists loaded: pass --data DIR with official list files, install them with "
               "xcheck update, or --sample)\n");
    for (size_t i = 0; !json && i < xc_engine_warning_count(eng); i++)
        printf("every answer warns: %s\n", xc_engine_warning(eng, i)); /* by publication date */
    const xc_snapshot_info *snap = xc_engine_snapshot(eng);
    static const char *const how[] = {"none (parsed)", "loaded", "written", "failed"};
    if (!json && snap && snap->state != XC_SNAPSHOT_NONE)
        printf("snapshot: %s %s%s%s (engine opened in %.0f ms)\n", how[snap->state], snap->path,
               snap->note[0] ? "; " : "", snap->note, snap->open_ms);
    xc_engine_close(eng);
    /* The managed sources' ages: from the store in use. */
    const char *managed_paths[64];
    const char *env = getenv("XCHECK_DATA");
    bool managed = ndata == 0 && !(env && *env) && cli_managed_lists(managed_paths, 64) > 0;
    if (!db && !managed)
        return 0;
    xc_store *store = cli_store_open(db);
    if (!store)
        return 1;
    age.json = json;
    xc_error err = {0};
    int rc = xc_store_list_versions_each(store, NULL, print_age, &age, &err) == XC_OK
                 ? 0 : cli_fail(&err);
    xc_store_close(store);
    return rc;
}
