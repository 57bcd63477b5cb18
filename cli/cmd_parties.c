/*
 * cmd_parties.c — `xcheck parties import FILE.csv` and `xcheck parties [list]`: the
 * counterparties kept in the store for repeated screening, with their latest result.
 */
#include <string.h>

#include "cli.h"

static int usage(FILE *out)
{
    fprintf(out,
            "usage: xcheck parties import FILE.csv [--db PATH]\n"
            "       xcheck parties [list] [--json] [--db PATH]\n\n"
            "import reads a CSV with a header row: name (required), id, kind, country, dob\n"
            "(optional). Rows are added or updated by id; bad rows are reported with their line\n"
            "numbers and skipped while the good ones are kept (exit 1 when any was skipped).\n");
    return out == stdout ? 0 : 2;
}

static int print_party(void *ctx, const xc_stored_party *p)
{
    const int *json = ctx;
    if (*json) {
        printf("{\"id\":");
        cli_json_str(stdout, p->ref);
        fputs(",\"name\":", stdout);
        cli_json_str(stdout, p->name);
        printf(",\"kind\":\"%s\",\"country\":\"%s\",\"dob\":\"%s\",\"last_screened_at\":\"%s\","
               "\"last_band\":\"%s\",\"last_result_sha256\":\"%s\",\"last_audit_id\":%lld}\n",
               p->kind, p->country, p->dob, p->last_screened_at, p->last_band,
               p->last_result_sha256, (long long)p->last_audit_id);
    } else {
        printf("%-22s %-40s %-8s %-2s %-10s %s\n", p->ref, p->name, *p->kind ? p->kind : "-",
               *p->country ? p->country : "-", *p->dob ? p->dob : "-",
               *p->last_screened_at ? p->last_band : "never screened");
    }
    return 0;
}

int cmd_parties(int argc, char **argv)
{
    const char *db = NULL, *action = NULL, *file = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout);
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (!action && argv[i][0] != '-')
            action = argv[i];
        else if (action && !file && argv[i][0] != '-')
            file = argv[i];
        else
            return usage(stderr);
    }
    if (!action)
        action = "list";
    if (strcmp(action, "import") == 0 ? !file : (strcmp(action, "list") != 0 || file))
        return usage(stderr);
    xc_store *store = cli_store_open(db);
    if (!store)
        return 1;
    xc_error err = {0};
    int rc = 0;
    if (strcmp(action, "import") == 0) {
        size_t imported = 0, skipped = 0;
        char *issues = NULL;
        if (xc_store_parties_import_csv(store, file, &imported, &skipped, &issues, &err) ==
            XC_OK) {
            if (issues)
                fprintf(stderr, "%s", issues);
            printf("parties: %zu imported, %zu skipped\n", imported, skipped);
            rc = skipped ? 1 : 0;
            xc_free(issues);
        } else {
            rc = cli_fail(&err);
        }
    } else if (xc_store_parties_each(store, print_party, &json, &err) != XC_OK) {
        rc = cli_fail(&err);
    }
    xc_store_close(store);
    return rc;
}
