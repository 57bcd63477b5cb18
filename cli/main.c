/*
 * main.c — entry point of the xcheck command: dispatches to one verb per file.
 */
#include <string.h>

#include "cli.h"

static const struct verb {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} verbs[] = {
    {"screen", cmd_screen, "screen a party (or a CSV of parties) against restricted lists"},
    {"match", cmd_match, "score two names (or a CSV of pairs) and explain the score"},
    {"show", cmd_show, "print one listed entity whole: names, dates, places, ids, remarks"},
    {"lists", cmd_lists, "show the lists loaded: version, counts, rows skipped"},
    {"decide", cmd_decide, "decide whether a shipment needs a licence (JSON in, JSON out)"},
    {"groups", cmd_groups, "show the groups a country is in for a jurisdiction on a date"},
    {"timeline", cmd_timeline, "show every dated change between two countries"},
    {"audit", cmd_audit, "verify the audit log's hash chain, or list its entries"},
    {"alerts", cmd_alerts, "list alerts; clear or escalate one (--reviewer, --reason)"},
    {"parties", cmd_parties, "import counterparties from CSV, or list them"},
    {"diff", cmd_diff, "entities added, removed and changed between two list versions"},
    {"update", cmd_update, "install list versions from an offline folder; --history"},
    {"rescreen", cmd_rescreen, "screen stored parties against what the last update changed"},
    {"serve", cmd_serve, "serve screening and decisions over HTTP (JSON; yente, watchman)"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: xcheck <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        fprintf(out, "  %-9s %s\n", verbs[i].name, verbs[i].summary);
    fprintf(out, "\nxcheck <command> --help shows a command's options.\n");
}

int cli_fail(const xc_error *err)
{
    fprintf(stderr, "xcheck: %s (%s)\n", err->message[0] ? err->message : xc_strerror(err->code),
            xc_status_name(err->code));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("xcheck %s\n", XC_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strcmp(argv[1], verbs[i].name) == 0)
            return verbs[i].run(argc - 1, argv + 1);
    fprintf(stderr, "xcheck: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
