/*
 * cmd_groups.c — `xcheck groups JURISDICTION COUNTRY [--date YYYY-MM-DD] [--json]`: the groups a
 * country is in under a jurisdiction's export-control law on a date (default today), each with
 * its confidence, citation and validity window. Example: `xcheck groups JP KR --date 2020-01-01`.
 */
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "cli.h"

int cmd_groups(int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL};
    const char *date = NULL;
    int npos = 0;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
            date = argv[++i];
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (argv[i][0] != '-' && npos < 2) {
            pos[npos++] = argv[i];
        } else {
            fprintf(stderr,
                    "usage: xcheck groups JP|KR|US|EU COUNTRY [--date YYYY-MM-DD] [--json]\n");
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if (npos != 2) {
        fprintf(stderr, "usage: xcheck groups JP|KR|US|EU COUNTRY [--date YYYY-MM-DD] [--json]\n");
        return 2;
    }
    char today[11];
    if (!date) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        date = today;
    }
    xc_config cfg = {0};
    cfg.allow_no_lists = 1; /* names and rules only: no list is read */
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng)
        return cli_fail(&err);
    char *out = NULL;
    xc_status rc = xc_groups_render(eng, pos[0], pos[1], date,
                                    json ? XC_FORMAT_JSON : XC_FORMAT_TEXT, &out, &err);
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
