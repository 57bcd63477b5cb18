/*
 * cmd_diff.c — `xcheck diff OLD NEW [--json]`: entities added, removed and changed between two
 * versions of a list (files or folders), by the source's own ids. `xcheck diff --source NAME`
 * compares the two latest versions `xcheck update` installed for a source.
 */
#include <string.h>

#include "cli.h"

static int usage(FILE *out)
{
    fprintf(out,
            "usage: xcheck diff OLD NEW [--json]\n"
            "       xcheck diff --source NAME [--json] [--db PATH]\n\n"
            "OLD and NEW are two versions of the same list(s): files or folders. Prints a summary\n"
            "line per list, then '+ list id \"name\"' (added), '- ...' (removed) and '~ ... ;\n"
            "names/identifiers/programs +\"x\" -\"y\"' (changed). --json prints one object:\n"
            "{\"added\":[ids],\"removed\":[ids],\"changed\":[ids],\"counts\":{..},\"old\":[..],"
            "\"new\":[..],\"details\":[..]}\n"
            "--source compares the version in service with the one it replaced (from the store).\n");
    return out == stdout ? 0 : 2;
}

/* Collects the two newest installed versions (the store lists newest first). */
typedef struct installed {
    char paths[2][4096];
    int count;
} installed;

static int take_installed(void *ctx, const xc_list_version *v)
{
    installed *found = ctx;
    if (strcmp(v->status, "rejected") == 0 || !*v->path)
        return 0;
    snprintf(found->paths[found->count], sizeof found->paths[0], "%s", v->path);
    return ++found->count == 2;
}

int cmd_diff(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL};
    const char *source = NULL, *db = NULL;
    installed found = {0};
    int json = 0, n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout);
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--source") == 0 && i + 1 < argc)
            source = argv[++i];
        else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
            db = argv[++i];
        else if (argv[i][0] != '-' && n < 2)
            paths[n++] = argv[i];
        else
            return usage(stderr);
    }
    xc_error err = {0};
    if (source) {
        if (n != 0)
            return usage(stderr);
        xc_store *store = cli_store_open(db);
        if (!store)
            return 1;
        xc_status rc = xc_store_list_versions_each(store, source, take_installed, &found, &err);
        xc_store_close(store);
        if (rc != XC_OK)
            return cli_fail(&err);
        if (found.count < 2) {
            fprintf(stderr, "xcheck diff: %s has %d installed version(s); need two\n", source,
                    found.count);
            return 1;
        }
        paths[0] = found.paths[1];
        paths[1] = found.paths[0];
    } else if (n != 2) {
        return usage(stderr);
    }
    const char *old_paths[] = {paths[0], NULL}, *new_paths[] = {paths[1], NULL};
    char *out = NULL;
    xc_status rc = json ? xc_diff_json(old_paths, new_paths, &out, &err)
                        : xc_diff_text(old_paths, new_paths, &out, &err);
    if (rc != XC_OK)
        return cli_fail(&err);
    fputs(out, stdout);
    if (json)
        fputc('\n', stdout);
    xc_free(out);
    return 0;
}
