/*
 * cmd_timeline.c — `xcheck timeline A B [--json]`: every dated change between two countries (both
 * directions), with the procedural steps that led to it (announcement, public comment, cabinet
 * decision, promulgation) and the step that changed the law marked.
 * Example: `xcheck timeline JP KR`.
 */
#include <stdbool.h>
#include <string.h>

#include "cli.h"

int cmd_timeline(int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL};
    int npos = 0;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (argv[i][0] != '-' && npos < 2) {
            pos[npos++] = argv[i];
        } else {
            fprintf(stderr, "usage: xcheck timeline COUNTRY COUNTRY [--json]\n");
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if (npos != 2) {
        fprintf(stderr, "usage: xcheck timeline COUNTRY COUNTRY [--json]\n");
        return 2;
    }
    xc_config cfg = {0};
    cfg.allow_no_lists = 1; /* names and rules only: no list is read */
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng)
        return cli_fail(&err);
    char *out = NULL;
    xc_status rc = xc_timeline_render(eng, pos[0], pos[1], json ? XC_FORMAT_JSON : XC_FORMAT_TEXT,
                                      &out, &err);
    int code = 0;
    if (rc != XC_OK)
        code = cli_fail(&err);
    else {
        fputs(out, stdout);
        if (json)
            putchar('\n');
    }
    xc_free(out);
    xc_engine_close(eng);
    return code;
}
