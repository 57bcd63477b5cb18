/*
 * cmd_audit.c — `xcheck audit verify|list`: checks the audit log's hash chain, or prints its
 * entries. Also holds the two helpers every store verb uses (cli_store_open, cli_json_str).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

xc_store *cli_store_open(const char *db_path)
{
    char path[4096];
    xc_error err = {0};
    if (!db_path) {
        if (xc_store_default_path(path, sizeof path, &err) != XC_OK) {
            cli_fail(&err);
            return NULL;
        }
        db_path = path;
    }
    xc_store *store = xc_store_open(db_path, &err);
    if (!store)
        cli_fail(&err);
    return store;
}

void cli_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static int usage(FILE *out)
{
    fprintf(out,
            "usage: xcheck audit verify [--db PATH]\n"
            "       xcheck audit list [--db PATH] [--after ID] [--limit N] [--json]\n\n"
            "verify walks the hash chain and names the first entry that was edited, deleted or\n"
            "reordered (exit 1), else prints the number of entries and the head hash (exit 0).\n"
            "list prints entries oldest first: one line each, or JSON lines with --json.\n");
    return out == stdout ? 0 : 2;
}

typedef struct list_ctx {
    int json;
    char head[65];
} list_ctx;

static int print_entry(void *ctx, const xc_audit_entry *e)
{
    list_ctx *list = ctx;
    if (list->json) {
        printf("{\"id\":%lld,\"time\":", (long long)e->id);
        cli_json_str(stdout, e->time);
        fputs(",\"kind\":", stdout);
        cli_json_str(stdout, e->kind);
        /* query, answer and data_version are JSON already; empty ones print as null. */
        printf(",\"query\":%s,\"answer\":%s,\"data_version\":%s,\"hash\":\"%s\"}\n",
               *e->query ? e->query : "null", *e->answer ? e->answer : "null",
               *e->data_version ? e->data_version : "null", e->hash);
    } else {
        printf("%lld %s %-14s %s -> %s\n", (long long)e->id, e->time, e->kind, e->query,
               e->answer);
    }
    return 0;
}

static int remember_head(void *ctx, const xc_audit_entry *e)
{
    list_ctx *list = ctx;
    snprintf(list->head, sizeof list->head, "%s", e->hash);
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    const char *db = NULL, *action = NULL;
    long long after = 0, limit = 0;
    list_ctx list = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout);
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--after") == 0 && i + 1 < argc)
            after = strtoll(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
            limit = strtoll(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--json") == 0)
            list.json = 1;
        else if (!action && argv[i][0] != '-')
            action = argv[i];
        else
            return usage(stderr);
    }
    if (!action || (strcmp(action, "verify") != 0 && strcmp(action, "list") != 0))
        return usage(stderr);
    xc_store *store = cli_store_open(db);
    if (!store)
        return 1;
    xc_error err = {0};
    int rc = 0;
    if (strcmp(action, "list") == 0) {
        if (xc_store_audit_each(store, after, limit, print_entry, &list, &err) != XC_OK)
            rc = cli_fail(&err);
    } else {
        int64_t bad = 0, checked = 0;
        xc_status status = xc_store_audit_verify(store, &bad, &checked, &err);
        if (status == XC_OK) {
            xc_store_audit_each(store, checked > 0 ? checked - 1 : 0, 1, remember_head, &list,
                                &err);
            xc_status integrity = xc_store_integrity_check(store, &err);
            printf("audit: %lld entries verified, chain intact; head %s\n", (long long)checked,
                   list.head[0] ? list.head : "(empty log)");
            if (integrity != XC_OK)
                rc = cli_fail(&err);
        } else if (status == XC_CORRUPT) {
            printf("audit: BROKEN at entry %lld: %s\n", (long long)bad, err.message);
            rc = 1;
        } else {
            rc = cli_fail(&err);
        }
    }
    xc_store_close(store);
    return rc;
}
