/*
 * cmd_update.c — `xcheck update --from DIR [--source NAME...]`: installs list versions from an
 * offline copy (or downloads them) into the managed data folder, keeping the last good version
 * of a source whose new file does not parse; `xcheck update --history` lists the versions the store recorded.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_SOURCES 32

static int usage(FILE *out)
{
    fprintf(out,
            "usage: xcheck update [--from DIR] [--source NAME]... [--data-dir DIR] [--sources FILE]"
            " [--db PATH]\n"
            "                     [--timeout SECONDS] [--max-size BYTES] [--retries N]"
            " [--max-shrink PERCENT]\n"
            "                     [--allow-incomplete]\n"
            "       xcheck update --history [--source NAME] [--json] [--db PATH]\n\n"
            "Copies each source's files from DIR (DIR/<source>/, a conventional folder such as\n"
            "DIR/ofac/, or DIR itself) into DATA/lists/<source>/<version>/ (DATA defaults to\n"
            "$XDG_DATA_HOME/xcheck), after checking that they parse; DATA/lists/<source>/current\n"
            "points at the version in service. A file that does not parse leaves the previous\n"
            "version in service (exit 1), as does one with over --max-shrink (10) percent fewer\n"
            "entities or names than the version in service, or one missing a required file (OFAC\n"
            "sdn.csv needs alt.csv and add.csv; --allow-incomplete installs it marked incomplete).\n"
            "Sources are listed in data/sources.tsv (--sources to\n"
            "use another table). Without --from, each file is downloaded from the table's URL\n"
            "(http/https, TLS verified, --timeout per file (300), --max-size (1 GiB), --retries\n"
            "after transient failures (2)). One line per source: SOURCE OUTCOME VERSION ENTITIES\n"
            "SHA256 [MESSAGE].\n");
    return out == stdout ? 0 : 2;
}

static void print_event(void *ctx, const xc_update_event *e)
{
    (void)ctx;
    printf("%-14s %-9s %-24s %8lld  %.16s%s%s\n", e->source, e->outcome,
           *e->version ? e->version : "(none in service)", (long long)e->entities,
           *e->sha256 ? e->sha256 : "-", *e->message ? "  " : "", e->message);
}

static int print_version(void *ctx, const xc_list_version *v)
{
    const int *json = ctx;
    if (*json) {
        printf("{\"id\":%lld,\"source\":", (long long)v->id);
        cli_json_str(stdout, v->source);
        fputs(",\"version\":", stdout);
        cli_json_str(stdout, v->version);
        fputs(",\"url\":", stdout);
        cli_json_str(stdout, v->url);
        fputs(",\"path\":", stdout);
        cli_json_str(stdout, v->path);
        printf(",\"fetched_at\":\"%s\",\"size\":%lld,\"sha256\":\"%s\",\"entities\":%lld,"
               "\"status\":\"%s\",\"message\":",
               v->fetched_at, (long long)v->size, v->sha256, (long long)v->entities, v->status);
        cli_json_str(stdout, v->message);
        fputs("}\n", stdout);
    } else {
        printf("%-14s %-24s %-10s %s %10lld B %8lld entities %s  %s%s%s\n", v->source,
               v->version, v->status, v->fetched_at, (long long)v->size,
               (long long)v->entities, v->sha256, v->url, *v->message ? "  " : "", v->message);
    }
    return 0;
}

int cmd_update(int argc, char **argv)
{
    const char *sources[MAX_SOURCES + 1] = {NULL};
    int nsources = 0, history = 0, json = 0;
    xc_update_opts opts = {0};
    const char *db = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout);
        if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            opts.from_dir = argv[++i];
        else if (strcmp(argv[i], "--source") == 0 && i + 1 < argc && nsources < MAX_SOURCES)
            sources[nsources++] = argv[++i];
        else if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc)
            opts.data_dir = argv[++i];
        else if (strcmp(argv[i], "--sources") == 0 && i + 1 < argc)
            opts.sources_file = argv[++i];
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
            opts.timeout_seconds = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--max-size") == 0 && i + 1 < argc)
            opts.max_bytes = strtoll(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--retries") == 0 && i + 1 < argc) {
            opts.retries = (int)strtol(argv[++i], NULL, 10);
            if (opts.retries == 0)
                opts.retries = -1; /* the options' 0 means "default" */
        }
        else if (strcmp(argv[i], "--max-shrink") == 0 && i + 1 < argc)
            opts.max_shrink_percent = (int)strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--allow-incomplete") == 0)
            opts.allow_incomplete = 1;
        else if (strcmp(argv[i], "--history") == 0)
            history = 1;
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else
            return usage(stderr);
    }
    if (history && (opts.from_dir != NULL || nsources > 1))
        return usage(stderr);
    xc_store *store = cli_store_open(db);
    if (!store)
        return 1;
    xc_error err = {0};
    int rc = 0;
    if (history) {
        if (xc_store_list_versions_each(store, nsources ? sources[0] : NULL, print_version, &json,
                                        &err) != XC_OK)
            rc = cli_fail(&err);
    } else {
        opts.sources = nsources ? sources : NULL;
        opts.on_event = print_event;
        if (xc_update_lists(store, &opts, &err) != XC_OK)
            rc = cli_fail(&err);
    }
    xc_store_close(store);
    return rc;
}
