/*
 * cmd_lists.c — `xcheck lists [--data DIR]... [--json]`: each list loaded, its version date,
 * entity and name counts, rows skipped and why, and the SHA-256 of its files.
 */
#include <string.h>

#include "cli.h"
#include "util.h"

int cmd_lists(int argc, char **argv)
{
    const char *data[64];
    int ndata = 0;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc && ndata < 63) {
            data[ndata++] = argv[++i];
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else {
            fprintf(stderr, "usage: xcheck lists [--data DIR]... [--json]\n");
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    xc_engine *eng = cli_open_engine(data, ndata, false);
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
                   "\"rows_skipped\":%zu,\"sha256\":\"%s\"}",
                   i ? "," : "", l->id, *l->version ? "\"" : "", *l->version ? l->version : "null",
                   *l->version ? "\"" : "", l->entities, l->names, l->rows_skipped, l->sha256);
            continue;
        }
        printf("%-22s %-10s %9zu %9zu %8zu  %.16s\n", l->id, *l->version ? l->version : "-",
               l->entities, l->names, l->rows_skipped, l->sha256);
        printf("    %s (%s)\n", l->title, l->files);
        for (size_t k = 0; l->issues && l->issues[k] && k < 5; k++)
            printf("    skipped: %s\n", l->issues[k]);
        if (l->rows_skipped > 5)
            printf("    ... %zu rows skipped in all\n", l->rows_skipped);
    }
    if (json)
        printf("]\n");
    else if (n == 0)
        printf("(no lists loaded: pass --data DIR with official list files)\n");
    const xc_snapshot_info *snap = xc_engine_snapshot(eng);
    static const char *const how[] = {"none (parsed)", "loaded", "written", "failed"};
    if (!json && snap && snap->state != XC_SNAPSHOT_NONE)
        printf("snapshot: %s %s%s%s (engine opened in %.0f ms)\n", how[snap->state], snap->path,
               snap->note[0] ? "; " : "", snap->note, snap->open_ms);
    xc_engine_close(eng);
    return 0;
}
