/*
 * cmd_alerts.c — `xcheck alerts [list]`, `xcheck alerts clear|escalate ID --reviewer R
 * --reason T`: lists alerts and records reviewers' dispositions (each one audited).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static int usage(FILE *out)
{
    fprintf(out,
            "usage: xcheck alerts [list] [--status open|cleared|escalated|all] [--json] [--db PATH]\n"
            "       xcheck alerts clear ID --reviewer NAME --reason TEXT [--db PATH]\n"
            "       xcheck alerts escalate ID --reviewer NAME --reason TEXT [--db PATH]\n\n"
            "list shows open alerts by default. clear marks an alert a false positive (final);\n"
            "escalate passes it to a senior reviewer. Both need --reviewer and --reason and are\n"
            "written to the audit log.\n");
    return out == stdout ? 0 : 2;
}

static int print_alert(void *ctx, const xc_alert *a)
{
    const int *json = ctx;
    if (*json) {
        printf("{\"id\":%lld,\"status\":\"%s\",\"created_at\":\"%s\",\"party\":", (long long)a->id,
               a->status, a->created_at);
        cli_json_str(stdout, a->party_ref);
        fputs(",\"list\":", stdout);
        cli_json_str(stdout, a->list);
        fputs(",\"entity_id\":", stdout);
        cli_json_str(stdout, a->entity_id);
        fputs(",\"matched_name\":", stdout);
        cli_json_str(stdout, a->matched_name);
        printf(",\"score\":%.4f,\"band\":", a->score);
        cli_json_str(stdout, a->band);
        printf(",\"query\":%s,\"audit_id\":%lld,\"reviewer\":", *a->query ? a->query : "null",
               (long long)a->audit_id);
        cli_json_str(stdout, a->reviewer);
        fputs(",\"reason\":", stdout);
        cli_json_str(stdout, a->reason);
        fputs(",\"disposed_at\":", stdout);
        cli_json_str(stdout, a->disposed_at);
        fputs(",\"group\":", stdout);
        cli_json_str(stdout, a->group);
        printf(",\"members\":%s}\n", *a->members ? a->members : "[]");
    } else {
        printf("%-5lld %-9s %s  %s  %s:%s \"%s\" %.2f %s", (long long)a->id, a->status,
               a->created_at, *a->party_ref ? a->party_ref : "-", a->list, a->entity_id,
               a->matched_name, a->score, a->band);
        /* The same entity on other lists, covered by this alert. */
        json_t *members = json_loads(a->members, 0, NULL);
        size_t i;
        json_t *m;
        json_array_foreach(members, i, m) {
            if (i > 0)
                printf("%s%s:%s", i == 1 ? " (also " : ", ",
                       json_string_value(json_object_get(m, "list")),
                       json_string_value(json_object_get(m, "entity_id")));
        }
        if (json_array_size(members) > 1)
            fputc(')', stdout);
        json_decref(members);
        if (*a->reviewer)
            printf("  [%s by %s: %s]", a->disposed_at, a->reviewer, a->reason);
        fputc('\n', stdout);
    }
    return 0;
}

int cmd_alerts(int argc, char **argv)
{
    const char *db = NULL, *action = "list", *id_text = NULL, *reviewer = NULL, *reason = NULL;
    const char *status = "open";
    int json = 0, have_action = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout);
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (strcmp(argv[i], "--reviewer") == 0 && i + 1 < argc)
            reviewer = argv[++i];
        else if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc)
            reason = argv[++i];
        else if (strcmp(argv[i], "--status") == 0 && i + 1 < argc)
            status = argv[++i];
        else if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (!have_action && argv[i][0] != '-')
            action = argv[i], have_action = 1;
        else if (have_action && !id_text && argv[i][0] != '-')
            id_text = argv[i];
        else
            return usage(stderr);
    }
    xc_error err = {0};
    if (strcmp(action, "list") == 0) {
        if (strcmp(status, "all") == 0)
            status = NULL;
        else if (strcmp(status, "open") != 0 && strcmp(status, "cleared") != 0 &&
                 strcmp(status, "escalated") != 0)
            return usage(stderr);
        xc_store *store = cli_store_open(db);
        if (!store)
            return 1;
        int rc = xc_store_alerts_each(store, status, print_alert, &json, &err) == XC_OK
                     ? 0 : cli_fail(&err);
        xc_store_close(store);
        return rc;
    }
    xc_disposition disposition;
    if (strcmp(action, "clear") == 0)
        disposition = XC_ALERT_CLEAR;
    else if (strcmp(action, "escalate") == 0)
        disposition = XC_ALERT_ESCALATE;
    else
        return usage(stderr);
    char *end = NULL;
    long long id = id_text ? strtoll(id_text, &end, 10) : 0;
    if (!id_text || *end || id <= 0) {
        fprintf(stderr, "xcheck alerts %s: give the alert's numeric ID\n", action);
        return 2;
    }
    if (!reviewer || !reason) {
        fprintf(stderr, "xcheck alerts %s: --reviewer and --reason are both required\n", action);
        return 2;
    }
    xc_store *store = cli_store_open(db);
    if (!store)
        return 1;
    int64_t audit_id = 0;
    int rc = 0;
    if (xc_store_alert_dispose(store, id, disposition, reviewer, reason, &audit_id, &err) ==
        XC_OK)
        printf("alert %lld %s by %s (audit entry %lld)\n", id,
               disposition == XC_ALERT_CLEAR ? "cleared" : "escalated", reviewer,
               (long long)audit_id);
    else
        rc = err.code == XC_INVALID ? (cli_fail(&err), 2) : cli_fail(&err);
    xc_store_close(store);
    return rc;
}
