/*
 * cmd_diff.c — `xcheck diff OLD NEW [--json]`: entities added, removed and changed between two
 * versions of a list (files or folders), by the source's own ids.
 */
#include <string.h>

#include "cli.h"

static int usage(FILE *out)
{
    fprintf(out,
            "usage: xcheck diff OLD NEW [--json]\n\n"
            "OLD and NEW are two versions of the same list(s): files or folders. Prints a summary\n"
            "line per list, then '+ list id \"name\"' (added), '- ...' (removed) and '~ ... ;\n"
            "names/identifiers/programs +\"x\" -\"y\"' (changed). --json prints one object:\n"
            "{\"added\":[ids],\"removed\":[ids],\"changed\":[ids],\"counts\":{..},\"old\":[..],"
            "\"new\":[..],\"details\":[..]}\n");
    return out == stdout ? 0 : 2;
}

int cmd_diff(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL};
    int json = 0, n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return usage(stdout);
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] != '-' && n < 2)
            paths[n++] = argv[i];
        else
            return usage(stderr);
    }
    if (n != 2)
        return usage(stderr);
    const char *old_paths[] = {paths[0], NULL}, *new_paths[] = {paths[1], NULL};
    char *out = NULL;
    xc_error err = {0};
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
